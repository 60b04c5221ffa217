"""A normalised view of a document's text that keeps an exact map back to the original.

Extractors read `NormalizedText.text` (or `.masked`, where citation marks are blanked) and
report spans in its coordinates; `to_original()` turns them into offsets of `Document.text`.

Every pass is a list of edits ``(start, end, replacement)`` over its input; each character of a
replacement points back to the whole input range it replaced, unchanged characters point to
themselves, and deleted characters point nowhere. Passes compose, so the final map sends every
normalised character to the exact original characters it came from.

Passes, in order:

1. characters (1:1): full-width ASCII forms, ideographic and no-break spaces, dash variants,
   superscript +/-, subscript digits, Traditional → Simplified (OpenCC, character by character);
2. markup left in plain text (``10<sup>6</sup>`` → ``10^6``, ``<sub>`` dropped), pinyin
   readings after characters dropped (``細(xì)胞`` → ``細胞``), then superscript digits:
   ``10⁶`` → ``10^6``;
3. LaTeX from PDF-to-Markdown conversion: ``$…$`` delimiters, ``\\times``, ``\\text{…}``,
   ``^{…}``, ``\\sim`` and friends;
4. multiplication signs between a number and a power of ten (``x``, ``X``, ``*``, ``·`` → ``×``);
5. hard line wraps: line breaks inside a sentence are removed (see `_wrap_edits` for the rule),
   paragraph breaks are kept.

Citation marks (``^[13]``, ``[1-12]``, ``[2，4]``) are found afterwards; they stay in `.text`
and are blanked in `.masked`, so no extractor ever reads a reference number as a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import re
import unicodedata

import regex

Edit = tuple[int, int, str]

# ---------------------------------------------------------------------------------------------
# Pass 1: one character to one character (offsets unchanged)

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII variants
        table[code] = chr(code - 0xFEE0)
    for ch in "\u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f":
        table[ord(ch)] = " "
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63":  # hyphens, en/em dash, minus
        table[ord(ch)] = "-"
    for code in range(0xFE50, 0xFE6C):  # small form variants: "25﹪", "﹙9例﹚"
        small = unicodedata.normalize("NFKC", chr(code))
        if len(small) == 1 and small != chr(code):
            table[code] = small
    table[ord("〜")] = "~"
    table[ord("⁺")] = "+"
    table[ord("⁻")] = "-"
    for i, ch in enumerate(_SUBSCRIPT_DIGITS):
        table[ord(ch)] = str(i)
    return table


_CHAR_TABLE = _char_table()
_CHAR_TABLE_CHARS = frozenset(map(chr, _CHAR_TABLE))
# applied with a regular expression rather than str.translate: the characters to change are a few
# percent of a Chinese text (mostly full-width punctuation), and translate looks up every one
_CHAR_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_CHAR_TABLE_CHARS)) + "]")
_CHAR_MAP = {chr(k): v for k, v in _CHAR_TABLE.items()}


def _char_repl(m: re.Match) -> str:
    return _CHAR_MAP[m.group()]


@lru_cache(maxsize=1)
def _t2s_converter():
    try:
        import opencc  # opencc-python-reimplemented
    except ImportError:  # pragma: no cover - declared dependency
        return None
    return opencc.OpenCC("t2s")


_T2S_CACHE: dict[str, str] = {}


def to_simplified_chars(text: str, chars: set[str] | None = None) -> str:
    """Traditional → Simplified, one character for one character, so offsets do not move.

    OpenCC converts phrases; here each Han character is converted on its own and kept only
    when the result is a single character (the rare one-to-many mappings are left alone).
    Characters are converted once per process and then applied with ``str.translate``, and
    only to a text that has any (most texts are Simplified already). `chars`: `set(text)`, if
    the caller has it.
    """
    conv = _t2s_converter()
    if conv is None:
        return text
    chars = set(text) if chars is None else chars
    for ch in chars - _T2S_SEEN:
        _T2S_SEEN.add(ch)
        if ch >= "\u3400" and ch not in _T2S_CACHE:
            simp = conv.convert(ch)
            _T2S_CACHE[ch] = simp if len(simp) == 1 else ch
            if _T2S_CACHE[ch] != ch:
                _T2S_TABLE[ord(ch)] = _T2S_CACHE[ch]
                _T2S_CHARS.add(ch)
    return text if _T2S_CHARS.isdisjoint(chars) else text.translate(_T2S_TABLE)


_T2S_TABLE: dict[int, str] = {}
_T2S_CHARS: set[str] = set()  # the characters `_T2S_TABLE` changes
_T2S_SEEN: set[str] = set()  # every character looked at already


# ---------------------------------------------------------------------------------------------
# Passes 2-4: regular-expression edits

# "⁻¹" arrives here as "-¹" (the character table maps ⁻ to "-"): a minus glued to superscript
# digits is the exponent's sign ("kg⁻¹" → "kg^-1")
_SUPERSCRIPT_RUN = regex.compile(f"-?[{_SUPERSCRIPT_DIGITS}]+")
_SUPERSCRIPT_TRANS = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")

_LATEX_MATH = regex.compile(r"(?<!\\)\$([^$\n]{1,300}?)(?<!\\)\$")
_LATEX_SYMBOLS = {
    "times": "×",
    "sim": "~",
    "approx": "≈",
    "le": "≤",
    "leq": "≤",
    "leqslant": "≤",
    "ge": "≥",
    "geq": "≥",
    "geqslant": "≥",
    "pm": "±",
    "cdot": "·",
    "mu": "μ",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "kappa": "κ",
    "%": "%",
    "#": "#",
}
_LATEX_COMMAND = regex.compile(
    r"""
    \\(?P<wrap>text|mathrm|mathit|textrm|textit|rm|operatorname|mathbf|textbf)\s*\{   # \text{
    | \\(?P<sym>[a-zA-Z]+|%|\#)                                                        # \times
    | (?P<sup>\^\{)                                                                    # ^{
    | \\(?P<space>[,;!:\ ])                                                            # \,
    """,
    regex.VERBOSE,
)

# A multiplication sign written as x, X, *, · or a look-alike between a number and 10.
_TIMES_SIGN = regex.compile(r"(?<=\d\)?\s{0,3})[xX*·✕⨯∗](?=\s{0,3}10(?:\^|\s?\d|\b))")

_HAN = r"\p{Han}"
_CITATION_BODY = r"\d{1,3}(?:\s*[-~,，、]\s*\d{1,3})*"
_CITATION = regex.compile(
    rf"""
    \^\s*\[\s*(?P<nums>{_CITATION_BODY})\s*\]         # ^[13] (superscript from Markdown)
    | \[\s*(?P<nums>{_CITATION_BODY})\s*\]            # [13], [1-12], [2，4]
    """,
    regex.VERBOSE,
)
_CITATION_LINE = regex.compile(rf"\^?\[\s*{_CITATION_BODY}\s*\]|[+\-]")
_TERMINAL = set("。！？；：.!?;:")
_CONTINUATION_START = set("，、。；：）),;:%")
_SHORT_TAIL_END = set("。！？.!?；;,，、)）")
_UNIT_START = regex.compile(r"[例名位人个月年岁周天次篇项组%]")
_BLOCK_START = regex.compile(r"(?:\d+(?:\.\d+)*\s{2,}|表\s*\d|图\s*\d|Table\s*\d|Fig|[-*•|#])")
_CAPTION_START = regex.compile(r"(?:表\s*\d|图\s*\d|Table\s*\d|Fig)")
_LATIN_END = regex.compile(r"[A-Za-z]$")
_HAN_START = regex.compile(rf"^{_HAN}")


@dataclass(frozen=True)
class Citation:
    """A citation mark in normalised coordinates, with the reference numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]

    @property
    def label(self) -> str:
        return "[" + ",".join(str(n) for n in self.numbers) + "]"


_CITATION_LIST_SEP = regex.compile(r"\s*[,，、]\s*")
_CITATION_RANGE_SEP = regex.compile(r"\s*[-~]\s*")
_LINE_BREAK = regex.compile(r"[ \t]*\n\s*")


def parse_citation_numbers(body: str) -> tuple[int, ...]:
    """``"1-3, 7"`` → (1, 2, 3, 7); ranges are expanded, at most 200 numbers."""
    numbers: list[int] = []
    for part in _CITATION_LIST_SEP.split(body.strip()):
        if not part:
            continue
        bounds = _CITATION_RANGE_SEP.split(part)
        try:
            lo, hi = int(bounds[0]), int(bounds[-1])
        except ValueError:
            continue
        if hi < lo or hi - lo > 200:
            hi = lo
        numbers.extend(range(lo, hi + 1))
    return tuple(numbers[:200])


# Markup left in plain text copied from web pages: "1.0×10<sup>6</sup>/kg", "CD4<sup>+</sup>"
_MARKUP_SUP = regex.compile(r"<sup>\s*([^<>]{1,12}?)\s*</sup>", regex.IGNORECASE)
_MARKUP_SUB = regex.compile(r"</?sub>", regex.IGNORECASE)


def _markup_edits(text: str) -> list[Edit]:
    """``<sup>6</sup>`` → ``^6``; ``<sub>``/``</sub>`` dropped (their text kept)."""
    if "<" not in text:
        return []
    edits: list[Edit] = [(m.start(), m.end(), "^" + m.group(1)) for m in _MARKUP_SUP.finditer(text)]
    edits += [(m.start(), m.end(), "") for m in _MARKUP_SUB.finditer(text)]
    return sorted(edits)


# pinyin readings that web pages put after characters ("間充質(zhì)干細(xì)胞"): a syllable with a
# tone mark, in parentheses, right after a Han character
_PINYIN_TAG = regex.compile(r"(?<=\p{Han})\((?=[a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def _pinyin_edits(text: str) -> list[Edit]:
    """Pinyin readings after characters are dropped, so the words they split are whole again."""
    if "(" not in text:
        return []
    return [(m.start(), m.end(), "") for m in _PINYIN_TAG.finditer(text)]


def _superscript_edits(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "^" + m.group().translate(_SUPERSCRIPT_TRANS)) for m in _SUPERSCRIPT_RUN.finditer(text)]


def _latex_edits(text: str) -> list[Edit]:
    """Drop ``$`` delimiters and rewrite the LaTeX commands inside math (and stray ones)."""
    edits: list[Edit] = []
    for m in _LATEX_MATH.finditer(text):
        body = m.group(1)
        if not regex.search(r"[\\^_\d]", body):
            continue  # a pair of dollar signs that is not math
        edits.append((m.start(), m.start() + 1, ""))
        edits.append((m.end() - 1, m.end(), ""))
    for m in _LATEX_COMMAND.finditer(text):
        if m.group("wrap"):
            close = _matching_brace(text, m.end())
            if close is None:
                continue
            edits.append((m.start(), m.end(), ""))
            edits.append((close, close + 1, ""))
        elif m.group("sup"):
            close = _matching_brace(text, m.end())
            if close is None:
                continue
            edits.append((m.start(), m.end(), "^"))
            edits.append((close, close + 1, ""))
        elif m.group("sym"):
            symbol = _LATEX_SYMBOLS.get(m.group("sym"))
            if symbol is not None:
                edits.append((m.start(), m.end(), symbol))
        else:
            edits.append((m.start(), m.end(), " " if m.group("space") == " " else ""))
    return _drop_overlaps(sorted(edits))


def _matching_brace(text: str, pos: int) -> int | None:
    """Index of the ``}`` closing a brace opened just before `pos` (no nesting needed here)."""
    depth = 1
    for i in range(pos, min(len(text), pos + 300)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n":
            return None
    return None


def _times_edits(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "×") for m in _TIMES_SIGN.finditer(text) if m.group() != "×"]


# a percentage whose digits a page spaced out: "2 8 %", "1 2 . 5%", "8 .33%" (letter-spaced HTML)
_SPACED_PERCENT = regex.compile(r"(?<![\d.])\d(?:[ ]\d)*(?:[ ]?\.[ ]?\d(?:[ ]?\d)*)?[ ]?%")


def _spaced_number_edits(text: str) -> list[Edit]:
    """Drop the spaces inside a spaced-out percentage (the spaces only: offsets map back)."""
    return [(m.start() + i, m.start() + i + 1, "") for m in _SPACED_PERCENT.finditer(text) if " " in m.group()
            for i, ch in enumerate(m.group()) if ch == " "]


# ---------------------------------------------------------------------------------------------
# Pass 5: hard line wraps


@dataclass
class _Segment:
    """A line, or several physical lines glued by citation-only lines between them."""

    start: int  # content start (no leading blanks)
    end: int  # content end (no trailing blanks)
    content: str
    width: int  # its length as a visual line: its parts without the citation-only lines


_HAS_DIGIT = regex.compile(r"\d")
_HAS_HAN = regex.compile(r"\p{Han}")


@lru_cache(maxsize=2048)
def _is_tableish(line: str) -> bool:
    """A table row or header: five or more fields separated by white space, or pipes."""
    if line.count("|") >= 2:
        return True
    fields = _CITATION.sub("", line).split()
    if len(fields) < 5 or sum(map(len, fields)) / len(fields) > 7:
        return False
    numeric = sum(bool(_HAS_DIGIT.search(f)) for f in fields)
    han = sum(bool(_HAS_HAN.search(f)) for f in fields)
    return numeric >= 0.3 * len(fields) or han >= 0.6 * len(fields)


def _wrap_edits(text: str) -> list[Edit]:
    """Join lines broken inside a sentence; keep paragraph breaks.

    A line break (with any blank lines around it) between line P and the next line N is
    removed when

    * P or N is only a citation mark or a lone superscript sign (``[1-12]``, ``+``), or
    * P ends with a digit and N starts with a counter or unit (``76`` / ``例``), or
    * N starts with punctuation that cannot open a sentence (``，`` ``、`` ``）``), or
    * P does not end a sentence (。！？；：), P is a full line (at least 8 characters and at least
      0.6 of the longer of its neighbours, so headings and captions stay apart), N is not a
      short line that ends no sentence (a heading), neither line is a table row, N does not open a block (numbered heading, table/figure caption, list
      item), and the break is not from a Latin word to a Chinese one.

    Between two Latin letters or digits the break becomes one space; otherwise it is deleted.
    """
    segments: list[_Segment] = []
    pending_glue = False
    pos = 0
    for raw in text.split("\n"):
        line_start, line_end = pos, pos + len(raw)
        pos = line_end + 1
        stripped = raw.strip()
        if not stripped:
            continue
        cs = line_start + (len(raw) - len(raw.lstrip()))
        ce = line_end - (len(raw) - len(raw.rstrip()))
        if _CITATION_LINE.fullmatch(stripped) and segments:
            seg = segments[-1]
            segments[-1] = _Segment(seg.start, ce, text[seg.start:ce], seg.width)
            pending_glue = True
            continue
        if pending_glue and segments:
            seg = segments[-1]
            segments[-1] = _Segment(seg.start, ce, text[seg.start:ce], seg.width + len(stripped))
            pending_glue = False
            continue
        segments.append(_Segment(cs, ce, text[cs:ce], len(stripped)))

    edits: list[Edit] = []
    # the glue inside merged segments: line breaks around citation-only lines
    for seg in segments:
        for m in _LINE_BREAK.finditer(seg.content):
            a, b = seg.start + m.start(), seg.start + m.end()
            # a line after a citation that starts indented is a new table cell: keep a space
            after_break = m.group().rsplit("\n", 1)[1]
            edits.append((a, b, " " if after_break else ""))

    for i in range(len(segments) - 1):
        p, n = segments[i], segments[i + 1]
        if _should_join(segments, i):
            a, b = p.end, n.start
            left, right = text[a - 1], text[b]
            glue = " " if (left.isascii() and not left.isspace() and right.isascii() and right.isalnum()) else ""
            edits.append((a, b, glue))
    return sorted(edits)


def _should_join(segments: list[_Segment], i: int) -> bool:
    p, n = segments[i].content, segments[i + 1].content
    if _is_tableish(p):
        return False
    if p[-1].isdigit() and _UNIT_START.match(n):
        return True
    if n[0] in _CONTINUATION_START:
        return True
    if p[-1] in _TERMINAL or segments[i].width < 8:
        return False
    if segments[i + 1].width < 8 and n[-1] not in _SHORT_TAIL_END:
        return False  # a short line that ends no sentence is a heading, not a paragraph's tail
    if _is_tableish(n) or _BLOCK_START.match(n) or _CAPTION_START.match(p):
        return False
    if _LATIN_END.search(p) and _HAN_START.search(n):
        return False
    neighbours = [segments[i + 1].width]
    if i > 0:
        neighbours.append(segments[i - 1].width)
    return segments[i].width >= 0.6 * max(neighbours)


# ---------------------------------------------------------------------------------------------
# Applying and composing edits


def _drop_overlaps(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    last_end = -1
    for e in edits:
        if e[0] >= last_end or e[0] == e[1] == last_end:
            kept.append(e)
            last_end = max(last_end, e[1])
    return kept


def _apply(text: str, edits: list[Edit]) -> tuple[str, list[int], list[int]]:
    """Apply sorted, non-overlapping edits; return the new text and its map into `text`: for
    each new character the index of the first and of the last old character it comes from."""
    out: list[str] = []
    firsts: list[int] = []
    lasts: list[int] = []
    pos = 0
    for a, b, repl in edits:
        if a < pos:
            continue
        out.append(text[pos:a])
        firsts.extend(range(pos, a))
        lasts.extend(range(pos, a))
        if repl:
            if a == b:  # an insertion borrows the next character's range
                b = min(a + 1, len(text))
            out.append(repl)
            firsts.extend([a] * len(repl))
            lasts.extend([b - 1] * len(repl))
        pos = max(b, pos)
    out.append(text[pos:])
    firsts.extend(range(pos, len(text)))
    lasts.extend(range(pos, len(text)))
    return "".join(out), firsts, lasts


@dataclass(frozen=True)
class NormalizedText:
    """The normalised view of `original`, with the map back to it."""

    text: str
    original: str
    starts: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)
    citations: tuple[Citation, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original span that produced it."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside 0..{len(self.text)}")
        if start == end:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        a, b = self.starts[start], self.ends[end - 1]
        # take in a closing brace that normalisation deleted (`\\text{kg}` → `kg`)
        limit = self.starts[end] if end < len(self.starts) else len(self.original)
        while b < limit and self.original[b] == "}":
            b += 1
        return a, b

    def original_text(self, start: int, end: int) -> str:
        a, b = self.to_original(start, end)
        return self.original[a:b]

    def from_original(self, offset: int) -> int:
        """The first normalised index whose source starts at or after `offset`."""
        import bisect

        return bisect.bisect_left(self.starts, offset)

    @cached_property
    def masked(self) -> str:
        """`text` with every citation mark replaced by spaces (same length, same offsets)."""
        return _mask(self.text, self.citations)

    def citation_at(self, start: int, end: int) -> Citation | None:
        for c in self.citations:
            if c.start < end and start < c.end:
                return c
        return None


def _mask(text: str, citations: tuple[Citation, ...]) -> str:
    if not citations:
        return text
    chars = list(text)
    for c in citations:
        for i in range(c.start, c.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# a median or mean with its range in brackets: "18 months [4-48]", "中位随访15个月[6~30]"
_VALUE_BEFORE = regex.compile(r"(?P<v>\d+(?:\.\d+)?)\s?(?:个月|月|周|年|天|岁|%|months?|weeks?|years?|days?)?\s?$")
_RANGE_BODY = regex.compile(r"\s*(?P<lo>\d{1,3})\s*[-~]\s*(?P<hi>\d{1,3})\s*")


def _is_range_of_value(text: str, m) -> bool:
    """A bracketed range that holds the number right before it is that number's range, no citation."""
    body = _RANGE_BODY.fullmatch(m.group("nums"))
    before = _VALUE_BEFORE.search(text, max(0, m.start() - 16), m.start())
    return bool(body and before and int(body["lo"]) <= float(before["v"]) <= int(body["hi"]))


def find_citations(text: str) -> tuple[Citation, ...]:
    """Citation marks in already-normalised text."""
    found = []
    for m in _CITATION.finditer(text):
        nums = parse_citation_numbers(m.group("nums"))
        if nums and not (m.group().startswith("[") and _is_range_of_value(text, m)):
            found.append(Citation(m.start(), m.end(), nums))
    return tuple(found)


def normalize(text: str, join_wraps: bool = True) -> NormalizedText:
    """Build the normalised view of `text` (see the module docstring for what changes)."""
    chars = set(text)
    if not _CHAR_TABLE_CHARS.isdisjoint(chars):
        current = _CHAR_RE.sub(_char_repl, text)
        chars = set(current)
    else:
        current = text
    current = to_simplified_chars(current, chars)
    starts = list(range(len(text)))
    ends = list(range(1, len(text) + 1))
    passes = [_markup_edits, _pinyin_edits, _superscript_edits, _latex_edits, _times_edits, _spaced_number_edits]
    if join_wraps:
        passes.append(_wrap_edits)
    for make_edits in passes:
        edits = make_edits(current)
        if not edits:
            continue
        current, firsts, lasts = _apply(current, edits)
        starts = list(map(starts.__getitem__, firsts))
        ends = list(map(ends.__getitem__, lasts))
    return NormalizedText(current, text, starts, ends, find_citations(current))
