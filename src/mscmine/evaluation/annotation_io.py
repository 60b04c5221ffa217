"""Annotation round trip: gold or predicted entities to Label Studio and brat, and back to gold.

Annotators correct spans in a real tool; these pure functions move the entities between the gold
format of ``annotations/README.md`` and

* **Label Studio** (JSON task list): one task per document, ``data`` = ``{"text", "doc_id",
  "split", "source", "records"}``; each entity is a ``labels`` region (``from_name`` "label",
  ``to_name`` "text") plus a per-region ``textarea`` result (``from_name`` "value") with the same
  region ``id`` holding the normalised value as JSON. :func:`labelstudio_config` gives the
  labelling configuration.
* **brat standoff**: ``<doc_id>.txt`` (the text exactly, UTF-8, no newline translation),
  ``<doc_id>.ann`` with ``T`` lines and the value as ``#n AnnotatorNotes Tn <json>``, a
  ``<doc_id>.meta.json`` sidecar (split, source, records; brat ignores it) and
  ``annotation.conf``.

Offsets. mscmine counts Python code points. Current Label Studio stores code points too (its
front end stored JavaScript UTF-16 units until a 2022 fix: an astral character such as an emoji
or a CJK Extension B ideograph counted 2). Export writes code points unless ``offsets="utf16"``
is asked for (old Label Studio). Import checks every region's offsets against its stored text:
code points first, UTF-16 units second, so exports of either kind come back right.

Discontinuous brat spans. brat cannot keep a line break inside a text-bound annotation's text,
so a gold span crossing a line break ("系统性红\\n\\n斑狼疮") is exported as fragments split at
the line breaks (``T1\\tDISEASE 10 14;16 19\\t系统性红 斑狼疮``). On import, fragments separated
only by white space are joined into their hull (the same span again); fragments with other text
between them are refused with an error naming the file and the annotation, because the gold format
has contiguous spans only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from ..errors import MscmineError
from ..mention import LABELS

#: labels whose value is a vocabulary code; label → vocabulary category
TERM_CATEGORY = {
    "DISEASE": "disease",
    "CELL_TYPE": "cell_type",
    "CELL_SOURCE": "cell_source",
    "DONOR": "donor",
    "ROUTE": "route",
}
#: labels whose value is a JSON object
OBJECT_LABELS = tuple(label for label in LABELS if label not in TERM_CATEGORY)

#: background colours for the Label Studio configuration (one per label, in LABELS order)
_COLOURS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
            "#46a0a0", "#c0a000", "#9a6324", "#800000", "#808000")

OFFSET_KINDS = ("codepoint", "utf16")


class AnnotationImportError(MscmineError):
    """An exported annotation file cannot become gold: the message names the file and entity."""


@dataclass
class ImportResult:
    """Gold documents read back from a tool, and what was skipped on the way."""

    documents: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# offsets


def to_utf16(text: str, index: int) -> int:
    """UTF-16 code-unit offset of code-point offset `index` in `text`."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def from_utf16(text: str, unit: int) -> int | None:
    """Code-point offset of UTF-16 offset `unit`, or None when it falls inside a surrogate pair
    or past the end."""
    units = 0
    for i, ch in enumerate(text):
        if units == unit:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > unit:
            return None
    return len(text) if units == unit else None


def resolve_offsets(text: str, start: int, end: int, expected: str | None, offsets: str = "auto") -> tuple[int, int] | None:
    """Code-point (start, end) of a span a tool reported, or None when nothing fits.

    ``offsets``: "codepoint", "utf16" or "auto" (code points when they give `expected`, else
    UTF-16 units when those do; code points when `expected` is unknown).
    """
    def fits(a: int | None, b: int | None) -> bool:
        return a is not None and b is not None and 0 <= a < b <= len(text) and (expected is None or text[a:b] == expected)

    if offsets in ("auto", "codepoint") and fits(start, end):
        return start, end
    if offsets == "utf16" or (offsets == "auto" and expected is not None):
        a, b = from_utf16(text, start), from_utf16(text, end)
        if fits(a, b):
            return a, b
    return None


# --------------------------------------------------------------------------------------------
# documents in and out of the gold format


def gold_json(doc: dict) -> str:
    """A gold document serialised as the files in ``annotations/gold`` are."""
    return json.dumps(doc, ensure_ascii=False, indent=1)


