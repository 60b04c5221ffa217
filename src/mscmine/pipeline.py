"""`mscmine.nlp()`: a spaCy ``zh`` pipeline with its own jieba tokenizer and the mscmine components.

The tokenizer builds a private ``jieba.Tokenizer`` with a user dictionary made from the
lexicons, so loading mscmine never changes the global jieba that other code (and spaCy's own
``zh`` tokenizer) uses. It is built lazily, once per process, and left out when pickled, so
``nlp.pipe(n_process=2)`` works under spawn.

Components (one concern each):

* ``mscmine_entities`` – runs the term matcher and the extractors over ``doc.text``, splits
  tokens where a mention boundary falls inside one (脐带|间充质干细胞), puts every mention in
  ``doc.spans["mscmine"]`` and the non-overlapping ones in ``doc.ents``; each span carries
  ``span._.value`` (the normalised value) and ``span._.attrs``.
"""

from __future__ import annotations

import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .document import Document
from .lexicon import jieba_user_dict_lines
from .mentions import analyse

_LOCK = threading.Lock()
_JIEBA = None


def _build_jieba():
    """The process's private jieba tokenizer with the lexicon user dictionary (built once)."""
    global _JIEBA
    with _LOCK:
        if _JIEBA is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as fh:
                fh.write("\n".join(jieba_user_dict_lines()) + "\n")
                path = fh.name
            tok.load_userdict(path)
            Path(path).unlink(missing_ok=True)
            _JIEBA = tok
    return _JIEBA


class JiebaTokenizer:
    """Callable text → Doc with a private jieba tokenizer."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = [w for w in _build_jieba().cut(text, HMM=False) if w]
        spaces = [False] * len(words)
        return Doc(self.vocab, words=words, spaces=spaces)

    def __getstate__(self):
        return {"vocab": self.vocab}

    def __setstate__(self, state):
        self.vocab = state["vocab"]

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs):
        return self


@spacy.registry.tokenizers("mscmine.JiebaTokenizer.v1")
def create_jieba_tokenizer():
    def make(nlp):
        return JiebaTokenizer(nlp.vocab)

    return make


def _register_extensions() -> None:
    for name in ("value", "attrs"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def _split_tokens_at(doc: Doc, boundaries: set[int]) -> Doc:
    """Split tokens so that every offset in `boundaries` falls between two tokens."""
    with doc.retokenize() as retok:
        for token in doc:
            cuts = sorted(b - token.idx for b in boundaries if token.idx < b < token.idx + len(token.text))
            if not cuts:
                continue
            pieces, prev = [], 0
            for c in cuts + [len(token.text)]:
                pieces.append(token.text[prev:c])
                prev = c
            heads = [(token, 0)] * len(pieces)
            retok.split(token, pieces, heads=heads)
    return doc


@Language.factory("mscmine_entities", default_config={"labels": None})
def make_entities(nlp: Language, name: str, labels: list[str] | None):
    if labels is not None and not all(isinstance(x, str) for x in labels):
        raise ValueError("mscmine_entities: labels must be a list of label names")
    _register_extensions()
    wanted = set(labels) if labels else None

    def component(doc: Doc) -> Doc:
        analysis = analyse(Document.from_text(doc.text))
        mentions = [m for m in analysis.mentions if wanted is None or m.label in wanted]
        boundaries = {m.start for m in mentions} | {m.end for m in mentions}
        doc = _split_tokens_at(doc, boundaries)
        spans = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="strict")
            if span is None:
                continue
            span._.value = m.value
            span._.attrs = m.attrs
            spans.append(span)
        doc.spans["mscmine"] = spans
        doc.ents = filter_spans([s for s in spans if s.label_ != "COUNT"])
        return doc

    return component


@lru_cache(maxsize=1)
def _cached_nlp() -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "mscmine.JiebaTokenizer.v1"}}})
    nlp.add_pipe("mscmine_entities")
    return nlp


def nlp() -> Language:
    """The mscmine spaCy pipeline (built once per process; jieba's dictionary loads once)."""
    return _cached_nlp()
