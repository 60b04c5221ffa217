"""Gold annotations (schema, offsets), the scorer, and the no-regression check against the baseline."""

import json
from pathlib import Path

import jsonschema
import pytest

from mscmine.evaluation.scorer import evaluate, match, score_entities, score_records

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "annotations" / "gold").glob("*.json"))
BASELINE = ROOT / "annotations" / "baseline.json"

SCHEMA = {
    "type": "object",
    "required": ["doc_id", "split", "source", "entities", "records"],
    "properties": {
        "doc_id": {"type": "string"},
        "split": {"enum": ["dev", "test", "heldout"]},
        "source": {"type": "string"},
        "entities": {"type": "array", "items": {
            "type": "object",
            "required": ["label", "start", "end", "text", "value"],
            "properties": {
                "label": {"enum": ["DISEASE", "CELL_TYPE", "CELL_SOURCE", "DONOR", "ROUTE", "DOSE", "N_PATIENTS", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT"]},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 1},
                "text": {"type": "string", "minLength": 1},
            },
        }},
        "records": {"type": "array", "items": {
            "type": "object",
            "required": ["scope", "disease"],
            "properties": {"scope": {"enum": ["study", "document"]}, "disease": {"type": "array", "items": {"type": "string"}}},
        }},
    },
}


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_schema_and_offsets(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(gold, SCHEMA)
    text = (ROOT / gold["source"]).read_text(encoding="utf-8")
    for e in gold["entities"]:
        assert text[e["start"] : e["end"]] == e["text"], e
    keys = [(e["label"], e["start"], e["end"]) for e in gold["entities"]]
    assert len(keys) == len(set(keys))


def _m(label, start, end, value="SLE"):
    return {"label": label, "start": start, "end": end, "value": value}


def test_duplicate_predictions_count_once():
    gold = [_m("DISEASE", 0, 7)]
    pred = [_m("DISEASE", 0, 7), _m("DISEASE", 0, 7)]
    s = score_entities([(gold, pred)])["strict"]["per_label"]["DISEASE"]
    assert (s["tp"], s["pred"], s["support"], s["precision"], s["recall"]) == (1, 2, 1, 0.5, 1.0)


def test_overlapping_spans_match_one_to_one():
    gold = [_m("DISEASE", 0, 5), _m("DISEASE", 3, 8)]
    pred = [_m("DISEASE", 2, 6)]
    assert len(match(gold, pred, lambda g, p: g["start"] < p["end"] and p["start"] < g["end"])) == 1
    res = score_entities([(gold, pred)])
    assert res["overlap"]["per_label"]["DISEASE"]["tp"] == 1
    assert res["strict"]["per_label"]["DISEASE"]["tp"] == 0


def test_value_match_needs_the_same_value():
    gold = [_m("DOSE", 0, 9, {"low": 1e6, "high": 1e6, "unit": "cells/kg"})]
    pred = [_m("DOSE", 0, 9, {"low": 1e7, "high": 1e7, "unit": "cells/kg"})]
    res = score_entities([(gold, pred)])
    assert res["strict"]["per_label"]["DOSE"]["tp"] == 1
    assert res["value"]["per_label"]["DOSE"]["tp"] == 0


def _study(citation, outcomes=(), adverse_events=()):
    return {"scope": "study", "study": {"label": None, "citation": citation, "year": None}, "disease": ["SLE"],
            "outcomes": list(outcomes), "adverse_events": list(adverse_events)}


def test_results_are_scored_in_the_record_their_gold_links_them_to():
    # written: two cited studies; the gold links T1 to [1] and T2, T3 to [2]
    entities = [{"id": "T1", "label": "OUTCOME", "start": 10, "end": 20, "text": "x" * 10, "value": {"measure": "SLEDAI", "value": 4.0}},
                {"id": "T2", "label": "OUTCOME", "start": 40, "end": 50, "text": "x" * 10, "value": {"measure": "relapse", "value": 2.0}},
                {"id": "T3", "label": "ADVERSE_EVENT", "start": 60, "end": 66, "text": "x" * 6, "value": {"negated": True}}]
    gold = [_study("[1]", outcomes=["T1"]), _study("[2]", outcomes=["T2"], adverse_events=["T3"])]
    pred = [_study("[1]", outcomes=[{"measure": "relapse", "value": 2.0, "start": 40, "end": 50}]),  # T2's result, in the wrong study
            _study("[2]", outcomes=[{"measure": "relapse", "value": 2.0, "start": 41, "end": 49},
                                    {"measure": "other", "value": 1.0, "start": 70, "end": 72, "arm": "control"},  # control arm: not scored
                                    {"measure": "SLEDAI", "value": 9, "start": 80, "end": 81, "table": "表2"}],  # a table cell: not annotated
                   adverse_events=[{"negated": True, "start": 60, "end": 64}])]
    res = score_records([(gold, pred)], [entities])["results"]
    assert (res["outcomes"]["tp"], res["outcomes"]["pred"], res["outcomes"]["support"]) == (1, 2, 2)
    assert (res["adverse_events"]["tp"], res["adverse_events"]["pred"], res["adverse_events"]["support"]) == (1, 1, 1)


def test_no_result_scores_without_links():
    assert "results" not in score_records([([_study("[1]")], [_study("[1]")])], [[]])


@pytest.fixture(scope="module")
def report():
    return evaluate(ROOT / "annotations" / "gold", corpus_dir=ROOT / "corpus" / "seeds")


def test_no_label_falls_below_the_baseline(report):
    """Raising the baseline is a deliberate commit: python -m mscmine.evaluation.baseline."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    for split, labels in baseline["value_f1"].items():
        for label, f1 in labels.items():
            now = report["splits"][split]["value"]["per_label"][label]["f1"]
            assert now >= f1 - 1e-9, f"{split} {label}: value F1 {now} is below the baseline {f1}"


def test_study_records_do_not_fall_below_the_baseline(report):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    for split, f1 in baseline.get("record_f1", {}).items():
        now = report["splits"][split]["records"]["record_match"]["f1"]
        assert now >= f1 - 1e-9, f"{split}: study-record F1 {now} is below the baseline {f1}"


def test_record_results_do_not_fall_below_the_baseline(report):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    for split, results in baseline.get("record_results_f1", {}).items():
        for key, f1 in results.items():
            now = report["splits"][split]["records"]["results"][key]["f1"]
            assert now >= f1 - 1e-9, f"{split} {key}: record-results F1 {now} is below the baseline {f1}"


def test_eval_cli_prints_both_splits(capsys):
    from mscmine.cli import main

    assert main(["eval", "--gold", str(ROOT / "annotations" / "gold"), "--corpus", str(ROOT / "corpus" / "seeds")]) == 0
    out = capsys.readouterr().out
    assert "== dev" in out and "== test" in out and "DOSE" in out


@pytest.mark.parametrize(
    "content, message",
    [
        ("{bad", "y.json: not a gold file"),
        ('{"doc_id": "y", "split": "dev", "source": "corpus/nowhere/y.txt", "entities": [], "records": []}',
         "gold y: its text could not be read"),
    ],
)
def test_a_bad_gold_folder_is_named_not_a_traceback(tmp_path, capsys, content, message):
    from mscmine.cli import main

    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "y.json").write_text(content, encoding="utf-8")
    assert main(["eval", "--gold", str(gold)]) == 2
    assert message in capsys.readouterr().err
