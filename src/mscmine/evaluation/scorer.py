"""Scoring predictions against the gold: entities (strict, overlap, value) and record fields.

Matching is one-to-one: each gold mention is matched to at most one prediction and the other
way round (greedy by position), so duplicate or overlapping predictions cannot inflate the
counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from ..errors import MscmineError
from ..mention import LABELS

SCORED_LABELS = LABELS

#: The outcome measures the annotation guidelines let annotators choose; anything else is
#: annotated ``other``. The extractor may name finer measures (``albumin``, ``CK``, ``ANA``, as
#: the vocabulary allows: "extend as needed"); for scoring they count as ``other``.
GUIDELINE_MEASURES = frozenset(
    "response_rate remission_rate survival_rate mortality relapse adverse_events SLEDAI DAS28 "
    "ACR20 ACR50 ACR70 mRSS HAQ VAS ESR CRP proteinuria complement anti_dsDNA RF anti_CCP "
    "creatinine other".split()
)


def value_key(label: str, value: Any) -> Any:
    """The part of a normalised value that must agree for a value match."""
    if value is None:
        return None
    if label in ("DISEASE", "CELL_TYPE", "CELL_SOURCE", "DONOR", "ROUTE"):
        return value
    if label == "DOSE":
        return (value.get("low"), value.get("high"), value.get("unit"))
    if label == "N_PATIENTS":
        return value.get("value")
    if label == "FOLLOW_UP":
        return (value.get("low"), value.get("high"))
    if label == "OUTCOME":
        measure = value.get("measure")
        return (measure if measure in GUIDELINE_MEASURES else "other", value.get("value"))
    if label == "ADVERSE_EVENT":
        return bool(value.get("negated"))
    return json.dumps(value, sort_keys=True)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "support": n_gold}


def match(gold: list[dict], pred: list[dict], same: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) for which `same` holds."""
    used: set[int] = set()
    pairs = []
    order = sorted(range(len(pred)), key=lambda j: (pred[j]["start"], pred[j]["end"]))
    for i, g in sorted(enumerate(gold), key=lambda x: (x[1]["start"], x[1]["end"])):
        for j in order:
            if j not in used and same(g, pred[j]):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


MODES: dict[str, Callable[[dict, dict], bool]] = {
    "strict": lambda g, p: g["label"] == p["label"] and g["start"] == p["start"] and g["end"] == p["end"],
    "overlap": lambda g, p: g["label"] == p["label"] and g["start"] < p["end"] and p["start"] < g["end"],
    "value": lambda g, p: g["label"] == p["label"] and g["start"] < p["end"] and p["start"] < g["end"]
    and value_key(g["label"], g["value"]) == value_key(p["label"], p["value"]),
}


def score_entities(docs: list[tuple[list[dict], list[dict]]]) -> dict[str, dict]:
    """Per mode: per-label and micro/macro P/R/F1 over (gold, predicted) entity lists per document."""
    out = {}
    for mode, same in MODES.items():
        counts = {label: [0, 0, 0] for label in SCORED_LABELS}
        errors = []
        for doc_index, (gold, pred) in enumerate(docs):
            gold = [g for g in gold if g["label"] in counts]
            pred = [p for p in pred if p["label"] in counts]
            pairs = match(gold, pred, same)
            matched_g = {i for i, _ in pairs}
            matched_p = {j for _, j in pairs}
            for i, _ in pairs:
                counts[gold[i]["label"]][0] += 1
            for p in pred:
                counts[p["label"]][1] += 1
            for g in gold:
                counts[g["label"]][2] += 1
            if mode == "value":
                errors += [("FN", doc_index, gold[i]) for i in range(len(gold)) if i not in matched_g]
                errors += [("FP", doc_index, pred[j]) for j in range(len(pred)) if j not in matched_p]
        per_label = {label: _prf(*c) for label, c in counts.items()}
        tot = [sum(c[k] for c in counts.values()) for k in range(3)]
        supported = [s for s in per_label.values() if s["support"]]
        macro = {k: round(sum(s[k] for s in supported) / len(supported), 4) if supported else 0.0 for k in ("precision", "recall", "f1")}
        out[mode] = {"per_label": per_label, "micro": _prf(*tot), "macro": macro, "errors": errors}
    return out


RECORD_FIELDS = ("disease", "cell_source", "donor", "route", "dose", "n_patients", "follow_up")


