"""The tables a review writes by hand, from extracted records.

Every function here is pure: it takes records as dicts, either nested as in the output contract
(JSONL, ``mscmine.extract``) or flat rows as written to CSV/Parquet/Excel (``writers.flatten``),
and returns a pandas DataFrame. ``write_summary`` writes them as CSV and Markdown, with PNG
charts in the manner of a review's figures.

Counting rules (a study is one ``scope: "study"`` record):

* **disease**: a study that names several diseases for one cohort ("PM/DM") is counted once,
  under the combination ``PM/DM``, so the rows add up to the totals.
* **cell source**: when the article gives patients per source (``source_counts``, e.g. 5 from
  umbilical cord and 3 from bone marrow), the patients are split and the study appears in each
  of its sources' rows; otherwise a study with several sources is one row ``a+b``.
* **route** and **donor**: one row per combination of codes (``intravenous+local_injection``).
* studies without a stated sample size are counted as studies, not as patients
  (column ``studies_without_n``).

``scope: "document"`` records hold what an article says it pools ("12篇文献共报道76例"); they
are not counted as studies, and ``reconcile`` compares them with the sum of the studies.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

NOT_REPORTED = "(not reported)"

#: the files ``write_summary`` writes, besides ``summary.md``: table name -> title
TABLES = {
    "per_disease": "Studies and patients per disease",
    "per_cell_source": "Studies and patients per cell source",
    "per_route": "Studies and patients per route",
    "per_donor": "Studies and patients per donor",
    "per_year": "Studies and patients per publication year",
    "dose_distribution": "Dose levels in cells/kg",
    "dose_levels": "Every dose level",
    "table1": "Study characteristics (Table 1)",
    "reconciliation": "Stated pooled totals against the sum of the studies",
}

CHARTS = ("disease_share.png", "source_share.png", "studies_per_year.png", "dose_distribution.png", "figure2.png")


# --------------------------------------------------------------------------- reading records

def _is_true(v: Any) -> bool:
    """A flag from a nested record (True) or a flat row (True, "True", 1)."""
    return v is True or (not _blank(v) and str(v).strip().lower() in ("true", "1", "1.0"))


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and v.strip() in ("", "nan", "None"):
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v)) if not isinstance(v, (list, dict, tuple)) else False
    except (TypeError, ValueError):
        return False


def _codes(v: Any, key: str = "code") -> list[str]:
    """Codes of a nested list field, a nested object or a flat ';'-joined string, in order, unique."""
    if _blank(v):
        return []
    if isinstance(v, dict):
        v = [v]
    if isinstance(v, (list, tuple)):
        raw = [str(x.get(key)) if isinstance(x, dict) else str(x) for x in v]
    else:
        raw = str(v).split(";")
    out: list[str] = []
    for c in raw:
        c = c.strip()
        if c and c not in ("None", "nan") and c not in out:
            out.append(c)
    return out


def _number(v: Any) -> float | None:
    if isinstance(v, dict):
        v = v.get("value")
    if _blank(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _int(v: Any) -> int | None:
    x = _number(v)
    return None if x is None else int(round(x))


def _mapping(v: Any) -> dict | None:
    """A dict field kept in JSONL; in flat rows a later writer may store it as JSON text."""
    if isinstance(v, dict):
        return v
    if isinstance(v, str) and v.strip().startswith("{"):
        try:
            out = json.loads(v)
        except ValueError:
            return None
        return out if isinstance(out, dict) else None
    return None


def _doses(r: dict) -> list[dict]:
    dose = r.get("dose")
    if isinstance(dose, list):
        return [{k: d.get(k) for k in ("low", "high", "unit", "times", "interval", "text")} for d in dose if isinstance(d, dict)]
    # a flat row keeps the lowest and highest level and the unit of the first one
    low, high, unit = _number(r.get("dose_low")), _number(r.get("dose_high")), r.get("dose_unit")
    if low is None and high is None:
        return []
    return [{"low": low, "high": high, "unit": None if _blank(unit) else unit, "times": _int(r.get("dose_times")),
             "interval": None if _blank(r.get("dose_interval")) else r.get("dose_interval"),
             "text": None if _blank(r.get("dose_text")) else r.get("dose_text")}]


def _range(r: dict, nested: str, low: str, high: str) -> tuple[float | None, float | None]:
    v = r.get(nested)
    if isinstance(v, dict):
        return _number(v.get("low")), _number(v.get("high"))
    return _number(r.get(low)), _number(r.get(high))


def study_rows(records: Iterable[dict]) -> list[dict]:
    """One plain dict per study record, the same from nested records and from flat rows."""
    out = []
    for r in records:
        if r.get("scope") != "study":
            continue
        study = r.get("study") if isinstance(r.get("study"), dict) else {}
        label = study.get("label", r.get("study_label"))
        citation = study.get("citation", r.get("study_citation"))
        year = study.get("year", r.get("study_year"))
        sex = _mapping(r.get("sex"))
        age = _mapping(r.get("age_years"))
        counts = _mapping(r.get("source_counts"))
        fu = _range(r, "follow_up_months", "follow_up_low", "follow_up_high")
        out.append({
            "doc_id": r.get("doc_id"),
            "record_id": r.get("record_id"),
            "label": None if _blank(label) else str(label),
            "citation": None if _blank(citation) else str(citation),
            "year": None if _blank(year) else int(float(year)),
            "disease": _codes(r.get("disease")),
            "cell_type": (_codes(r.get("cell_type")) or [None])[0],
            "cell_source": _codes(r.get("cell_source")),
            "source_counts": {str(k): int(v) for k, v in counts.items()} if counts else None,
            "donor": (_codes(r.get("donor")) or [None])[0],
            "route": _codes(r.get("route")),
            "dose": _doses(r),
            "n_patients": _int(r.get("n_patients")),
            "follow_up": fu if fu != (None, None) else None,
            "sex": (int(sex["male"]), int(sex["female"])) if sex and "male" in sex and "female" in sex else None,
            "age": (_number(age.get("low")), _number(age.get("high"))) if age else None,
        })
    return out


# --------------------------------------------------------------------------- counting

def summarize_records(records: list[dict]) -> dict[str, Counter]:
    """Study records per disease code and per cell source code (a study counts under each of its
    codes), and records per scope: the terminal summary of ``mscmine summarize``."""
    by_disease: Counter = Counter()
    by_source: Counter = Counter()
    by_scope: Counter = Counter()
    for r in records:
        scope = r.get("scope")
        by_scope[scope] += 1
        if scope != "study":
            continue
        for c in _codes(r.get("disease")) or ["(none)"]:
            by_disease[c] += 1
        for c in _codes(r.get("cell_source")) or ["(none)"]:
            by_source[c] += 1
    return {"scope": by_scope, "disease": by_disease, "cell_source": by_source}


def _frame(rows: list[dict], columns: list[str]):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _grouped(studies: list[dict], keys_of) -> Any:
    """Studies and patients per key; ``keys_of(study)`` gives [(key, patients or None)]."""
    n_studies: Counter = Counter()
    patients: Counter = Counter()
    without_n: Counter = Counter()
    for s in studies:
        for key, n in keys_of(s):
            n_studies[key] += 1
            if n is None:
                without_n[key] += 1
            else:
                patients[key] += n
    total = sum(patients.values())
    rows = [{"group": k, "studies": n_studies[k], "patients": patients[k], "studies_without_n": without_n[k],
             "patient_share_pct": round(100 * patients[k] / total, 1) if total else None}
            for k in n_studies]
    rows.sort(key=lambda x: (x["group"] == NOT_REPORTED, -x["patients"], -x["studies"], x["group"]))
    return _frame(rows, ["group", "studies", "patients", "studies_without_n", "patient_share_pct"])


def _combined(codes: list[str], sep: str) -> str:
    return sep.join(codes) if codes else NOT_REPORTED


def per_disease(records: list[dict]):
    """Studies and patients per disease; a multi-disease cohort is one row (``PM/DM``)."""
    return _grouped(study_rows(records), lambda s: [(_combined(s["disease"], "/"), s["n_patients"])]).rename(
        columns={"group": "disease"})


def _source_keys(s: dict) -> list[tuple[str, Any]]:
    counts = s["source_counts"]
    if counts and (s["n_patients"] is None or sum(counts.values()) == s["n_patients"]):
        return [(code, n) for code, n in counts.items()]
    return [(_combined(s["cell_source"], "+"), s["n_patients"])]


def per_cell_source(records: list[dict]):
    """Studies and patients per cell source, patients split by the article's per-source counts."""
    return _grouped(study_rows(records), _source_keys).rename(columns={"group": "cell_source"})


