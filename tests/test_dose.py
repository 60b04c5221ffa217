"""Dose parsing. Cases from seeds 001, 002, 003 (named) and written in the same styles."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mscmine.extractors.dose import find_doses, parse_dose
from mscmine.normalize import normalize

CELLS_KG, CELLS = "cells/kg", "cells"


def doses(text):
    norm = normalize(text)
    return [(norm.original_text(d.start, d.end), d.dose.low, d.dose.high, d.dose.unit) for d in find_doses(norm.text)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("所有患者经静脉按 $1 \\times 10^6/\\text{kg}$ MSCs 方式注入体内", [("1 \\times 10^6/\\text{kg}", 1e6, 1e6, CELLS_KG)]),  # 001
        ("(细胞数为 $1 \\times 10^7/\\text{人次}$)", [("1 \\times 10^7/\\text{人次}", 1e7, 1e7, CELLS)]),  # 001
        ("静脉注射 $(0.2 \\sim 1.8) \\times 10^6$ /kg MSCs", [("(0.2 \\sim 1.8) \\times 10^6$ /kg", 2e5, 1.8e6, CELLS_KG)]),  # 001
        ("细胞剂量多按体重计算(1–4×10⁶/kg)", [("1–4×10⁶/kg", 1e6, 4e6, CELLS_KG)]),  # 003
        ("部分按固定细胞数(2.5×10⁷–3×10⁸)", [("2.5×10⁷–3×10⁸", 2.5e7, 3e8, CELLS)]),  # 003
        ("细胞数≥1×10⁶/kg,一次静脉输注", [("≥1×10⁶/kg", 1e6, None, CELLS_KG)]),  # 002
        ("剂量一般为 1×10^6 /kg 不超过 1×10^8 /kg", [("1×10^6 /kg", 1e6, 1e6, CELLS_KG), ("不超过 1×10^8 /kg", None, 1e8, CELLS_KG)]),  # 001
        ("细胞量为 2.5×10^7 , 5×10^7 , $1 \\times 10^8/\\text{人次}$ 的单次静脉输注",
         [("2.5×10^7", 2.5e7, 2.5e7, CELLS), ("5×10^7", 5e7, 5e7, CELLS), ("1 \\times 10^8/\\text{人次}", 1e8, 1e8, CELLS)]),  # 001
        ("($1 \\times 10^6/\\text{kg}$, $2 \\times 10^6/\\text{kg}$, $4 \\times 10^6/\\text{kg}$)",
         [("1 \\times 10^6/\\text{kg}", 1e6, 1e6, CELLS_KG), ("2 \\times 10^6/\\text{kg}", 2e6, 2e6, CELLS_KG), ("4 \\times 10^6/\\text{kg}", 4e6, 4e6, CELLS_KG)]),  # 001
        ("输注1×10^6/kg", [("1×10^6/kg", 1e6, 1e6, CELLS_KG)]),
        ("1 × 10^6 /kg", [("1 × 10^6 /kg", 1e6, 1e6, CELLS_KG)]),
        ("每次输注 2×10⁶个/kg", [("2×10⁶个/kg", 2e6, 2e6, CELLS_KG)]),
        ("回输 1.0×10^7个细胞", [("1.0×10^7个细胞", 1e7, 1e7, CELLS)]),
        ("注射4000万个细胞", [("4000万个细胞", 4e7, 4e7, CELLS)]),
        ("输注1亿个细胞", [("1亿个细胞", 1e8, 1e8, CELLS)]),
        ("1×10^6 cells/kg", [("1×10^6 cells/kg", 1e6, 1e6, CELLS_KG)]),
        ("1E6/kg", [("1E6/kg", 1e6, 1e6, CELLS_KG)]),
        ("１×１０^６/ｋｇ", [("１×１０^６/ｋｇ", 1e6, 1e6, CELLS_KG)]),
        ("5 x 10^6 /kg", [("5 x 10^6 /kg", 5e6, 5e6, CELLS_KG)]),
        ("细胞数为1×107/人次", [("1×107/人次", 1e7, 1e7, CELLS)]),  # superscript lost by the PDF
        ("共输注1.0 × 10 7 个细胞", [("1.0 × 10 7 个细胞", 1e7, 1e7, CELLS)]),  # superscript lost
        ("中剂量组(2.0 × 10 7)", [("2.0 × 10 7", 2e7, 2e7, CELLS)]),  # written: lost, in brackets after 剂量
        ("回输细胞(数量为5×106)", [("5×106", 5e6, 5e6, CELLS)]),  # written: lost, in brackets after 数量为
        ("输注2×1010个细胞", [("2×1010个细胞", 2e10, 2e10, CELLS)]),
        ("至少1×10^6/kg", [("至少1×10^6/kg", 1e6, None, CELLS_KG)]),
        ("每周5×10⁶个×3周", [("5×10⁶个", 5e6, 5e6, CELLS)]),  # 003
        ("剂量为 1.0×10<sup>6</sup>/kg", [("1.0×10<sup>6</sup>/kg", 1e6, 1e6, CELLS_KG)]),  # markup in copied web text
        ("每公斤体重 1×10^6 个细胞", [("1×10^6 个细胞", 1e6, 1e6, CELLS_KG)]),  # per kg said before the number
        ("平均剂量 (2.0±0.5)×10^6/kg", [("(2.0±0.5)×10^6/kg", 2e6, 2e6, CELLS_KG)]),  # a mean dose
    ],
)
def test_doses(sentence, expected):
    assert doses(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "血小板<20×10^9/L",
        "红细胞 4.0×10^12/L",
        "白细胞计数 3.5×10^9/L",
        "中性粒细胞×10^9/L",
        "血小板计数为1×109/L",  # lost superscript, but a lab unit
        "白细胞计数(4.5×109)",  # written: lost superscript in brackets, 10^9 is a lab count
        "我国AD患者估计约8000万",
        "随访12个月",
        "1年复发率约为40%",
        "2024年12月至2025年1月",
        "NCT01663116",
        "CD34+细胞",
    ],
)
def test_not_doses(sentence):
    assert doses(sentence) == []


@pytest.mark.parametrize(
    "sentence, times, interval",
    [
        ("40 例 SLE 患者均输注 UC-MSCs 两次 (每次 $1 \\times 10^6/\\text{kg}$, 间隔 1 周)", 2, "1周"),  # 001
        ("采用单次静脉注射 $1 \\times 10^6/\\text{kg}$ 进行异体 UC-MSCs 移植", 1, None),  # 001
        ("每周5×10⁶个×3周", 3, "1周"),  # 003
        ("共输注3次,每次1×10^6/kg,间隔2周", 3, "2周"),
        ("静脉输注hUC-MSCs(1×10⁶/kg)，每周1次，共4次", 4, "1周"),  # the total, not the rate
        ("每月 1 次 1×10^6/kg，连续 3 次", 3, "1月"),
        ("1×10^6/kg,每周1次", None, "1周"),  # how often, not how many times
    ],
)
def test_times_and_interval(sentence, times, interval):
    norm = normalize(sentence)
    d = find_doses(norm.text)[0].dose
    assert (d.times, d.interval) == (times, interval)


def test_parse_dose_api():
    d = parse_dose("1×10⁶/kg")
    assert (d.low, d.high, d.unit) == (1e6, 1e6, CELLS_KG)
    assert parse_dose("没有剂量") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.×x^/kg个细胞万亿 -~()≥≤人次E") + ["10^", "×10^", "/kg", "/L"]), max_size=40).map("".join))
def test_dose_parser_never_raises(text):
    for d in find_doses(normalize(text).text):
        assert d.dose.unit in (CELLS_KG, CELLS)


_NOTATIONS = [
    lambda m, e, u: f"{m}×10^{e}{u}",
    lambda m, e, u: f"{m} × 10^{e} {u}",
    lambda m, e, u: f"{m}×10{''.join('⁰¹²³⁴⁵⁶⁷⁸⁹'[int(c)] for c in str(e))}{u}",
    lambda m, e, u: f"${m} \\times 10^{{{e}}}/\\text{{{u.lstrip('/')}}}$" if u.startswith("/") else f"{m}×10^{e}{u}",
    lambda m, e, u: f"{m}x10^{e}{u}",
    lambda m, e, u: f"{m}E{e}{u}",
]


@settings(max_examples=300, deadline=None)
@given(
    mant=st.sampled_from(["1", "2", "2.5", "4", "5", "1.5", "8"]),
    exp=st.integers(min_value=5, max_value=9),
    unit=st.sampled_from(["/kg", "/人次", "个细胞", " cells/kg"]),
    notation=st.sampled_from(range(len(_NOTATIONS))),
)
def test_any_notation_parses_back(mant, exp, unit, notation):
    text = "每次输注" + _NOTATIONS[notation](mant, exp, unit)
    d = parse_dose(text)
    assert d is not None, text
    assert d.low == pytest.approx(float(mant) * 10**exp)
    assert d.unit == (CELLS_KG if "kg" in unit else CELLS)


# `find_doses` searches only near "×", "^", 万, 亿 and E-notation; it must find exactly what a
# scan of the whole text finds, wherever the pieces fall.
_PIECES = ["1×10^6/kg", "(0.5~2)×10^7个细胞", "2.5×10^7、5×10^7, 1×10^8/人次", "4000万个细胞", "1E6 cells/kg",
           "10^6", "20×10^9/L", "不少于", "每公斤体重", " ", "，", "。", "患者", "1", "23", "×", "^", "万", "e5", "x" * 40,
           "静脉输注", "1×107/kg", "10 7个", "(2.0±0.5)×10^6/kg", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_windowed_dose_search_finds_what_a_full_scan_finds(pieces):
    from mscmine.extractors import dose
    from mscmine.scan import finditer_near

    text = "".join(pieces)
    near = finditer_near(dose._DOSE, text, dose._ANCHOR, dose._BEFORE_ANCHOR, dose._AFTER_ANCHOR)
    assert [m.span() for m in near] == [m.span() for m in dose._DOSE.finditer(text)]



@pytest.mark.parametrize(
    "sentence, lows",
    [  # written for these tests: numbers listed before a dose share its power and unit
        ("分为0.5、1和2×10^6/kg三个剂量组", [5e5, 1e6, 2e6]),
        ("分别给予1、2、5×10^6/kg", [1e6, 2e6, 5e6]),
        ("第1、8天输注1×10^6/kg", [1e6]),  # days, not doses
    ],
)
def test_numbers_listed_before_a_dose_share_its_power(sentence, lows):
    found = find_doses(normalize(sentence).text)
    assert [d.dose.low for d in found] == lows



@pytest.mark.parametrize(
    "sentence, low, unit",
    [  # written for these tests: per kilogram written as a negative power
        ("低剂量组静脉滴注1.0×10⁶ cells·kg⁻¹", 1e6, "cells/kg"),
        ("高剂量组2.0×10⁶个·kg⁻¹", 2e6, "cells/kg"),
    ],
)
def test_per_kilogram_as_a_negative_power(sentence, low, unit):
    found = find_doses(normalize(sentence).text)
    assert [(d.dose.low, d.dose.unit) for d in found] == [(low, unit)]
