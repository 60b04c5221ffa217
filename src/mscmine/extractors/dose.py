"""Cell doses: ``1×10^6/kg``, ``(0.2~1.8)×10^6/kg``, ``2.5×10^7, 5×10^7, 1×10^8/人次``, ``4000万个细胞``.

``(2.0±0.5)×10^6/kg`` (a mean dose: the mean), ``每公斤体重 1×10^6 个细胞`` (per kg).

Works on normalised text (see `mscmine.normalize`): multiplication signs are ``×``, powers are
``10^6``, LaTeX is gone. A dose is a number of cells, per kg body weight (``cells/kg``) or per
administration (``cells``). Laboratory values (``20×10^9/L``) are never doses.

Lost superscripts. PDF and web text often flattens ``1×10⁷`` into ``1×107`` or ``1.0 × 10 7``.
The rule: after a mantissa and ``×``, the digits ``10`` followed directly (or after one space)
by a single digit 5-9, or by 10/11, are read as a power of ten, but only when a cell-dose unit
follows (``/kg``, ``/人次``, ``个细胞``, ``cells``), or a closing bracket after 5-8 in a dose's
context (``中剂量(5.0 × 10 7)``, ``数量为1×107)``). ``×107/L`` is therefore never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from ..scan import finditer_near
from ..sentences import sentence_bounds
from .numbers import parse_int

# A power of ten: 10^6, 10^{6}, flattened 107 / 10 7 (only 5-11), or E-notation.
_POWER = r"""
    (?:10\s?\^\s?\+?(?P<exp>\d{1,2})
     | 10\s?(?P<flat>1[01]|[5-9])(?!\d)(?=\s?(?:个|/|cells?|细胞|次))
     | 10\s?(?P<flat>[5-8])(?!\d)(?=\s?[)）])
    )
"""
_MANT = r"\d+(?:\.\d+)?"
_SEP = r"\s?(?:-|~|至|到)\s?"

# One value: "(0.2 ~ 1.8) × 10^6", "1-4×10^6", "2.5×10^7", "1E6", "4000万", "10^6"
_VALUE = rf"""
    (?:
        \(\s?(?P<lo>{_MANT}){_SEP}(?P<hi>{_MANT})\s?\)\s?×\s?{_POWER}
      | \(\s?(?P<lo>{_MANT})\s?±\s?{_MANT}\s?\)\s?×\s?{_POWER}
      | (?P<lo>{_MANT})(?:{_SEP}(?P<hi>{_MANT}))?\s?×\s?{_POWER}
      | (?P<lo>{_MANT})\s?[eE]\s?\+?(?P<exp>\d{{1,2}})
      | (?P<lo>{_MANT})\s?(?P<cn>万|亿)
      | (?<![\d.×])(?P<bare>10\s?\^\s?(?P<exp>\d{{1,2}}))
    )