def per_route(records: list[dict]):
    return _grouped(study_rows(records), lambda s: [(_combined(s["route"], "+"), s["n_patients"])]).rename(
        columns={"group": "route"})


def per_donor(records: list[dict]):
    return _grouped(study_rows(records), lambda s: [(s["donor"] or NOT_REPORTED, s["n_patients"])]).rename(
        columns={"group": "donor"})


def per_year(records: list[dict]):
    """Studies and patients per publication year, in year order."""
    df = _grouped(study_rows(records), lambda s: [(str(s["year"]) if s["year"] else NOT_REPORTED, s["n_patients"])])
    df = df.rename(columns={"group": "year"})
    order = sorted(range(len(df)), key=lambda i: (df.year.iloc[i] == NOT_REPORTED, df.year.iloc[i]))
    return df.iloc[order].reset_index(drop=True)


def format_cells(x: float | None) -> str:
    """1000000.0 -> '1×10^6', 25000000.0 -> '2.5×10^7', None -> ''."""
    if x is None:
        return ""
    if x == 0:
        return "0"
    exp = int(math.floor(math.log10(abs(x))))
    mant = round(x / 10 ** exp, 3)
    if mant >= 10:
        mant, exp = mant / 10, exp + 1
    m = f"{mant:g}"
    return f"{m}×10^{exp}" if exp else m


