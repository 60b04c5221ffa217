"""Loading and checking the hand-written lexicons in ``lexicons/`` (package ``mscmine.lexicons``).

A lexicon maps surface forms to the codes of the public vocabulary. Mistakes in data must fail
loudly at load time, naming the file and the line: an unknown code, a form listed twice, a form
given two codes, a line with the wrong number of fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import LexiconError

#: lexicon file stem → (entity label, vocabulary category)
LEXICON_FILES: dict[str, tuple[str, str]] = {
    "disease": ("DISEASE", "disease"),
    "cell_type": ("CELL_TYPE", "cell_type"),
    "cell_source": ("CELL_SOURCE", "cell_source"),
    "donor": ("DONOR", "donor"),
    "route": ("ROUTE", "route"),
    "outcome": ("OUTCOME_MEASURE", "outcome"),
    "adverse_event": ("ADVERSE_EVENT_TERM", "adverse_event"),
}
KINDS = ("name", "abbr", "ambiguous", "before_patients", "listed", "stop")
#: the categories of lexicons/cues.tsv: word lists the extractors' patterns are built with
CUE_CATEGORIES = (
    "ALL_OF_THEM", "ANIMAL", "CHANGE_VERB", "COMORBIDITY", "CONTROL_ARM", "DIRECTION_DOWN", "DIRECTION_DOWN_EN", "DIRECTION_UP",
    "DIRECTION_UP_EN", "IN_VITRO", "NOT_SEEN", "OTHER_AGENT", "RESPONDED", "STATED_DOWN", "STATED_UP", "TREATED_ARM", "TREATMENT",
)


@dataclass(frozen=True)
class LexiconEntry:
    form: str
    code: str
    kind: str
    label: str
    line: int

    @property
    def is_latin(self) -> bool:
        return self.form[:1].isascii() or self.form[-1:].isascii()


@dataclass(frozen=True)
class Code:
    category: str
    code: str
    mesh: str
    english: str
    chinese: str


@dataclass(frozen=True)
class Lexicon:
    """All entries of one file, for one entity label."""

    name: str
    label: str
    category: str
    entries: tuple[LexiconEntry, ...]

    def code_of(self, form: str) -> str | None:
        for e in self.entries:
            if e.form == form and e.kind != "stop":
                return e.code
        return None

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "entries": [[e.form, e.code, e.kind] for e in self.entries]}


def _data_lines(text: str, source: str):
    """(line number, fields) for every non-comment, non-blank line after the header."""
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if number == 1 and raw.startswith("\ufeff"):
            raise LexiconError(f"line 1: byte-order mark; save as UTF-8 without BOM", source)
        if not raw.strip() or raw.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        yield number, raw.split("\t")


def parse_codes(text: str, source: str = "codes.tsv") -> dict[tuple[str, str], Code]:
    codes: dict[tuple[str, str], Code] = {}
    for number, fields in _data_lines(text, source):
        if len(fields) != 5:
            raise LexiconError(f"line {number}: expected 5 tab-separated fields, got {len(fields)}", source)
        key = (fields[0], fields[1])
        if key in codes:
            raise LexiconError(f"line {number}: code {fields[1]!r} listed twice in {fields[0]}", source)
        codes[key] = Code(*fields)
    return codes


def parse_lexicon(text: str, name: str, codes: dict[tuple[str, str], Code]) -> Lexicon:
    """Parse one lexicon TSV and check it against the allowed codes."""
    label, category = LEXICON_FILES[name]
    source = f"lexicons/{name}.tsv"
    seen: dict[str, LexiconEntry] = {}
    entries = []
    for number, fields in _data_lines(text, source):
        if len(fields) != 3:
            raise LexiconError(f"line {number}: expected 3 tab-separated fields (form, code, kind), got {len(fields)}", source)
        form, code, kind = (f.strip() for f in fields)
        if not form:
            raise LexiconError(f"line {number}: empty form", source)
        if kind not in KINDS:
            raise LexiconError(f"line {number}: unknown kind {kind!r} (allowed: {', '.join(KINDS)})", source)
        if (category, code) not in codes:
            raise LexiconError(f"line {number}: unknown {category} code {code!r} for {form!r}", source)
        if form in seen:
            other = seen[form]
            what = "listed twice" if other.code == code else f"has two codes, {other.code!r} (line {other.line}) and {code!r}"
            raise LexiconError(f"line {number}: form {form!r} {what}", source)
        entry = LexiconEntry(form, code, kind, label, number)
        seen[form] = entry
        entries.append(entry)
    return Lexicon(name, label, category, tuple(entries))


def parse_cues(text: str, source: str = "lexicons/cues.tsv") -> dict[str, tuple[str, ...]]:
    """Category → its cues, from a cues TSV (cue, category, note). A cue may stand in several
    categories (下降 is a direction and a change verb), never twice in one."""
    cues: dict[str, dict[str, int]] = {c: {} for c in CUE_CATEGORIES}
    for number, fields in _data_lines(text, source):
        if len(fields) != 3:
            raise LexiconError(f"line {number}: expected 3 tab-separated fields (cue, category, note), got {len(fields)}", source)
        cue, category = fields[0], fields[1].strip()
        if not cue.strip() or cue != cue.strip():
            raise LexiconError(f"line {number}: empty cue, or spaces around it: {cue!r}", source)
        if category not in cues:
            raise LexiconError(f"line {number}: unknown category {category!r} (allowed: {', '.join(CUE_CATEGORIES)})", source)
        if cue in cues[category]:
            raise LexiconError(f"line {number}: cue {cue!r} listed twice in {category} (line {cues[category][cue]})", source)
        cues[category][cue] = number
    return {c: tuple(forms) for c, forms in cues.items()}


@lru_cache(maxsize=1)
def load_cues() -> dict[str, tuple[str, ...]]:
    return parse_cues(_read("cues.tsv"))


@lru_cache(maxsize=None)
def alternation(category: str) -> str:
    """The cues of `category` as one regex group, ``(?:…|…)``, escaped and longest first: of two
    cues where one begins the other (降至正常, 降至) the longer must be tried first, or a pattern
    that goes on after the group would stop at the shorter."""
    cues = load_cues().get(category)
    if not cues:
        raise LexiconError(f"no cues of category {category!r} (allowed: {', '.join(CUE_CATEGORIES)})", "lexicons/cues.tsv")
    return "(?:" + "|".join(re.escape(c) for c in sorted(cues, key=lambda c: (-len(c), c))) + ")"


def _read(name: str) -> str:
    return resources.files("mscmine.lexicons").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_codes() -> dict[tuple[str, str], Code]:
    return parse_codes(_read("codes.tsv"))


@lru_cache(maxsize=1)
def load_lexicons() -> dict[str, Lexicon]:
    """Every lexicon, keyed by file stem; checked, and cached for the process."""
    codes = load_codes()
    return {name: parse_lexicon(_read(f"{name}.tsv"), name, codes) for name in LEXICON_FILES}


def mesh_of(disease_code: str) -> str | None:
    code = load_codes().get(("disease", disease_code))
    return code.mesh if code else None


def jieba_user_dict_lines() -> list[str]:
    """Lines of a jieba user dictionary (``word freq``) from every Chinese lexicon form."""
    words = set()
    for lex in load_lexicons().values():
        for e in lex.entries:
            if " " not in e.form:
                words.add(e.form)
    return [f"{w} 50000" for w in sorted(words)]
