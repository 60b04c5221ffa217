"""Time points after treatment: ``治疗后6个月``, ``输注后第12周``, ``移植后3年``, ``第24周时``,
``6个月后``, ``六个月内``, ``at 6 months``, ``12 months after transplantation``.

A time point says when a result was measured; the latest one of a study is what a reviewer puts
in the follow-up column when the article states no follow-up of its own (guidelines, decided
case 3). Not time points: durations of disease or treatment (``病程6个月``, ``持续3个月``),
intervals (``间隔1周``, ``每4周``), times before treatment (``治疗前3个月``) and dates.

Each way of writing one is a row of `RULES` (name, pattern); a pattern names the groups ``n``
(the number) and ``unit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .numbers import DURATION_NUMBER, DURATION_UNIT, english_duration_months, parse_duration_number, to_months

_N = rf"(?P<n>{DURATION_NUMBER})"
_UNIT = rf"(?P<unit>{DURATION_UNIT})"
_EN_UNIT = r"(?P<unit>months?|weeks?|days?|years?)"
_AFTER = r"(?:治疗|移植|输注|注射|回输|干预|术|接受[^\s，。,;；]{0,12}?|细胞治疗|首次输注|末次输注|MSCs?\s?(?:输注|移植|治疗))后"
_EN_AFTER = r"(?:after|following|post)[- ](?:the\s)?(?:first\s|last\s)?(?:transplantation|infusion|injection|treatment|therapy|MSCT|HSCT|transplant)"

RULES: tuple[tuple[str, regex.Pattern], ...] = (
    # 治疗后6个月, 输注后第12周, 移植后3年时, 接受UC-MSC治疗后24周
    ("after_treatment", regex.compile(rf"{_AFTER}\s?(?:第\s?)?{_N}\s?{_UNIT}")),
    # 第24周时, 第12个月末 (a visit counted from the start of treatment)
    ("numbered_visit", regex.compile(rf"(?<![\d.])第\s?{_N}\s?{_UNIT}(?:时|末|后)")),
    # 24周时, 6个月时 (at that time of the treatment)
    ("units_at", regex.compile(rf"(?<![\d.第])(?<!前\s?){_N}\s?{_UNIT}时")),
    # 6个月后, 3年后 (not "6个月后的复发" after a duration of disease: the guard below)
    ("units_later", regex.compile(rf"(?<![\d.第])(?<!前\s?){_N}\s?{_UNIT}后")),
    # 三个月内BASDAI评分下降, 1年内无复发 (a result over the period since treatment)
    ("units_within", regex.compile(rf"(?<![\d.第])(?<!前\s?){_N}\s?{_UNIT}(?:之内|内)")),
    # at 6 months, 12 months after transplantation, at week 24
    ("english_after", regex.compile(rf"(?i)\b(?P<n>\d+(?:\.\d+)?)\s{_EN_UNIT}\s{_EN_AFTER}")),
    ("english_at", regex.compile(rf"(?i)\bat\s(?:(?P<n>\d+(?:\.\d+)?)\s{_EN_UNIT}|(?P<unit2>month|week|year)\s(?P<n2>\d+))\b")),
)

# what stands right before a duration that is no time point: 病程, 持续, 间隔, 每, 病史, 治疗前
_NOT_A_TIME_POINT = regex.compile(r"(?:病程|持续|间隔|每隔?|病史|疗程|服用|使用|治疗前|发病|确诊|诊断|平均|超过|长达|达|近|过去|最近|入组前|若是|若|如果|假如|一旦)\s?$")  # (a condition: "若是2个月内…")


@dataclass(frozen=True)
class TimePoint:
    start: int  # of the whole phrase ("治疗后6个月")
    end: int
    months: float
    rule: str


def _months(n: str, unit: str) -> float | None:
    value = parse_duration_number(n)
    if value is None:
        return None
    return english_duration_months(value, unit) if unit[:1].isascii() else to_months(value, unit)


@lru_cache(maxsize=8)  # asked by the own study's follow-up and by the numeric results of one text
def find_time_points(text: str) -> tuple[TimePoint, ...]:
    """Every time point after treatment in `text`, in text order, one per span (first rule wins)."""
    out: list[TimePoint] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in RULES:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if _NOT_A_TIME_POINT.search(text, max(0, m.start() - 6), m.start()):
                continue
            n = m.group("n") or (m.groupdict().get("n2") or "")
            unit = m.group("unit") or (m.groupdict().get("unit2") or "")
            months = _months(n, unit) if n and unit else None
            if months is None:
                continue
            taken.append(m.span())
            out.append(TimePoint(m.start(), m.end(), months, name))
            # the visits listed after it: "治疗后第7天、2个月、4个月" (each a time point of its own)
            pos = m.end()
            while (more := _LISTED_VISIT.match(text, pos)) is not None:
                months = _months(more.group("n"), more.group("unit"))
                if months is None or any(a < more.end() and more.start("n") < b for a, b in taken):
                    break
                taken.append((more.start("n"), more.end()))
                out.append(TimePoint(more.start("n"), more.end(), months, "listed_visit"))
                pos = more.end()
    return tuple(sorted(out, key=lambda t: t.start))


_LISTED_VISIT = regex.compile(rf"\s?(?:、|,|，|和|及|与)\s?(?:第\s?)?{_N}\s?{_UNIT}(?:时|末|后)?")
