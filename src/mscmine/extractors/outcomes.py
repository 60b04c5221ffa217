"""Efficacy and safety results: rates, counts and named measures, with direction and negation.

Forms (normalised text):

* a rate: ``完全缓解率达 50%``, ``总生存率为 92.5%``, ``复发率25%``, ``死亡率下降29%``;
* a change: ``有效率从 53.3% 提升至 93.3%`` (value = the final 93.3, ``before`` = 53.3);
* a count with its percentage and what happened: ``42例(91%)疾病活动指数评分下降``,
  ``7例(9%)出现病情复发``;
* a count of deaths: ``1例死亡``, ``14例患者死亡``;
* before/after scores: ``疾病活动指数分别由2.7和3.6下降为1.2和2.5``;
* a threshold reached: ``13例(62%)28个关节疾病活动度评分<2.6``;
* a named measure that changed without a number: ``DAS28 … 显著降低`` (value None);
* not achieved: ``未能诱导病情缓解`` (negated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from functools import lru_cache

import regex

from ..lexicon import alternation, load_lexicons
from .cues import ALL_OF_THEM, ENROL_VERB, RESPONDED, direction_of
from ..scan import finditer_near
from .negation import context_of, find_cues

_PCT = r"(?P<pct>\d+(?:\.\d+)?)\s?%"
_UP = alternation("DIRECTION_UP")
_DOWN = alternation("DIRECTION_DOWN")
_NUMBER_CHARS = regex.compile(r"[\d.]+")
_CHANGE_VERB = alternation("CHANGE_VERB")


@dataclass(frozen=True)
class OutcomeMatch:
    start: int
    end: int
    measure: str
    value: float | None
    unit: str | None
    negated: bool = False
    direction: str | None = None
    extra: dict = field(default_factory=dict)

    def to_value(self) -> dict:
        out = {"measure": self.measure, "value": self.value, "unit": self.unit, "negated": self.negated}
        if self.direction:
            out["direction"] = self.direction
        out.update(self.extra)
        return out


@lru_cache(maxsize=1)
def _measure_codes() -> dict[str, str]:
    """Measure name → code, from lexicons/outcome.tsv."""
    return {e.form: e.code for e in load_lexicons()["outcome"].entries if e.kind != "stop"}


@lru_cache(maxsize=1)
def _measure_parts() -> tuple:
    """The measure names split into a Chinese half (stdlib `re`) and a Latin half (`regex`):
    one mixed alternation defeats the engines' literal optimisations (see terms.py)."""
    import re

    lex = load_lexicons()["outcome"]
    # stop forms take part (a longer word that contains a measure: 血小板减少症) and are dropped
    # by `find_measures`
    forms = sorted(lex.entries, key=lambda e: (-len(e.form), e.form))
    han, latin = [], []
    for e in forms:
        if e.form.isascii():
            latin.append(rf"(?<![A-Za-z0-9]){regex.escape(e.form)}(?![A-Za-z0-9])")
        else:
            f = re.escape(e.form)
            # "28 个关节疾病活动度评分": papers (and PDF text) put a space between digits and Han
            # and between Latin and Han: "改良 Rodnan 皮肤评分"
            han.append(regex.sub(r"(?<=[\dA-Za-z])(?=\p{Han})|(?<=\p{Han})(?=[\dA-Za-z])", r"\\s?", f))
    parts = []
    if han:
        parts.append(re.compile("|".join(han)))
    if latin:
        parts.append(regex.compile("|".join(latin)))
    return tuple(parts)


