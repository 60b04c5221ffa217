"""The command line, in process and once through a real subprocess."""

import json
import subprocess
import sys

import pandas as pd

from mscmine.cli import main


def test_extract_jsonl_and_csv(tmp_path):
    out = tmp_path / "records.jsonl"
    assert main(["extract", "corpus/seeds", "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["doc_id"] for r in rows} == {
        "000_04a0826e1ad117c4", "001_927a681a5c5ffac5", "002_a9ce8c544dc19b6d", "003_c1dd519b44a26b5f", "004_b90cea9157f310d4"}
    assert sum(r["scope"] == "document" for r in rows) == 5
    csv = tmp_path / "records.csv"
    assert main(["extract", "corpus/seeds/000_04a0826e1ad117c4.txt", "-o", str(csv), "-q"]) == 0
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens Chinese correctly
    df = pd.read_csv(csv, encoding="utf-8-sig")
    row = df[df.study_citation == "[11]"].iloc[0]
    assert row.disease == "PM;DM" and row.n_patients == 8 and row.follow_up_high == 12


def test_bad_file_is_reported_and_others_still_written(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("纳入了 4 名难治性 RA 患者,经静脉按 1×10^6/kg 注入。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(tmp_path), "-o", str(out), "-q"]) == 1
    assert "empty.txt" in capsys.readouterr().err
    errors = [json.loads(x) for x in (tmp_path / "out.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert errors[0]["error"] == "EmptyFileError"
    assert any(json.loads(x)["doc_id"] == "good" for x in out.read_text(encoding="utf-8").splitlines())


def test_usage_errors_exit_2(tmp_path):
    assert main(["extract"]) == 2
    assert main(["extract", "corpus/seeds", "-o", str(tmp_path / "x.docx"), "-q"]) == 2


def test_summarize(tmp_path, capsys):
    out = tmp_path / "r.csv"
    main(["extract", "corpus/seeds/000_04a0826e1ad117c4.txt", "-o", str(out), "-q"])
    assert main(["summarize", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "SLE" in printed and "umbilical_cord" in printed


def test_subprocess_stdout():
    proc = subprocess.run([sys.executable, "-m", "mscmine.cli", "extract", "corpus/seeds/004_b90cea9157f310d4.txt", "-o", "-"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert rows[-1]["scope"] == "document" and rows[-1]["disease"][0]["code"] == "SSc"
