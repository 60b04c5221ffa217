"""Document-level fact scoring: did the facts of each page come out, whatever record holds them?

The measure of `annotations/real/` (and `../shared/real-pages/README.md`): for each page and field,
the set of gold values over all the page's studies is compared with the set of predicted values
over all of a system's records for that page (study and document records); precision, recall and
F1 are micro-averaged over pages, and the macro line averages the seven study fields.

- disease: vocabulary codes only. A gold ``OTHER:<English name>`` counts as the project's code
  when `lexicons/codes.tsv` has a disease of that English name, else it is left out; predicted
  codes the lexicon does not know are left out; a predicted parent (SLE for gold LN; AID or RD
  for any gold disease) is not counted wrong.
- dose: (low, high, unit) to 4 significant digits (gold ``per: kg`` is ``cells/kg``, ``person``
  is ``cells``); follow-up: (low, high) to the nearest half month; sample size: the number.
- outcome: the numeric values (to 3 significant digits) of the results, a before → after result
  giving both values, a share with its count ("80%(24/30)") both the share and the count.
- adverse_event: statements matched one to one, same negation, the predicted span overlapping an
  occurrence of the gold text in the page (or one text containing the other when the gold text
  is not found verbatim).

A page whose text is missing is reported and left out, never scored as empty. A field a gold page
lists under ``"ignore"`` is not scored for that page.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from ..errors import MscmineError
from ..lexicon import load_codes

#: the seven study fields of the macro line, in report order
STUDY_FIELDS = ("disease", "cell_source", "donor", "route", "dose", "n_patients", "follow_up")
#: rows reported below the macro line
RESULT_FIELDS = ("outcome", "adverse_event")
FIELDS = STUDY_FIELDS + RESULT_FIELDS

#: a predicted disease that is a parent of a gold one is neither right nor wrong
_PARENTS = {"LN": {"SLE"}, "CD": {"IBD"}, "UCo": {"IBD"}, "PsA": {"PSO"}}
_GENERIC = {"AID", "RD"}

#: a system under test: a file → its text, its records (dicts of the output contract) and the
#: fact mentions it found (dicts with label and value; may be empty), for ``--misses``
System = Callable[[Path], tuple[str, list[dict], list[dict]]]


class FactGoldError(MscmineError, ValueError):
    """A gold file of the real-page format that cannot be read."""


@dataclass(frozen=True)
class GoldPage:
    id: str
    studies: tuple[dict, ...]
    ignore: frozenset[str]
    path: Path
    split: str = "dev"  # "check": pages whose errors nobody who writes rules reads


@dataclass
class Tally:
    """Micro counts of one field over pages."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    found: int = 0  # gold values a mention of the system found, wherever they ended up
    found_in_record: int = 0  # ... and that a record holds

    def add(self, tp: int, pred: int, gold: int, found: int = 0, found_in_record: int = 0) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold
        self.found += found
        self.found_in_record += found_in_record

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "pred": self.pred, "gold": self.gold,
                "found": self.found, "found_in_record": self.found_in_record}


@dataclass
class PageResult:
    """One page's errors: gold values not predicted (with whether a mention had found them) and
    predicted values not in the gold."""

    id: str
    split: str = "dev"
    missed: dict[str, list[Any]] = field(default_factory=dict)
    missed_but_found: dict[str, list[Any]] = field(default_factory=dict)  # a mention had the value
    unassigned: dict[str, dict[str, str]] = field(default_factory=dict)  # repr(value) → why no study holds it
    extra: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class FactReport:
    system: str
    tallies: dict[str, Tally]
    pages: list[PageResult]
    missing_texts: list[str]
    splits: dict[str, dict[str, Tally]] = field(default_factory=dict)  # the same counts per split
    unreadable: dict[str, str] = field(default_factory=dict)  # page id → why its text could not be read

    @property
    def macro_f1(self) -> float:
        return macro_f1(self.tallies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "pages_scored": len(self.pages),
            "missing_texts": list(self.missing_texts),
            "unreadable_texts": dict(self.unreadable),
            "fields": {f: t.to_dict() for f, t in self.tallies.items()},
            "macro_f1": round(self.macro_f1, 4),
            "splits": {name: {"pages": sum(p.split == name for p in self.pages), "macro_f1": round(macro_f1(t), 4),
                              **{f: x.to_dict() for f, x in t.items()}} for name, t in self.splits.items()},
            "pages": [{"id": p.id, "missed": p.missed, "missed_but_found": p.missed_but_found,
                       "unassigned": p.unassigned, "extra": p.extra}
                      for p in self.pages],
        }


