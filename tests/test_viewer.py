"""`mscmine show`: the HTML review page of one document.

Cases: the five seed articles in ``corpus/seeds`` (every record value must be in the page and
link to its highlighted evidence); small hand-made documents for escaping, crossing mentions
and PDF pages; and the bad inputs a reviewer may pass (missing, empty, a folder).
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest

from mscmine import Document
from mscmine.cli import main
from mscmine.core import extract_file
from mscmine.loaders import load
from mscmine.mention import Mention
from mscmine.viewer import FIELD_LABELS, anchor_id, render_view, write_view

from loader_fidelity import fixtures_module

SEEDS = sorted(Path("corpus/seeds").glob("*.txt"))


class Page_(HTMLParser):
    """Every element's attributes, the ids, the record links and the text of <pre class=text>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[dict] = []
        self.marks: list[dict] = []
        self.tags: list[str] = []
        self._in_pre = 0
        self._link = None
        self.text_parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "pre" and "text" in (a.get("class") or ""):
            self._in_pre += 1
        if tag == "mark":
            self.marks.append(a)
        if tag == "a" and "ev" in (a.get("class") or "").split():
            self._link = dict(a, shown="")
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag == "pre" and self._in_pre:
            self._in_pre -= 1
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._in_pre:
            self.text_parts.append(data)
        if self._link is not None:
            self._link["shown"] += data

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def parse(page: str) -> Page_:
    p = Page_()
    p.feed(page)
    p.close()
    return p


def _evidence(records):
    """(field, evidence) for every evidence object of every record."""
    for r in records:
        for field, v in r.items():
            for ev in (v if isinstance(v, list) else [v]):
                if isinstance(ev, dict) and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
                    yield r, field, ev


def _shown(field, ev):
    if field == "n_patients":
        return str(ev["value"])
    if "code" in ev:
        return ev["code"]
    return None


@pytest.fixture(scope="module")
def seed_views(tmp_path_factory):
    """Each seed through `mscmine show` (the CLI, in process), with its own analysis for checking."""
    out = tmp_path_factory.mktemp("views")
    views = {}
    for seed in SEEDS:
        html_path = out / f"{seed.stem}.html"
        assert main(["show", str(seed), "-o", str(html_path)]) == 0
        extraction = extract_file(seed)
        views[seed.stem] = (html_path.read_text(encoding="utf-8"), extraction.doc, extraction.analysis.mentions,
                            extraction.record_dicts())
    return views


@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_page_parses_and_keeps_the_text(seed_views, stem):
    page, doc, _, _ = seed_views[stem]
    tree = lxml.html.fromstring(page)
    assert tree.find(".//title").text == f"mscmine: {doc.name}"
    p = parse(page)
    assert p.text == doc.text  # every character, escaped and unescaped back, no markup lost or added
    assert len(p.ids) == len(set(p.ids))
    assert tree.xpath("string(//pre[@class='text'])") == doc.text


@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_every_record_value_links_to_its_evidence(seed_views, stem):
    page, doc, _, records = seed_views[stem]
    p = parse(page)
    ids = set(p.ids)
    links = {}
    for a in p.links:
        links.setdefault((a["href"], a["data-field"]), []).append(a)
    n = 0
    for r, field, ev in _evidence(records):
        key = (f"#{anchor_id(ev['start'], ev['end'])}", field)
        assert key in links, (r["record_id"], field, ev)
        assert key[0][1:] in ids  # the link target exists
        value = {k: v for k, v in ev.items() if k not in ("text", "start", "end", "page")}
        cands = [a for a in links[key] if json.loads(a["data-value"]) == value]
        assert cands, (r["record_id"], field, value)
        assert any(a["title"].startswith(ev["text"]) for a in cands)
        if _shown(field, ev) is not None:
            assert any(a["shown"] == _shown(field, ev) for a in cands)
        n += 1
    assert len(p.links) == n
    for r in records:  # values without evidence: the record id, the study's label, citation and year
        assert f'id="r-{r["record_id"]}"' in page
        for v in (r.get("study") or {}).values():
            if isinstance(v, dict):  # the reference entry: its text stands in the page's document text
                assert html.escape(v["text"], quote=False) in page
            elif v is not None:
                assert str(v) in page


