"""All typed mentions of a document, with offsets into `Document.text`.

The extractors read the normalised view (citation marks blanked) and report normalised spans;
here every span is mapped back to the original text, so `doc.text[m.start:m.end] == m.text`.
Mentions in the reference list and in reference-like lines are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .document import Document
from .extractors.adverse_events import find_adverse_events
from .extractors.dose import find_doses
from .extractors.follow_up import find_follow_ups
from .extractors.outcomes import find_outcomes
from .extractors.patients import find_counts
from .lexicon import mesh_of
from .mention import Mention
from .extractors.numbers import to_months
from .normalize import NormalizedText, normalize
from .tables import header_unit, parse_range_cell, read_outcome_tables, read_tables
from .terms import find_terms

_REFERENCES_HEADING = regex.compile(
    r"^[ \t#*>\-]*(?:参考文献|参考资料|References?|REFERENCES|Bibliography)\s*[:：]?", regex.MULTILINE
)
# A line that is a reference entry: "[J]." style document-type marks, or "| [3] | Author…"
_REFERENCE_LINE = regex.compile(r"^.*\[(?:J|M|D|C|R|N|S|EB/OL|Z)\].*$", regex.MULTILINE)


#: animal and in-vitro work: sentences naming these report no facts about patients (guidelines)
ANIMAL = regex.compile(r"小鼠|大鼠|模型鼠|狼疮鼠|\p{Han}{0,4}鼠(?=[,，。;；\s]|能|的|中|模型)|NOD(?![0-9A-Za-z])|MRL/lpr|动物模型|动物实验|胶原诱导关节炎|体外实验|体外研究|in vitro|家兔|犬|猴")
FACT_LABELS = frozenset({"ROUTE", "DOSE", "N_PATIENTS", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT"})
_SENTENCE_END = regex.compile(r"[。;；！？!?\n]")


def animal_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `text` that are about animals or in-vitro work."""
    out = []
    for m in ANIMAL.finditer(text):
        ends = [e.start() for e in _SENTENCE_END.finditer(text, max(0, m.start() - 300), m.start())]
        start = ends[-1] + 1 if ends else max(0, m.start() - 300)
        nxt = _SENTENCE_END.search(text, m.end())
        end = nxt.end() if nxt else len(text)
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


@dataclass
class Analysis:
    """What the extraction stage produces for one document."""

    doc: Document
    normalized: NormalizedText
    mentions: list[Mention]  # original offsets
    excluded: list[tuple[int, int]]  # original ranges not analysed (references)


def excluded_ranges(text: str) -> list[tuple[int, int]]:
    """Reference list (from its heading to the end) and reference-entry lines."""
    ranges = []
    heading = None
    for m in _REFERENCES_HEADING.finditer(text):
        # the heading must stand in the last 60% of the text and start a line of its own
        if m.start() > 0.4 * len(text):
            heading = m.start()
            break
    if heading is not None:
        ranges.append((heading, len(text)))
    for m in _REFERENCE_LINE.finditer(text):
        if heading is None or m.start() < heading:
            ranges.append((m.start(), m.end()))
    return sorted(ranges)


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def _table_cell_mentions(text: str, found: list[tuple]) -> list[tuple]:
    """Sample-size and follow-up cells of study tables ("患者数量", "随访时间(月)" columns).

    A bare number in a table says nothing by itself; its column header gives it a label and a
    unit, so these cells are read here rather than by the sentence extractors.
    """
    out = []
    taken = [(s, e) for label, s, e, *_ in found if label in ("N_PATIENTS", "FOLLOW_UP")]
    for table in read_tables(text):
        unit = header_unit(table.header_of("follow_up") or "")
        for row in table.rows:
            if "n" in row.cells:
                cell, a, b = row.cells["n"]
                if not any(s < b and a < e for s, e in taken):
                    out.append(("N_PATIENTS", a, b, {"value": int(cell), "role": "total"}, {"source": "table"}))
            if "follow_up" in row.cells:
                cell, a, b = row.cells["follow_up"]
                low, high = parse_range_cell(cell)
                if (low is not None or high is not None) and not any(s < b and a < e for s, e in taken):
                    low = to_months(low, unit) if low is not None else None
                    high = to_months(high, unit) if high is not None else None
                    out.append(("FOLLOW_UP", a, b, {"low": low, "high": high}, {"source": "table"}))
    return out


def analyse(doc: Document) -> Analysis:
    """Run every extractor over `doc` and return mentions with original offsets."""
    norm = normalize(doc.text)
    text = norm.masked
    excluded = excluded_ranges(doc.text)
    found: list[tuple[str, int, int, object, dict]] = []

    for t in find_terms(text):
        value = t.value
        attrs = dict(t.attrs)
        if t.label == "DISEASE":
            attrs["mesh"] = mesh_of(t.value)
        found.append((t.label, t.start, t.end, value, attrs))
    for d in find_doses(text):
        found.append(("DOSE", d.start, d.end, d.dose.to_dict(), {}))
    for c in find_counts(text):
        label = "N_PATIENTS" if c.is_sample_size else "COUNT"
        found.append((label, c.start, c.end, {"value": c.value, "role": c.role}, {}))
    for f in find_follow_ups(text):
        found.append(("FOLLOW_UP", f.start, f.end, {"low": f.low, "high": f.high}, {}))
    found.extend(_table_cell_mentions(norm.text, found))
    # outcome tables (counts per outcome per study) are read by records.py, not as running text
    outcome_tables = [(t.start, t.end) for t in read_outcome_tables(norm.text)]
    animal = animal_sentences(text)
    for o in find_outcomes(text):
        if not any(a <= o.start < b for a, b in outcome_tables):
            found.append(("OUTCOME", o.start, o.end, o.to_value(), {}))
    for a in find_adverse_events(text):
        found.append(("ADVERSE_EVENT", a.start, a.end, a.to_value(), {}))

    found = [f for f in found if f[0] not in FACT_LABELS or not any(a <= f[1] < b for a, b in animal)]
    mentions = []
    for label, start, end, value, attrs in found:
        a, b = norm.to_original(start, end)
        if _inside(excluded, a, b):
            continue
        mentions.append(Mention(label, a, b, doc.text[a:b], value, attrs))
    mentions.sort(key=lambda m: (m.start, m.end, m.label))
    return Analysis(doc, norm, mentions, excluded)
