"""A self-contained HTML page for reviewing one document: its text with every mention
highlighted by label, and its study records as a table whose values link to their evidence.

``render_view`` is a pure function of the document, its mentions and its records; the page has
inline CSS only (no script, no font, nothing fetched), so it opens offline in any browser.
Each highlighted span is a ``<mark id="m-START-END">``; each record value is a link to
``#m-START-END`` of its evidence, with the value itself (JSON) in ``data-value``.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from .document import Document
from .mention import LABELS
from .summary import format_dose

#: colours per label (light backgrounds, dark borders), in the legend's order
COLOURS = {
    "DISEASE": ("#ffd6d6", "#c0392b"),
    "CELL_TYPE": ("#d6ecff", "#1f6fb2"),
    "CELL_SOURCE": ("#d9f7d9", "#2e8b3a"),
    "DONOR": ("#fff0c2", "#b7860b"),
    "ROUTE": ("#ead9ff", "#7446b8"),
    "DOSE": ("#ffe0c7", "#c8641a"),
    "N_PATIENTS": ("#c9f2ee", "#138a80"),
    "FOLLOW_UP": ("#f6d6ef", "#a8388f"),
    "OUTCOME": ("#e6efc2", "#6b7f12"),
    "ADVERSE_EVENT": ("#ffd0e0", "#b3164f"),
    "COUNT": ("#ececec", "#7a7a7a"),
    "OTHER": ("#e2e2f2", "#55557a"),
}

#: record field -> the label of its evidence
FIELD_LABELS = {
    "disease": "DISEASE",
    "cell_type": "CELL_TYPE",
    "cell_source": "CELL_SOURCE",
    "donor": "DONOR",
    "route": "ROUTE",
    "dose": "DOSE",
    "n_patients": "N_PATIENTS",
    "follow_up_months": "FOLLOW_UP",
    "outcomes": "OUTCOME",
    "adverse_events": "ADVERSE_EVENT",
}
_BASE_KEYS = ("doc_id", "source", "record_id", "scope", "study")
_EVIDENCE_KEYS = ("text", "start", "end", "page")


def anchor_id(start: int, end: int) -> str:
    """The element id of the highlighted span ``text[start:end]``."""
    return f"m-{start}-{end}"


def _esc(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _as_mention(m: Any) -> dict:
    if isinstance(m, dict):
        return m
    return {"label": m.label, "start": m.start, "end": m.end, "text": m.text, "value": m.value}


def _is_evidence(v: Any) -> bool:
    return isinstance(v, dict) and isinstance(v.get("start"), int) and isinstance(v.get("end"), int)


def _value_of(ev: dict) -> dict:
    return {k: v for k, v in ev.items() if k not in _EVIDENCE_KEYS}


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    return "" if value is None else str(value)


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _display(field: str, ev: dict) -> str:
    """What a record cell shows for one evidence object."""
    if field == "dose":
        d = format_dose(ev)
        if ev.get("times"):
            d += f" ×{ev['times']}"
        if ev.get("interval"):
            d += f" / {ev['interval']}"
        return d
    if field == "n_patients":
        return str(ev.get("value"))
    if field in ("follow_up_months", "age_years"):
        lo, hi = ev.get("low"), ev.get("high")
        if lo is None and hi is None:
            return "?"
        if lo is None:
            return f"≤{_num(hi)}"
        if hi is None:
            return f"≥{_num(lo)}"
        if lo == hi:
            return _num(lo)
        return f"{_num(lo)}–{_num(hi)}"
    if field == "outcomes":
        parts = [str(ev.get("measure") or "outcome")]
        if ev.get("value") is not None:
            parts.append(_num(ev["value"]) + (ev["unit"] if ev.get("unit") == "%" else ""))
        s = " ".join(parts)
        return ("not " + s) if ev.get("negated") else s
    if field == "adverse_events":
        return ("none: " if ev.get("negated") else "") + str(ev.get("text", ""))
    if field == "sex":
        return f"M {ev.get('male')} / F {ev.get('female')}"
    if "code" in ev:
        return str(ev["code"])
    return _short(_value_of(ev)) or str(ev.get("text", ""))


class _Span:
    __slots__ = ("start", "end", "label", "title", "order")

    def __init__(self, start: int, end: int, label: str, title: str, order: int):
        self.start, self.end, self.label, self.title, self.order = start, end, label, title, order


def _collect_spans(text: str, mentions: Iterable[Any], records: list[dict]) -> list[_Span]:
    """Mentions, plus record evidence that no mention covers exactly (e.g. a table cell)."""
    spans: list[_Span] = []
    seen: set[tuple[int, int, str]] = set()
    known: set[tuple[int, int]] = set()
    n = len(text)

    def add(start: int, end: int, label: str, title: str) -> None:
        if not (0 <= start < end <= n) or (start, end, label) in seen:
            return
        seen.add((start, end, label))
        known.add((start, end))
        spans.append(_Span(start, end, label, title, len(spans)))

    for m in mentions:
        d = _as_mention(m)
        label = str(d.get("label"))
        add(int(d["start"]), int(d["end"]), label, f"{label}: {_short(d.get('value'))}")
    for r in records:
        for field, v in r.items():
            if field in _BASE_KEYS:
                continue
            for ev in (v if isinstance(v, list) else [v]):
                if _is_evidence(ev) and (ev["start"], ev["end"]) not in known:
                    label = FIELD_LABELS.get(field, "OTHER")
                    add(ev["start"], ev["end"], label, f"{label} ({field}): {_short(_value_of(ev))}")
    return spans


def _render_text(text: str, spans: list[_Span], pages: list) -> str:
    """The text with properly nested <mark>s; a span that crosses another is split in pieces
    (the first piece carries the id)."""
    opens: dict[int, list[_Span]] = {}
    for s in spans:
        opens.setdefault(s.start, []).append(s)
    for lst in opens.values():
        lst.sort(key=lambda s: (-s.end, s.order))
    page_at: dict[int, list[int]] = {}
    for p in pages:
        page_at.setdefault(p.start, []).append(p.number)
    bounds = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans} | set(page_at))
    given: set[str] = set()
    out: list[str] = []
    stack: list[_Span] = []

    def open_tag(s: _Span, first: bool) -> str:
        aid = anchor_id(s.start, s.end)
        attrs = f' class="m l-{_esc(s.label)}{"" if first else " cont"}" data-label="{_esc(s.label)}" title="{_esc(s.title)}"'
        if first and aid not in given:
            given.add(aid)
            attrs = f' id="{aid}"' + attrs
        return f"<mark{attrs}>"

    pos = 0
    for b in bounds:
        out.append(html.escape(text[pos:b], quote=False))
        pos = b
        if any(s.end == b for s in stack):
            reopen = []
            while any(s.end == b for s in stack):
                s = stack.pop()
                out.append("</mark>")
                if s.end != b:
                    reopen.append(s)
            for s in reversed(reopen):
                out.append(open_tag(s, first=False))
                stack.append(s)
        for number in page_at.get(b, []):
            out.append(f'<span class="page" id="page-{number}" data-page="{number}"></span>')
        for s in opens.get(b, []):
            out.append(open_tag(s, first=True))
            stack.append(s)
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _link(field: str, ev: dict, n_text: int) -> str:
    label = FIELD_LABELS.get(field, "OTHER")
    shown = _esc(_display(field, ev))
    value = _esc(json.dumps(_value_of(ev), ensure_ascii=False, sort_keys=True))
    where = f"{ev.get('text', '')}" + (f" (p. {ev['page']})" if ev.get("page") else "")
    if 0 <= ev["start"] < ev["end"] <= n_text:
        return (f'<a class="ev l-{label}" href="#{anchor_id(ev["start"], ev["end"])}" title="{_esc(where)}" '
                f'data-field="{_esc(field)}" data-value="{value}">{shown}</a>')
    return f'<span class="ev nolink" title="{_esc(where)} (outside the text)" data-field="{_esc(field)}" data-value="{value}">{shown}</span>'


def _cell(field: str, v: Any, n_text: int) -> str:
    if v is None or v == [] or v == {}:
        return ""
    items = v if isinstance(v, list) else [v]
    parts = []
    for it in items:
        if _is_evidence(it):
            parts.append(_link(field, it, n_text))
        elif field == "disease_counts" and isinstance(it, dict) and "codes" in it:
            parts.append(f'<span class="plain">{_esc("/".join(map(str, it["codes"])))} {_esc(it.get("n"))}</span>')
        elif isinstance(it, dict):
            parts.append(f'<span class="plain">{_esc("; ".join(f"{k} {x}" for k, x in it.items()))}</span>')
        else:
            parts.append(f'<span class="plain">{_esc(it)}</span>')
    return "<br>".join(parts)


def _records_table(records: list[dict], n_text: int) -> str:
    if not records:
        return '<p class="none">No records.</p>'
    fields = list(FIELD_LABELS)
    extra: list[str] = []
    for r in records:
        for k in r:
            if k not in _BASE_KEYS and k not in FIELD_LABELS and k not in extra:
                extra.append(k)
    head = ["record", "study"] + fields + extra
    rows = ["<thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for r in records:
        study = r.get("study") or {}
        who = " ".join(_esc(x) for x in (study.get("label"), study.get("citation"), study.get("year")) if x is not None)
        rid = _esc(r.get("record_id"))
        cells = [f'<td class="rid" id="r-{rid}">{rid}<br><span class="scope">{_esc(r.get("scope"))}</span></td>', f"<td>{who}</td>"]
        cells += [f"<td>{_cell(f, r.get(f), n_text)}</td>" for f in fields + extra]
        rows.append(f'<tr class="scope-{_esc(r.get("scope"))}">' + "".join(cells) + "</tr>")
    rows.append("</tbody>")
    return '<div class="tablewrap"><table class="records">' + "".join(rows) + "</table></div>"


_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#222;background:#fafafa}
header{padding:12px 20px;background:#2d3e50;color:#fff}
header h1{margin:0;font-size:18px}
header p{margin:2px 0 0;font-size:13px;opacity:.85}
main{padding:0 20px 40px}
h2{font-size:16px;margin:18px 0 6px}
input.tog{position:absolute;opacity:0;pointer-events:none}
.legend{position:sticky;top:0;z-index:5;background:#fafafa;padding:8px 0;border-bottom:1px solid #ddd;display:flex;flex-wrap:wrap;gap:6px}
.legend label{cursor:pointer;user-select:none;padding:1px 8px;border-radius:3px;border:1px solid;font-size:13px}
.tablewrap{max-height:45vh;overflow:auto;border:1px solid #ddd;background:#fff}
table.records{border-collapse:collapse;font-size:13px;min-width:100%}
table.records th{position:sticky;top:0;background:#eef1f4;text-align:left;padding:4px 6px;border-bottom:1px solid #ccc;white-space:nowrap}
table.records td{padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
tr.scope-document{background:#f5f3ea}
.scope{color:#777;font-size:11px}
a.ev{text-decoration:none;border-bottom:2px solid;padding:0 2px;border-radius:2px;white-space:nowrap;color:inherit}
a.ev:hover{filter:brightness(.92)}
.nolink{color:#999}
.text{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #ddd;padding:14px 18px;margin:0;font:inherit}
mark.m{color:inherit;border-bottom:2px solid;padding:0 1px;scroll-margin-top:60px}
mark.m:target{outline:3px solid #e67e22;outline-offset:1px;animation:flash 1.2s ease-out 2}
@keyframes flash{50%{outline-color:transparent}}
.page{display:block;border-top:1px dashed #999;margin:8px 0;color:#777;font-size:12px}
.page::before{content:"page " attr(data-page)}
"""


