"""The outcome rules of Chinese results: one pattern and one builder for each way of writing a
result. Their order, and so their precedence, is the table's (`extractors.outcomes.RULES`).

Patterns that follow a measure ("tails", tried by `after_measures` at each measure name the
lexicon finds) start with what may stand between the name and its value; the others find their
own words.
"""

from __future__ import annotations

from functools import partial
import re

import regex

from ..lexicon import alternation
from ..sentences import last_stop, sentence_bounds
from .cues import ALL_OF_THEM, COMPARED, ENROL_VERB, RESPONDED, direction_between, direction_of
from .measures import NUMERIC_MEASURES, measure_code, measure_in
from .negation import context_of
from .outcome_rule import (Context, MeasureMatch, OutcomeMatch, OutcomeRule, after_measures, claims_always,
                           claims_beside_own, claims_unless_inside, near, skip_parenthesis)

_PCT = r"(?P<pct>\d+(?:\.\d+)?)\s?%"
_UP = alternation("DIRECTION_UP")
_DOWN = alternation("DIRECTION_DOWN")
_NUMBER_CHARS = regex.compile(r"[\d.]+")
_CHANGE_VERB = alternation("CHANGE_VERB")
_CLAUSE_ENDS = "。;；,，\n"
# the measures whose rate, count or event other rules read: no "listed with a verb" result
_NAMED_ELSEWHERE = frozenset({"adverse_events", "relapse", "mortality", "survival_rate", "response_rate", "remission_rate"})


def _clause_start(text: str, i: int) -> int:
    return last_stop(text, _CLAUSE_ENDS, i) + 1


# --- a rate changed: "有效率从 53.3% 提升至 93.3%" (value = the final 93.3, before = 53.3)

_FROM_TO = regex.compile(rf"\s?(?:由|从)\s?(?P<before>\d+(?:\.\d+)?)\s?%?\s?(?P<dir>{_UP}|{_DOWN})?(?:至|到|为)\s?{_PCT}")


def _rate_from_to(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), float(m.group("pct")), "%", False,
                        direction_of(m.group("dir") or "", at_start=True), {"before": float(m.group("before"))})


# --- one score before and after: "DAS28评分由(5.8±0.7)分降至(3.2±0.6)分" (means; the SD is dropped)

_MEAN = r"""
    [(（]?\s?(?P<{g}>\d+(?:\.\d+)?)(?:\s?±\s?\d+(?:\.\d+)?)?\s?[)）]?\s?   # (5.8±0.7)
    (?P<{g}_unit>分|g/24\s?h|g/d|mg/24\s?h|mL/min|ml/min|mg/dl|mg/dL|mg/L|ng/mL|ng/ml|pg/mL|pg/ml|μmol/L|umol/L|mmol/L|mm/h|U/L|IU/mL|mm|cm|g|%)?
"""
_SCORE_FROM_TO = regex.compile(
    r"""
    \s?(?:评分|积分|指数|分值|分数|得分)?
    \s?(?:平均|均值?|中位数?)?                       # "(平均)由 6.4 分降至 3.9 分", "中位数从 … 提高到 …"
    \s?(?:由|从)\s?(?:基线(?:时)?的?|治疗前的?)?\s?"""
    + _MEAN.format(g="before")
    + rf"\s?(?:显著|明显)?(?P<dir>{_DOWN}|{_UP})(?:至|到|为)?\s?"
    + _MEAN.format(g="after"),
    regex.VERBOSE,
)


def _score_from_to(m, text: str, ctx: Context) -> OutcomeMatch:
    before, after = float(m.group("before")), float(m.group("after"))
    unit = m.group("after_unit") or m.group("before_unit")
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), after, "score" if unit in (None, "分") else unit, False,
                        direction_between(before, after), {"before": before})


# --- a value reached: "mRSS降至19分，12个月降至16分" (the last), "FVC升至预计值的68%"; "为" only
# after a time after treatment ("治疗后3个月mRSS为30分"), as a baseline is stated the same way

_VALUE_UNIT = r"(?P<unit>分|%|g/24\s?h|g/d|mg/24\s?h|mL/min|ml/min|mg/dL|mg/L|ng/mL|pg/mL|μmol/L|umol/L|mmol/L|nmol/L|pmol/L|g/L|mm/h|U/L|IU/mL|×10\^9/L)?"
_TO_VALUE = regex.compile(
    r"""
    \s?(?:评分|积分|指数|分值)?
    # "SLEDAI评分治疗后为(5.2±1.3)分": a time after treatment between the measure and the value
    \s?(?P<after>(?:治疗|移植|输注|注射)后(?:第?\s?\d+\s?(?:个月|周|年|天))?|第\s?\d+\s?(?:个月|周|年|天)(?:时)?)?
    \s?(?:均值?|平均|中位数?|中位值)?
    \s?(?P<dir>降至|减至|降到|下降至|下降到|升至|增至|升到|上升至|上升到|提高至|提高到|回落至|回升至|(?P<be>为))
    \s?(?:预计值的|正常值的)?
    \s?[(（]?(?P<v>\d+(?:\.\d+)?)(?:\s?±\s?\d+(?:\.\d+)?)?\s?[)）]?     # the value, its SD dropped
    (?:\s?[(（][\d.\s~～\-]+[)）])?\s?"""                           # its range
    + _VALUE_UNIT
    + r"""
    # "，12个月降至16分", "，第12个月为16(8~29)分": later time points, the last value kept
    (?:[,，]\s?第?\s?\d+\s?(?:个月|周|年|天)(?:时|后)?\s?(?:降至|升至|减至|增至|为)\s?(?P<v>\d+(?:\.\d+)?)(?:\s?[(（][\d.\s~～\-]+[)）])?\s?(?:分|%)?)*
    """,
    regex.VERBOSE,
)
_AFTER_TREATMENT_TIME = regex.compile(r"(?:治疗|移植|输注|注射)后\s?(?:第\s?)?\d+\s?(?:个月|周|年|天)|\d+\s?(?:个月|周)(?:时|后)")


