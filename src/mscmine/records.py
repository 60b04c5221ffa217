"""Study records: find each study an article reports and link its facts to it.

1. Study tables in the text (``tables.read_tables``) give one record per row.
2. Citation anchors in running text start a study: ``Liang 等^[13]报道…``, ``王黎明等^[15]采用…``,
   ``一项…研究^[25]``, ``该课题组进一步…^[16]``. A study runs to the next anchor, section heading
   or paragraph end; the mentions inside it are its facts. Studies with no patient fact (no
   sample size, dose or route) and studies in animals are not records.
3. A clause that ends in a citation mark (``…点状注射[8]``) adds its facts to that citation's record.
4. The same citation in two places is one record (fields merged); one citation that reports
   several disease cohorts gives one record per cohort.
5. One ``scope: "document"`` record holds what the article pools (``12篇文献共报道76例…``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import regex

from .document import Document
from .mention import Mention
from .mentions import ANIMAL, Analysis, analyse
from .references import parse_references
from .tables import parse_range_cell, read_outcome_tables, read_tables

_AUTHOR = r"(?P<author>[A-Z][A-Za-z\-']+(?:\s[A-Z][A-Za-z\-']+)?|[\p{Han}]{2,4}?)\s?(?:等|团队|课题组)"
_CIT = r"\s?(?P<cit>\^?\[\s?\d{1,3}(?:\s?[,，\-~]\s?\d{1,3})*\s?\])"
_ANCHORS = [
    regex.compile(_AUTHOR + _CIT),
    regex.compile(r"(?P<backref>该(?:课题组|团队|研究组|小组|研究团队))[^。;\n]{0,120}?" + _CIT),
    regex.compile(r"(?P<generic>(?:另)?一项[^。;\n]{0,40}?(?:研究|试验|报道)(?:结果)?(?:中)?)" + _CIT),
    regex.compile(r"(?P<generic>(?:在)?(?:已发表的)?(?:病例|个案)(?:报道)?里?)[^。;\n]{0,40}?" + _CIT),
]
# Studies named without a citation mark (science journalism, reviews of registered trials, the
# history paragraphs of reviews): the anchor starts a sentence-long study. Kinds, as data:
_UNCITED_ANCHORS: tuple[tuple[str, regex.Pattern], ...] = (
    # a registered trial: NCT01663116, ChiCTR-IIR-16009013
    ("registry", regex.compile(r"(?P<label>NCT\d{8}|ChiCTR[-A-Za-z]*\d{6,12})")),
    # who reported it: "欧洲学者报道", "徐建军团队发现", "该团队成功应用", "研究人员观察到"
    # (the name is read behind the keyword, so the search starts from the keyword: fast)
    ("reporter", regex.compile(
        r"(?<=(?P<pre>[\p{Han}A-Za-z]{0,6}))(?P<kw>学者|团队|课题组|研究组|研究者|研究人员|医生)(?:的研究)?\s?[^。;,，:：]{0,6}?"
        r"(?:报道|报告|发现|揭示|证实|观察到|开展|进行|应用|采用|首次)")),
    # "一项1/2期随机对照研究", "一项纳入 60 例患者的试验"
    ("one_study", regex.compile(r"(?<![\p{Han}])(?:另)?(?P<label>一项[^。;\n]{0,40}?(?:研究|试验))")),
    # a year-led history sentence: "2007年首次应用异体骨髓MSC移植治疗难治性SLE"
    ("year", regex.compile(r"(?:^|(?<=[。;\n]))\s*(?:在\s?)?(?P<year>(?:19|20)\d{2})\s?年[,，]?")),
)
#: transplant procedures that name the cells given, for studies that name no cell type
PROCEDURE_CELL_TYPES = {"骨髓移植": "HSC", "外周血干细胞移植": "HSC", "脐血移植": "HSC"}
_PROCEDURE_CELL_TYPE = regex.compile("|".join(sorted(PROCEDURE_CELL_TYPES, key=len, reverse=True)))
# what a sentence must say for an uncited anchor to be a study in patients: a treatment given
_TREATMENT = regex.compile(r"移植|输注|注射|治疗|应用|接受|给予|回输")
_IN_VITRO = regex.compile(r"体外|培养|细胞系|共培养")
_SIMILAR_RESULTS = regex.compile(r"(?:亦|也)(?:有|得到|获得|显示出?|观察到)?(?:相似|类似|一致)的?(?:结果|结论|疗效)")
_YEAR = regex.compile(r"(?:在\s?)?(?P<year>(?:19|20)\d{2})\s?年")
_ANIMAL = ANIMAL  # animal and in-vitro cues, shared with mentions.py
_HEADING = regex.compile(r"^\s*(?:\d+(?:\.\d+)*\s+|[一二三四五六七八九十]+[、.]\s?)(?P<title>[^\n。]{1,40}?)(?:\s{2,}|$)", regex.MULTILINE)
_POOLED_BEFORE = regex.compile(r"(?:篇|文献|项研究|项试验)[^。]{0,20}?(?:共|总计|合计|累计)|总体|实验共纳入|共纳入|累计纳入")
_ALL_PATIENTS = regex.compile(r"所有\s?\d*\s?例?患者(?:均|都)?")


@dataclass
class StudyRecord:
    """One study (or the document's pooled figures), as in the output contract."""

    doc_id: str
    source: str | None
    record_id: str
    scope: str = "study"
    study: dict[str, Any] | None = None
    disease: list[dict] = field(default_factory=list)
    cell_type: dict | None = None
    cell_source: list[dict] = field(default_factory=list)
    donor: dict | None = None
    route: list[dict] = field(default_factory=list)
    dose: list[dict] = field(default_factory=list)
    n_patients: dict | None = None
    follow_up_months: dict | None = None
    outcomes: list[dict] = field(default_factory=list)
    adverse_events: list[dict] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "doc_id": self.doc_id,
            "source": self.source,
            "record_id": self.record_id,
            "scope": self.scope,
            "study": self.study,
            "disease": self.disease,
            "cell_type": self.cell_type,
            "cell_source": self.cell_source,
            "donor": self.donor,
            "route": self.route,
            "dose": self.dose,
            "n_patients": self.n_patients,
            "follow_up_months": self.follow_up_months,
            "outcomes": self.outcomes,
            "adverse_events": self.adverse_events,
        }
        out.update(self.extra)
        return out


