"""Follow-up duration in months: ``随访 12 个月``, ``随访 0.5-26 个月``, ``第 4 年随访`` (48),
``6 年随访``, ``在 1,6,12 个月进行随访`` (12: the longest time point), ``随访1年`` (12),
``随访≥3个月`` (low 3, high None), ``最长随访18个月`` (low None, high 18), ``中位随访时间 18 个月``, ``随访(12.5±3.2)个月`` (the mean).

The evidence span runs from the number to the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .numbers import DURATION_NUMBER, DURATION_UNIT, EN_NUM, english_duration_months, parse_duration_number, to_months

_N = DURATION_NUMBER
_UNIT = DURATION_UNIT
_CMP = r"(?P<cmp>≥|>|超过|至少|大于|不少于|长于|逾)"
# "12", "0.5-26", "6~19", "(12.5±3.2)" (a mean: the mean is taken), "≥3" (low only)
_RANGE = (
    # a median and its range: "15(6~36)个月" → the range 6-36
    rf"(?:\d+(?:\.\d+)?\s?[(（]\s?(?P<lo>{_N})\s?(?:-|~|至|到)\s?(?P<hi>{_N})\s?[)）]\s?(?P<unit>{_UNIT})|"
    rf"(?:{_CMP}\s?)?(?:\(\s?)?(?P<lo>{_N})(?:\s?±\s?\d+(?:\.\d+)?\s?\)?|\s?\)"
    rf"|(?:\s?(?P<lounit>{_UNIT})?\s?(?:-|~|至|到)\s?(?P<hi>{_N})))?\s?(?P<unit>{_UNIT})(?P<over>以上)?)"
)
_QUALIFIER = r"(?:时间|期|期间|时长)?(?:的)?(?:中位数|中位|平均值|平均|均值)?(?:时间)?(?:为|了|长达|达|共|约|是|至第)?\s?(?:平均|中位)?"

_PATTERNS = [
    # the longest follow-up only: "最长随访达30个月", "随访最长 24 个月" (high 30, low unknown)
    regex.compile(rf"(?:最长(?:的)?随访|随访(?:时间)?最长)(?:时间)?(?:为|达|至|可达|长达)?\s?(?P<span>(?P<max>{_N})\s?(?P<unit>{_UNIT}))"),
    # 随访(时间/期)(为/了/长达) 12 个月, 随访时间中位数为 18 个月, 随访≥3个月
    regex.compile(rf"(?:随访|追踪|跟踪随访){_QUALIFIER}\s?(?P<span>{_RANGE})"),
    # 随访至 18 个月, 随访至注射后第 52 周 (the last visit, counted from the treatment)
    regex.compile(rf"(?:随访|追踪)(?:至|到)\s?(?:(?:注射|输注|移植|治疗|术|干预|首次输注)后\s?)?(?:第\s?)?(?!(?:19|20)\d{{2}}\s?年)(?P<span>{_RANGE})"),  # not a date: "随访至 2019 年 12 月"
    # 随访至今9年 (followed until now: the time so far)
    regex.compile(rf"(?:随访|追踪)(?:至今|迄今)(?:已)?(?:达|有|为|共)?\s?(?P<span>{_RANGE})"),
    # 观察 24 周, 观察期为 6 个月 (not 观察到, not a time point: "观察3个月时")
    regex.compile(rf"观察(?:期|时间)?(?:为|了|共)?\s?(?P<span>{_RANGE})(?!\s?(?:时|后|的))"),
    # the assessment schedule: "于治疗前及治疗后1、3、6、12个月检测…" (the last visit)
    regex.compile(rf"(?:治疗|移植|输注|注射|术)后\s?(?:第\s?)?(?P<span>(?P<list>(?:\d+\s?(?:[、,，]|及|和)\s?)+)(?P<lo>\d+)\s?(?P<unit>{_UNIT}))"
                  r"(?:时|末)?\s?(?:分别)?(?:检测|评估|评价|复查|测定|记录|随访|观察|采集|进行)"),
    # 中位随访时间 18 个月, 平均随访 2 年
    regex.compile(rf"(?:中位|平均)随访{_QUALIFIER}\s?(?P<span>{_RANGE})"),
    # 第 4 年随访 / 第12个月随访
    regex.compile(rf"第\s?(?P<span>(?P<lo>{_N})\s?(?P<unit>{_UNIT}))(?:的)?\s?随访"),
    # 在 1,6,12 个月进行随访
    regex.compile(rf"在\s?(?P<span>(?P<list>(?:\d+\s?[,，、]\s?)+)(?P<lo>\d+)\s?(?P<unit>{_UNIT}))(?:时)?(?:进行|时)?\s?随访"),
    # 6 年随访 / 长达6年的随访 / 经过 12 个月的随访 / 3个月随访
    regex.compile(rf"(?P<span>{_RANGE})(?:后)?(?:的)?\s?(?:长期)?(?:随访|追踪)"),  # also "6个月后随访"
]


@dataclass(frozen=True)
class FollowUpMatch:
    start: int
    end: int
    low: float | None  # None: "最长随访18个月", only the longest stated
    high: float | None  # None: "≥3个月", no upper bound


_SUBGROUP_AFTER = regex.compile(r"\s?(?:以上)?\s?(?:的)?(?:患者|病人|者)(?:中|里)")
_KEYWORD = regex.compile(r"随访|追踪|观察|检测|评估|评价|复查|测定|记录|采集")
_PLANNED = regex.compile(r"(?:计划|拟|预计|将于|将在)[^。;；,，]*$")

# English abstracts: "were followed up for 12 months", "for six to twelve months", "a median
# follow-up of 4.2 (1-6.5) years" (the range), "during a median of 18 months [4-48]" (the range)
_EN_N = rf"(?:\d+(?:\.\d+)?|{EN_NUM})"
_EN_UNIT = r"(?P<unit>day|week|month|year)s?"
_EN_RANGE = r"\s?[(\[]\s?(?:range[:,]?\s?)?(?P<rlo>\d+(?:\.\d+)?)\s?(?:-|–|to)\s?(?P<rhi>\d+(?:\.\d+)?)\s?[)\]]"
_ENGLISH = regex.compile(
    r"(?:followed(?:\s+up)?|follow-up(?:\s+period)?)\s+(?:was\s+|of\s+|for\s+|lasted\s+|during\s+)?"
    r"(?:a\s+(?:median|mean)\s+(?:of\s+)?|up\s+to\s+)?"
    rf"(?P<span>(?P<lo>{_EN_N})(?:{_EN_RANGE})?(?:\s?(?:-|–|to)\s?(?P<hi>{_EN_N}))?\s+{_EN_UNIT}(?:{_EN_RANGE.replace('rlo', 'rlo2').replace('rhi', 'rhi2')})?)"
    r"|(?:median|mean)\s+follow-up\s+(?:was\s+|of\s+)?"
    rf"(?P<span2>(?P<lo2>{_EN_N})(?:{_EN_RANGE.replace('rlo', 'rlo3').replace('rhi', 'rhi3')})?\s+(?P<unit2>day|week|month|year)s?)",
    regex.IGNORECASE,
)


def _english_follow_ups(text: str) -> list["FollowUpMatch"]:
    out = []
    for m in _ENGLISH.finditer(text):
        g = m.groupdict()
        if g["span"]:
            span, lo, hi, unit = m.span("span"), parse_duration_number(g["lo"]), parse_duration_number(g["hi"]), g["unit"]
            rlo, rhi = g["rlo"] or g["rlo2"], g["rhi"] or g["rhi2"]
        else:
            span, lo, hi, unit = m.span("span2"), parse_duration_number(g["lo2"]), None, g["unit2"]
            rlo, rhi = g["rlo3"], g["rhi3"]
        if lo is None:
            continue
        if rlo and rhi:  # a median and its range: the range
            out.append(FollowUpMatch(span[0], span[1], english_duration_months(float(rlo), unit),
                                     english_duration_months(float(rhi), unit)))
            continue
        out.append(FollowUpMatch(span[0], span[1], english_duration_months(lo, unit),
                                 english_duration_months(hi if hi else lo, unit)))
    return out


def _windows(text: str, before: int = 50, after: int = 70) -> list[tuple[int, int]]:
    """Merged stretches around every keyword (随访, 观察, 检测 …): every pattern needs one, so only these are searched."""
    out: list[tuple[int, int]] = []
    for k in _KEYWORD.finditer(text):
        a, b = max(0, k.start() - before), min(len(text), k.end() + after)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def find_follow_ups(text: str) -> list[FollowUpMatch]:
    """Follow-up durations in normalised `text`, without overlaps, in text order."""
    found: list[FollowUpMatch] = []
    windows = _windows(text)
    for pattern in _PATTERNS:
        for m in (m for a, b in windows for m in pattern.finditer(text, a, b)):
            start, end = m.span("span")
            if any(f.start < end and start < f.end for f in found):
                continue
            if _PLANNED.search(text, max(0, m.start() - 24), m.start() + 1):
                continue  # "计划完成12个月随访后…": a plan, not a follow-up done
            if _SUBGROUP_AFTER.match(text, end):
                continue  # "随访超过2年的患者中…": which patients, not how long they were followed
            if m.groupdict().get("max"):
                found.append(FollowUpMatch(start, end, None, to_months(parse_duration_number(m.group("max")), m.group("unit"))))
                continue
            lo = parse_duration_number(m.group("lo"))
            hi = parse_duration_number(m.group("hi")) if m.groupdict().get("hi") else lo
            if m.groupdict().get("cmp") or m.groupdict().get("over"):
                hi = None  # "随访≥3个月": at least three months, no upper bound stated
            if lo is None or (hi is None and not (m.groupdict().get("cmp") or m.groupdict().get("over"))):
                continue
            unit = m.group("unit")
            low = to_months(lo, m.groupdict().get("lounit") or unit)
            high = to_months(hi, unit) if hi is not None else None
            if m.groupdict().get("list"):
                low = high  # the longest time point is the follow-up
            found.append(FollowUpMatch(start, end, low, high))
    for f in _english_follow_ups(text):
        if not any(x.start < f.end and f.start < x.end for x in found):
            found.append(f)
    return sorted(found, key=lambda f: f.start)
