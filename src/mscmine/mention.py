"""`Mention`: one extracted fact with its surface text, its span and its normalised value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

#: the type of a mention's normalised value
V = TypeVar("V")

#: entity labels, in the order they are reported
LABELS = (
    "DISEASE",
    "CELL_TYPE",
    "CELL_SOURCE",
    "DONOR",
    "ROUTE",
    "DOSE",
    "N_PATIENTS",
    "FOLLOW_UP",
    "OUTCOME",
    "ADVERSE_EVENT",
)


@dataclass
class Mention(Generic[V]):
    """A typed span. `start`/`end` index the text it was found in (see `Extraction.to_original`).

    `value` is the normalised value: a code string for term labels (`TermMention`), a dict for
    the others (`FactMention`; dose: low/high/unit/times/interval; N_PATIENTS: value/role; ...).
    The records turn fact values into typed evidence (`mscmine.evidence`).
    """

    label: str
    start: int
    end: int
    text: str
    value: V
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {"label": self.label, "start": self.start, "end": self.end, "text": self.text, "value": self.value}
        if self.attrs:
            out["attrs"] = dict(self.attrs)
        return out

    def overlaps(self, other: "Mention") -> bool:
        return self.start < other.end and other.start < self.end


#: a term's mention (DISEASE, CELL_TYPE, CELL_SOURCE, DONOR, ROUTE): its value is a code
TermMention = Mention[str]
#: a fact's mention (DOSE, N_PATIENTS, FOLLOW_UP, OUTCOME, ADVERSE_EVENT): its value is a dict
FactMention = Mention[dict[str, Any]]
