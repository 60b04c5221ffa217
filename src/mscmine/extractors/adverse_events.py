"""Adverse events: negated or not, serious or not, with counts where stated.

``未观察到严重的不良事件`` (negated, serious), ``无副作用`` (negated), ``共报告了 141 例不良事件``
(count 141), ``其中 133 例为轻度或中度`` (count 133, not serious), ``18例患者出现超急性不良事件``
(count 18), ``所有不良事件认定与MSC移植无关`` (not negated; related False),
``未涉及患者出现不良反应及并发症的报道`` (negated), ``未见明显的毒性反应`` (negated).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .negation import context_of, find_cues

_AE_WORD = r"(?:严重(?:的)?)?(?:不良事件|不良反应|副作用|副反应|毒副作用|毒性反应|毒性|并发症|输注反应|移植相关(?:不良事件|死亡))"
_NEG_CUE = r"(?:未观察到|未发现|未出现|未见|未报告|未涉及|没有观察到|没有出现|没有|并未|均未|无|未)"

_NEGATED = regex.compile(rf"(?P<cue>{_NEG_CUE})(?P<mid>[^。;,，]{{0,16}}?)(?P<ae>{_AE_WORD})")
_COUNTED = regex.compile(
    rf"(?P<verb>报告了?|出现了?|发生了?|共有|共)?\s?(?P<n>\d{{1,5}})\s?例(?:患者)?\s?(?:出现|发生)?(?P<mid>[^。;,，\d]{{0,10}}?)(?P<ae>{_AE_WORD})"
)
_UNRELATED = regex.compile(rf"(?P<ae>(?:所有|全部)?{_AE_WORD})[^。;,，]{{0,16}}?(?:与[^。;,，]{{0,12}}?无关)")
_MILD = regex.compile(r"(?:其中)?\s?(?P<n>\d{1,5})\s?例为\s?(?:轻度或中度|轻至中度|轻中度|轻度|中度)")
_PLAIN = regex.compile(rf"(?P<verb>出现|发生|报告)(?P<mid>[^。;,，]{{0,8}}?)(?P<ae>{_AE_WORD})")


@dataclass(frozen=True)
class AdverseEventMatch:
    start: int
    end: int
    negated: bool
    serious: bool | None
    count: int | None
    related: bool | None = None

    def to_value(self) -> dict:
        out = {"negated": self.negated, "serious": self.serious, "count": self.count}
        if self.related is not None:
            out["related"] = self.related
        return out


def find_adverse_events(text: str) -> list[AdverseEventMatch]:
    """Adverse-event statements in normalised `text`, without overlaps, in text order."""
    out: list[AdverseEventMatch] = []

    def add(a: AdverseEventMatch) -> None:
        if not any(x.start < a.end and a.start < x.end for x in out):
            out.append(a)

    for m in _NEGATED.finditer(text):
        serious = True if "严重" in m.group() else None
        add(AdverseEventMatch(m.start(), m.end(), True, serious, None))
    for m in _COUNTED.finditer(text):
        start = m.start("verb") if m.group("verb") else m.start("n")
        add(AdverseEventMatch(start, m.end(), False, True if "严重" in m.group() else None, int(m.group("n"))))
    for m in _MILD.finditer(text):
        add(AdverseEventMatch(m.start("n"), m.end(), False, False, int(m.group("n"))))
    for m in _UNRELATED.finditer(text):
        add(AdverseEventMatch(m.start(), m.end(), False, None, None, related=False))
    cues = find_cues(text)
    for m in _PLAIN.finditer(text):
        neg = context_of(text, m.start(), m.end(), cues)["negated"]
        add(AdverseEventMatch(m.start(), m.end(), neg, True if "严重" in m.group() else None, None))
    return sorted(out, key=lambda a: a.start)