def _evidence(doc: Document, m: Mention, **value) -> dict:
    ev = dict(value)
    ev.update({"text": m.text, "start": m.start, "end": m.end})
    page = doc.page_of(m.start)
    if page is not None:
        ev["page"] = page
    return ev


def _span_evidence(doc: Document, text: str, start: int, end: int, **value) -> dict:
    ev = dict(value)
    ev.update({"text": text, "start": start, "end": end})
    page = doc.page_of(start)
    if page is not None:
        ev["page"] = page
    return ev


@dataclass
class _Study:
    key: tuple
    label: str | None
    citation: tuple[int, ...]
    year: int | None
    spans: list[tuple[int, int]]  # original ranges
    section_disease: list[Mention]
    mentions: list[Mention] = field(default_factory=list)
    table_cells: dict[str, Any] = field(default_factory=dict)
    table_outcomes: list[dict] = field(default_factory=list)
    reference: Any = None  # references.Reference of the study's citation, when the list has it


def _sections(analysis: Analysis) -> list[tuple[int, list[Mention]]]:
    """(original offset, disease mentions of the heading) for each section heading."""
    norm = analysis.normalized
    out = []
    for m in _HEADING.finditer(norm.text):
        a, b = norm.to_original(m.start("title"), m.end("title"))
        diseases = [x for x in analysis.mentions if x.label == "DISEASE" and a <= x.start and x.end <= b]
        out.append((a, diseases))
    return out


def _section_disease_at(sections, offset: int) -> list[Mention]:
    current: list[Mention] = []
    for start, diseases in sections:
        if start > offset:
            break
        current = diseases
    return current


def _anchors(analysis: Analysis) -> list[dict]:
    norm = analysis.normalized
    text = norm.text
    found = []
    for pattern in _ANCHORS:
        for m in pattern.finditer(text):
            cit = norm.citation_at(m.start("cit"), m.end("cit"))
            if cit is None:
                continue
            a, _ = norm.to_original(m.start(), m.end())
            sent_start = max(text.rfind(c, 0, m.start()) for c in "。;\n") + 1
            sent_end_candidates = [i for i in (text.find(c, m.end()) for c in "。;\n") if i != -1]
            sent_end = min(sent_end_candidates) if sent_end_candidates else len(text)
            year = None
            y = _YEAR.search(text, sent_start, sent_end)
            if y:
                year = int(y.group("year"))
            label = None
            if m.groupdict().get("author"):
                label = regex.sub(r"\s", "", m.group("author")) + "等"
            para = regex.compile(r"\n\s*\n").search(text, m.end())
            para_end = norm.to_original(para.start(), para.start())[0] if para else len(norm.original)
            found.append({"pos": norm.to_original(sent_start, sent_start + 1)[0] if sent_start < len(text) else a,
                          "anchor": a, "para_end": para_end, "label": label, "citation": cit.numbers, "year": year})
    found.sort(key=lambda x: x["anchor"])
    # one anchor per sentence position and citation
    unique, seen = [], set()
    for f in found:
        k = (f["pos"], f["citation"])
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return unique


