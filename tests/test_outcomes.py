"""Outcome results: rates, counts, named measures, lists, negation. Seed sentences name their seed."""

import pytest

from mscmine.extractors.outcomes import find_outcomes
from mscmine.normalize import normalize


def _run(finder, text):
    norm = normalize(text)
    return norm, finder(norm.masked)


@pytest.mark.parametrize(
    "sentence, measure, value, unit, negated",
    [
        ("MSCs 移植第 4 年随访时完全缓解率达 50%", "remission_rate", 50, "%", False),  # 001
        ("整体生存率达 94%", "survival_rate", 94, "%", False),  # 001
        ("随访 12 个月后总生存率为 92.5%", "survival_rate", 92.5, "%", False),  # 001
        ("使临床有效率从53.3%提升至93.3%", "response_rate", 93.3, "%", False),  # 003
        ("42例(91%)疾病活动指数评分下降", "SLEDAI", 91, "%", False),  # 000
        ("随访期间 7例(9%)出现病情复发", "relapse", 9, "%", False),  # 000
        ("其中1例死亡", "mortality", 1, "count", False),  # 000
        ("复发率25%", "relapse", 25, "%", False),  # 002
        ("随访5年死亡率下降29%", "mortality", 29, "%", False),  # 002
        ("13例(62%)C-反应蛋白降至正常", "CRP", 62, "%", False),  # 000
        # written for these tests: a mean before "由", units other than 分, the usual scores of other diseases
        ("12例患者的BASDAI评分平均由5.6分降至3.1分", "BASDAI", 3.1, "score", False),
        ("非刺激唾液流率均值从0.04 mL/min提高到0.09 mL/min", "salivary_flow", 0.09, "mL/min", False),
        ("糖化血红蛋白由基线的8.4%降至7.1%", "HbA1c", 7.1, "%", False),
        ("EDSS评分中位数由4.5分降至4.0分", "EDSS", 4.0, "score", False),
        # written for these tests: values reached, counts before/after, responders, no change, English from-to
        ("移植后6个月DAS28评分降至3.2分，12个月降至2.9分", "DAS28", 2.9, "score", False),
        ("用力肺活量升至预计值的71%", "FVC", 71, "%", False),
        ("治疗后12周BASDAI为3.5分", "BASDAI", 3.5, "score", False),
        ("抗dsDNA抗体阳性由12例降至5例", "anti_dsDNA", 5, "count", False),
        ("ACR50达标者仅4例", "ACR50", 4, "count", False),
        ("两组血沉治疗前后比较差异无统计学意义", "ESR", None, None, True),
        ("C3水平治疗前后均无明显变化", "complement", None, None, True),
        ("In the treated group the DAS28 score fell from 5.9±0.8 to 3.4±1.0", "DAS28", 3.4, "score", False),
        # written for this test: from-to after any measure the lexicon knows, its name in parentheses
        ("The mean PASI dropped from 18.2 to 6.4 at week 12", "PASI", 6.4, "score", False),
        ("the modified Rodnan skin score (mRSS) declined from 24 to 15", "mRSS", 15, "score", False),
        ("观察组联合缓解21例", "remission_rate", 21, "count", False),
        ("第24周ASAS20应答率回落至40.0%", "response_rate", 40.0, "%", False),
        ("治疗后DAS28评分显著低于治疗前", "DAS28", None, None, False),
        ("抗dsDNA抗体转阴", "anti_dsDNA", None, None, False),
        ("按EULAR标准达到良好应答者12例(60.0%)", "response_rate", 60.0, "%", False),
        ("完全缓解率高于对照组(48.0%比30.0%)", "remission_rate", 48.0, "%", False),
        ("双手指端溃疡完全愈合", "other", None, None, False),
        ("皮肤硬化未见明显改善", "other", None, None, True),
        ("第12个月治疗组CR 12例（40.0%），PR 9例（30.0%）", "remission_rate", 40.0, "%", False),
        ("第8周5例临床缓解", "remission_rate", 5, "count", False),
        ("第8周6例临床应答", "response_rate", 6, "count", False),
        ("随访结束时治疗组死亡3例", "mortality", 3, "count", False),
        ("总有效率提高约15个百分点", "response_rate", 15, "%", False),
        ("雷诺现象VAS评分下降40%", "VAS", 40, "%", False),
        ("临床缓解（CDAI<150分）6例（30.0%）", "remission_rate", 30.0, "%", False),
        ("The overall response was 62.5% at week 24", "response_rate", 62.5, "%", False),
        ("治疗组Ⅱ~Ⅳ度aGVHD发生率为20.0%，低于对照组（P=0.04）", "other", 20.0, "%", False),
        ("随访24周，ALT由（150±60）U/L降至（45±20）U/L", "ALT", 45, "U/L", False),
        ("治疗组有3例尿蛋白反弹", "relapse", 3, "count", False),
        ("治疗组总有效率高于对照组（χ²=5.12，P=0.02）", "response_rate", None, None, False),
        ("12个指端溃疡中9个愈合", "other", 9, "count", False),
        ("and 9 of 12 digital ulcers healed", "other", 9, "count", False),
        ("DAS28评分治疗后为(3.1±0.9)分", "DAS28", 3.1, "score", False),
        ("IgG恢复正常者5例", "IgG", 5, "count", False),
        ("治疗组空腹C肽第3个月升至(0.30±0.10) nmol/L", "C_peptide", 0.30, "nmol/L", False),
        ("治疗组2例(10.0%)于第6个月脱离胰岛素", "other", 10.0, "%", False),
        ("第12周全组PLT中位数升至41×10^9/L", "platelets", 41, "×10^9/L", False),
        ("随访者mRSS第6个月为20(12~30)分，第12个月为17(9~28)分", "mRSS", 17, "score", False),
        ("结果 2例于第8个月死亡", "mortality", 2, "count", False),
        ("We observed a significant improvement in DAS28 at week 12", "DAS28", None, None, False),
        ("结果显示,未能诱导病情缓解", "remission_rate", None, None, True),  # 001
        ("ACR20缓解率为53.3%", "ACR20", 53.3, "%", False),  # 003
        ("治疗SLE有效率为60%", "response_rate", 60, "%", False),  # 002
        ("结果显示 9 名患者症状和血清学好转", "other", 9, "count", False),  # 001
        ("1例类风湿关节炎患者移植后6个月病情复发", "relapse", 1, "count", False),  # 000
        ("9例合并肾功能不全患者移植后血肌酐下降", "creatinine", 9, "count", False),  # 000
        ("其中1例实现长期缓解", "remission_rate", 1, "count", False),  # 002
        ("3 例肢端坏死明显减轻", "other", 3, "count", False),  # 001
        ("2例神经精神狼疮患者移植后未再有癫痫发作，", "other", 2, "count", False),  # 000: 神经 is no 经 route
        ("治疗后12例患者蛋白尿消失", "proteinuria", 12, "count", False),
        ("8例患者满足ACR50标准", "ACR50", 8, "count", False),  # written: a response criterion met
        ("The renal response rate was 76.0% at month 12", "remission_rate", 76.0, "%", False),  # written: lupus nephritis' renal response
        ("ACR50应答率为40%", "ACR50", 40, "%", False),
        ("28 个关节疾病活动度评分显著下降", "DAS28", None, None, False),
        ("7 (9%) of the 76 patients relapsed", "relapse", 9, "%", False),  # 000 (English abstract)
        ("including 1 death case", "mortality", 1, "count", False),  # 000 (English abstract)
        ("两组的总有效率分别为85.0%和60.0%", "response_rate", 85.0, "%", False),
        ("血清肌酐未见升高", "creatinine", None, None, True),
        ("MSC 移植后 BAFF 和 APRIL 的血浆水平显著下降", "other", None, None, False),  # 001
        ("移植后 IL-17 水平明显降低", "other", None, None, False),
        ("而肝肾功能、C3、C4 无显著变化", "complement", None, None, True),  # 001
        ("治疗前后尿蛋白无明显差异", "proteinuria", None, None, True),
        ("狼疮肾炎患者肾功能与移植前比明显改善", "other", None, None, False),  # 001
        ("移植后患者生物学指标、肾功能明显改善", "other", None, None, False),  # 001
        ("自体 MSCs 移植不能改善 SLE 疾病活动性", "SLEDAI", None, None, True),  # 001
        ("但不能阻止病情进展", "other", None, None, True),  # 000
        ("移植相关死亡率高(2%~17%)", "mortality", 17, "%", False),  # 002
        ("DAS28评分由(5.8±0.7)分降至(3.2±0.6)分", "DAS28", 3.2, "score", False),
        ("SLEDAI 评分从 12.5 下降至 4.2", "SLEDAI", 4.2, "score", False),
        ("治疗组 ACR20 达标率为 53.3%", "ACR20", 53.3, "%", False),
        ("8 位病患達到 ACR20 反應", "ACR20", 8, "count", False),  # Traditional, Taiwan usage
        ("DAS28 分數由 5.6 降至 3.9", "DAS28", 3.9, "score", False),
        ("总有效率提高(RR=1.35, 95%CI 1.18~1.54)", "response_rate", 1.35, "RR", False),
        ("24 例(80.0%)达到临床缓解", "remission_rate", 80.0, "%", False),
        ("不良事件发生率为 12.5%", "adverse_events", 12.5, "%", False),
        ("The complete remission rate was 60%.", "remission_rate", 60, "%", False),  # English abstract
        ("the overall survival rate of 92.5%", "survival_rate", 92.5, "%", False),
        ("SLEDAI scores decreased significantly", "SLEDAI", None, None, False),
        ("完全缓解 6 例，部分缓解 10 例", "remission_rate", 6, "count", False),
        ("显效 12 例，有效 8 例", "response_rate", 12, "count", False),
        ("SLEDAI 评分降低 (MD = -2.10, 95%CI -3.0~-1.2)", "SLEDAI", -2.1, "MD", False),
        ("24 h 尿蛋白由(3.6±1.2) g 降至(0.9±0.5) g", "proteinuria", 0.9, "g", False),
    ],
)
def test_outcomes(sentence, measure, value, unit, negated):
    _, found = _run(find_outcomes, sentence)
    o = found[0]
    assert (o.measure, o.value, o.unit, o.negated) == (measure, value, unit, negated)


