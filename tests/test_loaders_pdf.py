"""PDF loader: reading order, superscripts, tables, pages, metadata and bad files.

Where the cases come from:

* the five seed articles in ``corpus/seeds`` rendered by ``benchmarks/make_fixtures.py``
  (two justified columns in the CID font STSong-Light, powers of ten and citation marks as
  raised smaller text, a three-line table floated to the top of a page, running header with a
  rule, footer with ISSN and page number); the generator also returns the text a perfect
  reader would give, so accuracy is measured, not eyeballed;
* short texts written here for one property each (column order, paragraphs, bare citations);
* broken files made from a good one: cut in half, bytes overwritten, encrypted with a user
  password, an image without text, a (cid:NNN) font, a Word file named .pdf.

Nothing generated is kept: fixtures go to pytest's temporary folders.
"""

from __future__ import annotations

import difflib
import importlib.util
import io
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from mscmine import errors
from mscmine.loaders import load
from mscmine.loaders import pdf as pdf_loader

from loader_fidelity import MIN_ACCURACY, ROOT, SEEDS, accuracy, squeeze
from loader_fidelity import fixtures_module as _fixtures_module

mf = _fixtures_module()


# ---------------------------------------------------------------------------------------------
# fixtures: the seeds rendered once per session, loaded through the public `load()`


@pytest.fixture(autouse=True)
def fresh_pdf_worker():
    """Each test starts without a PDF worker process and leaves none behind: a test that
    patches the module or the threading state then reaches the path it means to test. A parse
    left running in a daemon thread by the thread fallback (its caller stopped waiting) is
    waited for: while it runs, the process has two threads and forks no worker."""
    import threading

    pdf_loader.shutdown_worker()
    for t in threading.enumerate():
        if t.name == "mscmine-pdf":
            t.join(10)
    yield
    pdf_loader.shutdown_worker()


@pytest.fixture(scope="session")
def seed_docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf_seeds")
    docs = {}
    for seed in SEEDS:
        rendered = mf.render_pdf(seed.read_text(encoding="utf-8"), out / f"{seed.stem}.pdf")
        docs[seed.stem] = (rendered, load(rendered.path))
    return docs


SEED_IDS = [s.stem for s in SEEDS]


@pytest.fixture(scope="session")
def small_pdf_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("pdf_small") / "small.pdf"
    mf.render_pdf(SHORT_ARTICLE, path, columns=1)
    return path.read_bytes()


SHORT_ARTICLE = """脐带间充质干细胞治疗系统性红斑狼疮的临床观察
目的：观察脐带间充质干细胞移植治疗难治性系统性红斑狼疮的疗效和安全性。方法：16例患者单次静脉输注脐带间充质干细胞1×10^6/kg，随访12个月^[3]。
结果：移植后患者疾病活动指数评分明显下降，尿蛋白减少，血清白蛋白上升，未观察到严重不良反应^[4-6]。全部患者均完成随访，其中2例在随访期间复发，再次输注2×10^7个细胞后缓解。
结论：脐带间充质干细胞移植治疗难治性系统性红斑狼疮安全有效，值得进一步开展多中心随机对照研究^[7,8]。
"""


# ---------------------------------------------------------------------------------------------
# the seeds: accuracy, superscripts, order, furniture, pages, tables, metadata


@pytest.mark.parametrize("stem", SEED_IDS)
def test_character_accuracy(seed_docs, stem, record_property):
    rendered, doc = seed_docs[stem]
    score = accuracy(rendered.text, doc.text)
    record_property("char_accuracy", round(score, 5))
    print(f"{stem}: character accuracy {score:.4%} over {len(squeeze(rendered.text))} characters")
    assert score >= MIN_ACCURACY
    assert doc.format == "pdf"