def read_text_exactly(path: str | Path) -> str:
    """A text file decoded as UTF-8 with no newline translation (what brat and the tools see)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def load_gold_document(path: str | Path, root: str | Path = ".") -> tuple[dict, str]:
    """A gold file and the text its offsets index (`source`, relative to `root`)."""
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    text = (Path(root) / gold["source"]).read_text(encoding="utf-8")
    return gold, text


def predicted_document(path: str | Path, split: str = "dev", source: str | None = None) -> tuple[dict, str]:
    """Run the extractor on one file; a gold-shaped document with the predicted entities.

    Records stay empty (predicted records have another shape); only the labels of the gold
    format are kept (no COUNT).
    """
    from ..core import extract_file

    extraction = extract_file(path)
    text = extraction.doc.text
    entities = [
        {"label": m.label, "start": m.start, "end": m.end, "text": m.text, "value": m.value}
        for m in extraction.analysis.mentions
        if m.label in LABELS
    ]
    gold = {
        "doc_id": Path(path).stem,
        "split": split,
        "source": source if source is not None else str(path),
        "entities": sort_and_number(entities),
        "records": [],
    }
    return gold, text


def sort_and_number(entities: list[dict]) -> list[dict]:
    """Entities sorted by start, label, end, with ids T1..Tn and the gold key order."""
    ordered = sorted(entities, key=lambda e: (e["start"], e["label"], e["end"]))
    return [
        {"id": f"T{i}", "label": e["label"], "start": e["start"], "end": e["end"], "text": e["text"], "value": e["value"]}
        for i, e in enumerate(ordered, 1)
    ]


def _known_codes() -> dict[str, set[str]]:
    from ..lexicon import load_codes

    out: dict[str, set[str]] = {}
    for category, code in load_codes():
        out.setdefault(category, set()).add(code)
    return out


def parse_value(label: str, raw: str | None, where: str) -> Any:
    """The normalised value typed in a tool: JSON; for a term label a bare code is accepted."""
    if raw is None or not raw.strip():
        return None
    raw = raw.strip()
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        if label in TERM_CATEGORY:
            return raw
        raise AnnotationImportError(f"{where}: the value of a {label} must be a JSON object, got {raw!r}") from None
    return value


def check_entities(entities: list[dict], text: str, where: str, *, allow_missing_values: bool = False) -> list[dict]:
    """Validate imported entities against the text and the vocabulary; sorted, numbered, deduplicated.

    `where` names the file; each error also names the entity (tool id, label, offsets, text).
    """
    codes = _known_codes()
    seen: dict[tuple[str, int, int], dict] = {}
    for e in entities:
        name = f"{where}: {e.get('tool_id', '?')} {e['label']} {e['start']}-{e['end']} {e['text']!r}"
        if e["label"] not in LABELS:
            raise AnnotationImportError(f"{name}: unknown label (expected one of {', '.join(LABELS)})")
        if not (0 <= e["start"] < e["end"] <= len(text)):
            raise AnnotationImportError(f"{name}: offsets outside the text (length {len(text)})")
        if text[e["start"] : e["end"]] != e["text"]:
            raise AnnotationImportError(f"{name}: text[{e['start']}:{e['end']}] is {text[e['start']:e['end']]!r}, not the span text")
        value = e["value"]
        if value is None and not allow_missing_values:
            raise AnnotationImportError(f"{name}: no value (type it as JSON, e.g. \"SLE\" or {{\"value\": 12, \"role\": \"total\"}})")
        if value is not None and e["label"] in TERM_CATEGORY:
            category = TERM_CATEGORY[e["label"]]
            if not isinstance(value, str) or value not in codes.get(category, set()):
                raise AnnotationImportError(f"{name}: {value!r} is not a {category} code of the vocabulary")
        if value is not None and e["label"] in OBJECT_LABELS and not isinstance(value, dict):
            raise AnnotationImportError(f"{name}: the value of a {e['label']} must be a JSON object, got {value!r}")
        key = (e["label"], e["start"], e["end"])
        if key in seen:
            if seen[key]["value"] != value:
                raise AnnotationImportError(f"{name}: annotated twice with different values ({seen[key]['value']!r} and {value!r})")
            continue
        seen[key] = e
    return sort_and_number(list(seen.values()))


def _document(meta: dict, doc_id: str, entities: list[dict], split: str | None) -> dict:
    return {
        "doc_id": doc_id,
        "split": split or meta.get("split") or "dev",
        "source": meta.get("source") or f"corpus/seeds/{doc_id}.txt",
        "entities": entities,
        "records": meta.get("records") or [],
    }


# --------------------------------------------------------------------------------------------
# Label Studio


def labelstudio_config(labels: Iterable[str] = LABELS) -> str:
    """The labelling configuration (XML) for the tasks :func:`to_labelstudio` writes."""
    lines = [
        "<View>",
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
        '  <Labels name="label" toName="text" choice="single">',
    ]
    for i, label in enumerate(labels):
        lines.append(f'    <Label value="{label}" background="{_COLOURS[i % len(_COLOURS)]}"/>')
    lines += [
        "  </Labels>",
        '  <Text name="text" value="$text"/>',
        '  <TextArea name="value" toName="text" perRegion="true" editable="true" rows="1"',
        '            displayMode="region-list" placeholder="value as JSON: &quot;SLE&quot; or {&quot;low&quot;: 1000000, ...}"/>',
        "</View>",
        "",
    ]
    return "\n".join(lines)


def to_labelstudio(docs: Iterable[tuple[dict, str]], *, kind: str = "predictions", offsets: str = "codepoint",
                   model_version: str = "mscmine") -> list[dict]:
    """A Label Studio task list: one task per (gold-shaped document, text).

    `kind`: "predictions" (pre-annotations to correct) or "annotations" (imported as finished
    annotations). `offsets`: "codepoint" (current Label Studio) or "utf16" (versions before 2022).
    """
    if kind not in ("predictions", "annotations"):
        raise ValueError(f"kind must be 'predictions' or 'annotations', not {kind!r}")
    if offsets not in OFFSET_KINDS:
        raise ValueError(f"offsets must be one of {OFFSET_KINDS}, not {offsets!r}")
    tasks = []
    for doc, text in docs:
        result = []
        for n, e in enumerate(doc["entities"], 1):
            start, end = e["start"], e["end"]
            if offsets == "utf16":
                start, end = to_utf16(text, start), to_utf16(text, end)
            region_id = e.get("id") or f"T{n}"
            span = {"start": start, "end": end}
            result.append({"id": region_id, "from_name": "label", "to_name": "text", "type": "labels",
                           "value": {**span, "text": e["text"], "labels": [e["label"]]}})
            result.append({"id": region_id, "from_name": "value", "to_name": "text", "type": "textarea",
                           "value": {**span, "text": [json.dumps(e["value"], ensure_ascii=False)]}})
        block: dict[str, Any] = {"result": result}
        if kind == "predictions":
            block["model_version"] = model_version
        tasks.append({
            "data": {"text": text, "doc_id": doc["doc_id"], "split": doc.get("split"), "source": doc.get("source"),
                     "records": doc.get("records") or []},
            kind: [block],
        })
    return tasks


def _timestamp(block: dict) -> float:
    """Seconds since the epoch of ``updated_at`` (else ``created_at``); -inf when neither parses."""
    for key in ("updated_at", "created_at"):
        raw = block.get(key)
        if isinstance(raw, str):
            try:
                return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return float("-inf")


def latest_annotation(task: dict) -> dict | None:
    """The most recent annotation of a task that was not cancelled (skipped), or None.

    Most recent: the latest ``updated_at`` (else ``created_at``); ties and missing times fall
    back to the larger numeric id, then to the later position in the list.
    """
    candidates = [(i, a) for i, a in enumerate(task.get("annotations") or []) if not a.get("was_cancelled")]
    if not candidates:
        return None

    def key(item):
        i, a = item
        ident = a.get("id")
        number = int(ident) if isinstance(ident, int) or (isinstance(ident, str) and ident.isdigit()) else -1
        return (_timestamp(a), number, i)

    return max(candidates, key=key)[1]


def _textarea_text(value: dict) -> str | None:
    raw = value.get("text")
    if isinstance(raw, list):
        filled = [t for t in raw if isinstance(t, str) and t.strip()]
        return filled[-1] if filled else None
    return raw if isinstance(raw, str) else None


def entities_from_labelstudio_result(result: list[dict], text: str, where: str, offsets: str = "auto") -> list[dict]:
    """Gold-shaped entities (unchecked) from one annotation's ``result`` list."""
    values: dict[str, str | None] = {}
    regions = []
    for r in result:
        if r.get("type") == "textarea" and r.get("from_name") == "value":
            values[str(r.get("id"))] = _textarea_text(r.get("value") or {})
        elif r.get("type") == "labels":
            regions.append(r)
    entities = []
    for r in regions:
        v = r.get("value") or {}
        rid = str(r.get("id"))
        labels = v.get("labels") or []
        name = f"{where}: region {rid} {labels} {v.get('start')}-{v.get('end')} {v.get('text')!r}"
        if len(labels) != 1:
            raise AnnotationImportError(f"{name}: a region needs exactly one label")
        if not isinstance(v.get("start"), int) or not isinstance(v.get("end"), int):
            raise AnnotationImportError(f"{name}: start and end must be integers")
        span = resolve_offsets(text, v["start"], v["end"], v.get("text"), offsets)
        if span is None:
            raise AnnotationImportError(
                f"{name}: the offsets do not give the region text, as code points nor as UTF-16 units "
                f"(text[{v['start']}:{v['end']}] is {text[v['start']:v['end']]!r})")
        start, end = span
        entities.append({"tool_id": rid, "label": labels[0], "start": start, "end": end, "text": text[start:end],
                         "value": parse_value(labels[0], values.get(rid), name)})
    return entities