def _unassigned_list(records: list[dict], n_text: int) -> str:
    """The facts found and placed in no study, each linked to its evidence, with the reason."""
    items = [u for r in records if r.get("scope") == "document" for u in r.get("unassigned") or ()]
    article = next((r.get("article") for r in records if r.get("scope") == "document" and r.get("article")), None)
    head = (f'<p class="article">The article: {_esc(article.get("kind"))} ({_esc(article.get("reason"))})</p>\n'
            if article else "")
    if not items:
        return head + '<p class="none">Every fact found is in a record.</p>'
    def link(u: dict) -> str:  # class "ua", not "ev": these are no record's values
        label = FIELD_LABELS.get(u["field"], "OTHER")
        shown = f"{_esc(u['field'])}: {_esc(_display(u['field'], u))}"
        if 0 <= u["start"] < u["end"] <= n_text:
            return f'<a class="ua l-{label}" href="#{anchor_id(u["start"], u["end"])}" title="{_esc(u.get("text"))}">{shown}</a>'
        return f'<span class="ua">{shown}</span>'

    rows = "".join(f"<li>{link(u)} <span class=\"why\">{_esc(u.get('reason'))}</span></li>\n" for u in items)
    return head + f"<ul class=\"unassigned\">\n{rows}</ul>"


