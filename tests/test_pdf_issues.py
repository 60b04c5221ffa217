"""Regression PDFs for failures found on real files (issue #16), one test per problem.

Each PDF is made here with reportlab (never a real file or its text) and reproduces one class
of failure: the test is named after the problem, in the style of pdfplumber's
``tests/test_issues.py``.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from mscmine.loaders import load
from mscmine.loaders import pdf as pdf_loader

VERA = Path(__import__("reportlab").__file__).parent / "fonts" / "Vera.ttf"


@pytest.fixture(autouse=True)
def fresh_pdf_worker():
    """No worker carried over between tests: a monkeypatch of the module then reaches it."""
    pdf_loader.shutdown_worker()
    yield
    pdf_loader.shutdown_worker()


def _canvas(size=(595, 842)):
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=size)


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _no_pdfium(*args):
    raise RuntimeError("PDFium reading switched off: the page goes to pdfminer")


# ---------------------------------------------------------------------------------------------
# quiet and honest


def test_pdfminer_fontbbox_warning_kept_off_stderr(tmp_path, monkeypatch, capfd):
    """A font descriptor without a FontBBox makes pdfminer log "Could not get FontBBox..." once
    per font use; last-resort logging printed it to stderr by the dozen in a batch. It goes to
    `doc.meta["warnings"]`, and the loggers' configuration is as it was."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("VeraIssue16", str(VERA)))
    buf, c = _canvas()
    c.setFont("VeraIssue16", 12)
    for k in range(5):
        c.drawString(72, 700 - 20 * k, f"Umbilical cord stem cells, line {k}.")
    c.showPage()
    c.save()
    data = buf.getvalue()
    assert b"/FontBBox" in data
    path = tmp_path / "no-fontbbox.pdf"
    path.write_bytes(data.replace(b"/FontBBox", b"/FontBBxx"))  # same length: the xref stays valid
    monkeypatch.setattr(pdf_loader, "_pdfium_pages", _no_pdfium)
    before = {name: list(logging.getLogger(name).handlers) for name in ("", *pdf_loader.THIRD_PARTY_LOGGERS)}
    capfd.readouterr()
    doc = load(path)
    out, err = capfd.readouterr()
    assert err == ""
    assert "line 4" in doc.text
    assert any("FontBBox" in w and w.startswith("pdfminer:") for w in doc.meta["warnings"])
    assert {name: list(logging.getLogger(name).handlers) for name in before} == before


def test_pdfminer_warning_reaches_a_handler_the_application_configured(monkeypatch):
    """The guard does not swallow records an application asked for on its own handlers."""
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    keep = Keep()
    logging.getLogger("pdfminer").addHandler(keep)
    try:
        heard = __import__("collections").Counter()
        with pdf_loader._quiet(heard):
            logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox")
    finally:
        logging.getLogger("pdfminer").removeHandler(keep)
    assert seen == ["Could not get FontBBox"]
    assert pdf_loader._heard_warnings(heard) == ["pdfminer: Could not get FontBBox"]