def macro_f1(tallies: dict[str, Tally]) -> float:
    """The mean F1 of the seven study fields (those with any gold or predicted value)."""
    scored = [tallies[f].f1 for f in STUDY_FIELDS if tallies[f].gold or tallies[f].pred]
    return sum(scored) / len(scored) if scored else 0.0


# --- reading the gold -------------------------------------------------------------------------

def load_gold(gold_dir: str | Path) -> list[GoldPage]:
    """Every ``*.json`` of `gold_dir`, sorted by id; a broken file is a `FactGoldError` naming it."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise FactGoldError(f"{folder}: no such folder of gold files")
    pages = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FactGoldError(f"{path}: not a readable gold JSON file ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
            raise FactGoldError(f"{path}: a gold page needs an object with a 'studies' list")
        unknown = set(data.get("ignore") or ()) - set(FIELDS)
        if unknown:
            raise FactGoldError(f"{path}: 'ignore' names unknown fields {sorted(unknown)} (known: {', '.join(FIELDS)})")
        pages.append(GoldPage(str(data.get("id") or path.stem), tuple(data["studies"]),
                              frozenset(data.get("ignore") or ()), path, str(data.get("split") or "dev")))
    if not pages:
        raise FactGoldError(f"{folder}: no gold files (*.json)")
    return pages


# --- values as compared ----------------------------------------------------------------------

def _sig(x: Any, digits: int) -> float | None:
    if x is None:
        return None
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def _half(x: Any) -> float | None:
    return None if x is None else round(float(x) * 2) / 2


def _disease_codes_by_english() -> dict[str, str]:
    return {c.english.lower(): c.code for (cat, _), c in load_codes().items() if cat == "disease"}


def _known_diseases() -> set[str]:
    return {code for (cat, code) in load_codes() if cat == "disease"}


def gold_disease(code: str) -> str | None:
    """A gold disease as compared: a code, an OTHER:<name> the lexicon knows by name, or None."""
    if code.startswith("OTHER:"):
        return _disease_codes_by_english().get(code[6:].strip().lower())
    return code


def gold_values(name: str, study: dict) -> list[Hashable]:
    """The compared values of one gold study for one field."""
    if name == "disease":
        return [c for c in (gold_disease(d) for d in study.get("disease") or ()) if c]
    if name in ("cell_source", "route"):
        return list(study.get(name) or ())
    if name == "donor":
        return [study["donor"]] if study.get("donor") else []
    if name == "dose":
        return [(_sig(d.get("low"), 4), _sig(d.get("high"), 4), "cells/kg" if d.get("per") == "kg" else "cells")
                for d in study.get("dose") or ()]
    if name == "n_patients":
        return [int(study["n_patients"])] if study.get("n_patients") is not None else []
    if name == "follow_up":
        fu = study.get("follow_up_months")
        return [(_half(fu[0]), _half(fu[1]))] if fu else []
    if name == "outcome":
        return [_sig(o["value"], 3) for o in study.get("outcomes") or () if o.get("value") is not None]
    raise KeyError(name)


#: the record field (output contract) that holds each scored field's values
RECORD_FIELD = {"disease": "disease", "cell_source": "cell_source", "donor": "donor", "route": "route",
                "dose": "dose", "n_patients": "n_patients", "follow_up": "follow_up_months", "outcome": "outcomes"}
#: mention labels (the extractor's) → the scored field whose values they carry
_MENTION_FIELD = {"DISEASE": "disease", "CELL_SOURCE": "cell_source", "DONOR": "donor", "ROUTE": "route",
                  "DOSE": "dose", "N_PATIENTS": "n_patients", "FOLLOW_UP": "follow_up", "OUTCOME": "outcome"}
_OUTCOME_NUMBERS = ("value", "baseline", "before", "count")


def value_keys(name: str, value: Any) -> list[Hashable]:
    """The compared keys of one predicted value of field `name`: a record's evidence object, a
    mention's value or an ``unassigned`` entry (all share the contract's keys), or a bare code."""
    if not value:
        return []
    if name in ("disease", "cell_source", "donor", "route"):
        code = value.get("code") if isinstance(value, dict) else value
        return [code] if code else []
    if name == "dose":
        return [(_sig(value.get("low"), 4), _sig(value.get("high"), 4), value.get("unit"))]
    if name == "n_patients":
        return [int(value["value"])] if value.get("value") is not None else []
    if name == "follow_up":
        return [(_half(value.get("low")), _half(value.get("high")))]
    if name == "outcome":
        return [_sig(value[k], 3) for k in _OUTCOME_NUMBERS
                if isinstance(value.get(k), (int, float)) and not isinstance(value.get(k), bool)]
    raise KeyError(name)


def record_values(name: str, record: dict) -> list[Hashable]:
    """The compared values of one predicted record (output contract) for one field."""
    held = record.get(RECORD_FIELD[name])
    return [k for v in (held if isinstance(held, list) else [held]) for k in value_keys(name, v)]


def mention_values(name: str, mentions: Iterable[dict]) -> set[Hashable]:
    """The values of `name` that the system's mentions found, wherever they ended up."""
    return {k for m in mentions if _MENTION_FIELD.get(m.get("label")) == name for k in value_keys(name, m.get("value"))}


