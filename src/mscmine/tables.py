"""Reading study tables that stand in the text as lines (one row per study).

A header line names the columns (作者 疾病 发表年份 患者数量 …); each following row starts with
an author and a citation (``王黎明等[8]``) and its cells are parsed by the type of their column,
so the reader does not depend on one journal's column order. Where the header separates its cells
with tabs or runs of spaces, rows are split the same way and read cell by cell (``贺文涛 2014^[7]``,
``[23]`` with the author in the text, ``64(32/32)`` arms, ``24周`` with its unit). Column names and
their types are data (`COLUMN_TYPES`), cell patterns are code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

#: header words → column type (the first key found in a header cell wins)
COLUMN_TYPES: tuple[tuple[str, str], ...] = (
    ("作者", "author"),
    ("研究者", "author"),
    ("文献", "author"),
    ("纳入研究", "author"),
    ("第一作者", "author"),
    ("疾病", "disease"),
    ("病种", "disease"),
    ("发表年份", "year"),
    ("年份", "year"),
    ("发表时间", "year"),
    ("患者数量", "n"),
    ("患者数", "n"),
    ("例数", "n"),
    ("病例数", "n"),
    ("样本量", "n"),
    ("来源", "source"),
    ("细胞类型", "source"),
    ("性别", "sex"),
    ("年龄", "age"),
    ("随访时间", "follow_up"),
    ("随访", "follow_up"),
    ("剂量", "dose"),
    ("途径", "route"),
    ("供体", "donor"),
)

_NUM = r"\d+(?:\.\d+)?"
CELL_PATTERNS = {
    "disease": r"[^\d\s][^\s]*?(?:\s?/\s?[^\d\s]+)?",
    "year": r"(?:19|20)\d{2}",
    "n": r"\d{1,5}",
    "source": r"[^\d\s;；]+\s?\d+\s?例(?:\s?[;；,，、]\s?[^\d\s;；]+\s?\d+\s?例)*",
    "sex": r"\d+\s?/\s?\d+",
    "age": rf"[<>≤≥]?\s?{_NUM}(?:\s?[-~]\s?{_NUM})?",
    "follow_up": rf"{_NUM}(?:\s?[-~]\s?{_NUM})?",
    "dose": r"\S+",
    "route": r"\S+",
    "donor": r"\S+",
}
_ROW_START = regex.compile(r"^(?P<author>[\p{Han}]{1,6}等|[A-Z][A-Za-z\-]+\s?(?:等|et al\.?))\s?(?P<cit>\[\s?\d{1,3}\s?\])\s*(?P<rest>.*)$")
# the first cell of a row whose cells are separated (tabs, runs of spaces): "贺文涛 2014^[7]",
# "Ortega 2012[8]", "王黎明等[8]", "[23]"
_SPLIT_ROW_START = regex.compile(
    r"^(?:(?P<author>[\p{Han}]{2,6}?(?:等)?|[A-Z][A-Za-z\-']+(?:\s?(?:等|et al\.?))?)\s?(?P<year>(?:19|20)\d{2})?\s?)?"
    r"(?P<cit>\^?\[\s?\d{1,3}\s?\])\s*$"
)
# cells of a text table: tabs, or runs of two or more spaces (a single space stays inside a cell)
_TAB = regex.compile(r"\t")
_SPACES = regex.compile(r"[ \u3000]{2,}|\t")


def _cell_splitter(line: str) -> regex.Pattern | None:
    """How the header line separates its cells: tabs, runs of spaces (five cells at least), or
    neither (single spaces: the row pattern reads the cells by type)."""
    if "\t" in line:
        return _TAB
    if len(_SPACES.split(line.strip())) >= 5:
        return _SPACES
    return None


_INT = regex.compile(r"\d{1,5}")
_TIME_IN_CELL = regex.compile(r"(?P<unit>个月|月|年|周|天)")


def parse_count_cell(cell: str) -> tuple[int | None, list[int]]:
    """A patients cell as (total, arms): "18" → (18, []), "64(32/32)" → (64, [32, 32]), "24/25" (the
    arms only) → (49, [24, 25])."""
    m = regex.fullmatch(r"\s?(?P<t>\d{1,5})?\s?(?:[(（]\s?(?P<a>\d{1,5})\s?/\s?(?P<b>\d{1,5})\s?[)）])?\s?", cell)
    if m and m.group("t"):
        arms = [int(m.group("a")), int(m.group("b"))] if m.group("a") else []
        return int(m.group("t")), arms
    m = regex.fullmatch(r"\s?(?P<a>\d{1,5})\s?/\s?(?P<b>\d{1,5})\s?", cell)
    if m:
        return int(m.group("a")) + int(m.group("b")), [int(m.group("a")), int(m.group("b"))]
    return None, []


def follow_up_cell_months(cell: str, header_cell: str) -> tuple[float | None, float | None]:
    """A follow-up cell in months, by the unit it names ("24周", "3年") or else its header's."""
    from .extractors.numbers import to_months

    low, high = parse_range_cell(cell)
    t = _TIME_IN_CELL.search(cell)
    unit = t.group("unit") if t else header_unit(header_cell)
    return (to_months(low, unit) if low is not None else None, to_months(high, unit) if high is not None else None)


