"""The benchmark still runs: `benchmarks/run.py --smoke` on a handful of documents.

No timing is asserted (figures on a CI machine mean nothing); only that every section of the
report is written and the figures are numbers. The full run is `make bench`.
"""

from __future__ import annotations

import json
from pathlib import Path

from loader_fidelity import script_module

ROOT = Path(__file__).resolve().parent.parent


def _bench_module():
    return script_module("mscmine_bench_run", ROOT / "benchmarks" / "run.py")


def test_smoke_run_writes_every_section(tmp_path):
    bench = _bench_module()
    out = tmp_path / "RESULTS.md"
    figures = tmp_path / "figures.json"
    assert bench.main(["--smoke", "--out", str(out), "--json", str(figures), "--work", str(tmp_path / "corpus")]) == 0
    report = out.read_text(encoding="utf-8")
    for heading in ("## Targets", "## Throughput per stage", "## Start-up", "## Memory", "## Scaling"):
        assert heading in report
    for stage in ("baseline: jieba.lcut", "baseline: pdfplumber", "baseline: pypdfium2", "load .txt", "load .pdf", "load .html",
                  "normalise", "tokenise", "extract mentions", "build records", "text to records", "PDF to records"):
        assert stage in report, stage
    assert bench.NOTES_MARK in report
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert set(data["targets"]) == {"text_vs_jieba", "pdf_vs_pdfplumber", "startup_s", "rss_mb", "rss_flat", "two_workers"}
    assert all(isinstance(t["value"], (int, float)) and isinstance(t["met"], bool) for t in data["targets"].values())
    assert all(s["seconds"] > 0 for s in data["stages"])


def test_notes_below_the_mark_are_kept(tmp_path):
    bench = _bench_module()
    out = tmp_path / "RESULTS.md"
    out.write_text("# old figures\n\n" + bench.NOTES_MARK + "\n\n## Findings\n\nkept by hand\n", encoding="utf-8")
    bench.write_report(out, "# new figures\n")
    text = out.read_text(encoding="utf-8")
    assert "old figures" not in text and "# new figures" in text and "kept by hand" in text


def test_text_variants_differ_and_keep_the_seed():
    bench = _bench_module()
    seed = "16例患者接受治疗，随访12个月。"
    a, b = bench.text_variant(seed, 1, "s"), bench.text_variant(seed, 2, "s")
    assert a != b and "17例" in a and "18例" in b and "随访12个月" in a