def unassigned_reasons(name: str, records: list[dict]) -> dict[Hashable, str]:
    """Scored value → the reason the document record gives for holding it in no study."""
    out: dict[Hashable, str] = {}
    for r in records:
        for u in r.get("unassigned") or ():
            if u.get("field") == RECORD_FIELD.get(name):
                for k in value_keys(name, u):
                    out.setdefault(k, u.get("reason") or "unassigned")
    return out


# --- one page ---------------------------------------------------------------------------------

def _drop_parents(pred: set, gold: set) -> set:
    """Predicted diseases left once parents of gold diseases are set aside, and unknown codes."""
    known = _known_diseases()
    parents = set().union(*(_PARENTS.get(g, set()) for g in gold)) | (_GENERIC if gold else set())
    return {p for p in pred if p in known and (p in gold or p not in parents)}


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _gold_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    phrase = phrase.strip()
    return [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)] if phrase else []


def match_adverse_events(text: str, gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): same negation, overlapping evidence."""
    used: set[int] = set()
    pairs = []
    for i, g in enumerate(gold):
        spans = _gold_spans(text, g.get("text") or "")
        for j, p in enumerate(pred):
            if j in used or bool(g.get("negated")) != bool(p.get("negated")):
                continue
            pspans = [(p["start"], p["end"])] if p.get("start") is not None else _gold_spans(text, p.get("text") or "")
            if spans and pspans:
                hit = any(a < pe and ps < b for a, b in spans for ps, pe in pspans)
            else:
                gt, pt = _compact(g.get("text") or ""), _compact(p.get("text") or "")
                hit = bool(gt and pt) and (gt in pt or pt in gt)
            if hit:
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def _unique_events(records: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in records:
        for a in r.get("adverse_events") or ():
            key = (a.get("start"), a.get("end"), bool(a.get("negated")))
            if key not in seen:
                seen.add(key)
                out.append(a)
    return out


def score_page(page: GoldPage, text: str, records: list[dict], mentions: list[dict],
               tallies: dict[str, Tally]) -> PageResult:
    """Adds one page's counts to `tallies` and returns its errors."""
    result = PageResult(page.id, page.split)
    for name in FIELDS:
        if name in page.ignore:
            continue
        if name == "adverse_event":
            gold_ae = [a for s in page.studies for a in s.get("adverse_events") or ()]
            pred_ae = _unique_events(records)
            pairs = match_adverse_events(text, gold_ae, pred_ae)
            tallies[name].add(len(pairs), len(pred_ae), len(gold_ae))
            hit_g, hit_p = {i for i, _ in pairs}, {j for _, j in pairs}
            missed = [("neg " if g.get("negated") else "") + (g.get("text") or "") for i, g in enumerate(gold_ae) if i not in hit_g]
            extra = [("neg " if p.get("negated") else "") + (p.get("text") or "") for j, p in enumerate(pred_ae) if j not in hit_p]
        else:
            gold = {v for s in page.studies for v in gold_values(name, s)}
            pred = {v for r in records for v in record_values(name, r)}
            if name == "disease":
                pred = _drop_parents(pred, gold)
            found = mention_values(name, mentions)
            tallies[name].add(len(gold & pred), len(pred), len(gold), len(gold & found), len(gold & found & pred))
            missed = sorted(gold - pred, key=repr)
            extra = sorted(pred - gold, key=repr)
            if found:
                result.missed_but_found[name] = [v for v in missed if v in found]
            why = unassigned_reasons(name, records)
            if why:
                result.unassigned[name] = {repr(v): why[v] for v in missed if v in why}
        if missed:
            result.missed[name] = missed
        if extra:
            result.extra[name] = extra
    result.missed_but_found = {k: v for k, v in result.missed_but_found.items() if v}
    result.unassigned = {k: v for k, v in result.unassigned.items() if v}
    return result