def format_dose(d: dict) -> str:
    """'1×10^6 cells/kg', '2×10^5–1.8×10^6 cells/kg', '≥1×10^6 cells/kg', '≤1×10^8 cells/kg'."""
    low, high, unit = d.get("low"), d.get("high"), d.get("unit") or ""
    if low is not None and high is not None:
        v = format_cells(low) if low == high else f"{format_cells(low)}–{format_cells(high)}"
    elif low is not None:
        v = "≥" + format_cells(low)
    elif high is not None:
        v = "≤" + format_cells(high)
    else:
        v = "?"
    return f"{v} {unit}".strip()


def dose_levels(records: list[dict]):
    """One row per dose level of every study."""
    rows = []
    for s in study_rows(records):
        for d in s["dose"]:
            rows.append({"doc_id": s["doc_id"], "record_id": s["record_id"], "study": s["label"], "citation": s["citation"],
                         "disease": _combined(s["disease"], "/"), "n_patients": s["n_patients"], "low": d["low"],
                         "high": d["high"], "unit": d["unit"], "times": d["times"], "interval": d["interval"],
                         "dose": format_dose(d), "text": d.get("text")})
    return _frame(rows, ["doc_id", "record_id", "study", "citation", "disease", "n_patients", "low", "high", "unit",
                         "times", "interval", "dose", "text"])


