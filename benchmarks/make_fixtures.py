"""Render the seed texts (or any short text) into realistic PDF and HTML fixtures.

The loaders are tested against files made here, so the expected text of every fixture is known
exactly. Nothing generated is committed: tests call `render_pdf` / `render_html` into a
temporary folder, and this script writes a folder of fixtures for benchmarks::

    python benchmarks/make_fixtures.py --out /tmp/fixtures            # all seeds, PDF + 2 HTML
    python benchmarks/make_fixtures.py --out /tmp/f corpus/seeds/000_*.txt

Markup understood in the input text (the seeds use it too):

* ``1×10^6``: a power of ten; the exponent is drawn raised and smaller (``<sup>`` in HTML);
* ``^[12]``: a citation mark drawn raised and smaller; ``[12]`` without ``^`` stays inline;
* a line ``表 N ...`` followed by lines with the same number of whitespace-separated cells is
  a table; the PDF draws it as a three-line table, the HTML as ``<table>``.

PDF layout: A4, reportlab's built-in CID font STSong-Light (no font file), a full-width first
page head (title, authors, abstract, DOI), two justified columns, tables as full-width floats at
the top of the next page, a running header with a rule (from page 2), a footer with the ISSN and
a bare page number. `Rendered.text` is the text a perfect reader would return, in reading order,
without header, footer and page numbers; `Rendered.pages` is the same text per page.
"""

from __future__ import annotations

import argparse
import contextvars
import html as html_lib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.27, 841.89
MARGIN_X = 54.0
BODY_TOP = PAGE_H - 66.0  # baseline region starts below the running header
BODY_BOTTOM = 60.0
GUTTER = 18.0
BODY_SIZE = 9.5
BODY_LEADING = 14.0
SUP_SCALE = 0.6
SUP_RISE = 0.38  # of the font size

JOURNAL = "中国组织工程研究"
ISSN_LINE = "ISSN 2095-4344  CN 21-1581/R"

# ---------------------------------------------------------------------------------------------
# Text model