def _is_patient_study(mentions: list[Mention], text: str) -> bool:
    """Patients counted or dosed; or a result after a treatment, outside the culture dish; or
    "…的研究亦有相似的结果", a study reported by its likeness to the one before."""
    labels = {m.label for m in mentions}
    if "N_PATIENTS" in labels or "DOSE" in labels:
        return True
    text = _simplified(text)  # the cues are written in Simplified script
    if "OUTCOME" in labels and _TREATMENT.search(text) and not _IN_VITRO.search(text):
        return True
    return bool(_SIMILAR_RESULTS.search(text))


def _has_patient_result(mentions: list[Mention]) -> bool:
    """A sample size, a dose, a follow-up or a result with a number: what only a study in patients states."""
    return any(
        m.label in ("N_PATIENTS", "DOSE", "FOLLOW_UP") or (m.label == "OUTCOME" and m.value.get("value") is not None)
        for m in mentions
    )


def _simplified(text: str) -> str:
    """Simplified script, character for character (so offsets hold)."""
    from .normalize import to_simplified_chars

    return to_simplified_chars(text)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, pos) for c in "。;；\n") + 1
    ends = [i for i in (text.find(c, pos) for c in "。;；\n") if i != -1]
    return start, (min(ends) + 1 if ends else len(text))


def _single_study(analysis: Analysis, sections) -> _Study | None:
    """The study a research article reports: its patients (a total that is not a pooled count of
    other studies' patients) and at least one treatment fact (dose, route, follow-up, a result)."""
    text = analysis.doc.text
    mentions = [m for m in analysis.mentions if not any(a <= m.start < b for a, b in analysis.excluded)]
    totals = [m for m in mentions if m.label == "N_PATIENTS" and m.value.get("role") in ("total", "group")]
    totals = [m for m in totals if not _POOLED_BEFORE.search(text[max(0, m.start - 30) : m.start])]
    treated = any(m.label in ("DOSE", "ROUTE", "FOLLOW_UP") or (m.label == "OUTCOME" and m.value.get("value") is not None)
                  for m in mentions)
    if not totals or not treated or not any(m.label == "CELL_TYPE" for m in mentions):
        return None
    end = min([a for a, _ in analysis.excluded] + [len(text)])
    return _Study(("article",), None, (), None, [(0, end)], [], mentions)


def _uncited_studies(analysis: Analysis, covered: list[tuple[int, int]], sections) -> list[_Study]:
    """Studies an article names without a citation mark, one sentence each (see _UNCITED_ANCHORS).

    A sentence already inside a cited study, in the references, about animals, or naming no
    cell type and no treatment is skipped; so is one without a patient fact, unless a registry
    number or a year-led sentence reports a treatment of a named disease with a named cell type.
    """
    norm = analysis.normalized
    text = norm.text  # the Simplified, normalised view: patterns are written for it
    out: list[_Study] = []
    seen: set[int] = set()
    starts = [x.start for x in analysis.mentions]  # sorted: analyse() sorts mentions by offset
    for kind, pattern in _UNCITED_ANCHORS:
        for m in pattern.finditer(text):
            nstart, nend = _sentence_bounds(text, m.start())
            start, end = norm.to_original(nstart, nend)
            if start in seen or any(a <= start < b or a < end <= b for a, b in covered):
                continue
            if any(a <= start < b for a, b in analysis.excluded):
                continue
            sentence = text[nstart:nend]
            if _ANIMAL.search(sentence) or not _TREATMENT.search(sentence):
                continue
            lo, hi = bisect_left(starts, start), bisect_left(starts, end)
            inside = [x for x in analysis.mentions[lo:hi] if x.end <= end]
            labels = {x.label for x in inside}
            if "CELL_TYPE" not in labels and not _PROCEDURE_CELL_TYPE.search(sentence):
                continue
            if not _has_patient_result(inside) and not (kind in ("registry", "year") and "DISEASE" in labels):
                continue
            if kind in ("reporter", "one_study") and not (_has_patient_result(inside) or "DISEASE" in labels):
                continue
            seen.add(start)
            year = m.group("year") if "year" in m.groupdict() and m.group("year") else None
            if year is None:
                y = _YEAR.search(sentence)
                year = y.group("year") if y else None
            label = None
            groups = m.groupdict()
            span = ((m.start("label"), m.end("label")) if groups.get("label")
                    else (m.start("pre"), m.end("kw")) if groups.get("kw") else None)
            if span:
                # "当时有欧洲学者" → "欧洲学者", in the article's own script
                cut = regex.match(r"(?:当时|此时|随后|此外|另外|其后|后来)?(?:有)?", text[span[0] : span[1]])
                la, lb = norm.to_original(span[0] + cut.end(), span[1])
                label = analysis.doc.text[la:lb] or None
            out.append(_Study(("uncited", start), label, (), int(year) if year else None, [(start, end)],
                              _section_disease_at(sections, start), inside))
    out.sort(key=lambda st: st.spans[0][0])
    return out


