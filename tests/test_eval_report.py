"""The HTML error report of ``mscmine eval --report x.html``.

A hand-made report (two documents, text with HTML-special characters in it and in a value) checks
the content and the escaping; one run through the command line on the real gold checks both
splits and that the Markdown report is still chosen for other names.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mscmine.cli import main
from mscmine.evaluation.html_report import render_html_report, write_html_report
from mscmine.evaluation.scorer import score_entities, score_records

ROOT = Path(__file__).resolve().parent.parent

TEXT_A = "共纳入<b>12</b>例 SLE & RA 患者，<script>alert(1)</script>经静脉输注 1×10^6/kg。"
TEXT_B = "系统性红\n\n斑狼疮患者"


def _m(text, label, surface, value):
    start = text.index(surface)
    return {"label": label, "start": start, "end": start + len(surface), "text": surface, "value": value}


GOLD_A = [
    _m(TEXT_A, "DISEASE", "SLE", "SLE"),
    _m(TEXT_A, "DISEASE", "RA", "RA"),  # missed: FN
    _m(TEXT_A, "DOSE", "1×10^6/kg", {"low": 1e6, "high": 1e6, "unit": "cells/kg"}),  # wrong value: FN + FP
]
PRED_A = [
    _m(TEXT_A, "DISEASE", "SLE", "SLE"),
    _m(TEXT_A, "ROUTE", "静脉输注", "intravenous"),  # spurious: FP
    _m(TEXT_A, "DOSE", "1×10^6/kg", {"low": 1e7, "high": 1e7, "unit": "<cells>"}),
    _m(TEXT_A, "OUTCOME", "<script>alert(1)</script>", {"measure": "other", "value": None}),  # FP with markup
]
GOLD_B = [_m(TEXT_B, "DISEASE", "系统性红\n\n斑狼疮", "SLE")]
PRED_B: list = []


def _report():
    docs = [("a", GOLD_A, PRED_A), ("b", GOLD_B, PRED_B)]
    res = score_entities([(g, p) for _, g, p in docs])
    res["value"]["errors"] = [(kind, docs[i][0], m) for kind, i, m in res["value"]["errors"]]
    res["records"] = score_records([([], [])])
    res["documents"] = ["a", "b"]
    return {"splits": {"dev": res}, "texts": {"a": TEXT_A, "b": TEXT_B}}


class _TagBalance(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.problems, self.marks = [], [], []
        self._in_mark = False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(tag)
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._in_mark:
            self.marks[-1] += data


@pytest.fixture(scope="module")
def page():
    return render_html_report(_report())


def test_every_error_is_shown_once_with_its_span_marked(page):
    report = _report()
    errors = report["splits"]["dev"]["value"]["errors"]
    assert sorted((k, d, m["label"], m["start"]) for k, d, m in errors) == sorted([
        ("FN", "a", "DISEASE", TEXT_A.index("RA")), ("FN", "a", "DOSE", TEXT_A.index("1×")),
        ("FP", "a", "DOSE", TEXT_A.index("1×")), ("FP", "a", "ROUTE", TEXT_A.index("静脉")),
        ("FP", "a", "OUTCOME", TEXT_A.index("<script>")), ("FN", "b", "DISEASE", 0)])
    assert page.count('class="err FP"') == 3 and page.count('class="err FN"') == 3
    parser = _TagBalance()
    parser.feed(page)
    assert parser.problems == [] and parser.stack == []
    assert sorted(parser.marks) == sorted(m["text"] for _, _, m in errors)  # unescaped back to the span text


@pytest.mark.parametrize("needle", [
    "&lt;script&gt;alert(1)&lt;/script&gt;",  # document text
    "SLE &amp; RA",
    "&lt;b&gt;12&lt;/b&gt;",
    "&quot;unit&quot;: &quot;&lt;cells&gt;&quot;",  # a value
    "系统性红\n\n斑狼疮",  # line breaks kept (pre-wrap)
])
def test_text_and_values_are_escaped(page, needle):
    assert needle in page


def test_no_raw_markup_from_the_documents_and_nothing_external(page):
    assert "<script" not in page and "<b>12" not in page
    assert not re.search(r"https?://|<link|\bsrc=|@import", page)
    assert "<style>" in page


def test_tables_per_split_and_label(page):
    assert '<h2 id="split-dev">dev (a, b)</h2>' in page
    row = re.search(r"<tr><td>DISEASE</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert row.groups() == ("3", "1")  # support, predicted
    assert "<td>ROUTE</td>" in page and "<td>OUTCOME</td>" in page and "<td>CELL_TYPE</td>" not in page
    assert "3 false positives, 3 false negatives" in page


def test_value_mismatch_names_the_other_value(page):
    fp = re.search(r'<div class="err FP"><span class="kind">FP</span> <b>DOSE</b>.*?</div>', page, re.S).group(0)
    assert "gold" in fp and "1000000.0" in fp and "10000000.0" in fp


def test_report_without_texts_shows_spans_alone(tmp_path):
    report = _report()
    report["texts"] = {}
    path = tmp_path / "sub" / "r.html"
    write_html_report(report, path)
    page = path.read_text(encoding="utf-8")
    assert "<mark>RA</mark>" in page and "without context" in page


@pytest.mark.parametrize("name,start", [("eval.html", "<!DOCTYPE html>"), ("eval.HTM", "<!DOCTYPE html>"), ("eval.md", "# mscmine eval")])
def test_cli_picks_the_format_by_extension(name, start, tmp_path, capsys):
    out = tmp_path / name
    argv = ["eval", "--gold", str(ROOT / "annotations" / "gold"), "--corpus", str(ROOT / "corpus" / "seeds"), "--report", str(out)]
    assert main(argv) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith(start)
    if start.startswith("<!"):
        assert '<h2 id="split-dev">' in page and '<h2 id="split-test">' in page
        from mscmine.evaluation.scorer import evaluate

        report = evaluate(ROOT / "annotations" / "gold", corpus_dir=ROOT / "corpus" / "seeds")
        errors = sum(len(report["splits"][split]["value"]["errors"]) for split in ("dev", "test"))
        assert page.count('class="err ') == errors  # every false positive and negative, once
    assert f"error report written to {out}" in capsys.readouterr().out


def test_heldout_errors_are_not_listed_unless_asked(tmp_path):
    """The held-out split is read for its figures only: the report names how many of its errors
    it leaves out, and lists them only with --show-heldout-errors."""
    from mscmine.evaluation.scorer import evaluate

    report = evaluate(ROOT / "annotations" / "gold")
    heldout = report["splits"]["heldout"]
    n_hidden = len(heldout["value"]["errors"])
    assert n_hidden > 0  # the held-out documents are not solved
    hidden_page, shown_page = tmp_path / "hidden.html", tmp_path / "shown.html"
    assert main(["eval", "--gold", str(ROOT / "annotations" / "gold"), "--report", str(hidden_page)]) == 0
    assert main(["eval", "--gold", str(ROOT / "annotations" / "gold"), "--report", str(shown_page), "--show-heldout-errors"]) == 0
    hidden, shown = hidden_page.read_text(encoding="utf-8"), shown_page.read_text(encoding="utf-8")
    assert f"Errors in heldout: {n_hidden} not listed" in hidden
    assert shown.count('class="err ') - hidden.count('class="err ') == n_hidden
