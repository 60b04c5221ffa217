"""Batch machinery (`mscmine.batch`), the writers and the progress line.

The Chinese test sentences are written for these tests; the good files are copies of the corpus
seeds. Bad inputs are the kinds users hand over: an empty file, a binary file renamed .txt, a
PDF cut short, a path that does not exist, a glob that matches nothing.
"""

import csv
import hashlib
import io
import json
import os
import sys

import pandas as pd
import pytest

import mscmine

from mscmine import batch
from mscmine.batch import Input, JournalEntry
from mscmine.progress import Progress
from mscmine.writers import FLAT_COLUMNS, output_format, read_records, to_dataframe, write_records

from conftest import SEEDS

GOOD = "纳入8例难治性系统性红斑狼疮患者,经静脉输注脐带间充质干细胞1×10^6/kg,随访12个月,未见严重不良反应。"


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- collecting inputs ----------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    _write(tmp_path / "a" / "b.txt", GOOD)
    _write(tmp_path / "a" / "sub" / "c.html", "<html><body><p>" + GOOD + "</p></body></html>")
    _write(tmp_path / "a" / "README.md", "# 语料说明")
    _write(tmp_path / "a" / ".hidden.txt", GOOD)
    _write(tmp_path / "a" / ".git" / "x.txt", GOOD)
    _write(tmp_path / "a" / "notes.docx", b"PK\x03\x04")
    _write(tmp_path / "d.md", GOOD)
    _write(tmp_path / "e.json", "{}")
    return tmp_path


@pytest.mark.parametrize("args, expected", [
    (["a"], ["a/b.txt", "a/sub/c.html"]),
    (["a", "a/b.txt", "d.md"], ["a/b.txt", "a/sub/c.html", "d.md"]),        # each file once
    (["*.md"], ["d.md"]),
    (["a/**/*.html"], ["a/sub/c.html"]),
    (["e.json"], ["e.json"]),                                                # named explicitly: the loader reports it
    (["*"], ["a/b.txt", "a/sub/c.html", "d.md"]),                          # globs skip other extensions
], ids=["folder", "dedupe", "glob", "recursive-glob", "explicit-other-ext", "star"])
def test_collect_inputs(tree, monkeypatch, args, expected):
    monkeypatch.chdir(tree)
    inputs = batch.collect_inputs(args)
    assert [it.path.replace(os.sep, "/") for it in inputs] == expected
    assert all(it.error is None for it in inputs)


@pytest.mark.parametrize("arg, message", [
    ("missing.pdf", "no such file or folder"),
    ("nothing*.pdf", "no file or folder matches"),
])
def test_collect_inputs_missing_paths_become_error_rows(tmp_path, monkeypatch, arg, message):
    monkeypatch.chdir(tmp_path)
    [it] = batch.collect_inputs([arg])
    assert it.error["path"] == arg and it.error["error"] == "FileMissingError" and message in it.error["message"]


def test_collect_inputs_warns_about_shared_doc_ids(tmp_path, caplog):
    _write(tmp_path / "x" / "paper.txt", GOOD)
    _write(tmp_path / "y" / "paper.txt", GOOD + "。")
    with caplog.at_level("WARNING", logger="mscmine"):
        batch.collect_inputs([tmp_path])
    assert "share the doc_id 'paper'" in caplog.text


# -- one file ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, error", [
    ("empty.txt", b"", "EmptyFileError"),
    ("renamed.txt", bytes(range(256)) * 8, "BinaryFileError"),
    ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "TruncatedPdfError"),
    ("missing.txt", None, "FileMissingError"),
    ("notes.docx", b"PK\x03\x04 not an article", "UnsupportedFormatError"),
], ids=["empty", "binary-renamed-txt", "truncated-pdf", "missing", "docx"])
def test_process_file_turns_every_problem_into_an_error_row(tmp_path, name, data, error):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    res = batch.process_file(str(path))
    assert res["records"] == [] and res["error"]["error"] == error
    assert res["error"]["path"] == str(path) and name in res["error"]["message"]
    json.dumps(res)  # plain values only


def test_process_file_records_carry_the_content_hash(tmp_path):
    path = _write(tmp_path / "good.txt", GOOD)
    res = batch.process_file(str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert res["error"] is None and res["sha256"] == digest and res["records"]
    assert all(r["source_sha256"] == digest and r["source"] == str(path) for r in res["records"])
    json.dumps(res)


# -- the pool ---------------------------------------------------------------------------------


def _mixed_inputs(tmp_path):
    files = []
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))[:3]):
        files.append(Input(str(_write(tmp_path / f"{i}_{seed.name}", seed.read_bytes()))))
    files.insert(1, Input(str(_write(tmp_path / "empty.txt", b""))))
    files.insert(3, Input("gone.txt", batch.error_row("gone.txt", "FileMissingError", "gone.txt: no such file or folder")))
    return files