def _pick_diseases(mentions: list[Mention], doc_text: str) -> list[Mention]:
    """The cohort's diseases: those named with the sample size, else those before 患者, else all."""
    diseases = [m for m in mentions if m.label == "DISEASE" and m.value not in ("AID", "RD")]
    totals = [m for m in mentions if m.label == "N_PATIENTS" and m.value.get("role") in ("total", "group")]
    with_count = [d for d in diseases if any(0 <= d.start - t.end <= 12 for t in totals)]
    near_patients = [m for m in diseases if regex.match(r"\s?(?:患者|病人|患儿)", doc_text[m.end : m.end + 4])]
    chosen = with_count or near_patients or diseases
    # "PM/DM患者", "多发性肌炎/皮肌炎患者": the partner before the slash belongs too
    for d in diseases:
        if d not in chosen and any(regex.fullmatch(r"\s?[/、]\s?", doc_text[d.end : c.start]) for c in chosen if c.start > d.end):
            chosen.append(d)
    chosen.sort(key=lambda m: m.start)
    out, seen = [], set()
    for m in chosen:
        if m.value not in seen:
            seen.add(m.value)
            out.append(m)
    return out


def build_records(analysis: Analysis) -> list[StudyRecord]:
    doc = analysis.doc
    text = doc.text
    mentions = analysis.mentions
    sections = _sections(analysis)
    studies: dict[tuple, _Study] = {}
    order: list[tuple] = []

    # 1. tables
    table_spans = []
    for table in read_tables(analysis.normalized.text):
        norm = analysis.normalized
        ta, tb = norm.to_original(table.start, table.end)
        table_spans.append((ta, tb))
        header_end = text.find("\n", ta)
        header_types = [m for m in mentions if m.label == "CELL_TYPE" and ta <= m.start < header_end]
        for row in table.rows:
            ra, rb = norm.to_original(row.start, row.end)
            key = ("cit", row.citation)
            cells = {}
            for typ, (cell, s, e) in row.cells.items():
                oa, ob = norm.to_original(s, e)
                cells[typ] = (text[oa:ob], oa, ob)
            st = _Study(key, row.author, (row.citation,), None, [(ra, rb)], [], [], cells)
            y = cells.get("year")
            if y and y[0].isdigit():
                st.year = int(y[0])
            st.mentions = [m for m in mentions if ra <= m.start and m.end <= rb] + header_types[:1]
            studies[key] = st
            order.append(key)

    # 2. anchored studies in running text
    anchors = _anchors(analysis)
    animal_studies: list[dict] = []  # cited studies in animals or in vitro: named, never records
    heading_starts = [s for s, _ in sections]
    cited_clauses = _cited_clauses(analysis)
    for i, anc in enumerate(anchors):
        start = anc["pos"]
        end = anc["para_end"]
        if i + 1 < len(anchors) and anchors[i + 1]["pos"] > start:
            end = min(end, anchors[i + 1]["pos"])
        for h in heading_starts:
            if start < h < end:
                end = h
        # a later clause closed by another citation is that study's statement, not this one's
        for clause_start, cit_start, numbers in cited_clauses:
            if anc["anchor"] < clause_start and cit_start < end and anc["citation"][0] not in numbers:
                end = clause_start
                break
        span_text = text[start:end]
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        animal = _ANIMAL.search(_simplified(span_text))  # cues in Simplified script; offsets kept
        if animal and not any(m.label == "N_PATIENTS" and m.value.get("role") == "total" for m in inside):
            if not any(a["citation"] == anc["citation"] for a in animal_studies):
                animal_studies.append({"citation": "[" + ",".join(map(str, anc["citation"])) + "]", "label": anc["label"],
                                       "model": animal.group(), "text": span_text.strip()[:200], "start": start, "end": end})
            continue
        if not _is_patient_study(inside, span_text):
            # no patient fact: a background citation, unless it adds to a known study
            key = ("cit", anc["citation"][0])
            if key in studies:
                studies[key].mentions.extend(inside)
                studies[key].spans.append((start, end))
            continue
        diseases = tuple(sorted(m.value for m in _pick_diseases(inside, text))) or tuple(
            sorted({m.value for m in _section_disease_at(sections, start)})
        )
        key = ("cit", anc["citation"][0], diseases)
        base = ("cit", anc["citation"][0])
        if base in studies and (not studies[base].table_cells or True):
            existing = studies[base]
            existing_dis = tuple(sorted({m.value for m in _pick_diseases(existing.mentions, text)}))
            if not diseases or not existing_dis or set(diseases) & set(existing_dis) or existing.table_cells:
                existing.mentions.extend(m for m in inside if m not in existing.mentions)
                existing.spans.append((start, end))
                existing.label = existing.label or anc["label"]
                existing.year = existing.year or anc["year"]
                continue
        if key in studies:
            studies[key].mentions.extend(m for m in inside if m not in studies[key].mentions)
            continue
        st = _Study(key, anc["label"], anc["citation"], anc["year"], [(start, end)], _section_disease_at(sections, start), inside)
        if base not in studies:
            studies[base] = st
        else:
            studies[key] = st
        order.append(base if studies.get(base) is st else key)

    # 2a. a clause that states a result in patients and closes with its own citation, no author
    # named: "自体 MSCs 移植不能改善 SLE 疾病活动性^[22]"
    simple = _simplified(text)
    for clause_start, cit_start, numbers in cited_clauses:
        if len(numbers) != 1 or ("cit", numbers[0]) in studies or any(a <= clause_start < b for a, b in analysis.excluded):
            continue
        inside = [m for m in mentions if clause_start <= m.start and m.end <= cit_start]
        clause = simple[clause_start:cit_start]
        if _ANIMAL.search(clause) or not any(m.label == "OUTCOME" or m.label == "N_PATIENTS" for m in inside):
            continue
        if not _is_patient_study(inside, clause) or "CELL_TYPE" not in {m.label for m in inside}:
            continue
        key = ("cit", numbers[0])
        studies[key] = _Study(key, None, numbers, None, [(clause_start, cit_start)],
                              _section_disease_at(sections, clause_start), inside)
        order.append(key)

    # 2b. studies named without a citation mark
    covered = [span for st in studies.values() for span in st.spans] + table_spans
    for st in _uncited_studies(analysis, covered, sections):
        studies[st.key] = st
        order.append(st.key)
    # 2c. an article that reports one study of its own (a trial, a case series): no anchors, no
    # tables, but patients counted and treated in its own text
    if not studies:
        own = _single_study(analysis, sections)
        if own is not None:
            studies[own.key] = own
            order.append(own.key)
    order.sort(key=lambda k: studies[k].spans[0][0])  # records in text order
    # 3. facts in clauses that end with a citation mark
    norm = analysis.normalized
    for cit in norm.citations:
        if len(cit.numbers) != 1:
            continue
        key = ("cit", cit.numbers[0])
        st = studies.get(key)
        if st is None or not st.table_cells:
            continue
        clause_start = max(norm.text.rfind(c, 0, cit.start) for c in "。;,\n") + 1
        a, b = norm.to_original(clause_start, cit.start)
        for m in mentions:
            if a <= m.start and m.end <= b and m.label in ("ROUTE", "DONOR", "DOSE", "FOLLOW_UP") and m not in st.mentions:
                st.mentions.append(m)

    # 3b. outcome tables: counts per outcome per study, on the study of the row's citation
    for otable in read_outcome_tables(norm.text):
        for orow in otable.rows:
            st = studies.get(("cit", orow.citation))
            if st is not None:
                st.table_outcomes.extend(_table_outcomes(doc, norm, otable, orow))

    # 4. a statement about all patients ("所有76例患者均经静脉输注") gives every table study its route
    pooled_routes = []
    for m in _ALL_PATIENTS.finditer(text):
        clause_end = min([i for i in (text.find(c, m.end()) for c in "。;，,") if i != -1] or [len(text)])
        pooled_routes += [x for x in mentions if x.label == "ROUTE" and m.end() <= x.start < clause_end]

    # 4b. a study that names no disease, in no section that does, is about the article's disease
    # when one disease dominates the article (an RA review: 类风湿关节炎 in most disease mentions)
    main = _dominant_disease(mentions)
    if main is not None:
        for st in studies.values():
            if not st.section_disease:
                st.section_disease = [main]

    # 5. the reference list fills what the running text leaves out: year and first author
    references = parse_references(text)
    for st in studies.values():
        ref = references.get(st.citation[0]) if len(st.citation) == 1 else None
        if ref is not None:
            st.year = st.year or ref.year
            if not st.label and ref.first_author:
                st.label = ref.first_author + "等"
            st.reference = ref

    records = []
    for n, key in enumerate(order, start=1):
        st = studies[key]
        rec = _to_record(doc, st, n, sections)
        if st.table_cells and not rec.route and pooled_routes:
            rec.route = [_evidence(doc, r, code=r.value) for r in _unique_by_value(pooled_routes)]
        records.append(rec)
    pooled = _pooled_citations(analysis)
    if pooled:
        for rec, key in zip(records, order):
            cits = studies[key].citation
            rec.extra["pooled"] = bool(cits) and all(c in pooled for c in cits)
    document = _document_record(analysis, len(records) + 1, table_spans)
    # clauses that end in a citation and are about animals: "…可抑制NOD小鼠 CD4+ T细胞增殖[35]"
    prev_end = 0
    for cit in norm.citations:  # the text a citation closes: from its sentence start or the previous mark
        clause_start = max([norm.text.rfind(c, 0, cit.start) + 1 for c in "。;；\n"] + [prev_end])
        prev_end = cit.end
        animal = _ANIMAL.search(norm.text, clause_start, cit.start)
        label = "[" + ",".join(map(str, cit.numbers)) + "]"
        if animal and not any(a["citation"] == label for a in animal_studies):
            a, b = norm.to_original(clause_start, cit.end)
            animal_studies.append({"citation": label, "label": None, "model": animal.group(),
                                   "text": text[a:b].strip()[:200], "start": a, "end": b})
    known = {f"[{k[1]}]" for k in studies if k[0] == "cit"}
    animal_studies = [a for a in animal_studies if a["citation"] not in known]
    if animal_studies:
        document.extra["animal_studies"] = animal_studies
    records.append(document)
    return records


