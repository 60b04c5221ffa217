"""Small parsers shared by the extractors: numbers, Chinese numerals, durations."""

from __future__ import annotations

import regex

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

#: a number written with Arabic digits, optionally with decimals or thousands commas
NUM = r"\d+(?:\.\d+)?"
#: a small Chinese numeral (一 … 九十九)
CN_NUM = r"[一二两三四五六七八九十百千]{1,4}"
#: range separators between two numbers
RANGE_SEP = r"\s?(?:-|~|至|到|—)\s?"


def parse_chinese_int(text: str) -> int | None:
    """"三" → 3, "十二" → 12, "二十" → 20, "一百零五" → 105; None when not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_EN_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
#: an English number word up to 999: "twelve", "Fifty-two", "one hundred and twenty"
EN_NUM = (r"(?:(?:one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+and)?\s+)?"
          r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
          r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine)"
          r"|(?:one|two|three|four|five|six|seven|eight|nine)\s+hundred")


def parse_english_int(text: str) -> int | None:
    """"Fifty-two" → 52, "twelve" → 12, "one hundred and twenty" → 120; None when not one."""
    total = 0
    for word in regex.split(r"[-\s]+", text.strip().lower()):
        if word == "and":
            continue
        if word in _EN_ONES:
            total += _EN_ONES[word]
        elif word in _EN_TENS:
            total += _EN_TENS[word]
        elif word == "hundred" and total:
            total *= 100
        else:
            return None
    return total or None


def parse_int(text: str) -> int | None:
    text = text.strip()
    if regex.fullmatch(r"\d+", text):
        return int(text)
    return parse_chinese_int(text)


#: a duration's number (Arabic, a small Chinese numeral, or 半) and unit, for follow-up and time points
DURATION_NUMBER = r"\d+(?:\.\d+)?|[一二两三四五六七八九十半]{1,3}"
DURATION_UNIT = r"个月|月|年|周|天|wk(?![A-Za-z])|d(?![A-Za-z])"  # "术后24 wk", "移植后540 d" (Chinese papers' abbreviations)
#: English duration units → the Chinese unit `to_months` reads
ENGLISH_DURATION_UNITS = {"day": "天", "week": "周", "month": "个月", "year": "年", "d": "天", "wk": "周"}


def parse_duration_number(text: str | None) -> float | None:
    """"12" → 12.0, "1.5" → 1.5, "六" → 6.0, "半" → 0.5, "twelve" → 12.0; None when no number."""
    if not text:
        return None
    if text == "半":
        return 0.5
    try:
        return float(text)
    except ValueError:
        n = parse_int(text)
        if n is None:
            n = parse_english_int(text)
        return float(n) if n is not None else None


def english_duration_months(value: float, unit: str) -> float:
    """`to_months` for an English unit ("months", "Week")."""
    return to_months(value, ENGLISH_DURATION_UNITS[unit.lower().rstrip("s")])


_MONTHS_PER = {"年": 12.0, "岁": 12.0, "月": 1.0, "个月": 1.0, "周": 1 / 4.345, "星期": 1 / 4.345, "天": 1 / 30.44, "日": 1 / 30.44,
               "wk": 1 / 4.345, "d": 1 / 30.44}


def to_months(value: float, unit: str) -> float:
    """A duration in months, rounded to 2 decimals (年 × 12, 周 ÷ 4.345, 天 ÷ 30.44)."""
    unit = unit.strip()
    factor = _MONTHS_PER.get(unit)
    if factor is None:
        for key, f in _MONTHS_PER.items():
            if unit.endswith(key):
                factor = f
                break
    if factor is None:
        raise ValueError(f"unknown duration unit {unit!r}")
    return round(value * factor, 2)


def clean_float(text: str) -> float:
    return float(text.replace(",", "").replace(" ", ""))