def test_two_arms_in_one_rate():
    _, found = _run(find_outcomes, "临床总有效率分别为 93.33% 和 73.33%")
    assert (found[0].value, found[0].extra) == (93.33, {"values": [93.33, 73.33]})


def test_a_stated_change_is_kept():
    norm, found = _run(find_outcomes, "治疗 6 个月后，ESSDAI 评分较基线平均下降 4.3 分，唾液流率明显增加")
    o = found[0]
    assert norm.original_text(o.start, o.end) == "ESSDAI 评分较基线平均下降 4.3 分"
    # the change is the result the sentence states, so it is the value (guidelines, session 3)
    assert (o.measure, o.value, o.unit, o.direction, o.extra) == ("ESSDAI", 4.3, "score", "down", {"change": -4.3, "change_unit": "score"})


def test_before_after_scores():
    # 000
    _, found = _run(find_outcomes, "2例合并强直性脊柱炎患者移植后疾病活动指数分别由2.7和3.6下降为1.2和2.5")
    o = found[0]
    assert o.extra == {"before": [2.7, 3.6], "after": [1.2, 2.5]} and o.direction == "down"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # 001: three measures before one verb, each a result ending at the verb
        ("移植后,DAS28、VAS 和 ESR 显著降低,且未观察到不良事件",
         [("DAS28、VAS 和 ESR 显著降低", "DAS28"), ("VAS 和 ESR 显著降低", "VAS"), ("ESR 显著降低", "ESR")]),
        # 003 style: parenthesised English names and an item the lexicon does not know
        ("包括红细胞沉降率(ESR)、C反应蛋白(CRP)及促炎因子(IL-6)水平显著降低",
         [("红细胞沉降率(ESR)、C反应蛋白(CRP)及促炎因子(IL-6)水平显著降低", "ESR"),
          ("C反应蛋白(CRP)及促炎因子(IL-6)水平显著降低", "CRP")]),
        # 001 style: the verb first
        ("治疗显著降低了SLEDAI评分和尿蛋白", [("降低了SLEDAI", "SLEDAI"), ("降低了SLEDAI评分和尿蛋白", "proteinuria")]),
    ],
)
def test_listed_measures(sentence, expected):
    norm, found = _run(find_outcomes, sentence)
    got = [(norm.original_text(o.start, o.end), o.measure) for o in found]
    assert sorted(got) == sorted(expected)
    assert all(o.direction == "down" for o in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "我国系统性红斑狼疮的发生率约为0.07%",  # written: background, not a result
        "原发免疫性血小板减少症患者32例",  # written: a disease's name, not a result about platelets
        "全球RA的患病率为0.25–1%",  # 003
        "约20%-30%的中重度患者",  # 003
        "83.6%处于Ⅰ/Ⅱ期",  # 003
        "纳入标准为血小板计数<20×10^9/L",
        "女性患病率约为男性的3倍",
        "1例患者接受了第二次输注",
        "17例患者接受UC-MSC治疗",
        "MSCs 可能改善肾功能",  # hedged: a possibility
        "SLE 患者 MSCs 的 TGF-β 表达增加",  # a finding about the cells, not a result of treatment
        "活动性SLE患者的Treg细胞数量和功能均降低",  # pathophysiology
    ],
)
def test_not_outcomes(sentence):
    assert _run(find_outcomes, sentence)[1] == []



