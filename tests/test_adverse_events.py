"""Adverse events: negated or not, serious, counted, with the events named. Seed sentences name their seed."""

import pytest

from mscmine.extractors.adverse_events import find_adverse_events
from mscmine.normalize import normalize


def _run(finder, text):
    norm = normalize(text)
    return norm, finder(norm.masked)


@pytest.mark.parametrize(
    "sentence, span, negated, serious, count",
    [
        ("然而,没有观察到严重的不良事件", "没有观察到严重的不良事件", True, True, None),  # 001
        # written for these tests: rates with their counts, listed counts, complaints, withdrawals, comparisons
        ("治疗组不良反应发生率为8.0%(2/25)，均为轻度", "不良反应发生率为8.0%(2/25)", False, None, 2),
        ("不良反应为颜面潮红3例、头晕2例", "不良反应为颜面潮红3例、头晕2例", False, None, 5),
        ("另有1例诉乏力", "1例诉乏力", False, None, 1),
        ("1例因肺部感染退出研究", "1例因肺部感染", False, None, 1),
        ("观察组不良事件明显少于对照组", "不良事件明显少于对照组", False, None, None),
        ("且不增加不良事件风险", "不增加不良事件风险", False, None, None),
        ("Adverse events occurred in 8.0% of patients", "Adverse events occurred in 8.0%", False, None, None),
        ("各研究均未报告与干细胞相关的死亡", "未报告与干细胞相关的死亡", True, True, None),
        ("No serious treatment-related adverse events were seen", "No serious treatment-related adverse events", True, True, None),
        ("共输注150人次，发生输注相关反应4人次", "发生输注相关反应4人次", False, None, 4),
        ("2例出现一过性腹痛，未见穿孔", "2例出现一过性腹痛", False, None, 2),
        ("治疗组输注后24 h内发热3例(10.0%)", "发热3例", False, None, 3),
        ("体温均<38.5 ℃；乏力2例(5.0%)，均为1级", "乏力2例", False, None, 2),
        ("Transient fever occurred in 4 patients", "Transient fever occurred in 4", False, None, 4),
        ("且未观察到不良事件", "未观察到不良事件", True, None, None),  # 001
        ("UC-MSCs 输注后无副作用且连续治疗", "无副作用", True, None, None),  # 001
        ("其中未涉及患者出现不良反应及并发症的报道", "未涉及患者出现不良反应", True, None, None),  # 000
        ("总共报告了 141 例不良事件", "报告了 141 例不良事件", False, None, 141),  # 001
        ("其中 133 例为轻度或中度", "133 例为轻度或中度", False, False, 133),  # 001
        ("18例患者出现超急性不良事件", "18例患者出现超急性不良事件", False, None, 18),  # 001
        ("所有不良事件认定与 MSC 移植无关", "所有不良事件认定与 MSC 移植无关", False, None, None),  # 001
        ("未见明显的毒性反应", "未见明显的毒性反应", True, None, None),
        ("异体MSCT无严重不良反应发生", "无严重不良反应", True, True, None),  # 002
        ("15例患者出现带状疱疹,2例患者出现癌症", "15例患者出现带状疱疹", False, None, 15),  # 001
        ("没有恶性肿瘤、血栓栓塞事件或死亡的报道", "没有恶性肿瘤、血栓栓塞事件或死亡", True, True, None),  # 001
        ("移植前环磷酰胺处理阶段出现恶心、呕吐症状", "出现恶心、呕吐症状", False, None, None),  # 000
        ("治疗后无发热、皮疹等不良反应", "无发热、皮疹等不良反应", True, None, None),
        ("2例出现一过性发热,对症处理后缓解", "2例出现一过性发热", False, None, 2),
        ("输注过程中未出现过敏反应", "未出现过敏反应", True, None, None),
        ("no adverse reactions or complications occurred", "no adverse reactions or complications", True, None, None),  # 000
        ("without serious adverse events", "without serious adverse events", True, True, None),
        ("3例患者发生肺部感染", "3例患者发生肺部感染", False, None, 3),
        ("不良反应发生率两组差异无统计学意义", "不良反应发生率两组差异无统计学意义", False, None, None),
        ("两组不良事件发生率相当", "两组不良事件发生率相当", False, None, None),
        ("共 5 例(16.7%)发生不良事件", "共 5 例(16.7%)发生不良事件", False, None, 5),  # 不良 is no negation cue
        ("输注后 2 h 内出现一过性低热", "出现一过性低热", False, None, None),
        # written: a count of 名 far from its event, complications listed or few, organs unharmed
        ("共4名受试者于第二次输注后约1小时出现发热", "4名受试者于第二次输注后约1小时出现发热", False, None, 4),
        ("Adverse events were mild (fever in 3 patients)", "fever in 3", False, None, 3),  # written: English, the count after in
        ("no thrombotic event occurred", "no thrombotic event", True, None, None),
        ("常见的并发症为头痛及皮疹", "常见的并发症为头痛及皮疹", False, None, None),
        ("移植后并发症较少", "并发症较少", False, None, None),
        ("输注后第2周继发白细胞减少", "继发白细胞减少", False, None, None),
        ("心、肝、肾功能均未见损害", "心、肝、肾功能均未见损害", True, None, None),
    ],
)
def test_adverse_events(sentence, span, negated, serious, count):
    norm, found = _run(find_adverse_events, sentence)
    a = found[0]
    assert norm.original_text(a.start, a.end) == span
    assert (a.negated, a.serious, a.count) == (negated, serious, count)


