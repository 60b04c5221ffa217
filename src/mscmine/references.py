"""The reference list: numbered entries with their first author and year.

A review names its studies by citation number (``Liang 等^[13]``); the entry ``[13] Liang J, …
[J]. Arthritis Res Ther, 2010, 12(3): …`` gives the year and first author the running text
leaves out. Entries are never studies themselves; they only fill a study's missing year and label.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_HEADING = regex.compile(r"^[ \t#*>\-]*(?:参考文献|参考资料|References?|REFERENCES|Bibliography)\s*[:：]?\s*$", regex.MULTILINE)
# "[13] …", "- [13] …", "13. …", "［13］…" at the start of a line
_ENTRY = regex.compile(r"^[ \t>*\-]*(?:\[\s?(?P<n>\d{1,3})\s?\]|(?P<n>\d{1,3})[.、]\s)\s*(?P<body>\S.*)$", regex.MULTILINE)
_DOC_TYPE = regex.compile(r"\[(?:J|M|D|C|R|N|S|P|EB/OL|Z)(?:/OL)?\]")
_YEAR = regex.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)")
_FIRST_AUTHOR = regex.compile(
    r"^\s*\*?(?P<name>[\p{Han}]{2,4}(?=[,，.、\s])"
    r"|[A-Z][A-Za-z'\-]+(?:\s[A-Z][a-z][A-Za-z'\-]*)*?(?=\s[A-Z]{1,3}(?:[,，.\s]|$)|[,，.]))"
)


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    start: int
    end: int
    first_author: str | None
    year: int | None


def _year(body: str) -> int | None:
    """The publication year: the first year after the document-type mark, else the last one."""
    mark = _DOC_TYPE.search(body)
    after = _YEAR.search(body, mark.end()) if mark else None
    if after:
        return int(after.group("year"))
    years = list(_YEAR.finditer(body))
    return int(years[-1].group("year")) if years else None


def parse_references(text: str) -> dict[int, Reference]:
    """Numbered entries after the last reference-list heading of `text` (offsets into `text`)."""
    headings = list(_HEADING.finditer(text))
    if not headings:
        return {}
    start = headings[-1].end()
    refs: dict[int, Reference] = {}
    for m in _ENTRY.finditer(text, start):
        n = int(m.group("n"))
        body = m.group("body")
        a = _FIRST_AUTHOR.match(body)
        refs.setdefault(n, Reference(n, body, m.start("body"), m.end("body"), a.group("name") if a else None, _year(body)))
    return refs
