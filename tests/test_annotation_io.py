"""Annotation round trip: gold and predicted entities to Label Studio / brat and back.

Cases: the five real gold files (``annotations/gold``), the extractor's predictions on seed 002,
and one hand-written document with the hard parts: a span at offset 0 and one ending at the end
of the text, overlapping and nested spans, a span crossing a blank line (brat fragments), an
emoji and a CJK Extension B ideograph (astral characters: two UTF-16 units, one code point),
and a tab. Error cases are the mistakes an annotator or an old tool version makes.
"""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from test_eval import SCHEMA

from mscmine.cli import main
from mscmine.evaluation import annotation_io as aio
from mscmine.mention import LABELS

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "annotations" / "gold").glob("*.json"))

# ---------------------------------------------------------------------------------------------
# the hand-written tricky document

TRICKY_TEXT = "SLE患者经😀静脉输注脐带间充质干细胞𠮷1×10^6/kg，\t随访6~19个月，系统性红\n\n斑狼疮患者共12例"


def _span(label, surface, value, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = TRICKY_TEXT.index(surface, start + 1)
    return {"label": label, "start": start, "end": start + len(surface), "text": surface, "value": value}


TRICKY_ENTITIES = [
    _span("DISEASE", "SLE", "SLE"),  # offset 0
    _span("ROUTE", "静脉输注", "intravenous"),  # after the emoji
    _span("ADVERSE_EVENT", "😀静脉输注", {"negated": False, "serious": None, "count": None}),  # contains the emoji
    _span("CELL_SOURCE", "脐带", "umbilical_cord"),
    _span("CELL_TYPE", "间充质干细胞", "MSC"),
    _span("OUTCOME", "脐带间充质干细胞𠮷1", {"measure": "other", "value": 1, "unit": None, "negated": False}),  # crosses ext. B
    _span("DOSE", "1×10^6/kg", {"low": 1e6, "high": 1e6, "unit": "cells/kg", "times": None, "interval": None}),
    _span("OUTCOME", "10^6/kg，\t随访", {"measure": "other", "value": None, "unit": None, "negated": True}),  # overlaps DOSE, has a tab
    _span("FOLLOW_UP", "6~19个月", {"low": 6, "high": 19}),
    _span("DISEASE", "系统性红\n\n斑狼疮", "SLE"),  # crosses a blank line
    _span("N_PATIENTS", "12例", {"value": 12, "role": "total"}),  # ends at the end
]


@pytest.fixture()
def tricky():
    doc = {"doc_id": "tricky", "split": "test", "source": "tricky.txt",
           "entities": aio.sort_and_number(TRICKY_ENTITIES), "records": []}
    return doc, TRICKY_TEXT


def test_tricky_document_is_what_it_claims():
    assert TRICKY_TEXT.endswith("12例") and TRICKY_TEXT.startswith("SLE")
    assert sum(ord(c) > 0xFFFF for c in TRICKY_TEXT) == 2
    for e in TRICKY_ENTITIES:
        assert TRICKY_TEXT[e["start"] : e["end"]] == e["text"]


def _roundtrip(fmt, docs, tmp_path, **kw):
    if fmt == "labelstudio":
        tasks = json.loads(json.dumps(aio.to_labelstudio(docs, kind="annotations", offsets=kw.get("offsets", "codepoint"))))
        return aio.from_labelstudio(tasks).documents
    aio.write_brat(docs, tmp_path / "brat")
    return aio.read_brat(tmp_path / "brat").documents


# ---------------------------------------------------------------------------------------------
# round trips


@pytest.mark.parametrize("fmt", ["labelstudio", "brat"])
@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_files_round_trip_unchanged(path, fmt, tmp_path):
    gold, text = aio.load_gold_document(path, root=ROOT)
    (back,) = _roundtrip(fmt, [(gold, text)], tmp_path)
    jsonschema.validate(back, SCHEMA)
    assert back == gold
    assert aio.gold_json(back) == path.read_text(encoding="utf-8")  # byte for byte


@pytest.mark.parametrize("fmt,offsets", [("labelstudio", "codepoint"), ("labelstudio", "utf16"), ("brat", None)])
def test_tricky_document_round_trips(tricky, fmt, offsets, tmp_path):
    doc, text = tricky
    (back,) = _roundtrip(fmt, [(doc, text)], tmp_path, offsets=offsets)
    jsonschema.validate(back, SCHEMA)
    assert back["entities"] == doc["entities"]
    assert [(e["label"], e["start"], e["end"]) for e in back["entities"]][0] == ("DISEASE", 0, 3)
    assert back["entities"][-1]["end"] == len(text)


@pytest.mark.parametrize("fmt", ["labelstudio", "brat"])
def test_predicted_mentions_round_trip(fmt, tmp_path):
    pred, text = aio.predicted_document(ROOT / "corpus" / "seeds" / "002_a9ce8c544dc19b6d.txt", split="dev",
                                        source="corpus/seeds/002_a9ce8c544dc19b6d.txt")
    assert len(pred["entities"]) > 100 and {e["label"] for e in pred["entities"]} <= set(LABELS)
    if fmt == "labelstudio":
        tasks = json.loads(json.dumps(aio.to_labelstudio([(pred, text)])))  # as predictions
        assert "predictions" in tasks[0] and "annotations" not in tasks[0]
        assert aio.from_labelstudio(tasks).documents == []  # nothing reviewed yet
        (back,) = aio.from_labelstudio(tasks, use_predictions=True).documents
    else:
        aio.write_brat([(pred, text)], tmp_path)
        (back,) = aio.read_brat(tmp_path).documents
    assert back == pred


# ---------------------------------------------------------------------------------------------
# the formats as written


def test_labelstudio_task_shape(tricky):
    doc, text = tricky
    (task,) = aio.to_labelstudio([(doc, text)], kind="predictions")
    assert task["data"]["text"] == text and task["data"]["doc_id"] == "tricky"
    result = task["predictions"][0]["result"]
    labels = [r for r in result if r["type"] == "labels"]
    values = {r["id"]: r for r in result if r["type"] == "textarea"}
    assert len(labels) == len(values) == len(TRICKY_ENTITIES)
    first = labels[0]
    assert (first["from_name"], first["to_name"], first["value"]) == (
        "label", "text", {"start": 0, "end": 3, "text": "SLE", "labels": ["DISEASE"]})
    assert values[first["id"]]["from_name"] == "value" and values[first["id"]]["value"]["text"] == ['"SLE"']


@pytest.mark.parametrize("surface,codepoint,utf16", [
    ("SLE", (0, 3), (0, 3)),  # before any astral character
    ("静脉输注", (7, 11), (8, 12)),  # after the emoji
    ("😀静脉输注", (6, 11), (6, 12)),  # contains it
    ("12例", (len(TRICKY_TEXT) - 3, len(TRICKY_TEXT)), (len(TRICKY_TEXT) - 1, len(TRICKY_TEXT) + 2)),  # after both
])
def test_utf16_offsets(tricky, surface, codepoint, utf16):
    doc, text = tricky
    (task,) = aio.to_labelstudio([(doc, text)], offsets="utf16")
    got = {r["value"]["text"]: (r["value"]["start"], r["value"]["end"])
           for r in task["predictions"][0]["result"] if r["type"] == "labels"}
    assert got[surface] == utf16
    assert aio.resolve_offsets(text, *utf16, surface) == codepoint
    assert aio.resolve_offsets(text, *codepoint, surface) == codepoint


def test_labelstudio_config_lists_every_label():
    root = ET.fromstring(aio.labelstudio_config())
    labels = root.find("Labels")
    assert (labels.get("name"), labels.get("toName")) == ("label", "text")
    assert [x.get("value") for x in labels.findall("Label")] == list(LABELS)
    assert root.find("Text").get("value") == "$text"
    area = root.find("TextArea")
    assert (area.get("name"), area.get("perRegion")) == ("value", "true")


def test_brat_files(tricky, tmp_path):
    doc, text = tricky
    aio.write_brat([(doc, text)], tmp_path)
    assert (tmp_path / "tricky.txt").read_bytes() == text.encode("utf-8")
    ann = (tmp_path / "tricky.ann").read_text(encoding="utf-8").splitlines()
    start = text.index("系统性红")
    assert f"DISEASE {start} {start + 4};{start + 6} {start + 9}\t系统性红 斑狼疮" in "\n".join(ann)
    assert ann[0] == "T1\tDISEASE 0 3\tSLE" and ann[1] == '#1\tAnnotatorNotes T1\t"SLE"'
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert all(label in conf.split("[relations]")[0] for label in LABELS)
    assert "<OVERLAP>" in conf


def test_brat_keeps_crlf_offsets(tmp_path):
    """brat counts over the .txt exactly as written: a \\r\\n is two characters."""
    text = "第一行\r\n类风湿关节炎患者"
    start = text.index("类风湿关节炎")
    doc = {"doc_id": "crlf", "split": "dev", "source": "crlf.txt", "records": [],
           "entities": aio.sort_and_number([{"label": "DISEASE", "start": start, "end": start + 6, "text": "类风湿关节炎", "value": "RA"}])}
    aio.write_brat([(doc, text)], tmp_path)
    assert (tmp_path / "crlf.ann").read_text(encoding="utf-8").startswith("T1\tDISEASE 5 11\t")
    (back,) = aio.read_brat(tmp_path).documents
    assert back["entities"] == doc["entities"]


# ---------------------------------------------------------------------------------------------
# importing corrected files


def _task(annotations, text="狼疮肾炎和SLE"):
    return [{"id": 7, "data": {"text": text, "doc_id": "d1", "split": "dev", "source": "d1.txt"}, "annotations": annotations}]


def _ann(label_value, start, end, surface, value_text, **extra):
    return {"result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": start, "end": end, "text": surface, "labels": [label_value]}},
        {"id": "r1", "from_name": "value", "to_name": "text", "type": "textarea",
         "value": {"start": start, "end": end, "text": [value_text]}},
    ], **extra}


