"""Every record `mscmine.extract` writes follows the output contract (shared/spec/output.md):
field names, types, codes of the vocabulary, and evidence objects with exact offsets. Checked
with a JSON Schema over the seeds, the test articles in tests/data and their PDF renditions."""

from pathlib import Path

import jsonschema
import pytest

import mscmine
from mscmine.lexicon import load_codes

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("*.txt"))


def _codes(category):
    return sorted(code for (cat, code) in load_codes() if cat == category)


def _evidence(extra=None, required=("text", "start", "end")):
    props = {"text": {"type": "string"}, "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 1},
             "page": {"type": "integer", "minimum": 1}}
    props.update(extra or {})
    return {"type": "object", "required": list(required), "properties": props}


NUMBER_OR_NULL = {"type": ["number", "null"]}
SCHEMA = {
    "type": "object",
    "required": ["doc_id", "source", "record_id", "scope", "study", "disease", "cell_type", "cell_source", "donor", "route",
                 "dose", "n_patients", "follow_up_months", "outcomes", "adverse_events"],
    "properties": {
        "doc_id": {"type": "string", "minLength": 1},
        "source": {"type": ["string", "null"]},
        "record_id": {"type": "string", "pattern": r"^.+#\d+$"},
        "scope": {"enum": ["study", "document"]},
        "study": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["label", "citation", "year"], "properties": {
            "label": {"type": ["string", "null"]}, "citation": {"type": ["string", "null"], "pattern": r"^\[\d+(,\d+)*\]$"},
            "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2100}}}]},
        "disease": {"type": "array", "items": _evidence({"code": {"enum": _codes("disease")}, "mesh": {"type": ["string", "null"]}},
                                                         ("code", "text", "start", "end"))},
        "cell_type": {"oneOf": [{"type": "null"}, _evidence({"code": {"enum": _codes("cell_type")}}, ("code", "text", "start", "end"))]},
        "cell_source": {"type": "array", "items": _evidence({"code": {"enum": _codes("cell_source")}}, ("code", "text", "start", "end"))},
        "donor": {"oneOf": [{"type": "null"}, _evidence({"code": {"enum": _codes("donor")}}, ("code", "text", "start", "end"))]},
        "route": {"type": "array", "items": _evidence({"code": {"enum": _codes("route")}}, ("code", "text", "start", "end"))},
        "dose": {"type": "array", "items": _evidence(
            {"low": NUMBER_OR_NULL, "high": NUMBER_OR_NULL, "unit": {"enum": ["cells/kg", "cells"]},
             "times": {"type": ["integer", "null"]}, "interval": {"type": ["string", "null"]}},
            ("low", "high", "unit", "times", "interval", "text", "start", "end"))},
        "n_patients": {"oneOf": [{"type": "null"}, _evidence({"value": {"type": "integer", "minimum": 1}}, ("value", "text", "start", "end"))]},
        "follow_up_months": {"oneOf": [{"type": "null"}, _evidence({"low": NUMBER_OR_NULL, "high": NUMBER_OR_NULL},
                                                                  ("low", "high", "text", "start", "end"))]},
        "outcomes": {"type": "array", "items": _evidence(
            {"measure": {"enum": _codes("outcome")}, "value": NUMBER_OR_NULL, "unit": {"type": ["string", "null"]},
             "negated": {"type": "boolean"}}, ("measure", "value", "unit", "negated", "text", "start", "end"))},
        "adverse_events": {"type": "array", "items": _evidence(
            {"negated": {"type": "boolean"}, "serious": {"type": ["boolean", "null"]}}, ("negated", "serious", "text", "start", "end"))},
    },
}


def _all_evidence(record):
    for field in ("disease", "cell_type", "cell_source", "donor", "route", "dose", "n_patients", "follow_up_months",
                  "outcomes", "adverse_events"):
        value = record[field]
        for ev in value if isinstance(value, list) else [value] if value else []:
            yield field, ev


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_records_follow_the_contract(path):
    doc = mscmine.load(path)
    records = mscmine.extract(doc)
    assert records[-1]["scope"] == "document" and sum(r["scope"] == "document" for r in records) == 1
    for r in records:
        jsonschema.validate(r, SCHEMA)
        assert r["doc_id"] == doc.id and r["record_id"].startswith(doc.id + "#")
        for field, ev in _all_evidence(r):
            assert doc.text[ev["start"] : ev["end"]] == ev["text"], (r["record_id"], field)
    assert len({r["record_id"] for r in records}) == len(records)
