"""The command line, in process and once through a real subprocess."""

import json
import subprocess
import sys

import pandas as pd

import mscmine
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
    assert rows[-1]["scope"] == "document" and rows[-1]["topic"]["disease"][0] == "SSc"


# -- the batch `extract`: errors, formats, options, kill and resume ---------------------------

import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def _corpus(root: Path) -> Path:
    """Five seeds, two copies of seeds in a subfolder (same content, other paths) and three bad files."""
    folder = root / "corpus"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    (folder / "more").mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / "more" / f"copy_{seed.name}")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)           # a binary file renamed .txt
    (folder / "broken.pdf").write_bytes(b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")  # cut short
    (folder / "README.md").write_text("# 测试语料\n", encoding="utf-8")  # not an article
    return folder


BAD = {"empty.txt": "EmptyFileError", "binary.txt": "BinaryFileError", "broken.pdf": "TruncatedPdfError"}


def _mscmine(args, cwd, env_extra=None):
    """The CLI as a real subprocess in its own process group (so nothing it started can outlive the test)."""
    env = dict(os.environ, **(env_extra or {}))
    env.pop("MSCMINE_TEST_KILL_AFTER", None) if not env_extra else None
    proc = subprocess.Popen([sys.executable, "-m", "mscmine.cli", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", start_new_session=True)
    try:
        out, err = proc.communicate(timeout=300)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return proc.returncode, out, err


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_run_resumed_gives_the_uninterrupted_output(tmp_path):
    """Done-when of issue #7: good and bad files, --workers 2, Parquet; a run killed (SIGKILL) after
    six inputs and resumed writes exactly the records and errors of an uninterrupted run."""
    _corpus(tmp_path)
    code, _, err = _mscmine(["extract", "corpus", "-o", "full/out.parquet", "--workers", "2"], tmp_path)
    assert code == 1, err
    for name in BAD:
        assert name in err
    full = pd.read_parquet(tmp_path / "full/out.parquet")
    assert full.source.nunique() == 7 and full.record_id.is_unique
    full_errors = [json.loads(x) for x in (tmp_path / "full/out.parquet.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {Path(e["path"]).name: e["error"] for e in full_errors} == BAD

    # killed after 6 inputs: the five seeds and binary.txt (inputs are taken in path order)
    code, _, err = _mscmine(["extract", "corpus", "-o", "run/out.parquet", "--workers", "2"], tmp_path,
                            {"MSCMINE_TEST_KILL_AFTER": "6"})
    assert code == -signal.SIGKILL, err
    run = tmp_path / "run"
    journal = (run / "out.parquet.journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(journal) == 6
    assert not (run / "out.parquet").exists()                    # no checkpoint yet, and nothing torn
    assert [f.name for f in run.iterdir() if f.name.endswith(".tmp")] == []

    code, _, err = _mscmine(["extract", "corpus", "-o", "run/out.parquet", "--workers", "2", "--resume", "-v"], tmp_path)
    assert code == 1, err
    assert "5 already in run/out.parquet" in err and "000_04a0826e1ad117c4.txt: skipped" in err
    resumed = pd.read_parquet(run / "out.parquet")
    pd.testing.assert_frame_equal(resumed, full)
    assert (run / "out.parquet.errors.jsonl").read_text(encoding="utf-8") == \
        (tmp_path / "full/out.parquet.errors.jsonl").read_text(encoding="utf-8")

    # resuming a finished run reads only the inputs that failed, and changes nothing
    code, _, err = _mscmine(["extract", "corpus", "-o", "run/out.parquet", "--workers", "2", "--resume"], tmp_path)
    assert code == 1 and "0 of 3 files read (7 already in run/out.parquet)" in err
    pd.testing.assert_frame_equal(pd.read_parquet(run / "out.parquet"), full)


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet", ".xlsx"])
def test_extract_every_format_in_process(tmp_path, ext):
    out = tmp_path / f"r{ext}"
    assert main(["extract", str(SEEDS / "000_04a0826e1ad117c4.txt"), str(SEEDS / "002_a9ce8c544dc19b6d.txt"),
                 "-o", str(out), "-q", "-w", "1"]) == 0
    from mscmine.writers import read_records

    rows = read_records(out)
    expected = sum(len(mscmine.extract(SEEDS / s)) for s in ("000_04a0826e1ad117c4.txt", "002_a9ce8c544dc19b6d.txt"))
    assert len(rows) == expected and {r["doc_id"] for r in rows} == {"000_04a0826e1ad117c4", "002_a9ce8c544dc19b6d"}
    assert all(len(r["source_sha256"]) == 64 for r in rows)


@pytest.mark.parametrize("args, message", [
    (["extract", "corpus/seeds", "-o", "x.docx"], "unknown output format"),
    (["extract", "corpus/seeds", "-o", "x.jsonl", "--workers", "0"], "at least 1"),
    (["extract", "corpus/seeds", "-o", "-", "--resume"], "--resume needs an output file"),
    (["extract", "EMPTY", "-o", "x.jsonl"], "no input files"),
    (["extract", "corpus/seeds", "-o", "OUTDIR"], "is a folder"),
], ids=["bad-extension", "workers-0", "resume-stdout", "no-inputs", "output-is-folder"])
def test_extract_usage_errors(tmp_path, capsys, args, message):
    (tmp_path / "empty_folder").mkdir()
    args = [str(tmp_path / "empty_folder") if a == "EMPTY" else str(tmp_path) if a == "OUTDIR" else a for a in args]
    args = [a if a != "x.jsonl" and a != "x.docx" else str(tmp_path / a) for a in args]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_extract_messages_verbose_and_quiet(tmp_path, capsys):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(SEEDS / "002_a9ce8c544dc19b6d.txt", folder / "a.txt")
    (folder / "page.txt").write_bytes(b"<html><body><p>" + "骨髓间充质干细胞治疗类风湿关节炎。".encode() * 20 + b"</p></body></html>")
    out = tmp_path / "o.jsonl"
    assert main(["-v", "extract", str(folder), "-o", str(out), "-w", "1"]) == 0
    err = capsys.readouterr().err
    n_a = len(mscmine.extract(folder / "a.txt"))
    assert f"a.txt: {n_a} records" in err                              # --verbose: every file
    assert "warning: " in err and "page.txt" in err and "read as html" in err   # the warning names the file
    assert "2 of 2 files read, " in err and f" records written to {out}" in err
    assert main(["extract", str(folder), "-o", str(out), "-w", "1", "-q"]) == 0
    assert capsys.readouterr().err == ""                              # --quiet: nothing when all went well


def test_help_texts_have_examples(capsys):
    assert main(["--help"]) == 0
    assert "examples:" in capsys.readouterr().out
    for command in ("extract", "summarize", "eval"):
        assert main([command, "--help"]) == 0
        text = capsys.readouterr().out
        assert "example" in text, command
    assert main(["extract", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--workers", "--resume", "--quiet", "--verbose", "OUT.errors.jsonl", "exit status"):
        assert option in text