@pytest.mark.parametrize("annotations,expected", [
    # the newest by updated_at wins
    ([_ann("DISEASE", 0, 4, "狼疮肾炎", '"LN"', id=1, updated_at="2024-05-01T10:00:00Z"),
      _ann("DISEASE", 5, 8, "SLE", '"SLE"', id=2, updated_at="2024-05-02T10:00:00Z")], ("DISEASE", 5, 8, "SLE")),
    # a cancelled (skipped) annotation is ignored even when it is newer
    ([_ann("DISEASE", 0, 4, "狼疮肾炎", '"LN"', id=1, updated_at="2024-05-01T10:00:00Z"),
      _ann("DISEASE", 5, 8, "SLE", '"SLE"', id=2, updated_at="2024-06-01T10:00:00Z", was_cancelled=True)],
     ("DISEASE", 0, 4, "LN")),
    # no times: the larger id
    ([_ann("DISEASE", 5, 8, "SLE", '"SLE"', id=12), _ann("DISEASE", 0, 4, "狼疮肾炎", '"LN"', id=3)], ("DISEASE", 5, 8, "SLE")),
    # a bare code typed without quotes is accepted for a term label
    ([_ann("DISEASE", 0, 4, "狼疮肾炎", "LN", id=1)], ("DISEASE", 0, 4, "LN")),
], ids=["newest", "cancelled-ignored", "larger-id", "bare-code"])
def test_labelstudio_import_takes_latest_annotation(annotations, expected):
    (doc,) = aio.from_labelstudio(_task(annotations)).documents
    (e,) = doc["entities"]
    assert (e["label"], e["start"], e["end"], e["value"]) == expected
    assert (doc["doc_id"], doc["split"], doc["source"], e["id"]) == ("d1", "dev", "d1.txt", "T1")