def dose_distribution(records: list[dict], unit: str = "cells/kg"):
    """How many dose levels and studies use each dose (in ``unit``), lowest first."""
    levels: Counter = Counter()
    studies: dict[str, set] = {}
    bounds: dict[str, tuple] = {}
    for s in study_rows(records):
        for d in s["dose"]:
            if d["unit"] != unit:
                continue
            key = format_dose(d)
            levels[key] += 1
            studies.setdefault(key, set()).add(s["record_id"])
            bounds[key] = (d["low"], d["high"])
    rows = [{"dose": k, "low": bounds[k][0], "high": bounds[k][1], "dose_levels": levels[k], "studies": len(studies[k])}
            for k in levels]
    rows.sort(key=lambda x: (x["low"] if x["low"] is not None else 0.0, x["high"] if x["high"] is not None else math.inf))
    return _frame(rows, ["dose", "low", "high", "dose_levels", "studies"])


def _span(pair: tuple | None, unit: str = "") -> str:
    if not pair:
        return ""
    lo, hi = pair
    if lo is None and hi is None:
        return ""
    if lo is None:
        return f"<{hi:g}{unit}"
    if hi is None or lo == hi:
        return f"{lo:g}{unit}"
    return f"{lo:g}-{hi:g}{unit}"


def table1(records: list[dict]):
    """The Table-1 listing of a review: one row per study, in the order of the records."""
    rows = []
    for s in study_rows(records):
        if s["source_counts"]:
            source = "; ".join(f"{k} {v}" for k, v in s["source_counts"].items())
        else:
            source = "; ".join(s["cell_source"])
        rows.append({
            "doc_id": s["doc_id"], "study": s["label"] or "", "citation": s["citation"] or "",
            "disease": _combined(s["disease"], "/") if s["disease"] else "", "year": s["year"],
            "n_patients": s["n_patients"], "cell_type": s["cell_type"] or "", "cell_source": source,
            "donor": s["donor"] or "", "route": "; ".join(s["route"]),
            "dose": "; ".join(format_dose(d) for d in s["dose"]),
            "sex_m_f": f"{s['sex'][0]}/{s['sex'][1]}" if s["sex"] else "",
            "age_years": _span(s["age"]), "follow_up_months": _span(s["follow_up"]),
        })
    df = _frame(rows, ["doc_id", "study", "citation", "disease", "year", "n_patients", "cell_type", "cell_source",
                       "donor", "route", "dose", "sex_m_f", "age_years", "follow_up_months"])
    for col in ("year", "n_patients"):
        df[col] = df[col].astype("Int64")
    return df


def reconcile(records: list[dict]):
    """For each document record that states pooled figures (total patients, patients per disease,
    per cell source), the stated number next to the sum over that document's study records."""
    records = list(records)
    rows = []
    for doc in records:
        if doc.get("scope") != "document":
            continue
        doc_id = doc.get("doc_id")
        mine = [r for r in records if r.get("doc_id") == doc_id]
        # when the article names the studies it pools ("表1所示12篇文献[1-12]"), compare with those
        pooled = [r for r in mine if r.get("scope") == "study" and _is_true(r.get("pooled"))]
        if pooled:
            mine = [r for r in mine if r.get("scope") != "study"] + pooled
        studies = study_rows(mine)
        stated_total = _int(doc.get("n_patients"))
        disease_counts = doc.get("disease_counts")
        if isinstance(disease_counts, str):
            try:
                disease_counts = json.loads(disease_counts)
            except ValueError:
                disease_counts = None
        source_counts = _mapping(doc.get("source_counts"))
        if stated_total is None and not disease_counts and not source_counts:
            continue
        total = sum(s["n_patients"] or 0 for s in studies)
        items = [("studies", None, len(studies)), ("patients", stated_total, total)]
        dis = per_disease(mine)
        dis_n = dict(zip(dis.disease, dis.patients))
        stated_dis = {"/".join(d["codes"]): int(d["n"]) for d in (disease_counts or []) if isinstance(d, dict)}
        for key in list(stated_dis) + [k for k in dis_n if k not in stated_dis]:
            items.append((f"disease {key}", stated_dis.get(key), int(dis_n.get(key, 0))))
        src = per_cell_source(mine)
        src_n = dict(zip(src.cell_source, src.patients))
        stated_src = {str(k): int(v) for k, v in (source_counts or {}).items()}
        for key in list(stated_src) + [k for k in src_n if k not in stated_src]:
            items.append((f"cell_source {key}", stated_src.get(key), int(src_n.get(key, 0))))
        for item, stated, found in items:
            rows.append({"doc_id": doc_id, "item": item, "stated": stated, "from_studies": found,
                         "match": None if stated is None else stated == found})
    df = _frame(rows, ["doc_id", "item", "stated", "from_studies", "match"])
    df["stated"] = df["stated"].astype("Int64")
    return df