@dataclass
class Block:
    """One block of an article: "h" heading, "p" paragraph, "ref" reference, "table"."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Article:
    title: str
    authors: str
    abstract: str
    doi: str
    journal: str
    date: str
    blocks: list[Block]


@dataclass
class Rendered:
    """What a perfect loader would return for a rendered fixture."""

    path: Path
    text: str  # expected reading-order text (superscripts as 10^6 and [12])
    pages: list[str] = field(default_factory=list)  # expected text of each page (PDF)
    paragraphs: list[str] = field(default_factory=list)  # headings and paragraphs, in order
    tables: list[list[list[str]]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    exponents: list[str] = field(default_factory=list)  # every "10^6" drawn raised
    citations: list[str] = field(default_factory=list)  # every raised citation, as "[12]"
    header: str = ""
    footer: str = ""
    boilerplate: list[str] = field(default_factory=list)  # HTML strings that must be dropped
    meta: dict = field(default_factory=dict)


_SUP_MARK = re.compile(r"\^\[([^\]\n]{1,20})\]|(?<=10)\^(-?\d{1,2})")


def expected_text(marked: str) -> str:
    """The text a loader should produce for marked-up input: ``^[12]`` → ``[12]``."""
    return _SUP_MARK.sub(lambda m: f"[{m.group(1)}]" if m.group(1) is not None else f"^{m.group(2)}", marked)


def sup_marks(marked: str) -> tuple[list[str], list[str]]:
    """(exponents like "10^6", citations like "[12]") drawn raised in `marked`."""
    exps, cites = [], []
    for m in _SUP_MARK.finditer(marked):
        if m.group(1) is not None:
            cites.append(f"[{m.group(1)}]")
        else:
            exps.append(f"10^{m.group(2)}")
    return exps, cites


# ---------------------------------------------------------------------------------------------
# Seed clean-up: the seeds are PDF-to-text and Markdown exports, with LaTeX and hard wraps

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_CITE_ONLY = re.compile(r"^\s*\^?\[\s*\d{1,3}(?:\s*[-–~,，、]\s*\d{1,3})*\s*\]\s*$")
_SENTENCE_END = tuple("。！？：；!?;:")
_TABLE_CAPTION = re.compile(r"^表\s*\d+\s")
_LATEX = re.compile(r"\$([^$\n]{1,200})\$")


def _latex_to_text(body: str) -> str:
    body = re.sub(r"\\(?:text|mathrm|mathit|textrm|rm)\s*\{([^{}]*)\}", r"\1", body)
    for cmd, sym in (("times", "×"), ("sim", "~"), ("pm", "±"), ("geq", "≥"), ("leq", "≤"), ("ge", "≥"), ("le", "≤"), ("mu", "μ"), ("alpha", "α"), ("beta", "β"), ("gamma", "γ")):
        body = re.sub(r"\\" + cmd + r"(?![a-zA-Z])", sym, body)
    body = re.sub(r"\^\{([^{}]*)\}", r"^\1", body)
    body = re.sub(r"\\[,;! ]", "", body)
    body = re.sub(r"\s*([×~±])\s*", r"\1", body)
    return body.replace("{", "").replace("}", "").strip()


@lru_cache(maxsize=None)
def _cmap():
    from pdfminer.cmapdb import CMapDB

    return CMapDB.get_cmap("UniGB-UCS2-H")


def font_has(ch: str) -> bool:
    """True if STSong-Light (UniGB-UCS2-H) can draw `ch` and a reader can map it back."""
    if ch in " \n":
        return True
    code = ord(ch)
    return code <= 0xFFFF and bool(list(_cmap().decode(code.to_bytes(2, "big"))))


def printable(text: str) -> str:
    """`text` with characters the font cannot draw replaced by a close one (é → e) or dropped."""
    out = []
    for ch in text:
        if font_has(ch):
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append("".join(c for c in base if font_has(c)))
    return "".join(out)


def clean_lines(raw: str) -> list[str]:
    """Seed text → logical lines with markup (``10^6``, ``^[12]``), hard wraps joined."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u200b", "")
    text = text.replace("\t", " ").replace("\u3000", " ").replace("\xa0", " ")
    text = _LATEX.sub(lambda m: _latex_to_text(m.group(1)), text)
    text = re.sub(r"\*\*|__", "", text)
    text = re.sub(r"\^\{[^{}\n]{0,12}\}", "", text)  # affiliation marks ^{1,2*}
    text = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), text)
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", text)
    text = re.sub(r"\^\+|⁺", "+", text)
    text = re.sub(r"\^(?!\[|\d)", "", text)
    text = re.sub(r"(?<!10)\^(\d)", r"\1", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*(?:#+|[-*•]|>)\s+", "", line).rstrip()
        line = re.sub(r" {3,}", "  ", line)
        if line.startswith("|") and line.endswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            if cells and re.fullmatch(r"\[\d{1,3}\]", cells[0]):
                line = cells[0] + " " + " ".join(cells[1:])
            else:
                line = "  ".join(cells)
        if not re.search(r"[\w\u4e00-\u9fff]", line) and not re.fullmatch(r"\s*[。，；：、）)]+\s*", line):
            continue
        lines.append(line)
    # citation marks set on their own line by the PDF export belong to the line before, and the
    # line after continues the same one
    merged: list[str] = []
    glue_next = False
    for line in lines:
        if _CITE_ONLY.match(line) and merged:
            mark = line.strip()
            merged[-1] = merged[-1].rstrip() + ("" if mark.startswith("^") else "^") + mark
            glue_next = True
            continue
        if glue_next and merged and not _TABLE_CAPTION.match(line.strip()):
            merged[-1] += (" " if line.startswith(" ") else "") + line.strip()
        else:
            merged.append(line.strip())
        glue_next = False
    lengths = sorted(len(line) for line in merged)
    hard_wrapped = bool(lengths) and lengths[len(lengths) // 2] < 60
    if not hard_wrapped:
        return [printable(line) for line in merged]
    out: list[str] = []
    for line in merged:
        if out and _continues(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return [printable(line) for line in out]


def _looks_like_row(line: str) -> bool:
    tokens = line.split()
    return len(tokens) >= 4 and max(len(t) for t in tokens) <= 16


def _continues(prev: str, line: str) -> bool:
    if len(prev) < 18 or prev.endswith(_SENTENCE_END) or _TABLE_CAPTION.match(prev) or _TABLE_CAPTION.match(line):
        return False
    if _looks_like_row(prev) or _looks_like_row(line):
        return False
    if re.match(r"^(?:\d+(?:\.\d+)*\s{1,2}\S|图\s*\d|[①-⑩])", line):
        return False
    return True


def _cells(line: str) -> list[str]:
    line = re.sub(r"(?<=[\u4e00-\u9fff])\s*(\d+)\s*例", r"\1例", line)
    return [c for c in re.split(r"\s+", line.strip()) if c]


def article_from_text(raw: str, *, title: str | None = None, synthetic_table: bool = True) -> Article:
    """An `Article` from a seed or a short text: title, abstract, headings, paragraphs, tables."""
    if title is None:
        raw_lines = raw.strip().split("\n")
        first = raw_lines[0].strip()
        if 4 <= len(first) <= 60 and not first.endswith(_SENTENCE_END) and "[" not in first:
            title = first
            raw = "\n".join(raw_lines[1:])
        else:
            title = "间充质干细胞治疗自身免疫性疾病的研究进展"
    lines = clean_lines(raw)
    if not lines:
        raise ValueError("no text")
    title = printable(title.strip())
    blocks: list[Block] = []
    in_refs = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _TABLE_CAPTION.match(line) and i + 2 < len(lines):
            header = _cells(lines[i + 1])
            rows = [header]
            j = i + 2
            while j < len(lines) and len(_cells(lines[j])) == len(header) and len(header) >= 3:
                rows.append(_cells(lines[j]))
                j += 1
            if len(rows) >= 3:
                blocks.append(Block("table", text=re.sub(r"\s{2,}", "  ", line.strip()), rows=rows))
                i = j
                continue
        if re.fullmatch(r"(?:参考文献|References?:?|参考资料:?)\s*", line, flags=re.I):
            in_refs = True
            blocks.append(Block("h", line.strip()))
        elif in_refs or re.match(r"^\[\d{1,3}\][:：]?\s", line):
            in_refs = True
            blocks.append(Block("ref", line.strip()))
        elif len(line) <= 30 and not line.endswith(_SENTENCE_END[:3] + ("，", ",")) and "^[" not in line:
            blocks.append(Block("h", line.strip()))
        else:
            blocks.append(Block("p", line.strip()))
        i += 1
    if synthetic_table:  # a table with powers of ten and citations in its cells, in every article
        n = sum(1 for b in blocks if b.kind == "table") + 1
        at = max(1, sum(1 for b in blocks if b.kind != "ref") // 3)
        if n > 1:
            at = max(at, max(i for i, b in enumerate(blocks) if b.kind == "table") + 1)
        blocks.insert(at, Block("table", text=f"表 {n}  纳入研究的基本特征", rows=[row[:] for row in SYNTHETIC_TABLE]))
    abstract = f"本文综述{title}的研究现状，总结间充质干细胞治疗的有效性与安全性。"
    paras = [b for b in blocks if b.kind == "p" and len(b.text) > 130]
    if paras:
        first = re.sub(r"\^\[[^\]]*\]|10\^-?\d+", "", paras[0].text)
        abstract = "目的：" + first[:120].rstrip("，,") + "。"
    doi_match = re.search(r"10\.\d{4,9}/[^\s，。；]+", raw)
    doi = doi_match.group().rstrip(".)") if doi_match else "10.3969/j.issn.2095-4344.2014.01.023"
    return Article(
        title=title,
        authors="王晓明，李华，张丽",
        abstract=abstract,
        doi=doi,
        journal=JOURNAL,
        date="2014-01-08",
        blocks=blocks,
    )


SYNTHETIC_TABLE = [
    ["研究", "疾病", "例数", "细胞来源", "剂量", "随访(月)"],
    ["Liang等^[13]", "RA", "4", "脐带", "1×10^6/kg", "6"],
    ["王黎明等^[15]", "RA", "17", "脐带", "1×10^7/人次", "4-14"],
    ["孙凌云等^[23]", "SLE", "16", "脐带", "1×10^6/kg", "12"],
    ["Keyszer等^[44]", "SSc", "5", "骨髓", "(0.2~1.8)×10^6/kg", "6-19"],
]


# ---------------------------------------------------------------------------------------------
# PDF rendering


@lru_cache(maxsize=None)
def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class Style:
    """Typesetting choices that vary between journals (and that a reader must cope with)."""

    sup_scale: float = SUP_SCALE  # superscript size / body size (Word uses about 0.65)
    sup_rise: float = SUP_RISE  # superscript baseline shift / body size (Word: about 0.33)
    max_char_space: float = 0.15  # most letter spacing added to justify a line, in ems
    latin_font: str | None = None  # e.g. "Times-Roman" for ASCII text; None: the CJK font


_STYLE: contextvars.ContextVar[Style] = contextvars.ContextVar("style", default=Style())
_ASCII_RUN = re.compile(r"[\x20-\x7e]+|[^\x20-\x7e]+")


def _font_runs(text: str) -> list[tuple[str, str]]:
    """(piece, font) pieces: ASCII in the Latin font when the style has one."""
    latin = _STYLE.get().latin_font
    if not latin:
        return [(text, FONT)]
    return [(m.group(), latin if m.group()[0].isascii() else FONT) for m in _ASCII_RUN.finditer(text)]


def _width(text: str, size: float, sup: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if sup:
        size *= _STYLE.get().sup_scale
    return sum(stringWidth(piece, font, size) for piece, font in _font_runs(text))


@dataclass
class Run:
    text: str
    sup: bool = False
    truth: str = ""  # what the reader should produce for this run


def runs_of(marked: str, cite_style: str = "brackets") -> list[Run]:
    """Marked text → runs of normal and raised text."""
    runs: list[Run] = []
    pos = 0
    for m in _SUP_MARK.finditer(marked):
        if m.start() > pos:
            runs.append(Run(marked[pos : m.start()], truth=marked[pos : m.start()]))
        if m.group(1) is not None:
            body = m.group(1)
            drawn = body if cite_style == "bare" else f"[{body}]"
            runs.append(Run(drawn, sup=True, truth=f"[{body}]"))
        else:
            runs.append(Run(m.group(2), sup=True, truth="^" + m.group(2)))
        pos = m.end()
    if pos < len(marked):
        runs.append(Run(marked[pos:], truth=marked[pos:]))
    return runs


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/'’_%+]*|\s+|.", re.S)
_NO_BREAK_BEFORE = set("，。、；：？！）)」』”’%,.;:?!>》〉】]·~-×/")
_NO_BREAK_AFTER = set("（(「『“‘《〈【[×~/")


@dataclass
class Atom:
    parts: list[Run]
    width: float
    space: bool = False


def _atoms(runs: list[Run], size: float) -> list[Atom]:
    """Unbreakable pieces: a CJK character, a Latin word, a space; raised text glued left."""
    atoms: list[Atom] = []
    for run in runs:
        if run.sup:
            w = _width(run.text, size, sup=True)
            if atoms and not atoms[-1].space:
                atoms[-1].parts.append(run)
                atoms[-1].width += w
            else:
                atoms.append(Atom([run], w))
            continue
        for m in _WORD.finditer(run.text):
            piece = m.group()
            if piece.isspace():
                atoms.append(Atom([Run(" ", truth=" ")], _width(" ", size), space=True))
                continue
            atom = Atom([Run(piece, truth=piece)], _width(piece, size))
            glue = atoms and not atoms[-1].space and (piece[0] in _NO_BREAK_BEFORE or atoms[-1].parts[-1].text[-1:] in _NO_BREAK_AFTER)
            if glue:
                atoms[-1].parts.append(atom.parts[0])
                atoms[-1].width += atom.width
            else:
                atoms.append(atom)
    return atoms


@dataclass
class Line:
    runs: list[Run]
    size: float
    indent: float = 0.0
    justify: bool = False
    align: str = "left"  # left, center

    @property
    def truth(self) -> str:
        return "".join(r.truth for r in self.runs).strip()


def layout(marked: str, width: float, size: float, *, indent: float = 0.0, cite_style: str = "brackets", align: str = "left") -> list[Line]:
    """Break marked text into justified lines of `width` points."""
    atoms = _atoms(runs_of(marked, cite_style), size)
    lines: list[Line] = []
    current: list[Atom] = []
    used = indent
    for atom in atoms:
        if atom.space and not current:
            continue
        room = width - used
        if atom.width > room and current:
            lines.append(_line(current, size, indent if not lines else 0.0, align))
            current, used = [], 0.0
            if atom.space:
                continue
        if atom.width > width - used and not current:  # a long word (URL): split it by characters
            for part in atom.parts:
                for ch in part.text:
                    w = _width(ch, size, sup=part.sup)
                    if used + w > width and current:
                        lines.append(_line(current, size, indent if not lines else 0.0, align))
                        current, used = [], 0.0
                    current.append(Atom([Run(ch, part.sup, ch if not part.sup else part.truth)], w))
                    used += w
            continue
        current.append(atom)
        used += atom.width
    if current:
        lines.append(_line(current, size, indent if not lines else 0.0, align))
    for line in lines[:-1]:
        line.justify = align == "left"
    return lines


def _line(atoms: list[Atom], size: float, indent: float, align: str) -> Line:
    while atoms and atoms[-1].space:
        atoms = atoms[:-1]
    runs: list[Run] = []
    for atom in atoms:
        for part in atom.parts:
            if runs and runs[-1].sup == part.sup and not part.sup:
                runs[-1] = Run(runs[-1].text + part.text, False, runs[-1].truth + part.truth)
            else:
                runs.append(part)
    return Line(runs, size, indent, align=align)


def _draw_line(canvas, line: Line, x: float, y: float, width: float) -> None:
    style = _STYLE.get()
    natural = sum(_width(r.text, line.size, sup=r.sup) for r in line.runs)
    nchars = sum(len(r.text) for r in line.runs)
    space = 0.0
    if line.justify and nchars > 1:
        space = min((width - line.indent - natural) / (nchars - 1), style.max_char_space * line.size)
        space = max(space, 0.0)
    if line.align == "center":
        x = x + (width - natural) / 2
    t = canvas.beginText()
    t.setTextOrigin(x + line.indent, y)
    t.setCharSpace(space)
    for run in line.runs:
        size = line.size * (style.sup_scale if run.sup else 1)
        t.setRise(line.size * style.sup_rise if run.sup else 0)
        for piece, font in _font_runs(run.text):
            t.setFont(font, size)
            t.textOut(piece)
    canvas.drawText(t)


class _PdfWriter:
    def __init__(
        self,
        path: Path,
        article: Article,
        cite_style: str,
        running_header: bool,
        first_page: int,
        encrypt: tuple[str, str] | None = None,
        table_style: str = "three-line",
    ):
        from reportlab.lib.pdfencrypt import StandardEncryption
        from reportlab.pdfgen import canvas as canvas_mod

        _register_font()
        enc = StandardEncryption(encrypt[0], encrypt[1]) if encrypt else None
        self.canvas = canvas_mod.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), encrypt=enc)
        self.canvas.setTitle(article.title)
        self.canvas.setAuthor(article.authors)
        self.canvas.setSubject(f"doi:{article.doi}")
        self.article = article
        self.cite_style = cite_style
        self.table_style = table_style
        self.running_header = running_header
        self.page_no = 0
        self.first_page = first_page
        self.pages: list[list[str]] = []
        self.pending_tables: list[Block] = []
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self.header = f"{JOURNAL}  第18卷  第1期  2014年1月"
        self.footer = ISSN_LINE
        self.col_w = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2

    # page furniture ----------------------------------------------------------------------
    def new_page(self) -> None:
        if self.page_no:
            self.canvas.showPage()
        self.page_no += 1
        self.pages.append([])
        c = self.canvas
        if self.page_no > 1 and self.running_header:
            c.setFont(FONT, 8)
            c.drawString(MARGIN_X, PAGE_H - 36, self.header)
            short = self.article.title[:18]
            c.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 36, short)
            c.setLineWidth(0.5)
            c.line(MARGIN_X, PAGE_H - 41, PAGE_W - MARGIN_X, PAGE_H - 41)
        c.setFont(FONT, 8)
        c.drawString(MARGIN_X, 34, self.footer)
        c.drawRightString(PAGE_W - MARGIN_X, 34, str(self.first_page + self.page_no - 1))
        self.top = BODY_TOP
        while self.pending_tables:
            self.draw_table(self.pending_tables.pop(0))

    def emit(self, truth: str) -> None:
        if truth:
            self.pages[-1].append(truth)

    # first page head ------------------------------------------------------------------------
    def head(self) -> None:
        a = self.article
        c = self.canvas
        full = PAGE_W - 2 * MARGIN_X
        y = PAGE_H - 40
        banner = f"{JOURNAL}  {a.date[:4]}年第18卷第1期"
        c.setFont(FONT, 8)
        c.drawString(MARGIN_X, y, banner)
        self.emit(banner)
        y -= 36
        for line in layout(a.title, full, 16, align="center"):
            _draw_line(c, line, MARGIN_X, y, full)
            self.emit(line.truth)
            y -= 22
        y -= 4
        for line in layout(a.authors, full, 10.5, align="center"):
            _draw_line(c, line, MARGIN_X, y, full)
            self.emit(line.truth)
            y -= 16
        y -= 6
        for text in (("摘要：" + a.abstract) if a.abstract else "", "DOI: " + a.doi):
            if not text:
                continue
            for line in layout(text, full, 9, cite_style=self.cite_style):
                _draw_line(c, line, MARGIN_X, y, full)
                self.emit(line.truth)
                y -= 13
            y -= 3
        self.top = y - 12

    # tables -----------------------------------------------------------------------------------
    def draw_table(self, block: Block) -> None:
        c = self.canvas
        size = 8.0
        full = PAGE_W - 2 * MARGIN_X
        rows = [[runs_of(cell, self.cite_style) for cell in row] for row in block.rows]

        def cell_width(runs: list[Run], s: float) -> float:
            return sum(_width(r.text, s, sup=r.sup) for r in runs)

        ncol = max(len(r) for r in rows)
        while True:
            widths = [max(cell_width(r[i], size) if i < len(r) else 0 for r in rows) + 14 for i in range(ncol)]
            if sum(widths) <= full or size <= 6:
                break
            size -= 0.5
        scale = full / sum(widths)
        widths = [w * scale for w in widths]
        y = self.top
        caption = block.text
        cap_lines = layout(caption, full, 9, align="center")
        for line in cap_lines:
            _draw_line(c, line, MARGIN_X, y, full)
            y -= 13
        self.emit(" ".join(line.truth for line in cap_lines))
        c.setLineWidth(1.0)
        top_rule = y + 1
        c.line(MARGIN_X, top_rule, MARGIN_X + full, top_rule)
        y -= 11
        truth_rows = []
        for k, row in enumerate(rows):
            x = MARGIN_X
            for i, runs in enumerate(row):
                _draw_line(c, Line(runs, size), x + 3, y, widths[i])
                x += widths[i]
            truth_row = ["".join(r.truth for r in runs).strip() for runs in row]
            truth_rows.append(truth_row)
            self.emit("  ".join(truth_row))
            if k == 0 or (self.table_style == "grid" and k < len(rows) - 1):
                c.setLineWidth(0.5)
                c.line(MARGIN_X, y - 4, MARGIN_X + full, y - 4)
            y -= 13
        c.setLineWidth(1.0)
        c.line(MARGIN_X, y + 9, MARGIN_X + full, y + 9)
        if self.table_style == "grid":  # every cell boxed: vertical rules too
            c.setLineWidth(0.5)
            x = MARGIN_X
            for w in [0.0] + widths:
                x += w
                c.line(x, top_rule, x, y + 9)
        self.tables.append(truth_rows)
        self.captions.append(" ".join(line.truth for line in cap_lines))
        self.top = y - 8

    # body -------------------------------------------------------------------------------------
    def body(self, columns: int) -> None:
        col_w = self.col_w if columns == 2 else PAGE_W - 2 * MARGIN_X
        col = 0
        y = self.top
        column_lines: list[list[str]] = [[] for _ in range(columns)]

        def flush() -> None:
            for lines in column_lines:
                for truth in lines:
                    self.emit(truth)
                lines.clear()

        for block in self.article.blocks:
            if block.kind == "table":
                self.pending_tables.append(block)
                continue
            if block.kind == "h":
                lines = layout(block.text, col_w, 10.5, cite_style=self.cite_style)
                before, step = 6.0, 16.0
            elif block.kind == "ref":
                lines = layout(block.text, col_w, 8, cite_style=self.cite_style)
                before, step = 1.0, 11.0
            else:
                lines = layout(block.text, col_w, BODY_SIZE, indent=2 * BODY_SIZE, cite_style=self.cite_style)
                before, step = 0.0, BODY_LEADING
            if y < self.top - 1:
                y -= before
            for line in lines:
                if y - step < BODY_BOTTOM:
                    col += 1
                    if col >= columns:
                        flush()
                        self.new_page()
                        col = 0
                    y = self.top
                x = MARGIN_X + col * (col_w + GUTTER)
                _draw_line(self.canvas, line, x, y - line.size, col_w)
                column_lines[col].append(line.truth)
                y -= step
        flush()
        while self.pending_tables:  # tables met after the last page break get a page of their own
            self.new_page()

    def finish(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def render_pdf(
    text: str | Article,
    out_path: str | Path,
    *,
    columns: int = 2,
    cite_style: str = "brackets",
    running_header: bool = True,
    first_page: int = 251,
    title: str | None = None,
    encrypt: tuple[str, str] | None = None,
    style: Style | None = None,
    table_style: str = "three-line",
) -> Rendered:
    """Render marked-up text (or an `Article`) as a journal PDF; return what a reader should get.

    ``cite_style="brackets"`` draws raised ``[12]``; ``"bare"`` draws a raised ``12`` (the reader
    should still return ``[12]``). ``encrypt=(user_password, owner_password)`` encrypts the file
    (an empty user password gives a file anyone can open but whose permissions are restricted).
    ``style`` changes superscript size and rise, justification spacing and the Latin font;
    ``table_style="grid"`` rules every cell instead of the three-line layout.
    """
    article = text if isinstance(text, Article) else article_from_text(text, title=title)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    token = _STYLE.set(style or Style())
    try:
        w = _PdfWriter(out_path, article, cite_style, running_header, first_page, encrypt, table_style)
        w.new_page()
        w.head()
        w.body(columns)
        w.finish()
    finally:
        _STYLE.reset(token)
    pages = ["\n".join(p) for p in w.pages]
    marked_all = "\n".join([article.abstract] + [b.text for b in article.blocks if b.kind != "table"] + [c for b in article.blocks if b.kind == "table" for row in b.rows for c in row])
    exps, cites = sup_marks(marked_all)
    paragraphs = [article.title, article.authors] + (["摘要：" + article.abstract] if article.abstract else []) + ["DOI: " + article.doi]
    paragraphs += [expected_text(b.text) for b in article.blocks if b.kind != "table"]
    return Rendered(
        path=out_path,
        text="\n".join(pages),
        pages=pages,
        paragraphs=paragraphs,
        tables=w.tables,
        captions=w.captions,
        exponents=exps,
        citations=cites,
        header=w.header,
        footer=w.footer,
        meta={"title": article.title, "doi": article.doi},
    )


# ---------------------------------------------------------------------------------------------
# HTML rendering


def _inline_html(marked: str) -> str:
    out = []
    pos = 0
    for m in _SUP_MARK.finditer(marked):
        out.append(html_lib.escape(marked[pos : m.start()]))
        if m.group(1) is not None:
            out.append(f"<sup>[{html_lib.escape(m.group(1))}]</sup>")
        else:
            out.append(f"<sup>{m.group(2)}</sup>")
        pos = m.end()
    out.append(html_lib.escape(marked[pos:]))
    return "".join(out)


_JOURNAL_NAV = ["首页", "期刊介绍", "编委会", "投稿指南", "期刊订阅", "联系我们", "English"]
_RELATED = ["脐带间充质干细胞治疗膝骨关节炎的临床观察", "干细胞治疗系统性红斑狼疮的安全性评价", "骨髓间充质干细胞的免疫调节机制研究进展"]
_BLOG_FOOTER = "扫码添加官方微信，免费获取更多干细胞治疗资讯"
_SHARE = "分享到：微信 朋友圈 新浪微博 QQ空间"
_COMMENTS = ["精选留言", "写下你的评论…", "这篇文章写得很好，请问哪里可以做干细胞治疗？"]
_COPYRIGHT = "版权所有 © 2014 中国组织工程研究杂志社  京ICP备05000000号"


def render_html(
    text: str | Article,
    out_path: str | Path,
    style: str = "journal",
    *,
    encoding: str = "utf-8",
    declare_charset: bool = True,
    title: str | None = None,
) -> Rendered:
    """Render marked-up text (or an `Article`) as a journal article page or a blog post.

    ``encoding`` may be utf-8, gbk, gb2312, gb18030 or big5 (Big5 pages are converted to
    Traditional characters first); ``declare_charset=False`` leaves out the meta tag.
    """
    if style not in ("journal", "blog"):
        raise ValueError("style is journal or blog")
    article = text if isinstance(text, Article) else article_from_text(text, title=title)
    to_page = _traditional if encoding.lower().replace("-", "") in ("big5", "cp950") else (lambda s: s)
    a = Article(
        title=to_page(article.title),
        authors=to_page(article.authors),
        abstract=to_page(article.abstract),
        doi=article.doi,
        journal=to_page(article.journal),
        date=article.date,
        blocks=[Block(b.kind, to_page(b.text), [[to_page(c) for c in row] for row in b.rows]) for b in article.blocks],
    )
    body: list[str] = []
    truth: list[str] = [a.title]
    tables, captions = [], []
    body.append(f"<h1>{html_lib.escape(a.title)}</h1>")
    if style == "journal":
        body.append(f'<div class="authors">{html_lib.escape(a.authors)}</div>')
        if a.abstract:
            body.append(f'<div class="abstract"><h2>摘要</h2><p>{_inline_html(a.abstract)}</p></div>')
            truth += ["摘要", expected_text(a.abstract)]
    else:
        body.append(f'<div class="meta">原创 干细胞前沿 {a.date}</div>')
    refs: list[str] = []
    for b in a.blocks:
        if b.kind == "h":
            body.append(f"<h2>{html_lib.escape(b.text)}</h2>")
            truth.append(b.text)
        elif b.kind == "p":
            tag = "p" if style == "journal" else 'p style="text-indent:2em"'
            body.append(f"<{tag}>{_inline_html(b.text)}</{tag.split()[0]}>")
            truth.append(expected_text(b.text))
        elif b.kind == "ref":
            refs.append(b.text)
        elif b.kind == "table":
            rows_html = []
            for k, row in enumerate(b.rows):
                cell = "th" if k == 0 else "td"
                rows_html.append("<tr>" + "".join(f"<{cell}>{_inline_html(c)}</{cell}>" for c in row) + "</tr>")
            body.append(f'<div class="table-wrap"><p class="table-caption">{html_lib.escape(b.text)}</p><table border="1">{"".join(rows_html)}</table></div>')
            tables.append([[expected_text(c) for c in row] for row in b.rows])
            captions.append(re.sub(r"\s+", " ", b.text))  # as a browser shows it
            truth.append(b.text)
            truth += ["  ".join(expected_text(c) for c in row) for row in b.rows]
    if refs and style == "journal":
        items = "".join(f"<li>{html_lib.escape(r)}</li>" for r in refs)
        body.append(f'<div class="references"><h2>参考文献</h2><ol>{items}</ol></div>')
        truth += ["参考文献"] + refs
    elif refs:
        body += [f"<p>{html_lib.escape(r)}</p>" for r in refs]
        truth += refs
    marked_all = "\n".join([a.abstract if style == "journal" else ""] + [b.text for b in a.blocks if b.kind == "p"] + [c for b in a.blocks if b.kind == "table" for row in b.rows for c in row])
    exps, cites = sup_marks(marked_all)

    charset_name = {"gbk": "gbk", "gb2312": "gb2312", "gb18030": "gb18030", "big5": "big5", "utf-8": "utf-8", "utf8": "utf-8"}[encoding.lower()]
    head = []
    if declare_charset:
        head.append(f'<meta charset="{charset_name}">' if style == "blog" else f'<meta http-equiv="Content-Type" content="text/html; charset={charset_name}">')
    head.append(f"<title>{html_lib.escape(a.title)} - {html_lib.escape(a.journal if style == 'journal' else '干细胞前沿')}</title>")
    boiler: list[str]
    if style == "journal":
        authors = [x.strip() for x in re.split(r"[，,]", a.authors) if x.strip()]
        head.append(f'<meta name="citation_title" content="{html_lib.escape(a.title)}">')
        head += [f'<meta name="citation_author" content="{html_lib.escape(x)}">' for x in authors]
        head.append(f'<meta name="citation_journal_title" content="{html_lib.escape(a.journal)}">')
        head.append(f'<meta name="citation_publication_date" content="{a.date.replace("-", "/")}">')
        head.append(f'<meta name="citation_doi" content="{a.doi}">')
        head.append(f'<meta name="DC.Identifier" content="doi:{a.doi}">')
        nav = "".join(f'<li><a href="/{i}">{x}</a></li>' for i, x in enumerate(_JOURNAL_NAV))
        related = "".join(f'<li><a href="/a/{i}">{html_lib.escape(to_page(x))}</a></li>' for i, x in enumerate(_RELATED))
        page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>{''.join(head)}</head>
<body>
<header><div class="logo">{html_lib.escape(a.journal)}</div><nav><ul class="menu">{nav}</ul></nav>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/c">过刊浏览</a> &gt; 正文</div></header>
<div class="container"><div class="main"><article class="article-content">
{''.join(body)}
</article></div>
<aside class="sidebar"><h3>{to_page("相关文章")}</h3><ul class="related">{related}</ul></aside></div>
<footer><p>{html_lib.escape(to_page(_COPYRIGHT))}</p><p>{to_page("地址：沈阳市和平区 邮编：110004 电话：024-00000000")}</p></footer>
</body></html>"""
        boiler = _JOURNAL_NAV[1:5] + [to_page(x) for x in _RELATED] + [to_page("版权所有"), to_page("过刊浏览")]
        meta = {"title": a.title, "authors": authors, "journal": a.journal, "date": a.date, "doi": a.doi}
    else:
        head.append(f'<meta property="og:title" content="{html_lib.escape(a.title)}">')
        head.append('<meta property="og:site_name" content="干细胞前沿">')
        head.append(f'<meta property="article:published_time" content="{a.date}T08:00:00+08:00">')
        page = f"""<!DOCTYPE html>
<html><head>{''.join(head)}</head>
<body><div class="topbar"><a href="/">{to_page("首页")}</a> <a href="/news">{to_page("资讯")}</a> <a href="/about">{to_page("关于我们")}</a></div>
<div id="js_content" class="rich_media_content"><section>
{''.join(body)}
</section>
<div class="share-bar">{html_lib.escape(to_page(_SHARE))}</div>
<div class="qrcode"><img src="qr.png" alt="qr"><p>{html_lib.escape(to_page(_BLOG_FOOTER))}</p></div>
</div>
<div class="comments"><h3>{to_page(_COMMENTS[0])}</h3><textarea placeholder="{to_page(_COMMENTS[1])}"></textarea>
<ul><li><span class="nick">{to_page("网友")}</span><p>{to_page(_COMMENTS[2])}</p></li></ul></div>
<div class="recommend"><h3>{to_page("推荐阅读")}</h3><ul>{''.join(f'<li><a href="/p/{i}">{html_lib.escape(to_page(x))}</a></li>' for i, x in enumerate(_RELATED))}</ul></div>
<footer>{html_lib.escape(to_page("Copyright © 2025 干细胞前沿 版权所有"))}</footer>
</body></html>"""
        boiler = [to_page(_BLOG_FOOTER), to_page("新浪微博"), to_page(_COMMENTS[2]), to_page("推荐阅读")] + [to_page(x) for x in _RELATED]
        meta = {"title": a.title, "date": a.date}
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    codec = {"gbk": "gbk", "gb2312": "gb2312", "gb18030": "gb18030", "big5": "big5", "utf-8": "utf-8", "utf8": "utf-8"}[encoding.lower()]
    out_path.write_bytes(page.encode(codec, errors="xmlcharrefreplace"))
    return Rendered(
        path=out_path,
        text="\n".join(truth),
        tables=tables,
        captions=captions,
        exponents=exps,
        citations=cites,
        boilerplate=boiler,
        meta=meta,
    )


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("s2t")


def _traditional(text: str) -> str:
    return _converter().convert(text)


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    root = Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description="Render seed texts into PDF and HTML fixtures.")
    p.add_argument("seeds", nargs="*", type=Path, help="seed .txt files (default: corpus/seeds/*.txt)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--root", type=Path, default=root, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seeds = args.seeds or sorted((args.root / "corpus" / "seeds").glob("*.txt"))
    for seed in seeds:
        raw = seed.read_text(encoding="utf-8")
        article = article_from_text(raw)
        stem = seed.stem
        r = render_pdf(article, args.out / f"{stem}.pdf")
        (args.out / f"{stem}.pdf.expected.txt").write_text(r.text, encoding="utf-8")
        for style in ("journal", "blog"):
            h = render_html(article, args.out / f"{stem}.{style}.html", style=style)
            (args.out / f"{stem}.{style}.html.expected.txt").write_text(h.text, encoding="utf-8")
        print(f"{seed.name}: {len(r.pages)} pages, {len(r.exponents)} powers of ten, {len(r.citations)} citations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