@dataclass
class TableRow:
    """One parsed row: cell text and its (start, end) in the text the table was read from."""

    author: str
    citation: int
    cells: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    start: int = 0
    end: int = 0
    author_span: tuple[int, int] = (0, 0)
    arms: list[tuple[str, int, int]] = field(default_factory=list)  # "64(32/32)": the arms' counts


@dataclass
class TextTable:
    """A study table read from text lines: header cells, their column types, parsed rows."""

    header: list[str]
    types: list[str]
    rows: list[TableRow]
    caption: str | None
    start: int
    end: int

    def header_of(self, typ: str) -> str | None:
        """The header cell of the first column of type `typ`."""
        for cell, t in zip(self.header, self.types):
            if t == typ:
                return cell
        return None


_HEADER_UNIT = regex.compile(r"[(（/]\s?(?P<unit>个月|月|年|周|天|d|m|mo)\s?[)）]?\s*$")


def header_unit(header_cell: str, default: str = "月") -> str:
    """The time unit a header names, "随访时间(月)" → 月, "随访(年)" → 年; months when silent."""
    m = _HEADER_UNIT.search(header_cell)
    if not m:
        return default
    return {"d": "天", "m": "月", "mo": "月"}.get(m.group("unit"), m.group("unit"))


def parse_range_cell(cell: str) -> tuple[float | None, float | None]:
    """A numeric cell as (low, high): "4-14" → (4, 14), "6" → (6, 6), "<60" → (None, 60)."""
    nums = [float(x) for x in regex.findall(r"\d+(?:\.\d+)?", cell)]
    if not nums:
        return None, None
    if cell.strip().startswith(("<", "≤", "＜")):
        return None, nums[0]
    if cell.strip().startswith((">", "≥", "＞")):
        return nums[0], None
    return nums[0], nums[-1]


_SENTENCE_PUNCT = regex.compile(r"[。，,；;！？]")
_CAPTION = regex.compile(r"\s*(?:表|Table)\s*\d")


def column_type(header_cell: str) -> str | None:
    for key, typ in COLUMN_TYPES:
        if key in header_cell:
            return typ
    return None


_AUTHOR_WORDS = tuple(key for key, typ in COLUMN_TYPES if typ == "author")


def _header_types(line: str) -> tuple[list[str], list[str]] | None:
    if not any(w in line for w in _AUTHOR_WORDS):
        return None  # a header has an author column (checked first: most lines are prose)
    splitter = _cell_splitter(line)
    cells = [c.strip() for c in splitter.split(line.strip())] if splitter else line.split()
    if _SENTENCE_PUNCT.search(line) or any(len(c) > 16 for c in cells):
        return None  # prose (a figure caption that names 文献, 疾病, 来源) is no header
    types = [column_type(c) for c in cells]
    known = [t for t in types if t]
    if len(cells) < 3 or len(known) < 3 or "author" not in known:
        return None
    return cells, [t or "other" for t in types]


def _row_pattern(types: list[str]) -> regex.Pattern:
    parts = []
    for i, typ in enumerate(types[1:], start=1):  # types[0] is the author column
        cell = CELL_PATTERNS.get(typ, r"\S+")
        parts.append(rf"(?P<c{i}>{cell})")
    return regex.compile(r"\s+".join(parts) + r"\s*$")


