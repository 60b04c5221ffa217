"""All typed mentions of a document, with offsets into `Document.text`.

The extractors read the normalised view (citation marks blanked) and report normalised spans;
here every span is mapped back to the original text, so `doc.text[m.start:m.end] == m.text`.
Mentions in the reference list and in reference-like lines are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import regex

from .document import Document
from .extractors.adverse_events import find_adverse_events
from .extractors.scope import is_control_arm, is_criterion, is_other_agent_route
from .extractors.dose import find_doses
from .extractors.follow_up import find_follow_ups
from .extractors.outcomes import find_outcomes
from .extractors.results import find_numeric_results
from .extractors.patients import find_counts
from .lexicon import alternation, mesh_of
from .mention import Mention
from .scan import SpanIndex
from .normalize import NormalizedText, normalize
from .tables import follow_up_cell_months, read_outcome_tables, read_tables
from .terms import find_terms

_REFERENCES_HEADING = regex.compile(
    r"^[ \t#*>\-]*(?:参考文献|参考资料|References?|REFERENCES|Bibliography)\s*[:：]?", regex.MULTILINE
)
# A line that is a reference entry: "[J]." style document-type marks, or "| [3] | Author…"
_REFERENCE_LINE = regex.compile(r"^.*\[(?:J|M|D|C|R|N|S|EB/OL|Z)\].*$", regex.MULTILINE)


#: animal and in-vitro work: sentences naming these report no facts about patients (guidelines)
# (the cues of lexicons/cues.tsv first, then a rodent by its name and the NOD mouse; before the
# cues moved to the lexicon the named rodent was tried before 动物模型…猴, which no text tells apart
# but a "动物模型鼠")
_ANIMAL_CUES = r"{cues}|{rodent}鼠(?=[,，。;；\s]|能|的|中|模型)|NOD(?![0-9A-Za-z])"
ANIMAL = regex.compile(_ANIMAL_CUES.format(cues=alternation("ANIMAL"), rodent=r"\p{Han}{0,4}"))  # the match names the model ("实验鼠")
# the same sentences, found several times faster: without the name before 鼠, whose optional
# Han characters make the engine try the pattern at every position
_ANIMAL_SENTENCE_CUE = regex.compile(_ANIMAL_CUES.format(cues=alternation("ANIMAL"), rodent=""))
FACT_LABELS = frozenset({"ROUTE", "DOSE", "N_PATIENTS", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT"})
_SENTENCE_END = regex.compile(r"[。;；！？!?\n]")


def animal_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `text` that are about animals or in-vitro work."""
    out = []
    for m in _ANIMAL_SENTENCE_CUE.finditer(text):
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
    animal: list[tuple[int, int]] = field(default_factory=list)  # original ranges of animal / in-vitro sentences


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


@dataclass
class Context:
    """What every extractor stage reads: the document, its normalised view, and the ranges whose
    statements report no facts (the reference list; animal and in-vitro sentences; outcome tables,
    which the record builder reads)."""

    doc: Document
    norm: NormalizedText
    excluded: list[tuple[int, int]]  # original offsets
    animal: list[tuple[int, int]]  # normalised offsets
    outcome_tables: list[tuple[int, int]]  # normalised offsets
    mentions: list[Mention] = field(default_factory=list)  # found so far, original offsets
    headings: list[tuple[int, int]] = field(default_factory=list)  # normalised: section headings, keyword lists
    publications: list[tuple[int, int]] = field(default_factory=list)  # normalised: journal and book names (no mention at all)
    study_tables: list = field(default_factory=list)  # tables.TextTable read from the normalised text


# lines that name things but state no facts (guidelines): a numbered section heading ("2.1 静脉输注"),
# a keyword list ("关键词：…；静脉输注；…")
_HEADING_LINE = regex.compile(
    r"(?m)^[ \t]*(?:\d{1,2}(?:\.\d{1,2}){0,3}|[一二三四五六七八九十]{1,2}[、.])[ \t]+[^\n。；;，,:：]{1,20}$"
    r"|^[ \t]*(?:【\s?关键词\s?】|关键词|关键字|Key\s?words?)\s?[:：]?[^\n]*$"
)


