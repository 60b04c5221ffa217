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


# ---------------------------------------------------------------------------------------------
# PDFium first: pages that used to leave the fast road for pdfminer's


def _text_page(draw, size=(595, 842)) -> bytes:
    buf, c = _canvas(size)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _load_bytes(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return load(path)


BODY = ["间充质干细胞移植治疗系统性红斑狼疮的临床观察", "患者单次静脉输注脐带间充质干细胞后随访十二个月", "结果显示疾病活动指数评分明显下降"]


def _body(c, font, x=72, y=760, lead=24, size=12):
    c.setFont(font, size)
    for k, line in enumerate(BODY):
        c.drawString(x, y - lead * k, line)


def test_ruled_grid_table_read_by_pdfium_without_pdfminer(tmp_path):
    """Vertical rules sent the whole page to pdfminer for its table finder (the slow road on
    most real reports and forms); the finder now runs on the edges of PDFium's paths."""
    font = _cjk_font()

    def draw(c):
        _body(c, font)
        xs, ys = [72, 200, 330, 460], [600, 570, 540]
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        c.setFont(font, 10)
        for r, row in enumerate([["组别", "例数", "有效率"], ["治疗组", "30", "90%"]]):
            for k, cell in enumerate(row):
                c.drawString(xs[k] + 4, ys[r] - 20, cell)

    doc = _load_bytes(tmp_path, "grid.pdf", _text_page(draw))
    assert doc.meta["pdfminer_pages"] == []
    assert [t.rows for t in doc.tables] == [[["组别", "例数", "有效率"], ["治疗组", "30", "90%"]]]


def test_form_xobject_read_by_pdfium_through_its_matrix(tmp_path):
    """A figure or a stamp placed as a form XObject (LaTeX's included graphics) sent the page
    to pdfminer; the objects inside are read through the form's matrix, text included."""
    font = _cjk_font()

    def draw(c):
        _body(c, font)
        c.beginForm("stamp")
        c.setFont(font, 10)
        c.drawString(0, 0, "图1 细胞形态")
        c.rect(0, 20, 100, 60)
        c.endForm()
        c.saveState()
        c.translate(150, 500)
        c.scale(1.5, 1.5)
        c.doForm("stamp")
        c.restoreState()

    doc = _load_bytes(tmp_path, "form.pdf", _text_page(draw))
    assert doc.meta["pdfminer_pages"] == []
    assert "图1 细胞形态" in doc.text
    assert doc.text.index(BODY[-1]) < doc.text.index("图1")


def test_text_matrix_scaled_font_read_at_its_drawn_size(tmp_path):
    """A file that sets the font at 200 pt under a text matrix of 0.05 (a 10 pt line): PDFium's
    font size is the 200, which made every line a heading and each Latin glyph 20 times too
    wide (the words of a line strewn across the page)."""
    def draw(c):
        for k, line in enumerate(["Mesenchymal stem cells were infused once.", "Follow-up lasted twelve months."]):
            t = c.beginText()
            t.setTextTransform(0.05, 0, 0, 0.05, 72, 760 - 14 * k)
            t.setFont("Helvetica", 200)
            t.textOut(line)
            c.drawText(t)

    doc = _load_bytes(tmp_path, "scaled.pdf", _text_page(draw))
    assert doc.meta["pdfminer_pages"] == []
    assert doc.text.split() == "Mesenchymal stem cells were infused once. Follow-up lasted twelve months.".split()


def test_empty_text_objects_keep_the_page_on_pdfium(tmp_path):
    """Word and WPS write empty strings and lone spaces as text objects of zero width; PDFium's
    text page skips them, and the check that revived objects read as text sent every such page
    to pdfminer. Nothing is lost with them."""
    font = _cjk_font()

    def draw(c):
        _body(c, font)
        c.setFont(font, 12)
        for k in range(3):
            c.drawString(300, 700 - 20 * k, "")
            c.drawString(320, 700 - 20 * k, " ")

    doc = _load_bytes(tmp_path, "empty-objects.pdf", _text_page(draw))
    assert doc.meta["pdfminer_pages"] == []
    assert "".join(doc.text.split()) == "".join(BODY)


# ---------------------------------------------------------------------------------------------
# no text lost or garbled


def test_paragraphs_outside_a_small_crop_box_kept(tmp_path):
    """A classical book set each page's crop box around one paragraph: the translation under
    it lay outside, and every character there was dropped as off the page (a tenth to a third
    of the text, silently). The media box is the page; the crop box is noted."""
    font = _cjk_font()
    translation = ["所谓礼教在于分辨贵贱排比亲疏裁决万物", "没有一定的名位就不能显扬没有器物就不能表现"]

    def draw(c):
        _body(c, font)
        c.setFont(font, 11)
        for k, line in enumerate(translation):
            c.drawString(72, 600 - 20 * k, line)
        c.setCropBox((40, 700, 560, 800))  # around the first paragraph only

    doc = _load_bytes(tmp_path, "cropped.pdf", _text_page(draw))
    flat = "".join(doc.text.split())
    assert flat == "".join(BODY + translation)
    assert doc.meta["outside_crop_box_chars"] == sum(map(len, translation))
    assert any("crop box" in w for w in doc.meta["warnings"])


def test_vertical_columns_read_right_to_left_once(tmp_path):
    """Vertical Traditional text between a classical page's column rules: clustered by height,
    each row ran across all the columns, and the rules made tables whose cells repeated the
    characters (the text twice, in no reading order). Columns are read top to bottom in the
    order the file sets them; an interlinear note's two half-width lines right, then left."""
    font = _cjk_font()
    columns = ["黄帝者少典之子姓公孫名曰軒轅", "生而神靈弱而能言幼而徇齊長而敦敏", "成而聰明軒轅之時神農氏世衰"]
    note_right, note_left = "集解徐廣曰", "號有熊氏"
    size, pitch = 18, 40

    def draw(c):
        x = 480
        c.setLineWidth(0.5)
        for k in range(len(columns) + 2):
            c.line(x + pitch / 2 - k * pitch, 780, x + pitch / 2 - k * pitch, 180)  # the column rules
        for k, text in enumerate(columns):
            c.setFont(font, size)
            for j, ch in enumerate(text):
                c.drawCentredString(x - k * pitch, 750 - j * (size + 4), ch)
            if k == 0:  # a note under the first column's text, in two half-width lines
                c.setFont(font, size / 2)
                y0 = 750 - len(text) * (size + 4)
                for sub, dx in ((note_right, size / 4), (note_left, -size / 4)):
                    for j, ch in enumerate(sub):
                        c.drawCentredString(x + dx, y0 - j * (size / 2 + 2), ch)

    doc = _load_bytes(tmp_path, "vertical.pdf", _text_page(draw))
    assert doc.meta["vertical_pages"] == [1]
    assert doc.tables == []
    assert "".join(doc.text.split()) == columns[0] + note_right + note_left + columns[1] + columns[2]


def test_kangxi_radicals_normalised_and_doubled_glyphs_collapsed(tmp_path):
    """A font whose ToUnicode map gives the Kangxi radical for the ideograph, or both for one
    glyph (电⼦子科技⼤大学, pdf.js #11066): all tools agree on the wrong text, which looks right
    and matches no lexicon. Radicals and compatibility forms are read as their ideographs,
    and two characters in one glyph's box as one."""
    font = _cjk_font()

    def draw(c):
        c.setFont(font, 14)
        c.drawString(72, 760, "电")
        for ch in "⼦子":  # one glyph read as radical + ideograph: two characters, one box
            c.drawString(86, 760, ch)
        c.drawString(100, 760, "科技⼤学")  # U+2F24 for 大
        c.drawString(72, 730, "︵干细胞︶")  # vertical presentation forms

    doc = _load_bytes(tmp_path, "kangxi.pdf", _text_page(draw))
    assert "".join(doc.text.split()) == "电子科技大学（干细胞）"
    assert doc.meta["compat_forms_normalised"] == 4  # ⼦ ⼤ ︵ ︶


def _gb2312_simple_font_pdf(lines: list[str], rules: bool = False) -> bytes:
    """A page whose TrueType font is named 宋体 in GBK bytes, not embedded, under
    WinAnsiEncoding, with GB2312 byte pairs in its strings (as old Chinese converters wrote).
    Written by hand: reportlab embeds every TrueType font it writes. `rules`: a box of ruled
    lines (vertical rules sent such a page to pdfminer)."""
    content = ["BT /F1 14 Tf"]
    y = 760
    for text in lines:
        content.append(f"1 0 0 1 72 {y} Tm <{text.encode('gb2312').hex().upper()}> Tj")
        y -= 24
    content.append("ET")
    if rules:
        content += ["0.5 w", "72 500 m 72 400 l S", "300 500 m 300 400 l S", "520 500 m 520 400 l S", "72 500 m 520 500 l S", "72 400 m 520 400 l S"]
    stream = "\n".join(content).encode("latin-1")
    widths = " ".join(["500"] * 256)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /#CB#CE#CC#E5 /Encoding /WinAnsiEncoding /FirstChar 0 /LastChar 255 /Widths [" + widths.encode() + b"] /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /#CB#CE#CC#E5 /Flags 4 /FontBBox [0 -200 1000 1000] /ItalicAngle 0 /Ascent 1000 /Descent -200 /CapHeight 1000 /StemV 100 /MissingWidth 1000 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


GB_LINES = ["关于红军作战的原则", "间充质干细胞移植治疗"]


def test_gb2312_bytes_in_a_winansi_font_read_as_pdfium_decodes_them(tmp_path):
    """The page went to pdfminer for its ruled box, and pdfminer reads the GB2312 byte pairs
    as Latin-1 (0 Chinese characters); PDFium decodes them by the font's charset."""
    doc = _load_bytes(tmp_path, "gb2312.pdf", _gb2312_simple_font_pdf(GB_LINES, rules=True))
    assert "".join(doc.text.split()) == "".join(GB_LINES)


def test_gb2312_bytes_read_by_pdfminer_replaced_by_pdfium_reading(tmp_path, monkeypatch):
    """Where a page still goes to pdfminer, Latin-1 letters making up most of it are taken
    for GB2312 bytes: the page is read with PDFium instead, and the document says so."""
    monkeypatch.setattr(pdf_loader, "_pdfium_pages", _no_pdfium)
    doc = _load_bytes(tmp_path, "gb2312-pdfminer.pdf", _gb2312_simple_font_pdf(GB_LINES))
    assert "".join(doc.text.split()) == "".join(GB_LINES)
    assert doc.meta["charset_decoded_pages"] == [1]
    assert any("GB2312" in w for w in doc.meta["warnings"])


def test_rotated_watermark_left_out_on_the_pdfium_road(tmp_path):
    """A watermark set at 45° is left out and counted, the body kept (rotation is read from
    each text object's matrix)."""
    font = _cjk_font()

    def draw(c):
        _body(c, font)
        c.saveState()
        c.translate(300, 400)
        c.rotate(45)
        c.setFont(font, 40)
        c.drawString(0, 0, "内部资料")
        c.restoreState()

    doc = _load_bytes(tmp_path, "watermark.pdf", _text_page(draw))
    assert doc.meta["pdfminer_pages"] == []
    assert "".join(doc.text.split()) == "".join(BODY)
    assert doc.meta["rotated_chars"] == 4


def test_table_boxed_inside_a_page_frame_read_once(tmp_path):
    """A report boxes its sidebar and main column in one frame and the main column's table in
    its own box: the table finder returns the frame and the inner table, and the characters
    of the inner one were read twice (a third more text). The inner table keeps its rows; the
    frame keeps what is left."""
    font = _cjk_font()
    side = ["证券分析师", "所属行业机械设备"]
    rows = [["公司拟扩产金刚线产能", "第1项"], ["顺应下游需求扩张", "第2项"], ["切割工艺持续进步", "第3项"]]

    def draw(c):
        c.setLineWidth(0.5)
        c.rect(50, 142, 500, 600)  # the frame
        c.line(200, 142, 200, 742)  # sidebar | main column
        c.rect(210, 392, 330, 300)  # the table's own box
        c.line(210, 592, 540, 592)
        c.line(210, 492, 540, 492)
        c.line(380, 392, 380, 692)
        c.setFont(font, 11)
        for k, t in enumerate(side):
            c.drawString(60, 720 - 20 * k, t)
        for k, (a, b) in enumerate(rows):
            c.drawString(220, 670 - 100 * k, a)
            c.drawString(390, 670 - 100 * k, b)

    doc = _load_bytes(tmp_path, "framed.pdf", _text_page(draw))
    flat = "".join(doc.text.split())
    for text in side + [cell for row in rows for cell in row]:
        assert flat.count(text) == 1, text
    assert rows in [t.rows for t in doc.tables]


def test_text_in_a_ruled_table_box_outside_its_cells_kept(tmp_path):
    """Text inside a ruled table's box but in none of its cells (a region whose left rule
    stops short, as beside a report's sidebar) was dropped with the table's box; it is read
    as lines."""
    font = _cjk_font()

    def draw(c):
        c.setLineWidth(0.5)
        for y in (700, 650, 600):
            c.line(100, y, 550, y)
        c.line(100, 700, 100, 650)  # the left rule stops after the first row
        for x in (250, 400, 550):
            c.line(x, 700, x, 600)
        c.setFont(font, 11)
        for k, cell in enumerate(["年份", "营业收入", "净利润"]):
            c.drawString(110 + 150 * k, 670, cell)
        c.drawString(110, 620, "资料来源")  # in the box, in no cell
        c.drawString(260, 620, "七四六")
        c.drawString(410, 620, "五十九")

    doc = _load_bytes(tmp_path, "outside-cells.pdf", _text_page(draw))
    assert "资料来源" in "".join(doc.text.split())
