"""mscmine: structured study records from Chinese articles on stem-cell therapy for autoimmune
and rheumatic diseases, every value traceable to the text it came from.

    import mscmine
    doc = mscmine.load("paper.pdf")
    records = mscmine.extract(doc)
    df = mscmine.extract_many(paths)
    nlp = mscmine.nlp()
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import extract, extract_many
from .document import Document, Page, Table
from .errors import MscmineError
from .loaders import load


def nlp():
    """The spaCy pipeline (see `mscmine.pipeline`)."""
    from .pipeline import nlp as _nlp

    return _nlp()


def evaluate(*args, **kwargs):
    """Score predictions against the gold annotations (see `mscmine.evaluation.scorer.evaluate`)."""
    from .evaluation.scorer import evaluate as _evaluate

    return _evaluate(*args, **kwargs)


__all__ = ["Document", "Page", "Table", "MscmineError", "extract", "extract_many", "load", "nlp", "evaluate", "__version__"]
