"""The quantity layer: every number of a text with its form and unit, before anyone asks what it
measures. ``15.75±3.2分`` (a mean), ``15(6~30)个月`` (a median and its range), ``80%(24/30)``
(a share and its count), ``24/30例``, ``3例(12%)``, ``1681 U/L``, ``由12.5降至4.2``.

A `Quantity` keeps its surface span and its value; `RULES` is the ordered table of forms (the
first that claims a span wins, so the composite forms come first). Readings of what a quantity
measures (an outcome, a dose, a sample size) are made above this layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_NUM = r"\d+(?:\.\d+)?"
#: units, longest first (data for the unit reading; "%" is read by the rules)
UNITS = (
    "×10^9/L", "×10^12/L", "x10^9/L", "g/24h", "g/24 h", "mg/24h", "mg/24 h", "mmol/L", "μmol/L", "umol/L", "nmol/L",
    "pmol/L", "pg/mL", "pg/ml", "ng/mL", "ng/ml", "mg/dL", "mg/dl", "mg/L", "g/L", "U/L", "IU/L", "IU/ml", "ml/min",
    "mL/min", "mL", "ml", "mg", "kg", "cm", "mm", "次/年", "分", "次", "倍", "天", "周", "个月", "月", "年", "例", "名", "人",
    "points", "score", "×109/L", "×1012/L",
)
#: units a page wrote with its superscript flattened ("×109/L" for ×10⁹/L), read as written properly
FLATTENED_UNITS = {"×109/L": "×10^9/L", "×1012/L": "×10^12/L"}
# "分" is a score only when no word goes on: not 分别, 分钟, 分析, 分组, 分泌, 分级, 分期, 分型
_UNIT = ("(?P<unit>" + "|".join(regex.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + ")"
         + "(?!(?<=分)[别钟析组布泌配级期型数化])")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    unit: str | None  # "%", "count", a unit of `UNITS`, or None
    form: str  # the rule that read it
    of: int | None = None  # the denominator of a share or a count ("24/30": 30)
    count: float | None = None  # the count beside a share ("80%(24/30)": 24; "24例(80%)": 24)


def _f(text: str) -> float:
    return float(text)


RULES: tuple[tuple[str, regex.Pattern], ...] = (
    # 80%(24/30), 80.0% (24/30例): a share and the count it comes from
    # 64% (n = 16/25): the same with an n
    ("share_and_count", regex.compile(rf"(?P<v>{_NUM})\s?%\s?[(（]\s?(?:[nN]\s?=\s?)?(?P<n>\d+)\s?/\s?(?P<d>\d+)\s?(?:例|名)?\s?[)）]")),
    # 12.5%(3人), 8.33%(2例): a share and its count in brackets
    ("share_then_count", regex.compile(rf"(?P<v>{_NUM})\s?%\s?[(（]\s?(?P<n>\d+)\s?(?:例|名|位|人)\s?[)）]")),
    # 24例(80%), 3例（12.5%）: a count and its share
    ("count_and_share", regex.compile(rf"(?P<n>\d+)\s?(?:例|名|位|人)\s?[(（]\s?(?P<v>{_NUM})\s?%\s?[)）]")),
    # (15.75±3.2)分, 15.75 ± 3.2 U/L: the mean
    ("mean_sd", regex.compile(rf"[(（]?\s?(?P<v>{_NUM})\s?±\s?{_NUM}\s?[)）]?(?:\s?{_UNIT})?")),
    # 15(6~30)个月, 41(12-85)×10^9/L: the median
    ("median_range", regex.compile(rf"(?P<v>{_NUM})\s?[(（]\s?{_NUM}\s?(?:-|~|～|至|—)\s?{_NUM}\s?[)）](?:\s?{_UNIT})?")),
    # 24/30例: a count out of a total
    ("fraction", regex.compile(rf"(?<![\d./])(?P<n>\d+)\s?/\s?(?P<d>\d+)\s?(?:例|名)?(?![\d./])")),
    # 63.64%
    ("percent", regex.compile(rf"(?P<v>{_NUM})\s?%")),
    # 1681 U/L, 8.8分, 3例
    ("number_unit", regex.compile(rf"(?<![\d.^])(?P<v>{_NUM})\s?{_UNIT}")),
    # a bare number: 降至8.8
    ("number", regex.compile(rf"(?<![\d.^×/])(?P<v>{_NUM})(?![\d.]|\s?[×x]\s?10)")),
)


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity of ``text[start:end]`` in text order; a composite form claims its whole span."""
    end = len(text) if end is None else end
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    for form, pattern in RULES:
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            taken.append(m.span())
            g = m.groupdict()
            if form in ("share_and_count", "count_and_share", "share_then_count"):  # one result: the share, with its count
                out.append(Quantity(m.start(), m.end(), _f(g["v"]), "%", form, int(g["d"]) if g.get("d") else None,
                                    _f(g["n"])))
            elif form == "fraction":
                out.append(Quantity(m.start(), m.end(), _f(g["n"]), "count", form, int(g["d"])))
            elif form == "percent":
                out.append(Quantity(m.start(), m.end(), _f(g["v"]), "%", form))
            else:
                unit = FLATTENED_UNITS.get(g.get("unit"), g.get("unit"))
                if unit in ("例", "名", "人"):
                    unit = "count"
                out.append(Quantity(m.start(), m.end(), _f(g["v"]), unit, form))
    return sorted(out, key=lambda q: q.start)