def summarize(records: Iterable[dict]) -> dict[str, Any]:
    """Every table of ``TABLES``, by name."""
    records = list(records)
    return {
        "per_disease": per_disease(records),
        "per_cell_source": per_cell_source(records),
        "per_route": per_route(records),
        "per_donor": per_donor(records),
        "per_year": per_year(records),
        "dose_distribution": dose_distribution(records),
        "dose_levels": dose_levels(records),
        "table1": table1(records),
        "reconciliation": reconcile(records),
    }


# --------------------------------------------------------------------------- writing

def to_markdown(df) -> str:
    """A GitHub Markdown table (pipes in cells escaped, missing values blank)."""
    def cell(v: Any) -> str:
        if _blank(v):
            return ""
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            v = int(v)
        return str(v).replace("|", "\\|").replace("\n", " ")

    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def _with_total(df, key: str):
    import pandas as pd

    if df.empty:
        return df
    total = {key: "total", "patients": int(df.patients.sum())}
    if key in ("disease", "route", "donor", "year"):  # one row per study: the studies add up
        total["studies"] = int(df.studies.sum())
        total["studies_without_n"] = int(df.studies_without_n.sum())
    total["patient_share_pct"] = 100.0 if total["patients"] else None
    out = pd.concat([df, pd.DataFrame([total], columns=df.columns)], ignore_index=True)
    for col in ("studies", "studies_without_n"):
        out[col] = out[col].astype("Int64")
    return out


def _atomic_write(path: Path, write) -> Path:
    from .writers import atomic_write

    return atomic_write(path, write)


def _bar(ax, labels: list[str], values: list[float], title: str, ylabel: str) -> None:
    xs = list(range(len(labels)))
    bars = ax.bar(xs, values, color="#4C72B0")
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, rotation=30 if max((len(x) for x in labels), default=0) > 6 else 0, ha="right" if max((len(x) for x in labels), default=0) > 6 else "center")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.bar_label(bars, labels=[f"{v:g}" for v in values])
    ax.margins(y=0.15)


