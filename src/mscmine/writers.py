"""Writing records: JSONL (nested, as in the contract) and flat rows for CSV, Parquet, Excel.

Every file is written to a temporary name beside it and renamed, so a reader never sees a torn
file. Flat rows have the columns of `FLAT_COLUMNS`, which `mscmine.schema` declares with their
types (whole numbers as nullable integers, so a CSV says ``8`` and not ``8.0``) and how each is
read from a record, then any further fields the records carry (``sex``, ``age_years``,
``source_counts``, ...) in name order, objects as JSON text.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any, Callable, Iterable

from .schema import BOOL, COLUMN_NAMES, FLATTENED_FIELDS, FLOAT, INT, columns_of, flat_columns

log = logging.getLogger("mscmine")

#: the flat columns, in order, and their types: all from `mscmine.schema.FIELDS`
FLAT_COLUMNS = list(COLUMN_NAMES)
COLUMNS = FLAT_COLUMNS
INT_COLUMNS = columns_of(INT)
FLOAT_COLUMNS = columns_of(FLOAT)
BOOL_COLUMNS = columns_of(BOOL)
#: the nested fields of the contract, which `flatten` turns into the columns above
NESTED_FIELDS = FLATTENED_FIELDS
#: output formats by extension
FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
EXCEL_MAX_CELL = 32_767
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def output_format(out: str | os.PathLike) -> str:
    """"jsonl", "csv", "parquet" or "xlsx" from OUT's extension ("-" is JSONL); ValueError otherwise."""
    if str(out) == "-":
        return "jsonl"
    ext = Path(out).suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"unknown output format {ext or '(no extension)'!r} in {out}: use .jsonl, .csv, .parquet or .xlsx (or - for JSONL on stdout)")
    return FORMATS[ext]


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """One CSV/Parquet/Excel row: lists become ';'-joined codes, numbers stay numbers (the columns
    of `mscmine.schema.FIELDS`); fields beyond them keep their name (objects and lists as JSON text)."""
    return {**flat_columns(record), **_extra_fields(record)}


def _extra_fields(record: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if key in NESTED_FIELDS or key in FLAT_COLUMNS:
            continue
        out[key] = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list, tuple)) else value
    return out


def to_dataframe(records: Iterable[dict]):
    """A pandas DataFrame of flat rows (see `flatten`), with the same column types whatever the records."""
    import pandas as pd

    rows = [flatten(r) for r in records]
    extra = sorted({k for row in rows for k in row} - set(FLAT_COLUMNS))
    df = pd.DataFrame(rows, columns=FLAT_COLUMNS + extra)
    for col in FLOAT_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    for col in INT_COLUMNS:
        values = pd.to_numeric(df[col], errors="coerce").astype("float64")
        whole = values.dropna()
        df[col] = values.astype("Int64") if bool((whole == whole.round()).all()) else values
    for col in BOOL_COLUMNS:
        df[col] = df[col].astype("boolean")
    for col in df.columns:
        if col in INT_COLUMNS + FLOAT_COLUMNS + BOOL_COLUMNS:
            continue
        if col in FLAT_COLUMNS or all(isinstance(v, str) for v in df[col].dropna()):
            df[col] = df[col].astype("string")  # a string column even when empty, so Parquet schemas agree
    return df


def _atomic_target(path: Path) -> Path:
    """A new empty file beside `path` (hidden, unique), with the permissions a plain new file gets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return tmp
        except FileExistsError:
            continue


def _replace(tmp: Path, path: Path) -> None:
    """Make the temporary file durable, then put it in place in one step."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def atomic_write(out: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file beside `out`, then rename it to `out` in one step,
    so a reader never sees a torn file and an interrupted run leaves the old one whole."""
    path = Path(out)
    tmp = _atomic_target(path)
    try:
        write(tmp)
        _replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_atomic_lines(lines: Iterable[str], out: str | os.PathLike) -> None:
    """A text file of `lines` (UTF-8, one per line), written to a temporary name and renamed."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line + "\n")

    atomic_write(out, write)


def _for_excel(df):
    """Excel refuses control characters and cells over 32,767 characters, and has 1,048,576 rows."""
    if len(df) > EXCEL_MAX_ROWS:
        raise ValueError(f"{len(df)} records do not fit in an Excel sheet ({EXCEL_MAX_ROWS} rows); write .parquet or .csv instead")
    cut = 0

    def clean(v):
        nonlocal cut
        if not isinstance(v, str):
            return v
        v = _EXCEL_ILLEGAL.sub("", v)
        if len(v) > EXCEL_MAX_CELL:
            cut += 1
            v = v[: EXCEL_MAX_CELL - 1] + "…"
        return v

    from pandas.api.types import is_object_dtype, is_string_dtype

    for col in df.columns:
        if is_object_dtype(df[col]) or is_string_dtype(df[col]):
            df[col] = df[col].map(clean)
    if cut:
        log.warning("warning: %d cells longer than Excel's 32,767 characters were cut short; the .jsonl or .parquet output keeps them whole", cut)
    return df


def write_records(records: Iterable[dict], out: str | os.PathLike, stream=None) -> int:
    """Write records in the format of OUT's extension (.jsonl, .csv, .parquet, .xlsx); '-' is JSONL to `stream`.

    Returns the number of records written. JSONL is written as the records come (they may be a
    generator); the other formats need them all. Files are written to a temporary name and
    renamed, so an interrupted run never leaves a torn file. CSV is UTF-8 with a BOM, so Excel
    shows Chinese correctly.
    """
    fmt = output_format(out)
    n = 0
    if str(out) == "-":
        import sys

        stream = stream or sys.stdout
        for r in records:
            stream.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    path = Path(out)
    tmp = _atomic_target(path)
    try:
        if fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8") as fh:
                for r in records:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                    n += 1
        else:
            df = to_dataframe(records)
            n = len(df)
            if fmt == "csv":
                df.to_csv(tmp, index=False, encoding="utf-8-sig")
            elif fmt == "parquet":
                df.to_parquet(tmp, index=False)
            else:
                _for_excel(df).to_excel(tmp, index=False, engine="openpyxl", sheet_name="records")
        _replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def read_records(path: str | os.PathLike) -> list[dict]:
    """Records back from a .jsonl file (nested) or flat rows from .csv/.parquet/.xlsx (missing values as None)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".jsonl":
        with open(path, encoding="utf-8") as fh:
            records = []
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"line {number} is not a JSON record ({exc.msg}); is this a file mscmine extract wrote?") from None
            return records
    import pandas as pd

    if ext == ".csv":
        df = pd.read_csv(path, encoding="utf-8-sig")
    elif ext == ".parquet":
        df = pd.read_parquet(path)
    elif ext in (".xlsx", ".xls"):
        df = pd.read_excel(path)
    else:
        raise ValueError(f"unknown records format {ext!r}")
    df = df.astype(object)
    return df.where(df.notna(), None).to_dict(orient="records")