def heading_lines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _HEADING_LINE.finditer(text)]


# the name of a journal or book: "《骨髓移植》", "《细胞发现》" (short; a study's title quoted in
# 《》 is longer and names what the study treated)
_SHORT_TITLE = regex.compile(r"《[^《》\n]{1,12}》")


def publication_names(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SHORT_TITLE.finditer(text)]


def prepare(doc: Document) -> Context:
    norm = normalize(doc.text)
    return Context(doc, norm, excluded_ranges(doc.text), animal_sentences(norm.masked),
                   [(t.start, t.end) for t in read_outcome_tables(norm.text)], headings=heading_lines(norm.text),
                   publications=publication_names(norm.text),
                   study_tables=read_tables(norm.text))


# Each stage: normalised text in, (label, start, end, value, attrs) out, normalised offsets.
Found = tuple[str, int, int, object, dict]


def _terms(ctx: Context) -> list[Found]:
    out = []
    text = ctx.norm.masked
    for t in find_terms(text):
        if t.label == "ROUTE" and is_other_agent_route(text, t.start, t.end):
            continue  # "异丙嗪 25 mg 肌内注射", "环磷酰胺静脉冲击": another drug's route
        attrs = dict(t.attrs)
        if t.label == "DISEASE":
            attrs["mesh"] = mesh_of(t.value)
        out.append((t.label, t.start, t.end, t.value, attrs))
    return out


def _doses(ctx: Context) -> list[Found]:
    return [("DOSE", d.start, d.end, d.dose.to_dict(), {}) for d in find_doses(ctx.norm.masked)]


def _sample_sizes(ctx: Context) -> list[Found]:
    return [("N_PATIENTS" if c.is_sample_size else "COUNT", c.start, c.end, {"value": c.value, "role": c.role}, {})
            for c in find_counts(ctx.norm.masked)]


def _follow_up(ctx: Context) -> list[Found]:
    return [("FOLLOW_UP", f.start, f.end, {"low": f.low, "high": f.high}, {}) for f in find_follow_ups(ctx.norm.masked)]


def _table_cells(ctx: Context) -> list[Found]:
    """Sample-size and follow-up cells of study tables ("患者数量", "随访时间(月)" columns).

    A bare number in a table says nothing by itself; its column header gives it a label and a
    unit, so these cells are read here rather than by the sentence extractors.
    """
    out = []
    taken = [(m.start, m.end) for m in ctx.mentions if m.label in ("N_PATIENTS", "FOLLOW_UP")]

    def free(a: int, b: int) -> bool:
        oa, ob = ctx.norm.to_original(a, b)
        return not any(s < ob and oa < e for s, e in taken)

    for table in ctx.study_tables:
        header = table.header_of("follow_up") or ""
        for row in table.rows:
            if "n" in row.cells:
                cell, a, b = row.cells["n"]
                if cell.isdigit() and free(a, b):
                    out.append(("N_PATIENTS", a, b, {"value": int(cell), "role": "total"}, {"source": "table"}))
            for cell, a, b in row.arms:  # "64(32/32)", "24/25": the arms
                if free(a, b):
                    out.append(("N_PATIENTS", a, b, {"value": int(cell), "role": "group"}, {"source": "table"}))
            if "follow_up" in row.cells:
                cell, a, b = row.cells["follow_up"]
                low, high = follow_up_cell_months(cell, header)
                if (low is not None or high is not None) and free(a, b):
                    out.append(("FOLLOW_UP", a, b, {"low": low, "high": high}, {"source": "table"}))
    return out


def _in_study_tables(ctx: Context, start: int) -> bool:
    """In a row of a study table: its result and safety columns are not annotated (guidelines)."""
    return any(r.start <= start < r.end for t in ctx.study_tables for r in t.rows)


