"""Follow-up duration in months: ``随访 12 个月``, ``随访 0.5-26 个月``, ``第 4 年随访`` (48),
``6 年随访``, ``在 1,6,12 个月进行随访`` (12: the longest time point), ``随访1年`` (12).

The evidence span runs from the number to the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .numbers import parse_int, to_months

_N = r"\d+(?:\.\d+)?|[一二两三四五六七八九十半]{1,3}"
_UNIT = r"个月|月|年|周|天"
_RANGE = rf"(?P<lo>{_N})(?:\s?(?:-|~|至|到)\s?(?P<hi>{_N}))?\s?(?P<unit>{_UNIT})"

_PATTERNS = [
    # 随访(时间/期)(为/了/长达) 12 个月
    regex.compile(rf"随访(?:时间|期|期间)?(?:为|了|长达|达|共|约|平均|中位)?\s?(?:时间)?(?:为)?\s?(?P<span>{_RANGE})"),
    # 第 4 年随访 / 第12个月随访
    regex.compile(rf"第\s?(?P<span>(?P<lo>{_N})\s?(?P<unit>{_UNIT}))(?:的)?\s?随访"),
    # 在 1,6,12 个月进行随访
    regex.compile(rf"在\s?(?P<span>(?P<list>(?:\d+\s?[,，、]\s?)+)(?P<lo>\d+)\s?(?P<unit>{_UNIT}))(?:时)?(?:进行|时)?\s?随访"),
    # 6 年随访 / 长达6年的随访 / 9 年的随访结果 / 3个月随访
    regex.compile(rf"(?P<span>{_RANGE})(?:的)?\s?(?:长期)?随访"),
]


@dataclass(frozen=True)
class FollowUpMatch:
    start: int
    end: int
    low: float
    high: float


def _number(text: str) -> float | None:
    if text == "半":
        return 0.5
    try:
        return float(text)
    except ValueError:
        n = parse_int(text)
        return float(n) if n is not None else None


def find_follow_ups(text: str) -> list[FollowUpMatch]:
    """Follow-up durations in normalised `text`, without overlaps, in text order."""
    found: list[FollowUpMatch] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span("span")
            if any(f.start < end and start < f.end for f in found):
                continue
            lo = _number(m.group("lo"))
            hi = _number(m.group("hi")) if m.groupdict().get("hi") else lo
            if lo is None or hi is None:
                continue
            unit = m.group("unit")
            low, high = to_months(lo, unit), to_months(hi, unit)
            if m.groupdict().get("list"):
                low = high  # the longest time point is the follow-up
            found.append(FollowUpMatch(start, end, low, high))
    return sorted(found, key=lambda f: f.start)
