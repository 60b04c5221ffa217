"""Sentences and the clauses citation marks close, on normalised text (one definition for all
extractors and the study finder)."""

from __future__ import annotations

#: what ends a sentence in normalised text (full-width ；is already ``;`` there, kept for raw text)
SENTENCE_STOPS = "。;；\n"


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """(first character, index of the stop or len(text)) of the sentence holding text[start:end]."""
    end = start if end is None else end
    left = max(text.rfind(c, 0, start) for c in SENTENCE_STOPS) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_STOPS) if i != -1]
    return left, (min(rights) if rights else len(text))


def cited_clauses(text: str, citations) -> list[tuple[int, object]]:
    """(clause start, citation) for every citation mark: the clause a mark closes runs from its
    sentence start or from the previous mark ("…增殖[35]，抑制Th17细胞分化[36]")."""
    out = []
    prev_end = 0
    for cit in citations:
        out.append((max(max(text.rfind(c, 0, cit.start) for c in SENTENCE_STOPS) + 1, prev_end), cit))
        prev_end = cit.end
    return out
