"""Write ``annotations/baseline.json`` from the current scores (a deliberate act: commit it with the figures)."""

from __future__ import annotations

import json
from pathlib import Path

from .scorer import evaluate


def main(root: str = ".") -> None:
    root_path = Path(root)
    report = evaluate(root_path / "annotations" / "gold", corpus_dir=root_path / "corpus" / "seeds")
    value_f1 = {
        split: {label: s["f1"] for label, s in res["value"]["per_label"].items() if s["support"]}
        for split, res in report["splits"].items()
        if split != "all"
    }
    record_f1 = {split: res["records"]["record_match"]["f1"] for split, res in report["splits"].items()
                 if split != "all" and res["records"]["gold_records"]}
    # the outcomes and adverse events each gold study record links, found in its matched record
    record_results_f1 = {split: {key: r["f1"] for key, r in res["records"]["results"].items() if r["support"]}
                         for split, res in report["splits"].items()
                         if split != "all" and res["records"].get("results")}
    out = {"value_f1": value_f1, "record_f1": record_f1, "record_results_f1": record_results_f1}
    (root_path / "annotations" / "baseline.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
