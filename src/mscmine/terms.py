"""Lexicon term matching on normalised text: diseases, cell types and sources, donors, routes.

Matching runs on characters, not on jieba tokens, so a term inside a longer word is still
found (脐带 in 脐带间充质干细胞, MSC in UC-MSCs). At each position the longest form wins; a
`stop` form (骨髓瘤) wins and yields nothing. Ambiguous abbreviations (AD, UC, BM, CD) count
only where the document defines them ("脂肪(AD)") or where they are glued to a cell type
("AD-MSC", "BM/AD-MSC").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .lexicon import Lexicon, LexiconEntry, load_lexicons
from .mention import Mention

TERM_LEXICONS = ("disease", "cell_type", "cell_source", "donor", "route")

# A cell-type abbreviation that a source abbreviation may be glued to: UC-MSCs, BM/AD-MSC.
_GLUED_TO_CELLS = regex.compile(r"(?:\s?/\s?h?[A-Z]{1,4})*\s?[-‐]?\s?h?(?:MSC|SC|ADSC|SVF)s?(?![a-z])")
# "FULL (english words, ABBR)" or "FULL(ABBR)" right after a matched full form
_DEFINITION = regex.compile(
    r"\s?[(（]\s?(?:[^()（）\n]{0,80}?[,，;；]\s?)?(?P<abbr>[A-Za-z][A-Za-z0-9\-]{0,9})\s?[)）,，;；]"
)


@dataclass(frozen=True)
class _CompiledLexicon:
    lexicon: Lexicon
    pattern: regex.Pattern
    by_form: dict[str, LexiconEntry]
    by_folded: dict[str, LexiconEntry]


def _alternative(entry: LexiconEntry) -> str:
    form = regex.escape(entry.form)
    if not entry.is_latin:
        return form
    left = r"(?<![A-Za-z0-9])" if entry.form[0].isascii() and entry.form[0].isalnum() else ""
    right = ""
    if entry.form[-1].isascii() and entry.form[-1].isalnum():
        if entry.label == "CELL_TYPE":
            right = r"(?:(?=T(?![A-Za-z]))|(?![A-Za-z0-9]))"  # MSC in MSCT, HSC in HSCT
        else:
            right = r"(?![A-Za-z0-9])"
    if entry.kind == "name" and len(entry.form) > 5:
        form = f"(?i:{form})"
    return f"{left}{form}{right}"


@lru_cache(maxsize=None)
def _compiled(name: str) -> _CompiledLexicon:
    lex = load_lexicons()[name]
    entries = sorted(lex.entries, key=lambda e: (-len(e.form), e.form))
    pattern = regex.compile("|".join(_alternative(e) for e in entries))
    return _CompiledLexicon(
        lex,
        pattern,
        {e.form: e for e in lex.entries},
        {e.form.casefold(): e for e in lex.entries if e.kind == "name"},
    )


def _entry_for(comp: _CompiledLexicon, surface: str) -> LexiconEntry | None:
    return comp.by_form.get(surface) or comp.by_folded.get(surface.casefold())


def find_terms(text: str, names: tuple[str, ...] = TERM_LEXICONS) -> list[Mention]:
    """All term mentions in `text` (normalised text), sorted by position."""
    found: list[Mention] = []
    for name in names:
        comp = _compiled(name)
        label = comp.lexicon.label
        matches: list[tuple[int, int, LexiconEntry]] = []
        for m in comp.pattern.finditer(text):
            entry = _entry_for(comp, m.group())
            if entry is not None and entry.kind != "stop":
                matches.append((m.start(), m.end(), entry))
        # abbreviations the document defines after a full form
        defined: dict[str, str] = {}
        for start, end, entry in matches:
            if entry.kind in ("name",) or (entry.kind == "abbr" and len(entry.form) > 3):
                d = _DEFINITION.match(text, end)
                if d:
                    defined.setdefault(d.group("abbr"), entry.code)
        kept: list[Mention] = []
        for start, end, entry in matches:
            if entry.kind == "ambiguous":
                code = defined.get(entry.form)
                if code is None and label == "CELL_SOURCE" and _GLUED_TO_CELLS.match(text, end):
                    code = entry.code
                if code is None:
                    continue
                kept.append(Mention(label, start, end, text[start:end], code))
            else:
                kept.append(Mention(label, start, end, text[start:end], entry.code))
        # defined abbreviations that the lexicon does not list (e.g. "间充质干细胞移植(MSCT)")
        taken = [(k.start, k.end) for k in kept]
        for abbr, code in defined.items():
            if abbr in comp.by_form:
                continue
            for m in regex.finditer(rf"(?<![A-Za-z0-9]){regex.escape(abbr)}(?![A-Za-z0-9])", text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    kept.append(Mention(label, m.start(), m.end(), m.group(), code, {"defined_abbreviation": True}))
        found.extend(kept)
    found.sort(key=lambda x: (x.start, -x.end, x.label))
    return found
