"""Sample sizes and the counts that are not sample sizes. Seed sentences named, others written."""

import pytest

from mscmine.extractors.patients import find_counts
from mscmine.normalize import normalize


def counts(text):
    norm = normalize(text)
    return [(norm.original_text(c.start, c.end), c.value, c.role) for c in find_counts(norm.masked)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("12篇文献共报道 76例风湿性疾病患者", [("76例", 76, "total")]),  # 000
        ("Liang 等^[13]报道了一项纳入了 4 名难治性 RA 患者的研究", [("4 名", 4, "total")]),  # 001
        ("纳入了 9 例难治性 RA 患者", [("9 例", 9, "total")]),  # 001
        ("实验组 136 例患者以 3,6,8 个月为间隔二次输注", [("136 例", 136, "group")]),  # 001
        ("实验组 46 名患者随机分为 3 组", [("46 名", 46, "group")]),  # 001
        ("对 17 例 RA 患者进行疗效观察", [("17 例", 17, "total")]),  # 001
        ("目前已入组十二例，其余正在筛选", [("十二例", 12, "total")]),  # written: a Chinese numeral after an enrolment verb
        ("本中心共收治二十例", [("二十例", 20, "total")]),
        ("随机分为高剂量组、低剂量组和对照组，每组32例", [("32例", 32, "group")]),
        ("对照组30例", [("30例", 30, "group")]),
        ("In a cohort of 24 RA patients, cells were given", [("24 RA patients", 24, "total")]),
        ("Methods Forty-eight patients were randomised", [("Forty-eight patients", 48, "total")]),
        ("178名SLE患者经静脉注射", [("178名", 178, "total")]),  # 001
        ("Xu等^[34]对24名SS患者(11例唾液腺受损,13例存在多器官受累)静脉注射", [("24名", 24, "total"), ("11例", 11, "subgroup"), ("13例", 13, "subgroup")]),  # 001
        ("共纳入患者 n=24", [("n=24", 24, "total")]),
        ("其中系统性红斑狼疮46例(61%)", [("46例", 46, "subgroup")]),  # 000
        ("共入组30例活动性SLE患者", [("30例", 30, "total")]),
        ("治疗组 20 例,对照组 18 例", [("20 例", 20, "group"), ("18 例", 18, "group")]),
        ("共 46 名患者随机分为 3 组", [("46 名", 46, "total")]),  # 001
        ("17例RA患者", [("17例", 17, "total")]),  # 001
        ("纳入 32 例符合 ACR 分类标准的 SLE 患者", [("32 例", 32, "total")]),
        ("9例合并肾功能不全患者移植后血肌酐下降", [("9例", 9, "subgroup")]),  # 000: a feature subgroup
        ("6例血小板减少患者移植后血小板上升", [("6例", 6, "subgroup")]),  # 000: named by a finding
        ("入组人数：48名心力衰竭患者", [("48名", 48, "total")]),  # a disease whose name ends in a finding word
        ("本院已完成36例难治性狼疮的干细胞移植", [("36例", 36, "total")]),  # written: a hospital's completed cases
        ("该院今年已进行六例脐带血联合间充质干细胞移植", [("六例", 6, "total")]),  # written: a numeral after 进行
        ("共有120名2型糖尿病患者接受干细胞输注", [("120名", 120, "total")]),  # written: 名 before a typed diabetes
        ("4例肺间质病变患者中2例好转", [("4例", 4, "subgroup"), ("2例", 2, "outcome")]),
        ("76例患者移植后临床症状及实验室检查结果均有不同程度改善", [("76例", 76, "total")]),  # 000: all of them
        ("A total of 76 patients with rheumatic diseases", [("76 patients", 76, "total")]),  # 000 (English abstract)
        ("including 46 (61%) cases of systemic lupus erythematosus", [("46", 46, "subgroup")]),  # 000 (English abstract)
        ("21 (28%) of rheumatoid arthritis", [("21", 21, "subgroup")]),  # 000 (English abstract)
        ("7 (9%) of the 76 patients relapsed", [("7", 7, "outcome"), ("76 patients", 76, "total")]),  # 000
        ("本研究招募了 60 名活动性狼疮肾炎患者", [("60 名", 60, "total")]),
        ("选取我院收治的难治性RA患者60例", [("60例", 60, "total")]),  # the count after the patients
        ("纳入 2012—2014 年本院 40 例难治性 LN 患者", [("40 例", 40, "total")]),  # 本院: the study's own
        ("随机分为观察组和对照组，各30例", [("30例", 30, "group")]),
        ("方法对某省人民医院25例SSc患者行干细胞移植", [("25例", 25, "total")]),  # written: the hospital after an enrolment verb, patients after
        ("选取市中心医院收治的40例患者", [("40例", 40, "total")]),
        ("在六名患有原发进展型多发性硬化的患者中观察了耐受性", [("六名", 6, "total")]),  # written: a result word inside the disease
        ("12例复发缓解型多发性硬化患者接受了骨髓间充质干细胞治疗", [("12例", 12, "total")]),
        ("本研究评估了 8 名系统性硬化症患者", [("8 名", 8, "total")]),  # written: assessed, not screened
        ("Of these, 28 patients received a second infusion", [("28 patients", 28, "subgroup")]),  # written
        ("研究纳入 6 名银屑病 (PsO) 患者", [("6 名", 6, "total")]),  # written: 名 before a disease with its abbreviation
        ("共评估了90例，符合标准者64例", [("90例", 90, "screened"), ("64例", 64, "subgroup")]),
        ("国内一项多中心研究纳入 36 例患者", [("36 例", 36, "total")]),  # 国内: no "其中…中"
        ("本研究共收錄 12 位病患", [("12 位", 12, "total")]),  # Traditional: 位病患
        ("分为低剂量组(1×10^6/kg，n=20)和高剂量组(2×10^6/kg，n=20)", [("n=20", 20, "group"), ("n=20", 20, "group")]),
    ],
)
def test_sample_sizes(sentence, expected):
    assert counts(sentence) == expected