def score_facts(gold_dir: str | Path, text_dir: str | Path, system: System, name: str = "mscmine") -> FactReport:
    """Scores `system` on every gold page whose text ``<id>.txt`` (or .html/.htm/.md/.pdf) is in `text_dir`."""
    texts = Path(text_dir)
    if not texts.is_dir():
        raise FactGoldError(f"{texts}: no such folder of page texts")
    tallies = {f: Tally() for f in FIELDS}
    by_split: dict[str, dict[str, Tally]] = {}
    pages, missing = [], []
    unreadable: dict[str, str] = {}
    for page in load_gold(gold_dir):
        path = next((texts / f"{page.id}{ext}" for ext in (".txt", ".md", ".html", ".htm", ".pdf")
                     if (texts / f"{page.id}{ext}").exists()), None)
        if path is None:
            missing.append(page.id)
            continue
        try:
            text, records, mentions = system(path)
        except MscmineError as exc:  # an unreadable page is reported and left out; the others go on
            missing.append(page.id)
            unreadable[page.id] = str(exc)
            continue
        split_tallies = by_split.setdefault(page.split, {f: Tally() for f in FIELDS})
        try:
            result = score_page(page, text, records, mentions, split_tallies)
        except (TypeError, AttributeError, KeyError, ValueError, IndexError) as exc:
            raise FactGoldError(f"{page.path}: a gold value is not in the format of annotations/real/GUIDELINES.md "
                                f"({type(exc).__name__}: {exc})") from None
        pages.append(result)
    for split in by_split.values():
        for f, t in split.items():
            tallies[f].add(t.tp, t.pred, t.gold, t.found, t.found_in_record)
    return FactReport(name, tallies, pages, missing, by_split, unreadable)


# --- the systems ------------------------------------------------------------------------------

def mscmine_system(path: Path) -> tuple[str, list[dict], list[dict]]:
    """mscmine's records for one file, and the fact mentions its extractors found."""
    from ..core import extract_file

    extraction = extract_file(path)
    return extraction.doc.text, extraction.record_dicts(), [m.to_dict() for m in extraction.analysis.mentions]


def naive_system(path: Path) -> tuple[str, list[dict], list[dict]]:
    """The naive baseline's one record for one file (what a user would hack in an hour)."""
    from ..loaders import load
    from .naive_baseline import extract_naive

    text = load(path).text
    return text, [extract_naive(text)], []


SYSTEMS: dict[str, System] = {
    "mscmine": mscmine_system,
    "naive": naive_system,
}


# --- agreement of two annotation passes ----------------------------------------------------

def gold_as_record(study: dict) -> dict:
    """A gold study in the shape of a record of the output contract (for comparing two passes)."""
    fu = study.get("follow_up_months")
    return {
        "scope": "study",
        "disease": [{"code": c} for c in (gold_disease(d) for d in study.get("disease") or ()) if c],
        "cell_source": [{"code": c} for c in study.get("cell_source") or ()],
        "donor": {"code": study["donor"]} if study.get("donor") else None,
        "route": [{"code": c} for c in study.get("route") or ()],
        "dose": [{"low": d.get("low"), "high": d.get("high"), "unit": "cells/kg" if d.get("per") == "kg" else "cells"}
                 for d in study.get("dose") or ()],
        "n_patients": {"value": study["n_patients"]} if study.get("n_patients") is not None else None,
        "follow_up_months": {"low": fu[0], "high": fu[1]} if fu else None,
        "outcomes": [{"value": o.get("value")} for o in study.get("outcomes") or ()],
        "adverse_events": [dict(a) for a in study.get("adverse_events") or ()],
    }


def agreement(dir_a: str | Path, dir_b: str | Path, text_dir: str | Path) -> FactReport:
    """Pass B scored against pass A, page by page, as if B were a system: for sets of values F1 is
    symmetric, so it is the agreement of the two passes. Pages missing from either are left out."""
    b_pages = {p.id: p for p in load_gold(dir_b)}

    def system(path: Path):
        page = b_pages.get(path.stem)
        return path.read_text(encoding="utf-8"), [gold_as_record(s) for s in (page.studies if page else ())], []

    a_pages = [p for p in load_gold(dir_a) if p.id in b_pages]
    tallies = {f: Tally() for f in FIELDS}
    results, missing = [], []
    for page in a_pages:
        path = Path(text_dir) / f"{page.id}.txt"
        if not path.exists():
            missing.append(page.id)
            continue
        text, records, mentions = system(path)
        results.append(score_page(page, text, records, mentions, tallies))
    return FactReport("pass B vs A", tallies, results, missing, {"all": tallies})


