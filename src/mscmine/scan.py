"""Search a slow pattern only near the cheap literal every one of its matches contains.

Patterns that start with a character class or an optional part ("a name of 2-4 Han characters,
then 等 and a citation") cannot use the regex engines' literal search and are tried at every
position of the text. When each match must contain some short literal (an *anchor*: "×" in a
dose, "等[" in a cited author), finding the anchors with the standard library's fast literal
search and trying the pattern only in windows around them gives the matches a scan of the whole
text gives, provided no match reaches further than `before` characters before its first anchor
or `after` characters after it (a match found close to a window's end is searched again
without the window's end, so a long tail is not cut; lookaheads must be shorter than 8
characters).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Iterable, Iterator

import regex


def finditer_near(pattern: regex.Pattern, text: str, anchors: re.Pattern, before: int, after: int) -> Iterator[regex.Match]:
    """What `pattern.finditer(text)` gives, searched only within `before`/`after` of `anchors`."""
    windows: list[list[int]] = []
    for a in anchors.finditer(text):
        lo, hi = max(0, a.start() - before), a.end() + after
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    pos = 0
    for lo, hi in windows:
        pos = max(pos, lo)
        while pos <= hi:
            m = pattern.search(text, pos, hi)
            if m is not None and m.end() >= hi - 8:  # near the window's end, where the cut could change it
                m = pattern.search(text, pos)
            if m is None:
                break
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


class SpanIndex:
    """Spans (start, end), asked whether one of them covers a position or holds a span: sorted
    once, each question a bisection, so a check of every mention against every excluded span
    (quadratic in a long text) costs a logarithm. Spans may overlap and nest."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach = list(accumulate((b for _, b in ordered), max))  # furthest end of the spans so far

    def _furthest_end(self, pos: int) -> int | None:
        """The furthest end of the spans that start at or before `pos`."""
        k = bisect_right(self._starts, pos)
        return self._reach[k - 1] if k else None

    def covers(self, pos: int) -> bool:
        """``any(a <= pos < b for a, b in spans)``."""
        reach = self._furthest_end(pos)
        return reach is not None and pos < reach

    def holds(self, start: int, end: int) -> bool:
        """``any(a <= start and end <= b for a, b in spans)``."""
        reach = self._furthest_end(start)
        return reach is not None and end <= reach