@lru_cache(maxsize=64)  # a text's measures are asked by the outcome forms and by the numeric results
def find_measures(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, code) of every measure name in `text`, leftmost-longest, without overlaps."""
    from ..terms import _scan

    stops = _measure_stops()
    return tuple((a, b, _code(surface)) for a, b, surface in _scan(_measure_parts(), text) if regex.sub(r"\s", "", surface) not in stops)


@lru_cache(maxsize=1)
def _measure_stops() -> frozenset[str]:
    return frozenset(e.form for e in load_lexicons()["outcome"].entries if e.kind == "stop")


class _MeasureMatch:
    """A measure name followed by a tail pattern, read like one match of "(?P<m>MEASURE)TAIL"."""

    def __init__(self, text: str, start: int, end: int, tail) -> None:
        self._m, self._tail, self._start = text[start:end], tail, start

    def start(self, group: str | None = None) -> int:
        return self._start if group in (None, "m") else self._tail.start(group)

    def end(self) -> int:
        return self._tail.end()

    def group(self, name: str | None = None):
        if name is None:
            return self._m + self._tail.group()
        return self._m if name == "m" else self._tail.group(name)

    def groupdict(self) -> dict:
        return {"m": self._m, **self._tail.groupdict()}

    def captures(self, name: str) -> list[str]:
        return self._tail.captures(name)


def _after_measures(text: str, measures: list[tuple[int, int, str]], tail: regex.Pattern) -> list[_MeasureMatch]:
    """Measures followed by `tail`; the tail may also start after the measure's parenthesised
    abbreviation ("改良Rodnan皮肤评分(mRSS)由…") or after the parenthesis an abbreviation closes."""
    out = []
    for a, b, _ in measures:
        starts = [b]
        after_paren = _skip_parenthesis(text, b, limit=40)
        if after_paren != b:
            starts.append(after_paren)
        if text[b : b + 1] in (")", "）"):
            starts.append(b + 1)
        for pos in starts:
            t = tail.match(text, pos)
            if t:
                out.append(_MeasureMatch(text, a, b, t))
                break
    return out


def measure_in(text: str, start: int, end: int, default: str = "other") -> str:
    """The measure ``text[start:end]`` names last (`default` when none); records use it for
    outcome-table column names too."""
    found = find_measures(text[start:end])  # codes via _code: spaced forms too
    return found[-1][2] if found else default


_RATE = regex.compile(
    # "ACR20 达标率为 53.3%": a rate word the lexicon leaves to the measure before it
    rf"\s?(?:达标率|应答率|反应率|改善率|发生率)?\s?(?:的)?\s?(?:两组|三组|各组)?\s?(?:分别)?(?:达到|达|为|是|约为|约|可达|仅为|仅|高达|只有|较高|较低|高|低)?\s?(?P<dir>{_UP}|{_DOWN})?(?:了|到|至)?\s?"
    # a range gives its upper end: "移植相关死亡率高(2%~17%)"
    rf"[(（]?\s?(?:\d+(?:\.\d+)?\s?%?\s?[~～\-–至]\s?)?{_PCT}"
    # two arms: "总有效率分别为 93.33% 和 73.33%" (the first is kept as the value)
    r"(?:\s?(?:和|与|、|及|vs\.?)\s?(?P<pct2>\d+(?:\.\d+)?)\s?%)?"
    r"(?:\s?(?:和|与|、|及)\s?(?P<more>\d+(?:\.\d+)?)\s?%)*"  # "分别为77.4%、70.0%和51.7%"
)
# the arms a results clause lists before its measure: "高剂量组、低剂量组和对照组的总缓解率分别为…"
_ARM_LIST = regex.compile(r"(?P<arm>[\p{Han}A-Za-z\d]{1,6}组)(?:\s?(?:、|和|与|及)\s?(?P<arm>[\p{Han}A-Za-z\d]{1,6}组))+(?:的)?\s?(?:总体|整体|总)?\s?$")
_CONTROL_ARM = regex.compile(r"对照|安慰剂|非MSC|常规")
_FROM_TO = regex.compile(
    rf"\s?(?:由|从)\s?(?P<before>\d+(?:\.\d+)?)\s?%?\s?(?P<dir>{_UP}|{_DOWN})?(?:至|到|为)\s?{_PCT}"
)
_COUNT_PCT = regex.compile(
    rf"(?P<n>\d{{1,5}})\s?例\s?\(\s?{_PCT}\s?\)\s?(?:患者)?(?P<what>[^。;,，]{{0,24}}?)(?P<verb>{_CHANGE_VERB}|<\s?\d+(?:\.\d+)?)"
)
# one score before and after: "DAS28评分由(5.8±0.7)分降至(3.2±0.6)分" (means; the SD is dropped)
_MEAN = (r"[(（]?\s?(?P<{g}>\d+(?:\.\d+)?)(?:\s?±\s?\d+(?:\.\d+)?)?\s?[)）]?\s?"
         r"(?P<{g}_unit>分|g/24\s?h|g/d|mg/24\s?h|mL/min|ml/min|mg/dl|mg/dL|mg/L|ng/mL|ng/ml|pg/mL|pg/ml|μmol/L|umol/L|mmol/L|mm/h|U/L|IU/mL|mm|cm|g|%)?")
_SCORE_FROM_TO = regex.compile(
    # "(平均)由 6.4 分降至 3.9 分", "中位数从 … 提高到 …"
    r"\s?(?:评分|积分|指数|分值|分数|得分)?\s?(?:平均|均值?|中位数?)?\s?(?:由|从)\s?(?:基线(?:时)?的?|治疗前的?)?\s?" + _MEAN.format(g="before")
    + rf"\s?(?:显著|明显)?(?P<dir>{_DOWN}|{_UP})(?:至|到|为)?\s?" + _MEAN.format(g="after")
)
# a value reached: "mRSS降至19分，12个月降至16分" (the last), "FVC升至预计值的68%"; "为" only after a
# time after treatment ("治疗后3个月mRSS为30分"), as a baseline is stated the same way
_VALUE_UNIT = r"(?P<unit>分|%|g/24\s?h|g/d|mg/24\s?h|mL/min|ml/min|mg/dL|mg/L|ng/mL|pg/mL|μmol/L|umol/L|mmol/L|nmol/L|pmol/L|g/L|mm/h|U/L|IU/mL|×10\^9/L)?"
_TO_VALUE = regex.compile(
    # "SLEDAI评分治疗后为(5.2±1.3)分": a time after treatment between the measure and the value
    r"\s?(?:评分|积分|指数|分值)?\s?(?P<after>(?:治疗|移植|输注|注射)后(?:第?\s?\d+\s?(?:个月|周|年|天))?|第\s?\d+\s?(?:个月|周|年|天)(?:时)?)?\s?(?:均值?|平均|中位数?|中位值)?\s?(?P<dir>降至|减至|降到|下降至|下降到|升至|增至|升到|上升至|上升到|提高至|提高到|回落至|回升至|(?P<be>为))"
    r"\s?(?:预计值的|正常值的)?\s?[(（]?(?P<v>\d+(?:\.\d+)?)(?:\s?±\s?\d+(?:\.\d+)?)?\s?[)）]?(?:\s?[(（][\d.\s~～\-]+[)）])?\s?" + _VALUE_UNIT +
    # "，12个月降至16分", "，第12个月为16(8~29)分": later time points, the last value kept
    r"(?:[,，]\s?第?\s?\d+\s?(?:个月|周|年|天)(?:时|后)?\s?(?:降至|升至|减至|增至|为)\s?(?P<v>\d+(?:\.\d+)?)(?:\s?[(（][\d.\s~～\-]+[)）])?\s?(?:分|%)?)*"
)
_AFTER_TREATMENT_TIME = regex.compile(r"(?:治疗|移植|输注|注射)后\s?(?:第\s?)?\d+\s?(?:个月|周|年|天)|\d+\s?(?:个月|周)(?:时|后)")
# a count before and after: "抗dsDNA抗体阳性由18例降至9例"
_COUNT_FROM_TO = regex.compile(
    rf"[^。;,，\d]{{0,6}}?\s?(?:由|从)\s?(?P<before>\d{{1,5}})\s?例\s?(?P<dir>{_DOWN}|{_UP})(?:至|到)?\s?(?P<n>\d{{1,5}})\s?例"
)
# responders counted: "ACR20达标者仅3例", "EULAR 良好应答者11例"
_RESPONDERS = regex.compile(rf"\s?(?:{RESPONDED})者\s?(?:仅|共|有|为)?\s?(?P<n>\d{{1,5}})\s?例")
# responders counted without a named measure: "按EULAR标准达到良好或中等应答者11例(61.1%)" (only
# the kinds that name a response or a remission: "改善者" without a measure says nothing of which)
_RESPONDER_KINDS = r"应答|缓解|有效|达标"
_RESPONDER_COUNT = regex.compile(
    rf"(?:达到|获得)?[^。;,，]{{0,12}}?(?P<kind>{_RESPONDER_KINDS})者\s?(?:仅|共|有|为)?\s?(?P<n>\d{{1,5}})\s?例(?:\s?[(（]\s?{_PCT}\s?[)）])?"
)
# a rate against the control arm: "联合缓解率高于对照组[53.8%比35.2%"
_RATE_VS = regex.compile(rf"\s?(?:明显|显著)?(?P<dir>高于|低于|优于)(?:对照组|安慰剂组)\s?[\[(（]\s?{_PCT}")
# The incidence and the responder count are tried only near a word every match holds
# (`mscmine.scan.finditer_near`): they start with a free stretch (the English patterns scan faster
# on their own: windows around common words cost more)
_INCIDENCE_WORD = re.compile(r"发生率|发生比例")
_RESPONDER_WORD = re.compile(rf"(?:{_RESPONDER_KINDS})者")
# English, after any measure of the lexicon: "the SLEDAI score fell from 12.6±3.8 to 5.1±2.4",
# "SLEDAI-2K decreased from 10 to 4"
_ENGLISH_FROM_TO = regex.compile(
    r"(?:-?\w+)?(?:\s+(?:scores?|levels?|values?))?\s+"
    r"(?P<verb>fell|decreased|declined|dropped|improved|increased|rose)\s+from\s+(?P<before>\d+(?:\.\d+)?)(?:\s?±\s?\d+(?:\.\d+)?)?"
    r"\s+to\s+(?P<after>\d+(?:\.\d+)?)",
    regex.IGNORECASE,
)
# "分别" pairs a list of measures with a list of values: "DAS28、HAQ评分分别降至3.1分和0.8分",
# "ACR20/50/70达标率分别为60%、35%、15%"
_RESPECTIVELY = regex.compile(
    r"分别\s?(?:为|是|达|达到|降至|减至|升至|增至|下降至|上升至|下降|上升|降低|升高)?\s?"
    r"(?P<vals>\d+(?:\.\d+)?\s?(?:%|分)?(?:\s?(?:、|,|，|和|及|与)\s?\d+(?:\.\d+)?\s?(?:%|分)?)+)"
)
_ACR_SERIES = regex.compile(r"(?<![A-Za-z])ACR\s?(?P<a>20|50|70)(?:\s?/\s?(?P<b>20|50|70))(?:\s?/\s?(?P<c>20|50|70))?")
# a modal claim on measures in an abstract's conclusion ("结论 …可改善SSc患者的mRSS和肺功能")
_MODAL_VERB = regex.compile(rf"(?:可|能够|能|可以)\s?(?:显著|明显|有效)?\s?(?P<verb>{_DOWN}|{_UP}|改善|减轻)\s?(?:[\p{{Han}}A-Za-z]{{0,10}}?(?:患者的?|的))?")

# a pooled effect: "总有效率提高(RR=1.35, 95%CI 1.18~1.54)", "SLEDAI 评分降低 (MD = -2.1 …)"
_EFFECT = regex.compile(
    rf"[^。;；,，(（]{{0,10}}?(?P<dir>{_UP}|{_DOWN})?\s?[(（]\s?(?P<stat>RR|OR|MD|SMD|WMD|HR|rr|or)\s?[=＝]\s?(?P<v>-?\d+(?:\.\d+)?)"
    r"(?:[^)）]{0,40}[)）])?"
)
# graded responses counted: "完全缓解 6 例，部分缓解 10 例", "显效 12 例"
_GRADED_RESPONSE = regex.compile(
    r"(?P<kind>完全缓解|部分缓解|临床缓解|联合缓解|总缓解|持续缓解|显效|有效|(?<![A-Za-z])(?:CR|PR)(?![A-Za-z]))"
    r"(?:\s?[(（][^()（）]{1,30}[)）])?\s?(?P<n>\d{1,5})\s?例"  # "临床缓解（CDAI<150分）9例"
    r"(?:\s?[(（]\s?(?P<pct>\d+(?:\.\d+)?)\s?%\s?[)）])?"  # "CR 14例（45.2%）": the share is the value
)
# English abstracts: "The remission rate was 60%", "SLEDAI scores decreased significantly"
_ENGLISH_RATE = regex.compile(
    r"(?P<m>(?:complete\s+|partial\s+|clinical\s+|overall\s+)?(?:remission|response|survival|relapse|mortality|effective|recurrence))"
    r"\s+(?:rates?\s+(?:was|were|of|reached|is|at)?|was|were|reached)\s*(?P<pct>\d+(?:\.\d+)?)\s?%",
    regex.IGNORECASE,
)
# "a significant improvement in DAS28", "marked reductions in proteinuria and SLEDAI"
_ENGLISH_IMPROVEMENT = regex.compile(
    r"\b(?:significant|marked|substantial)\s+(?P<verb>improvement|reduction|decrease|increase|decline)s?\s+in\s+(?:the\s+)?"
    r"(?P<m>SLEDAI|DAS28|VAS|ESR|CRP|mRSS|HAQ|ESSDAI|BASDAI|EDSS|HbA1c|WOMAC|proteinuria|anti-dsDNA|creatinine)",
    regex.IGNORECASE,
)
_ENGLISH_MEASURES = {"remission": "remission_rate", "response": "response_rate", "effective": "response_rate",
                     "survival": "survival_rate", "relapse": "relapse", "recurrence": "relapse", "mortality": "mortality"}
_ENGLISH_CHANGED = regex.compile(
    r"(?<![A-Za-z])(?P<m>SLEDAI|DAS28|VAS|ESR|CRP|mRSS|HAQ|ESSDAI|proteinuria|anti-dsDNA|creatinine)(?:-?\w+)?"
    r"(?:\s+(?:scores?|levels?|values?))?\s+(?:were\s+|was\s+)?(?:significantly\s+|markedly\s+|obviously\s+)?"
    r"(?P<verb>decreased|reduced|declined|improved|increased|elevated)\b",
    regex.IGNORECASE,
)
_DEATHS = regex.compile(r"(?P<n>\d{1,5})\s?例(?:患者)?\s?(?:于[^。;；,，例]{1,10}?)?(?:均)?(?:死亡|病死)|(?:^|(?<=[组,，:：。;；\s]))死亡\s?(?P<n>\d{1,5})\s?例")
_SCORES = regex.compile(
    r"(?:评分)?\s?分别\s?(?:由|从)\s?(?P<before>[\d.]+(?:\s?[和、,]\s?[\d.]+)+)\s?(?:下降|降低|减少|上升|升高)(?:为|至|到)\s?(?P<after>[\d.]+(?:\s?[和、,]\s?[\d.]+)+)"
)
# "ESSDAI 评分较基线平均下降 4.3 分": the change, when stated, is kept beside the direction
# "…显著低于治疗前", "…高于对照组": a comparison states the direction as well as a verb does
_BELOW, _ABOVE = r"低于(?:治疗前|基线|移植前|输注前|对照组|安慰剂组)", r"(?:高于|优于)(?:治疗前|基线|移植前|输注前|对照组|安慰剂组)"
_CHANGED = regex.compile(
    rf"[^。;,，]{{0,12}}?(?:显著|明显|均|有所|逐渐)?(?P<verb>{_DOWN}|{_UP}|改善|{_BELOW}|{_ABOVE}|转阴|转为阴性)"
    r"(?:了)?(?:\s?约?\s?(?P<delta>\d+(?:\.\d+)?)\s?(?P<dunit>分|%|个百分点))?"
)
_NOT_ACHIEVED = regex.compile(
    r"(?:未能|不能|未|没有)(?:诱导|达到|实现|获得)?(?P<what>病情缓解|临床缓解|完全缓解|缓解"
    r"|(?:改善|阻止|延缓|控制)[^。;；,，]{0,10}?(?:疾病活动性|疾病活动度|病情进展|病情))"
)
# an organ or sign that got better: "肾功能明显改善", "生物学指标、肾功能明显改善", "皮肤厚度减少";
# found from the literal ending ("功能…改善"), the name then read backwards (fast)
_SIGN_TAIL = regex.compile(
    r"(?:功能|指标|症状|体征|厚度|硬化|压力|溃疡|溃疡面|皮损|瘘管|水肿)(?:与移植前比|与治疗前比|较前|较治疗前)?(?:均)?(?:明显|显著|有所|逐渐|完全|基本)?"
    r"(?P<verb>改善|好转|减轻|恢复正常|恢复|减少|愈合|闭合|未见(?:明显|显著)?改善)"
)
_SIGN_NAME = regex.compile(r"(?:\p{Han}{1,6}(?:功能|指标)、)*\p{Han}{1,6}$")

# "9例合并肾功能不全患者移植后血肌酐下降", "1例RA患者移植5个月后病情复发", "9 名患者症状好转":
# a count of patients and what happened to them, without a percentage
_COUNT_RESULT = regex.compile(
    r"(?<![\d.])(?P<n>\d{1,5})\s?(?:例|名|位)(?!\s?次)\s?(?P<what>[^。;；,，:：例%()（）]{0,30}?)"
    r"(?P<verb>(?:实现|达到|获得|满足|符合)(?:了)?\s?ACR\s?(?:20|50|70)\s?(?:标准|反应|应答|改善)?|(?:实现|达到|获得)(?:了)?(?:长期|完全|临床|部分)?缓解|复发|反弹|好转|改善|缓解|临床应答|应答|下降|上升|升高|降低|减轻|愈合|消失|恢复正常|恢复|加重|进展"
    r"|未再(?:有|出现)?[^。;；,，]{1,8}?(?=[。;；,，]))"
)
_REMISSION_KIND = regex.compile(r"临床|完全|部分|持续|维持|疾病")
_AE_IN_RESULT = regex.compile(r"不良|副作用|并发症|出现|发生")
# English abstracts: "7 (9%) of the 76 patients relapsed", "including 1 death"
_ENGLISH_COUNT_PCT = regex.compile(
    r"(?<![\w.])(?P<n>\d{1,5})\s?\((?P<pct>\d+(?:\.\d+)?)%\)(?:\sof\sthe\s\d+\s(?:patients|cases))?\s(?P<verb>relapsed|died|improved|responded|achieved (?:complete |clinical )?remission)",
    regex.IGNORECASE,
)
_ENGLISH_DEATHS = regex.compile(r"(?<![\w.])(?P<n>\d{1,5})\s(?:deaths?\b|patients? died\b)", regex.IGNORECASE)
# a verb, then the measures it changed: "降低了干燥综合征疾病活动指数(…)和VAS"
_VERB_FIRST = regex.compile(rf"(?P<verb>{_DOWN}|{_UP}|改善|减轻)了\s?")
_LIST_FILLER = regex.compile(r"\s?(?:、|,|，|和|及|与|以及|或|水平|评分|积分|指标|指数)\s?")
_HAN = regex.compile(r"\p{Han}+")
_UNKNOWN_ITEM = regex.compile(r"[\p{Han}A-Za-z0-9\-]{1,10}(?=[(（])")
_NO_CHANGE = (r"无(?:显著|明显)?(?:变化|差异|改变)|未见(?:明显|显著)?(?:升高|降低|变化|增加|改善|好转)|未(?:增加|升高|降低)"
              r"|差异(?:均)?无(?:统计学)?(?:意义|差异)|无统计学(?:意义|差异)")
_NO_CHANGE_RE = regex.compile(_NO_CHANGE)
# "…均较治疗前改善", "…治疗前后比较差异无统计学意义", "…与基线相比显著下降"
_COMPARED = r"(?:治疗前后|两组间?|组间)?\s?(?:比较)?\s?(?:均|也)?\s?(?:较(?:治疗前|基线|移植前|输注前|前)|与(?:治疗前|基线|移植前)(?:相比|比较)[,，]?)?"
_LIST_VERB = regex.compile(rf"\s?{_COMPARED}\s?(?:均|也)?\s?(?:显著|明显|有所|逐渐|均)?\s?(?P<verb>{_NO_CHANGE}|{_DOWN}|{_UP}|改善)"
                           r"(?:了)?(?:\s?约?\s?(?P<delta>\d+(?:\.\d+)?)\s?(?P<dunit>分|%))?")
# how often something happened in the treated patients, in a results sentence (arms, a P value):
# "MSC组Ⅱ~Ⅳ度aGVHD发生率为17.7%", "3年cGVHD累积发生率分别为21.3%和35.8%(P=0.032)"
_INCIDENCE = regex.compile(
    rf"(?P<what>(?:(?![组的])[\p{{Han}}A-Za-z~～Ⅰ-Ⅳ\-]){{1,14}}?)(?:的)?(?:累积)?(?:发生率|发生比例)(?:分别)?(?:为|是|达)?\s?{_PCT}"
)
_RESULT_SENTENCE = regex.compile(r"组|P\s?[=<＜≤]|χ2|χ\^2|χ²")
_AE_WORDS_IN = regex.compile(r"不良|副作用|副反应|毒性|并发症")
# any measure compared with the control arm, no value: "总缓解率高于对照组（χ²=4.35）"
_VS_CONTROL = regex.compile(r"\s?(?:明显|显著)?(?P<dir>高于|低于|优于)(?:对照组|安慰剂组)(?!\s?[\[(（]\s?\d)")
# lesions counted: "15个活动性指端溃疡中11个愈合"
_LESIONS_HEALED = regex.compile(r"(?P<of>\d{1,4})\s?[个处][^。;；,，]{0,10}?中\s?(?P<n>\d{1,4})\s?[个处](?:溃疡|皮损|瘘管)?(?:完全)?(?P<verb>愈合|闭合|消失|好转)")
_ENGLISH_N_OF_M = regex.compile(
    r"(?<![\w.])(?P<n>\d{1,4})\s+of\s+(?:the\s+)?(?P<of>\d{1,4})\s+(?:[a-z\-]+\s+){0,3}?(?P<verb>healed|closed|improved|responded|resolved)\b", regex.IGNORECASE)
# a rate changed by points: "总缓解率提高约26个百分点"
_RATE_POINTS = regex.compile(rf"\s?(?P<dir>{_UP}|{_DOWN})了?\s?约?\s?(?P<v>\d+(?:\.\d+)?)\s?个百分点")
# a named substance's level changed, where the lexicon has no measure for it:
# "BAFF 和 APRIL 的血浆水平显著下降", "IFN- γ 水平升高", "IL-4水平显著降低"
_MARKER = r"[A-Za-z][A-Za-z0-9]*(?:\s?-\s?(?:[A-Za-z0-9]+|[αβγ]))?(?:\s?[αβγ])?"
_LEVEL_CHANGED = regex.compile(
    rf"(?<![A-Za-z0-9])(?P<m>{_MARKER}(?:\s?(?:和|、|及|与)\s?{_MARKER})*)\s?(?:的)?(?:血浆|血清|外周血)?(?:中)?\s?(?:水平|浓度)"
    rf"\s?(?:均|也)?(?:显著|明显|有所)?\s?(?P<verb>{_UP}|{_DOWN})"
)

_NUMERIC_MEASURES = {"DAS28", "VAS", "ESR", "CRP", "SLEDAI", "mRSS", "HAQ", "ESSDAI", "RF", "anti_CCP", "anti_dsDNA", "proteinuria", "creatinine", "complement", "ACR20", "ACR50", "ACR70",
                      "ASDAS", "BASDAI", "BASFI", "BILAG", "CDAI", "C_peptide", "DLCO", "EDSS", "ESSPRI", "FVC", "HbA1c", "hemoglobin", "insulin_dose",
                      "KOOS", "Lysholm", "Mayo", "MMT8", "PASI", "PDAI", "salivary_flow", "Schirmer", "WOMAC",
                      "ALT", "AST", "ALP", "GGT", "IgG", "ferritin", "platelets"}


def _code(surface: str) -> str:
    codes = _measure_codes()
    return codes.get(surface) or codes.get(regex.sub(r"\s", "", surface), "other")


_LEVEL_WORD = regex.compile(r"水平|浓度")


def _level_changes(text: str) -> list:
    """_LEVEL_CHANGED matches, searched only around "水平/浓度" (a Latin-first pattern is slow to
    try at every letter of a long text)."""
    out, last_end = [], 0
    for w in _LEVEL_WORD.finditer(text):
        m = _LEVEL_CHANGED.search(text, max(last_end, w.start() - 60), min(len(text), w.end() + 12))
        if m and m.start() <= w.start() < m.end():
            out.append(m)
            last_end = m.end()
    return out


def _skip_parenthesis(text: str, j: int, limit: int = 80) -> int:
    """Index after the parenthesised group that opens at text[j], or j when none closes soon."""
    close = {"(": ")", "（": "）"}.get(text[j : j + 1])
    if not close:
        return j
    k = text.find(close, j + 1, j + limit)
    return k + 1 if k >= 0 else j


def _measure_at(measures: list[tuple[int, int, str]], j: int) -> tuple[int, int, str] | None:
    for m in measures:
        if m[0] == j:
            return m
    return None


def _listed_measures_changed(text: str, measures: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """Measures listed before one verb, each spanning to the verb:
    "DAS28 (…)、VAS (…) 和 ESR (…) 显著降低" → three results, all "down"."""
    out = []
    for start, end, code in measures:
        j = end
        for _ in range(12):  # at most a dozen list items and fillers
            j2 = _skip_parenthesis(text, j if text[j : j + 1] != " " else j + 1)
            if j2 != (j if text[j : j + 1] != " " else j + 1):
                j = j2
                continue
            nxt = _measure_at(measures, j) or _measure_at(measures, j + 1)
            if nxt:
                j = nxt[1]
                continue
            # a measure with a qualifier the lexicon does not hold: "腰背痛VAS", "血清C3"
            if text[j - 1 : j] in ("、", "及", "和", "与", ",", "，"):
                nxt = next((m for k in range(1, 5) if _HAN.fullmatch(text, j, j + k) for m in [_measure_at(measures, j + k)] if m), None)
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
                j = _skip_parenthesis(text, u.end())
                continue
            break
        v = _LIST_VERB.match(text, j)
        if v:
            out.append((start, v.end(), code, v.group("verb"), v.group("delta"), v.group("dunit")))
    return out


_CONCLUSION = regex.compile(r"(?:结论|Conclusions?)\s?[:：]?")


def _in_conclusion(text: str, i: int) -> bool:
    """Whether text[i] is in the conclusion of an abstract ("结论 UC-MSCs可降低…"): there a
    "可降低 X" restates the article's result; elsewhere it is a claim from the background."""
    return _CONCLUSION.search(text, text.rfind("\n", 0, i) + 1, i) is not None


