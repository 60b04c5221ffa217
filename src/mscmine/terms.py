"""Lexicon term matching on normalised text: diseases, cell types and sources, donors, routes.

Matching runs on characters, not on jieba tokens, so a term inside a longer word is still
found (脐带 in 脐带间充质干细胞, MSC in UC-MSCs). At each position the longest form wins; a
`stop` form (骨髓瘤) wins and yields nothing. Ambiguous abbreviations (AD, UC, BM, CD) count
only where the document defines them ("脂肪(AD)") or where they are glued to a cell type
("AD-MSC", "BM/AD-MSC").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from .lexicon import Lexicon, LexiconEntry, load_lexicons
from .mention import Mention

TERM_LEXICONS = ("disease", "cell_type", "cell_source", "donor", "route")

# A cell-type abbreviation that a source abbreviation may be glued to: UC-MSCs, BM/AD-MSC.
_GLUED_TO_CELLS = regex.compile(r"(?:\s?/\s?h?[A-Z]{1,4})*\s?[-‐]?\s?h?(?:MSC|SC|ADSC|SVF)s?(?![a-z])")
# "BM 或 UC-MSCs", "BM、UC-MSCs": an abbreviation coordinated with one glued to a cell type
_COORDINATED = regex.compile(r"\s?(?:或|和|、|/|及|与)\s?h?[A-Z]{1,4}\s?[-‐]\s?(?:MSC|SC)s?(?![a-z])")
# items of one list: "骨髓、脐带、肌肉" (and "及", "和", "或" before the last)
_LIST_SEPARATOR = regex.compile(r"\s?(?:、|及|和|或|以及|,|，)\s?")
# what cells become is no source: "可分化为骨、软骨、肌肉、脂肪等多种细胞"
_DIFFERENTIATES_INTO = regex.compile(r"分化(?:为|成)[^。;；,，]{0,24}$")
# "FULL (english words, ABBR)" or "FULL(ABBR)" right after a matched full form
_DEFINITION = regex.compile(
    r"\s?[(（]\s?(?:[^()（）\n]{0,80}?[,，;；]\s?)?(?P<abbr>[A-Za-z][A-Za-z0-9\-]{0,9})\s?[)）,，;；]"
)


@dataclass(frozen=True)
class _CompiledLexicon:
    lexicon: Lexicon
    pattern: regex.Pattern  # every form, longest first: what `_scan` reproduces faster
    by_form: dict[str, LexiconEntry]
    by_folded: dict[str, LexiconEntry]
    parts: tuple = ()  # (pure Chinese literals, forms with Latin ends): searched separately


def _alternative(entry: LexiconEntry) -> str:
    form = regex.escape(entry.form)
    if not entry.is_latin:
        return form
    form = form.replace("\\ ", "\\s+")  # "systemic   sclerosis": a wrapped line's spaces
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
    # One alternation of Chinese literals and Latin forms with lookarounds defeats the regex
    # engines' literal optimisations (10x slower than the two halves searched apart, see
    # benchmarks/RESULTS.md); `_scan` merges the halves with the same leftmost-longest result.
    han = [e.form for e in entries if not e.is_latin]
    latin = [e for e in entries if e.is_latin]
    parts = []
    if han:
        parts.append(re.compile("|".join(re.escape(f) for f in han)))
    if latin:
        parts.append(regex.compile("|".join(_alternative(e) for e in latin)))
    return _CompiledLexicon(
        lex,
        pattern,
        {e.form: e for e in lex.entries},
        {e.form.casefold(): e for e in lex.entries if e.kind == "name"},
        tuple(parts),
    )


def _scan(parts: tuple, text: str):
    """(start, end, surface) of the matches `"|".join(all alternatives)` would give, in order:
    the leftmost match, the longer one where two halves match at the same place."""
    if len(parts) == 1:
        for m in parts[0].finditer(text):
            yield m.start(), m.end(), m.group()
        return
    # Usually no match of one half overlaps a match of the other: then the two scans, merged by
    # position, are the answer (an overlap between the halves would show up between neighbours).
    found = sorted((m for p in parts for m in p.finditer(text)), key=lambda m: m.start())
    if all(a.end() <= b.start() for a, b in zip(found, found[1:])):
        for m in found:
            yield m.start(), m.end(), m.group()
        return
    nxt = [p.search(text) for p in parts]
    pos = 0
    while True:
        best = None
        for m in nxt:
            if m is not None and (best is None or m.start() < best.start() or (m.start() == best.start() and m.end() > best.end())):
                best = m
        if best is None:
            return
        yield best.start(), best.end(), best.group()
        pos = best.end()
        nxt = [m if m is None or m.start() >= pos else p.search(text, pos) for p, m in zip(parts, nxt)]


def _entry_for(comp: _CompiledLexicon, surface: str) -> LexiconEntry | None:
    entry = comp.by_form.get(surface) or comp.by_folded.get(surface.casefold())
    if entry is None and regex.search(r"\s", surface):
        single = regex.sub(r"\s+", " ", surface)
        entry = comp.by_form.get(single) or comp.by_folded.get(single.casefold())
    return entry


def _listed_in_lists(text: str, kept: list[Mention]) -> list[Mention]:
    """Keep a `listed` term only where a list separator joins it to another term of the lexicon."""
    listed = [k for k in kept if k.attrs.get("listed")]
    if not listed:
        return kept
    # a listed word joined only to other listed words still counts when the list holds a plain term
    # neighbours by where they end and where they start: a joining gap is at most 4 characters
    ends = {k.end for k in kept if not k.attrs.get("listed")}
    starts = {k.start for k in kept if not k.attrs.get("listed")}
    changed = True
    out_listed: set[tuple[int, int]] = set()
    while changed:
        changed = False
        for k in listed:
            key = (k.start, k.end)
            if key in out_listed:
                continue
            joined = any(e in ends and _LIST_SEPARATOR.fullmatch(text, e, k.start) for e in range(max(0, k.start - 4), k.start + 1)) or any(
                s in starts and _LIST_SEPARATOR.fullmatch(text, k.end, s) for s in range(k.end, k.end + 5))
            if joined:
                out_listed.add(key)
                ends.add(k.end)
                starts.add(k.start)
                changed = True
    return [k for k in kept if not k.attrs.get("listed") or (k.start, k.end) in out_listed]


_PATIENTS_AFTER = regex.compile(r"\s?(?:患者|病人|患儿|病患)")


def find_terms(text: str, names: tuple[str, ...] = TERM_LEXICONS) -> list[Mention]:
    """All term mentions in `text` (normalised text), sorted by position."""
    found: list[Mention] = []
    for name in names:
        comp = _compiled(name)
        label = comp.lexicon.label
        matches: list[tuple[int, int, LexiconEntry]] = []
        for start, end, surface in _scan(comp.parts, text):
            entry = _entry_for(comp, surface)
            if entry is not None and entry.kind != "stop":
                matches.append((start, end, entry))
        # abbreviations the document defines after a full form
        defined: dict[str, str] = {}
        for start, end, entry in matches:
            if entry.kind in ("name",) or (entry.kind == "abbr" and len(entry.form) > 3):
                d = _DEFINITION.match(text, end)
                if d:
                    defined.setdefault(d.group("abbr"), entry.code)
        kept: list[Mention] = []
        for start, end, entry in matches:
            if label == "DISEASE" and entry.is_latin and _GLUED_TO_CELLS.match(text, end):
                continue  # "UC-MSCs" in a paper on ulcerative colitis (UC): the cells' source
            if entry.kind in ("ambiguous", "before_patients"):
                code = defined.get(entry.form)
                if code is None and entry.kind == "before_patients" and _PATIENTS_AFTER.match(text, end):
                    code = entry.code  # "82例AS患者": the patients' disease
                if code is None and label == "CELL_SOURCE" and (_GLUED_TO_CELLS.match(text, end) or _COORDINATED.match(text, end)):
                    code = entry.code
                if code is None:
                    continue
                kept.append(Mention(label, start, end, text[start:end], code))
            else:
                attrs = {"listed": True} if entry.kind == "listed" else {}
                kept.append(Mention(label, start, end, text[start:end], entry.code, attrs))
        kept = _listed_in_lists(text, kept)
        if label == "CELL_SOURCE":
            kept = [k for k in kept if not _DIFFERENTIATES_INTO.search(text, max(0, k.start - 30), k.start)]
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
