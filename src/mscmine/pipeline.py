"""`mscmine.nlp()`: a spaCy ``zh`` pipeline with its own jieba tokenizer and the mscmine components.

The tokenizer builds a private ``jieba.Tokenizer`` with a user dictionary made from the
lexicons, so loading mscmine never changes the global jieba that other code (and spaCy's own
``zh`` tokenizer) uses. It is built lazily, once per process, and left out when pickled, so
``nlp.pipe(n_process=2)`` works under spawn.

Components (one concern each; ``nlp.select_pipes(disable=["mscmine_outcomes"])`` drops one):

* ``mscmine_context`` – the normalised view of ``doc.text`` and what reports no facts;
* ``mscmine_terms``, ``mscmine_doses``, ``mscmine_sample_sizes``, ``mscmine_follow_up``,
  ``mscmine_table_cells``, ``mscmine_outcomes``, ``mscmine_adverse_events`` – one extractor each
  (the stages of ``mentions.STAGES``, the same functions ``mscmine.extract`` runs);
* ``mscmine_entities`` – splits tokens where a mention boundary falls inside one
  (脐带|间充质干细胞), puts every mention in ``doc.spans["mscmine"]`` and the non-overlapping ones
  in ``doc.ents``; each span carries ``span._.value`` (the normalised value) and ``span._.attrs``.
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
from .mentions import STAGES, Context, prepare, run_stage

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


_CONTEXT_KEY = "mscmine_context"


def _context(doc: Doc) -> Context:
    ctx = doc.user_data.get(_CONTEXT_KEY)
    if ctx is None:  # a stage used without mscmine_context before it
        ctx = doc.user_data[_CONTEXT_KEY] = prepare(Document.from_text(doc.text))
    return ctx


@Language.factory("mscmine_context")
def make_context(nlp: Language, name: str):
    """Normalise the text once (full-width forms, superscripts, citations, Traditional script)
    and note what reports no facts (references, animal sentences, outcome tables)."""

    def component(doc: Doc) -> Doc:
        doc.user_data[_CONTEXT_KEY] = prepare(Document.from_text(doc.text))
        return doc

    return component


def _make_stage(stage: str):
    def factory(nlp: Language, name: str):
        def component(doc: Doc) -> Doc:
            run_stage(_context(doc), stage)
            return doc

        return component

    return factory


for _stage, _func in STAGES.items():
    # one component per extractor: mscmine_terms, mscmine_doses, mscmine_sample_sizes, ...
    Language.factory(f"mscmine_{_stage}", func=_make_stage(_stage))


@Language.factory("mscmine_entities", default_config={"labels": None})
def make_entities(nlp: Language, name: str, labels: list[str] | None):
    """Turn the stages' mentions into spans: ``doc.spans["mscmine"]`` (all, overlaps kept) and
    ``doc.ents`` (non-overlapping, sample-size look-alikes left out), each with ``span._.value``."""
    if labels is not None and not all(isinstance(x, str) for x in labels):
        raise ValueError("mscmine_entities: labels must be a list of label names")
    _register_extensions()
    wanted = set(labels) if labels else None

    def component(doc: Doc) -> Doc:
        ctx = doc.user_data.pop(_CONTEXT_KEY, None)  # not serialisable: never left on the Doc
        mentions = [m for m in (ctx.mentions if ctx else []) if wanted is None or m.label in wanted]
        mentions.sort(key=lambda m: (m.start, m.end, m.label))
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


#: the components of `nlp()`, in order
PIPE_NAMES = ("mscmine_context",) + tuple(f"mscmine_{s}" for s in STAGES) + ("mscmine_entities",)


@lru_cache(maxsize=1)
def _cached_nlp() -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "mscmine.JiebaTokenizer.v1"}}})
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    return nlp


def nlp() -> Language:
    """The mscmine spaCy pipeline (built once per process; jieba's dictionary loads once)."""
    return _cached_nlp()