def _record_fields(r: dict) -> dict[str, Any]:
    """Comparable field values of a gold record or a predicted record."""
    def codes(v):
        if not v:
            return ()
        return tuple(sorted(x["code"] if isinstance(x, dict) else x for x in v))

    def one(v):
        if v is None:
            return None
        return v["code"] if isinstance(v, dict) else v

    n = r.get("n_patients")
    fu = r.get("follow_up_months")
    return {
        "disease": codes(r.get("disease")),
        "cell_source": codes(r.get("cell_source")),
        "donor": one(r.get("donor")),
        "route": codes(r.get("route")),
        "dose": tuple(sorted(((d.get("low"), d.get("high"), d.get("unit")) for d in (r.get("dose") or [])), key=repr)),
        "n_patients": n["value"] if isinstance(n, dict) else n,
        "follow_up": (fu.get("low"), fu.get("high")) if fu else None,
    }


def _citation(r: dict) -> str | None:
    study = r.get("study") or {}
    return (study.get("citation") or "").replace(" ", "") or None


def _same_study(g: dict, p: dict, gf: dict, pf: dict) -> bool:
    """Cited records match by citation. A study the text names without a citation matches a
    predicted uncited record of an overlapping disease (and the same year when both give one)."""
    if _citation(g) is not None or _citation(p) is not None:
        return _citation(g) == _citation(p)
    gy, py = (g.get("study") or {}).get("year"), (p.get("study") or {}).get("year")
    if gy and py and gy != py:
        return False
    return bool(set(gf["disease"] or ()) & set(pf["disease"] or ()))


#: the results a record holds, scored per matched record: (gold record key of entity ids, predicted
#: record key, entity label)
RECORD_RESULTS = (("outcomes", "outcomes", "OUTCOME"), ("adverse_events", "adverse_events", "ADVERSE_EVENT"))


def _record_results(gold: dict, pred: dict | None, entities: dict[str, dict], key: str, label: str) -> tuple[int, int]:
    """(matched, gold) of one gold record's linked results (entity ids in ``gold[key]``): a
    predicted item of the record matches a gold entity when their spans overlap and their
    values agree (`value_key`), one to one."""
    linked = [entities[i] for i in gold.get(key) or () if i in entities]
    if pred is None or not linked:
        return 0, len(linked)
    items = [x for x in pred.get(key) or () if "start" in x and not _unannotated_value(label, x)]
    same = lambda g, p: (g["start"] < p["end"] and p["start"] < g["end"]
                         and value_key(label, g.get("value")) == value_key(label, p))
    return len(match(linked, items, same)), len(linked)


def _unannotated_value(label: str, value: dict) -> bool:
    """What the corpus guidelines leave unmarked: overall safety conclusions, the control arm's
    results, and the cells of outcome tables (a record's outcomes read from a ``table``)."""
    return ((label == "ADVERSE_EVENT" and value.get("kind") == "safety_conclusion")
            or (label == "OUTCOME" and (value.get("arm") == "control" or "table" in value)))


def score_records(pairs: list[tuple[list[dict], list[dict]]], entities: list[list[dict]] | None = None) -> dict[str, Any]:
    """Match gold study records to predicted ones by citation (uncited ones by disease and year,
    see `_same_study`), then score each field, and the outcomes and adverse events each gold
    record links (`RECORD_RESULTS`) against its predicted record's (`entities`: each document's
    gold entities, where the links point)."""
    field_right = {f: 0 for f in RECORD_FIELDS}
    matched = n_gold = n_pred = 0
    results = {key: {"tp": 0, "gold": 0, "pred": 0} for key, _, _ in RECORD_RESULTS}
    for k, (gold, pred) in enumerate(pairs):
        by_id = {e["id"]: e for e in (entities[k] if entities else ())}
        gold = [g for g in gold if g.get("scope") == "study"]
        pred = [p for p in pred if p.get("scope") == "study"]
        n_gold += len(gold)
        n_pred += len(pred)
        for key, pkey, label in RECORD_RESULTS:
            results[key]["pred"] += sum(1 for p in pred for x in p.get(pkey) or ()
                                        if "start" in x and not _unannotated_value(label, x))
        paired: list[tuple[dict, dict | None]] = []
        used: set[int] = set()
        for g in gold:
            gf = _record_fields(g)
            best, best_j = -1, None
            for j, p in enumerate(pred):
                if j in used or not _same_study(g, p, gf, _record_fields(p)):
                    continue
                pf = _record_fields(p)
                agree = sum(gf[f] == pf[f] for f in RECORD_FIELDS) + 3 * (gf["disease"] == pf["disease"])
                if agree > best:
                    best, best_j = agree, j
            if best_j is None:
                paired.append((g, None))
                continue
            used.add(best_j)
            matched += 1
            paired.append((g, pred[best_j]))
            pf = _record_fields(pred[best_j])
            for f in RECORD_FIELDS:
                field_right[f] += gf[f] == pf[f]
        for g, p in paired:
            for key, _, label in RECORD_RESULTS:
                tp, n = _record_results(g, p, by_id, key, label)
                results[key]["tp"] += tp
                results[key]["gold"] += n
    out = {
        "gold_records": n_gold,
        "predicted_records": n_pred,
        "matched": matched,
        "record_match": _prf(matched, n_pred, n_gold),
        "field_accuracy": {f: round(field_right[f] / matched, 4) if matched else 0.0 for f in RECORD_FIELDS},
    }
    if any(r["gold"] for r in results.values()):  # the gold links results to its records
        out["results"] = {key: _prf(r["tp"], r["pred"], r["gold"]) for key, r in results.items()}
    return out