def _value_reached(m, text: str, ctx: Context) -> OutcomeMatch | None:
    if m.group("be") and not m.group("after") and not _AFTER_TREATMENT_TIME.search(text, max(0, m.start() - 20), m.start()):
        return None  # "DAS28评分为5.6分" at baseline
    code = measure_code(m.group("m"))
    if code not in NUMERIC_MEASURES:
        return None
    unit = m.group("unit")
    return OutcomeMatch(m.start(), m.end(), code, float(m.captures("v")[-1]), "score" if unit in (None, "分") else unit, False,
                        direction_of(m.group("dir"), at_start=True))


# --- how often something happened in the treated patients, in a results sentence (arms, a P
# value): "MSC组Ⅱ~Ⅳ度aGVHD发生率为17.7%", "3年cGVHD累积发生率分别为21.3%和35.8%(P=0.032)"

_INCIDENCE = regex.compile(
    rf"(?P<what>(?:(?![组的])[\p{{Han}}A-Za-z~～Ⅰ-Ⅳ\-]){{1,14}}?)(?:的)?(?:累积)?(?:发生率|发生比例)(?:分别)?(?:为|是|达)?\s?{_PCT}"
)
# tried only near a word every match holds: the pattern starts with a free stretch
_INCIDENCE_WORD = re.compile(r"发生率|发生比例")
_RESULT_SENTENCE = regex.compile(r"组|P\s?[=<＜≤]|χ2|χ\^2|χ²")
_AE_WORDS_IN = regex.compile(r"不良|副作用|副反应|毒性|并发症")


def _incidence(m, text: str, ctx: Context) -> OutcomeMatch | None:
    what = m.group("what")
    if _AE_WORDS_IN.search(what):
        return None  # adverse-event rates are ADVERSE_EVENT mentions
    s0, s1 = sentence_bounds(text, m.start(), m.end())
    if not _RESULT_SENTENCE.search(text, s0, s1):
        return None  # "我国SLE的发生率为…": background, not a result
    return OutcomeMatch(m.start("what"), m.end(), measure_in(what, 0, len(what)), float(m.group("pct")), "%")


# --- any measure compared with the control arm, no value: "总缓解率高于对照组（χ²=4.35）"

_VS_CONTROL = regex.compile(r"\s?(?:明显|显著)?(?P<dir>高于|低于|优于)(?:对照组|安慰剂组)(?!\s?[\[(（]\s?\d)")


def _measure_vs_control(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), None, None, False, direction_of(m.group("dir"), cues=COMPARED))


# --- lesions counted: "15个活动性指端溃疡中11个愈合"

_LESIONS_HEALED = regex.compile(r"(?P<of>\d{1,4})\s?[个处][^。;；,，]{0,10}?中\s?(?P<n>\d{1,4})\s?[个处](?:溃疡|皮损|瘘管)?(?:完全)?(?P<verb>愈合|闭合|消失|好转)")


def _lesions_healed(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), "other", float(m.group("n")), "count", False, None, {"of": int(m.group("of"))})


# --- a rate changed by points: "总缓解率提高约26个百分点"

_RATE_POINTS = regex.compile(rf"\s?(?P<dir>{_UP}|{_DOWN})了?\s?约?\s?(?P<v>\d+(?:\.\d+)?)\s?个百分点")


def _rate_points(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), float(m.group("v")), "%", False,
                        direction_of(m.group("dir"), at_start=True) or "up", {"change_unit": "points"})


# --- a count before and after: "抗dsDNA抗体阳性由18例降至9例"

_COUNT_FROM_TO = regex.compile(
    rf"[^。;,，\d]{{0,6}}?\s?(?:由|从)\s?(?P<before>\d{{1,5}})\s?例\s?(?P<dir>{_DOWN}|{_UP})(?:至|到)?\s?(?P<n>\d{{1,5}})\s?例"
)


def _count_from_to(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), float(m.group("n")), "count", False,
                        direction_of(m.group("dir"), at_start=True) or "up", {"before": float(m.group("before"))})


# --- responders of a measure counted: "ACR20达标者仅3例", "EULAR 良好应答者11例"