def _outcomes(ctx: Context) -> list[Found]:
    # adverse-event rates are ADVERSE_EVENT mentions (the adverse-event stage), not outcomes; the
    # control arm's own results and the definitions of response criteria are no results
    text = ctx.norm.masked
    return [("OUTCOME", o.start, o.end, _denied_deaths(text, o), {}) for o in find_outcomes(text)
            if o.measure != "adverse_events" and not any(a <= o.start < b for a, b in ctx.outcome_tables)
            and not is_control_arm(text, o.start) and not is_criterion(text, o.start) and not _in_study_tables(ctx, o.start)]


_DENIED_BEFORE = regex.compile(r"(?:无|未见|没有)\s?$")


def _denied_deaths(text: str, o) -> dict:
    """"无1例死亡" is no death: mortality 0, not 1."""
    value = o.to_value()
    if o.measure == "mortality" and _DENIED_BEFORE.search(text, max(0, o.start - 3), o.start):
        value.update(value=0.0, negated=True)
    return value


def _numeric_results(ctx: Context) -> list[Found]:
    """The numbers of result sentences that the outcome forms left (one mention per result):
    not inside a fact already found (a dose, a count, a follow-up, an outcome), not the control
    arm's (its results are kept with ``arm: "control"`` on the value, issue "outcomes"), not in
    tables or criteria."""
    text = ctx.norm.masked
    taken = [(ctx.norm.from_original(m.start), ctx.norm.from_original(m.end)) for m in ctx.mentions
             if m.label in ("DOSE", "N_PATIENTS", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT")
             or (m.label == "COUNT" and m.value.get("role") != "outcome")]
    return [("OUTCOME", r.start, r.end, r.to_value(), {}) for r in find_numeric_results(text)
            if r.measure != "adverse_events" and not any(a < r.end and r.start < b for a, b in taken)
            and not any(a <= r.start < b for a, b in ctx.outcome_tables)
            and not is_criterion(text, r.start) and not _in_study_tables(ctx, r.start)]


def _adverse_events(ctx: Context) -> list[Found]:
    text = ctx.norm.masked
    return [("ADVERSE_EVENT", a.start, a.end, a.to_value(), {}) for a in find_adverse_events(text)
            if not is_control_arm(text, a.start) and not is_criterion(text, a.start) and not _in_study_tables(ctx, a.start)]


#: the extractor stages in the order they run (table cells after the sentence extractors whose
#: mentions they must not double); each is also a spaCy component ``mscmine_<name>``
STAGES: dict[str, Callable[[Context], list[Found]]] = {
    "terms": _terms,
    "doses": _doses,
    "sample_sizes": _sample_sizes,
    "follow_up": _follow_up,
    "table_cells": _table_cells,
    "outcomes": _outcomes,
    "adverse_events": _adverse_events,
    "numeric_results": _numeric_results,
}


def run_stage(ctx: Context, name: str) -> list[Mention]:
    """Run one stage, keep what the context allows, map it to original offsets, add it to ctx."""
    out = []
    publications, animal, headings = SpanIndex(ctx.publications), SpanIndex(ctx.animal), SpanIndex(ctx.headings)
    excluded = SpanIndex(ctx.excluded)
    for label, start, end, value, attrs in STAGES[name](ctx):
        if publications.covers(start):
            continue  # "发表于《骨髓移植》": a journal's name, not a fact or a term of the article
        if label in FACT_LABELS and (animal.covers(start) or headings.covers(start)):
            continue
        a, b = ctx.norm.to_original(start, end)
        if excluded.holds(a, b):
            continue
        out.append(Mention(label, a, b, ctx.doc.text[a:b], value, attrs))
    ctx.mentions.extend(out)
    return out


def analyse(doc: Document, stages: Iterable[str] = tuple(STAGES)) -> Analysis:
    """Run the extractor stages over `doc`; mentions in original offsets, sorted."""
    ctx = prepare(doc)
    for name in stages:
        run_stage(ctx, name)
    mentions = sorted(ctx.mentions, key=lambda m: (m.start, m.end, m.label))
    animal = [ctx.norm.to_original(a, b) for a, b in ctx.animal]
    return Analysis(doc, ctx.norm, mentions, ctx.excluded, animal)