@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_every_mention_is_highlighted_with_its_label(seed_views, stem):
    page, doc, mentions, records = seed_views[stem]
    p = parse(page)
    first_pieces = [m for m in p.marks if "cont" not in m["class"].split()]
    marked = {m["id"] for m in first_pieces if "id" in m}
    for m in mentions:
        assert anchor_id(m.start, m.end) in marked
    spans = {(m.start, m.end, m.label) for m in mentions}
    mention_spans = {(s, e) for s, e, _ in spans}
    extra = {(ev["start"], ev["end"], FIELD_LABELS.get(f, "OTHER")) for _, f, ev in _evidence(records)
             if (ev["start"], ev["end"]) not in mention_spans}
    assert len(first_pieces) == len(spans | extra)
    by_label = {}
    for m in first_pieces:
        by_label[m["data-label"]] = by_label.get(m["data-label"], 0) + 1
    for label in {lab for _, _, lab in spans}:
        assert by_label[label] >= sum(1 for s in spans if s[2] == label)
        assert f'for="t-{label}"' in page  # legend entry


def test_seed000_table1_row_links(seed_views):
    page, doc, _, records = seed_views["000_04a0826e1ad117c4"]
    rec = next(r for r in records if r["scope"] == "study" and r["study"]["citation"] == "[8]")
    tree = lxml.html.fromstring(page)
    row = tree.xpath(f"//td[@id='r-{rec['record_id']}']/..")[0]
    shown = [a.text_content() for a in row.xpath(".//a")]
    assert {"RA", "MSC", "umbilical_cord", "intravenous", "local_injection", "17", "4–14"} <= set(shown)
    target = tree.get_element_by_id(anchor_id(rec["n_patients"]["start"], rec["n_patients"]["end"]))
    assert target.tag == "mark" and target.text_content() == "17"


def test_offline_and_self_contained(seed_views):
    page = seed_views["001_927a681a5c5ffac5"][0]
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//script | //link | //img | //iframe | //*[@src]")
    assert "url(" not in page and "@import" not in page
    assert all(h.startswith("#") for h in tree.xpath("//a/@href"))


def test_text_is_escaped():
    text = '<script>alert("x")</script> & 1×10^6/kg <b>系统性红斑狼疮</b>'
    doc = Document.from_text(text, id="esc")
    i = text.index("系统性红斑狼疮")
    mentions = [Mention("DISEASE", i, i + 7, "系统性红斑狼疮", "SLE"), Mention("OTHER", 0, 8, "<script>", '"><x>')]
    rec = {"doc_id": "esc", "record_id": "esc#1", "scope": "study", "study": {"label": "<i>A</i>等", "citation": "[1]", "year": None},
           "disease": [{"code": "SLE", "text": "系统性红斑狼疮", "start": i, "end": i + 7}]}
    page = render_view(doc, mentions, [rec])
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//script | //b | //x | //i")
    assert parse(page).text == text
    assert "&lt;i&gt;A&lt;/i&gt;等" in page


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 6, "DISEASE"), (3, 9, "N_PATIENTS")],  # crossing
        [(0, 9, "OUTCOME"), (2, 4, "DISEASE"), (2, 4, "CELL_SOURCE")],  # nested, same span twice
        [(0, 3, "DOSE"), (3, 6, "ROUTE"), (6, 9, "DONOR")],  # touching
        [(0, 9, "OUTCOME"), (0, 9, "ADVERSE_EVENT"), (4, 12, "FOLLOW_UP")],
    ],
    ids=["crossing", "nested", "touching", "same-and-crossing"],
)
def test_overlapping_mentions_nest_properly(spans):
    text = "甲乙丙丁戊己庚辛壬癸子丑寅卯"
    doc = Document.from_text(text, id="x")
    mentions = [Mention(lab, s, e, text[s:e], "v") for s, e, lab in spans]
    page = render_view(doc, mentions, [])
    tree = lxml.html.fromstring(page)  # lxml would re-nest bad markup; html.parser text must still be exact
    p = parse(page)
    assert p.text == text
    assert page.count("<mark") == page.count("</mark>")
    for s, e, _ in spans:
        el = tree.get_element_by_id(anchor_id(s, e))
        assert text[s:e].startswith(el.text_content()) or el.text_content().startswith(text[s:e])
    # pieces of one mention together cover exactly its text
    for s, e, lab in spans:
        pieces = "".join(m.text_content() for m in tree.xpath(f"//mark[@data-label='{lab}']"))
        assert pieces == text[s:e]


