"""The record schema: every field of a record, in the order it is written, and the flat columns
each gives in CSV, Parquet and Excel. One table, read by everything that names a field or a column:

- `records.StudyRecord.to_dict` writes the fields in `FIELDS` order, each when its `presence`
  says (``always``; ``document``: on the document record only; ``when_set``: only when known),
  then any further keys a caller put in ``StudyRecord.extra``;
- `writers` takes its column list (`COLUMNS`) and column types from the `Column`s, and flattens
  a record dict (JSONL is the contract; CSV rows are read back as dicts too) with their getters;
  a field with no columns of its own (``article``, ``sex``, ``source_counts``, ...) becomes one
  column of its name after the fixed ones, objects as JSON text;
- ``tests/test_schema.py`` checks the table against `StudyRecord`, the CSV header and the
  column list documented in README.md (`columns_markdown`).

Columns are never renamed or reordered (reviewers' spreadsheets and scripts rely on them); add
new ones freely. Field values are described in shared/spec/output.md, codes in vocabulary.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import evidence as ev

#: column types: pandas dtypes of `writers.to_dataframe` ("int": nullable Int64 while whole)
STRING, INT, FLOAT, BOOL = "string", "int", "float", "bool"
#: when a field is written
ALWAYS, DOCUMENT, WHEN_SET, BATCH = "always", "document", "when_set", "batch"


@dataclass(frozen=True)
class Column:
    """One flat column: its name, type, and how it is read from the field's value (may be None)."""

    name: str
    dtype: str
    get: Callable[[Any], Any]
    doc: str


@dataclass(frozen=True)
class Field:
    """One record field: `kind` says its shape, `annotation` the type `StudyRecord` holds."""

    name: str
    kind: str  # "id", "object", "evidence", "evidence_list", "counts", "flag", "list"
    annotation: str  # as annotated on StudyRecord
    presence: str  # ALWAYS, DOCUMENT, WHEN_SET, or BATCH (added by ``mscmine extract`` per input)
    columns: tuple[Column, ...]
    doc: str
    evidence: type | None = None  # the evidence class of an evidence field


def _codes(items: list[dict] | None, key: str = "code") -> str:
    """Distinct values of `key`, ';'-joined, in order."""
    out: list[str] = []
    for it in items or []:
        v = it.get(key)
        if v is not None and str(v) not in out:
            out.append(str(v))
    return ";".join(out)


def _texts(items: list[dict] | None) -> str:
    return " | ".join(str(it.get("text") or "") for it in items or [])


def _key(key: str) -> Callable[[dict | None], Any]:
    return lambda v: (v or {}).get(key)


def _first(key: str) -> Callable[[list | None], Any]:
    return lambda v: (v[0] if v else {}).get(key)


def _same(v: Any) -> Any:
    return v


def _coded_columns(name: str, *, many: bool, mesh: bool = False) -> tuple[Column, ...]:
    if many:
        cols = [Column(name, STRING, _codes, f"{name} codes, ';'-joined")]
        if mesh:
            cols.append(Column(f"{name}_mesh", STRING, lambda v: _codes(v, "mesh"), "MeSH descriptors, ';'-joined"))
        cols.append(Column(f"{name}_text", STRING, _texts, "evidence texts, ' | '-joined"))
    else:
        cols = [Column(name, STRING, _key("code"), f"{name} code"),
                Column(f"{name}_text", STRING, _key("text"), "evidence text")]
    return tuple(cols)


def _ae_negated(v: list | None) -> bool | None:
    return all(a.get("negated") for a in v) if v else None