_RESPONDERS = regex.compile(rf"\s?(?:{RESPONDED})者\s?(?:仅|共|有|为)?\s?(?P<n>\d{{1,5}})\s?例")


def _responders_of_measure(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), float(m.group("n")), "count")


# --- "分别" pairs a list of measures with a list of values: "DAS28、HAQ评分分别降至3.1分和0.8分",
# "ACR20/50/70达标率分别为60%、35%、15%"

_RESPECTIVELY = regex.compile(
    r"""
    分别\s?(?:为|是|达|达到|降至|减至|升至|增至|下降至|上升至|下降|上升|降低|升高)?\s?
    (?P<vals>\d+(?:\.\d+)?\s?(?:%|分)?(?:\s?(?:、|,|，|和|及|与)\s?\d+(?:\.\d+)?\s?(?:%|分)?)+)   # two values or more
    """,
    regex.VERBOSE,
)
_ACR_SERIES = regex.compile(r"(?<![A-Za-z])ACR\s?(?P<a>20|50|70)(?:\s?/\s?(?P<b>20|50|70))(?:\s?/\s?(?P<c>20|50|70))?")
_VALUE = regex.compile(r"(?P<v>\d+(?:\.\d+)?)\s?(?P<u>%|分)?")


def _respectively(r, text: str, ctx: Context) -> list[OutcomeMatch] | None:
    """Measures paired in order with the values "分别" gives them; each result runs from its own
    measure to its own value (the spans nest, as the results do)."""
    vals = list(_VALUE.finditer(r.group("vals")))
    # the measures before 分别, back to the clause start: lexicon names, or an ACR series
    clause_start = _clause_start(text, r.start())
    named: list[tuple[int, str]] = []
    acr = None
    for a in _ACR_SERIES.finditer(text, clause_start, r.start()):
        acr = a
    if acr is not None:
        for g in ("a", "b", "c"):
            if acr.group(g):
                named.append((acr.start(g) if g != "a" else acr.start(), f"ACR{acr.group(g)}"))
    else:
        named = [(a, code) for a, b, code in ctx.measures if clause_start <= a and b <= r.start()]
    if len(named) < 2 or len(named) != len(vals):
        return None
    direction = direction_of(r.group())
    out = []
    for (start, code), v in zip(named, vals):
        unit = "%" if v.group("u") == "%" else "score" if v.group("u") == "分" else None
        out.append(OutcomeMatch(start, r.start("vals") + v.end(), code, float(v.group("v")), unit, False, direction))
    return out


# --- a rate against the control arm: "联合缓解率高于对照组[53.8%比35.2%"

_RATE_VS = regex.compile(rf"\s?(?:明显|显著)?(?P<dir>高于|低于|优于)(?:对照组|安慰剂组)\s?[\[(（]\s?{_PCT}")


def _rate_vs_control(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), float(m.group("pct")), "%", False,
                        direction_of(m.group("dir"), cues=COMPARED))


# --- responders counted without a named measure: "按EULAR标准达到良好或中等应答者11例(61.1%)" (only
# the kinds that name a response or a remission: "改善者" without a measure says nothing of which)

_RESPONDER_KINDS = r"应答|缓解|有效|达标"
_RESPONDER_COUNT = regex.compile(
    rf"(?:达到|获得)?[^。;,，]{{0,12}}?(?P<kind>{_RESPONDER_KINDS})者\s?(?:仅|共|有|为)?\s?(?P<n>\d{{1,5}})\s?例(?:\s?[(（]\s?{_PCT}\s?[)）])?"
)
# tried only near a word every match holds: the pattern starts with a free stretch
_RESPONDER_WORD = re.compile(rf"(?:{_RESPONDER_KINDS})者")


def _responder_count(m, text: str, ctx: Context) -> OutcomeMatch:
    measure = "remission_rate" if m.group("kind") == "缓解" else "response_rate"
    if m.group("pct"):
        return OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, None, {"count": int(m.group("n"))})
    return OutcomeMatch(m.start(), m.end(), measure, float(m.group("n")), "count")


# --- scores before and after, several at once: "疾病活动指数分别由2.7和3.6下降为1.2和2.5"

_SCORES = regex.compile(
    r"""
    (?:评分)?\s?分别\s?(?:由|从)
    \s?(?P<before>[\d.]+(?:\s?[和、,]\s?[\d.]+)+)
    \s?(?:下降|降低|减少|上升|升高)(?:为|至|到)
    \s?(?P<after>[\d.]+(?:\s?[和、,]\s?[\d.]+)+)
    """,
    regex.VERBOSE,
)


def _paired_scores(m, text: str, ctx: Context) -> OutcomeMatch:
    before = [float(x) for x in _NUMBER_CHARS.findall(m.group("before"))]
    after = [float(x) for x in _NUMBER_CHARS.findall(m.group("after"))]
    # the values, compared in order, tell the direction; equal lists read as a rise
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), None, "score", False, direction_between(before, after) or "up",
                        {"before": before, "after": after})


