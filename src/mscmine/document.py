"""The `Document`: what every loader returns and every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Page:
    """One page of a paged source (PDF): its number and its character range in `Document.text`."""

    number: int  # 1-based
    start: int
    end: int


@dataclass
class Table:
    """A table as rows of cell text, with where it sits in `Document.text`."""

    rows: list[list[str]]
    page: int | None = None
    start: int | None = None
    end: int | None = None
    caption: str | None = None


@dataclass
class Document:
    """Text of one article with exact offsets; `text` is what all evidence offsets point into."""

    id: str
    text: str
    source: str | None = None
    format: str = "text"
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, id: str = "text", source: str | None = None) -> "Document":
        """A document made from a string given by the caller (no file). Line breaks become "\\n"
        without changing the length ("\\r\\n" → " \\n", "\\r" → "\\n"), so every offset indexes the
        caller's string (`mscmine.extract` then takes each evidence text from that string)."""
        return cls(id=id, text=text.replace("\r\n", " \n").replace("\r", "\n"), source=source)

    def page_of(self, offset: int) -> int | None:
        """The 1-based page that holds character `offset`, or None for unpaged sources."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return None

    @property
    def name(self) -> str:
        return Path(self.source).name if self.source else self.id