def baseline_figures(reports: list[FactReport], date: str) -> dict[str, Any]:
    """The figures only (no values, no page text) of each system, for ``annotations/real/baseline.json``."""
    return {
        "date": date,
        "pages_scored": len(reports[0].pages) if reports else 0,
        "missing_texts": list(reports[0].missing_texts) if reports else [],
        "systems": {r.system: {"macro_f1": round(r.macro_f1, 4),
                               **{f: t.to_dict() for f, t in r.tallies.items()},
                               "splits": {name: {"pages": sum(p.split == name for p in r.pages),
                                                 "macro_f1": round(macro_f1(t), 4),
                                                 **{f: x.to_dict() for f, x in t.items()}}
                                          for name, t in sorted(r.splits.items())}}
                    for r in reports},
    }


# --- reports ----------------------------------------------------------------------------------

_ROW_NAMES = {"disease": "disease", "cell_source": "cell source", "donor": "donor", "route": "route",
              "dose": "dose", "n_patients": "sample size", "follow_up": "follow-up",
              "outcome": "outcome values", "adverse_event": "adverse events"}


def format_fact_report(reports: list[FactReport]) -> str:
    """One table: a row per field, P/R/F1 per system side by side, the macro line after the study fields."""
    head = reports[0]
    lines = [f"document-level facts: {len(head.pages)} pages scored"
             + (f"; text missing, left out: {', '.join(head.missing_texts)}" if head.missing_texts else "")]
    cols = "".join(f" | {r.system:>8} P    R    F1 " for r in reports)
    lines.append(f"{'field':<16}{'gold':>5}{cols}")
    for name in FIELDS:
        cells = "".join(f" | {t.precision:9.2f} {t.recall:4.2f} {t.f1:4.2f}" for t in (r.tallies[name] for r in reports))
        lines.append(f"{_ROW_NAMES[name]:<16}{head.tallies[name].gold:>5}{cells}")
        if name == STUDY_FIELDS[-1]:
            macro = "".join(f" | {'':>9} {'':>4} {r.macro_f1:4.2f}" for r in reports)
            lines.append(f"{'macro (7 fields)':<16}{'':>5}{macro}")
            if len(head.splits) > 1:
                for split in sorted(head.splits):
                    n = sum(p.split == split for p in head.pages)
                    cells = "".join(f" | {'':>9} {'':>4} {macro_f1(r.splits.get(split, {})) if split in r.splits else 0:4.2f}"
                                    for r in reports)
                    lines.append(f"{'  ' + split + f' ({n} pages)':<21}{cells}")
    for r in reports:
        reach = [(f, r.tallies[f]) for f in STUDY_FIELDS + ("outcome",) if r.tallies[f].found]
        if reach:
            found = sum(t.found for _, t in reach)
            kept = sum(t.found_in_record for _, t in reach)
            lines.append(f"{r.system}: gold values found as mentions that reach a record: {kept} of {found} "
                         f"({kept / found:.0%}): " + ", ".join(f"{_ROW_NAMES[f]} {t.found_in_record}/{t.found}" for f, t in reach))
    return "\n".join(lines)


def format_misses(report: FactReport, show_check: bool = False) -> str:
    """Each page's missed and extra values; a missed value a mention had found is marked. Pages
    of the ``check`` split are left out unless `show_check` (nobody who writes rules reads them)."""
    lines = [f"misses of {report.system} (- missed, * missed though a mention found it, (why no study holds it), + extra):"]
    hidden = [p.id for p in report.pages if p.split == "check" and not show_check]
    for page in report.pages:
        if page.id in hidden or (not page.missed and not page.extra):
            continue
        lines.append(f"{page.id}:")
        for name in FIELDS:
            found = set(map(repr, page.missed_but_found.get(name, ())))
            why = page.unassigned.get(name, {})
            missed = [("*" if repr(v) in found else "-") + f" {v}" + (f" ({why[repr(v)]})" if repr(v) in why else "")
                      for v in page.missed.get(name, ())]
            extra = [f"+ {v}" for v in page.extra.get(name, ())]
            if missed or extra:
                lines.append(f"  {_ROW_NAMES[name]:<15} " + "   ".join(missed + extra))
    if hidden:
        lines.append(f"({len(hidden)} pages of the check split not shown: --show-check-misses)")
    return "\n".join(lines)
