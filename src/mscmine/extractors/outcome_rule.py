"""What an outcome rule is: a name, a pattern, where the pattern is tried, a builder, and how
its results claim their words. The Chinese and the English rules are written with these; the
ordered table and the runner are in `extractors.outcomes`.

The pieces live apart from the table so that the rule modules can build on them and the table
on the rule modules, with no import leading back (tests/test_layering.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import regex

from ..scan import finditer_near


@dataclass(frozen=True)
class OutcomeMatch:
    start: int
    end: int
    measure: str
    value: float | None
    unit: str | None
    negated: bool = False
    direction: str | None = None
    extra: dict = field(default_factory=dict)
    # the rule that read it (set by the runner): for tests and debugging, in no output
    rule: str = field(default="", compare=False)

    def to_value(self) -> dict:
        out = {"measure": self.measure, "value": self.value, "unit": self.unit, "negated": self.negated}
        if self.direction:
            out["direction"] = self.direction
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class Context:
    """What every rule may read of a text besides its own match, found once per text."""

    measures: tuple[tuple[int, int, str], ...]  # `measures.find_measures`
    cues: list  # `negation.find_cues`, for `negation.context_of`
    # the first measure starting at each index: a rule walking a list asks at every step
    by_start: dict[int, tuple[int, int, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_start: dict[int, tuple[int, int, str]] = {}
        for m in self.measures:
            by_start.setdefault(m[0], m)
        object.__setattr__(self, "by_start", by_start)

    def measure_at(self, j: int) -> tuple[int, int, str] | None:
        """The first measure of `measures` that starts at `j`, or None."""
        return self.by_start.get(j)


# (pattern, text, context) -> the pattern's matches where the rule tries it
Scan = Callable[[regex.Pattern, str, Context], Iterable[Any]]
class Spans:
    """Results read so far, found by where they start: the claims ask which results overlap or
    hold a span, and a scan of every result for every new one made a rule quadratic in the
    results of a text. A result starts at most `longest` characters before its end, so only the
    buckets from there to the span's end are read."""

    BUCKET = 256  # characters per bucket: a few results each in a dense results section

    def __init__(self, results: Iterable[OutcomeMatch] = ()) -> None:
        self._buckets: dict[int, list[OutcomeMatch]] = {}
        self.longest = 0
        for o in results:
            self.add(o)

    def add(self, o: OutcomeMatch) -> None:
        self._buckets.setdefault(o.start // self.BUCKET, []).append(o)
        self.longest = max(self.longest, o.end - o.start)

    def starting_in(self, lo: int, hi: int) -> Iterable[OutcomeMatch]:
        """The results with lo <= start <= hi."""
        for k in range(max(lo, 0) // self.BUCKET, hi // self.BUCKET + 1) if hi >= lo else ():
            for x in self._buckets.get(k, ()):
                if lo <= x.start <= hi:
                    yield x


# (result, results of earlier rules, this rule's results so far) -> whether it is kept
Claims = Callable[[OutcomeMatch, Spans, Spans], bool]


def _overlaps(o: OutcomeMatch, others: Spans) -> bool:
    return any(x.start < o.end and o.start < x.end for x in others.starting_in(o.start - others.longest, o.end))


def claims_span(o: OutcomeMatch, earlier: Spans, own: Spans) -> bool:
    """The default: a result is kept when no result read before shares a character with it, so
    the first rule of the table to read some words is the one whose reading counts."""
    return not _overlaps(o, earlier) and not _overlaps(o, own)


def claims_beside_own(o: OutcomeMatch, earlier: Spans, own: Spans) -> bool:
    """For a rule whose results share words ("DAS28、HAQ评分分别降至3.1分和0.8分": each measure
    spans to its own value, the spans nest): overlapping no earlier rule's result."""
    return not _overlaps(o, earlier)


def claims_unless_inside(o: OutcomeMatch, earlier: Spans, own: Spans) -> bool:
    """For measures listed with one verb ("DAS28、VAS和ESR显著降低": each spans to the verb): not
    inside an earlier rule's result, which read those words more closely, and no repeat of one
    of its own (the same span; the same measure again before the same verb, "C3、C4无显著变化")."""
    if any(x.end >= o.end for x in earlier.starting_in(o.end - earlier.longest, o.start)):
        return False
    return not any(x.end == o.end and (x.start == o.start or x.measure == o.measure and x.start < o.start)
                   for x in own.starting_in(o.end - own.longest, o.start))


def claims_always(o: OutcomeMatch, earlier: Spans, own: Spans) -> bool:
    """For the values of the arms given cells, each ending at its own value: each arm's own."""
    return True


def everywhere(pattern: regex.Pattern, text: str, ctx: Context) -> Iterable[regex.Match]:
    """The pattern's matches in the whole text."""
    return pattern.finditer(text)


def near(anchor, before: int, after: int) -> Scan:
    """The matches of a pattern that starts with a free stretch, tried only within `before` and
    `after` of a word each of its matches holds (`mscmine.scan.finditer_near`)."""
    return lambda pattern, text, ctx: finditer_near(pattern, text, anchor, before, after)


class MeasureMatch:
    """A measure name followed by a tail pattern, read like one match of "(?P<m>MEASURE)TAIL"."""

    def __init__(self, text: str, start: int, end: int, tail) -> None:
        self._m, self._tail, self._start = text[start:end], tail, start

    def start(self, group: str | None = None) -> int:
        return self._start if group in (None, "m") else self._tail.start(group)

    def end(self) -> int:
        return self._tail.end()

    def group(self, name: str | None = None):
        if name is None:
            return self._m + self._tail.group()
        return self._m if name == "m" else self._tail.group(name)

    def groupdict(self) -> dict:
        return {"m": self._m, **self._tail.groupdict()}

    def captures(self, name: str) -> list[str]:
        return self._tail.captures(name)


def skip_parenthesis(text: str, j: int, limit: int = 80) -> int:
    """Index after the parenthesised group that opens at text[j], or j when none closes soon."""
    close = {"(": ")", "（": "）"}.get(text[j : j + 1])
    if not close:
        return j
    k = text.find(close, j + 1, j + limit)
    return k + 1 if k >= 0 else j


def after_measures(tail: regex.Pattern, text: str, ctx: Context) -> list[MeasureMatch]:
    """Measures followed by `tail`; the tail may also start after the measure's parenthesised
    abbreviation ("改良Rodnan皮肤评分(mRSS)由…") or after the parenthesis an abbreviation closes."""
    out = []
    for a, b, _ in ctx.measures:
        starts = [b]
        after_paren = skip_parenthesis(text, b, limit=40)
        if after_paren != b:
            starts.append(after_paren)
        if text[b : b + 1] in (")", "）"):
            starts.append(b + 1)
        for pos in starts:
            t = tail.match(text, pos)
            if t:
                out.append(MeasureMatch(text, a, b, t))
                break
    return out


@dataclass(frozen=True)
class OutcomeRule:
    """One way of writing a result. `build(match, text, ctx)` gives its result(s) or None (the
    match is no result); `scan` says where the pattern is tried, `claims` how the results
    share words with those read before (`claims_span` unless the rule's results nest)."""

    name: str
    pattern: regex.Pattern
    build: Callable[[Any, str, Context], Any]
    scan: Scan = everywhere
    claims: Claims = claims_span
