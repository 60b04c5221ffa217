"""Writing records: JSONL (nested, as in the contract) and flat rows for CSV, Parquet, Excel."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

FLAT_COLUMNS = [
    "doc_id", "source", "record_id", "scope", "study_label", "study_citation", "study_year",
    "disease", "disease_mesh", "disease_text", "cell_type", "cell_type_text", "cell_source", "cell_source_text",
    "donor", "donor_text", "route", "route_text", "dose_low", "dose_high", "dose_unit", "dose_times",
    "dose_interval", "dose_text", "n_patients", "n_patients_text", "follow_up_low", "follow_up_high",
    "follow_up_text", "outcomes", "outcomes_text", "adverse_events_text", "adverse_events_negated",
]


def _codes(items: list[dict], key: str = "code") -> str:
    out = []
    for it in items:
        v = it.get(key)
        if v is not None and str(v) not in out:
            out.append(str(v))
    return ";".join(out)


def _texts(items: list[dict]) -> str:
    return " | ".join(it.get("text", "") for it in items)


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """One CSV/Parquet/Excel row: lists become ';'-joined codes, numbers stay numbers."""
    study = record.get("study") or {}
    dose = record.get("dose") or []
    first = dose[0] if dose else {}
    n = record.get("n_patients") or {}
    fu = record.get("follow_up_months") or {}
    ct = record.get("cell_type") or {}
    donor = record.get("donor") or {}
    aes = record.get("adverse_events") or []
    return {
        "doc_id": record.get("doc_id"),
        "source": record.get("source"),
        "record_id": record.get("record_id"),
        "scope": record.get("scope"),
        "study_label": study.get("label"),
        "study_citation": study.get("citation"),
        "study_year": study.get("year"),
        "disease": _codes(record.get("disease") or []),
        "disease_mesh": _codes(record.get("disease") or [], "mesh"),
        "disease_text": _texts(record.get("disease") or []),
        "cell_type": ct.get("code"),
        "cell_type_text": ct.get("text"),
        "cell_source": _codes(record.get("cell_source") or []),
        "cell_source_text": _texts(record.get("cell_source") or []),
        "donor": donor.get("code"),
        "donor_text": donor.get("text"),
        "route": _codes(record.get("route") or []),
        "route_text": _texts(record.get("route") or []),
        "dose_low": min((d["low"] for d in dose if d.get("low") is not None), default=None),
        "dose_high": max((d["high"] for d in dose if d.get("high") is not None), default=None),
        "dose_unit": first.get("unit"),
        "dose_times": first.get("times"),
        "dose_interval": first.get("interval"),
        "dose_text": _texts(dose),
        "n_patients": n.get("value"),
        "n_patients_text": n.get("text"),
        "follow_up_low": fu.get("low"),
        "follow_up_high": fu.get("high"),
        "follow_up_text": fu.get("text"),
        "outcomes": _codes(record.get("outcomes") or [], "measure"),
        "outcomes_text": _texts(record.get("outcomes") or []),
        "adverse_events_text": _texts(aes),
        "adverse_events_negated": (all(a.get("negated") for a in aes) if aes else None),
    }


def to_dataframe(records: Iterable[dict]):
    import pandas as pd

    return pd.DataFrame([flatten(r) for r in records], columns=FLAT_COLUMNS)


def _atomic_target(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_records(records: list[dict], out: str | os.PathLike, stream=None) -> None:
    """Write records in the format of OUT's extension (.jsonl, .csv, .parquet, .xlsx); '-' is JSONL to `stream`.

    Files are written to a temporary name and renamed, so an interrupted run never leaves a torn file.
    """
    if str(out) == "-":
        import sys

        stream = stream or sys.stdout
        for r in records:
            stream.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    path = Path(out)
    ext = path.suffix.lower()
    tmp = _atomic_target(path)
    try:
        if ext == ".jsonl":
            with open(tmp, "w", encoding="utf-8") as fh:
                for r in records:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        elif ext == ".csv":
            to_dataframe(records).to_csv(tmp, index=False, encoding="utf-8-sig")
        elif ext == ".parquet":
            to_dataframe(records).to_parquet(tmp, index=False)
        elif ext in (".xlsx", ".xls"):
            to_dataframe(records).to_excel(tmp, index=False, engine="openpyxl")
        else:
            raise ValueError(f"unknown output format {ext!r}: use .jsonl, .csv, .parquet or .xlsx")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def read_records(path: str | os.PathLike) -> list[dict]:
    """Records back from a .jsonl file (nested) or flat rows from .csv/.parquet/.xlsx."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".jsonl":
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    import pandas as pd

    if ext == ".csv":
        df = pd.read_csv(path, encoding="utf-8-sig")
    elif ext == ".parquet":
        df = pd.read_parquet(path)
    elif ext in (".xlsx", ".xls"):
        df = pd.read_excel(path)
    else:
        raise ValueError(f"unknown records format {ext!r}")
    return df.to_dict(orient="records")
