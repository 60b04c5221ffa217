"""The one road through the stages: a document → its mentions → its studies → its records.

Every entry point (``mscmine.extract``, the batch worker, ``mscmine show``, the evaluation) goes
through `extract_document`, so a document is analysed and its records built once, the same way
everywhere, and each caller takes what it needs (the records, the mentions, the text) from one
`Extraction`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .article import ArticleKind
from .document import Document
from .loaders import load
from .mentions import Analysis, analyse
from .records import StudyRecord, build_records
from .studies import StudyFinding, find_studies


@dataclass(frozen=True)
class Extraction:
    """What the stages make of one document, each stage's output kept."""

    doc: Document
    analysis: Analysis  # the mentions, in original offsets
    studies: StudyFinding
    records: tuple[StudyRecord, ...]  # one per study, in text order, then the document's record

    @property
    def article(self) -> ArticleKind | None:
        """What the article reports (a trial, a case, a review that pools others, ...), and why."""
        return self.studies.article

    @property
    def unassigned(self) -> list[dict]:
        """The facts found in no study (the document record's ``unassigned``)."""
        return self.records[-1].unassigned or []

    def record_dicts(self) -> list[dict]:
        """The records in the output contract; new dicts each call, so a caller may add keys."""
        return [r.to_dict() for r in self.records]


def extract_document(doc: Document) -> Extraction:
    """Analyse `doc`, find its studies and build their records, once each."""
    analysis = analyse(doc)
    studies = find_studies(analysis)
    return Extraction(doc, analysis, studies, tuple(build_records(analysis, studies)))


def extract_file(path: str | os.PathLike, **load_options) -> Extraction:
    """Load one file (`load_options`: those of `mscmine.loaders.load`) and extract it."""
    return extract_document(load(path, **load_options))
