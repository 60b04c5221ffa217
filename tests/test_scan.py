"""`finditer_near` gives what a scan of the whole text gives, for the patterns that use it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mscmine import studies
from mscmine.scan import finditer_near

_PIECES = ["张三", "李四等", "王某某团队", "课题组", "Smith", " Jones", "Liang", "等", "[1]", "^[2,3]", "[4-6]", "[7~9, 12]",
           " ", "，", "。", "\n", "报道", "研究发现", "x" * 30, "[", "]", "^", "12", "治疗SLE患者", "团队^[10]"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_cited_author_search_near_its_anchor_finds_what_a_full_scan_finds(pieces):
    text = "".join(pieces)
    pattern = studies._ANCHORS[0]
    near = finditer_near(pattern, text, studies._AUTHOR_ANCHOR, 64, 64)
    assert [(m.span(), m.group("author")) for m in near] == [(m.span(), m.group("author")) for m in pattern.finditer(text)]


def test_a_match_longer_than_its_window_is_not_cut():
    import re
    import regex

    pattern = regex.compile(r"a+b\d+")
    text = "x" * 10 + "ab" + "1" * 50 + " ab2"
    near = finditer_near(pattern, text, re.compile("b"), 4, 4)
    assert [m.span() for m in near] == [m.span() for m in pattern.finditer(text)] == [(10, 62), (63, 66)]


_ENGLISH = ["Fifty-two", " patients", " cases", "12", " (25%)", " of the", " 76", "twenty six", " subjects", ". ", "were", " treated",
            "Ninety", " participants", "x" * 20, "(9%)", " of"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ENGLISH), max_size=30))
def test_english_counts_near_their_nouns_are_those_a_full_scan_finds(pieces):
    from mscmine.extractors import patients

    text = "".join(pieces)
    near = finditer_near(patients._ENGLISH_COUNT, text, patients._ENGLISH_COUNT_ANCHOR, 40, 30)
    assert [m.span() for m in near] == [m.span() for m in patients._ENGLISH_COUNT.finditer(text)]


_OUTCOME_PIECES = ["The SLEDAI score", " fell from ", "12.6±3.8", " to ", "5.1", " remission rate", " was ", "60%", " overall response",
                   " complete remission", " were ", " reached ", " DAS28 scores",
                   " decreased", " significantly", " improved", "按EULAR标准达到良好", "应答者", "11例", "(61.1%)", "，", "。", " ", "x" * 25]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_OUTCOME_PIECES), max_size=30))
def test_outcome_patterns_near_their_words_are_those_a_full_scan_finds(pieces):
    from mscmine.extractors import outcome_rules_zh as o

    text = "".join(pieces)
    for pattern, anchor, before, after in [(o._RESPONDER_COUNT, o._RESPONDER_WORD, 24, 30)]:
        near = finditer_near(pattern, text, anchor, before, after)
        assert [m.span() for m in near] == [m.span() for m in pattern.finditer(text)], pattern.pattern[:40]


_EVENT_PIECES = ["治疗组", "发热", "3例", "、", "头痛", "2例", "(6.7%)", "，", "均自行缓解", "皮疹", "1例", "Transient fever", " occurred in ",
                 "3", " patients", " rash", " developed in ", "x" * 20, "输注后", "感染"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_EVENT_PIECES), max_size=30))
def test_adverse_event_patterns_near_their_literals_are_those_a_full_scan_finds(pieces):
    from mscmine.extractors import adverse_events as ae

    text = "".join(pieces)
    _, named = ae._event_patterns()
    for kind, (anchor, before, after) in ae._NEAR.items():
        near = finditer_near(named[kind], text, anchor, before, after)
        assert [m.span() for m in near] == [m.span() for m in named[kind].finditer(text)], kind