def _cited_clauses(analysis: Analysis) -> list[tuple[int, int, tuple[int, ...]]]:
    """(clause start, citation start, numbers) in original offsets for every citation mark: the
    clause a mark closes runs from its sentence start or the previous mark."""
    norm = analysis.normalized
    out = []
    prev_end = 0
    for cit in norm.citations:
        clause_start = max([norm.text.rfind(c, 0, cit.start) + 1 for c in "。;；\n"] + [prev_end])
        prev_end = cit.end
        a, b = norm.to_original(clause_start, cit.start)
        out.append((a, b, cit.numbers))
    return out


def _dominant_disease(mentions: list[Mention], share: float = 0.6) -> Mention | None:
    """The first mention of the disease named in at least `share` of the specific disease mentions."""
    diseases = [m for m in mentions if m.label == "DISEASE" and m.value not in ("AID", "RD")]
    if len(diseases) < 3:
        return None
    counts: dict[str, int] = {}
    for m in diseases:
        counts[m.value] = counts.get(m.value, 0) + 1
    code = max(counts, key=counts.get)
    if counts[code] < share * len(diseases):
        return None
    return next(m for m in diseases if m.value == code)


def _pooled_citations(analysis: Analysis) -> set[int]:
    """Citation numbers of the studies the article pools: the marks in a sentence that states a
    pooled total ("根据表1所示12篇文献[1-12]，实验共纳入…76例"). Empty when no sentence says so."""
    from .normalize import parse_citation_numbers

    text = analysis.doc.text
    out: set[int] = set()
    for m in analysis.mentions:
        if m.label != "N_PATIENTS" or m.value.get("role") != "total":
            continue
        if not _POOLED_BEFORE.search(text[max(0, m.start - 30) : m.start]):
            continue
        # the sentence, across the hard line wraps of PDF text
        start = max([text.rfind(c, max(0, m.start - 300), m.start) for c in "。;；"] + [max(0, m.start - 300)]) + 1
        ends = [i for i in (text.find(c, m.end, m.end + 300) for c in "。;；") if i != -1]
        end = min(ends) if ends else min(len(text), m.end + 300)
        for c in regex.finditer(r"\[\s?(\d{1,3}(?:\s?[-~–,，、]\s?\d{1,3})*)\s?\]", text[start:end]):
            out.update(parse_citation_numbers(c.group(1).replace("–", "-")))
    return out


