"""The Python API: `load`, `extract`, `extract_many`, `nlp`, `evaluate`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .core import extract_document
from .document import Document
from .loaders import load


def _as_document(source: Document | str | os.PathLike) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, os.PathLike) or (isinstance(source, str) and len(source) < 1024 and "\n" not in source and Path(source).suffix.lower() in (".txt", ".md", ".pdf", ".html", ".htm") and Path(source).exists()):
        return load(source)
    return Document.from_text(str(source))


def extract(source: Document | str | os.PathLike) -> list[dict]:
    """Study records (dicts in the output contract) from a Document, a path or a string of text.
    For a string, every evidence's ``start``/``end`` index that string and its ``text`` is its
    slice (line breaks of any kind included)."""
    doc = _as_document(source)
    records = extract_document(doc).record_dicts()
    if isinstance(source, str) and doc.source is None and doc.text != source:
        for record in records:
            _texts_from(source, record)
    return records


def _texts_from(original: str, value) -> None:
    """Set the ``text`` of every evidence object inside `value` to `original`'s slice."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and "text" in value:
            value["text"] = original[value["start"] : value["end"]]
        for v in value.values():
            _texts_from(original, v)
    elif isinstance(value, list):
        for v in value:
            _texts_from(original, v)


def extract_many(paths: Iterable[str | os.PathLike], errors: str = "report", workers: int | None = 1):
    """A pandas DataFrame, one row per record (see `mscmine.writers.flatten`), over many files.

    `paths` are files, folders (searched recursively for .pdf .html .htm .txt .md) or globs.
    Bad files are skipped and listed in ``df.attrs["errors"]`` (rows of path, error, message)
    unless ``errors="raise"``, which raises the first file's error. `workers` > 1 (or None: one
    per CPU) reads the files in a process pool; call it under ``if __name__ == "__main__":`` then.
    """
    from . import errors as _errors
    from .batch import collect_inputs, iter_results
    from .writers import to_dataframe

    if errors not in ("report", "raise"):
        raise ValueError(f'errors must be "report" or "raise", not {errors!r}')
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    records, failed = [], []
    for res in iter_results(collect_inputs(paths), workers=workers):
        err = res["error"]
        if err is None:
            records.extend(res["records"])
            continue
        if errors == "raise":
            cls = getattr(_errors, err["error"], None)
            if not (isinstance(cls, type) and issubclass(cls, _errors.MscmineError)):
                cls = _errors.InputError
            prefix = f"{err['path']}: "
            message = err["message"][len(prefix):] if err["message"].startswith(prefix) else err["message"]
            raise cls(message, err["path"])
        failed.append(err)
    df = to_dataframe(records)
    df.attrs["errors"] = failed
    return df