@pytest.mark.parametrize(
    "sentence, events",
    [
        ("最常见的不良事件为发烧、呼吸道感染、头痛、尿路感染、恶心、关节痛、乏力和不适",  # 001
         ["fever", "infection", "headache", "nausea", "arthralgia", "fatigue", "malaise"]),
        ("没有恶性肿瘤、血栓栓塞事件或死亡的报道", ["malignancy", "thromboembolism", "death"]),  # 001
        ("15例患者出现带状疱疹", ["herpes_zoster"]),  # 001
        ("3例于输注当天出现一过性低热", ["fever"]),  # written for this test: when, between count and verb
        ("注射后局部胀痛2 d", ["injection_site_reaction"]),  # written: after the injection, no verb
        ("有2例患者在第二次输注后出现皮疹", ["rash"]),
        ("回输当日出现轻度头痛", ["headache"]),
        ("部分患者出现心慌、头痛、恶心或呕吐等症状", ["palpitation", "headache", "nausea", "vomiting"]),  # 001 style
        ("治疗后无发热、皮疹等不良反应", ["fever", "rash"]),
        ("不良反应主要为发热(3例)、皮疹(1例)", ["fever", "rash"]),  # counts in parentheses
    ],
)
def test_events_are_named(sentence, events):
    _, found = _run(find_adverse_events, sentence)
    assert list(found[0].events) == events


@pytest.mark.parametrize(
    "sentence, events",
    [
        # written for this test: each way a safety report says an event was not seen
        ("随访期间没有出现皮疹、发热", ["rash", "fever"]),
        ("两组均未出现肺部感染", ["infection"]),
        ("输注后并未发热", ["fever"]),
        ("治疗后未发生带状疱疹", ["herpes_zoster"]),
    ],
)
def test_events_denied(sentence, events):
    _, found = _run(find_adverse_events, sentence)
    assert [(a.negated, list(a.events)) for a in found] == [(True, events)]


@pytest.mark.parametrize(
    "sentence",
    [
        "另有3例淋巴瘤患者因肿瘤复发死亡",  # written: the disease's course, not the cells'
        "感染是移植相关死亡的主要原因",  # 002 style: background
        "输注后食欲、睡眠及乏力均有改善",  # written: a symptom that got better is no adverse event
        "无论是否发热",
        "MSCs 可分泌肿瘤坏死因子刺激基因6",
        "14例患者死亡证实与移植无关",  # 001: a mortality count, not an adverse event with events
        "SLE患者常出现发热、皮疹",  # symptoms of the disease, no treatment before them
    ],
)
def test_not_adverse_events(sentence):
    assert [a for a in _run(find_adverse_events, sentence)[1] if a.events] == []


def test_arms_compared_for_adverse_events():
    _, found = _run(find_adverse_events, "MSC组与对照组不良反应发生率两组差异无统计学意义")
    assert found[0].to_value() == {"negated": False, "serious": None, "count": None, "differs_between_arms": False}



def test_events_listed_with_their_counts():
    """Written for this test: events and counts in a list, no verb."""
    norm = normalize("治疗组发热4例、头痛1例，均自行缓解")
    found = find_adverse_events(norm.masked)
    assert [(norm.original_text(a.start, a.end), a.count) for a in found] == [("发热4例", 4), ("头痛1例", 1)]


@pytest.mark.parametrize("sentence, span", [
    ("结论 脐带间充质干细胞治疗难治性狼疮安全性良好。", "安全性良好"),
    ("该疗法具有良好的安全性和耐受性。", "具有良好的安全性"),
    ("初步结果显示干细胞输注安全可行。", "安全可行"),
    ("12例患者均能耐受，无1例退出。", "均能耐受"),
    ("臍帶間質幹細胞治療是安全的。", "是安全的"),
    ("The infusions were safe and well tolerated in all patients.", "were safe"),
    ("本组输注MSC是安全的,受试者耐受性良好。", "是安全的,受试者耐受性良好"),
    ("结论：该方案对类风湿关节炎患者安全。", "安全"),
], ids=["safety-good", "good-safety", "safe-feasible", "all-tolerated", "traditional-is-safe", "english",
        "one-sentence-one-conclusion", "safe-for-the-patients"])
def test_safety_conclusions(sentence, span):
    from mscmine.normalize import normalize

    text = normalize(sentence).text
    [a] = [a for a in find_adverse_events(text) if a.kind == "safety_conclusion"]
    assert (text[a.start:a.end], a.negated, a.serious) == (normalize(span).text, False, None)


@pytest.mark.parametrize("sentence", [
    "目的 观察脐带间充质干细胞治疗的疗效及安全性。",
    "探讨干细胞移植是否安全有效。",
    "其长期安全性仍需进一步研究。",
], ids=["aim", "question", "still-open"])
def test_not_safety_conclusions(sentence):
    assert [a for a in find_adverse_events(sentence) if a.kind == "safety_conclusion"] == []


@pytest.mark.parametrize("sentence, span, negated", [
    ("该疗法具安全性。", "具安全性", False),
    ("UC-MSC组展现出更好的安全性", "展现出更好的安全性", False),
    ("干细胞输注不引起不良事件", "不引起不良事件", True),
    ("随访期间无1例死亡", "无1例死亡", True),
], ids=["has-safety", "better-safety", "causes-none", "no-death"])
def test_more_safety_statements(sentence, span, negated):
    [a] = find_adverse_events(sentence)
    assert (sentence[a.start:a.end], a.negated) == (span, negated)


def test_a_denied_death_is_no_mortality_of_one():
    import mscmine
    from mscmine.mentions import analyse

    analysis = analyse(mscmine.Document.from_text("结果 15例患者随访12个月，无1例死亡。"))
    [death] = [m for m in analysis.mentions if m.label == "OUTCOME" and m.value["measure"] == "mortality"]
    assert (death.value["value"], death.value["negated"]) == (0.0, True)
