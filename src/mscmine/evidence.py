"""Typed evidence: the values a `records.StudyRecord` holds, each with the span it was read from.

An evidence object is a value (a code, a count, a range, a dose, an outcome, ...) plus ``text``,
``start``, ``end`` and, for PDFs, ``page``. `to_dict` writes the output contract's object
(shared/spec/output.md): the value's fields in the order the class declares them, then
``attrs`` (further keys, in the order they were given), then the span, then ``page`` where known,
then ``after_span`` (keys an outcome-table row adds after its span). A field declared with
`optional()` is left out while it is None; every other field is written, null or not.

Evidence objects also read like the dicts they replace (``ev["code"]``, ``ev.get("low")``,
``"start" in ev``), so code written against the dicts keeps working while it moves to attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

#: the span keys every evidence object carries, in the order they are written
SPAN_KEYS = ("text", "start", "end")


def optional(default: Any = None) -> Any:
    """A field left out of `to_dict` while it is None (``basis`` of a follow-up, ``mesh``...)."""
    return field(default=default, metadata={"omit_none": True})


def to_plain(value: Any) -> Any:
    """`value` as JSON-ready data: typed objects become dicts, containers are copied through."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


class _ReadsLikeADict:
    """``obj[key]``, ``obj.get(key)`` and ``key in obj`` over `to_dict()` (read-only)."""

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.to_dict().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.to_dict()

    def keys(self):
        return self.to_dict().keys()


@dataclass(kw_only=True)
class Typed(_ReadsLikeADict):
    """A small typed object written as a dict of its fields (declaration order)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = to_plain(value)
        return out


@dataclass(kw_only=True)
class Evidence(_ReadsLikeADict):
    """A value and where it was read: ``text`` is ``doc.text[start:end]`` (original offsets)."""

    text: str
    start: int
    end: int
    page: int | None = None  # 1-based, PDFs only
    attrs: dict[str, Any] = field(default_factory=dict)  # further value keys, written before the span
    after_span: dict[str, Any] = field(default_factory=dict)  # keys written after the span

    _BASE: ClassVar[frozenset[str]] = frozenset({"text", "start", "end", "page", "attrs", "after_span"})

    @classmethod
    def value_fields(cls) -> tuple[str, ...]:
        """The names of the value's own fields, in the order they are written."""
        return tuple(f.name for f in fields(cls) if f.name not in cls._BASE)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in self._BASE:
                continue
            value = getattr(self, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = to_plain(value)
        for k, v in self.attrs.items():
            out[k] = to_plain(v)
        out.update({"text": self.text, "start": self.start, "end": self.end})
        if self.page is not None:
            out["page"] = self.page
        for k, v in self.after_span.items():
            out[k] = to_plain(v)
        return out


@dataclass(kw_only=True)
class CodedEvidence(Evidence):
    """A vocabulary code (cell type, cell source, donor, route): shared/spec/vocabulary.md."""

    code: str


@dataclass(kw_only=True)
class DiseaseEvidence(CodedEvidence):
    """A disease code and its MeSH descriptor."""

    mesh: str | None


@dataclass(kw_only=True)
class CountEvidence(Evidence):
    """A number of patients."""

    value: int | float


@dataclass(kw_only=True)
class RangeEvidence(Evidence):
    """A range, either end unknown (None): ages in years."""

    low: float | None
    high: float | None


@dataclass(kw_only=True)
class FollowUpEvidence(RangeEvidence):
    """Months of follow-up; ``basis`` tells when it is not stated as one ("latest_time_point")."""

    basis: str | None = optional()


@dataclass(kw_only=True)
class DoseEvidence(Evidence):
    """One dose level: cells (``unit`` "cells") or cells per kg ("cells/kg"), how often, how far apart."""

    low: float | None
    high: float | None
    unit: str | None
    times: int | None
    interval: str | None  # "1周"


@dataclass(kw_only=True)
class OutcomeEvidence(Evidence):
    """A result: ``measure`` code, ``value`` and ``unit``, whether the text negates it; the rest
    (``direction``, ``time_point``, ``arm``, ``baseline``, ``n``, ...) in ``attrs``."""

    measure: str | None
    value: Any
    unit: str | None
    negated: bool


@dataclass(kw_only=True)
class AdverseEventEvidence(Evidence):
    """A safety statement: events denied (``negated``) or reported, serious or not, how many;
    the rest (``kind``, ``related``, ``events``, ``differs_between_arms``) in ``attrs``."""

    negated: bool
    serious: bool | None
    count: int | None


@dataclass(kw_only=True)
class SexEvidence(Evidence):
    """Patients by sex (a study table's cell)."""

    male: int
    female: int


def outcome_evidence(value: dict[str, Any], **span: Any) -> OutcomeEvidence:
    """An `OutcomeEvidence` from an outcome mention's value dict (its own keys kept in order)."""
    rest = {k: v for k, v in value.items() if k not in ("measure", "value", "unit", "negated")}
    return OutcomeEvidence(measure=value["measure"], value=value["value"], unit=value["unit"],
                           negated=value["negated"], attrs=rest, **span)


def adverse_event_evidence(value: dict[str, Any], **span: Any) -> AdverseEventEvidence:
    """An `AdverseEventEvidence` from an adverse-event mention's value dict."""
    rest = {k: v for k, v in value.items() if k not in ("negated", "serious", "count")}
    return AdverseEventEvidence(negated=value["negated"], serious=value["serious"], count=value["count"],
                                attrs=rest, **span)


def dose_evidence(value: dict[str, Any], **span: Any) -> DoseEvidence:
    """A `DoseEvidence` from a dose mention's value (``extractors.dose.Dose.to_dict``)."""
    rest = {k: v for k, v in value.items() if k not in ("low", "high", "unit", "times", "interval")}
    return DoseEvidence(low=value["low"], high=value["high"], unit=value["unit"], times=value["times"],
                        interval=value["interval"], attrs=rest, **span)


@dataclass(kw_only=True)
class CitedReference(Typed):
    """The reference-list entry a study's citation points to."""

    number: int
    first_author: str | None
    year: int | None
    text: str
    start: int
    end: int


@dataclass(kw_only=True)
class StudyInfo(Typed):
    """Who reported the study: ``label`` ("王黎明等"), ``citation`` ("[8]"), ``year``."""

    label: str | None
    citation: str | None
    year: int | None
    reference: CitedReference | None = optional()


@dataclass(kw_only=True)
class ArticleInfo(Typed):
    """What the article reports (``article.KINDS``) and the rule that decided."""

    kind: str
    reason: str


@dataclass(kw_only=True)
class DiseaseCount(Typed):
    """Patients per disease (or pair of diseases, "PM/DM") in a pooled total."""

    codes: list[str]
    n: int


@dataclass(kw_only=True)
class Topic(Typed):
    """The codes an article that pools no studies names anywhere: what it is about."""

    disease: list[str]
    cell_type: str | None
    cell_source: list[str]
