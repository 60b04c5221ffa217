"""Follow-up, outcomes and adverse events: seed sentences (named) and written variants."""

import pytest

from mscmine.extractors.adverse_events import find_adverse_events
from mscmine.extractors.follow_up import find_follow_ups
from mscmine.extractors.negation import context_of
from mscmine.extractors.outcomes import find_outcomes
from mscmine.normalize import normalize


def _run(finder, text):
    norm = normalize(text)
    return norm, finder(norm.masked)


@pytest.mark.parametrize(
    "sentence, span, low, high",
    [
        ("随访 12 个月后总生存率为 92.5%", "12 个月", 12, 12),  # 001
        ("所有患者随访0.5-26个月", "0.5-26个月", 0.5, 26),  # 000
        ("随访时间为 6~19 个月", "6~19 个月", 6, 19),  # 001
        ("MSCs 移植第 4 年随访时完全缓解率达 50%", "4 年", 48, 48),  # 001
        ("一项长达6年的随访研究", "6年", 72, 72),  # 001
        ("并在 1,6,12 个月进行随访", "1,6,12 个月", 12, 12),  # 001
        ("随访1年", "1年", 12, 12),
        ("根据9年的随访结果显示", "9年", 108, 108),  # 001
        ("3个月随访结果显示", "3个月", 3, 3),  # 003
        ("随访期为 24 周", "24 周", 5.52, 5.52),
    ],
)
def test_follow_up(sentence, span, low, high):
    norm, found = _run(find_follow_ups, sentence)
    assert len(found) == 1
    f = found[0]
    assert norm.original_text(f.start, f.end) == span
    assert (f.low, f.high) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize("sentence", ["移植后1年病情尚稳定", "女性发病率是男性的3到5倍", "2013 年,该课题组进行了进一步的研究"])
def test_not_follow_up(sentence):
    assert _run(find_follow_ups, sentence)[1] == []


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
        ("结果显示,未能诱导病情缓解", "remission_rate", None, None, True),  # 001
        ("ACR20缓解率为53.3%", "ACR20", 53.3, "%", False),  # 003
        ("治疗SLE有效率为60%", "response_rate", 60, "%", False),  # 002
    ],
)
def test_outcomes(sentence, measure, value, unit, negated):
    _, found = _run(find_outcomes, sentence)
    o = found[0]
    assert (o.measure, o.value, o.unit, o.negated) == (measure, value, unit, negated)


def test_before_after_scores():
    # 000
    _, found = _run(find_outcomes, "2例合并强直性脊柱炎患者移植后疾病活动指数分别由2.7和3.6下降为1.2和2.5")
    o = found[0]
    assert o.extra == {"before": [2.7, 3.6], "after": [1.2, 2.5]} and o.direction == "down"


@pytest.mark.parametrize("sentence", ["全球RA的患病率为0.25–1%", "约20%-30%的中重度患者", "83.6%处于Ⅰ/Ⅱ期"])
def test_not_outcomes(sentence):
    assert _run(find_outcomes, sentence)[1] == []


@pytest.mark.parametrize(
    "sentence, span, negated, serious, count",
    [
        ("然而,没有观察到严重的不良事件", "没有观察到严重的不良事件", True, True, None),  # 001
        ("且未观察到不良事件", "未观察到不良事件", True, None, None),  # 001
        ("UC-MSCs 输注后无副作用且连续治疗", "无副作用", True, None, None),  # 001
        ("其中未涉及患者出现不良反应及并发症的报道", "未涉及患者出现不良反应", True, None, None),  # 000
        ("总共报告了 141 例不良事件", "报告了 141 例不良事件", False, None, 141),  # 001
        ("其中 133 例为轻度或中度", "133 例为轻度或中度", False, False, 133),  # 001
        ("18例患者出现超急性不良事件", "18例患者出现超急性不良事件", False, None, 18),  # 001
        ("所有不良事件认定与 MSC 移植无关", "所有不良事件认定与 MSC 移植无关", False, None, None),  # 001
        ("未见明显的毒性反应", "未见明显的毒性反应", True, None, None),
        ("异体MSCT无严重不良反应发生", "无严重不良反应", True, True, None),  # 002
    ],
)
def test_adverse_events(sentence, span, negated, serious, count):
    norm, found = _run(find_adverse_events, sentence)
    a = found[0]
    assert norm.original_text(a.start, a.end) == span
    assert (a.negated, a.serious, a.count) == (negated, serious, count)


@pytest.mark.parametrize(
    "text, target, negated, hedged",
    [
        ("未见明显的毒性反应", "毒性反应", True, False),
        ("没有恶性肿瘤的报道", "恶性肿瘤", True, False),
        ("可能是失败的原因之一", "失败", False, True),
        ("不仅贫血缓解", "贫血缓解", False, False),  # pseudo cue
        ("未治疗,但病情缓解", "病情缓解", False, False),  # terminated scope
        ("肿瘤标志物均未见升高", "肿瘤标志物", True, False),  # backward cue
    ],
)
def test_negation_context(text, target, negated, hedged):
    i = text.index(target)
    assert context_of(text, i, i + len(target)) == {"negated": negated, "hedged": hedged}