@pytest.mark.parametrize(
    "sentence, expected",
    [  # written for these tests: one result per measure, each from its own name to its own value
        ("治疗组ACR20/50/70达标率分别为55%、30%、10%",
         [("ACR20/50/70达标率分别为55%", "ACR20", 55), ("50/70达标率分别为55%、30%", "ACR50", 30),
          ("70达标率分别为55%、30%、10%", "ACR70", 10)]),
        ("SLEDAI、HAQ评分分别降至4.2分和0.6分",
         [("SLEDAI、HAQ评分分别降至4.2分", "SLEDAI", 4.2), ("HAQ评分分别降至4.2分和0.6分", "HAQ", 0.6)]),
        ("患者ESR、CRP及关节VAS评分均较治疗前下降",
         [("ESR、CRP及关节VAS评分均较治疗前下降", "ESR", None), ("CRP及关节VAS评分均较治疗前下降", "CRP", None),
          ("VAS评分均较治疗前下降", "VAS", None)]),
        ("结论 静脉输注脐带间充质干细胞可降低患者的SLEDAI评分", [("可降低患者的SLEDAI", "SLEDAI", None)]),
        ("既往研究认为MSCs可降低SLEDAI评分", []),  # a claim outside a conclusion: no result
    ],
)
def test_several_results_in_one_clause(sentence, expected):
    text, found = _run(find_outcomes, sentence)
    assert [(text.text[o.start:o.end], o.measure, o.value) for o in found] == expected



def test_one_result_for_each_arm_given_cells():
    """Written for this test: three arms, three values; the control arm's value is not a result."""
    text, found = _run(find_outcomes, "第6个月高剂量组、低剂量组和对照组的总有效率分别为80.0%、65.0%和40.0%")
    assert [(text.text[o.start:o.end], o.value) for o in found] == [("总有效率分别为80.0%", 80.0), ("总有效率分别为80.0%、65.0%", 65.0)]