def load_gold(gold_dir: str | Path) -> list[dict]:
    gold_dir = Path(gold_dir)
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise ValueError(f"no gold files (*.json) in {gold_dir}")
    golds = []
    for f in files:
        try:
            gold = json.loads(f.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{f}: not a gold file ({exc})") from None
        if not isinstance(gold, dict) or "doc_id" not in gold or "entities" not in gold:
            raise ValueError(f"{f}: not a gold file (no doc_id or entities; see annotations/README.md)")
        golds.append(gold)
    return golds


#: splits in report order: tuned on ("dev"), looked at once ("test", leaked since session 2),
#: never looked at by whoever writes the rules ("heldout")
SPLITS = ("dev", "test", "heldout")


def _source_path(gold_doc: dict, corpus_dir: Path | None, repo: Path | None = None) -> Path:
    """The text a gold file annotates: `corpus_dir/<doc_id>.txt` when that exists, else the
    gold file's `source`, relative to the working directory or to the repository holding the
    gold folder (annotations/gold → ../..)."""
    if corpus_dir is not None and (corpus_dir / (gold_doc["doc_id"] + ".txt")).exists():
        return corpus_dir / (gold_doc["doc_id"] + ".txt")
    source = Path(gold_doc.get("source") or gold_doc["doc_id"] + ".txt")
    if source.is_absolute() or source.exists() or repo is None:
        return source
    return repo / source


def _predict(gold_doc: dict, corpus_dir: Path | None, repo: Path | None = None) -> tuple[list[dict], list[dict], str]:
    from ..core import extract_file

    extraction = extract_file(_source_path(gold_doc, corpus_dir, repo))
    mentions = [m.to_dict() for m in extraction.analysis.mentions if not _unannotated_kind(m)]
    return mentions, extraction.record_dicts(), extraction.doc.text


def _unannotated_kind(m) -> bool:
    """Mentions the corpus guidelines leave unmarked: overall safety conclusions, and results
    kept for the control arm (``arm: "control"``; the guidelines count the treated arm only)."""
    return _unannotated_value(m.label, m.value if isinstance(m.value, dict) else {})


def evaluate(gold_dir: str | Path = "annotations/gold", predictions: str | Path | None = None, corpus_dir: str | Path | None = None) -> dict[str, Any]:
    """Scores per split (`SPLITS`) and overall. `predictions`: JSONL of records with a
    ``mentions`` list per document, or None to run the extractor now."""
    golds = load_gold(gold_dir)
    corpus = Path(corpus_dir) if corpus_dir else None
    given: dict[str, tuple[list[dict], list[dict]]] = {}
    if predictions:
        with open(predictions, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                ment, recs = given.setdefault(row["doc_id"], ([], []))
                ment.extend(row.get("mentions") or [])
                if row.get("scope"):
                    recs.append(row)
    per_doc = []
    for g in golds:
        if predictions:
            ment, recs = given.get(g["doc_id"], ([], []))
            text = None
        else:
            try:
                ment, recs, text = _predict(g, corpus, Path(gold_dir).resolve().parent.parent)
            except MscmineError as exc:
                raise ValueError(f"gold {g['doc_id']}: its text could not be read: {exc}") from None
        per_doc.append({"doc_id": g["doc_id"], "split": g.get("split", "dev"), "gold": g, "mentions": ment, "records": recs, "text": text})
    report: dict[str, Any] = {"splits": {}}
    for split in (*SPLITS, "all"):
        docs = [d for d in per_doc if split == "all" or d["split"] == split]
        if not docs:
            continue
        ent = score_entities([(d["gold"]["entities"], d["mentions"]) for d in docs])
        ent["records"] = score_records([(d["gold"].get("records", []), d["records"]) for d in docs],
                                       [d["gold"]["entities"] for d in docs])
        ent["documents"] = [d["doc_id"] for d in docs]
        for e in ent["value"]["errors"]:
            pass
        ent["value"]["errors"] = [(kind, docs[i]["doc_id"], m) for kind, i, m in ent["value"]["errors"]]
        report["splits"][split] = ent
    report["texts"] = {d["doc_id"]: d["text"] for d in per_doc if d["text"] is not None}
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = []
    for split, res in report["splits"].items():
        if split == "all":
            continue
        lines.append(f"\n== {split} ({', '.join(res['documents'])}) ==")
        lines.append(f"{'label':<14} {'support':>7} {'strict F1':>9} {'overlap F1':>10} {'value P':>8} {'value R':>8} {'value F1':>8}")
        for label in SCORED_LABELS:
            s, o, v = (res[m]["per_label"][label] for m in ("strict", "overlap", "value"))
            if not v["support"] and not v["pred"]:
                continue
            lines.append(f"{label:<14} {v['support']:>7} {s['f1']:>9.3f} {o['f1']:>10.3f} {v['precision']:>8.3f} {v['recall']:>8.3f} {v['f1']:>8.3f}")
        for avg in ("micro", "macro"):
            s, o, v = (res[m][avg] for m in ("strict", "overlap", "value"))
            lines.append(f"{avg:<14} {'':>7} {s['f1']:>9.3f} {o['f1']:>10.3f} {v['precision']:>8.3f} {v['recall']:>8.3f} {v['f1']:>8.3f}")
        rec = res["records"]
        lines.append(f"records: {rec['matched']} of {rec['gold_records']} gold study records matched "
                     f"({rec['predicted_records']} predicted; F1 {rec['record_match']['f1']:.3f}); field accuracy: "
                     + ", ".join(f"{k} {v:.2f}" for k, v in rec["field_accuracy"].items()))
        if rec.get("results"):
            lines.append("record results (each gold record's linked entities in its matched record): "
                         + ", ".join(f"{k} F1 {v['f1']:.3f} (P {v['precision']:.2f} R {v['recall']:.2f}, {v['support']} gold)"
                                     for k, v in rec["results"].items()))
    return "\n".join(lines)


def hide_errors(report: dict[str, Any], splits: tuple[str, ...] = ("heldout",)) -> dict[str, Any]:
    """The report without the errors of `splits` (their figures stay): whoever writes rules reads
    only the held-out split's figures, never its errors. `report["hidden_errors"]` counts what
    was left out, per split."""
    hidden_docs = {d for name in splits for d in report["splits"].get(name, {}).get("documents", [])}
    report["hidden_errors"] = {}
    for name, res in report["splits"].items():
        errors = res["value"]["errors"]
        kept = [e for e in errors if e[1] not in hidden_docs]
        if len(kept) != len(errors):
            report["hidden_errors"][name] = len(errors) - len(kept)
        res["value"]["errors"] = kept
    return report


HIDDEN_NOTE = "not listed: held-out documents' errors are never shown (only their figures); `mscmine eval --show-heldout-errors` lists them"


def write_markdown_report(report: dict[str, Any], path: str | Path) -> None:
    """Every false positive and false negative (value match) with its context."""
    texts = report.get("texts", {})
    out = ["# mscmine eval: errors in context", ""]
    for split, res in report["splits"].items():
        if split == "all":
            continue
        out.append(f"## {split}")
        if report.get("hidden_errors", {}).get(split):
            out.append(f"{report['hidden_errors'][split]} errors {HIDDEN_NOTE}.")
        for kind, doc_id, m in sorted(res["value"]["errors"], key=lambda e: (e[1], e[2]["label"], e[2]["start"])):
            text = texts.get(doc_id, "")
            ctx = text[max(0, m["start"] - 20) : m["start"]] + "**" + text[m["start"] : m["end"]] + "**" + text[m["end"] : m["end"] + 20]
            ctx = ctx.replace("\n", " ")
            out.append(f"- {kind} {doc_id} {m['label']} `{json.dumps(m.get('value'), ensure_ascii=False)}`: {ctx}")
        out.append("")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(out), encoding="utf-8")
