"""Clause cues shared by the sample-size and outcome extractors, so both read a count the same way:
"17例患者接受…" counts the patients of a study; "9 名患者症状好转" counts a result."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..lexicon import alternation

# what is done to the patients who make up a study: "17例患者接受…", "46名患者随机分为3组"
ENROL_VERB = regex.compile(
    # 经 only as a route ("经静脉…"): 神经精神狼疮 names a disease
    r"接受|纳入|入组|入选|参与|参加|随机|分为|分成|给予|予以|采用|应用|使用|进行|行(?!走)|经(?=\s?(?:静脉|动脉|外周|肘|股|导管|关节|鞘|腰|皮))|"
    r"输注|注射|招募|符合|"
    r"(?:治疗|移植)(?!后|前|\d)"
)
# "76例患者移植后…均有改善": all of them, so the count is the cohort itself, not a result's count
ALL_OF_THEM = regex.compile(alternation("ALL_OF_THEM"))
# what the patients counted as "…者" reached: "应答者11例", "IgG恢复正常者7例", "转阴者：高剂量组12例"
# (a pattern fragment: both extractors build their own patterns around it)
RESPONDED = alternation("RESPONDED")

@dataclass(frozen=True)
class Directions:
    """The cues of a fall and of a rise, a fall tried first."""

    down: regex.Pattern
    up: regex.Pattern


def _directions(down: tuple[str, ...], up: tuple[str, ...], flags: int = 0) -> Directions:
    def cues(categories: tuple[str, ...]) -> regex.Pattern:
        return regex.compile("|".join(alternation(c) for c in categories), flags)

    return Directions(cues(down), cues(up))


#: verbs of change (下降, 降至; 升高, 增至): what every extractor and the outcome tables' columns read
CHANGES = _directions(("DIRECTION_DOWN",), ("DIRECTION_UP",))
#: verbs of change, and a comparison or a test turned negative (低于对照组, <2.6, 转阴; 高于, 优于):
#: for the outcome rules whose verbs include these
COMPARED = _directions(("DIRECTION_DOWN", "STATED_DOWN"), ("DIRECTION_UP", "STATED_UP"))
#: English verbs of change (decreased, reduction; increased, elevated), any case
ENGLISH = _directions(("DIRECTION_DOWN_EN",), ("DIRECTION_UP_EN",), regex.IGNORECASE)


def direction_of(words: str, at_start: bool = False, cues: Directions = CHANGES) -> str | None:
    """"down" where `words` hold a fall (下降, 降至), else "up" for a rise (升高, 增至), else None;
    with `at_start`, only a cue `words` begin with counts ("未见升高" states no rise). One list
    of each for every extractor, and for the columns of outcome tables; `cues` names the lists
    (`COMPARED`, `ENGLISH`) where a rule's words state a direction otherwise."""
    for name, cue in (("down", cues.down), ("up", cues.up)):
        if (cue.match if at_start else cue.search)(words):
            return name
    return None


def direction_between(before, after) -> str | None:
    """The direction of a change told by its values (numbers, or lists compared in order) rather
    than by its words: "由5.8分降至3.2分" and "from 10 to 4" are "down" however the verb reads."""
    return "down" if after < before else "up" if after > before else None