"""
_VALUE_RE = regex.compile(_VALUE, regex.VERBOSE)

# Units. Per kg: "/kg", "个/kg", "cells/kg", "个细胞/kg", "/kg体重"; per administration: "/人次",
# "/次", "个细胞", "个", "cells". Laboratory: "/L", "/μL", "/ml", "/mm3".
_UNIT_KG = r"(?:个细胞|个|细胞|\s?cells?|\s?MSCs?)?\s?(?:/\s?(?:kg|千克|公斤)(?:体重)?|[·•]\s?kg\s?\^\s?-\s?1)"  # "/kg", "cells·kg⁻¹"
_UNIT_CELLS = r"(?:\s?/\s?(?:人次|次|人|例)|个细胞|个(?![/月])|\s?cells?(?!\s?/)|细胞)"
_LAB_UNIT = regex.compile(r"\s?(?:个)?\s?/\s?(?:L|l|μL|uL|ul|ml|mL|mm3|mm\^3|HP|hp)\b|\s?/\s?L")

_DOSE = regex.compile(
    rf"""
    (?P<bound>≥|>=|≤|<=|>|<|不少于|不低于|至少|不超过|不高于|不大于|最多|最高|最大|高达|以上)?\s?
    (?P<v1>{_VALUE})
    (?:{_SEP}(?P<v2>{_VALUE}))?
    (?P<unit>\s?(?:{_UNIT_KG}|{_UNIT_CELLS}))?
    """,
    regex.VERBOSE,
)

# Every dose holds one of these (a power's "×" or "^", a Chinese 万/亿, an E-notation "e"): the
# dose pattern is tried only near them (`mscmine.scan.finditer_near`), which is several times faster than
# scanning the whole text and finds the same matches.
_ANCHOR = re.compile(r"[×万亿^]|\d\s?[eE]")
_BEFORE_ANCHOR = 48  # the most a dose reaches before its first anchor ("不少于 (0.25 ~ 1.85) ×")
_AFTER_ANCHOR = 64  # and after it ("× 10^6 ~ (1.5 ~ 2.0) × 10^6 个细胞/kg 体重", with room to spare)

# numbers listed right before a dose, sharing its power: "分为0.5、1和2×10^6/kg三组" (0.5 and 1 here)
_SHARED_POWER_LIST = regex.compile(r"(?<![\d.×^~\-])(?:\d+(?:\.\d+)?\s?(?:、|,|，|和|及|或)\s?)+$")
_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
_PER_KG_BEFORE = regex.compile(r"(?:每|按)\s?(?:公斤|千克|kg)\s?(?:体重)?\s?(?:给予|输注|注射)?\s?$")
_CONTEXT_BEFORE = regex.compile(r"(?:细胞数|细胞量|剂量|细胞|输注|注射|移植|给予|按|每次|固定细胞数|总量|数量)[^。;]{0,12}$")
_LIST_JOIN = regex.compile(r"\s?[,、和及或]\s?$")
_TIMES = regex.compile(
    r"(?:(?P<n>\d+|[一二两三四五六七八九十]{1,2})\s?次(?!/)|(?P<single>单次|一次性|一次)|二次输注|×\s?(?P<weeks>\d+)\s?周)"
)
_TOTAL_TIMES = regex.compile(r"(?:共|总共|一共|累计|连续)\s?(?:输注|注射|治疗|给药)?\s?(?P<n>\d+|[一二两三四五六七八九十]{1,2})\s?次(?!/)")
_PER_PERIOD = regex.compile(r"每\s?(?:\d+\s?)?(?:周|月|天|日|个月)\s?$")
_INTERVAL = regex.compile(r"(?:间隔|每隔|间期)\s?(?P<iv>\d+(?:\.\d+)?\s?(?:周|天|日|个月|月|年))|每(?P<every>周|月|天|日)")


@dataclass(frozen=True)
class Dose:
    low: float | None
    high: float | None
    unit: str
    times: int | None = None
    interval: str | None = None

    def to_dict(self) -> dict:
        return {"low": self.low, "high": self.high, "unit": self.unit, "times": self.times, "interval": self.interval}


@dataclass(frozen=True)
class DoseMatch:
    start: int
    end: int
    dose: Dose


def _value_numbers(m: regex.Match, lo_key="lo", hi_key="hi") -> tuple[float, float] | None:
    """(low, high) of one `_VALUE` match."""
    if m.group("bare"):
        v = 10.0 ** int(m.group("exp"))
        return v, v
    lo = float(m.group("lo"))
    hi = float(m.group("hi")) if m.group("hi") else lo
    if m.group("cn"):
        scale = 1e4 if m.group("cn") == "万" else 1e8
    else:
        exp = m.group("exp") or m.group("flat")
        scale = 10.0 ** int(exp)
    return _round(lo * scale), _round(hi * scale)


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def _parse_value(text: str, start: int, end: int) -> tuple[float, float] | None:
    """Numbers of the value at text[start:end] (matched in place: lookaheads need the unit)."""
    m = _VALUE_RE.match(text, start)
    return _value_numbers(m) if m and m.end() == end else None


def _is_lab(text: str, end: int) -> bool:
    return bool(_LAB_UNIT.match(text, end))


def _times_interval(sentence: str) -> tuple[int | None, str | None]:
    times = interval = None
    total = _TOTAL_TIMES.search(sentence)  # "每周1次，共4次": the total, not the rate
    for m in [total] if total else _TIMES.finditer(sentence):
        if m.re is _TIMES and _PER_PERIOD.search(sentence, max(0, m.start() - 4), m.start()):
            continue  # "每周1次" is how often, not how many times
        if m.re is _TOTAL_TIMES:
            times = parse_int(m.group("n"))
        elif m.group("single"):
            times = 1
        elif m.group("weeks"):
            times, interval = int(m.group("weeks")), "1周"
        elif m.group("n"):
            n = parse_int(m.group("n"))
            if n and n < 20:
                times = n
        else:
            times = 2
        break
    m = _INTERVAL.search(sentence)
    if m:
        interval = regex.sub(r"\s", "", m.group("iv")) if m.group("iv") else f"1{m.group('every')}"
    return times, interval


def find_doses(text: str) -> list[DoseMatch]:
    """Every cell dose in normalised `text`, one `DoseMatch` per dose level."""
    raw = []
    for m in finditer_near(_DOSE, text, _ANCHOR, _BEFORE_ANCHOR, _AFTER_ANCHOR):
        unit_text = m.group("unit")
        end = m.end()
        if _is_lab(text, m.end("v2") if m.group("v2") else m.end("v1")):
            continue
        nums1 = _parse_value(text, m.start("v1"), m.end("v1"))
        if nums1 is None:
            continue
        low, high = nums1
        if m.group("v2"):
            nums2 = _parse_value(text, m.start("v2"), m.end("v2"))
            if nums2 is None:
                continue
            high = nums2[1]
        if unit_text:
            unit = "cells/kg" if regex.search(r"kg|千克|公斤", unit_text) else "cells"
            if unit == "cells" and _PER_KG_BEFORE.search(text, max(0, m.start() - 10), m.start()):
                unit = "cells/kg"  # "每公斤体重 1×10^6 个细胞"
        else:
            unit = None
            end = m.end("v2") if m.group("v2") else m.end("v1")
        if high is None or high < 1e3:
            continue  # not a cell count (plain numbers, exponents below 10^3)
        bound = m.group("bound")
        start = m.start("bound") if bound else m.start("v1")
        if bound in ("≥", ">=", ">", "不少于", "不低于", "至少"):
            low, high = low, None
        elif bound in ("≤", "<=", "<", "不超过", "不高于", "不大于", "最多", "最高", "最大"):
            low, high = None, high
        raw.append([start, end, low, high, unit, m])

    # A value without a unit takes the unit of the next dose in the same list
    # ("2.5×10^7 , 5×10^7 , 1×10^8/人次") or of its context ("细胞数 2.5×10^7").
    for i in range(len(raw) - 1, -1, -1):
        if raw[i][4] is not None:
            continue
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt and nxt[4] and _LIST_JOIN.search(text[raw[i][1] : nxt[0]] + "") is not None and nxt[0] - raw[i][1] <= 4:
            raw[i][4] = nxt[4]
        elif _CONTEXT_BEFORE.search(text[max(0, raw[i][0] - 20) : raw[i][0]]):
            raw[i][4] = "cells"
    out = []
    by_sentence: dict[tuple[int, int], tuple[int | None, str | None]] = {}  # doses of one sentence read it once
    for start, end, low, high, unit, m in raw:
        if unit is None:
            continue
        s0, s1 = sentence_bounds(text, start, end)
        if (s0, s1) not in by_sentence:
            by_sentence[s0, s1] = _times_interval(text[s0:s1])
        times, interval = by_sentence[s0, s1]
        # "0.5、1和2×10^6/kg": the numbers listed before the dose share its power and unit
        if low is not None and low == high and m.group("lo") and not m.group("bound"):
            listed = _SHARED_POWER_LIST.search(text, max(0, start - 40), start)
            if listed:
                scale = low / float(m.group("lo"))
                for n in _NUMBER.finditer(text, listed.start(), listed.end()):
                    v = _round(float(n.group()) * scale)
                    out.append(DoseMatch(n.start(), n.end(), Dose(v, v, unit, times, interval)))
        out.append(DoseMatch(start, end, Dose(low, high, unit, times, interval)))
    return out


def parse_dose(text: str) -> Dose | None:
    """The first dose in a short string, or None: ``parse_dose("1×10^6/kg").low == 1e6``."""
    from ..normalize import normalize

    found = find_doses(normalize(text).text)
    return found[0].dose if found else None
