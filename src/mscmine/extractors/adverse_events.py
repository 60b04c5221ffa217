"""Adverse events: negated or not, serious or not, with counts where stated.

``未观察到严重的不良事件`` (negated, serious), ``无副作用`` (negated), ``共报告了 141 例不良事件``
(count 141), ``其中 133 例为轻度或中度`` (count 133, not serious), ``18例患者出现超急性不良事件``
(count 18), ``所有不良事件认定与MSC移植无关`` (not negated; related False),
``未涉及患者出现不良反应及并发症的报道`` (negated), ``未见明显的毒性反应`` (negated), and
overall safety conclusions as a kind of their own: ``安全性良好``, ``安全可行``, ``耐受性良好``
(``kind: "safety_conclusion"``; the corpus guidelines leave them unmarked, so `mscmine eval` of
the corpus does not score them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..lexicon import alternation, load_lexicons
from ..scan import finditer_near
from .negation import context_of, find_cues

#: events that make an adverse event serious when they are reported (or denied)
SERIOUS_EVENTS = frozenset({"malignancy", "thromboembolism", "death"})


#: the cues that say an event was not seen ("未观察到", "均未出现", "没有"): each one begins with
#: a forward existence cue of lexicons/negation.tsv, so ConText negates what follows it too
_NOT_SEEN = alternation("NOT_SEEN")


@lru_cache(maxsize=1)
def _event_patterns() -> tuple[dict[str, str], dict[str, regex.Pattern]]:
    """Event names from lexicons/adverse_event.tsv and the patterns built around them."""
    entries = load_lexicons()["adverse_event"].entries
    code_of = {e.form: e.code for e in entries if e.kind != "stop"}
    event = "(?:" + "|".join(regex.escape(f) for f in sorted(code_of, key=lambda f: (-len(f), f))) + ")"
    joiner = r"(?:、|和|及|与|或|,|，|以及)"
    modifier = r"(?:一过性|短暂(?:的)?|轻度|轻微(?:的)?|中度|重度|严重(?:的)?|反复)?"
    count = r"(?:\s?[(（]\s?\d+\s?(?:例|人次)(?:次)?\s?[)）]|\s?\d+\s?(?:例|人次)(?:次)?)?"  # "发热(3例)", "潮红2例", "发热4人次"
    listed = rf"{modifier}{event}{count}(?:\s?{joiner}\s?{modifier}{event}{count})*"
    patterns = {
        # "15例患者出现带状疱疹", "2例发生肺部感染", "3例于输注当天出现发热"
        # "1例诉头痛", "1例因肺部感染退出研究"
        # "4名受试者于第二次输注后约1小时出现发热"
        "counted": regex.compile(rf"(?P<n>\d{{1,5}})\s?(?:例|名|位)(?:患者|病人)?[^。;；,，例名]{{0,24}}?(?:出现|发生|诉|因)了?\s?[^。;；,，\d]{{0,6}}?(?P<list>{listed})(?:症状|等)?"),
        # an event and its count with a share, in a safety section: "乏力1例(4.8%)"
        # or in a list of such: "治疗组发热3例、头痛2例，均自行缓解"
        "event_count": regex.compile(
            rf"(?:(?<![\p{{Han}}])|(?<=[组者]))(?P<list>{modifier}{event})\s?(?P<n>\d{{1,5}})\s?例"
            rf"(?=\s?[(（]\s?\d+(?:\.\d+)?\s?%|\s?[、,，]\s?{modifier}{event}\s?\d{{1,5}}\s?例)"
            rf"|(?<=\d\s?例\s?[、,，]\s?)(?P<list>{modifier}{event})\s?(?P<n>\d{{1,5}})\s?例"
        ),
        # English: "Transient fever occurred in 3 patients"
        "english_count": regex.compile(
            r"(?i:(?:transient\s+|mild\s+)?(?P<list>fever|headache|rash|chills|nausea|fatigue|infection)s?\s+(?:occurred|developed|was\s+reported)\s+in\s+(?P<n>\d{1,5}))"
        ),
        # English, the count after "in": "(fever in 2, headache in 1 and rash in 1 patient)"
        "english_in": regex.compile(
            r"(?i:(?<![A-Za-z])(?P<list>fever|headache|rash|chills|nausea|fatigue|infection|dizziness|vomiting)s?\s+in\s+(?P<n>\d{1,5})(?![\d.%]))"
        ),
        # the count after the events: "发生输注相关反应6人次", "出现皮疹2例"
        "counted_after": regex.compile(rf"(?:出现|发生)了?\s?(?P<list>{listed})\s?(?P<n>\d{{1,5}})\s?(?:例|人次)"),
        # "最常见的不良事件为发烧、呼吸道感染…和不适", "不良反应包括发热和头痛"
        "listing": regex.compile(
            rf"(?:最常见的|常见的|主要的?)?(?:不良事件|不良反应|副作用|并发症)(?:主要)?(?:为|是|包括|有|表现为|以)\s?(?P<list>{listed})"
        ),
        # "没有恶性肿瘤、血栓栓塞事件或死亡", "未出现发热、皮疹"
        "negated": regex.compile(rf"{_NOT_SEEN}(?:与[^。;；,，]{{1,12}}?(?:相关|有关)的)?\s?(?P<list>{listed})"),
        # "出现恶心、呕吐症状"
        "plain": regex.compile(rf"(?:出现|发生)了?\s?(?P<list>{listed})(?:等)?症状"),
        # after a treatment: "输注后 2 h 内出现一过性低热" (in background prose 出现发热 is a symptom of disease)
        "after_treatment": regex.compile(
            rf"(?:输注|移植|注射|回输|治疗)(?:后|过程中|期间|当天|当日|次日)"
            rf"(?:[^。;；,，]{{0,12}}?(?P<v>出现|发生|继发)了?|[^。;；,，、]{{0,6}}?)\s?(?P<list>{listed})"
            # without a verb, an event that got better is a symptom of the disease: "输注后…疲劳均有改善"
            r"(?(v)|(?![^。;；,，]{0,6}(?:改善|好转|减轻|缓解|消失|恢复)))"
        ),
    }
    return code_of, patterns


def _events_in(text: str) -> list[str]:
    """Event codes named in `text`, in text order, each once (longest name wins)."""
    code_of, _ = _event_patterns()
    found: list[str] = []
    for m in _event_name_pattern().finditer(text):
        code = code_of[m.group()]
        if code not in found:
            found.append(code)
    return found


@lru_cache(maxsize=1)
def _event_name_pattern() -> regex.Pattern:
    code_of, _ = _event_patterns()
    return regex.compile("|".join(regex.escape(f) for f in sorted(code_of, key=lambda f: (-len(f), f))))


_AE_WORD = r"(?:严重(?:的)?)?(?:不良事件|不良反应|副作用|副反应|毒副作用|毒性反应|毒性|并发症|输注(?:相关)?反应|移植相关(?:不良事件|死亡))"

_NEGATED = regex.compile(rf"(?P<cue>{_NOT_SEEN})(?P<mid>[^。;,，]{{0,16}}?)(?P<ae>{_AE_WORD})")
_COUNTED = regex.compile(
    rf"(?P<verb>报告了?|出现了?|发生了?|共有|共)?\s?(?P<n>\d{{1,5}})\s?例(?:\s?[(（]\s?\d+(?:\.\d+)?\s?%\s?[)）])?(?:患者)?\s?(?:出现|发生)?(?P<mid>[^。;,，\d]{{0,10}}?)(?P<ae>{_AE_WORD})"
)
# not one death: "无1例死亡", "未见一例患者死亡"
_NO_DEATH = regex.compile(r"(?:无|未见|没有)\s?(?:1|一)\s?例(?:患者)?(?:出现|发生)?死亡")
_UNRELATED = regex.compile(rf"(?P<ae>(?:所有|全部)?{_AE_WORD})[^。;,，]{{0,16}}?(?:与[^。;,，]{{0,12}}?无关)")
# arms compared: "不良反应发生率两组差异无统计学意义", "两组不良事件发生率相当"
_NO_DIFFERENCE = regex.compile(
    rf"(?P<ae>{_AE_WORD})(?:的)?(?:发生率|发生情况)[^。;；]{{0,12}}?(?:差异无统计学意义|无统计学差异|无显著差异|无明显差异|差异不显著|相当|相似)"
    rf"|两组(?P<ae2>{_AE_WORD})(?:的)?(?:发生率|发生情况)(?:相当|相似|无差异)"
)
# a rate, its count in brackets: "不良事件发生率为12.0%(3/25)", "不良反应发生率分别为42.9%(117/273)和…"
_RATE = regex.compile(
    rf"(?P<ae>{_AE_WORD})(?:的)?(?:总)?发生率(?:分别)?(?:为|是|达|仅为)?\s?\d+(?:\.\d+)?\s?%(?:\s?[(（]\s?(?P<n>\d{{1,5}})\s?/\s?\d{{1,5}}\s?[)）])?"
)
# arms compared: "不良事件明显少于对照组", "且不增加不良事件风险"
_FEWER = regex.compile(rf"(?P<ae>{_AE_WORD})(?:的)?(?:发生率)?(?:明显|显著)?(?:少于|低于|多于|高于)(?:对照组|安慰剂组|对照)")
_NOT_MORE = regex.compile(rf"(?:不增加|未增加|没有增加)(?P<ae>{_AE_WORD})(?:的)?(?:风险|发生率)")
# events said to be few or mild, without a count: "并发症较少", "不良反应轻微"
_FEW = regex.compile(rf"(?P<ae>{_AE_WORD})(?:的)?(?:发生率)?(?:较少|很少|少见|较低|较轻|轻微)")
# organ harm denied: "心、肝、肾功能均未见损害", "主要脏器无损伤" (unchanged laboratory values are no statement)
_ORGANS_UNHARMED = regex.compile(r"(?:肝|肾|心|肺|脏器|器官)[^。;；,，]{0,8}?(?:功能)?(?:均)?(?:无|未见|未出现|没有)(?:明显)?(?:的)?(?:损害|损伤|毒性)")
_MILD = regex.compile(r"(?:其中)?\s?(?P<n>\d{1,5})\s?例为\s?(?:轻度或中度|轻至中度|轻中度|轻度|中度)")
# English abstracts: "no adverse reactions or complications occurred", "without serious adverse events"
_ENGLISH_AE = r"(?:adverse (?:events?|reactions?|effects?)|side[ -]effects?|complications?|toxicit(?:y|ies)|thrombo\w*\s(?:events?|complications?))"
_ENGLISH_NEGATED = regex.compile(
    rf"\b(?:no|without|free of|did not (?:observe|find|report))\s(?P<sev>(?:serious|severe|major|obvious|significant)\s)?(?:[\w-]+\s){{0,2}}?"
    rf"{_ENGLISH_AE}(?:\s(?:or|and)\s(?:(?:serious|severe)\s)?{_ENGLISH_AE})?",
    regex.IGNORECASE,
)
_ENGLISH_RATE = regex.compile(rf"\b{_ENGLISH_AE}\s+(?:occurred|were reported|were observed|developed)\s+in\s+\d+(?:\.\d+)?\s?%", regex.IGNORECASE)
_PLAIN = regex.compile(rf"(?P<verb>出现|发生|报告)(?P<mid>[^。;,，]{{0,8}}?)(?P<ae>{_AE_WORD})")
# an overall safety conclusion about the treated patients: "安全性良好", "具有良好的安全性",
# "安全可行", "是安全的", "耐受性良好", "均能耐受", "safe and well tolerated" (not an aim:
# "观察其疗效及安全性"; not a question still open: "安全性仍需进一步研究")
_SAFETY = regex.compile(
    r"(?:安全性|耐受性)(?:和(?:有效性|耐受性|安全性))?(?:均|较|都)?(?:良好|较好|很好|好|高|可靠|可)"
    r"|(?:具有|显示出?|表现出|展现出)?(?:良好|较好|很好|较高|更好|更高)的(?:安全性|耐受性)"
    r"|具(?:有)?(?:安全性|耐受性)(?=[。;；,，\s]|$)"
    r"|(?<!是否)安全(?:且|而)?(?:有效|可行|可靠)(?:的)?"
    r"|(?:是|均|较为|十分|非常|相对)安全(?:的)?(?=[。;；,，\s]|$)"
    r"|(?<=对[^。;；,，]{1,12}?(?:患者|病人|人体))(?:是|均|都)?安全(?:的)?(?=[。;；,，\s]|$)"  # "该方案对类风湿关节炎患者安全"
    r"|(?:均能|均可|能够|可以|良好)耐受"
    r"|(?i:\b(?:was|were|is|are|be|proved|appeared)\s(?:\w+\s)?(?:safe|well[- ]tolerated)\b|\bsafe\sand\s(?:feasible|effective|well[- ]tolerated)\b)"
)
# every safety conclusion holds one of these: the pattern is searched only near them
_SAFETY_ANCHOR = re.compile(r"安全|耐受|safe|tolerated", re.IGNORECASE)
_SAFETY_NOT_A_CONCLUSION = regex.compile(r"(?:探讨|观察|评价|评估|旨在|目的|是否|分析)[^。;；]{0,30}$")
_SAFETY_OPEN = regex.compile(r"^[^。;；]{0,6}(?:仍需|有待|尚需|需要进一步|需进一步|尚不明确|尚待)")


@dataclass(frozen=True)
class AdverseEventMatch:
    start: int
    end: int
    negated: bool
    serious: bool | None
    count: int | None
    related: bool | None = None
    events: tuple[str, ...] = field(default=())  # codes of lexicons/adverse_event.tsv
    differs: bool | None = None  # between arms, where the text compares them
    kind: str = "events"  # "events" (reported, denied, counted) or "safety_conclusion" ("安全性良好")

    def to_value(self) -> dict:
        out = {"negated": self.negated, "serious": self.serious, "count": self.count}
        if self.kind != "events":
            out["kind"] = self.kind
        if self.related is not None:
            out["related"] = self.related
        if self.events:
            out["events"] = list(self.events)
        if self.differs is not None:
            out["differs_between_arms"] = self.differs
        return out


_DISEASE_COURSE_AFTER = regex.compile(r"\s?(?:复发|进展|恶化|加重)")
_LISTED_COUNT = regex.compile(r"(\d+)\s?例")
_NEAR = {
    "event_count": (re.compile(r"\d\s?例"), 24, 40),  # "发热3例、头痛2例"
    "english_count": (re.compile(r"occurred|developed|reported", re.IGNORECASE), 40, 16),  # "fever occurred in 3"
    "english_in": (re.compile(r"\sin\s\d"), 16, 8),  # "fever in 2"
}


def find_adverse_events(text: str) -> list[AdverseEventMatch]:
    """Adverse-event statements in normalised `text`, without overlaps, in text order."""
    out: list[AdverseEventMatch] = []

    def add(a: AdverseEventMatch) -> None:
        if not any(x.start < a.end and a.start < x.end for x in out):
            out.append(a)

    for m in _NO_DEATH.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), True, True, None, events=("death",)))
    for m in _NEGATED.finditer(text):
        serious = True if "严重" in m.group() else None
        add(AdverseEventMatch(m.start(), m.end(), True, serious, None))
    for m in _COUNTED.finditer(text):
        start = m.start("verb") if m.group("verb") else m.start("n")
        add(AdverseEventMatch(start, m.end(), False, True if "严重" in m.group() else None, int(m.group("n"))))
    for m in _RATE.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, True if "严重" in m.group("ae") else None, int(m.group("n")) if m.group("n") else None))
    for m in _FEWER.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, None, None, differs=True))
    for m in _NOT_MORE.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, None, None, differs=False))
    for m in _ENGLISH_RATE.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, None, None))
    for m in _FEW.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, None, None))
    for m in _ORGANS_UNHARMED.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), True, None, None))
    for m in _MILD.finditer(text):
        add(AdverseEventMatch(m.start("n"), m.end(), False, False, int(m.group("n"))))
    for m in _NO_DIFFERENCE.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, True if "严重" in m.group() else None, None, differs=False))
    for m in _UNRELATED.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, None, None, related=False))
    for m in _ENGLISH_NEGATED.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), True, True if m.group("sev") else None, None))
    _, named = _event_patterns()
    for kind in ("counted", "counted_after", "listing", "negated", "plain", "after_treatment", "event_count", "english_count",
                 "english_in"):
        near = _NEAR.get(kind)  # patterns slow to try everywhere are searched near their literal
        for m in (finditer_near(named[kind], text, near[0], near[1], near[2]) if near else named[kind].finditer(text)):
            events = tuple(_events_in(m.group("list"))) if not kind.startswith("english") else (m.group("list").lower().rstrip("s"),)
            if kind in ("counted", "counted_after", "event_count") and events[:1] == ("death",):
                continue  # "14例患者死亡" is a mortality outcome
            if _DISEASE_COURSE_AFTER.match(text, m.end()):
                continue  # "3例因肿瘤复发死亡": the disease's course, an outcome, no adverse event
            serious = True if SERIOUS_EVENTS & set(events) or "严重" in m.group() else None
            count = int(m.group("n")) if kind in ("counted", "counted_after", "event_count", "english_count", "english_in") else None
            if kind in ("listing", "after_treatment", "plain") and count is None:  # "…潮红2例、头晕1例": the counts add up
                counts = [int(x) for x in _LISTED_COUNT.findall(m.group("list"))]
                count = sum(counts) if counts else None
            start = m.start()
            if kind == "after_treatment":
                start = m.start("v") if m.group("v") else m.start("list")
            add(AdverseEventMatch(start, m.end(), kind == "negated", serious, count, events=events))
    cues = find_cues(text)
    for m in _PLAIN.finditer(text):
        neg = context_of(text, m.start(), m.end(), cues)["negated"]
        add(AdverseEventMatch(m.start(), m.end(), neg, True if "严重" in m.group() else None, None))
    for m in finditer_near(_SAFETY, text, _SAFETY_ANCHOR, 8, 24):
        if _SAFETY_NOT_A_CONCLUSION.search(text, max(0, m.start() - 30), m.start()) or _SAFETY_OPEN.match(text, m.end()):
            continue
        add(AdverseEventMatch(m.start(), m.end(), False, None, None, kind="safety_conclusion"))
    from dataclasses import replace

    out = [a if a.events else replace(a, events=tuple(_events_in(text[a.start : a.end]))) for a in out]
    return _one_conclusion_a_sentence(text, sorted(out, key=lambda a: a.start))


_SENTENCE_STOP = re.compile(r"[。;；!?！？\n]")


def _one_conclusion_a_sentence(text: str, found: list[AdverseEventMatch]) -> list[AdverseEventMatch]:
    """Safety conclusions of one sentence are one statement ("是安全的,受试者耐受性良好"): the
    guidelines count a sentence's safety conclusion once."""
    from dataclasses import replace

    out: list[AdverseEventMatch] = []
    for a in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == a.kind == "safety_conclusion"
                and not _SENTENCE_STOP.search(text, prev.end, a.start)):
            out[-1] = replace(prev, end=a.end)
        else:
            out.append(a)
    return out