def _split_row(start: int, line: str, types: list[str], splitter: regex.Pattern = _TAB) -> TableRow | None:
    """A row whose cells `splitter` separates, read cell by cell by its column's type; None when its
    first cell is no citation (with or without an author and year)."""
    cells, pos = [], 0
    for sep in [*splitter.finditer(line), None]:
        end = sep.start() if sep else len(line)
        raw = line[pos:end]
        lead = len(raw) - len(raw.lstrip())
        if raw.strip() or sep is not None:
            cells.append((raw.strip(), start + pos + lead, start + pos + lead + len(raw.strip())))
        pos = sep.end() if sep else len(line)
    if cells and not cells[0][0]:
        cells = cells[1:]  # the row's indentation
    if len(cells) < len(types) - 1:
        return None
    first, fa, _ = cells[0]
    m = _SPLIT_ROW_START.match(first)
    if not m:
        return None
    row = TableRow(m.group("author") or "", int(regex.sub(r"\D", "", m.group("cit"))), start=fa, end=cells[-1][2] if cells[-1][0] else cells[-2][2])
    if m.group("author"):
        row.author_span = (fa + m.start("author"), fa + m.end("author"))
    if m.group("year"):
        row.cells["year"] = (m.group("year"), fa + m.start("year"), fa + m.end("year"))
    for (text, a, b), typ in zip(cells[1:], types[1:]):
        if not text or typ in row.cells:
            continue
        if typ == "n":
            total, arms = parse_count_cell(text)
            if total is None:
                continue
            nums = list(_INT.finditer(text))
            if arms and len(nums) == 2:  # "24/25": the arms only, the cell stands for their sum
                row.cells["n"] = (text, a, b)
            else:
                row.cells["n"] = (nums[0].group(), a + nums[0].start(), a + nums[0].end())
            row.arms = [(x.group(), a + x.start(), a + x.end()) for x in nums[-2:]] if arms else []
        else:
            row.cells[typ] = (text, a, b)
    return row


def read_tables(text: str) -> list[TextTable]:
    """Study tables in (normalised) `text`: a header line, then author+citation rows. (Read once
    per text: the mention stages and the study finder both ask; do not modify the result.)"""
    return _read_tables(text)


@lru_cache(maxsize=4)
def _read_tables(text: str) -> list[TextTable]:
    tables = []
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        header = _header_types(line.strip())
        if not header:
            i += 1
            continue
        cells, types = header
        caption = None
        for j in range(i - 1, max(-1, i - 4), -1):
            if _CAPTION.match(lines[j][1]):
                caption = lines[j][1].strip()
                break
        pattern = _row_pattern(types)
        rows = []
        end = start + len(line)
        j = i + 1
        misses = 0
        splitter = _cell_splitter(line)
        while j < len(lines) and misses < 3:
            rstart, rline = lines[j]
            if splitter is not None and splitter.search(rline.strip()):
                row = _split_row(rstart, rline, types, splitter)
                if row is not None:
                    rows.append(row)
                    end = row.end
                    misses = 0
                elif rline.strip():
                    misses += 1
                j += 1
                continue
            m = _ROW_START.match(rline.strip())
            if not m:
                if rline.strip():
                    misses += 1
                j += 1
                continue
            offset = rstart + (len(rline) - len(rline.lstrip()))
            rest_start = offset + m.start("rest")
            r = pattern.match(m.group("rest"))
            if r:
                row = TableRow(m.group("author"), int(regex.sub(r"\D", "", m.group("cit"))), start=offset, end=offset + len(rline.strip()))
                row.author_span = (offset + m.start("author"), offset + m.end("author"))
                for k, typ in enumerate(types[1:], start=1):
                    g = f"c{k}"
                    row.cells[typ] = (r.group(g), rest_start + r.start(g), rest_start + r.end(g))
                rows.append(row)
                end = row.end
                misses = 0
            j += 1
        if rows:
            tables.append(TextTable(cells, types, rows, caption, start, end))
            i = j
        else:
            i += 1  # not a study table after all: its "rows" may hold the next header
    return tables