# --- a count with its percentage and what happened: "42例(91%)疾病活动指数评分下降",
# "7例(9%)出现病情复发"; a threshold reached: "13例(62%)28个关节疾病活动度评分<2.6"

_COUNT_PCT = regex.compile(
    rf"(?P<n>\d{{1,5}})\s?例\s?\(\s?{_PCT}\s?\)\s?(?:患者)?(?P<what>[^。;,，]{{0,24}}?)(?P<verb>{_CHANGE_VERB}|<\s?\d+(?:\.\d+)?)"
)
_REACHED = regex.compile(r"达到|获得|实现|完全|临床|部分")


def _count_pct(m, text: str, ctx: Context) -> OutcomeMatch:
    verb = m.group("verb")
    what = m.group("what") + verb
    measure = ("relapse" if "复发" in what else "mortality" if "死亡" in what
               else "remission_rate" if "缓解" in verb and _REACHED.search(what) else measure_in(what, 0, len(what)))
    extra = {"count": int(m.group("n"))}
    if verb.startswith("<"):
        extra["threshold"] = verb
    return OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, direction_of(verb, cues=COMPARED), extra)


# --- a pooled effect: "总有效率提高(RR=1.35, 95%CI 1.18~1.54)", "SLEDAI 评分降低 (MD = -2.1 …)"

_EFFECT = regex.compile(
    rf"""
    [^。;；,，(（]{{0,10}}?(?P<dir>{_UP}|{_DOWN})?
    \s?[(（]\s?(?P<stat>RR|OR|MD|SMD|WMD|HR|rr|or)\s?[=＝]\s?(?P<v>-?\d+(?:\.\d+)?)
    (?:[^)）]{{0,40}}[)）])?                           # the interval, the P value
    """,
    regex.VERBOSE,
)


def _pooled_effect(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), measure_code(m.group("m")), float(m.group("v")), m.group("stat").upper(), False,
                        direction_of(m.group("dir") or "", at_start=True))


# --- a rate: "完全缓解率达 50%", "总生存率为 92.5%", "复发率25%", "死亡率下降29%"

_RATE = regex.compile(
    rf"""
    # "ACR20 达标率为 53.3%": a rate word the lexicon leaves to the measure before it
    \s?(?:达标率|应答率|反应率|改善率|发生率)?\s?(?:的)?\s?(?:两组|三组|各组)?\s?(?:分别)?
    (?:达到|达|为|是|约为|约|可达|仅为|仅|高达|只有|较高|较低|高|低)?
    \s?(?P<dir>{_UP}|{_DOWN})?(?:了|到|至)?\s?
    [(（]?\s?(?:\d+(?:\.\d+)?\s?%?\s?[~～\-–至]\s?)?{_PCT}     # a range gives its upper end: "移植相关死亡率高(2%~17%)"
    (?:\s?(?:和|与|、|及|vs\.?)\s?(?P<pct2>\d+(?:\.\d+)?)\s?%)?    # two arms: "总有效率分别为 93.33% 和 73.33%" (the first is the value)
    (?:\s?(?:和|与|、|及)\s?(?P<more>\d+(?:\.\d+)?)\s?%)*         # "分别为77.4%、70.0%和51.7%"
    """,
    regex.VERBOSE,
)
# the arms a results clause lists before its measure: "高剂量组、低剂量组和对照组的总缓解率分别为…"
_ARM_LIST = regex.compile(r"(?P<arm>[\p{Han}A-Za-z\d]{1,6}组)(?:\s?(?:、|和|与|及)\s?(?P<arm>[\p{Han}A-Za-z\d]{1,6}组))+(?:的)?\s?(?:总体|整体|总)?\s?$")
_CONTROL_ARM = regex.compile(r"对照|安慰剂|非MSC|常规")
_ACR_BEFORE = regex.compile(r"(?<![A-Za-z])ACR\s?(?P<k>20|50|70)\s?$")
_NUMBER_PCT = regex.compile(r"\d+(?:\.\d+)?\s?%")


def _per_arm_values(text: str, start: int, m, values: list[str]) -> list[tuple[int, float]]:
    """(end, value) for each cell-treated arm when the clause lists as many arms as "分别" gives
    values ("高剂量组、低剂量组和对照组的总缓解率分别为77.4%、70.0%和51.7%"); [] otherwise."""
    if len(values) < 2 or "分别" not in m.group():
        return []
    arms = _ARM_LIST.search(text, _clause_start(text, start), start)
    if arms is None or len(arms.captures("arm")) != len(values):
        return []
    ends = [mm.end() for mm in _NUMBER_PCT.finditer(text[m.start() : m.end()])]
    if len(ends) != len(values):
        return []
    return [(m.start() + e, float(v)) for arm, e, v in zip(arms.captures("arm"), ends, values) if not _CONTROL_ARM.search(arm)]