def test_pool_results_come_in_input_order_and_equal_a_serial_run(tmp_path):
    inputs = _mixed_inputs(tmp_path)
    serial = list(batch.iter_results(inputs, workers=1))
    pooled = list(batch.iter_results(inputs, workers=2, chunksize=1))
    assert [r["path"] for r in pooled] == [it.path for it in inputs]
    strip = lambda rs: [(r["path"], r["records"], r["error"]) for r in rs]  # noqa: E731 - timings differ
    assert strip(pooled) == strip(serial)
    assert [bool(r["error"]) for r in pooled] == [False, True, False, True, False]


def _crash_on_poison(path, **options):
    if path.endswith("poison.txt"):
        os._exit(3)  # as a segfault in a parser library would
    return _original_process_file(path, **options)


_original_process_file = batch.process_file


@pytest.mark.skipif(sys.platform == "win32", reason="needs the fork start method to patch the workers")
def test_a_file_that_kills_its_worker_costs_only_that_file(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "process_file", _crash_on_poison)
    names = ["a.txt", "b.txt", "poison.txt", "c.txt", "d.txt", "e.txt"]
    inputs = [Input(str(_write(tmp_path / n, GOOD))) for n in names]
    results = list(batch.iter_results(inputs, workers=2, chunksize=2, mp_context="fork"))
    assert [r["path"] for r in results] == [it.path for it in inputs]
    errors = {os.path.basename(r["path"]): r["error"]["error"] for r in results if r["error"]}
    assert errors == {"poison.txt": "WorkerCrashError"}
    assert all(r["records"] for r in results if not r["error"])


def test_run_counts_and_calls_back(tmp_path):
    _write(tmp_path / "c" / "a.txt", GOOD)
    _write(tmp_path / "c" / "b.txt", b"")
    seen = []
    report = batch.run([tmp_path / "c"], workers=1, on_result=seen.append)
    assert (report.files, report.failed, report.read) == (2, 1, 1)
    assert report.records == len(seen[0]["records"]) > 0 and report.results is None
    assert report.errors[0]["error"] == "EmptyFileError"


# -- journal and resume -------------------------------------------------------------------------


def _entry(path, sha, status="ok", n=1):
    return JournalEntry(0, path, sha, status, n, None if status == "ok" else {"path": path})


@pytest.mark.parametrize("journal, inputs, hashes, to_read", [
    ([("a", "h1")], ["a", "b"], {"a": "h1", "b": "h2"}, ["b"]),                 # done: skipped
    ([("a", "h1")], ["a"], {"a": "h9"}, ["a"]),                                   # changed since: read again
    ([("a", "h1", "error")], ["a"], {"a": "h1"}, ["a"]),                          # failed before: tried again
    ([("old/a", "h1")], ["new/a", "b"], {"new/a": "h1", "b": "h2"}, ["b"]),     # moved: matched by content
    ([("a", "h1")], ["a", "copy"], {"a": "h1", "copy": "h1"}, ["copy"]),        # a copy of a done file is still read
    ([("a", "h1"), ("a", "h2")], ["a"], {"a": "h2"}, []),                         # the latest entry counts
], ids=["done", "changed", "failed-before", "moved", "copy", "latest"])
def test_plan_resume(journal, inputs, hashes, to_read):
    entries = [_entry(*e) for e in journal]
    todo, skipped = batch.plan_resume([Input(p) for p in inputs], entries, sha256=hashes.__getitem__)
    assert [it.path for it in todo] == to_read
    assert len(skipped) == len(inputs) - len(to_read)


def test_scan_journal_ignores_a_torn_last_line(tmp_path):
    j = tmp_path / "out.jsonl.journal.jsonl"
    line = json.dumps({"path": "a.txt", "sha256": "h", "status": "ok", "error": None, "records": [{"x": 1}]})
    j.write_text(line + "\n" + line[:20], encoding="utf-8")
    entries, good = batch.scan_journal(j)
    assert [e.path for e in entries] == ["a.txt"] and good == len(line) + 1


def test_current_entries_keep_first_place_and_latest_content():
    entries = [_entry("a", "1", "error"), _entry("b", "2"), _entry("a", "1")]
    assert [(e.path, e.status) for e in batch.current_entries(entries)] == [("a", "ok"), ("b", "ok")]


