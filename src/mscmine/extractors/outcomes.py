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
from functools import lru_cache

import regex

from ..lexicon import load_lexicons
from .negation import context_of, find_cues

_PCT = r"(?P<pct>\d+(?:\.\d+)?)\s?%"
_UP = r"提升|提高|上升|升高|增加|增至|升至"
_DOWN = r"下降|降低|减少|降至|减至"
_CHANGE_VERB = r"下降|上升|升高|降低|改善|好转|缓解|降至正常|降至|复发|死亡|减轻|愈合|消失|恢复正常|恢复|增加|减少"


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
def _measure_pattern() -> tuple[regex.Pattern, dict[str, str]]:
    lex = load_lexicons()["outcome"]
    forms = sorted((e for e in lex.entries if e.kind != "stop"), key=lambda e: -len(e.form))
    alts = []
    for e in forms:
        f = regex.escape(e.form)
        if e.form.isascii():
            f = rf"(?<![A-Za-z0-9]){f}(?![A-Za-z0-9])"
        alts.append(f)
    return regex.compile("|".join(alts)), {e.form: e.code for e in forms}


def find_measures(text: str) -> list[tuple[int, int, str]]:
    pattern, codes = _measure_pattern()
    return [(m.start(), m.end(), codes[m.group()]) for m in pattern.finditer(text)]


def _measure_in(text: str, start: int, end: int, default: str = "other") -> str:
    found = find_measures(text[start:end])
    return found[-1][2] if found else default


_RATE = regex.compile(
    rf"(?P<m>MEASURE)\s?(?:的)?\s?(?:分别)?(?:达到|达|为|是|约为|约|可达|仅为|仅|高达|只有)?\s?(?P<dir>{_UP}|{_DOWN})?(?:了|到|至)?\s?{_PCT}"
)
_FROM_TO = regex.compile(
    rf"(?P<m>MEASURE)\s?(?:由|从)\s?(?P<before>\d+(?:\.\d+)?)\s?%?\s?(?P<dir>{_UP}|{_DOWN})?(?:至|到|为)\s?{_PCT}"
)
_COUNT_PCT = regex.compile(
    rf"(?P<n>\d{{1,5}})\s?例\s?\(\s?{_PCT}\s?\)\s?(?:患者)?(?P<what>[^。;,，]{{0,24}}?)(?P<verb>{_CHANGE_VERB}|<\s?\d+(?:\.\d+)?)"
)
_DEATHS = regex.compile(r"(?P<n>\d{1,5})\s?例(?:患者)?\s?(?:均)?(?:死亡|病死)")
_SCORES = regex.compile(
    r"(?P<m>MEASURE)(?:评分)?\s?分别\s?(?:由|从)\s?(?P<before>[\d.]+(?:\s?[和、,]\s?[\d.]+)+)\s?(?:下降|降低|减少|上升|升高)(?:为|至|到)\s?(?P<after>[\d.]+(?:\s?[和、,]\s?[\d.]+)+)"
)
_CHANGED = regex.compile(rf"(?P<m>MEASURE)[^。;,，]{{0,12}}?(?:显著|明显|均|有所|逐渐)?(?P<verb>{_DOWN}|{_UP}|改善)")
_NOT_ACHIEVED = regex.compile(r"(?:未能|不能|未|没有)(?:诱导|达到|实现|获得)?(?P<what>病情缓解|临床缓解|完全缓解|缓解|改善\S{0,6}?疾病活动性)")

_NUMERIC_MEASURES = {"DAS28", "VAS", "ESR", "CRP", "SLEDAI", "mRSS", "HAQ", "ESSDAI", "RF", "anti_CCP", "anti_dsDNA", "proteinuria", "creatinine", "complement", "ACR20", "ACR50", "ACR70"}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, regex.Pattern]:
    measure, _ = _measure_pattern()
    m = f"(?:{measure.pattern})"
    return {
        "rate": regex.compile(_RATE.pattern.replace("MEASURE", m)),
        "from_to": regex.compile(_FROM_TO.pattern.replace("MEASURE", m)),
        "scores": regex.compile(_SCORES.pattern.replace("MEASURE", m)),
        "changed": regex.compile(_CHANGED.pattern.replace("MEASURE", m)),
    }


def _code(surface: str) -> str:
    return _measure_pattern()[1].get(surface, "other")


def find_outcomes(text: str) -> list[OutcomeMatch]:
    """Outcome results in normalised `text`, without overlaps, in text order."""
    pats = _patterns()
    cues = find_cues(text)
    out: list[OutcomeMatch] = []

    def add(o: OutcomeMatch) -> None:
        if not any(x.start < o.end and o.start < x.end for x in out):
            out.append(o)

    for m in pats["from_to"].finditer(text):
        d = m.group("dir") or ""
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("pct")), "%", False,
                         "up" if regex.match(_UP, d) else "down" if d else None, {"before": float(m.group("before"))}))
    for m in pats["scores"].finditer(text):
        before = [float(x) for x in regex.findall(r"[\d.]+", m.group("before"))]
        after = [float(x) for x in regex.findall(r"[\d.]+", m.group("after"))]
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), None, "score", False, "down" if after < before else "up",
                         {"before": before, "after": after}))
    for m in _COUNT_PCT.finditer(text):
        verb = m.group("verb")
        what = m.group("what") + verb
        measure = "relapse" if "复发" in what else "mortality" if "死亡" in what else _measure_in(what, 0, len(what))
        direction = "down" if regex.search(_DOWN, verb) or verb.startswith("<") else "up" if regex.search(_UP, verb) else None
        extra = {"count": int(m.group("n"))}
        if verb.startswith("<"):
            extra["threshold"] = verb
        add(OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, direction, extra))
    for m in pats["rate"].finditer(text):
        d = m.group("dir") or ""
        add(OutcomeMatch(m.start(), m.end(), _code(m.group("m")), float(m.group("pct")), "%",
                         context_of(text, m.start(), m.end(), cues)["negated"],
                         "up" if regex.match(_UP, d) else "down" if d else None))
    for m in _DEATHS.finditer(text):
        add(OutcomeMatch(m.start(), m.end(), "mortality", float(m.group("n")), "count"))
    for m in _NOT_ACHIEVED.finditer(text):
        add(OutcomeMatch(m.start(), m.end(), "remission_rate", None, None, True))
    for m in pats["changed"].finditer(text):
        code = _code(m.group("m"))
        if code not in _NUMERIC_MEASURES:
            continue
        verb = m.group("verb")
        neg = context_of(text, m.start(), m.end(), cues)["negated"]
        add(OutcomeMatch(m.start(), m.end(), code, None, None, neg, "down" if regex.match(_DOWN, verb) else "up" if regex.match(_UP, verb) else None))
    return sorted(out, key=lambda o: o.start)