def _rate(m, text: str, ctx: Context, per_arm: bool) -> OutcomeMatch | list[OutcomeMatch] | None:
    """A rate's result. Two rows of the table read it: `per_arm` gives one result for each arm
    given cells, ending at its own value, where the clause lists the arms; the other row, the
    one result of the rates whose clause does not."""
    start, code = m.start(), measure_code(m.group("m"))
    acr = _ACR_BEFORE.search(text[max(0, start - 8) : start])
    if acr and code in ("remission_rate", "response_rate"):
        # "ACR20缓解率为53.3%": the rate of an ACR response is that ACR measure
        start, code = start - len(acr.group()), f"ACR{acr.group('k')}"
    values = [m.group("pct")] + ([m.group("pct2")] if m.group("pct2") else []) + m.captures("more")
    arms = _per_arm_values(text, start, m, values)
    if per_arm != bool(arms):
        return None
    extra = {"values": [float(v) for v in values]} if len(values) > 1 else {}
    neg = context_of(text, m.start(), m.end(), ctx.cues)["negated"]
    direction = direction_of(m.group("dir") or "", at_start=True)
    if per_arm:
        return [OutcomeMatch(start, end, code, value, "%", neg, direction, extra) for end, value in arms]
    return OutcomeMatch(start, m.end(), code, float(m.group("pct")), "%", neg, direction, extra)


# --- graded responses counted: "完全缓解 6 例，部分缓解 10 例", "显效 12 例"

_GRADED_RESPONSE = regex.compile(
    r"""
    (?P<kind>完全缓解|部分缓解|临床缓解|联合缓解|总缓解|持续缓解|显效|有效|(?<![A-Za-z])(?:CR|PR)(?![A-Za-z]))
    (?:\s?[(（][^()（）]{1,30}[)）])?\s?(?P<n>\d{1,5})\s?例        # "临床缓解（CDAI<150分）9例"
    (?:\s?[(（]\s?(?P<pct>\d+(?:\.\d+)?)\s?%\s?[)）])?            # "CR 14例（45.2%）": the share is the value
    """,
    regex.VERBOSE,
)


def _graded_response(m, text: str, ctx: Context) -> OutcomeMatch:
    kind = m.group("kind")
    measure = "remission_rate" if "缓解" in kind or kind in ("CR", "PR") else "response_rate"
    if m.group("pct"):
        return OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, None, {"grade": kind, "count": int(m.group("n"))})
    return OutcomeMatch(m.start(), m.end(), measure, float(m.group("n")), "count", False, None, {"grade": kind})


# --- a count of deaths: "1例死亡", "14例患者死亡", "死亡3例"

_DEATHS = regex.compile(
    r"""
    (?P<n>\d{1,5})\s?例(?:患者)?\s?(?:于[^。;；,，例]{1,10}?)?(?:均)?(?:死亡|病死)    # "2例于移植后3个月死亡"
    | (?:^|(?<=[组,，:：。;；\s]))死亡\s?(?P<n>\d{1,5})\s?例
    """,
    regex.VERBOSE,
)


def _deaths(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), "mortality", float(m.group("n")), "count")


# --- a count of patients and what happened to them, without a percentage: "9例合并肾功能不全患者
# 移植后血肌酐下降", "1例RA患者移植5个月后病情复发", "9 名患者症状好转"

_COUNT_RESULT = regex.compile(
    r"""
    (?<![\d.])(?P<n>\d{1,5})\s?(?:例|名|位)(?!\s?次)
    \s?(?P<what>[^。;；,，:：例%()（）]{0,30}?)
    (?P<verb>(?:实现|达到|获得|满足|符合)(?:了)?\s?ACR\s?(?:20|50|70)\s?(?:标准|反应|应答|改善)?
      | (?:实现|达到|获得)(?:了)?(?:长期|完全|临床|部分)?缓解
      | 复发|反弹|好转|改善|缓解|临床应答|应答|下降|上升|升高|降低|减轻|愈合|消失|恢复正常|恢复|加重|进展
      | 未再(?:有|出现)?[^。;；,，]{1,8}?(?=[。;；,，]))           # "未再复发", "未再出现蛋白尿"
    """,
    regex.VERBOSE,
)
_REMISSION_KIND = regex.compile(r"临床|完全|部分|持续|维持|疾病")
_AE_IN_RESULT = regex.compile(r"不良|副作用|并发症|出现|发生")
_ACHIEVED = regex.compile(r"实现|达到|获得")


def _count_result(m, text: str, ctx: Context) -> OutcomeMatch | None:
    what, verb = m.group("what"), m.group("verb")
    if ENROL_VERB.search(what) or ALL_OF_THEM.search(what) or _AE_IN_RESULT.search(what + verb):
        return None
    if "复发" in verb or "复发" in what or verb == "反弹":
        measure = "relapse"  # "2例尿蛋白反弹": the disease came back
    elif "缓解" in verb and (_ACHIEVED.match(verb) or _REMISSION_KIND.search(what + verb)):
        measure = "remission_rate"  # "3例临床缓解", "8例维持低疾病活动度或临床缓解"
    elif "应答" in verb:
        measure = "response_rate"  # "7例临床应答"
    else:
        measure = measure_in(what + verb, 0, len(what + verb))
        if measure in ("relapse", "remission_rate", "response_rate", "adverse_events"):
            measure = "other"
    return OutcomeMatch(m.start(), m.end(), measure, float(m.group("n")), "count", False, direction_of(verb))