def _table_outcomes(doc: Document, norm, table, row) -> list[dict]:
    """Outcome evidence for each count of an outcome-table row: measure and direction from the
    column name, the count as value, the row's patients as the denominator."""
    from .extractors.outcomes import _measure_in

    out = []
    for cell in row.cells:
        a, b = norm.to_original(cell.start, cell.end)
        column = cell.column
        if "复发" in column:
            measure = "relapse"
        elif "死亡" in column:
            measure = "mortality"
        else:
            measure = _measure_in(column, 0, len(column))
        direction = ("down" if regex.search(r"下降|降低|减少|降至", column) else
                     "up" if regex.search(r"上升|升高|增加", column) else None)
        ev = _span_evidence(doc, doc.text[a:b], a, b, measure=measure, value=cell.value, unit="count", negated=False,
                            column=column, of=row.n, table=table.caption)
        if direction:
            ev["direction"] = direction
        out.append(ev)
    return out


def _unique_by_value(mentions: list[Mention]) -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        key = str(m.value)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _to_record(doc: Document, st: _Study, n: int, sections) -> StudyRecord:
    from .lexicon import mesh_of

    ms = st.mentions
    rec = StudyRecord(doc.id, doc.source, f"{doc.id}#{n}")
    citation = "[" + ",".join(map(str, st.citation)) + "]" if st.citation else None
    rec.study = {"label": st.label, "citation": citation, "year": st.year}
    if st.reference is not None:
        ref = st.reference
        rec.study["reference"] = {"number": ref.number, "first_author": ref.first_author, "year": ref.year,
                                  "text": ref.text, "start": ref.start, "end": ref.end}
    diseases = _pick_diseases(ms, doc.text) or list(st.section_disease)
    rec.disease = [_evidence(doc, m, code=m.value, mesh=mesh_of(m.value)) for m in _unique_by_value(diseases)]
    types = [m for m in ms if m.label == "CELL_TYPE"]
    if types:
        rec.cell_type = _evidence(doc, types[0], code=types[0].value)
    else:
        for a, b in st.spans:
            p = _PROCEDURE_CELL_TYPE.search(_simplified(doc.text[a:b]))
            if p:  # "接受异基因骨髓移植": the procedure names the cells
                pa, pb = a + p.start(), a + p.end()
                rec.cell_type = _span_evidence(doc, doc.text[pa:pb], pa, pb, code=PROCEDURE_CELL_TYPES[p.group()])
                break
    rec.cell_source = [_evidence(doc, m, code=m.value) for m in _unique_by_value([m for m in ms if m.label == "CELL_SOURCE"])]
    donors = [m for m in ms if m.label == "DONOR"]
    if donors:
        rec.donor = _evidence(doc, donors[0], code=donors[0].value)
    rec.route = [_evidence(doc, m, code=m.value) for m in _unique_by_value([m for m in ms if m.label == "ROUTE"])]
    rec.dose = [_evidence(doc, m, **m.value) for m in _unique_by_value([m for m in ms if m.label == "DOSE"])]
    totals = [m for m in ms if m.label == "N_PATIENTS" and m.value["role"] == "total"]
    groups = [m for m in ms if m.label == "N_PATIENTS" and m.value["role"] == "group"]
    chosen = totals[0] if totals else (groups[0] if groups else None)
    if chosen is not None:
        rec.n_patients = _evidence(doc, chosen, value=chosen.value["value"])
    fus = [m for m in ms if m.label == "FOLLOW_UP"]
    if fus:
        lows = [m.value["low"] for m in fus if m.value["low"] is not None]
        highs = [m.value["high"] for m in fus if m.value["high"] is not None]
        low = min(lows) if lows else None
        # an open bound ("随访≥3个月") leaves the upper end unknown
        high = None if any(m.value["high"] is None for m in fus) or not highs else max(highs)
        f = fus[0]
        rec.follow_up_months = _evidence(doc, f, low=low, high=high)
    rec.outcomes = [_evidence(doc, m, **m.value) for m in ms if m.label == "OUTCOME"] + st.table_outcomes
    rec.adverse_events = [_evidence(doc, m, **m.value) for m in ms if m.label == "ADVERSE_EVENT"]

    # table cells override or fill the text mentions
    cells = st.table_cells
    if cells:
        if "n" in cells:
            t, a, b = cells["n"]
            rec.n_patients = _span_evidence(doc, t, a, b, value=int(t))
        if "follow_up" in cells:
            t, a, b = cells["follow_up"]
            lo, hi = parse_range_cell(t)
            rec.follow_up_months = _span_evidence(doc, t, a, b, low=lo if lo is not None else hi, high=hi)
        if "sex" in cells:
            t, a, b = cells["sex"]
            male, female = (int(x) for x in regex.findall(r"\d+", t)[:2])
            rec.extra["sex"] = _span_evidence(doc, t, a, b, male=male, female=female)
        if "age" in cells:
            t, a, b = cells["age"]
            lo, hi = parse_range_cell(t)
            rec.extra["age_years"] = _span_evidence(doc, t, a, b, low=lo, high=hi)
        if "source" in cells:
            t, a, b = cells["source"]
            counts = {}
            for m in ms:
                if m.label == "CELL_SOURCE" and a <= m.start < b:
                    k = regex.match(r"\s?(\d+)", doc.text[m.end : m.end + 6])
                    if k:
                        counts[m.value] = int(k.group(1))
            if counts:
                rec.extra["source_counts"] = counts
        if rec.cell_type is None:
            rec.cell_type = None
    return rec