def test_labelstudio_task_with_only_cancelled_annotations_is_skipped():
    result = aio.from_labelstudio(_task([_ann("DISEASE", 5, 8, "SLE", '"SLE"', was_cancelled=True)]))
    assert result.documents == [] and "skipped" in result.warnings[0]


@pytest.mark.parametrize("annotation,message", [
    (_ann("DISEASE", 1, 4, "狼疮肾炎", '"LN"'), "do not give the region text"),
    (_ann("DISEASE", 5, 8, "SLE", '"XYZ"'), "'XYZ' is not a disease code"),
    (_ann("DOSE", 5, 8, "SLE", "1e6 cells"), "must be a JSON object"),
    (_ann("DISEASE", 5, 8, "SLE", ""), "no value"),
    (_ann("MEDICINE", 5, 8, "SLE", '"x"'), "unknown label"),
], ids=["offsets-off-by-one", "unknown-code", "dose-not-json", "missing-value", "unknown-label"])
def test_labelstudio_import_errors_name_file_and_entity(annotation, message):
    with pytest.raises(aio.AnnotationImportError) as err:
        aio.from_labelstudio(_task([annotation]), where="export.json")
    assert message in str(err.value) and "export.json" in str(err.value) and "r1" in str(err.value)


def test_missing_value_allowed_on_request():
    (doc,) = aio.from_labelstudio(_task([_ann("DISEASE", 5, 8, "SLE", "")]), allow_missing_values=True).documents
    assert doc["entities"][0]["value"] is None