# --- not achieved: "未能诱导病情缓解" (negated)

_NOT_ACHIEVED = regex.compile(
    r"""
    (?:未能|不能|未|没有)(?:诱导|达到|实现|获得)?
    (?P<what>病情缓解|临床缓解|完全缓解|缓解
      | (?:改善|阻止|延缓|控制)[^。;；,，]{0,10}?(?:疾病活动性|疾病活动度|病情进展|病情))
    """,
    regex.VERBOSE,
)
_SLE = regex.compile(r"SLE|系统性红斑狼疮|狼疮")


def _not_achieved(m, text: str, ctx: Context) -> OutcomeMatch:
    what = m.group("what")
    if "缓解" in what:
        measure = "remission_rate"
    elif "疾病活动" in what and _SLE.search(what):
        measure = "SLEDAI"  # the disease-activity index of SLE
    else:
        measure = "other"
    return OutcomeMatch(m.start(), m.end(), measure, None, None, True)


# --- an organ or sign that got better: "肾功能明显改善", "生物学指标、肾功能明显改善", "皮肤厚度减少";
# found from the literal ending ("功能…改善"), the name then read backwards (fast)

_SIGN_TAIL = regex.compile(
    r"""
    (?:功能|指标|症状|体征|厚度|硬化|压力|溃疡|溃疡面|皮损|瘘管|水肿)
    (?:与移植前比|与治疗前比|较前|较治疗前)?(?:均)?(?:明显|显著|有所|逐渐|完全|基本)?
    (?P<verb>改善|好转|减轻|恢复正常|恢复|减少|愈合|闭合|未见(?:明显|显著)?改善)
    """,
    regex.VERBOSE,
)
_SIGN_NAME = regex.compile(r"(?:\p{Han}{1,6}(?:功能|指标)、)*\p{Han}{1,6}$")


def _sign_improved(t, text: str, ctx: Context) -> OutcomeMatch | None:
    name = _SIGN_NAME.search(text, max(0, t.start() - 40), t.start())
    if name is None:
        return None
    start, end = name.start(), t.end()
    context = context_of(text, start, end, ctx.cues)
    if context["hedged"]:
        return None  # "可能改善肾功能": a possibility, not a result
    what = text[start : t.start()]
    return OutcomeMatch(start, end, measure_in(what, 0, len(what)), None, None, context["negated"],
                        direction_of(t.group("verb"), at_start=True) or "up")


# --- measures listed with one verb: "DAS28 (…)、VAS (…) 和 ESR (…) 显著降低" → three results,
# each from its measure to the verb; "降低了干燥综合征疾病活动指数(…)和VAS" → one from the verb
# to each measure

_NO_CHANGE = (r"无(?:显著|明显)?(?:变化|差异|改变)|未见(?:明显|显著)?(?:升高|降低|变化|增加|改善|好转)|未(?:增加|升高|降低)"
              r"|差异(?:均)?无(?:统计学)?(?:意义|差异)|无统计学(?:意义|差异)")
_NO_CHANGE_RE = regex.compile(_NO_CHANGE)
# "…均较治疗前改善", "…治疗前后比较差异无统计学意义", "…与基线相比显著下降"
_COMPARED = r"(?:治疗前后|两组间?|组间)?\s?(?:比较)?\s?(?:均|也)?\s?(?:较(?:治疗前|基线|移植前|输注前|前)|与(?:治疗前|基线|移植前)(?:相比|比较)[,，]?)?"
_LIST_VERB = regex.compile(
    rf"""
    \s?{_COMPARED}\s?(?:均|也)?\s?(?:显著|明显|有所|逐渐|均)?
    \s?(?P<verb>{_NO_CHANGE}|{_DOWN}|{_UP}|改善)
    (?:了)?(?:\s?约?\s?(?P<delta>\d+(?:\.\d+)?)\s?(?P<dunit>分|%))?    # "…评分下降52%"
    """,
    regex.VERBOSE,
)
_LIST_FILLER = regex.compile(r"\s?(?:、|,|，|和|及|与|以及|或|水平|评分|积分|指标|指数)\s?")
_HAN = regex.compile(r"\p{Han}+")
_UNKNOWN_ITEM = regex.compile(r"[\p{Han}A-Za-z0-9\-]{1,10}(?=[(（])")
_VERB_FIRST = regex.compile(rf"(?P<verb>{_DOWN}|{_UP}|改善|减轻)了\s?")
# a modal claim on measures in an abstract's conclusion ("结论 …可改善SSc患者的mRSS和肺功能")
_MODAL_VERB = regex.compile(rf"(?:可|能够|能|可以)\s?(?:显著|明显|有效)?\s?(?P<verb>{_DOWN}|{_UP}|改善|减轻)\s?(?:[\p{{Han}}A-Za-z]{{0,10}}?(?:患者的?|的))?")
_CONCLUSION = regex.compile(r"(?:结论|Conclusions?)\s?[:：]?")