def _pie(ax, labels: list[str], values: list[float], title: str) -> None:
    ax.set_title(title)
    if not values or not sum(values):
        ax.text(0.5, 0.5, "no patients counted", ha="center", va="center")
        ax.set_axis_off()
        return
    total = sum(values)
    wedges, _, _ = ax.pie(values, startangle=90, counterclock=False, autopct=lambda p: f"{p:.0f}%" if p >= 5 else "",
                          pctdistance=0.7, wedgeprops={"linewidth": 1, "edgecolor": "white"})
    ax.legend(wedges, [f"{lab}  {v:g} ({100 * v / total:.0f}%)" for lab, v in zip(labels, values)],
              loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    ax.set_aspect("equal")


def _ascii(label: str) -> str:
    """Chart labels are codes (ASCII): no CJK font is assumed on the machine."""
    for a, b in (("–", "-"), ("≥", ">="), ("≤", "<="), ("×10^", "e")):
        label = label.replace(a, b)
    return label.encode("ascii", "replace").decode("ascii")


def _share_data(df, key: str) -> tuple[list[str], list[float]]:
    rows = [(str(k), float(v)) for k, v in zip(df[key], df.patients) if v]
    return [_ascii(k) for k, _ in rows], [v for _, v in rows]


def write_charts(tables: dict[str, Any], out_dir: Path) -> list[Path]:
    """PNG charts (matplotlib, Agg canvas, no pyplot, no change to matplotlib's global settings)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def save(fig: "Figure", name: str) -> Path:
        FigureCanvasAgg(fig)
        return _atomic_write(out_dir / name, lambda tmp: fig.savefig(tmp, format="png", dpi=100, bbox_inches="tight",
                                                                     metadata={"Software": None}))

    dl, dv = _share_data(tables["per_disease"], "disease")
    sl, sv = _share_data(tables["per_cell_source"], "cell_source")
    years = tables["per_year"]
    yl, yv = [_ascii(str(y)) for y in years.year], [float(v) for v in years.studies]
    doses = tables["dose_distribution"]
    written = []

    fig = Figure(figsize=(6.5, 4.0), layout="constrained")
    _pie(fig.add_subplot(), dl, dv, "Patients per disease")
    written.append(save(fig, "disease_share.png"))
    fig = Figure(figsize=(6.5, 4.0), layout="constrained")
    _pie(fig.add_subplot(), sl, sv, "Patients per cell source")
    written.append(save(fig, "source_share.png"))
    fig = Figure(figsize=(5.5, 4.0), layout="constrained")
    _bar(fig.add_subplot(), yl, yv, "Studies per publication year", "studies")
    written.append(save(fig, "studies_per_year.png"))
    fig = Figure(figsize=(6.0, 4.0), layout="constrained")
    ax = fig.add_subplot()
    if len(doses):
        _bar(ax, [_ascii(d.replace(" cells/kg", "")) for d in doses.dose],
             [float(v) for v in doses.studies], "Dose levels (cells/kg)", "studies")
    else:
        ax.text(0.5, 0.5, "no dose in cells/kg", ha="center", va="center")
        ax.set_axis_off()
    written.append(save(fig, "dose_distribution.png"))
    fig = Figure(figsize=(17, 4.5), layout="constrained")
    axes = fig.subplots(1, 3)
    _pie(axes[0], dl, dv, "A  Patients per disease")
    _pie(axes[1], sl, sv, "B  Patients per cell source")
    _bar(axes[2], yl, yv, "C  Studies per publication year", "studies")
    written.append(save(fig, "figure2.png"))
    return written


def write_summary(records: Iterable[dict], out_dir: str | os.PathLike) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, for Excel), all of them in ``summary.md``, and the
    charts of ``CHARTS`` as PNG into ``out_dir``; return the paths written."""
    records = list(records)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    tables = summarize(records)
    keyed = {"per_disease": "disease", "per_cell_source": "cell_source", "per_route": "route", "per_donor": "donor",
             "per_year": "year"}
    written: list[Path] = []
    scopes = Counter(r.get("scope") for r in records)
    md = ["# mscmine summary", "",
          f"{len(records)} records: " + ", ".join(f"{k} {v}" for k, v in sorted(scopes.items(), key=lambda kv: str(kv[0]))),
          f"from {len({r.get('doc_id') for r in records})} documents.", "",
          "A study is one `scope: study` record. A multi-disease cohort counts once (`PM/DM`); patients are split "
          "between cell sources when the article gives per-source counts (a study then appears in each of its "
          "sources' rows, so that table's study column need not add up); `studies_without_n` were counted as "
          "studies but gave no sample size.", ""]
    for name, title in TABLES.items():
        df = tables[name]
        shown = _with_total(df, keyed[name]) if name in keyed else df
        written.append(_atomic_write(out / f"{name}.csv", lambda tmp, d=shown: d.to_csv(tmp, index=False, encoding="utf-8-sig")))
        md += [f"## {title}", "", to_markdown(shown) if len(shown) else "(none)", ""]
    md += ["## Charts", ""] + [f"![{c[:-4]}]({c})" for c in CHARTS] + [""]
    written.extend(write_charts(tables, out))
    written.append(_atomic_write(out / "summary.md", lambda tmp: tmp.write_text("\n".join(md), encoding="utf-8")))
    return written
