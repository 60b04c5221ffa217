"""Normalisation: real strings of the seeds (file named in the id) and written variants."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mscmine.normalize import normalize, parse_citation_numbers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("１×１０^６/ｋｇ", "1×10^6/kg"),
        ("1×10⁶/kg", "1×10^6/kg"),
        ("$1 \\times 10^6/\\text{kg}$", "1 × 10^6/kg"),  # 001
        ("(0.2 \\sim 1.8) \\times 10^6", "(0.2 ~ 1.8) × 10^6"),  # 001
        ("郝慧琴^{1,2*}", "郝慧琴^1,2*"),  # 001
        ("2.5x10^7", "2.5×10^7"),
        ("2.5X10^7", "2.5×10^7"),
        ("2.5*10^7", "2.5×10^7"),
        ("2.5·10^7", "2.5×10^7"),
        ("1–4×10⁶/kg", "1-4×10^6/kg"),  # 003
        ("CD4⁺T", "CD4+T"),
        ("類風濕關節炎", "类风湿关节炎"),
        ("box X-ray", "box X-ray"),  # an x that is no multiplication sign stays
        ("間充質(zhì)干細(xì)胞", "间充质干细胞"),  # written: pinyin readings a page puts after characters
        ("組別(A)與(b)", "组别(A)与(b)"),  # a letter in brackets is no reading
        ("显效5例(25﹪)﹐有效﹙9例﹚", "显效5例(25%),有效(9例)"),  # written: small form variants
        ("有效率为 8 2 . 5 %，对照组 6 .25%", "有效率为 82.5%,对照组 6.25%"),  # written: a page's spaced-out digits
        ("3 例 40 %", "3 例 40 %"),  # separate numbers stay apart
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_normalised_forms(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "snippet, joined",
    [
        # 000: a disease name and a count broken by the PDF conversion
        ("结果与结论：对其中 12篇符合标准的文献进行分析，12篇文献共报道 76例风湿性疾病患者，其中系统性红\n\n"
         "斑狼疮 46例(61%)，类风湿关节炎 21例(28%)，多发性肌炎/皮肌炎 8例(11%)，系统性硬化症 1例(1%)，76\n\n"
         "例患者移植后临床症状及实验室检查结果均有不同程度的改善，其中未涉及患者出现不良反应及并发症的报", ["系统性红斑狼疮", "76例患者"]),
        # 000: a citation on a line of its own inside a sentence
        ("资料  根据表1所示12篇文献\n[1-12]\n，实验共纳入间充质干\n细胞移植治疗风湿性疾病76例，其中男12例(16%)，女",
         ["文献[1-12],实验共纳入间充质干细胞移植"]),
    ],
)
def test_hard_wraps_are_joined(snippet, joined):
    text = normalize(snippet).text
    for piece in joined:
        assert piece in text


@pytest.mark.parametrize(
    "snippet",
    [
        "干细胞移植治疗自身免疫性疾病的起源\n我国AD患者估计约8000万,传统以糖皮质激素和免疫抑制剂为主要治疗手段。",  # 002: heading
        "治疗。\n\n2 文章增加的新信息：文章对 12篇文献报道的 76例国内临床应用间充质干细胞",  # sentence end
        "刘慧青等 [1] 系统性红斑狼疮 2011 14 脐带 14 例 0/14 17-54 6\n王丹丹等 [2] 系统性红斑狼疮 2010 12 脐带 12 例 2/10 14-55 1-26",  # table rows
    ],
)
def test_paragraph_breaks_are_kept(snippet):
    assert "\n" in normalize(snippet).text


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("Liang 等^[13]报道了", (13,)),  # 001
        ("根据表1所示12篇文献\n[1-12]\n，实验", tuple(range(1, 13))),  # 000
        ("血小板上升\n\n[2，4]\n。", (2, 4)),  # 000
        ("研究^[11,12]。", (11, 12)),  # 001
    ],
)
def test_citations_are_found_and_masked(text, numbers):
    norm = normalize(text)
    assert [c.numbers for c in norm.citations] == [numbers]
    c = norm.citations[0]
    assert norm.masked[c.start : c.end].strip() == ""
    assert len(norm.masked) == len(norm.text)


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("median follow-up 18 months [4-48]", ()),  # written: a median with its range
        ("中位随访15个月[6~30]", ()),
        ("随访12个月[8]，SLEDAI下降", ((8,),)),  # one number: a citation
        ("共76例[1-12]", ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),)),  # 例 is no unit of a range
        ("随访3个月[5-8]", ((5, 6, 7, 8),)),  # the range does not hold the 3
    ],
    ids=["english-median-range", "chinese-median-range", "single-citation", "count-then-citation", "range-not-holding"],
)
def test_a_range_after_its_value_is_no_citation(text, numbers):
    assert tuple(c.numbers for c in normalize(text).citations) == numbers


def test_citation_ranges():
    assert parse_citation_numbers("1-3, 7") == (1, 2, 3, 7)
    assert parse_citation_numbers("14-15，26") == (14, 15, 26)


def test_span_maps_back_to_latex_source():
    raw = "按 $1 \\times 10^6/\\text{kg}$ MSCs"
    norm = normalize(raw)
    i = norm.text.index("1 × 10^6/kg")
    a, b = norm.to_original(i, i + len("1 × 10^6/kg"))
    assert raw[a:b] == "1 \\times 10^6/\\text{kg}"


def test_span_across_a_joined_wrap_covers_the_line_break():
    raw = "其中系统性红\n\n斑狼疮 46例(61%)，类风湿关节炎 21例(28%)，多发性肌炎/皮肌炎 8例(11%)，系统性硬化症 1例"
    norm = normalize("文章对 12篇文献报道的 76例国内临床应用间充质干细胞移植治疗系统性红斑狼疮、类风湿关节炎进行了分析" + raw)
    i = norm.text.index("系统性红斑狼疮 46")
    a, b = norm.to_original(i, i + 7)
    assert norm.original[a:b] == "系统性红\n\n斑狼疮"


_ALPHABET = st.sampled_from(list("系统性红斑狼疮例患者0123456789 \n\n×xX*·^{}$\\[]-~，。,.()⁰¹²³⁶⁷⁺ｋｇ１０%") + ["\\times", "\\text{kg}", "^[13]", "10^6", "\n[2]\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_offset_map_is_exact(raw):
    """Every normalised character maps to a non-empty, in-order range of the original, the ranges
    never overlap, and every original character that maps nowhere is markup or white space."""
    norm = normalize(raw)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    prev_end = 0
    covered = set()
    for i in range(len(norm.text)):
        a, b = norm.starts[i], norm.ends[i]
        assert 0 <= a < b <= len(raw)
        assert a >= prev_end or (a, b) == (norm.starts[i - 1], norm.ends[i - 1])
        prev_end = b
        covered.update(range(a, b))
        # an unchanged character maps to itself
        if b - a == 1 and raw[a] == norm.text[i]:
            assert raw[norm.starts[i] : norm.ends[i]] == norm.text[i]
    for k, ch in enumerate(raw):
        if k not in covered:
            assert ch.isspace() or ch in "$}{\\" or not ch.isalnum() or ch.isascii()
    # any normalised span maps back to the original characters it came from
    for i in range(0, len(norm.text), 3):
        for j in range(i + 1, min(len(norm.text), i + 8) + 1):
            a, b = norm.to_original(i, j)
            assert raw[a:b] == norm.original[a:b]
            assert a == norm.starts[i] and b >= norm.ends[j - 1]