FIELDS: tuple[Field, ...] = (
    Field("doc_id", "id", "str", ALWAYS, (Column("doc_id", STRING, _same, "file stem, or a caller-given id"),),
          "the document"),
    Field("source", "id", "str | None", ALWAYS, (Column("source", STRING, _same, "the input path"),),
          "the file the record came from"),
    Field("record_id", "id", "str", ALWAYS, (Column("record_id", STRING, _same, "doc_id#n"),),
          "doc_id#n, n counting the article's records from 1"),
    Field("scope", "id", "str", ALWAYS, (Column("scope", STRING, _same, '"study" or "document"'),),
          '"study", or "document" for what the article itself pools'),
    Field("study", "object", "StudyInfo | None", ALWAYS,
          (Column("study_label", STRING, _key("label"), "who reported it (王黎明等)"),
           Column("study_citation", STRING, _key("citation"), "citation mark ([8])"),
           Column("study_year", INT, _key("year"), "year reported")),
          "label, citation, year (and the cited reference)", ev.StudyInfo),
    Field("disease", "evidence_list", "list[DiseaseEvidence]", ALWAYS, _coded_columns("disease", many=True, mesh=True),
          "diseases treated: code, mesh", ev.DiseaseEvidence),
    Field("cell_type", "evidence", "CodedEvidence | None", ALWAYS, _coded_columns("cell_type", many=False),
          "cell type code", ev.CodedEvidence),
    Field("cell_source", "evidence_list", "list[CodedEvidence]", ALWAYS, _coded_columns("cell_source", many=True),
          "tissues the cells came from", ev.CodedEvidence),
    Field("donor", "evidence", "CodedEvidence | None", ALWAYS, _coded_columns("donor", many=False),
          "allogeneic or autologous", ev.CodedEvidence),
    Field("route", "evidence_list", "list[CodedEvidence]", ALWAYS, _coded_columns("route", many=True),
          "routes of administration", ev.CodedEvidence),
    Field("dose", "evidence_list", "list[DoseEvidence]", ALWAYS,
          (Column("dose_low", FLOAT, lambda v: min((d["low"] for d in v or [] if d.get("low") is not None), default=None),
                  "lowest dose of any level"),
           Column("dose_high", FLOAT, lambda v: max((d["high"] for d in v or [] if d.get("high") is not None), default=None),
                  "highest dose of any level"),
           Column("dose_unit", STRING, _first("unit"), "cells or cells/kg (first level)"),
           Column("dose_times", INT, _first("times"), "administrations (first level)"),
           Column("dose_interval", STRING, _first("interval"), "interval between them (first level)"),
           Column("dose_text", STRING, _texts, "evidence texts, ' | '-joined")),
          "dose levels: low, high, unit, times, interval", ev.DoseEvidence),
    Field("n_patients", "evidence", "CountEvidence | None", ALWAYS,
          (Column("n_patients", INT, _key("value"), "patients treated"),
           Column("n_patients_text", STRING, _key("text"), "evidence text")),
          "the study's sample size", ev.CountEvidence),
    Field("follow_up_months", "evidence", "FollowUpEvidence | None", ALWAYS,
          (Column("follow_up_low", FLOAT, _key("low"), "months, shortest"),
           Column("follow_up_high", FLOAT, _key("high"), "months, longest"),
           Column("follow_up_text", STRING, _key("text"), "evidence text")),
          "months of follow-up: low, high (basis when not stated as such)", ev.FollowUpEvidence),
    Field("outcomes", "evidence_list", "list[OutcomeEvidence]", ALWAYS,
          (Column("outcomes", STRING, lambda v: _codes(v, "measure"), "measure codes, ';'-joined"),
           Column("outcomes_text", STRING, _texts, "evidence texts, ' | '-joined")),
          "results: measure, value, unit, negated, ...", ev.OutcomeEvidence),
    Field("adverse_events", "evidence_list", "list[AdverseEventEvidence]", ALWAYS,
          (Column("adverse_events_text", STRING, _texts, "evidence texts, ' | '-joined"),
           Column("adverse_events_negated", BOOL, _ae_negated, "true when every statement denies events")),
          "safety statements: negated, serious, count, ...", ev.AdverseEventEvidence),
    Field("article", "object", "ArticleInfo | None", DOCUMENT, (),
          "what the article reports (kind) and why (reason)", ev.ArticleInfo),
    Field("unassigned", "list", "list[dict] | None", DOCUMENT, (),
          "facts found but placed in no study, each with field and reason"),
    Field("sex", "evidence", "SexEvidence | None", WHEN_SET, (), "male, female (a study table's cell)", ev.SexEvidence),
    Field("age_years", "evidence", "RangeEvidence | None", WHEN_SET, (), "low, high (a study table's cell)",
          ev.RangeEvidence),
    Field("disease_counts", "list", "list[DiseaseCount] | None", WHEN_SET, (),
          "document record: patients per disease in the pooled total", ev.DiseaseCount),
    Field("source_counts", "counts", "dict[str, int] | None", WHEN_SET, (), "patients per cell source code"),
    Field("pooled", "flag", "bool | None", WHEN_SET, (), "whether the article's pooled total counts the study"),
    Field("animal_studies", "list", "list[dict] | None", WHEN_SET, (),
          "document record: cited studies in animals or in vitro"),
    Field("topic", "object", "Topic | None", WHEN_SET, (),
          "document record of an article that pools no studies: the codes it names", ev.Topic),
    Field("source_sha256", "id", "str", BATCH, (Column("source_sha256", STRING, _same, "hash of the input's bytes"),),
          "hash of the input file's bytes (mscmine extract)"),
)

FIELD = {f.name: f for f in FIELDS}
#: the fields `StudyRecord` holds (all but those the batch adds), in the order they are written
RECORD_FIELDS = tuple(f for f in FIELDS if f.presence != BATCH)
#: the flat columns, in order; then come the fields without columns of their own, by name
COLUMNS: tuple[Column, ...] = tuple(c for f in FIELDS for c in f.columns)
COLUMN_NAMES: list[str] = [c.name for c in COLUMNS]
#: the fields the fixed columns flatten (any other key of a record is a column of its own)
FLATTENED_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.columns)


def columns_of(dtype: str) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMNS if c.dtype == dtype)


def flat_columns(record: dict[str, Any]) -> dict[str, Any]:
    """The fixed columns of one record dict, in order."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        if f.columns:
            value = record.get(f.name)
            for c in f.columns:
                out[c.name] = c.get(value)
    return out


def columns_markdown() -> str:
    """The column list as the Markdown table README.md shows (a test keeps the two the same)."""
    lines = ["| column | type | field | what |", "|---|---|---|---|"]
    for f in FIELDS:
        for c in f.columns:
            lines.append(f"| `{c.name}` | {c.dtype} | `{f.name}` | {c.doc} |")
    return "\n".join(lines)
