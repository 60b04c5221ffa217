"""Nothing dropped silently: every fact mention ends in a record, or in the document record's
``unassigned`` list with the reason it belongs to no study.

A mention is placed when a record holds it as evidence, or holds its value for the study whose
mentions it is among (the second "静脉输注" of a study, a follow-up the record's range covers).
Otherwise `REASONS` are tried in order; the first that holds is the reason. A reviewer who sees
a blank cell can then tell "not in the paper" from "found, and left out because …".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import regex

from .extractors.scope import is_compared_therapy, is_control_arm, names_cell_origin
from .lexicon import alternation
from .mention import Mention
from .mentions import Analysis
from .studies import DISCUSSION_HEADING, cited_clause_spans, simplified

#: the labels whose mentions are facts of a study (terms, DISEASE and CELL_SOURCE, are placed by
#: their code: see `unheld_terms`)
PLACED_LABELS = ("DONOR", "ROUTE", "DOSE", "N_PATIENTS", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT")
#: the record field of each label, as the output contract names it
FIELD_OF = {"DONOR": "donor", "ROUTE": "route", "DOSE": "dose", "N_PATIENTS": "n_patients",
            "FOLLOW_UP": "follow_up_months", "OUTCOME": "outcomes", "ADVERSE_EVENT": "adverse_events",
            "DISEASE": "disease", "CELL_SOURCE": "cell_source"}
#: the terms a record may leave out: a disease no study treated, a tissue no cells came from
TERM_LABELS = ("DISEASE", "CELL_SOURCE")
#: umbrella diseases ("自身免疫性疾病", "风湿性疾病") name a field, never a cohort: no record holds them
UMBRELLA_DISEASES = ("AID", "RD")
_COMORBID_BEFORE = regex.compile("(?:" + alternation("COMORBIDITY") + r")\s*$")


@dataclass(frozen=True)
class Where:
    """What the reasons read about one article."""

    analysis: Analysis
    simplified: str  # the original text, Traditional characters made Simplified (same offsets)
    article_kind: str
    planned: list[tuple[int, int]]
    cited: list[tuple[int, int]]  # clauses closed by a citation mark, original offsets
    studies: list  # studies.Study, each with its record
    discussion_start: int | None
    study_of: dict  # id(mention) → the records of the studies whose mentions it is among


def _inside(spans, m: Mention) -> bool:
    return any(a <= m.start < b for a, b in spans)


def _in_a_study(m: Mention, w: Where) -> bool:
    """Among a study's mentions, though its record holds another value (a second total, an arm)."""
    return id(m) in w.study_of


#: (reason, test) in order: the first that holds names why a mention is in no study
REASONS: tuple[tuple[str, Callable[[Mention, Where], bool]], ...] = (
    ("animal", lambda m, w: _inside(w.analysis.animal, m)),
    ("planned_trial", lambda m, w: _inside(w.planned, m)),
    ("cited_without_patients", lambda m, w: w.article_kind == "pooled" and _inside(w.cited, m)),
    # (before the arms: a pooled article has none of its own); `records` puts these on the document record
    ("pooled_analysis", lambda m, w: w.article_kind == "pooled"),
    ("control_arm", lambda m, w: is_control_arm(w.simplified, m.start)),
    ("cited_without_patients", lambda m, w: _inside(w.cited, m)),
    ("discussion", lambda m, w: w.discussion_start is not None and m.start >= w.discussion_start),
    ("arm_size", lambda m, w: m.label == "N_PATIENTS" and m.value.get("role") == "group" and _in_a_study(m, w)),
    ("subgroup", lambda m, w: m.label == "N_PATIENTS" and m.value.get("role") == "subgroup" and _in_a_study(m, w)),
    ("compared_therapy", lambda m, w: is_compared_therapy(w.simplified, m.start)),
    ("in_study_not_chosen", lambda m, w: _in_a_study(m, w)),
    ("no_study_in_patients", lambda m, w: w.article_kind == "no_patients"),
    ("background", lambda m, w: True),
)


def _evidence_spans(record) -> set[tuple[str, int, int]]:
    out = set()
    for name in FIELD_OF.values():
        value = getattr(record, name)
        for ev in value if isinstance(value, list) else ([value] if value else []):
            if "start" in ev:
                out.add((name, ev["start"], ev["end"]))
    return out


