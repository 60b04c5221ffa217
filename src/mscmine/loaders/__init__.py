"""`load(path)`: any supported file into a `Document`, the format found from the bytes.

Text (.txt, .md) is decoded here; PDF and HTML have their own modules. A file whose extension
disagrees with its content is read by its content, and the disagreement is noted in
`Document.meta["warnings"]`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..document import Document
from ..errors import EmptyFileError, FileMissingError, FileTooLargeError, UnsupportedFormatError
from .text import text_from_bytes

#: extensions `mscmine extract` looks for in folders
EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def sniff_format(data: bytes) -> str:
    """"pdf", "html" or "text" from the first bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "pdf"
    lowered = head[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or b"<body" in lowered or b"<head" in lowered:
        return "html"
    return "text"


def load(path: str | os.PathLike, *, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = 60.0) -> Document:
    """Read one file into a `Document` whose `text` keeps the exact characters evidence points into."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise FileMissingError("no such file", name)
    if not p.is_file():
        raise FileMissingError("not a file (a folder? use mscmine extract for folders)", name)
    size = p.stat().st_size
    if size == 0:
        raise EmptyFileError("the file is empty (0 bytes); nothing to read", name)
    if size > max_bytes:
        raise FileTooLargeError(f"{size} bytes is over the limit of {max_bytes}; raise max_bytes to read it", name)
    data = p.read_bytes()
    fmt = sniff_format(data)
    ext = p.suffix.lower()
    expected = {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(ext, "text")
    warnings = []
    if fmt != expected:
        warnings.append(f"extension {ext or '(none)'} but the content is {fmt}; read as {fmt}")
    doc_id = doc_id or p.stem
    if fmt == "pdf":
        from .pdf import load_pdf

        doc = load_pdf(data, name, doc_id=doc_id, timeout=timeout)
    elif fmt == "html":
        from .html import load_html

        doc = load_html(data, name, doc_id=doc_id)
    else:
        if ext not in (".txt", ".md", ".text", "") and fmt == expected:
            raise UnsupportedFormatError(f"unsupported file type {ext}; mscmine reads .txt, .md, .html, .pdf", name)
        text, enc = text_from_bytes(data, name)
        doc = Document(id=doc_id, text=text, source=name, format="text", meta={"encoding": enc})
    if warnings:
        doc.meta.setdefault("warnings", []).extend(warnings)
    return doc