def _after_listed_measures(verb: regex.Pattern, text: str, ctx: Context) -> list[MeasureMatch]:
    """Each measure with the verb that ends the list it begins: the walk from the measure over
    other measures, fillers and parentheses to where `verb` matches."""
    out = []
    measures = ctx.measures
    for start, end, code in measures:
        j = end
        for _ in range(12):  # at most a dozen list items and fillers
            j2 = skip_parenthesis(text, j if text[j : j + 1] != " " else j + 1)
            if j2 != (j if text[j : j + 1] != " " else j + 1):
                j = j2
                continue
            nxt = ctx.measure_at(j) or ctx.measure_at(j + 1)
            if nxt:
                j = nxt[1]
                continue
            # a measure with a qualifier the lexicon does not hold: "腰背痛VAS", "血清C3"
            if text[j - 1 : j] in ("、", "及", "和", "与", ",", "，"):
                nxt = next((m for k in range(1, 5) if _HAN.fullmatch(text, j, j + k) for m in [ctx.measure_at(j + k)] if m), None)
                if nxt:
                    j = nxt[1]
                    continue
            f = _LIST_FILLER.match(text, j)
            if f and f.end() > j:
                j = f.end()
                continue
            # an item the lexicon does not know, defined by a parenthesis: "促炎因子(IL-6、TNF-α)"
            u = _UNKNOWN_ITEM.match(text, j)
            if u:
                j = skip_parenthesis(text, u.end())
                continue
            break
        v = verb.match(text, j)
        if v:
            out.append(MeasureMatch(text, start, end, v))
    return out


def _in_conclusions(pattern: regex.Pattern, text: str, ctx: Context):
    """Matches in the conclusion of an abstract ("结论 UC-MSCs可降低…"): there a "可降低 X"
    restates the article's result; elsewhere it is a claim from the background."""
    return (v for v in pattern.finditer(text) if _CONCLUSION.search(text, last_stop(text, "\n", v.start()) + 1, v.start()))


def _listed_result(start: int, end: int, code: str, verb: str, delta: str | None, dunit: str | None, text: str,
                   ctx: Context) -> OutcomeMatch | None:
    if code in _NAMED_ELSEWHERE:
        return None
    neg = context_of(text, start, end, ctx.cues)["negated"] or bool(_NO_CHANGE_RE.match(verb))
    value, unit = (float(delta), "score" if dunit == "分" else "%") if delta else (None, None)  # "…评分下降52%"
    return OutcomeMatch(start, end, code, value, unit, neg, direction_of(verb, at_start=True))


def _measures_then_verb(m, text: str, ctx: Context) -> OutcomeMatch | None:
    return _listed_result(m.start(), m.end(), measure_code(m.group("m")), m.group("verb"), m.group("delta"), m.group("dunit"), text, ctx)


def _verb_then_measures(v, text: str, ctx: Context) -> list[OutcomeMatch]:
    """One result per measure after the verb, each from the verb to that measure."""
    out = []
    j = v.end()
    for _ in range(12):
        m = ctx.measure_at(j)
        if m:
            j = skip_parenthesis(text, m[1])
            found = _listed_result(v.start(), j, m[2], v.group("verb"), None, None, text, ctx)
            if found:
                out.append(found)
            continue
        f = _LIST_FILLER.match(text, j)
        if f and f.end() > j:
            j = f.end()
            continue
        break
    return out


# --- a named substance's level changed, where the lexicon has no measure for it:
# "BAFF 和 APRIL 的血浆水平显著下降", "IFN- γ 水平升高", "IL-4水平显著降低"

_MARKER = r"[A-Za-z][A-Za-z0-9]*(?:\s?-\s?(?:[A-Za-z0-9]+|[αβγ]))?(?:\s?[αβγ])?"
_LEVEL_CHANGED = regex.compile(
    rf"""
    (?<![A-Za-z0-9])(?P<m>{_MARKER}(?:\s?(?:和|、|及|与)\s?{_MARKER})*)     # one marker or a list
    \s?(?:的)?(?:血浆|血清|外周血)?(?:中)?\s?(?:水平|浓度)
    \s?(?:均|也)?(?:显著|明显|有所)?\s?(?P<verb>{_UP}|{_DOWN})
    """,
    regex.VERBOSE,
)
_LEVEL_WORD = regex.compile(r"水平|浓度")


def _around_level_words(pattern: regex.Pattern, text: str, ctx: Context) -> list:
    """The pattern's matches, searched only around "水平/浓度" (a Latin-first pattern is slow to
    try at every letter of a long text)."""
    out, last_end = [], 0
    for w in _LEVEL_WORD.finditer(text):
        m = pattern.search(text, max(last_end, w.start() - 60), min(len(text), w.end() + 12))
        if m and m.start() <= w.start() < m.end():
            out.append(m)
            last_end = m.end()
    return out


def _level_changed(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), "other", None, None, context_of(text, m.start(), m.end(), ctx.cues)["negated"],
                        direction_of(m.group("verb"), at_start=True) or "up")


# --- a named measure that changed without a number: "DAS28 … 显著降低" (value None); "ESSDAI 评分较
# 基线平均下降 4.3 分": the change, when stated, is kept beside the direction; "…显著低于治疗前",
# "…高于对照组": a comparison states the direction as well as a verb does