@pytest.mark.parametrize("stem", SEED_IDS)
def test_every_power_of_ten_recovered(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    assert rendered.exponents, "each fixture has raised exponents"
    found = Counter(re.findall(r"10\^-?\d{1,2}", doc.text))
    assert found == Counter(rendered.exponents)
    assert doc.meta["superscripts"]["powers_of_ten"] == len(rendered.exponents)
    assert not re.search(r"×10\d", doc.text), "no flattened exponent (1×106)"


@pytest.mark.parametrize("stem", SEED_IDS)
def test_every_raised_citation_recovered(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    assert doc.meta["superscripts"]["citations"] == len(rendered.citations)
    found = Counter(re.findall(r"\[[\d,，、\-–~]+\]", doc.text))
    missing = Counter(rendered.citations) - found
    assert not missing


@pytest.mark.parametrize("stem", SEED_IDS)
def test_running_header_footer_and_page_numbers_dropped(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    assert len(doc.pages) >= 3
    assert squeeze(rendered.header) not in squeeze(doc.text)
    assert "ISSN" not in doc.text
    numbers = {str(251 + i) for i in range(len(doc.pages))}
    assert not [line for line in doc.text.splitlines() if line.strip() in numbers]
    assert doc.meta["dropped_header_footer_lines"] >= 2 * len(doc.pages) - 1


@pytest.mark.parametrize("stem", SEED_IDS)
def test_pages_cover_the_text_and_match_the_source_pages(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    assert [p.number for p in doc.pages] == list(range(1, len(rendered.pages) + 1))
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.end == b.start
    for page, expected in zip(doc.pages, rendered.pages):
        assert accuracy(expected, doc.text[page.start : page.end]) >= 0.99, f"page {page.number}"
    # a sentence from the last page is found on the last page
    last = rendered.pages[-1].splitlines()[-1]
    at = doc.text.rfind(last[:8])
    assert at >= 0 and doc.page_of(at) == len(doc.pages)


@pytest.mark.parametrize("stem", SEED_IDS)
def test_paragraphs_rebuilt(seed_docs, stem, record_property):
    """Hard wraps joined, paragraphs and headings separate: each source paragraph is one
    paragraph of the text, except those a page break or a table float cuts in two."""
    rendered, doc = seed_docs[stem]
    got = {squeeze(p) for p in doc.text.split("\n\n")}
    share = sum(squeeze(p) in got for p in rendered.paragraphs) / len(rendered.paragraphs)
    record_property("paragraphs_rebuilt", round(share, 4))
    print(f"{stem}: {share:.1%} of {len(rendered.paragraphs)} paragraphs rebuilt exactly")
    assert share >= 0.9
    assert not re.search(r"[^\n]\n[^\n]", "\n\n".join(p for p in doc.text.split("\n\n") if not _CAPTION_LINE.match(p)))


_CAPTION_LINE = re.compile(r"^表\s*\d")


@pytest.mark.parametrize("stem", SEED_IDS)
def test_two_columns_detected(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    # the last page may hold a few lines only, too few to see a gutter
    assert doc.meta["two_column_pages"][: len(doc.pages) - 1] == list(range(1, len(doc.pages)))


@pytest.mark.parametrize("stem", SEED_IDS)
def test_tables_kept_as_rows_and_as_text(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    assert len(doc.tables) == len(rendered.tables) >= 1
    for table, rows, caption in zip(doc.tables, rendered.tables, rendered.captions):
        assert [[squeeze(c) for c in row] for row in table.rows] == [[squeeze(c) for c in row] for row in rows]
        assert squeeze(table.caption) == squeeze(caption)
        block = doc.text[table.start : table.end]
        lines = block.split("\n")
        assert lines[0] == table.caption
        assert lines[1:] == ["  ".join(row) for row in table.rows]
        assert doc.page_of(table.start) == table.page


def test_one_character_strings_read_by_pdfium_as_pdfminer_reads_them(seed_docs, monkeypatch):
    """A one-character string in the fixtures' CJK font, which is named but not embedded (a "。"
    or "异" set between raised citations), is a text object PDFium measures as zero wide when
    no CJK font is installed, and its text page skips it; the loader makes it visible, so no
    page needs the pdfminer reading, and the text equals that reading character for character."""
    for stem, (rendered, doc) in seed_docs.items():
        assert doc.meta["pdfminer_pages"] == [], stem

    def no_pdfium(*args):
        raise RuntimeError("PDFium reading switched off")

    monkeypatch.setattr(pdf_loader, "_pdfium_pages", no_pdfium)
    for stem, (rendered, doc) in seed_docs.items():
        slow = load(rendered.path)
        assert slow.meta["pdfminer_pages"] == list(range(1, len(slow.pages) + 1))
        assert slow.text == doc.text, stem
        assert [(t.rows, t.caption, t.start, t.end) for t in slow.tables] == [(t.rows, t.caption, t.start, t.end) for t in doc.tables]


def test_ruled_grid_table_found_by_pdfplumber(tmp_path, monkeypatch):
    """A table with every cell boxed comes from pdfplumber's table finder (the three-line
    detector is switched off here to show it)."""
    monkeypatch.setattr(pdf_loader, "_rule_tables", lambda *args: [])
    r = mf.render_pdf(SEEDS[0].read_text(encoding="utf-8"), tmp_path / "grid.pdf", table_style="grid")
    doc = load(r.path)
    assert [t.rows for t in doc.tables] == r.tables
    assert [t.caption for t in doc.tables] == r.captions
    assert any(re.fullmatch(r".*×10\^\d/.*", c) for t in doc.tables for row in t.rows for c in row), "raised exponents in cells"


@pytest.mark.parametrize("stem", SEED_IDS)
def test_no_spaces_put_between_chinese_characters(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    han_space_han = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
    assert len(han_space_han.findall(doc.text)) <= len(han_space_han.findall(rendered.text))


@pytest.mark.parametrize("stem", SEED_IDS)
def test_title_and_doi_in_meta(seed_docs, stem):
    rendered, doc = seed_docs[stem]
    assert doc.meta["title"] == rendered.meta["title"]
    assert doc.meta["doi"] == rendered.meta["doi"]
    assert doc.meta["cid_chars"] == 0 and doc.meta["pages"] == len(doc.pages)


STYLES = [
    pytest.param(dict(sup_scale=0.65, sup_rise=0.33), id="word-like-superscripts"),
    pytest.param(dict(sup_scale=0.7, sup_rise=0.25), id="low-superscripts"),
    pytest.param(dict(max_char_space=0.35), id="loose-justification"),
    pytest.param(dict(latin_font="Times-Roman"), id="times-for-latin"),
    pytest.param(dict(latin_font="Helvetica", sup_scale=0.65, sup_rise=0.3, max_char_space=0.3), id="helvetica-loose"),
]


@pytest.mark.parametrize("style", STYLES)
def test_other_typesetting_styles(tmp_path, style):
    seed = SEEDS[2]
    r = mf.render_pdf(seed.read_text(encoding="utf-8"), tmp_path / "style.pdf", style=mf.Style(**style))
    doc = load(r.path)
    assert accuracy(r.text, doc.text) >= MIN_ACCURACY
    assert Counter(re.findall(r"10\^-?\d{1,2}", doc.text)) == Counter(r.exponents)
    assert doc.meta["superscripts"]["citations"] == len(r.citations)
    # English phrases keep their word spaces, whether drawn with a space glyph or not
    phrases = set(re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", r.text))
    assert phrases and all(p in doc.text for p in phrases)


# ---------------------------------------------------------------------------------------------
# one property at a time, on short texts


def test_two_column_reading_order(tmp_path):
    sentences = [f"第{i}句说明间充质干细胞的一个特点，这一句话写得足够长以便换行。" for i in range(1, 61)]
    r = mf.render_pdf("\n".join(sentences), tmp_path / "order.pdf", running_header=False)
    doc = load(r.path)
    order = [int(n) for n in re.findall(r"第(\d+)句", doc.text)]
    assert order == list(range(1, 61))
    assert 1 in doc.meta["two_column_pages"]


def test_single_column_pages(tmp_path):
    r = mf.render_pdf(SHORT_ARTICLE * 3, tmp_path / "one.pdf", columns=1)
    doc = load(r.path)
    assert accuracy(r.text, doc.text) >= MIN_ACCURACY
    assert doc.meta["two_column_pages"] == []


def test_paragraphs_joined_and_separated_by_a_blank_line(tmp_path):
    paragraphs = [
        "第一段：" + "间充质干细胞具有免疫调节作用，可以抑制T细胞增殖。" * 6,
        "第二段：" + "患者接受静脉输注后随访12个月，未见严重不良反应。" * 5,
        "第三段：" + "Mesenchymal stem cells were infused at 1×10^6/kg in 16 patients with lupus. " * 3,
    ]
    r = mf.render_pdf("\n".join(paragraphs), tmp_path / "paras.pdf", columns=1, running_header=False)
    doc = load(r.path)
    got = [p for p in doc.text.split("\n\n") if p.startswith("第")]
    assert [squeeze(p) for p in got] == [squeeze(mf.expected_text(p)) for p in paragraphs]
    assert all("\n" not in p for p in got), "hard wraps are joined inside a paragraph"
    # English wraps are joined with a space, Chinese ones without
    assert "lupus. Mesenchymal" in got[2] and "  " not in got[2]


def test_bare_raised_citation_numbers_become_bracketed(tmp_path):
    r = mf.render_pdf(SHORT_ARTICLE, tmp_path / "bare.pdf", cite_style="bare", columns=1)
    doc = load(r.path)
    for cite in ("[3]", "[4-6]", "[7,8]"):
        assert cite in doc.text
    assert "1×10^6/kg" in doc.text and "2×10^7个" in doc.text


def test_superscript_rules():
    assert pdf_loader.superscript_text("7", "1×10") == "^7"
    assert pdf_loader.superscript_text("-3", "2.5×10") == "^-3"
    assert pdf_loader.superscript_text("12", "研究") == "[12]"
    assert pdf_loader.superscript_text("[2，4]", "报道") == "[2，4]"
    assert pdf_loader.superscript_text("3", "2010") == "[3]", "a year is not a power of ten"
    assert pdf_loader.superscript_text("2", "kg/m") == "^2"
    assert pdf_loader.superscript_text("+", "CD4") == "⁺"


def test_owner_password_only_pdf_is_read(tmp_path):
    """Anyone may open it; pdfminer cannot map its CID font, so PDFium reads those pages.

    PDFium drops a character next to some superscripts (a known loss of the fallback), so the
    bar is lower than for pdfminer's reading.
    """
    seed = SEEDS[2]
    r = mf.render_pdf(seed.read_text(encoding="utf-8"), tmp_path / "restricted.pdf", encrypt=("", "owner-secret"))
    doc = load(r.path)
    score = accuracy(r.text, doc.text)
    print(f"PDFium fallback: character accuracy {score:.4%}")
    assert score >= 0.99
    assert doc.meta["cid_chars"] > 0 and doc.meta["pdfium_pages"] == list(range(1, len(doc.pages) + 1))
    assert Counter(re.findall(r"10\^\d+", doc.text)) == Counter(r.exponents)


def test_unmapped_font_measured_and_recovered(small_pdf_bytes, tmp_path):
    # the same file with its CMap and character collection renamed: pdfminer sees (cid:NNN)
    broken = small_pdf_bytes.replace(b"/UniGB-UCS2-H", b"/Identity-H  ").replace(b"(GB1)", b"(XX1)")
    assert broken != small_pdf_bytes
    path = tmp_path / "cid.pdf"
    path.write_bytes(broken)
    doc = load(path)
    assert doc.meta["cid_chars"] > 100 and doc.meta["cid_ratio"] > 0.9
    assert "脐带间充质干细胞" in doc.text
    assert any("Unicode" in w for w in doc.meta["warnings"])


def test_unmapped_font_without_fallback_is_refused(small_pdf_bytes, tmp_path, monkeypatch):
    def no_pdfium(*args):
        raise RuntimeError("PDFium unavailable")

    monkeypatch.setattr(pdf_loader, "_pdfium_chars", no_pdfium)
    path = tmp_path / "cid-only.pdf"
    path.write_bytes(small_pdf_bytes.replace(b"/UniGB-UCS2-H", b"/Identity-H  ").replace(b"(GB1)", b"(XX1)"))
    with pytest.raises(errors.NoTextLayerError, match=r"cid-only.pdf: .*\(cid:NNN\).*OCR"):
        load(path)


def test_fixture_script_writes_pdf_html_and_expected_text(tmp_path):
    assert mf.main(["--out", str(tmp_path), str(SEEDS[2])]) == 0
    stem = SEEDS[2].stem
    for name in (f"{stem}.pdf", f"{stem}.journal.html", f"{stem}.blog.html", f"{stem}.pdf.expected.txt"):
        assert (tmp_path / name).stat().st_size > 1000


# ---------------------------------------------------------------------------------------------
# bad input: each has its own error type and a message naming the file


def _encrypted(tmp_path):
    r = mf.render_pdf(SHORT_ARTICLE, tmp_path / "locked.pdf", columns=1, encrypt=("user-secret", "owner-secret"))
    return r.path.read_bytes()


def _image_only(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawInlineImage(Image.new("RGB", (300, 400), "white"), 72, 300, 300, 400)
    c.showPage()
    c.save()
    return buf.getvalue()


def _docx_named_pdf(tmp_path):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document>" + "间充质干细胞" * 50 + "</w:document>")
        z.writestr("[Content_Types].xml", "<Types/>")
    return buf.getvalue()


BAD_PDFS = [
    pytest.param("corrupt.pdf", lambda data, tmp: data[:400] + b"\x00garbage" * 200 + data[-200:], errors.PdfError, "damaged", id="corrupt"),
    pytest.param("truncated.pdf", lambda data, tmp: data[: len(data) // 2], errors.TruncatedPdfError, "truncated", id="truncated"),
    pytest.param("locked.pdf", lambda data, tmp: _encrypted(tmp), errors.EncryptedPdfError, "password", id="encrypted"),
    pytest.param("scan.pdf", lambda data, tmp: _image_only(tmp), errors.NoTextLayerError, "OCR", id="image-only"),
    pytest.param("empty.pdf", lambda data, tmp: b"", errors.EmptyFileError, "empty", id="zero-byte"),
    pytest.param("report.pdf", lambda data, tmp: _docx_named_pdf(tmp), errors.BinaryFileError, "binary", id="extension-lies"),
    pytest.param("header-only.pdf", lambda data, tmp: b"%PDF-1.7\n%%EOF\n", errors.PdfError, "damaged", id="no-body"),
]


@pytest.mark.parametrize("name, make, error, words", BAD_PDFS)
def test_bad_pdf_raises_its_own_error(tmp_path, small_pdf_bytes, name, make, error, words):
    path = tmp_path / name
    path.write_bytes(make(small_pdf_bytes, tmp_path))
    with pytest.raises(error) as info:
        load(path)
    assert type(info.value) is error, "the most specific error type"
    assert isinstance(info.value, errors.InputError)
    assert str(path) in str(info.value) and info.value.path == str(path)
    assert words.lower() in str(info.value).lower()


def test_pdf_named_txt_is_read_as_pdf_with_a_warning(tmp_path, small_pdf_bytes):
    path = tmp_path / "article.txt"
    path.write_bytes(small_pdf_bytes)
    doc = load(path)
    assert doc.format == "pdf" and "脐带间充质干细胞" in doc.text
    assert any("extension .txt" in w for w in doc.meta["warnings"])


def test_oversized_pdf_refused(tmp_path, small_pdf_bytes):
    path = tmp_path / "big.pdf"
    path.write_bytes(small_pdf_bytes)
    with pytest.raises(errors.FileTooLargeError, match="big.pdf"):
        load(path, max_bytes=1000)


def _slow_parse(*args, **kwargs):
    time.sleep(30)


def _sleep_parse(*args, **kwargs):
    time.sleep(1.5)


@pytest.mark.parametrize("method", ["fork", "alarm", "thread"])
def test_slow_parse_stopped_by_the_time_limit(tmp_path, small_pdf_bytes, monkeypatch, method):
    path = tmp_path / "slow.pdf"
    path.write_bytes(small_pdf_bytes)
    monkeypatch.setattr(pdf_loader, "_parse", _slow_parse if method != "thread" else _sleep_parse)
    if method != "fork":  # as if other threads were running: no fork
        monkeypatch.setattr(pdf_loader.threading, "active_count", lambda: 2)
    if method == "thread":  # ... and not in the main thread: no SIGALRM either
        monkeypatch.delattr(pdf_loader.signal, "setitimer")
    started = time.monotonic()
    with pytest.raises(errors.LoadTimeoutError, match="slow.pdf"):
        load(path, timeout=0.5)
    assert time.monotonic() - started < 5


def test_time_limit_in_a_thread_returns_the_document(monkeypatch, small_pdf_bytes):
    monkeypatch.setattr(pdf_loader.threading, "active_count", lambda: 2)
    monkeypatch.delattr(pdf_loader.signal, "setitimer")
    doc = pdf_loader.load_pdf(small_pdf_bytes, "small.pdf", "small", timeout=30)
    assert "脐带间充质干细胞" in doc.text


def test_errors_raised_in_the_worker_keep_type_and_file(tmp_path, small_pdf_bytes):
    path = tmp_path / "cut.pdf"
    path.write_bytes(small_pdf_bytes[:-10].replace(b"%%EOF", b"%%EO_"))
    with pytest.raises(errors.TruncatedPdfError) as info:
        pdf_loader.load_pdf(path.read_bytes(), str(path), "cut", timeout=10)
    assert info.value.path == str(path)


def test_random_bytes_after_a_pdf_header_never_escape_as_other_errors():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.binary(min_size=0, max_size=400))
    def check(body):
        data = b"%PDF-1.4\n" + body + b"\n%%EOF\n"
        try:
            pdf_loader.load_pdf(data, "fuzz.pdf", "fuzz", timeout=5)
        except errors.InputError as exc:
            assert "fuzz.pdf" in str(exc)

    check()


# ---------------------------------------------------------------------------------------------
# the PDF worker process: reused, replaced after a timeout, a crash or enough documents


def _gone(pid: int) -> bool:
    """The process has exited and been reaped (no zombie left)."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _open_fds() -> set[str]:
    import os

    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


def _parse_unless(trigger: str, action):
    """A `_parse` that does `action()` for files whose name contains `trigger`, else parses."""
    real = pdf_loader._parse

    def parse(data, path, doc_id, info):
        if trigger in Path(path).name:
            action()
        return real(data, path, doc_id, info)

    return parse


def _exit_now():
    import os

    os._exit(3)


def _segfault():
    import ctypes
    import faulthandler

    faulthandler.disable()  # pytest's traceback dump, in the worker: expected here, so kept quiet
    ctypes.string_at(0)


def _good_and(tmp_path, small_pdf_bytes, *names):
    paths = []
    for name in ("good.pdf",) + names:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(small_pdf_bytes)
    return paths


def test_two_documents_reuse_one_worker(tmp_path, small_pdf_bytes):
    import os

    good, other = _good_and(tmp_path, small_pdf_bytes, "other.pdf")
    assert pdf_loader.worker_stats()["pid"] is None
    first = load(good)
    pid = pdf_loader.worker_stats()["pid"]
    assert pid is not None and pid != os.getpid()
    second = load(other)
    assert pdf_loader.worker_stats()["pid"] == pid
    assert first.text == second.text
    pdf_loader.shutdown_worker()
    assert pdf_loader.worker_stats()["pid"] is None and _gone(pid)


def test_timeout_kills_the_worker_and_the_next_file_loads(tmp_path, small_pdf_bytes, monkeypatch):
    good, slow = _good_and(tmp_path, small_pdf_bytes, "slow.pdf")
    before = _open_fds()
    monkeypatch.setattr(pdf_loader, "_parse", _parse_unless("slow", lambda: time.sleep(30)))
    load(good, timeout=5)
    pid = pdf_loader.worker_stats()["pid"]
    started = time.monotonic()
    with pytest.raises(errors.LoadTimeoutError, match="slow.pdf: reading the PDF took longer than 0.5 s"):
        load(slow, timeout=0.5)
    assert time.monotonic() - started < 5
    assert pdf_loader.worker_stats()["pid"] is None and _gone(pid), "killed and reaped"
    doc = load(good, timeout=5)
    assert "脐带间充质干细胞" in doc.text
    assert pdf_loader.worker_stats()["pid"] not in (None, pid)
    pdf_loader.shutdown_worker()
    assert _open_fds() == before, "no file descriptor left open"


@pytest.mark.parametrize("how, code", [(_exit_now, 3), (_segfault, -11)], ids=["os._exit", "segfault"])
def test_crashed_worker_gives_pdf_error_and_the_next_file_loads(tmp_path, small_pdf_bytes, monkeypatch, how, code):
    good, bad = _good_and(tmp_path, small_pdf_bytes, "crash.pdf")
    before = _open_fds()
    monkeypatch.setattr(pdf_loader, "_parse", _parse_unless("crash", how))
    load(good)
    pid = pdf_loader.worker_stats()["pid"]
    with pytest.raises(errors.PdfError) as info:
        load(bad)
    assert type(info.value) is errors.PdfError and info.value.path == str(bad)
    assert f"the PDF parser stopped abnormally (exit code {code}); the file is probably damaged" in str(info.value)
    assert pdf_loader.worker_stats()["pid"] is None and _gone(pid)
    assert "脐带间充质干细胞" in load(good).text
    pdf_loader.shutdown_worker()
    assert _open_fds() == before


def test_worker_that_died_while_idle_is_replaced(tmp_path, small_pdf_bytes):
    import os
    import signal

    good, other = _good_and(tmp_path, small_pdf_bytes, "other.pdf")
    load(good)
    pid = pdf_loader.worker_stats()["pid"]
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert "脐带间充质干细胞" in load(other).text, "not blamed on the next file"
    assert pdf_loader.worker_stats()["pid"] not in (None, pid) and _gone(pid)


def test_worker_found_dead_when_sent_a_file_is_replaced(tmp_path, small_pdf_bytes, monkeypatch):
    """A worker that died between the check that it runs and the sending of the file (its
    socket closed): the file goes to a fresh worker, and is not reported as damaged."""
    import os
    import signal

    good, other = _good_and(tmp_path, small_pdf_bytes, "other.pdf")
    load(good)
    pid = pdf_loader.worker_stats()["pid"]
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.01)
    real = os.waitpid
    missed = []

    def waitpid(p, flags):
        if p == pid and flags == os.WNOHANG and not missed:
            missed.append(p)
            return 0, 0  # "still running": the check misses the death once
        return real(p, flags)

    monkeypatch.setattr(pdf_loader.os, "waitpid", waitpid)
    assert "脐带间充质干细胞" in load(other).text
    assert missed and pdf_loader.worker_stats()["pid"] not in (None, pid) and _gone(pid)


def test_worker_replaced_after_enough_documents_or_memory(tmp_path, small_pdf_bytes, monkeypatch):
    good, = _good_and(tmp_path, small_pdf_bytes)
    monkeypatch.setattr(pdf_loader, "WORKER_MAX_DOCS", 2)
    stats = pdf_loader.worker_stats()
    pids = []
    for _ in range(5):
        load(good)
        pids.append(pdf_loader.worker_stats()["pid"])
    # the count is checked after each answer: a worker goes as soon as it has read its second
    assert pids[1] is None and pids[3] is None
    assert None not in (pids[0], pids[2], pids[4]) and len({pids[0], pids[2], pids[4]}) == 3
    after = pdf_loader.worker_stats()
    assert after["recycled"] - stats["recycled"] == 2 and after["started"] - stats["started"] == 3
    assert after["peak_rss_mb"] > 10

    monkeypatch.setattr(pdf_loader, "WORKER_MAX_GROWTH_MB", -1.0)
    load(good)
    assert pdf_loader.worker_stats()["pid"] is None, "over the memory bound: replaced"


def test_patches_made_after_the_fork_reach_the_worker(tmp_path, small_pdf_bytes, monkeypatch):
    """A worker forked before a module global was replaced is replaced itself."""
    good, = _good_and(tmp_path, small_pdf_bytes)
    load(good)
    pid = pdf_loader.worker_stats()["pid"]

    def refuse(*args):
        raise errors.NoTextLayerError("patched", args[1])

    monkeypatch.setattr(pdf_loader, "_parse", refuse)
    with pytest.raises(errors.NoTextLayerError, match="patched"):
        load(good)
    assert pdf_loader.worker_stats()["pid"] not in (None, pid)


def test_another_thread_uses_the_existing_worker(tmp_path, small_pdf_bytes):
    import threading

    good, = _good_and(tmp_path, small_pdf_bytes)
    load(good)
    pid = pdf_loader.worker_stats()["pid"]
    done = pdf_loader.worker_stats()["documents"]
    out = []
    t = threading.Thread(target=lambda: out.append(load(good)))
    t.start()
    t.join(30)
    assert out and "脐带间充质干细胞" in out[0].text
    assert pdf_loader.worker_stats()["pid"] == pid and pdf_loader.worker_stats()["documents"] == done + 1


def test_no_worker_forked_while_other_threads_run(tmp_path, small_pdf_bytes, monkeypatch):
    good, = _good_and(tmp_path, small_pdf_bytes)
    monkeypatch.setattr(pdf_loader.threading, "active_count", lambda: 2)
    started = pdf_loader.worker_stats()["started"]
    assert "脐带间充质干细胞" in load(good).text  # under SIGALRM, in this process
    assert pdf_loader.worker_stats()["started"] == started and pdf_loader.worker_stats()["pid"] is None


_ORPHAN_CHILD = """
import os, signal, sys
from mscmine import load
from mscmine.loaders import pdf
load(sys.argv[1])
with open(sys.argv[2], "w") as fh:
    fh.write(str(pdf.worker_stats()["pid"]))
os.kill(os.getpid(), signal.SIGKILL)
"""

# a subreaper (Linux) between the test and the killed process: the orphaned worker becomes its
# child, so it sees when the worker exits and reaps it (no zombie left with init)
_SUBREAPER = """
import ctypes, os, subprocess, sys, time
assert ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
# no pipes to the child: the worker would inherit them, and waiting for their EOF would wait for it
subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2], sys.argv[3]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
pid = int(open(sys.argv[3]).read())
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    got, status = os.waitpid(pid, os.WNOHANG)
    if got:
        print("exited")
        break
    time.sleep(0.05)
else:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print("outlived its parent")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs PR_SET_CHILD_SUBREAPER")
def test_worker_exits_when_its_parent_is_killed(tmp_path, small_pdf_bytes):
    import subprocess

    good, = _good_and(tmp_path, small_pdf_bytes)
    out = subprocess.run([sys.executable, "-c", _SUBREAPER, _ORPHAN_CHILD, str(good), str(tmp_path / "pid")], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "exited", out.stdout + out.stderr


def test_a_forked_child_does_not_use_its_parents_worker(tmp_path, small_pdf_bytes):
    import os

    good, = _good_and(tmp_path, small_pdf_bytes)
    load(good)
    parent_worker = pdf_loader.worker_stats()["pid"]
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        ok = pdf_loader.worker_stats()["pid"] is None
        try:
            ok = ok and "脐带间充质干细胞" in load(good).text and pdf_loader.worker_stats()["pid"] not in (None, parent_worker)
            pdf_loader.shutdown_worker()
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert pdf_loader.worker_stats()["pid"] == parent_worker and not _gone(parent_worker)
    assert "脐带间充质干细胞" in load(good).text


def test_batch_workers_each_read_pdfs_in_their_own_worker(tmp_path, small_pdf_bytes):
    from mscmine import batch

    paths = _good_and(tmp_path, small_pdf_bytes, "a.pdf", "b.pdf", "c.pdf")
    results = list(batch.iter_results([str(p) for p in paths], workers=2, chunksize=1))
    assert [r["error"] for r in results] == [None] * 4
    for path, r in zip(paths, results):
        assert r["path"] == str(path) and r["records"] and r["records"] == batch.process_file(str(path))["records"]


# ---------------------------------------------------------------------------------------------
# the fast paths give what their plain definitions give


def test_dedupe_same_as_the_pairwise_definition():
    """A character goes when an earlier kept one has the same text, x0 and top within 1 pt and a
    size within 0.5 pt; the columns by whole x0 find exactly those (positions near whole
    numbers, where the column changes, included)."""
    import random

    rng = random.Random(8)
    for _ in range(40):
        chars = []
        for _ in range(rng.randint(1, 120)):
            x0 = rng.choice([rng.uniform(0, 30), rng.randint(0, 30) + rng.choice([-1e-9, 0.0, 1e-9, 0.999, 1.0])])
            top = rng.choice([rng.uniform(0, 6), float(rng.randint(0, 6))])
            chars.append(pdf_loader._Char(rng.choice("的1a"), x0, x0 + 5, top, top + 9, rng.choice([9.0, 9.4, 9.5, 10.0])))
            if rng.random() < 0.3:  # drawn again nearby (fake bold)
                c = chars[-1]
                dx, dy = rng.uniform(-1.2, 1.2), rng.uniform(-1.2, 1.2)
                chars.append(pdf_loader._Char(c.text, c.x0 + dx, c.x1 + dx, c.top + dy, c.bottom + dy, c.size))
        expected = []
        for ch in chars:
            if not any(o.text == ch.text and -1 <= o.x0 - ch.x0 <= 1 and -1 <= o.top - ch.top <= 1 and -0.5 < o.size - ch.size < 0.5 for o in expected):
                expected.append(ch)
        assert pdf_loader._dedupe(chars) == expected



def test_dedupe_skipped_only_where_it_drops_nothing():
    """`_may_repeat` (checked per text object) says False only for characters `_dedupe` keeps
    whole: random text objects, some drawn again nearby, some with steps of about 1 pt."""
    import random

    rng = random.Random(11)
    skipped = 0
    for _ in range(1000):
        chars: list = []
        runs: list[int] = []
        for _ in range(rng.randint(1, 8)):
            runs.append(len(chars))
            x, top = rng.uniform(0, 60), rng.choice([rng.uniform(0, 40), float(rng.randint(0, 4) * 10)])
            for _ in range(rng.randint(0, 6)):
                step = rng.choice([rng.uniform(0.5, 1.5), rng.uniform(1.0, 12.0), 1.0, -2.0])
                t = top + rng.choice([0.0, 0.0, rng.uniform(-1.5, 1.5)])
                chars.append(pdf_loader._Char(rng.choice("的1"), x, x + 5, t, t + 9, 9.0))
                x += step
            if rng.random() < 0.15 and chars:  # an object drawn again (fake bold, shadow)
                dx, dy = rng.uniform(-1.2, 1.2), rng.uniform(-1.2, 1.2)
                again = [pdf_loader._Char(c.text, c.x0 + dx, c.x1 + dx, c.top + dy, c.bottom + dy, c.size) for c in chars[runs[-1]:]]
                runs.append(len(chars))
                chars += again
        if not pdf_loader._may_repeat(chars, runs):
            skipped += 1
            assert pdf_loader._dedupe(chars) == chars
    assert skipped > 30

def test_characters_read_by_pdfium_are_what_char_makes(seed_docs):
    """The PDFium reading makes its characters without `_Char.__init__` (the same assignments,
    inlined): every field is what the constructor gives for the same text, box and size."""
    from collections import Counter as _Counter

    rendered, _ = next(iter(seed_docs.values()))
    pages = pdf_loader._pdfium_pages(rendered.path.read_bytes(), _Counter())
    chars = [c for pd in pages for c in pd.chars]
    assert len(chars) > 1000 and any(c.space for c in chars)
    for c in chars:
        made = pdf_loader._Char(c.text, c.x0, c.x1, c.top, c.bottom, c.size)
        assert [getattr(c, k) for k in pdf_loader._Char.__slots__] == [getattr(made, k) for k in pdf_loader._Char.__slots__]


def test_box_filters_same_as_inside():
    import random

    rng = random.Random(3)
    chars = []
    for _ in range(300):
        x0, top = rng.uniform(0, 100), rng.uniform(0, 100)
        chars.append(pdf_loader._Char("字", x0, x0 + rng.uniform(0, 10), top, top + 10, 10.0))
    for _ in range(30):
        boxes = []
        for _ in range(rng.randint(1, 3)):
            x0, top = rng.uniform(-5, 90), rng.uniform(-5, 90)
            boxes.append((x0, top, x0 + rng.uniform(0, 40), top + rng.uniform(0, 40)))
        x0, top, x1, bottom = boxes[0]
        assert pdf_loader._within(chars, x0, top, x1, bottom) == [c for c in chars if pdf_loader._inside(c, x0, top, x1, bottom)]
        assert pdf_loader._outside(chars, boxes) == [c for c in chars if not any(pdf_loader._inside(c, *b) for b in boxes)]


def test_forked_parse_reads_as_the_in_process_one(seed_docs):
    """The time limit's worker process (pypdfium2 imported before the fork, the parent's objects
    frozen for the collector, reused from document to document) gives the document the parse
    gives in the calling process."""
    for stem, (rendered, _) in seed_docs.items():
        doc = load(rendered.path)
        assert pdf_loader.worker_stats()["pid"] is not None, "read in the worker"
        here = load(rendered.path, timeout=None)
        assert here.text == doc.text, stem
        assert [(p.number, p.start, p.end) for p in here.pages] == [(p.number, p.start, p.end) for p in doc.pages]
        assert [(t.rows, t.caption, t.start, t.end, t.page) for t in here.tables] == [(t.rows, t.caption, t.start, t.end, t.page) for t in doc.tables]
        assert here.meta == doc.meta


def test_fake_bold_read_once_by_pdfium_as_by_pdfminer(tmp_path, monkeypatch):
    """Text drawn twice 0.3 pt apart (fake bold) reads once, the same through PDFium's reading
    as through pdfminer's (PDFium's text page keeps the second drawing; `_dedupe` drops it)."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path))
    lines = [f"Line {k}: 16 patients received 1x10 cells per kg, and none relapsed." for k in range(12)]
    for dx, dy in ((0, 0), (0.3, 0.2)):
        c.setFont("Helvetica", 11)
        for k, line in enumerate(lines):
            c.drawString(72 + dx, 700 - 14 * k + dy, line)
    c.showPage()
    c.save()
    fast = load(path, timeout=None)
    assert fast.meta["pdfminer_pages"] == []
    assert all(fast.text.count(line) == 1 for line in lines)

    def no_pdfium(*args):
        raise RuntimeError("PDFium reading switched off")

    monkeypatch.setattr(pdf_loader, "_pdfium_pages", no_pdfium)
    slow = load(path, timeout=None)
    assert slow.meta["pdfminer_pages"] == [1]
    assert slow.text == fast.text
