"""One schema (`mscmine.schema.FIELDS`) names every record field and the flat columns it gives:
`StudyRecord` holds exactly its fields, `to_dict` writes them in its order, the writers' column
list and types come from it, and README.md documents it. Released columns keep their names and
their order (reviewers' spreadsheets rely on them); new ones may only be added."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from mscmine import batch, evidence, schema, writers
from mscmine.mention import FactMention, Mention, TermMention
from mscmine.records import StudyRecord

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
TEST_ARTICLES = sorted((ROOT / "tests" / "data").glob("*.txt"))
OUTPUT_SPEC = ROOT.parent / "shared" / "spec" / "output.md"

#: the flat columns as released, in order: never renamed, never reordered
RELEASED_COLUMNS = [
    "doc_id", "source", "record_id", "scope", "study_label", "study_citation", "study_year",
    "disease", "disease_mesh", "disease_text", "cell_type", "cell_type_text", "cell_source", "cell_source_text",
    "donor", "donor_text", "route", "route_text", "dose_low", "dose_high", "dose_unit", "dose_times",
    "dose_interval", "dose_text", "n_patients", "n_patients_text", "follow_up_low", "follow_up_high",
    "follow_up_text", "outcomes", "outcomes_text", "adverse_events_text", "adverse_events_negated",
    "source_sha256",
]
#: the contract's record fields, in the order every record writes them (shared/spec/output.md)
CONTRACT_FIELDS = ["doc_id", "source", "record_id", "scope", "study", "disease", "cell_type", "cell_source", "donor",
                   "route", "dose", "n_patients", "follow_up_months", "outcomes", "adverse_events"]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """The records `mscmine extract` writes for the seeds and the test articles (with source_sha256)."""
    out = []
    for path in SEEDS + TEST_ARTICLES:
        out += batch.process_file(str(path))["records"]
    return out


# ---------------------------------------------------------------------------------------------
# the table itself


def test_released_columns_keep_their_names_and_order():
    assert schema.COLUMN_NAMES[: len(RELEASED_COLUMNS)] == RELEASED_COLUMNS


def test_column_and_field_names_are_unique():
    assert len(set(schema.COLUMN_NAMES)) == len(schema.COLUMN_NAMES)
    assert len(schema.FIELD) == len(schema.FIELDS)


@pytest.mark.parametrize("f", schema.FIELDS, ids=lambda f: f.name)
def test_each_field_is_described(f):
    assert f.kind in ("id", "object", "evidence", "evidence_list", "counts", "flag", "list")
    assert f.presence in (schema.ALWAYS, schema.DOCUMENT, schema.WHEN_SET, schema.BATCH)
    assert f.doc
    assert all(c.dtype in (schema.STRING, schema.INT, schema.FLOAT, schema.BOOL) and c.doc for c in f.columns)
    if f.kind in ("evidence", "evidence_list"):
        assert f.evidence is not None and issubclass(f.evidence, evidence.Evidence)


def test_every_record_field_is_in_the_schema_in_order():
    held = [f for f in dataclasses.fields(StudyRecord) if f.name != "extra"]
    assert [f.name for f in held] == [f.name for f in schema.RECORD_FIELDS]
    for f in held:  # the schema says what type the record holds
        assert f.type == schema.FIELD[f.name].annotation, f.name


def test_contract_fields_are_always_written_first():
    always = [f.name for f in schema.FIELDS if f.presence == schema.ALWAYS]
    assert always == CONTRACT_FIELDS
    assert [f.name for f in schema.FIELDS[: len(CONTRACT_FIELDS)]] == CONTRACT_FIELDS


def test_writers_take_their_columns_from_the_schema():
    assert writers.FLAT_COLUMNS == writers.COLUMNS == schema.COLUMN_NAMES
    assert set(writers.INT_COLUMNS) == {c.name for c in schema.COLUMNS if c.dtype == schema.INT}
    assert set(writers.FLOAT_COLUMNS) == {c.name for c in schema.COLUMNS if c.dtype == schema.FLOAT}
    assert set(writers.BOOL_COLUMNS) == {c.name for c in schema.COLUMNS if c.dtype == schema.BOOL}
    assert writers.NESTED_FIELDS == tuple(f.name for f in schema.FIELDS if f.columns)


# ---------------------------------------------------------------------------------------------
# records and files against the table


def test_records_write_the_schema_fields_in_its_order(records):
    order = [f.name for f in schema.FIELDS]
    seen = set()
    for r in records:
        keys = list(r)
        assert keys[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
        assert all(k in schema.FIELD for k in keys), set(keys) - set(schema.FIELD)
        assert keys == sorted(keys, key=order.index)
        assert ("article" in r and "unassigned" in r) == (r["scope"] == "document")
        seen |= set(keys)
    # the corpus gives every field but the table cells' at least once
    assert seen >= {f.name for f in schema.FIELDS} - {"sex", "age_years", "disease_counts", "pooled", "animal_studies"}


def test_csv_header_is_the_schema_columns(tmp_path, records):
    out = tmp_path / "records.csv"
    writers.write_records(records, out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    extra = sorted({k for r in records for k in r} - set(schema.FLATTENED_FIELDS) - set(schema.COLUMN_NAMES))
    assert header == schema.COLUMN_NAMES + extra
    assert extra and all(schema.FIELD[k].columns == () for k in extra)


def test_dataframe_types_are_the_schema_types(records):
    df = writers.to_dataframe(records)
    empty = writers.to_dataframe([])
    want = {schema.STRING: "string", schema.INT: "Int64", schema.FLOAT: "float64", schema.BOOL: "boolean"}
    for c in schema.COLUMNS:
        assert str(df[c.name].dtype) == want[c.dtype] == str(empty[c.name].dtype), c.name


def test_jsonl_round_trips_to_the_same_dicts(tmp_path, records):
    out = tmp_path / "records.jsonl"
    assert writers.write_records(records, out) == len(records)
    assert writers.read_records(out) == records


def test_flat_row_reads_each_column_from_its_field(records):
    r = next(r for r in records if r["dose"] and r["n_patients"] and r["disease"])
    row = writers.flatten(r)
    assert list(row)[: len(schema.COLUMN_NAMES)] == schema.COLUMN_NAMES
    assert row["n_patients"] == r["n_patients"]["value"]
    assert row["disease"] == ";".join(dict.fromkeys(d["code"] for d in r["disease"]))
    assert row["dose_low"] == min(d["low"] for d in r["dose"] if d["low"] is not None)


# ---------------------------------------------------------------------------------------------
# the column list is documented


def test_readme_documents_the_columns():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema.columns_markdown() in readme


@pytest.mark.skipif(not OUTPUT_SPEC.exists(), reason="shared/spec is not beside the repository")
def test_columns_the_contract_names_are_in_the_schema():
    spec = OUTPUT_SPEC.read_text(encoding="utf-8")
    for name in ("dose_low", "dose_high", "dose_unit", "n_patients", "follow_up_low", "follow_up_high", "disease"):
        assert f"`{name}" in spec and name in schema.COLUMN_NAMES


# ---------------------------------------------------------------------------------------------
# typed evidence


SPAN = {"text": "1×10^6/kg", "start": 10, "end": 19}


@pytest.mark.parametrize("ev, want", [
    (evidence.CodedEvidence(code="MSC", **SPAN), ["code"]),
    (evidence.DiseaseEvidence(code="RA", mesh="D001172", **SPAN), ["code", "mesh"]),
    (evidence.CountEvidence(value=17, **SPAN), ["value"]),
    (evidence.RangeEvidence(low=18, high=60, **SPAN), ["low", "high"]),
    (evidence.FollowUpEvidence(low=4, high=14, **SPAN), ["low", "high"]),
    (evidence.FollowUpEvidence(low=6, high=6, basis="latest_time_point", **SPAN), ["low", "high", "basis"]),
    (evidence.DoseEvidence(low=1e6, high=1e6, unit="cells/kg", times=None, interval=None, **SPAN),
     ["low", "high", "unit", "times", "interval"]),
    (evidence.SexEvidence(male=3, female=9, **SPAN), ["male", "female"]),
    (evidence.outcome_evidence({"measure": "SLEDAI", "value": 4.0, "unit": None, "negated": False, "arm": "treatment"},
                               **SPAN), ["measure", "value", "unit", "negated", "arm"]),
    (evidence.adverse_event_evidence({"negated": True, "serious": None, "count": None, "kind": "safety_conclusion"},
                                     **SPAN), ["negated", "serious", "count", "kind"]),
], ids=lambda x: type(x).__name__ if isinstance(x, evidence.Evidence) else "")
def test_evidence_writes_its_value_then_its_span(ev, want):
    assert list(ev.to_dict()) == want + ["text", "start", "end"]
    with_page = dataclasses.replace(ev, page=2, after_span={"direction": "down"})
    assert list(with_page.to_dict()) == want + ["text", "start", "end", "page", "direction"]


def test_evidence_reads_like_the_dict_it_replaced():
    ev = evidence.DoseEvidence(low=1e6, high=None, unit="cells/kg", times=2, interval="1周", **SPAN)
    assert ev["low"] == 1e6 and ev.get("high") is None and ev.get("missing", 0) == 0
    assert "start" in ev and "page" not in ev and ev["times"] == 2


def test_typed_objects_write_nested_dicts():
    ref = evidence.CitedReference(number=8, first_author="王黎明", year=2010, text="[8] 王黎明…", start=900, end=950)
    assert evidence.StudyInfo(label="王黎明等", citation="[8]", year=2010).to_dict() == \
        {"label": "王黎明等", "citation": "[8]", "year": 2010}
    assert list(evidence.StudyInfo(label=None, citation="[8]", year=None, reference=ref).to_dict()["reference"]) == \
        ["number", "first_author", "year", "text", "start", "end"]


def test_study_record_holds_typed_evidence():
    rec = StudyRecord("d", "d.txt", "d#1", n_patients=evidence.CountEvidence(value=5, **SPAN))
    out = rec.to_dict()
    assert out["n_patients"] == {"value": 5, **SPAN} and "sex" not in out and "article" not in out
    doc = StudyRecord("d", "d.txt", "d#2", scope="document")
    assert doc.to_dict()["unassigned"] == [] and doc.to_dict()["article"] is None


def test_mention_is_generic_in_its_value():
    m: Mention[dict] = Mention("DOSE", 0, 3, "1e6", {"low": 1e6})
    assert TermMention("DISEASE", 0, 2, "狼疮", "SLE").value == "SLE" and FactMention is not None
    assert m.to_dict()["value"] == {"low": 1e6}
