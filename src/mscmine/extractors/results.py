"""Numeric results: the quantities of result sentences, each bound to the measure it reports, its
time point, its arm and, for a before → after result, the value before.

``SLEDAI评分由治疗前的15.75±3.2分降至24周时的8.8分`` gives 8.8 (baseline 15.75, SLEDAI, 24周);
``移植组80%(24/30)患者症状改善，对照组40%(12/30)`` gives 80 and 24 (treatment), 40 and 12
(control); ``3年无疾病活动生存率为63.64%`` gives 63.64; ``The level of serum CK decreased from
(1681±430) to (886±248) U/L`` gives 886 (baseline 1681, CK).

This reader works over `quantities.find_quantities`: it keeps the quantities of sentences that
report a result (`RESULT_CUE`) in the article's results, and drops those that are no result
(`NOT_A_RESULT`: statistics, thresholds, ages, dates, doses, time points, measure names with
digits). `extractors.outcomes` reads the forms it knows first; this reader adds the numbers it
left, so each result is one mention.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .outcomes import find_measures
from .quantities import Quantity, find_quantities
from .scope import is_control_arm
from .time_points import find_time_points

# a sentence that reports a result: a change, a level reached, a rate, responders
RESULT_CUE = regex.compile(
    r"降至|降到|下降|降低|减少|减至|减轻|升至|升到|升高|上升|增加|增至|提高|改善|好转|缓解|恢复|达到|达|"
    r"有效率|缓解率|生存率|存活率|应答率|复发|死亡|脱离|停用|转阴|消失|愈合|显效|无效|稳定|维持|"
    r"差异(?:均)?(?:有|具有)(?:统计学)?(?:意义|显著性)|差异(?:均)?显著|"
    r"率(?:分别)?(?:为|是|达到?)\s?\d|"  # "细胞组复发率为12.5%(3人)": a rate stated
    r"高于|低于|优于|多于|少于|分别为\s?[(（]?\d|"
    r"(?:起效|缓解|复发|植入|恢复|重建|应答|维持|持续|愈合)(?:的)?时间|峰值|"  # a time or a peak measured  # arms compared: "空腹C肽为(0.24±0.12) nmol/L，高于对照组的…"  # "治疗前(15.75±3.97)与治疗后4周(13.85±2.56)…差异有统计学意义"
    r"(?i:\b(?:decreased|increased|improved|reduced|declined|rose|fell|achieved|remission|relapse|relapsed|survival|response|responded|responders)\b)"
)
# where the methods end and the results begin, in a structured abstract or an article
_RESULTS_START = regex.compile(r"(?:^|[\s。】\]])(?:结果|Results?)\s?[】\]]?\s?[:：]?", regex.MULTILINE)
_CONCLUSION_START = regex.compile(r"(?:^|[\s。】\]])(?:结论|Conclusions?|关键词|Key\s?words)\s?[】\]]?\s?[:：]?", regex.MULTILINE)
_SENTENCE = regex.compile(r"[^。；;！？!?\n]+")
_DIGIT = regex.compile(r"\d")
# what right before a number makes it no result: a statistic, a threshold, a dose's power,
# a measure's own digits (DAS28, HbA1c, CD34), an ordinal
_BEFORE_NO_RESULT = regex.compile(
    r"(?:(?:[PpTtFZzr]|χ\^?2|I\^?2|I²)\s?[=<>≤≥]\s?|[<>≤≥]\s?|[A-Za-z\-]|(?:CI|OR|HR|RR)\s?[:：=为]?\s?|第\s?|×\s?|\^)$"
)
# ... and right after: an age, a date, a dose, a measure name with digits (a letter, but not the
# units d, wk, h: "12（9~21）d"), a time point's unit read as such
_AFTER_NO_RESULT = regex.compile(r"^(?:(?!(?:d|wk|h)(?![A-Za-z]))[A-Za-z]|\s?(?:岁|年[前后级]?\d|年龄|型|级|期|×\s?10|x\s?10|个?关节|项|篇|号|床|CI\b|可信区间|置信区间))")
_YEAR = regex.compile(r"^(?:19|20)\d{2}$")
_SCHEDULE_BEFORE = regex.compile(r"(?:每|周|天|日|月|年|输注|注射|给予|移植|回输|治疗|共)\s?$")
# a bare number is a result only right after a verb of reaching: "降至8.8", "为63.6"
_VALUE_BEFORE = regex.compile(r"(?:降至|降到|升至|升到|增至|减至|为|达|到|至|from|to)\s?$")
_DURATION_UNITS = {"天", "周", "个月", "月", "年"}
_FROM = regex.compile(r"(?:由|从|from)\s?(?:治疗前|基线|移植前|输注前|术前)?(?:的)?\s?$", regex.IGNORECASE)
_TO = regex.compile(r"^[^，。；;,]{0,16}?(?:降至|降到|下降至|下降到|下降为|减至|减少至|升至|升到|升高至|升高到|升高为|增至|增加至|增加到|提高至|提高到|上升至|上升到|至|到|为|→|\bto\b)\s?[^，。；;]{0,14}?$", regex.IGNORECASE)
# a sentence of background figures, no study's result: a prevalence, a projection, a statistic
# quoted from elsewhere ("全球类风湿关节炎患病率约1%", "预计2035年将升至…", "据统计…")
_BACKGROUND = regex.compile(
    r"患病率|流行率|患病人数|年发病率|每\s?10\s?万|/\s?10\s?万|预计(?:到)?\s?(?:19|20)\d{2}\s?年|(?:据|根据)[^。;；,，]{0,12}(?:统计|数据|调查)"
    r"|(?i:\bprevalence\b)"
)
# the arm a result is compared with: "低于非MSC组的30.6%", "高于对照组(45%)"; the second of a pair
# when the sentence names such an arm: "（MSC组与非MSC组）分别为21.3%和35.8%"
_COMPARED_WITH_BEFORE = regex.compile(r"(?:低于|高于|优于|差于|少于|多于|不及|好于)[^，,。;；]{0,12}?组(?:的|为)?\s?[(（]?\s?$")
_SECOND_OF_A_PAIR_BEFORE = regex.compile(r"分别(?:为|是|达)?\s?\d+(?:\.\d+)?\s?%?\s?(?:和|与|vs\.?)\s?$")
_OTHER_ARM = regex.compile(r"对照|安慰剂|非\s?(?:MSCs?|干细胞|细胞)|常规治疗组")


def _comparator_value(text: str, sentence_start: int, at: int) -> bool:
    """The value at `at` is the arm the cell-treated arm is compared with (a control arm however named)."""
    if _COMPARED_WITH_BEFORE.search(text, max(sentence_start, at - 24), at):
        return True
    return bool(_SECOND_OF_A_PAIR_BEFORE.search(text, max(sentence_start, at - 24), at)
                and _OTHER_ARM.search(text, sentence_start, at))


_TREATMENT_ARM = regex.compile(r"(?:治疗组|观察组|干细胞组|移植组|MSCs?组|试验组|细胞组)")


@dataclass(frozen=True)
class NumericResult:
    start: int
    end: int
    measure: str
    value: float
    unit: str | None
    baseline: float | None
    time_point: str | None
    arm: str | None  # "treatment", "control" or None (not separated)
    form: str  # the quantity form read ("mean_sd", "share_and_count", ...)
    n: int | None = None  # the denominator of a share ("80%(24/30)": 30)
    count: float | None = None  # the count beside a share ("80%(24/30)": 24)

    def to_value(self) -> dict:
        out = {"measure": self.measure, "value": self.value, "unit": self.unit, "negated": False,
               "basis": "numeric_result"}
        if self.baseline is not None:
            out["baseline"] = self.baseline
        if self.time_point:
            out["time_point"] = {"text": self.time_point}
        if self.arm:
            out["arm"] = self.arm
        if self.n is not None:
            out["n"] = self.n
        if self.count is not None:
            out["count"] = self.count
        return out


def results_regions(text: str) -> list[tuple[int, int]]:
    """Where results stand: from each "结果"/"Results" marker to the conclusion or discussion after
    it (the Chinese abstract's, the English abstract's, the body's "2 结果"); the whole text when
    it marks none."""
    regions: list[tuple[int, int]] = []
    for start in _RESULTS_START.finditer(text):
        if regions and start.start() < regions[-1][1]:
            continue  # inside the region before
        end = _CONCLUSION_START.search(text, start.end())
        regions.append((start.start(), end.start() if end else len(text)))
    return regions or [(0, len(text))]


def _no_result(text: str, q: Quantity, time_spans: list[tuple[int, int]]) -> bool:
    before = text[max(0, q.start - 6) : q.start]
    after = text[q.end : q.end + 6]
    if _BEFORE_NO_RESULT.search(before) or _AFTER_NO_RESULT.match(after):
        return True
    if q.form == "number" and _YEAR.match(text[q.start : q.end]):
        return True
    if q.unit == "次" and _SCHEDULE_BEFORE.search(before):
        return True  # a schedule ("每2周1次"), not a result
    if _TIME_MEASURE_BEFORE.search(text, max(0, q.start - 16), q.start):
        return False  # a time measured: "中位起效时间为14 d", "植入时间分别为12（9~21）d", "中位复发时间14个月"
    if q.unit in _DURATION_UNITS or any(a <= q.start < b for a, b in time_spans):
        return True  # a time point or duration ("治疗后6个月", "随访12个月"), not a value
    return q.form == "number" and not _VALUE_BEFORE.search(before)


# what a time that is itself the result is named: the time to response, to engraftment, to relapse
_TIME_MEASURE_BEFORE = regex.compile(
    r"(?:起效|缓解|复发|植入|恢复|重建|应答|维持|持续|愈合)(?:的)?时间(?:的)?(?:中位数|中位值|平均值?)?\s?(?:为|分别为|是|约为?)?\s?$")


def find_numeric_results(text: str) -> list[NumericResult]:
    """Numeric results of normalised `text` (see the module docstring)."""
    regions = results_regions(text)
    time_points = find_time_points(text)
    time_spans = [(t.start, t.end) for t in time_points]
    measures = find_measures(text)
    out: list[NumericResult] = []
    for sm in (sm for lo, hi in regions for sm in _SENTENCE.finditer(text, lo, hi)):
        sentence = sm.group()
        if not _DIGIT.search(sentence) or not RESULT_CUE.search(sentence) or _BACKGROUND.search(sentence):
            continue
        if "\t" in sentence:
            continue  # a table row ("女/38\t28/18\t62/67"): cells, which the table readers read
        qs = [q for q in find_quantities(text, sm.start(), sm.end()) if not _no_result(text, q, time_spans)]
        consumed: set[int] = set()
        for i, q in enumerate(qs):
            if i in consumed:
                continue
            baseline = None
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            if nxt is not None and _FROM.search(text, max(sm.start(), q.start - 12), q.start) \
                    and _TO.match(text[q.end : nxt.start]) and q.unit in (nxt.unit, None):
                baseline = q.value  # "由15.75分降至8.8分": one result, its value before
                consumed.add(i)
                q = nxt
                consumed.add(i + 1)
            measure = _measure_of(measures, text, sm.start(), sm.end(), q)
            tp = _time_point_before(time_points, text, sm.start(), q.start)
            arm = "control" if is_control_arm(text, q.start) or _comparator_value(text, sm.start(), q.start) else (
                "treatment" if _TREATMENT_ARM.search(text, sm.start(), q.start) else None)
            out.append(NumericResult(q.start, q.end, measure, q.value, q.unit, baseline, tp, arm, q.form, q.of, q.count))
    return out


_CLAUSE_END = regex.compile(r"[，,、]")


def _measure_of(measures: list[tuple[int, int, str]], text: str, start: int, end: int, q: Quantity) -> str:
    """The measure a quantity reports: the last named before it in its clause, else one named
    right after it ("10例完全缓解"), else the last named before it in its sentence."""
    clause_start = max([m.end() for m in _CLAUSE_END.finditer(text, start, q.start)] or [start])
    before = [code for a, b, code in measures if clause_start <= a and b <= q.start]
    if before:
        return before[-1]
    nxt = _CLAUSE_END.search(text, q.end, end)
    clause_end = nxt.start() if nxt else end
    after = [code for a, b, code in measures if q.end <= a < q.end + 8 and b <= clause_end]
    if after:
        return after[0]
    before = [code for a, b, code in measures if start <= a and b <= q.start]
    return before[-1] if before else "other"


# a time named right before a value, continuing a list of visits: "治疗后4周(13.9±2.6)、8周(12.1±2.6)"
_LISTED_TIME_BEFORE = regex.compile(r"[、,，和及与]\s?(?P<tp>(?:第\s?)?\d+(?:\.\d+)?\s?(?:周|个月|月|天|年)(?:时|后|末)?)\s?[(（]?\s?$")


def _time_point_before(time_points, text: str, sentence_start: int, at: int) -> str | None:
    listed = _LISTED_TIME_BEFORE.search(text, max(sentence_start, at - 16), at)
    if listed:
        return listed.group("tp")
    best = None
    for t in time_points:
        if sentence_start <= t.start and t.end <= at:
            best = text[t.start : t.end]
    return best
