"""The ``mscmine eval --report x.html`` report: one self-contained HTML page.

Per split a table of P/R/F1 per label (strict, overlap, value match) and the record scores, then
every false positive and false negative of the value match in its context, the span
highlighted and the normalised value shown. The page has inline CSS only (no script, no web
font, no CDN) and every piece of document text is HTML-escaped.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .scorer import SCORED_LABELS

#: characters of context shown on each side of an error
CONTEXT = 40

_CSS = """
body { font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
tr.avg td { font-weight: bold; background: #fafafa; }
td.low { background: #fde0dc; }
.err { margin: 0.4em 0; padding: 0.4em 0.6em; border-left: 4px solid #999; background: #fbfbfb; }
.err.FP { border-color: #d9534f; } .err.FN { border-color: #337ab7; }
.kind { font-weight: bold; display: inline-block; width: 2.2em; }
.FP .kind { color: #d9534f; } .FN .kind { color: #337ab7; }
.ctx { white-space: pre-wrap; font-family: ui-monospace, monospace; background: #fff; padding: 0.2em 0.4em; display: block; margin-top: 0.2em; }
mark { background: #ffe066; padding: 0 1px; }
.FN mark { background: #b6dcff; }
code { background: #f3f3f3; padding: 0 0.3em; }
.note { color: #666; font-size: 0.9em; }
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _value(v: Any) -> str:
    return _e(json.dumps(v, ensure_ascii=False))


def _score_table(res: dict) -> list[str]:
    out = ['<table>', '<thead><tr><th>label</th><th>support</th><th>predicted</th><th>strict F1</th>'
           '<th>overlap F1</th><th>value P</th><th>value R</th><th>value F1</th></tr></thead>', '<tbody>']
    for label in SCORED_LABELS:
        s, o, v = (res[m]["per_label"][label] for m in ("strict", "overlap", "value"))
        if not v["support"] and not v["pred"]:
            continue
        low = ' class="low"' if v["f1"] < 0.5 else ""
        out.append(f'<tr><td>{_e(label)}</td><td>{v["support"]}</td><td>{v["pred"]}</td><td>{s["f1"]:.3f}</td>'
                   f'<td>{o["f1"]:.3f}</td><td>{v["precision"]:.3f}</td><td>{v["recall"]:.3f}</td><td{low}>{v["f1"]:.3f}</td></tr>')
    for avg in ("micro", "macro"):
        s, o, v = (res[m][avg] for m in ("strict", "overlap", "value"))
        support = v.get("support", "")
        pred = v.get("pred", "")
        out.append(f'<tr class="avg"><td>{avg}</td><td>{support}</td><td>{pred}</td><td>{s["f1"]:.3f}</td><td>{o["f1"]:.3f}</td>'
                   f'<td>{v["precision"]:.3f}</td><td>{v["recall"]:.3f}</td><td>{v["f1"]:.3f}</td></tr>')
    out += ["</tbody>", "</table>"]
    return out


def _records(rec: dict) -> list[str]:
    fields = ", ".join(f"{_e(k)} {v:.2f}" for k, v in rec["field_accuracy"].items())
    return [f'<p>Records: {rec["matched"]} of {rec["gold_records"]} gold study records matched '
            f'({rec["predicted_records"]} predicted; F1 {rec["record_match"]["f1"]:.3f}). Field accuracy: {fields}.</p>']


def _context(text: str | None, m: dict) -> str:
    """Escaped context with the span in ``<mark>``; the mention's own text when the document is unknown."""
    start, end = m["start"], m["end"]
    if not text:
        return f'<mark>{_e(m.get("text", ""))}</mark>'
    left = text[max(0, start - CONTEXT) : start]
    right = text[end : end + CONTEXT]
    return (("…" if start > CONTEXT else "") + _e(left) + f"<mark>{_e(text[start:end])}</mark>" + _e(right)
            + ("…" if end + CONTEXT < len(text) else ""))


def _errors(errors: list, texts: dict[str, str]) -> list[str]:
    if not errors:
        return ["<p>No false positives or false negatives.</p>"]
    out = []
    by_doc: dict[str, list] = {}
    for kind, doc_id, m in errors:
        by_doc.setdefault(doc_id, []).append((kind, m))
    for doc_id in sorted(by_doc):
        items = sorted(by_doc[doc_id], key=lambda e: (e[1]["start"], e[1]["end"], e[1]["label"], e[0]))
        n_fp = sum(k == "FP" for k, _ in items)
        out.append(f'<h3 id="{_e(doc_id)}">{_e(doc_id)}: {n_fp} FP, {len(items) - n_fp} FN</h3>')
        text = texts.get(doc_id)
        for kind, m in items:
            # a value mismatch shows as an FP and an FN on overlapping spans: name the other value
            other = [o for k, o in items if k != kind and o["label"] == m["label"]
                     and o["start"] < m["end"] and m["start"] < o["end"]]
            hint = ""
            if other:
                who = "gold" if kind == "FP" else "predicted"
                hint = " · " + "; ".join(f'{who} {o["start"]}–{o["end"]}: <code>{_value(o.get("value"))}</code>' for o in other)
            out.append(
                f'<div class="err {kind}"><span class="kind">{kind}</span> <b>{_e(m["label"])}</b> '
                f'{m["start"]}–{m["end"]} <code>{_value(m.get("value"))}</code>{hint}'
                f'<span class="ctx">{_context(text, m)}</span></div>')
    return out


def render_html_report(report: dict[str, Any], title: str = "mscmine eval") -> str:
    """The report as one HTML document (a string)."""
    texts = report.get("texts", {})
    splits = [(name, res) for name, res in report["splits"].items() if name != "all"]
    out = ["<!DOCTYPE html>", '<html lang="zh">', "<head>", '<meta charset="utf-8">',
           f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{_e(title)}</h1>",
           '<p class="note">Value match: same label, overlapping spans, equal normalised value (one-to-one). '
           "Errors: FP = predicted, not in the gold; FN = gold, not predicted. "
           + ("" if texts else "Document texts were not available (predictions read from a file): spans are shown without context. ")
           + "</p>"]
    if splits:
        out.append("<ul>" + "".join(f'<li><a href="#split-{_e(n)}">{_e(n)}</a></li>' for n, _ in splits) + "</ul>")
    for name, res in splits:
        errors = res["value"]["errors"]
        out.append(f'<h2 id="split-{_e(name)}">{_e(name)} ({_e(", ".join(res.get("documents", [])))})</h2>')
        out += _score_table(res)
        if "records" in res:
            out += _records(res["records"])
        n_fp = sum(e[0] == "FP" for e in errors)
        hidden = report.get("hidden_errors", {}).get(name)
        if hidden:
            from .scorer import HIDDEN_NOTE

            out.append(f'<h3>Errors in {_e(name)}: {hidden} {_e(HIDDEN_NOTE)}</h3>')
        else:
            out.append(f"<h3>Errors in {_e(name)}: {n_fp} false positives, {len(errors) - n_fp} false negatives</h3>")
        out += _errors(errors, texts)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def write_html_report(report: dict[str, Any], path: str | Path) -> None:
    """Write :func:`render_html_report` to `path` (UTF-8), creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html_report(report), encoding="utf-8")