# ---------------------------------------------------------------------------------------------
# Outcome tables: "作者 患者数量 疾病活动指数评分下降 尿蛋白定量(24h)下降 …", then one row of counts
# per study ("王丹丹等[2] 12 12 9 10 3 4 2 1"). Header cells are often broken over several lines
# in PDFs and their text copies ("血清抗双链DNA抗" / "体下降"); they are glued back until each
# column name ends like a result.

_RESULT_END = regex.compile(r"(?:下降|上升|升高|降低|减少|增加|改善|缓解|好转|复发|死亡|正常|消失|愈合|[<>≤≥]\s?\d+(?:\.\d+)?)$")
_N_HEADER = ("患者数量", "患者数", "例数", "病例数", "样本量", "n")
_COUNT_ROW = regex.compile(r"^(?P<author>[\p{Han}]{1,6}等|[A-Z][A-Za-z\-]+\s?(?:等|et al\.?))\s?(?P<cit>\[\s?\d{1,3}\s?\])\s*(?P<rest>(?:\d{1,5}\s+)*\d{1,5})\s*$")


@dataclass
class OutcomeCell:
    """One count of an outcome table: the column's result name, the count and its offsets."""

    column: str
    value: int
    start: int
    end: int


@dataclass
class OutcomeRow:
    author: str
    citation: int
    n: int | None
    cells: list[OutcomeCell]


@dataclass
class OutcomeTable:
    """A table of counts per outcome per study (seed 000 表 2 and 表 3 are of this kind)."""

    caption: str | None
    columns: list[str]
    rows: list[OutcomeRow]
    start: int
    end: int


def glue_header_fragments(tokens: list[str]) -> list[str]:
    """Join broken column names: a fragment joins the next ones until the name ends like a result."""
    out: list[str] = []
    buf = ""
    for tok in tokens:
        buf += tok
        if _RESULT_END.search(buf):
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


def read_outcome_tables(text: str) -> list[OutcomeTable]:
    """Outcome-count tables in (normalised) `text`, rows keyed by citation (read once per text;
    do not modify the result)."""
    return _read_outcome_tables(text)


@lru_cache(maxsize=4)
def _read_outcome_tables(text: str) -> list[OutcomeTable]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    tables = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        tokens = line.split()
        if len(tokens) < 3 or tokens[0] not in ("作者", "研究者", "文献") or tokens[1] not in _N_HEADER:
            i += 1
            continue
        # the header runs until the first row; its later lines hold the rest of broken names
        header = tokens[2:]
        j = i + 1
        while j < len(lines) and not _COUNT_ROW.match(lines[j][1].strip()) and j - i < 40:
            header += lines[j][1].split()
            j += 1
        columns = glue_header_fragments(header)
        if not columns or sum(bool(_RESULT_END.search(c)) for c in columns) < max(1, len(columns) - 1):
            i += 1
            continue
        caption = None
        for k in range(i - 1, max(-1, i - 4), -1):
            if _CAPTION.match(lines[k][1]):
                caption = lines[k][1].strip()
                break
        rows = []
        end = start + len(line)
        misses = 0
        while j < len(lines) and misses < 2:
            rstart, rline = lines[j]
            stripped = rline.strip()
            m = _COUNT_ROW.match(stripped)
            if not m:
                if stripped:
                    misses += 1
                j += 1
                continue
            offset = rstart + (len(rline) - len(rline.lstrip()))
            numbers = [(int(x.group()), offset + m.start("rest") + x.start(), offset + m.start("rest") + x.end())
                       for x in regex.finditer(r"\d+", m.group("rest"))]
            if len(numbers) == len(columns) + 1:
                n, values = numbers[0][0], numbers[1:]
                cells = [OutcomeCell(col, v, a, b) for col, (v, a, b) in zip(columns, values)]
                rows.append(OutcomeRow(m.group("author"), int(regex.sub(r"\D", "", m.group("cit"))), n, cells))
                end = offset + len(stripped)
            misses = 0
            j += 1
        if rows:
            tables.append(OutcomeTable(caption, columns, rows, start, end))
            i = j
        else:
            i += 1
    return tables
