"""The measures of the outcome lexicon (lexicons/outcome.tsv) named in text, with their codes.

The outcome rules bind their values to these names; the numeric results and the columns of
outcome tables read them too, so every reader codes a measure the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

from ..lexicon import load_lexicons

# the measures whose values and changes are results ("DAS28评分为5.6分", "血肌酐下降"); a named
# rate, count or event is read by the rules that name it
NUMERIC_MEASURES = frozenset({
    "DAS28", "VAS", "ESR", "CRP", "SLEDAI", "mRSS", "HAQ", "ESSDAI", "RF", "anti_CCP", "anti_dsDNA", "proteinuria", "creatinine",
    "complement", "ACR20", "ACR50", "ACR70", "ASDAS", "BASDAI", "BASFI", "BILAG", "CDAI", "C_peptide", "DLCO", "EDSS", "ESSPRI",
    "FVC", "HbA1c", "hemoglobin", "insulin_dose", "KOOS", "Lysholm", "Mayo", "MMT8", "PASI", "PDAI", "salivary_flow", "Schirmer",
    "WOMAC", "ALT", "AST", "ALP", "GGT", "IgG", "ferritin", "platelets",
})


@lru_cache(maxsize=1)
def _measure_codes() -> dict[str, str]:
    """Measure name → code, from lexicons/outcome.tsv."""
    return {e.form: e.code for e in load_lexicons()["outcome"].entries if e.kind != "stop"}


def measure_code(surface: str) -> str:
    """The code of a measure name as written (spaces inside it ignored), "other" when unknown."""
    codes = _measure_codes()
    return codes.get(surface) or codes.get(regex.sub(r"\s", "", surface), "other")


@lru_cache(maxsize=1)
def _measure_parts() -> tuple:
    """The measure names split into a Chinese half (stdlib `re`) and a Latin half (`regex`):
    one mixed alternation defeats the engines' literal optimisations (see terms.py)."""
    lex = load_lexicons()["outcome"]
    # stop forms take part (a longer word that contains a measure: 血小板减少症) and are dropped
    # by `find_measures`
    forms = sorted(lex.entries, key=lambda e: (-len(e.form), e.form))
    han, latin = [], []
    for e in forms:
        if e.form.isascii():
            latin.append(rf"(?<![A-Za-z0-9]){regex.escape(e.form)}(?![A-Za-z0-9])")
        else:
            f = re.escape(e.form)
            # "28 个关节疾病活动度评分": papers (and PDF text) put a space between digits and Han
            # and between Latin and Han: "改良 Rodnan 皮肤评分"
            han.append(regex.sub(r"(?<=[\dA-Za-z])(?=\p{Han})|(?<=\p{Han})(?=[\dA-Za-z])", r"\\s?", f))
    parts = []
    if han:
        parts.append(re.compile("|".join(han)))
    if latin:
        parts.append(regex.compile("|".join(latin)))
    return tuple(parts)


@lru_cache(maxsize=64)  # a text's measures are asked by the outcome rules and by the numeric results
def find_measures(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, code) of every measure name in `text`, leftmost-longest, without overlaps."""
    from ..terms import _scan

    stops = _measure_stops()
    return tuple((a, b, measure_code(surface)) for a, b, surface in _scan(_measure_parts(), text)
                 if regex.sub(r"\s", "", surface) not in stops)


@lru_cache(maxsize=1)
def _measure_stops() -> frozenset[str]:
    return frozenset(e.form for e in load_lexicons()["outcome"].entries if e.kind == "stop")


def measure_in(text: str, start: int, end: int, default: str = "other") -> str:
    """The measure ``text[start:end]`` names last (`default` when none); records use it for
    outcome-table column names too."""
    found = find_measures(text[start:end])  # codes via measure_code: spaced forms too
    return found[-1][2] if found else default