def test_extract_to_resume_adds_new_files_and_replaces_changed_ones(tmp_path):
    folder = tmp_path / "c"
    _write(folder / "a.txt", GOOD)
    _write(folder / "b.txt", b"")
    out = tmp_path / "out.jsonl"
    first = batch.extract_to(out, batch.collect_inputs([folder]), workers=1)
    assert (first.read, first.failed) == (1, 1) and first.errors_path == batch.errors_path(out)
    _write(folder / "b.txt", GOOD.replace("8例", "12例"))                 # fixed
    _write(folder / "c.txt", GOOD.replace("系统性红斑狼疮", "类风湿关节炎"))  # new
    second = batch.extract_to(out, batch.collect_inputs([folder]), workers=1, resume=True)
    assert (second.read, second.failed, second.skipped) == (2, 0, 1)
    records = read_records(out)
    assert list(dict.fromkeys(r["doc_id"] for r in records)) == ["a", "b", "c"]
    assert not batch.errors_path(out).exists()
    _write(folder / "a.txt", GOOD.replace("8例", "20例"))                   # changed
    third = batch.extract_to(out, batch.collect_inputs([folder]), workers=1, resume=True)
    assert (third.read, third.skipped) == (1, 2)
    records = read_records(out)
    assert list(dict.fromkeys(r["doc_id"] for r in records)) == ["a", "b", "c"]
    assert records[0]["source_sha256"] == hashlib.sha256((folder / "a.txt").read_bytes()).hexdigest()


def test_resume_without_a_journal_uses_the_jsonl_records(tmp_path):
    path = _write(tmp_path / "a.txt", GOOD)
    out = tmp_path / "out.jsonl"
    batch.extract_to(out, [Input(str(path))], workers=1)
    before = out.read_text(encoding="utf-8")
    batch.journal_path(out).unlink()
    summary = batch.extract_to(out, [Input(str(path))], workers=1, resume=True)
    assert summary.skipped == 1 and summary.read == 0
    assert out.read_text(encoding="utf-8") == before


# -- writers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_records():
    res = batch.process_file(str(sorted(SEEDS.glob("*.txt"))[0]))
    return res["records"]


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet", ".xlsx"])
def test_every_format_round_trips(tmp_path, seed_records, ext):
    out = tmp_path / f"records{ext}"
    assert write_records(seed_records, out) == len(seed_records)
    back = read_records(out)
    assert len(back) == len(seed_records)
    assert [r["record_id"] for r in back] == [r["record_id"] for r in seed_records]
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []
    if ext != ".jsonl":
        assert list(back[0])[: len(FLAT_COLUMNS)] == FLAT_COLUMNS
        assert back[0]["source_sha256"] == seed_records[0]["source_sha256"]


def test_csv_has_a_bom_and_whole_numbers(tmp_path, seed_records):
    out = tmp_path / "r.csv"
    write_records(seed_records, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    col = header.index("n_patients")
    assert any(r[col] == "8" for r in rows)  # not 8.0


def test_parquet_column_types_do_not_depend_on_the_records(tmp_path, seed_records):
    assert dict(to_dataframe([]).dtypes) == dict(to_dataframe(seed_records)[FLAT_COLUMNS].dtypes)


def test_excel_drops_control_characters(tmp_path, seed_records):
    rec = dict(seed_records[0], doc_id="bad\x0bchar\x01")
    out = tmp_path / "r.xlsx"
    write_records([rec], out)
    assert pd.read_excel(out).doc_id[0] == "badchar"


@pytest.mark.parametrize("name, ok", [("r.jsonl", True), ("r.CSV", True), ("-", True), ("r.docx", False), ("r", False), ("r.xls", False)])
def test_output_format(name, ok):
    if ok:
        assert output_format(name) in ("jsonl", "csv", "parquet", "xlsx")
    else:
        with pytest.raises(ValueError, match="use .jsonl, .csv, .parquet or .xlsx"):
            output_format(name)


# -- progress -----------------------------------------------------------------------------------


def test_progress_lines_have_count_rate_and_time_left(capsys):
    import io

    stream = io.StringIO()
    with Progress(10, "lines", stream=stream, every=0) as p:
        for _ in range(3):
            p.update()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[-1].startswith("mscmine: 3/10 files (30%), ")
    assert "files/s" in lines[-1] and "left" in lines[-1]
    with Progress(5, "off", stream=stream) as p:
        p.update()
    assert len(stream.getvalue().splitlines()) == 3


def test_checkpoints_replace_out_whole_during_a_run(tmp_path):
    paths = [str(_write(tmp_path / "c" / f"{i}.txt", GOOD)) for i in range(3)]
    out = tmp_path / "out.csv"
    seen = []

    def look(res):  # OUT as a reader would see it while the run goes on
        seen.append(len(pd.read_csv(out, encoding="utf-8-sig")) if out.exists() else None)

    batch.extract_to(out, [Input(p) for p in paths], workers=1, on_result=look, checkpoint_seconds=0)
    n = len(mscmine.extract(GOOD))  # records per file
    assert seen[0] is None and seen[1] == n and seen[2] in (n, 2 * n)  # checkpoints are spaced by their own cost
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 3 * n
