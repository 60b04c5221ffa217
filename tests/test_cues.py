"""The cue lists of lexicons/cues.tsv: the loader's checks, the one alternation builder, and the
lists that had drifted apart in code (not-seen cues, up/down words) read as one."""

import regex
import pytest

from mscmine.errors import LexiconError
from mscmine.extractors.adverse_events import find_adverse_events
from mscmine.extractors.cues import COMPARED, ENGLISH, direction_between, direction_of
from mscmine.extractors.negation import context_of
from mscmine.lexicon import CUE_CATEGORIES, _read, alternation, load_cues, parse_cues

HEAD = "# source: test\ncue\tcategory\tnote\n"


@pytest.mark.parametrize(
    "rows, message",
    [
        ("未见\tNOT_SEEN\t\n未见\tNOT_SEEN\tagain\n", "'未见' listed twice in NOT_SEEN"),
        ("未见\tNOT_SEEM\t\n", "unknown category 'NOT_SEEM'"),
        ("未见\tNOT_SEEN\n", "expected 3 tab-separated fields"),
        ("\tNOT_SEEN\t\n", "empty cue"),
        (" 未见\tNOT_SEEN\t\n", "spaces around it"),
    ],
)
def test_cue_loader_refuses_bad_data(rows, message):
    with pytest.raises(LexiconError, match=message):
        parse_cues(HEAD + rows)


def test_a_cue_may_stand_in_two_categories():
    cues = parse_cues(HEAD + "下降\tCHANGE_VERB\t\n下降\tDIRECTION_DOWN\t\n")
    assert cues["CHANGE_VERB"] == cues["DIRECTION_DOWN"] == ("下降",)


def test_the_shipped_file_is_sorted_and_every_category_has_cues():
    rows = [line.split("\t")[:2] for line in _read("cues.tsv").splitlines()[2:]]
    assert _read("cues.tsv").startswith("# source: ")
    assert rows == sorted(rows, key=lambda r: (r[1], r[0]))
    assert all(load_cues()[c] for c in CUE_CATEGORIES)


@pytest.mark.parametrize("category", CUE_CATEGORIES)
def test_alternation_is_escaped_and_longest_first(category):
    pattern = alternation(category)
    items = pattern[3:-1].split("|")
    assert [len(regex.sub(r"\\(.)", r"\1", i)) for i in items] == sorted((len(c) for c in load_cues()[category]), reverse=True)
    for cue in load_cues()[category]:  # each cue matches itself whole, a longer cue before its prefix
        assert regex.match(pattern, cue).group() == cue


@pytest.mark.parametrize(
    "category, text, first",
    [
        ("CHANGE_VERB", "降至正常", "降至正常"),  # not 降至
        ("CHANGE_VERB", "恢复正常", "恢复正常"),  # not 恢复
        ("NOT_SEEN", "均未出现发热", "均未出现"),  # not 均未
        ("NOT_SEEN", "没有观察到", "没有观察到"),  # not 没有
        ("ANIMAL", "MRL/lpr小鼠", "MRL/lpr"),  # the slash is no regex syntax
        ("ANIMAL", "in vitro", "in vitro"),
    ],
)
def test_alternation_tries_the_longer_cue_first(category, text, first):
    assert regex.match(alternation(category), text).group() == first


def test_unknown_category_is_refused():
    with pytest.raises(LexiconError, match="no cues of category 'UPWARD'"):
        alternation("UPWARD")


@pytest.mark.parametrize("cue", load_cues()["NOT_SEEN"])
def test_every_not_seen_cue_is_a_negation_for_context_and_for_adverse_events(cue):
    """The adverse-event extractor's not-seen cues and lexicons/negation.tsv agree: ConText
    negates what follows each cue, and the extractor reads it as an event denied."""
    text = f"输注后{cue}发热。"
    start = text.index("发热")
    assert context_of(text, start, start + 2)["negated"]
    events = [a for a in find_adverse_events(f"{cue}不良反应。") if a.kind == "events"]
    assert events and events[0].negated


@pytest.mark.parametrize(
    "words, at_start, expected",
    [
        ("DAS28评分下降", False, "down"),
        ("有效率提高", False, "up"),
        ("回落", True, "down"),
        ("增至", True, "up"),
        ("未见升高", True, None),  # no rise stated: the cue must begin the words
        ("未见升高", False, "up"),
        ("先升高后下降", False, "down"),  # a fall named anywhere wins
        ("改善", False, None),
    ],
)
def test_direction_of(words, at_start, expected):
    assert direction_of(words, at_start) == expected


@pytest.mark.parametrize("category", ["DIRECTION_UP", "DIRECTION_DOWN"])
def test_every_direction_word_names_its_direction(category):
    """One list of each direction, for the outcome extractor and the outcome tables' columns."""
    for cue in load_cues()[category]:
        assert direction_of(f"{cue}例数") == category.removeprefix("DIRECTION_").lower()


@pytest.mark.parametrize(
    "cues, down, up",
    [
        (COMPARED, ("STATED_DOWN", "DIRECTION_DOWN"), ("STATED_UP", "DIRECTION_UP")),
        (ENGLISH, ("DIRECTION_DOWN_EN",), ("DIRECTION_UP_EN",)),
    ],
    ids=["compared", "english"],
)
def test_the_other_direction_lists_name_their_directions(cues, down, up):
    """A comparison (低于对照组, <2.6, 转阴) and an English verb read through the same helper."""
    for categories, expected in ((down, "down"), (up, "up")):
        for category in categories:
            for cue in load_cues()[category]:
                assert direction_of(f"{cue}ed", at_start=True, cues=cues) == expected, cue
    assert direction_of("低于对照组") is None  # the verbs of change alone, by default
    assert direction_of("improved", at_start=True, cues=ENGLISH) is None


def test_the_direction_between_values():
    assert [direction_between(5.8, 3.2), direction_between(1, 2), direction_between(2, 2)] == ["down", "up", None]
