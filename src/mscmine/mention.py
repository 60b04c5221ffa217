"""`Mention`: one extracted fact with its surface text, its span and its normalised value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
class Mention:
    """A typed span. `start`/`end` index the text it was found in (see `Extraction.to_original`).

    `value` is the normalised value: a code string for term labels, a dict for the others
    (dose: low/high/unit/times/interval; N_PATIENTS: value/role; ...).
    """

    label: str
    start: int
    end: int
    text: str
    value: Any
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {"label": self.label, "start": self.start, "end": self.end, "text": self.text, "value": self.value}
        if self.attrs:
            out["attrs"] = dict(self.attrs)
        return out

    def overlaps(self, other: "Mention") -> bool:
        return self.start < other.end and other.start < self.end