def from_labelstudio(tasks: list[dict], *, where: str = "Label Studio export", offsets: str = "auto",
                     use_predictions: bool = False, split: str | None = None,
                     allow_missing_values: bool = False) -> ImportResult:
    """Gold documents from a Label Studio JSON export (a task list).

    Per task the most recent non-cancelled annotation is taken (:func:`latest_annotation`); a
    task without one is skipped with a warning, or, with `use_predictions`, its last prediction
    is taken instead (to check an export of predictions round-trips).
    """
    if not isinstance(tasks, list):
        raise AnnotationImportError(f"{where}: expected a JSON list of tasks (Label Studio's JSON export)")
    out = ImportResult()
    for n, task in enumerate(tasks, 1):
        data = task.get("data") or {}
        text = data.get("text")
        doc_id = data.get("doc_id") or f"task{task.get('id', n)}"
        task_where = f"{where}: task {task.get('id', n)} ({doc_id})"
        if not isinstance(text, str):
            raise AnnotationImportError(f"{task_where}: data.text is missing")
        block = latest_annotation(task)
        if block is None and use_predictions and task.get("predictions"):
            block = task["predictions"][-1]
        if block is None:
            out.warnings.append(f"{task_where}: no annotation that was not cancelled; skipped")
            continue
        raw = entities_from_labelstudio_result(block.get("result") or [], text, task_where, offsets)
        entities = check_entities(raw, text, task_where, allow_missing_values=allow_missing_values)
        if doc_id in out.texts:
            raise AnnotationImportError(f"{task_where}: document {doc_id} appears in two tasks")
        out.documents.append(_document(data, doc_id, entities, split))
        out.texts[doc_id] = text
    return out