@pytest.mark.parametrize(
    "sentence, role",
    [
        ("其中男12例(16%)", "sex"),  # 000
        # written for these tests: planned counts, counts named by what the patients had, an infusion as a time
        ("后续拟开展随机对照试验，计划纳入100例", "planned"),
        ("研究团队将在完成全部30例入组后公布结果", "planned"),
        ("对照组出现恶心4例", "outcome"),
        ("按ACR标准达到应答者9例(45.0%)", "outcome"),
        ("治疗组CR 6例", "outcome"),
        ("3例于输注后2 h出现寒战", "outcome"),
        ("1例诉乏力", "outcome"),
        ("抗体阳性由15例降至7例", "outcome"),  # the 15 (and the 7) count a result
        ("对照组9例(12.5%，9/72)", "outcome"),
        ("其余4例尚在随访中", "outcome"),
        ("另有2例因肺部感染退出", "outcome"),
        ("治疗组发生6例", "outcome"),
        ("共筛选131例", "screened"),  # screened, not enrolled
        ("In all, 40 patients were assessed for eligibility", "screened"),  # written
        ("Three patients did not complete the infusions", "outcome"),
        ("2名受试者在末次输注细胞后数小时内出现寒战", "outcome"),  # the treatment with its object as a time
        ("抗体转阴者：高剂量组12例", "outcome"),
        ("细胞组1例输注后发热", "outcome"),  # an event named, no verb
        ("对照组2例出现肺部感染", "outcome"),  # 对照组 is no "对…" of a cohort
        ("失访7例（治疗组4例，对照组3例）", "outcome"),
        ("死亡9例（感染5例、出血4例）", "outcome"),
        ("植入失败分别为2例（1.6%）和3例（4.8%）", "outcome"),
        ("计划招募18~65岁、对甲氨蝶呤反应不佳的患者80例", "planned"),
        ("女64例(84%)", "sex"),  # 000
        ("移植后46例患者中42例(91%)疾病活动指数评分下降", "outcome"),  # 000 (the 42)
        ("随访期间 7例(9%)出现病情复发", "outcome"),  # 000
        ("其中1例死亡", "outcome"),  # 000
        ("14例患者死亡证实与移植无关", "outcome"),  # 001
        ("解放军323医院17例(22%)", "site"),  # 000
        ("迄今,全球已有超过4000例难治性AD患者接受HSCT治疗", "background"),  # 002
        ("总共报告了 141 例不良事件", "outcome"),  # 001
        ("总共报告了 141 例不良事件,其中 133 例为轻度或中度", "outcome"),  # 001: events, not patients
        ("结果显示 9 名患者症状和血清学好转", "outcome"),  # 001
        ("15例患者出现带状疱疹", "outcome"),  # 001
        ("1例类风湿关节炎患者移植5个月后因感冒病情复发", "outcome"),  # 000
        ("13例(62%)28个关节疾病活动度评分<2.6", "outcome"),  # 000: a threshold reached
        ("其中1例实现长期缓解", "outcome"),  # 002
        ("女性 18 例", "sex"),
        ("共有 48 例患者完成随访，失访 2 例", "outcome"),  # lost to follow-up
        ("完全缓解 6 例，部分缓解 10 例", "outcome"),  # graded results
        ("显效 12 例，有效 8 例，无效 2 例", "outcome"),
        ("观察组2例出现一过性发热", "outcome"),  # inside an arm, still a result
        ("2.4  间充质干细胞移植治疗风湿性疾病的安全性评估  5例系统性红斑狼疮患者移植前出现恶心", "outcome"),  # 000: a heading run into its paragraph
        ("北京协和医院 12 例", "site"),
        ("据统计,迄今已有逾 2000 例患者接受该治疗", "background"),
    ],
)
def test_counts_that_are_not_sample_sizes(sentence, role):
    found = counts(sentence)
    assert found[-1][2] == role
    assert found[-1][2] not in ("total", "group", "subgroup")


@pytest.mark.parametrize("sentence", ["12篇文献", "共纳入244项试验", "第1名作者", "3,6,8 个月", "64% (n = 16/25) responded"])
def test_no_count_at_all(sentence):
    assert [c for c in counts(sentence) if c[2] in ("total", "group", "subgroup")] == []