_BELOW, _ABOVE = r"低于(?:治疗前|基线|移植前|输注前|对照组|安慰剂组)", r"(?:高于|优于)(?:治疗前|基线|移植前|输注前|对照组|安慰剂组)"
_CHANGED = regex.compile(
    rf"""
    [^。;,，]{{0,12}}?(?:显著|明显|均|有所|逐渐)?
    (?P<verb>{_DOWN}|{_UP}|改善|{_BELOW}|{_ABOVE}|转阴|转为阴性)
    (?:了)?(?:\s?约?\s?(?P<delta>\d+(?:\.\d+)?)\s?(?P<dunit>分|%|个百分点))?    # the change: "下降约4.3分"
    """,
    regex.VERBOSE,
)


def _measure_changed(m, text: str, ctx: Context) -> OutcomeMatch | None:
    code = measure_code(m.group("m"))
    if code not in NUMERIC_MEASURES:
        return None
    neg = context_of(text, m.start(), m.end(), ctx.cues)["negated"]
    direction = direction_of(m.group("verb"), at_start=True, cues=COMPARED)
    if not m.group("delta"):
        return OutcomeMatch(m.start(), m.end(), code, None, None, neg, direction)
    delta = float(m.group("delta"))
    unit = "score" if m.group("dunit") == "分" else "%"  # 个百分点: points of a percentage
    extra = {"change": -delta if direction == "down" else delta, "change_unit": unit if m.group("dunit") != "个百分点" else "points"}
    return OutcomeMatch(m.start(), m.end(), code, delta, unit, neg, direction, extra)  # "VAS评分下降52%": the change is the result


RATE_FROM_TO = OutcomeRule("rate_from_to", _FROM_TO, _rate_from_to, after_measures)
SCORE_FROM_TO = OutcomeRule("score_from_to", _SCORE_FROM_TO, _score_from_to, after_measures)
VALUE_REACHED = OutcomeRule("value_reached", _TO_VALUE, _value_reached, after_measures)
INCIDENCE = OutcomeRule("incidence", _INCIDENCE, _incidence, near(_INCIDENCE_WORD, 20, 20))
MEASURE_VS_CONTROL = OutcomeRule("measure_vs_control", _VS_CONTROL, _measure_vs_control, after_measures)
LESIONS_HEALED = OutcomeRule("lesions_healed", _LESIONS_HEALED, _lesions_healed)
RATE_POINTS = OutcomeRule("rate_points", _RATE_POINTS, _rate_points, after_measures)
COUNT_FROM_TO = OutcomeRule("count_from_to", _COUNT_FROM_TO, _count_from_to, after_measures)
RESPONDERS_OF_MEASURE = OutcomeRule("responders_of_measure", _RESPONDERS, _responders_of_measure, after_measures)
RESPECTIVELY = OutcomeRule("respectively", _RESPECTIVELY, _respectively, claims=claims_beside_own)
RATE_VS_CONTROL = OutcomeRule("rate_vs_control", _RATE_VS, _rate_vs_control, after_measures)
RESPONDER_COUNT = OutcomeRule("responder_count", _RESPONDER_COUNT, _responder_count, near(_RESPONDER_WORD, 24, 30))
PAIRED_SCORES = OutcomeRule("paired_scores", _SCORES, _paired_scores, after_measures)
COUNT_PCT = OutcomeRule("count_pct", _COUNT_PCT, _count_pct)
POOLED_EFFECT = OutcomeRule("pooled_effect", _EFFECT, _pooled_effect, after_measures)
RATE_PER_ARM = OutcomeRule("rate_per_arm", _RATE, partial(_rate, per_arm=True), after_measures, claims_always)
RATE = OutcomeRule("rate", _RATE, partial(_rate, per_arm=False), after_measures)
GRADED_RESPONSE = OutcomeRule("graded_response", _GRADED_RESPONSE, _graded_response)
DEATHS = OutcomeRule("deaths", _DEATHS, _deaths)
COUNT_RESULT = OutcomeRule("count_result", _COUNT_RESULT, _count_result)
NOT_ACHIEVED = OutcomeRule("not_achieved", _NOT_ACHIEVED, _not_achieved)
SIGN_IMPROVED = OutcomeRule("sign_improved", _SIGN_TAIL, _sign_improved)
MEASURES_THEN_VERB = OutcomeRule("measures_then_verb", _LIST_VERB, _measures_then_verb, _after_listed_measures, claims_unless_inside)
VERB_THEN_MEASURES = OutcomeRule("verb_then_measures", _VERB_FIRST, _verb_then_measures, claims=claims_unless_inside)
MODAL_CLAIM = OutcomeRule("modal_claim", _MODAL_VERB, _verb_then_measures, _in_conclusions, claims_unless_inside)
LEVEL_CHANGED = OutcomeRule("level_changed", _LEVEL_CHANGED, _level_changed, _around_level_words)
MEASURE_CHANGED = OutcomeRule("measure_changed", _CHANGED, _measure_changed, after_measures)