def _document_record(analysis: Analysis, n: int, table_spans: list[tuple[int, int]] = ()) -> StudyRecord:
    """What the article itself pools: its total, and counts per disease and per cell source."""
    from .lexicon import mesh_of

    doc = analysis.doc
    text = doc.text
    ms = analysis.mentions
    rec = StudyRecord(doc.id, doc.source, f"{doc.id}#{n}", scope="document")
    rec.disease = [_evidence(doc, m, code=m.value, mesh=mesh_of(m.value)) for m in _unique_by_value(
        [m for m in ms if m.label == "DISEASE" and m.value not in ("AID", "RD")])]
    types = [m for m in ms if m.label == "CELL_TYPE"]
    if types:
        counts: dict[str, int] = {}
        for m in types:
            counts[m.value] = counts.get(m.value, 0) + 1
        main = max(counts, key=counts.get)
        first = next(m for m in types if m.value == main)
        rec.cell_type = _evidence(doc, first, code=main)
    rec.cell_source = [_evidence(doc, m, code=m.value) for m in _unique_by_value([m for m in ms if m.label == "CELL_SOURCE"])]
    # the pooled total: a total count in a sentence that pools ("共", "实验共纳入", "总体")
    pooled = None
    for m in ms:
        if m.label == "N_PATIENTS" and m.value["role"] == "total":
            before = text[max(0, m.start - 30) : m.start]
            if _POOLED_BEFORE.search(before):
                pooled = m
                break
    if pooled is not None:
        rec.n_patients = _evidence(doc, pooled, value=pooled.value["value"])
        # counts per disease and per source right after the pooled total
        window_end = min(len(text), pooled.end + 400)
        per_disease: list[dict] = []
        per_source: dict[str, int] = {}
        for m in ms:
            if not (pooled.end <= m.start < window_end) or m.label not in ("DISEASE", "CELL_SOURCE"):
                continue
            k = regex.match(r"(?:来源)?\s?(\d{1,5})\s?例", text[m.end : m.end + 8])
            if not k:
                continue
            if m.label == "DISEASE":
                codes = [m.value]
                prev = [x for x in ms if x.label == "DISEASE" and x.end <= m.start and m.start - x.end <= 2]
                if prev:
                    codes = [prev[-1].value] + codes
                    per_disease = [d for d in per_disease if d["codes"] != [prev[-1].value]]
                if not any(d["codes"] == codes for d in per_disease):
                    per_disease.append({"codes": codes, "n": int(k.group(1))})
            elif m.value not in per_source:
                per_source[m.value] = int(k.group(1))
        # counts per source may stand anywhere in the text ("来源于脐带60例"), tables aside
        for m in ms:
            if m.label != "CELL_SOURCE" or m.value in per_source or any(a <= m.start < b for a, b in table_spans):
                continue
            k = regex.match(r"(?:来源)?\s?(\d{1,5})\s?例", text[m.end : m.end + 8])
            if k:
                per_source[m.value] = int(k.group(1))
        if per_disease:
            rec.extra["disease_counts"] = per_disease
        if per_source:
            rec.extra["source_counts"] = per_source
    return rec


def extract_records(doc: Document) -> list[StudyRecord]:
    return build_records(analyse(doc))
