"""Sentences and the clauses citation marks close, on normalised text (one definition for all
extractors and the study finder)."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

#: what ends a sentence in normalised text (full-width ；is already ``;`` there, kept for raw text)
SENTENCE_STOPS = "。;；\n"


@lru_cache(maxsize=16)  # a few texts of one document (raw, normalised, masked), a few stop sets each
def _stop_positions(text: str, stops: str) -> list[int]:
    """Every index of a character of `stops` in `text`, in order: found once per text, so finding
    the stop before or after a position costs a bisection, not a scan back to the text's start
    (which made a text without stops quadratic in its mentions)."""
    return [m.start() for m in re.finditer("[" + re.escape(stops) + "]", text)]


def last_stop(text: str, stops: str, end: int) -> int:
    """``max(text.rfind(c, 0, end) for c in stops)``: the last stop before `end`, or -1."""
    at = _stop_positions(text, stops)
    k = bisect_left(at, end)
    return at[k - 1] if k else -1


def next_stop(text: str, stops: str, start: int) -> int:
    """The first stop at or after `start`, or -1 (the least ``text.find(c, start)`` found)."""
    at = _stop_positions(text, stops)
    k = bisect_left(at, start)
    return at[k] if k < len(at) else -1


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """(first character, index of the stop or len(text)) of the sentence holding text[start:end]."""
    end = start if end is None else end
    right = next_stop(text, SENTENCE_STOPS, end)
    return last_stop(text, SENTENCE_STOPS, start) + 1, (right if right != -1 else len(text))


def cited_clauses(text: str, citations) -> list[tuple[int, object]]:
    """(clause start, citation) for every citation mark: the clause a mark closes runs from its
    sentence start or from the previous mark ("…增殖[35]，抑制Th17细胞分化[36]")."""
    out = []
    prev_end = 0
    for cit in citations:
        out.append((max(last_stop(text, SENTENCE_STOPS, cit.start) + 1, prev_end), cit))
        prev_end = cit.end
    return out