# --------------------------------------------------------------------------------------------
# brat standoff


def brat_conf(labels: Iterable[str] = LABELS) -> str:
    """``annotation.conf``: the entity types, and overlaps of any kind allowed (nested OUTCOMEs)."""
    return "\n".join([
        "# mscmine entity labels (annotations/GUIDELINES.md); values go in the annotator notes as JSON",
        "[entities]",
        *labels,
        "",
        "[relations]",
        "# gold spans may nest and overlap",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        "",
    ])


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span split at line breaks, white space at the cut trimmed (brat's text field is one line)."""
    frags = []
    i = start
    while i < end:
        j = i
        while j < end and text[j] not in "\r\n":
            j += 1
        a, b = i, j
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            frags.append((a, b))
        i = j + 1
    return frags or [(start, end)]


def to_brat(doc: dict, text: str) -> str:
    """The ``.ann`` content of one document (the ``.txt`` is `text` itself)."""
    lines = []
    for n, e in enumerate(doc["entities"], 1):
        frags = _fragments(text, e["start"], e["end"])
        span = ";".join(f"{a} {b}" for a, b in frags)
        surface = " ".join(text[a:b] for a, b in frags)
        lines.append(f"T{n}\t{e['label']} {span}\t{surface}")
        lines.append(f"#{n}\tAnnotatorNotes T{n}\t{json.dumps(e['value'], ensure_ascii=False)}")
    return "".join(line + "\n" for line in lines)


def write_brat(docs: Iterable[tuple[dict, str]], folder: str | Path) -> list[Path]:
    """``<doc_id>.txt``, ``.ann`` and ``.meta.json`` per document, and ``annotation.conf``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc, text in docs:
        base = folder / doc["doc_id"]
        with open(base.with_suffix(".txt"), "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with open(base.with_suffix(".ann"), "w", encoding="utf-8", newline="") as fh:
            fh.write(to_brat(doc, text))
        meta = {"doc_id": doc["doc_id"], "split": doc.get("split"), "source": doc.get("source"),
                "records": doc.get("records") or []}
        Path(str(base) + ".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(base.with_suffix(".ann"))
    (folder / "annotation.conf").write_text(brat_conf(), encoding="utf-8")
    return written


def entities_from_brat(ann: str, text: str, where: str, offsets: str = "auto") -> list[dict]:
    """Gold-shaped entities (unchecked) from the content of an ``.ann`` file."""
    spans: dict[str, dict] = {}
    notes: dict[str, str] = {}
    for lineno, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T"):
            if len(fields) < 3:
                raise AnnotationImportError(f"{where}: line {lineno}: a T line needs three tab-separated fields: {line!r}")
            label, _, locs = fields[1].partition(" ")
            surface = "\t".join(fields[2:])
            name = f"{where}: {ident} {label} {locs} {surface!r}"
            try:
                frags = [tuple(int(x) for x in part.split()) for part in locs.split(";")]
                if any(len(f) != 2 for f in frags):
                    raise ValueError
            except ValueError:
                raise AnnotationImportError(f"{name}: offsets must be 'start end' or 'start end;start end'") from None
            spans[ident] = {"label": label, "frags": frags, "surface": surface, "name": name}
        elif ident.startswith("#") and len(fields) >= 3:
            kind, _, target = fields[1].partition(" ")
            if kind == "AnnotatorNotes":
                notes[target.strip()] = "\t".join(fields[2:])
        # relations (R), events (E), attributes (A/M), normalisations (N): not part of the gold format
    entities = []
    for ident, s in spans.items():
        frags = []
        for a, b in s["frags"]:
            frag = resolve_offsets(text, a, b, None, "codepoint" if offsets == "auto" else offsets)
            if frag is None:
                raise AnnotationImportError(f"{s['name']}: fragment {a}-{b} lies outside the text (length {len(text)})")
            frags.append(frag)
        if offsets == "auto" and " ".join(text[a:b] for a, b in frags) != s["surface"]:
            alt = [resolve_offsets(text, a, b, None, "utf16") for a, b in s["frags"]]
            if all(alt) and " ".join(text[a:b] for a, b in alt) == s["surface"]:
                frags = alt
        joined = " ".join(text[a:b] for a, b in frags)
        if joined != s["surface"]:
            raise AnnotationImportError(f"{s['name']}: the offsets give {joined!r}, not the annotation text")
        frags.sort()
        for (a1, b1), (a2, b2) in zip(frags, frags[1:]):
            if text[b1:a2].strip():
                raise AnnotationImportError(
                    f"{s['name']}: a discontinuous span with {text[b1:a2]!r} between its fragments; the gold format "
                    f"has contiguous spans only: annotate one span (or several)")
        start, end = frags[0][0], max(b for _, b in frags)
        entities.append({"tool_id": ident, "label": s["label"], "start": start, "end": end, "text": text[start:end],
                         "value": parse_value(s["label"], notes.get(ident), s["name"])})
    return entities


def read_brat(folder: str | Path, *, offsets: str = "auto", split: str | None = None,
              allow_missing_values: bool = False) -> ImportResult:
    """Gold documents from a brat folder: every ``<doc_id>.ann`` with its ``.txt`` (and the
    optional ``.meta.json`` written by :func:`write_brat`)."""
    folder = Path(folder)
    out = ImportResult()
    anns = sorted(folder.glob("*.ann"))
    if not anns:
        raise AnnotationImportError(f"{folder}: no .ann files")
    for ann_path in anns:
        txt_path = ann_path.with_suffix(".txt")
        if not txt_path.exists():
            raise AnnotationImportError(f"{ann_path}: no {txt_path.name} next to it")
        text = read_text_exactly(txt_path)
        meta_path = Path(str(ann_path.with_suffix("")) + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        doc_id = meta.get("doc_id") or ann_path.stem
        raw = entities_from_brat(read_text_exactly(ann_path), text, str(ann_path), offsets)
        entities = check_entities(raw, text, str(ann_path), allow_missing_values=allow_missing_values)
        out.documents.append(_document(meta, doc_id, entities, split))
        out.texts[doc_id] = text
    return out


# --------------------------------------------------------------------------------------------
# writing gold


def write_gold(result: ImportResult, folder: str | Path, *, root: str | Path | None = None) -> list[Path]:
    """One ``<doc_id>.json`` per document (the format of ``annotations/gold``).

    With `root`, each document's `source` (relative to root) that exists must hold the text the
    tool annotated, or nothing is written; a missing source is reported in ``result.warnings``.
    """
    folder = Path(folder)
    if root is not None:
        for doc in result.documents:
            src = Path(root) / doc["source"]
            if not src.is_file():
                result.warnings.append(f"{doc['doc_id']}: source {src} not found; its text was not compared")
            elif src.read_text(encoding="utf-8") != result.texts[doc["doc_id"]]:
                raise AnnotationImportError(f"{doc['doc_id']}: the annotated text differs from {src}; the offsets would not fit it")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in result.documents:
        path = folder / f"{doc['doc_id']}.json"
        path.write_text(gold_json(doc), encoding="utf-8")
        paths.append(path)
    return paths