def _verb_then_measures(text: str, measures: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """ "降低了干燥综合征疾病活动指数(…)和VAS" → one result per measure, from the verb to the measure."""
    out = []
    modal = [v for v in _MODAL_VERB.finditer(text) if _in_conclusion(text, v.start())]
    for v in (*_VERB_FIRST.finditer(text), *modal):
        j = v.end()
        for _ in range(12):
            m = _measure_at(measures, j)
            if m:
                j = _skip_parenthesis(text, m[1])
                out.append((v.start(), j, m[2], v.group("verb"), None, None))
                continue
            f = _LIST_FILLER.match(text, j)
            if f and f.end() > j:
                j = f.end()
                continue
            break
    return out


def _respectively(text: str, measures: list[tuple[int, int, str]]) -> list[OutcomeMatch]:
    """Measures paired in order with the values "分别" gives them; each result runs from its own
    measure to its own value (the spans nest, as the results do)."""
    out = []
    for r in _RESPECTIVELY.finditer(text):
        vals = list(regex.finditer(r"(?P<v>\d+(?:\.\d+)?)\s?(?P<u>%|分)?", r.group("vals")))
        # the measures before 分别, back to the clause start: lexicon names, or an ACR series
        clause_start = max(text.rfind(c, 0, r.start()) for c in "。;；,，\n") + 1
        named: list[tuple[int, str]] = []
        acr = None
        for a in _ACR_SERIES.finditer(text, clause_start, r.start()):
            acr = a
        if acr is not None:
            for g in ("a", "b", "c"):
                if acr.group(g):
                    named.append((acr.start(g) if g != "a" else acr.start(), f"ACR{acr.group(g)}"))
        else:
            named = [(a, code) for a, b, code in measures if clause_start <= a and b <= r.start()]
        if len(named) < 2 or len(named) != len(vals):
            continue
        direction = direction_of(r.group())
        for (start, code), v in zip(named, vals):
            unit = "%" if v.group("u") == "%" else "score" if v.group("u") == "分" else None
            end = r.start("vals") + v.end()
            out.append(OutcomeMatch(start, end, code, float(v.group("v")), unit, False, direction))
    return out


def _per_arm_values(text: str, start: int, m, values: list[str]) -> list[tuple[int, float]]:
    """(end, value) for each cell-treated arm when the clause lists as many arms as "分别" gives
    values ("高剂量组、低剂量组和对照组的总缓解率分别为77.4%、70.0%和51.7%"); [] otherwise."""
    if len(values) < 2 or "分别" not in m.group():
        return []
    clause_start = max(text.rfind(c, 0, start) for c in "。;；,，\n") + 1
    arms = _ARM_LIST.search(text, clause_start, start)
    if arms is None or len(arms.captures("arm")) != len(values):
        return []
    ends = [mm.end() for mm in regex.finditer(r"\d+(?:\.\d+)?\s?%", text[m.start() : m.end()])]
    if len(ends) != len(values):
        return []
    return [(m.start() + e, float(v)) for arm, e, v in zip(arms.captures("arm"), ends, values) if not _CONTROL_ARM.search(arm)]


def find_outcomes(text: str) -> list[OutcomeMatch]:
    """Outcome results in normalised `text`, without overlaps, in text order."""
    measures = find_measures(text)
    cues = find_cues(text)
    out: list[OutcomeMatch] = []

    def add(o: OutcomeMatch) -> None:
        if not any(x.start < o.end and o.start < x.end for x in out):
            out.append(o)

    for m in _after_measures(text, measures, _FROM_TO):
        d = m.group("dir") or ""
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("pct")), "%", False,
                         direction_of(d, at_start=True), {"before": float(m.group("before"))}))
    for m in _after_measures(text, measures, _SCORE_FROM_TO):
        before, after = float(m.group("before")), float(m.group("after"))
        unit = m.group("after_unit") or m.group("before_unit")
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), after, "score" if unit in (None, "分") else unit, False,
                         "down" if after < before else "up" if after > before else None, {"before": before}))
    for m in _after_measures(text, measures, _TO_VALUE):
        if m.group("be") and not m.group("after") and not _AFTER_TREATMENT_TIME.search(text, max(0, m.start() - 20), m.start()):
            continue  # "DAS28评分为5.6分" at baseline
        code = _code(m.group("m"))
        if code not in _NUMERIC_MEASURES:
            continue
        unit = m.group("unit")
        d = m.group("dir")
        add(OutcomeMatch(m.start(), m.end(), code, float(m.captures("v")[-1]), "score" if unit in (None, "分") else unit, False,
                         direction_of(d, at_start=True)))
    for m in finditer_near(_INCIDENCE, text, _INCIDENCE_WORD, 20, 20):
        what = m.group("what")
        if _AE_WORDS_IN.search(what):
            continue  # adverse-event rates are ADVERSE_EVENT mentions
        s0 = max(text.rfind(c, 0, m.start()) for c in "。;；\n") + 1
        s1 = min([i for i in (text.find(c, m.end()) for c in "。;；\n") if i >= 0] + [len(text)])
        if not _RESULT_SENTENCE.search(text, s0, s1):
            continue  # "我国SLE的发生率为…": background, not a result
        add(OutcomeMatch(m.start("what"), m.end(), measure_in(what, 0, len(what)), float(m.group("pct")), "%"))
    for m in _after_measures(text, measures, _VS_CONTROL):
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), None, None, False, "down" if m.group("dir") == "低于" else "up"))
    for m in _LESIONS_HEALED.finditer(text):
        add(OutcomeMatch(m.start(), m.end(), "other", float(m.group("n")), "count", False, None, {"of": int(m.group("of"))}))
    for m in _ENGLISH_N_OF_M.finditer(text):
        add(OutcomeMatch(m.start(), m.end(), "other", float(m.group("n")), "count", False, None, {"of": int(m.group("of"))}))
    for m in _after_measures(text, measures, _RATE_POINTS):
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("v")), "%", False,
                         direction_of(m.group("dir"), at_start=True) or "up", {"change_unit": "points"}))
    for m in _after_measures(text, measures, _COUNT_FROM_TO):
        d = m.group("dir")
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("n")), "count", False,
                         direction_of(d, at_start=True) or "up", {"before": float(m.group("before"))}))
    for m in _after_measures(text, measures, _RESPONDERS):
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("n")), "count"))
    for m in _after_measures(text, measures, _ENGLISH_FROM_TO):
        code = _code(m.group("m"))
        if code not in _NUMERIC_MEASURES:
            continue
        before, after = float(m.group("before")), float(m.group("after"))
        add(OutcomeMatch(m.start(), m.end(), code, after, "score", False,
                         "down" if after < before else "up" if after > before else None, {"before": before}))
    out.extend([o for o in _respectively(text, measures) if not any(x.start < o.end and o.start < x.end for x in out)])
    for m in _after_measures(text, measures, _RATE_VS):
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("pct")), "%", False,
                         "down" if m.group("dir") == "低于" else "up"))
    for m in finditer_near(_RESPONDER_COUNT, text, _RESPONDER_WORD, 24, 30):
        measure = "remission_rate" if m.group("kind") == "缓解" else "response_rate"
        if m.group("pct"):
            add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, None, {"count": int(m.group("n"))}))
        else:
            add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("n")), "count"))
    for m in _after_measures(text, measures, _SCORES):
        before = [float(x) for x in _NUMBER_CHARS.findall(m.group("before"))]
        after = [float(x) for x in _NUMBER_CHARS.findall(m.group("after"))]
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), None, "score", False, "down" if after < before else "up",
                         {"before": before, "after": after}))
    for m in _COUNT_PCT.finditer(text):
        verb = m.group("verb")
        what = m.group("what") + verb
        measure = ("relapse" if "复发" in what else "mortality" if "死亡" in what
                   else "remission_rate" if "缓解" in verb and regex.search(r"达到|获得|实现|完全|临床|部分", what) else measure_in(what, 0, len(what)))
        direction = "down" if verb.startswith("<") else direction_of(verb)
        extra = {"count": int(m.group("n"))}
        if verb.startswith("<"):
            extra["threshold"] = verb
        add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, direction, extra))
    for m in _ENGLISH_COUNT_PCT.finditer(text):
        verb = m.group("verb").lower()
        measure = "relapse" if verb == "relapsed" else "mortality" if verb == "died" else "remission_rate" if "remission" in verb else "other"
        add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, None, {"count": int(m.group("n"))}))
    for m in _ENGLISH_RATE.finditer(text):
        key = m.group("m").split()[-1].lower()
        add(OutcomeMatch(m.start(), m.end(), _ENGLISH_MEASURES[key], float(m.group("pct")), "%"))
    for m in _ENGLISH_CHANGED.finditer(text):
        code = _code(m.group("m")) if _code(m.group("m")) != "other" else {"proteinuria": "proteinuria", "anti-dsdna": "anti_dsDNA",
                                                                          "creatinine": "creatinine"}.get(m.group("m").lower(), "other")
        verb = m.group("verb").lower()
        add(OutcomeMatch(m.start(), m.end(), code, None, None, False, "up" if verb in ("increased", "elevated") else
                         "down" if verb != "improved" else None))
    for m in _ENGLISH_IMPROVEMENT.finditer(text):
        code = _code(m.group("m")) if _code(m.group("m")) != "other" else {"proteinuria": "proteinuria", "anti-dsdna": "anti_dsDNA",
                                                                          "creatinine": "creatinine"}.get(m.group("m").lower(), "other")
        verb = m.group("verb").lower()
        add(OutcomeMatch(m.start(), m.end(), code, None, None, False, "up" if verb == "increase" else "down" if verb != "improvement" else None))
    for m in _ENGLISH_DEATHS.finditer(text):
        add(OutcomeMatch(m.start(), m.end(), "mortality", float(m.group("n")), "count"))
    for m in _after_measures(text, measures, _EFFECT):
        d = m.group("dir") or ""
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("v")), m.group("stat").upper(), False,
                         direction_of(d, at_start=True)))
    for m in _after_measures(text, measures, _RATE):
        d = m.group("dir") or ""
        start, code = m.start(), _code(m.group("m"))
        acr = regex.search(r"(?<![A-Za-z])ACR\s?(?P<k>20|50|70)\s?$", text[max(0, start - 8) : start])
        if acr and code in ("remission_rate", "response_rate"):
            # "ACR20缓解率为53.3%": the rate of an ACR response is that ACR measure
            start, code = start - len(acr.group()), f"ACR{acr.group('k')}"
        values = [m.group("pct")] + ([m.group("pct2")] if m.group("pct2") else []) + m.captures("more")
        extra = {"values": [float(v) for v in values]} if len(values) > 1 else {}
        neg = context_of(text, m.start(), m.end(), cues)["negated"]
        direction = direction_of(d, at_start=True)
        per_arm = _per_arm_values(text, start, m, values)
        if per_arm:  # one result for each arm given cells, ending at its own value
            for end, value in per_arm:
                out.append(OutcomeMatch(start, end, code, value, "%", neg, direction, extra))
            continue
        add(OutcomeMatch(start, m.end(), code, float(m.group("pct")), "%", neg, direction, extra))
    for m in _GRADED_RESPONSE.finditer(text):
        kind = m.group("kind")
        measure = "remission_rate" if "缓解" in kind or kind in ("CR", "PR") else "response_rate"
        if m.group("pct"):
            add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, None, {"grade": kind, "count": int(m.group("n"))}))
        else:
            add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("n")), "count", False, None, {"grade": kind}))
    for m in _DEATHS.finditer(text):
        add(OutcomeMatch(m.start(), m.end(), "mortality", float(m.group("n")), "count"))
    for m in _COUNT_RESULT.finditer(text):
        what, verb = m.group("what"), m.group("verb")
        if ENROL_VERB.search(what) or ALL_OF_THEM.search(what) or _AE_IN_RESULT.search(what + verb):
            continue
        if "复发" in verb or "复发" in what or verb == "反弹":
            measure = "relapse"  # "2例尿蛋白反弹": the disease came back
        elif "缓解" in verb and (regex.match(r"实现|达到|获得", verb) or _REMISSION_KIND.search(what + verb)):
            measure = "remission_rate"  # "3例临床缓解", "8例维持低疾病活动度或临床缓解"
        elif "应答" in verb:
            measure = "response_rate"  # "7例临床应答"
        else:
            measure = measure_in(what + verb, 0, len(what + verb))
            if measure in ("relapse", "remission_rate", "response_rate", "adverse_events"):
                measure = "other"
        direction = direction_of(verb)
        add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("n")), "count", False, direction))
    for m in _NOT_ACHIEVED.finditer(text):
        what = m.group("what")
        if "缓解" in what:
            measure = "remission_rate"
        elif "疾病活动" in what and regex.search(r"SLE|系统性红斑狼疮|狼疮", what):
            measure = "SLEDAI"  # the disease-activity index of SLE
        else:
            measure = "other"
        add(OutcomeMatch(m.start(), m.end(), measure, None, None, True))
    for t in _SIGN_TAIL.finditer(text):
        window_start = max(0, t.start() - 40)
        name = _SIGN_NAME.search(text, window_start, t.start())
        if name is None:
            continue
        start, end = name.start(), t.end()
        if context_of(text, start, end, cues)["hedged"]:
            continue  # "可能改善肾功能": a possibility, not a result
        what = text[start : t.start()]
        add(OutcomeMatch(start, end, measure_in(what, 0, len(what)), None, None, context_of(text, start, end, cues)["negated"],
                         direction_of(t.group("verb"), at_start=True) or "up"))
    listed = []
    for start, end, code, verb, delta, dunit in _listed_measures_changed(text, measures) + _verb_then_measures(text, measures):
        if code in ("adverse_events", "relapse", "mortality", "survival_rate", "response_rate", "remission_rate"):
            continue
        if any(x.start <= start and end <= x.end and x not in listed for x in out) or any(x.start == start and x.end == end for x in listed):
            continue
        if any(x.measure == code and x.end == end and x.start < start for x in listed):
            continue  # "C3、C4 无显著变化": one result for the one measure the list names twice
        neg = context_of(text, start, end, cues)["negated"] or bool(_NO_CHANGE_RE.match(verb))
        # measures listed before one verb share its end: their spans nest, as the results do
        value, unit = (float(delta), "score" if dunit == "分" else "%") if delta else (None, None)  # "…评分下降52%"
        listed.append(OutcomeMatch(start, end, code, value, unit, neg, direction_of(verb, at_start=True)))
    out.extend(listed)
    for m in _level_changes(text):
        if any(x.start <= m.start() < x.end for x in out):
            continue
        verb = m.group("verb")
        add(OutcomeMatch(m.start(), m.end(), "other", None, None, context_of(text, m.start(), m.end(), cues)["negated"],
                         direction_of(verb, at_start=True) or "up"))
    for m in _after_measures(text, measures, _CHANGED):
        code = _code(m.group("m"))
        if code not in _NUMERIC_MEASURES:
            continue
        verb = m.group("verb")
        neg = context_of(text, m.start(), m.end(), cues)["negated"]
        direction = ("down" if verb.startswith(("低于", "转")) else "up" if verb.startswith(("高于", "优于")) else
                     direction_of(verb, at_start=True))
        extra = {}
        value = unit = None
        if m.group("delta"):
            delta = float(m.group("delta"))
            unit = "score" if m.group("dunit") == "分" else "%"  # 个百分点: points of a percentage
            extra = {"change": -delta if direction == "down" else delta, "change_unit": unit if m.group("dunit") != "个百分点" else "points"}
            value = delta  # "VAS评分下降52%": the change is the result stated
        add(OutcomeMatch(m.start(), m.end(), code, value, unit, neg, direction, extra))
    return sorted(out, key=lambda o: o.start)
