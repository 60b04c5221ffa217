"""The Python API: `load`, `extract`, `extract_many`, `nlp`, `evaluate`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .document import Document
from .loaders import load
from .records import extract_records


def _as_document(source: Document | str | os.PathLike) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, os.PathLike) or (isinstance(source, str) and len(source) < 1024 and "\n" not in source and Path(source).suffix.lower() in (".txt", ".md", ".pdf", ".html", ".htm") and Path(source).exists()):
        return load(source)
    return Document.from_text(str(source))


def extract(source: Document | str | os.PathLike) -> list[dict]:
    """Study records (dicts in the output contract) from a Document, a path or a string of text."""
    doc = _as_document(source)
    return [r.to_dict() for r in extract_records(doc)]


def extract_many(paths: Iterable[str | os.PathLike], errors: str = "report"):
    """A pandas DataFrame, one row per record, over many files (bad files are skipped and listed in
    ``df.attrs["errors"]`` unless ``errors="raise"``)."""
    from .errors import MscmineError
    from .writers import to_dataframe

    records, failed = [], []
    for p in paths:
        try:
            records.extend(extract(load(p)))
        except MscmineError as exc:
            if errors == "raise":
                raise
            failed.append({"path": str(p), "error": type(exc).__name__, "message": str(exc)})
    df = to_dataframe(records)
    df.attrs["errors"] = failed
    return df
