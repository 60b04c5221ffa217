"""HTML pages: the article's main text, headings and tables, with its citation metadata.

1. Characters: a byte-order mark, then the charset declared in ``<meta charset>`` /
   ``http-equiv`` / the XML declaration, checked against the bytes (a page declared GB2312 that
   is really UTF-8 is read as UTF-8); undeclared pages are detected like text files (UTF-8, then
   GB18030 against Big5 by character frequency). GB2312/GBK are read as GB18030, Big5 as CP950,
   their supersets.
2. Metadata from ``citation_*`` (Highwire), Dublin Core, PRISM and OpenGraph tags.
3. The page is prepared with lxml: scripts, navigation, forms, comment and share widgets are
   removed; ``<span style="vertical-align:super">`` becomes ``<sup>``; a table's ``<caption>``
   is moved before it.
4. Main content by trafilatura (XML output with ``<hi rend="#sup">`` kept, tables kept,
   ``MIN_EXTRACTED_SIZE`` lowered so an abstract-only page is not handed to the cruder
   fallback extractor that keeps navigation: adbar/trafilatura #544, #896).
5. Blocks: headings and paragraphs one per paragraph (``<br>`` splits), list items one per
   line, tables as a caption line then one line per row with cells separated by two spaces
   (as the PDF loader writes them); share bars, QR-code footers ("扫码添加官方微信"), comment
   boxes and related-article lists that survive are dropped by pattern (short blocks only).
6. What trafilatura loses is put back from the page with lxml: data tables (adbar/trafilatura
   #531, #829; emptied cells are refilled) and headings (every ``<h2>`` of a WeChat-style
   ``rich_media_content`` article is dropped by trafilatura 2.3.1), each before the next
   paragraph that trafilatura kept, inside the region that holds the kept paragraphs.

Superscripts: ``1×10<sup>6</sup>`` → ``1×10^6``, ``<sup>[12]</sup>`` or ``<sup>12</sup>`` →
``[12]`` (same rule as the PDF loader).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..document import Document, Table
from ..errors import EncodingError, HtmlError
from .pdf import superscript_text
from .text import decode_text

MIN_EXTRACTED_SIZE = 20  # trafilatura's default is 250 characters
MIN_CONTENT_CHARS = 10  # fewer letters/Han characters than this in the result: no main content

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,30})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.\-]{2,30})["']""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "cp950",
    "cp950": "cp950",
    "big5hkscs": "big5hkscs",
}

_CAPTION = re.compile(r"^\s*(?:续?表\s*\d|Table\s*\d|Tab\.\s*\d)", re.I)
# short blocks that are page furniture, not article text
_BOILERPLATE = re.compile(
    r"""
    扫码|扫一扫|二维码|长按识别|关注(?:我们|公众号|微信)|官方微信|微信公众号|添加微信|加微信
    | 分享到|分享至|一键分享|收藏本文|阅读原文|阅读(?:次数|量)\s*[:：]?\s*\d|浏览次数|点击数
    | 上一篇|下一篇|返回顶部|返回列表|打印本页|关闭窗口|字号[:：]|【\s*大\s*中\s*小\s*】
    | 精选留言|写留言|发表评论|我要评论|评论\s*\(\d*\)|网友评论|登录后(?:评论|发表)|写下你的评论
    | 版权所有|Copyright|©|ICP备|公网安备|责任编辑[:：]|^\s*来源[:：]\s*\S{0,20}$
    """,
    re.X | re.I,
)
# a block made only of widget words and counts ("点赞 12 在看 3 转发")
_WIDGET_LINE = re.compile(r"^(?:\s*(?:点赞|在看|收藏|转发|分享|评论|赞|喜欢|打赏|举报)\s*\d*\s*[|｜·]?)+$")
_RELATED = re.compile(r"^\s*(?:相关|推荐|热门|延伸|猜你喜欢|更多)(?:文章|阅读|推荐|新闻|资讯|内容|链接)?\s*[:：]?\s*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CJK_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s+(?=[\u2e80-\u9fff\uff00-\uffef])")
_DOI = re.compile(r"\b10\.\d{4,9}/[-._;()/:A-Za-z0-9<>]+[A-Za-z0-9]")
_WIDGET = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|bdshare|jiathis|qrcode|qr-code|erweima|wechat|weixin|comment|comments|reply|related|recommend|breadcrumb|crumb|nav|navbar|menu|sidebar|toolbar|footer|copyright|advert|ads?|banner|login|subscribe)(?:$|[\s_-])",
    re.I,
)


# =============================================================================================
# Characters


def decode_html(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for the bytes of an HTML page."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", warnings
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", warnings
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    declared = m.group(1).decode("ascii").lower() if m else None
    declared_codec = None
    if declared:
        try:
            declared_codec = codecs.lookup(declared).name
        except LookupError:
            warnings.append(f"unknown charset {declared!r} declared; detected from the bytes instead")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if declared_codec and declared_codec not in ("utf-8", "ascii") and not data.isascii():
            warnings.append(f"the page declares {declared} but its bytes are UTF-8; read as UTF-8")
        return text, "utf-8", warnings
    if declared_codec and declared_codec not in ("utf-8",):
        codec = _SUPERSETS.get(declared_codec.replace("_", ""), declared_codec)
        for candidate in dict.fromkeys((codec, declared_codec)):
            try:
                return data.decode(candidate), candidate, warnings
            except (UnicodeDecodeError, LookupError):
                continue
        warnings.append(f"the page declares {declared} but its bytes do not decode as {declared}; detected instead")
    elif declared_codec == "utf-8":
        warnings.append("the page declares UTF-8 but its bytes are not UTF-8; detected instead")
    try:
        text, enc = decode_text(data, path)
    except EncodingError:
        raise EncodingError("the page's characters are not UTF-8, GB18030 or Big5 (and no usable charset is declared); save it as UTF-8", path) from None
    if enc == "big5":  # read the detected Big5 with its Microsoft superset where possible
        try:
            text, enc = data.decode("cp950"), "cp950"
        except UnicodeDecodeError:
            pass
    return text, enc, warnings


# =============================================================================================
# Metadata


def _meta_tags(tree) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value:
            tags.setdefault(key, []).append(re.sub(r"\s+", " ", value))
    return tags


def _first(tags: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if tags.get(k):
            return tags[k][0]
    return None


def _date(value: str | None) -> str | None:
    if not value:
        return None
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?", value)
    if not m:
        m2 = re.search(r"\b(\d{4})\b", value)
        return m2.group(1) if m2 else value
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"


def _clean_doi(value: str | None) -> str | None:
    if not value:
        return None
    m = _DOI.search(value)
    return m.group().rstrip(".,;)") if m else None


def extract_meta(tree) -> dict[str, Any]:
    """Title, authors, journal, date, DOI (and keywords, site, language) from meta tags."""
    tags = _meta_tags(tree)
    meta: dict[str, Any] = {}
    title = _first(tags, "citation_title", "dc.title", "prism.title", "og:title", "twitter:title")
    if not title:
        t = tree.find(".//title")
        if t is not None and t.text_content().strip():
            parts = [p.strip() for p in re.split(r"\s+[-|_–—]\s+|_", t.text_content().strip()) if p.strip()]
            title = max(parts, key=len) if parts else None
    if not title:
        h1 = tree.find(".//h1")
        if h1 is not None and h1.text_content().strip():
            title = h1.text_content().strip()
    if title:
        meta["title"] = re.sub(r"\s+", " ", title)
    authors = tags.get("citation_author") or tags.get("dc.creator") or tags.get("dc.contributor")
    if not authors and tags.get("author"):
        authors = [a for a in re.split(r"\s*[,，;；、]\s*", tags["author"][0]) if a]
    if authors:
        meta["authors"] = list(dict.fromkeys(authors))
    journal = _first(tags, "citation_journal_title", "prism.publicationname", "dc.source", "citation_conference_title")
    if journal:
        meta["journal"] = journal
    date = _first(
        tags,
        "citation_publication_date",
        "citation_date",
        "citation_online_date",
        "dc.date",
        "dc.date.issued",
        "prism.publicationdate",
        "article:published_time",
        "og:published_time",
        "pubdate",
        "publishdate",
    )
    if date:
        meta["date"] = _date(date)
    doi = _clean_doi(_first(tags, "citation_doi", "prism.doi", "dc.identifier", "bepress_citation_doi"))
    if not doi:
        for value in tags.get("dc.identifier", []):
            doi = _clean_doi(value)
            if doi:
                break
    if doi:
        meta["doi"] = doi
    keywords = tags.get("citation_keywords")
    if keywords:
        meta["keywords"] = [k for kw in keywords for k in re.split(r"\s*[;；,，]\s*", kw) if k]
    site = _first(tags, "og:site_name")
    if site:
        meta["site"] = site
    lang = tree.get("lang") or tree.get("xml:lang")
    if lang:
        meta["language"] = lang
    return meta


# =============================================================================================
# Main content


@dataclass
class _Block:
    kind: str  # "head", "p", "item", "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    caption: str | None = None


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _prepare(tree) -> None:
    """Remove page furniture trafilatura may keep; mark CSS superscripts; free captions."""
    for el in list(tree.iter("script", "style", "noscript", "nav", "form", "textarea", "button", "iframe", "select")):
        _drop(el)
    for el in list(tree.iter("header", "footer")):
        in_article = any(a.tag in ("article", "main") for a in el.iterancestors())
        if not in_article and not (el.tag == "header" and el.find(".//h1") is not None):
            _drop(el)
    for el in list(tree.iter("div", "section", "aside", "ul", "footer", "header", "span", "p")):
        if el.getparent() is None:
            continue
        label = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if label and _WIDGET.search(label) and el.tag != "span" and len(_text_of(el)) < 400:
            _drop(el)
    for el in tree.iter("span"):
        style = (el.get("style") or "").replace(" ", "").lower()
        if "vertical-align:super" in style or (el.get("class") or "").lower() in ("sup", "superscript"):
            el.tag = "sup"
        elif "vertical-align:sub" in style:
            el.tag = "sub"
    for el in tree.iter("p", "div", "span"):
        # trafilatura drops elements whose class says "caption"; a table caption is article text
        label = " ".join(filter(None, (el.get("class"), el.get("id")))).lower()
        if "caption" in label and _CAPTION.match(_text_of(el)):
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)
    for table in list(tree.iter("table")):
        cap = table.find("caption")
        if cap is not None and table.getparent() is not None:
            p = cap.makeelement("p", {})
            p.text = _text_of(cap)
            cap.getparent().remove(cap)
            table.addprevious(p)


def _text_of(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _inline(el, is_sup) -> list[str]:
    """Text of an element with superscripts rewritten; <lb/> / <br> become paragraph breaks."""
    parts: list[str] = [""]

    def walk(node) -> None:
        if node.text:
            parts[-1] += node.text
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("lb", "br"):
                parts.append("")
            elif is_sup(child):
                parts[-1] += superscript_text(child.xpath("string()"), parts[-1])
            else:
                walk(child)
            if child.tail:
                parts[-1] += child.tail
    walk(el)
    return [_squash(p) for p in parts if _squash(p)]


def _squash(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u3000", " ")).strip()
    return _CJK_SPACE.sub("", text)


def _is_hi_sup(node) -> bool:
    return node.tag == "hi" and node.get("rend") == "#sup"


def _is_html_sup(node) -> bool:
    return node.tag == "sup"


def _table_rows(table, cell_tags: tuple[str, ...], row_tag: str, is_sup) -> list[list[str]]:
    rows = []
    for row in table.iter(row_tag):
        cells = [" ".join(_inline(cell, is_sup)) for cell in row if isinstance(cell.tag, str) and cell.tag in cell_tags]
        if any(cells):
            rows.append(cells)
    return rows


def _blocks_from_xml(xml: str) -> list[_Block]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        return []
    blocks: list[_Block] = []

    def visit(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            blocks.extend(_Block("head", t) for t in _inline(el, _is_hi_sup))
        elif tag in ("p", "quote", "code"):
            if len(el) and all(isinstance(c.tag, str) and c.tag in ("p", "list", "table", "head", "quote") for c in el) and not (el.text or "").strip():
                for child in el:
                    visit(child)
                return
            blocks.extend(_Block("p", t) for t in _inline(el, _is_hi_sup))
        elif tag == "list":
            for item in el:
                if isinstance(item.tag, str) and item.tag == "item":
                    if item.find("list") is not None:
                        visit(item)
                    else:
                        blocks.extend(_Block("item", t) for t in _inline(item, _is_hi_sup))
                elif isinstance(item.tag, str) and item.tag == "head":
                    visit(item)
        elif tag == "item":
            for child in el:
                visit(child)
        elif tag == "table":
            rows = _table_rows(el, ("cell",), "row", _is_hi_sup)
            if rows:
                blocks.append(_Block("table", rows=rows))
        elif tag in ("graphic", "ref", "lb"):
            return
        else:
            blocks.extend(_Block("p", t) for t in _inline(el, _is_hi_sup))

    for child in main:
        visit(child)
    return blocks


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ANCHORS = ("p", "li", "dd", "blockquote") + _HEADINGS


def _restore_lost(blocks: list[_Block], dom) -> int:
    """Put back headings and data tables of the article that trafilatura dropped.

    trafilatura loses some tables (adbar/trafilatura #531, #829) and, in some page templates,
    every heading. The article's region is the smallest element holding all paragraphs that
    trafilatura kept; inside it, a lost heading or table goes before the next kept paragraph
    (a table at the very end goes after the last one).
    """
    index: dict[str, int] = {}
    for i, b in enumerate(blocks):
        if b.kind != "table":
            index.setdefault(_norm(b.text)[:30], i)
    have = {_norm(b.text) for b in blocks if b.kind != "table"} | {_norm(" ".join(c for r in b.rows for c in r)) for b in blocks if b.kind == "table"}

    def anchor_of(el) -> int | None:
        key = _norm(_text_of(el))[:30]
        return index.get(key) if len(key) >= 4 else None

    matched = [el for el in dom.iter(*_ANCHORS) if el.tag in ("p", "li", "dd", "blockquote") and anchor_of(el) is not None]
    if not matched:
        return 0
    region = matched[0]
    for el in matched[1:]:
        while region is not None and not _contains(region, el):
            region = region.getparent()
    if region is None:
        return 0
    # tables trafilatura kept but emptied (cells lost, adbar/trafilatura #829): when its tables
    # pair one to one with the region's data tables, take the fuller rows from the page
    dom_tables = [rows for rows in (_data_table_rows(t) for t in region.iter("table")) if rows]
    kept = [b for b in blocks if b.kind == "table"]
    repaired = 0
    if kept and len(kept) == len(dom_tables):
        for b, rows in zip(kept, dom_tables):
            if len(_norm(" ".join(c for r in rows for c in r))) > len(_norm(" ".join(c for r in b.rows for c in r))):
                b.rows = rows
                repaired += 1
        have |= {_norm(" ".join(c for r in b.rows for c in r)) for b in kept}
    pending: list[_Block] = []
    inserts: list[tuple[int, list[_Block]]] = []
    last = None
    for el in region.iter(*(_ANCHORS + ("table",))):
        if el.tag == "table":
            rows = _data_table_rows(el)
            if rows and _norm(" ".join(c for r in rows for c in r)) not in have:
                pending.append(_Block("table", rows=rows))
            continue
        if _inside_table(el):
            continue
        at = anchor_of(el)
        if at is not None:
            if pending:
                inserts.append((at, pending))
                pending = []
            last = at
        elif el.tag in _HEADINGS:
            text = _squash(el.text_content())
            if text and _norm(text) not in have:
                pending.append(_Block("head", text))
    tables_left = [b for b in pending if b.kind == "table"]
    if tables_left and last is not None:
        inserts.append((last + 1, tables_left))
    restored = repaired
    for at, items in sorted(inserts, key=lambda x: x[0], reverse=True):
        blocks[at:at] = items
        restored += len(items)
    return restored


def _data_table_rows(table) -> list[list[str]] | None:
    """Rows of a data table (at least 2 × 2, no nested tables), None for layout tables."""
    if table.find(".//table") is not None:
        return None
    rows = _table_rows(table, ("td", "th"), "tr", _is_html_sup)
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    return rows


def _contains(ancestor, el) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def _inside_table(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == "table":
            return True
        parent = parent.getparent()
    return False


def _norm(text: str) -> str:
    return re.sub(r"[\s^\[\]]", "", text)


def _clean_blocks(blocks: list[_Block]) -> tuple[list[_Block], int]:
    """Drop boilerplate blocks and related-article lists; attach captions to their tables."""
    out: list[_Block] = []
    dropped = 0
    skip_list = False
    for b in blocks:
        if b.kind == "table":
            skip_list = False
            if out and out[-1].kind in ("p", "head") and _CAPTION.match(out[-1].text) and len(out[-1].text) <= 150:
                b.caption = out.pop().text
            elif b.rows and sum(1 for c in b.rows[0] if c) == 1 and _CAPTION.match(b.rows[0][0]):
                b.caption = b.rows[0][0]
                b.rows = b.rows[1:]
            out.append(b)
            continue
        if _RELATED.match(b.text):
            skip_list = True
            dropped += 1
            continue
        if skip_list and b.kind == "item":
            dropped += 1
            continue
        skip_list = False
        if len(b.text) <= 80 and (_BOILERPLATE.search(b.text) or _WIDGET_LINE.match(b.text)):
            dropped += 1
            continue
        out.append(b)
    return out, dropped


# =============================================================================================
# Entry point


def load_html(data: bytes, path: str, doc_id: str) -> Document:
    """Read an HTML page's bytes into a `Document` of its main content."""
    import lxml.html
    import trafilatura

    text, encoding, warnings = decode_html(data, path)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise HtmlError("the page is empty", path)
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as exc:  # noqa: BLE001 - lxml raises ParserError and ValueError
        raise HtmlError(f"the page cannot be parsed as HTML ({exc})", path) from None
    meta = extract_meta(tree)
    dom = lxml.html.document_fromstring(text)  # an untouched copy for tables trafilatura loses
    _prepare(tree)
    options = dict(
        output_format="xml",
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        deduplicate=False,
        config=_config(),
    )
    xml = trafilatura.extract(tree, **options)
    if not xml:
        again = lxml.html.document_fromstring(text)
        _prepare(again)
        xml = trafilatura.extract(again, favor_recall=True, **options)
    blocks = _blocks_from_xml(xml) if xml else []
    _prepare(dom)
    restored = _restore_lost(blocks, dom) if blocks else 0
    blocks, dropped = _clean_blocks(blocks)
    content = sum(1 for b in blocks for ch in (b.text + "".join(c for r in b.rows for c in r)) if ch.isalnum())
    if content < MIN_CONTENT_CHARS:
        raise HtmlError(
            "no main content found: the page holds only navigation, scripts or boilerplate "
            "(if it is built by JavaScript, save it from the browser after it has loaded)",
            path,
        )
    pieces: list[str] = []
    tables: list[Table] = []
    pos = 0
    for i, b in enumerate(blocks):
        if i:
            pieces.append("\n\n")
            pos += 2
        if b.kind == "table":
            lines = ([b.caption] if b.caption else []) + ["  ".join(row) for row in b.rows]
            block_text = "\n".join(lines)
            tables.append(Table(rows=b.rows, start=pos, end=pos + len(block_text), caption=b.caption))
        else:
            block_text = b.text
        pieces.append(block_text)
        pos += len(block_text)
    body = "".join(pieces)
    if "doi" not in meta:
        m = _DOI.search(body[:3000])
        if m:
            meta["doi"] = m.group().rstrip(".,;)")
    meta["encoding"] = encoding
    meta["tables"] = len(tables)
    meta["dropped_blocks"] = dropped
    if restored:
        meta["restored_blocks"] = restored
    if warnings:
        meta["warnings"] = warnings
    return Document(id=doc_id, text=body, source=path, format="html", tables=tables, meta=meta)