def holds_value(record, m: Mention) -> bool:
    """Whether `record` holds the value of `m` (not necessarily `m`'s own evidence)."""
    if m.label == "DONOR":
        return bool(record.donor) and record.donor["code"] == m.value
    if m.label == "ROUTE":
        return any(r["code"] == m.value for r in record.route)
    if m.label == "DOSE":
        return any((d.get("low"), d.get("high"), d.get("unit")) == (m.value.get("low"), m.value.get("high"), m.value.get("unit"))
                   for d in record.dose)
    if m.label == "N_PATIENTS":
        return bool(record.n_patients) and record.n_patients.get("value") == m.value.get("value")
    if m.label == "FOLLOW_UP":
        return record.follow_up_months is not None  # the record's range is taken over all its follow-ups
    return False  # outcomes and adverse events are placed by their own evidence


def unplaced(analysis: Analysis, finding, pairs, discussion_start: int | None = None) -> list[tuple[Mention, str]]:
    """The fact mentions no study record holds, each with the first of `REASONS` that holds.

    `pairs`: (study, its record) for every study record; `finding`: the `studies.StudyFinding`."""
    placed = set()
    for _, rec in pairs:
        placed |= _evidence_spans(rec)
    study_of: dict[int, list] = {}
    for st, rec in pairs:
        for x in st.mentions:
            study_of.setdefault(id(x), []).append(rec)
    pooled = finding.pooled_citations
    # a pooled analysis tells its own studies' results in clauses closed by their marks; a clause
    # closed only by other marks cites work it does not pool
    cited = [(a, b) for a, b, numbers in cited_clause_spans(analysis) if not pooled or not set(numbers) & pooled]
    where = Where(analysis, simplified(analysis.doc.text), finding.article.kind if finding.article else "own_study",
                  finding.planned, cited, list(pairs), discussion_start, study_of)
    out = []
    for m in analysis.mentions:
        if m.label not in PLACED_LABELS or (FIELD_OF[m.label], m.start, m.end) in placed:
            continue
        if any(holds_value(rec, m) for rec in study_of.get(id(m), ())):
            continue
        out.append((m, next(name for name, test in REASONS if test(m, where))))
    return out


def as_unassigned(m: Mention, reason: str) -> dict:
    """The ``unassigned`` entry of `m`: its field's object plus ``field`` and ``reason``."""
    value = m.value if isinstance(m.value, dict) else {"code": m.value}
    return {"field": FIELD_OF[m.label], **value, "text": m.text, "start": m.start, "end": m.end, "reason": reason}


#: (reason, test) in order for a term no record holds: why the article names it
TERM_REASONS: tuple[tuple[str, Callable[[Mention, str, Analysis], bool]], ...] = (
    ("animal", lambda m, simple, a: _inside(a.animal, m)),
    # "2例类风湿关节炎合并强直性脊柱炎患者": a disease the treated patients also have
    ("comorbidity", lambda m, simple, a: m.label == "DISEASE" and bool(_COMORBID_BEFORE.search(simple, max(0, m.start - 8), m.start))),
    # "归巢至骨髓", "骨髓穿刺": a tissue the text names, not where the cells came from
    ("not_cells_origin", lambda m, simple, a: m.label == "CELL_SOURCE" and not names_cell_origin(simple, m.start, m.end)),
    ("background", lambda m, simple, a: True),
)


def unheld_terms(analysis: Analysis, records) -> list[tuple[Mention, str]]:
    """The disease and cell-source mentions whose code no record holds (a study's, the
    document's, or the document's ``topic``), each with the first of `TERM_REASONS` that holds:
    a pooled analysis's background ("广泛存在于…脂肪、肌肉…", "可引起…肺间质纤维化") is named,
    not lost."""
    held = {label: set() for label in TERM_LABELS}
    for rec in records:
        topic = rec.topic
        held["DISEASE"] |= {d.code for d in rec.disease} | set(topic.disease if topic else ())
        held["CELL_SOURCE"] |= {c.code for c in rec.cell_source} | set(topic.cell_source if topic else ())
    simple = simplified(analysis.doc.text)
    return [(m, next(name for name, test in TERM_REASONS if test(m, simple, analysis)))
            for m in analysis.mentions if m.label in TERM_LABELS and m.value not in held[m.label]
            and m.value not in UMBRELLA_DISEASES and not _inside(analysis.excluded, m)]


def discussion_start(text: str) -> int | None:
    m = DISCUSSION_HEADING.search(text)
    return m.start() if m else None