def test_conflicting_duplicate_is_refused_identical_kept_once():
    text = "SLE患者"
    same = [{"tool_id": f"T{i}", "label": "DISEASE", "start": 0, "end": 3, "text": "SLE", "value": "SLE"} for i in (1, 2)]
    assert len(aio.check_entities(same, text, "f.ann")) == 1
    same[1]["value"] = "LN"
    with pytest.raises(aio.AnnotationImportError, match="annotated twice"):
        aio.check_entities(same, text, "f.ann")


BRAT_TEXT = "系统性红\n\n斑狼疮和类风湿关节炎"


@pytest.mark.parametrize("ann,expected", [
    ("T1\tDISEASE 0 4;6 9\t系统性红 斑狼疮\n#1\tAnnotatorNotes T1\t\"SLE\"\n", (0, 9, "SLE")),  # line break only: hull
    ("T1\tDISEASE 0 9\t系统性红  斑狼疮\n#1\tAnnotatorNotes T1\tSLE\n", None),  # text field must agree
    ("T1\tDISEASE 10 16\t类风湿关节炎\n#1\tAnnotatorNotes T1\t\"RA\"\nR1\tRel Arg1:T1 Arg2:T1\n", (10, 16, "RA")),  # R line ignored
], ids=["fragments-hull", "text-mismatch", "relation-ignored"])
def test_brat_import(ann, expected, tmp_path):
    (tmp_path / "d.txt").write_text(BRAT_TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text(ann, encoding="utf-8")
    if expected is None:
        with pytest.raises(aio.AnnotationImportError, match=r"d\.ann: T1 DISEASE"):
            aio.read_brat(tmp_path)
        return
    (doc,) = aio.read_brat(tmp_path).documents
    (e,) = doc["entities"]
    assert (e["start"], e["end"], e["value"]) == expected and e["text"] == BRAT_TEXT[e["start"] : e["end"]]


def test_brat_discontinuous_span_with_text_between_is_refused(tmp_path):
    (tmp_path / "d.txt").write_text(BRAT_TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text("T3\tDISEASE 0 2;10 13\t系统 类风湿\n#1\tAnnotatorNotes T3\t\"RA\"\n", encoding="utf-8")
    with pytest.raises(aio.AnnotationImportError, match="T3 DISEASE.*discontinuous"):
        aio.read_brat(tmp_path)


# ---------------------------------------------------------------------------------------------
# command line


@pytest.mark.parametrize("fmt,out_name", [("labelstudio", "tasks.json"), ("brat", "brat")])
def test_cli_export_then_import_gives_the_gold_back(fmt, out_name, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / out_name
    assert main(["export-annotations", "--gold", "annotations/gold", "-f", fmt, "-o", str(out)]) == 0
    if fmt == "labelstudio":
        assert (tmp_path / "tasks.config.xml").exists()
    assert main(["import-annotations", str(out), "-o", str(tmp_path / "gold")]) == 0
    for path in GOLD:
        assert (tmp_path / "gold" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    n_entities = sum(len(json.loads(p.read_text(encoding="utf-8"))["entities"]) for p in GOLD)
    assert f"{len(GOLD)} gold files ({n_entities} entities)" in capsys.readouterr().out


def test_cli_import_refuses_text_that_differs_from_the_source(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "tasks.json"
    assert main(["export-annotations", "--gold", str(GOLD[4]), "-f", "labelstudio", "-o", str(out)]) == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    tasks[0]["data"]["text"] = "前言 " + tasks[0]["data"]["text"]
    for r in tasks[0]["annotations"][0]["result"]:
        r["value"]["start"] += 3
        r["value"]["end"] += 3
    out.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert main(["import-annotations", str(out), "-o", str(tmp_path / "gold")]) == 2
    assert "differs from" in capsys.readouterr().err
    assert not (tmp_path / "gold").exists()