def test_pdf_pages_and_page_numbers(tmp_path):
    mf = fixtures_module()
    article = ("间充质干细胞治疗类风湿关节炎\n"
               + "背景介绍。" * 300
               + "\n王黎明等[8]采用脐带间充质干细胞治疗17例类风湿关节炎患者，经静脉输注1×10^7/人次，随访4-14个月。\n")
    pdf = mf.render_pdf(article, tmp_path / "a.pdf", columns=1).path
    out = tmp_path / "a.html"
    assert main(["show", str(pdf), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    doc = load(pdf)
    assert len(doc.pages) >= 2
    tree = lxml.html.fromstring(page)
    assert [int(x) for x in tree.xpath("//span[@class='page']/@data-page")] == [p.number for p in doc.pages]
    titles = tree.xpath("//a[@data-field='n_patients']/@title")
    assert titles and all("(p. " in t for t in titles)


def test_write_view_and_stdout(tmp_path, capsys):
    seed = SEEDS[4]
    out = write_view(seed, tmp_path / "sub" / "v.html")
    assert out.exists() and not list(out.parent.glob(".*.tmp"))
    assert main(["show", str(seed), "-o", "-"]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def test_render_view_takes_mention_dicts():
    doc = Document.from_text("脐带间充质干细胞", id="d")
    a = render_view(doc, [Mention("CELL_SOURCE", 0, 2, "脐带", "umbilical_cord")], [])
    b = render_view(doc, [{"label": "CELL_SOURCE", "start": 0, "end": 2, "text": "脐带", "value": "umbilical_cord"}], [])
    assert a == b and 'id="m-0-2"' in a


def _file(name: str, data: bytes):
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (_file("empty.txt", b""), "empty"),
        (lambda d: d, "not a file"),
        (_file("x.docx", b"PK\x03\x04 not really"), "x.docx"),
    ],
    ids=["missing", "empty", "folder", "unsupported"],
)
def test_bad_input_is_a_clear_error(tmp_path, capsys, make, message):
    src = make(tmp_path)
    assert main(["show", str(src), "-o", str(tmp_path / "v.html")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mscmine show: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "v.html").exists()


def test_output_is_a_folder(tmp_path, capsys):
    assert main(["show", str(SEEDS[4]), "-o", str(tmp_path)]) == 1
    assert "folder" in capsys.readouterr().err


ODD_VALUES = [
    ("follow_up_months", {"low": 6.0, "high": None}, "≥6"),
    ("follow_up_months", {"low": None, "high": 12.0}, "≤12"),
    ("outcomes", {"measure": "response_rate", "value": 93.3, "unit": "%", "negated": False}, "response_rate 93.3%"),
    ("outcomes", {"measure": "other", "value": "显著", "unit": None, "negated": True}, "not other 显著"),
    ("dose", {"low": 2e5, "high": 1.8e6, "unit": "cells/kg", "times": 2, "interval": "1周"}, "2×10^5–1.8×10^6 cells/kg ×2 / 1周"),
    ("adverse_events", {"negated": True, "serious": None}, "none: 甲乙"),
]


@pytest.mark.parametrize("field, value, shown", ODD_VALUES, ids=[f"{f}-{s}" for f, _, s in ODD_VALUES])
def test_record_cells_show_values(field, value, shown):
    doc = Document.from_text("甲乙丙丁", id="x")
    ev = dict(value, text="甲乙", start=0, end=2)
    page = render_view(doc, [], [{"record_id": "x#1", "scope": "study", field: [ev] if field != "follow_up_months" else ev}])
    links = parse(page).links
    assert [(a["shown"], a["href"]) for a in links] == [(shown, "#m-0-2")]
    assert 'id="m-0-2"' in page


def test_evidence_outside_the_text_is_shown_without_a_link():
    doc = Document.from_text("甲乙丙丁", id="x")
    rec = {"record_id": "x#1", "scope": "study", "disease": [{"code": "SLE", "text": "系统性红斑狼疮", "start": 10, "end": 17}]}
    page = render_view(doc, [], [rec])
    assert not parse(page).links and 'class="ev nolink"' in page and ">SLE<" in page


def test_the_view_lists_facts_in_no_study_with_their_reason(tmp_path):
    from mscmine.viewer import view_html

    path = tmp_path / "trial.txt"
    path.write_text("目的 观察脐带间充质干细胞治疗狼疮的疗效。方法 选取30例患者静脉输注细胞。"
                    "对照组20例给予环磷酰胺。结果 SLEDAI下降。", encoding="utf-8")
    html = view_html(path)
    assert "Found, in no study" in html and "own_study" in html
    section = html.split("Found, in no study")[1].split("</section>")[0]
    assert "20例" in section and "control_arm" in section