def _label_css(labels: list[str]) -> str:
    out = []
    for lab in labels:
        bg, fg = COLOURS.get(lab, COLOURS["OTHER"])
        out.append(f".l-{lab}{{background:{bg};border-color:{fg}}}")
        out.append(f"#t-{lab}:not(:checked)~.doc mark.l-{lab}{{background:transparent;border-color:transparent}}")
        out.append(f"#t-{lab}:not(:checked)~.legend label[for=t-{lab}]{{opacity:.4;text-decoration:line-through}}")
    return "\n".join(out)


def render_view(document: Document, mentions: Iterable[Any], records: list[dict]) -> str:
    """The HTML page (a str) for one document, its mentions (``Mention`` objects or their dicts)
    and its records (dicts in the output contract)."""
    text = document.text
    mentions = list(mentions)
    records = list(records)
    spans = _collect_spans(text, mentions, records)
    counts = Counter(s.label for s in spans)
    labels = [lab for lab in LABELS if lab in counts] + sorted(lab for lab in counts if lab not in LABELS)
    title = f"mscmine: {document.name}"
    scopes = Counter(r.get("scope") for r in records)
    facts = (f"{_esc(document.source or document.id)} · {len(text)} characters"
             + (f" · {len(document.pages)} pages" if document.pages else "")
             + f" · {len(mentions)} mentions · {len(records)} records ("
             + ", ".join(f"{_esc(k)} {v}" for k, v in sorted(scopes.items(), key=lambda kv: str(kv[0]))) + ")")
    toggles = "".join(f'<input type="checkbox" class="tog" id="t-{_esc(lab)}" checked>' for lab in labels)
    legend = "".join(f'<label for="t-{_esc(lab)}" class="l-{_esc(lab)}">{_esc(lab)} {counts[lab]}</label>' for lab in labels)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta name="generator" content="mscmine">\n<title>{_esc(title)}</title>\n',
        f"<style>{_CSS}\n{_label_css(labels)}\n</style>\n</head>\n<body>\n",
        f"<header><h1>{_esc(document.name)}</h1><p>{facts}</p></header>\n<main>\n",
        toggles,
        f'\n<nav class="legend" aria-label="labels: click to hide or show">{legend}</nav>\n',
        '<section class="recs"><h2>Records</h2>\n',
        _records_table(records, len(text)),
        "\n</section>\n",
        '<section class="unassigned"><h2>Found, in no study</h2>\n',
        _unassigned_list(records, len(text)),
        "\n</section>\n",
        '<section class="doc"><h2>Text</h2>\n<pre class="text">',
        _render_text(text, spans, document.pages),
        "</pre>\n</section>\n</main>\n</body>\n</html>\n",
    ])


def view_html(input_path: str | os.PathLike) -> str:
    """Load and extract one file and return its page (errors: ``MscmineError``)."""
    from .core import extract_file

    extraction = extract_file(input_path)
    return render_view(extraction.doc, extraction.analysis.mentions, extraction.record_dicts())


def write_view(input_path: str | os.PathLike, out_path: str | os.PathLike) -> Path:
    """Write the page of ``input_path`` to ``out_path`` (atomically: a temporary file, renamed)."""
    from .errors import MscmineError
    from .writers import atomic_write

    out = Path(out_path)
    if out.is_dir():
        raise MscmineError("is a folder; give a file name such as view.html", str(out))
    page = view_html(input_path)
    return atomic_write(out, lambda tmp: tmp.write_text(page, encoding="utf-8"))
