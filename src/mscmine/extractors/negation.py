"""ConText-style negation and hedging for Chinese, with the cues as data (``lexicons/negation.tsv``).

A FORWARD cue negates (or hedges) a target that starts within `max_scope` characters after
it; a BACKWARD cue one that ends within `max_scope` characters before it; a TERMINATE cue
(但, 然而, 。) between cue and target cuts the scope; a PSEUDO cue (不仅, 无论, 不同) is a
longer word that contains a cue and means nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..errors import LexiconError

CATEGORIES = ("NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "TERMINATE", "PSEUDO")
DIRECTIONS = ("FORWARD", "BACKWARD", "TERMINATE", "PSEUDO")


@dataclass(frozen=True)
class ContextRule:
    literal: str
    category: str
    direction: str
    max_scope: int

    @classmethod
    def from_dict(cls, d: dict) -> "ContextRule":
        unknown = set(d) - {"literal", "category", "direction", "max_scope"}
        if unknown:
            raise LexiconError(f"unknown keys {sorted(unknown)} in context rule {d}")
        rule = cls(d["literal"], d["category"], d["direction"], int(d.get("max_scope", 0)))
        if rule.category not in CATEGORIES or rule.direction not in DIRECTIONS:
            raise LexiconError(f"bad category/direction in context rule {d}")
        return rule

    def to_dict(self) -> dict:
        return {"literal": self.literal, "category": self.category, "direction": self.direction, "max_scope": self.max_scope}


@lru_cache(maxsize=1)
def load_rules() -> tuple[ContextRule, ...]:
    from ..lexicon import _data_lines, _read

    source = "lexicons/negation.tsv"
    rules, seen = [], set()
    for number, fields in _data_lines(_read("negation.tsv"), source):
        if len(fields) != 4:
            raise LexiconError(f"line {number}: expected 4 fields", source)
        if fields[0] in seen:
            raise LexiconError(f"line {number}: cue {fields[0]!r} listed twice", source)
        seen.add(fields[0])
        rules.append(ContextRule.from_dict(dict(zip(("literal", "category", "direction", "max_scope"), fields))))
    return tuple(rules)


@lru_cache(maxsize=1)
def _cue_pattern() -> tuple[re.Pattern, dict[str, ContextRule]]:
    # plain literals, longest first: the standard library's engine scans such an alternation
    # several times faster than `regex`, with the same leftmost-longest result
    rules = sorted(load_rules(), key=lambda r: -len(r.literal))
    return re.compile("|".join(re.escape(r.literal) for r in rules)), {r.literal: r for r in rules}


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    rule: ContextRule


def find_cues(text: str) -> tuple[Cue, ...]:
    """Every cue in `text`, in order (remembered for the last few texts: several extractors ask
    for the same document's cues)."""
    return _find_cues(text)


@lru_cache(maxsize=4)
def _find_cues(text: str) -> tuple[Cue, ...]:
    pattern, by_literal = _cue_pattern()
    return tuple(Cue(m.start(), m.end(), by_literal[m.group()]) for m in pattern.finditer(text))


@lru_cache(maxsize=1)
def _reach() -> int:
    """How far before a target's start a cue can begin and still reach it, or after its end."""
    rules = load_rules()
    return max(r.max_scope for r in rules) + max(len(r.literal) for r in rules)


_STARTS: dict[int, tuple[tuple, list[int]]] = {}


def _near(cues: tuple[Cue, ...], start: int, end: int) -> tuple[Cue, ...]:
    """The cues that could reach text[start:end] (cues come sorted by start)."""
    hit = _STARTS.get(id(cues))
    if hit is None or hit[0] is not cues:
        if len(_STARTS) > 8:
            _STARTS.clear()
        hit = _STARTS[id(cues)] = (cues, [c.start for c in cues])
    starts, reach = hit[1], _reach()
    return cues[bisect_left(starts, start - reach) : bisect_right(starts, end + reach)]


def context_of(text: str, start: int, end: int, cues: tuple[Cue, ...] | None = None) -> dict[str, bool]:
    """{"negated": …, "hedged": …} for the target text[start:end]."""
    cues = _near(find_cues(text) if cues is None else tuple(cues), start, end)
    negated = hedged = False
    for cue in cues:
        rule = cue.rule
        if rule.direction == "FORWARD" and cue.start < end and start - cue.end <= rule.max_scope:
            between = (cue.end, start)
        elif rule.direction == "BACKWARD" and cue.end > start and cue.start - end <= rule.max_scope:
            between = (end, cue.start)
        else:
            continue
        if any(t.rule.category == "TERMINATE" and between[0] <= t.start < between[1] for t in cues):
            continue
        if rule.category == "NEGATED_EXISTENCE":
            negated = True
        elif rule.category == "POSSIBLE_EXISTENCE":
            hedged = True
    return {"negated": negated, "hedged": hedged}
