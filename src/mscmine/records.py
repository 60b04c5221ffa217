"""Study records: one `StudyRecord` per study the article reports, every value with its evidence.

`studies.find_studies` finds the studies and the mentions that are their facts (its docstring
lists the steps); `build_records` turns each into a record in the output contract:

- a study's diseases are those of its cohort (named with the sample size, else before 患者,
  else any), else its section's; its cell type the first named, else the one a transplant
  procedure names (``骨髓移植``); its sample size the first total, else the first group;
- study-table cells override or fill what the running text says (sample size, follow-up, sex,
  age, counts per cell source), outcome-table rows add counts per outcome, and a route stated
  for all patients fills a table study's route;
- ``pooled`` marks the studies a pooled total counts, when the article states one;
- one last ``scope: "document"`` record holds what the article pools (``12篇文献共报道76例…``):
  its total, counts per disease and per cell source, the cohort's diseases, and the cited studies
  in animals; when it names the studies it pools, also the facts it states of the pool and of no
  single study (follow-up, routes, results, safety);
- its ``unassigned`` list holds every fact and term no record holds, each with a reason
  (``placement``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from .document import Document
from .evidence import (AdverseEventEvidence, ArticleInfo, CitedReference, CodedEvidence, CountEvidence, DiseaseCount,
                       DiseaseEvidence, DoseEvidence, FollowUpEvidence, OutcomeEvidence, RangeEvidence, SexEvidence,
                       StudyInfo, Topic, to_plain, adverse_event_evidence, dose_evidence, outcome_evidence)
from .extractors.cues import direction_of
from .extractors.outcomes import measure_in
from .extractors.scope import is_compared_therapy, is_control_arm, is_history, names_cell_origin, sentence_names_cells
from .mention import Mention
from .article import OWN_KINDS, names_itself_pooled
from .mentions import Analysis
from .placement import as_unassigned, discussion_start, unheld_terms, unplaced
from .normalize import to_simplified_chars
from .schema import DOCUMENT, RECORD_FIELDS, WHEN_SET
from .studies import PROCEDURE_CELL_TYPE, POOLED_BEFORE, Study, StudyFinding, pick_diseases, simplified
from .studies import PROCEDURE_CELL_TYPES  # also importable from here, as before
from .tables import follow_up_cell_months, parse_count_cell, parse_range_cell


@dataclass
class StudyRecord:
    """One study (or the document's pooled figures), as in the output contract: each field typed
    (`mscmine.evidence`), named with its kind and columns in `mscmine.schema.FIELDS`."""

    doc_id: str
    source: str | None
    record_id: str
    scope: str = "study"
    study: StudyInfo | None = None
    disease: list[DiseaseEvidence] = field(default_factory=list)
    cell_type: CodedEvidence | None = None
    cell_source: list[CodedEvidence] = field(default_factory=list)
    donor: CodedEvidence | None = None
    route: list[CodedEvidence] = field(default_factory=list)
    dose: list[DoseEvidence] = field(default_factory=list)
    n_patients: CountEvidence | None = None
    follow_up_months: FollowUpEvidence | None = None
    outcomes: list[OutcomeEvidence] = field(default_factory=list)
    adverse_events: list[AdverseEventEvidence] = field(default_factory=list)
    #: document record only: what the article reports (kind, reason) and the facts no study holds
    article: ArticleInfo | None = None
    unassigned: list[dict] | None = None
    #: written only when known: a study table's sex and age cells, patients per disease (document
    #: record) and per cell source, whether the pooled total counts the study, the cited studies
    #: in animals and the topic of an article that pools none (document record)
    sex: SexEvidence | None = None
    age_years: RangeEvidence | None = None
    disease_counts: list[DiseaseCount] | None = None
    source_counts: dict[str, int] | None = None
    pooled: bool | None = None
    animal_studies: list[dict] | None = None
    topic: Topic | None = None
    #: further keys, written after the schema's fields
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The record as the output contract's dict: the fields in `schema.FIELDS` order, each
        when its presence says, then `extra`."""
        out: dict[str, Any] = {}
        for f in RECORD_FIELDS:
            value = getattr(self, f.name)
            if f.presence == DOCUMENT:
                if self.scope != "document":
                    continue
                if value is None and f.kind == "list":
                    value = []
            elif f.presence == WHEN_SET and value is None:
                continue
            out[f.name] = to_plain(value)
        out.update(self.extra)
        return out

#: a time point before a month is a time to an effect ("2周后症状改善"), not how long patients were followed
MIN_TIME_POINT_MONTHS = 1.0


def _span(doc: Document, m: Mention) -> dict[str, Any]:
    """The evidence span of `m`: text, start, end, and the page where `doc` has pages."""
    return _span_at(doc, m.text, m.start, m.end)


def _span_at(doc: Document, text: str, start: int, end: int) -> dict[str, Any]:
    return {"text": text, "start": start, "end": end, "page": doc.page_of(start)}


def _coded(doc: Document, m: Mention) -> CodedEvidence:
    return CodedEvidence(code=m.value, **_span(doc, m))


def build_records(analysis: Analysis, found: StudyFinding) -> list[StudyRecord]:
    """One record per study of `found` (what `studies.find_studies` finds in `analysis`), in
    text order, then the document's record. `mscmine.core.extract_document` runs the stages."""
    doc = analysis.doc
    records = []
    for n, st in enumerate(found.studies, start=1):
        rec = _to_record(analysis, st, n)
        if st.table_cells and not rec.route and found.pooled_routes:
            rec.route = [_coded(doc, r) for r in _unique_by_value(found.pooled_routes)]
        records.append(rec)
    if found.pooled_citations:
        for rec, st in zip(records, found.studies):
            rec.pooled = bool(st.citation) and all(c in found.pooled_citations for c in st.citation)
    document = _document_record(analysis, len(records) + 1, found.table_spans)
    # a pooled analysis holds its results when it names the studies it pools or is a meta-analysis
    # by name; figures a literature summary pools from unnamed sources are no study's
    # (annotations/real, decided case 10): they stay unassigned
    holds_results = not records and (found.article is None or (
        found.article.kind == "pooled" and (bool(found.pooled_citations) or names_itself_pooled(simplified(doc.text)))))
    if holds_results:
        # an article that reports no study of its own but pools others' (a meta-analysis): its
        # results and safety statements are the article's own (an article with no study in
        # patients lists them as unassigned)
        ms = analysis.mentions
        document.outcomes = [outcome_evidence(m.value, **_span(doc, m)) for m in ms if m.label == "OUTCOME"]
        document.adverse_events = [adverse_event_evidence(m.value, **_span(doc, m)) for m in ms if m.label == "ADVERSE_EVENT"]
    if found.animal_studies:
        document.animal_studies = found.animal_studies
    if found.article is not None:
        document.article = ArticleInfo(kind=found.article.kind, reason=found.article.reason)
        if found.article.kind != "pooled":
            _terms_to_topic(document)
    own = found.article is not None and found.article.kind in OWN_KINDS
    left = unplaced(analysis, found, list(zip(found.studies, records)), discussion_start(doc.text) if own else None)
    if holds_results:  # the document record holds the article's outcomes and events
        left = [(m, why) for m, why in left if m.label not in ("OUTCOME", "ADVERSE_EVENT")]
    if found.article is not None and found.article.kind == "pooled":
        pooled_records = [r for r in records if r.pooled]
        if pooled_records:  # figures pooled from unnamed sources are no study's (annotations/real, case 10)
            left = _hold_pooled_facts(doc, document, left, pooled_records)
        _keep_cohort_diseases(document, pooled_records)
    left += unheld_terms(analysis, records + [document])
    document.unassigned = [as_unassigned(m, why) for m, why in sorted(left, key=lambda x: x[0].start)]
    records.append(document)
    return records


#: the labels whose pooled facts the document record of a pooled analysis holds (its total it has)
POOLED_FACT_LABELS = ("ROUTE", "DONOR", "DOSE", "FOLLOW_UP", "OUTCOME", "ADVERSE_EVENT")


def _hold_pooled_facts(doc: Document, document: StudyRecord, left: list[tuple[Mention, str]],
                       pooled_records: list[StudyRecord]) -> list[tuple[Mention, str]]:
    """The facts of a pooled analysis that names the studies it pools ("12篇文献[1-12]…共纳入76例"),
    stated in no single one ("所有患者随访0.5-26个月", "随访期间7例出现病情复发", "12篇文献中未涉及
    患者出现不良反应"), are those of all the patients it pools: the document record holds them,
    and the routes of the studies it pools. Returns what is still unplaced: the other counts
    (its subgroups) and the facts with another reason."""
    pooled = [m for m, why in left if why == "pooled_analysis" and m.label in POOLED_FACT_LABELS]
    routes = [r for rec in pooled_records for r in rec.route] + [_coded(doc, m) for m in pooled if m.label == "ROUTE"]
    document.route = _unique_evidence(sorted(routes, key=lambda ev: ev.start))
    donors = [m for m in pooled if m.label == "DONOR"]
    if donors:
        document.donor = _coded(doc, donors[0])
    document.dose = [dose_evidence(m.value, **_span(doc, m)) for m in _dose_levels([m for m in pooled if m.label == "DOSE"])]
    document.follow_up_months = _follow_up(doc, [m for m in pooled if m.label == "FOLLOW_UP"])
    document.outcomes += [outcome_evidence(m.value, **_span(doc, m)) for m in pooled if m.label == "OUTCOME"]
    document.adverse_events += [adverse_event_evidence(m.value, **_span(doc, m)) for m in pooled if m.label == "ADVERSE_EVENT"]
    total = document.n_patients.value if document.n_patients else None
    return [(m, why) for m, why in left if m not in pooled
            and not (m.label == "N_PATIENTS" and why == "pooled_analysis" and m.value.get("value") == total)]


def _keep_cohort_diseases(document: StudyRecord, pooled_records: list[StudyRecord]) -> None:
    """A pooled analysis's diseases are its cohort's: those it counts patients of ("系统性红斑狼疮
    46例") and those of the studies it pools; the others it names (a comorbidity, background) are
    no disease it pooled. Left as found when it tells neither."""
    cohort = {c for d in document.disease_counts or () for c in d.codes}
    cohort |= {d.code for rec in pooled_records for d in rec.disease}
    if cohort:
        document.disease = [d for d in document.disease if d.code in cohort]


def _unique_evidence(evidence: list[CodedEvidence]) -> list[CodedEvidence]:
    """Each code once, in the order given."""
    return _first_of_each(evidence, lambda ev: ev.code)


def _follow_up(doc: Document, fus: list[Mention]) -> FollowUpEvidence | None:
    """One follow-up over the stated ones: the lowest low to the highest high, the first as
    evidence; an open bound ("随访≥3个月") leaves the upper end unknown."""
    if not fus:
        return None
    lows = [m.value["low"] for m in fus if m.value["low"] is not None]
    highs = [m.value["high"] for m in fus if m.value["high"] is not None]
    high = None if any(m.value["high"] is None for m in fus) or not highs else max(highs)
    return FollowUpEvidence(low=min(lows) if lows else None, high=high, **_span(doc, fus[0]))


def _terms_to_topic(document: StudyRecord) -> None:
    """An article that pools no studies has no facts of its own on the document record: the
    diseases, cell type and sources it names anywhere are its topic (``topic``), and its studies'
    records hold what each study treated."""
    document.topic = Topic(disease=[d.code for d in document.disease],
                           cell_type=document.cell_type.code if document.cell_type else None,
                           cell_source=[c.code for c in document.cell_source])
    document.disease, document.cell_type, document.cell_source = [], None, []


def _table_outcomes(doc: Document, norm, table, row) -> list[OutcomeEvidence]:
    """Outcome evidence for each count of an outcome-table row: measure and direction from the
    column name, the count as value, the row's patients as the denominator."""
    out = []
    for cell in row.cells:
        a, b = norm.to_original(cell.start, cell.end)
        column = cell.column
        if "复发" in column:
            measure = "relapse"
        elif "死亡" in column:
            measure = "mortality"
        else:
            measure = measure_in(column, 0, len(column))
        direction = direction_of(column)
        out.append(OutcomeEvidence(measure=measure, value=cell.value, unit="count", negated=False,
                                   attrs={"column": column, "of": row.n, "table": table.caption},
                                   after_span={"direction": direction} if direction else {},
                                   **_span_at(doc, doc.text[a:b], a, b)))
    return out


def _dose_levels(doses: list[Mention]) -> list[Mention]:
    """A study's dose levels, each once: the same amount stated twice (abstract and methods) is
    one level, told by the mention that says most (times, interval); a range that only spans the
    levels listed beside it ("(0.5~2)×10^6/kg: 0.5, 1 和 2×10^6/kg") is no level of its own."""
    by_amount: dict[tuple, Mention] = {}
    for m in doses:
        key = (m.value["low"], m.value["high"], m.value["unit"])
        best = by_amount.get(key)
        if best is None or (best.value.get("times") is None and m.value.get("times") is not None):
            by_amount[key] = m
    levels = [m for m in doses if by_amount.get((m.value["low"], m.value["high"], m.value["unit"])) is m]
    points = {(m.value["low"], m.value["unit"]) for m in levels if m.value["low"] == m.value["high"]}
    return [m for m in levels if m.value["low"] == m.value["high"] or m.value["low"] is None or m.value["high"] is None
            or not ((m.value["low"], m.value["unit"]) in points and (m.value["high"], m.value["unit"]) in points)]


def _unique_by_value(mentions: list[Mention]) -> list[Mention]:
    """Each value once, in the order given."""
    return _first_of_each(mentions, lambda m: str(m.value))


def _first_of_each(items: list, key) -> list:
    """The first item of each `key`, in the order given."""
    out, seen = [], set()
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out




# a count the control arm is made of, named after it: "同期选择20例…患者作为对照组", "另20名患者为…对照组"
_CONTROL_ARM_AFTER = regex.compile(r"[^，,。;；]{0,30}?(?:作为|为|作|设为|纳入)[^，,。;；]{0,8}?对照组?")
# a total stated, or patients split into arms: then the arms are parts of the count before them
_TOTAL_OR_SPLIT = regex.compile(r"分为|分成|随机|两组|各\s?\d|(?:观察|治疗|实验|试验|干细胞|移植|细胞|MSCs?)组")  # ("其中42例…为观察组": the count was both arms)
_TOTAL_WORD_BEFORE = regex.compile(r"(?:共|总共|合计|共计)[^，,。;；]{0,12}$")


def _control_arm_count(simple: str, treated: Mention, mentions: list[Mention]) -> Mention | None:
    """The control arm's count when a sentence counts the treated cohort and then the control arm
    and states no total ("选择…患者20例，给予…；同期选择20例…作为对照组"): the trial enrolled both
    (guidelines: the total enrolled). None when a total is stated or the count is split into arms."""
    if is_control_arm(simple, treated.start) or _TOTAL_WORD_BEFORE.search(simple, max(0, treated.start - 16), treated.start):
        return None
    stop = regex.compile(r"[。\n]").search(simple, treated.end)
    end = stop.start() if stop else len(simple)
    controls = [m for m in mentions if m.label == "N_PATIENTS" and m.value["role"] in ("total", "group")
                and treated.end <= m.start < end
                and (is_control_arm(simple, m.start) or _CONTROL_ARM_AFTER.match(simple, m.end))]
    if len(controls) != 1 or _TOTAL_OR_SPLIT.search(simple, treated.end, controls[0].start):
        return None
    return controls[0]


def _donor_of_the_cells(donors: list[Mention], mentions: list[Mention], simple: str) -> Mention:
    """The donor named with the cells given ("异体脐带间充质干细胞", "自体骨髓MSC"), else the first;
    not one of the patient's history ("既往接受自体造血干细胞移植") while another is named."""
    current = [d for d in donors if not is_history(simple, d.start)] or donors
    cells = [m for m in mentions if m.label in ("CELL_TYPE", "CELL_SOURCE")]
    with_cells = [d for d in current if any(0 <= c.start - d.end <= 4 for c in cells)]
    return (with_cells or current)[0]


def _cell_sources(mentions: list[Mention], text: str) -> list[Mention]:
    """The study's cell sources: tissues named as where cells came from (`names_cell_origin`),
    not tissues the cells reach or the text examines."""
    simple = simplified(text)  # cached: asked once per study of the same text
    return [m for m in mentions if m.label == "CELL_SOURCE" and names_cell_origin(simple, m.start, m.end)]


def _cell_routes(mentions: list[Mention], text: str) -> list[Mention]:
    """The study's routes, those of the cells where the text tells: a route whose sentence names
    no cells ("环磷酰胺 0.75 g/m² 静脉滴注", "异丙嗪 25 mg 肌内注射" before an infusion) gives
    the route of another drug when some other route's sentence does name the cells."""
    routes = [m for m in mentions if m.label == "ROUTE"]
    if len(routes) < 2:
        return routes
    with_cells = [m for m in routes if sentence_names_cells(text, m.start, m.end)]
    return with_cells or routes


def _to_record(analysis: Analysis, st: Study, n: int) -> StudyRecord:
    """The record of `st`, the article's `n`th."""
    from .lexicon import mesh_of

    doc = analysis.doc
    ms = st.mentions
    rec = StudyRecord(doc.id, doc.source, f"{doc.id}#{n}")
    citation = "[" + ",".join(map(str, st.citation)) + "]" if st.citation else None
    ref = st.reference
    rec.study = StudyInfo(label=st.label, citation=citation, year=st.year, reference=None if ref is None else CitedReference(
        number=ref.number, first_author=ref.first_author, year=ref.year, text=ref.text, start=ref.start, end=ref.end))
    diseases = pick_diseases(ms, doc.text) or list(st.section_disease)
    rec.disease = [DiseaseEvidence(code=m.value, mesh=mesh_of(m.value), **_span(doc, m)) for m in _unique_by_value(diseases)]
    types = [m for m in ms if m.label == "CELL_TYPE"]
    types = [m for m in types if not is_history(simplified(doc.text), m.start)] or types  # not the patient's history
    if types:
        rec.cell_type = _coded(doc, types[0])
    else:
        for a, b in st.spans:
            p = PROCEDURE_CELL_TYPE.search(to_simplified_chars(doc.text[a:b]))
            if p:  # "接受异基因骨髓移植": the procedure names the cells
                pa, pb = a + p.start(), a + p.end()
                rec.cell_type = CodedEvidence(code=PROCEDURE_CELL_TYPES[p.group()], **_span_at(doc, doc.text[pa:pb], pa, pb))
                break
    sources = [m for m in ms if m.label == "CELL_SOURCE"] if st.table_cells else _cell_sources(ms, doc.text)  # a table's source column names them
    rec.cell_source = [_coded(doc, m) for m in _unique_by_value(sources)]
    donors = [m for m in ms if m.label == "DONOR" and not is_compared_therapy(doc.text, m.start)]
    if donors:
        rec.donor = _coded(doc, _donor_of_the_cells(donors, ms, simplified(doc.text)))
    rec.route = [_coded(doc, m) for m in _unique_by_value(_cell_routes(ms, doc.text))]
    rec.dose = [dose_evidence(m.value, **_span(doc, m)) for m in _dose_levels([m for m in ms if m.label == "DOSE"])]
    totals = [m for m in ms if m.label == "N_PATIENTS" and m.value["role"] == "total"]
    groups = [m for m in ms if m.label == "N_PATIENTS" and m.value["role"] == "group"]
    chosen = totals[0] if totals else (groups[0] if groups else None)
    control = _control_arm_count(simplified(doc.text), chosen, ms) if chosen is not None else None
    if control is not None:  # "选择…患者20例…，同期选择20例…作为对照组": the trial's total is both arms
        a, b = chosen.start, control.end
        rec.n_patients = CountEvidence(value=chosen.value["value"] + control.value["value"],
                                       attrs={"basis": "treated_plus_control"}, **_span_at(doc, doc.text[a:b], a, b))
    elif chosen is not None:
        rec.n_patients = CountEvidence(value=chosen.value["value"], **_span(doc, chosen))
    elif st.patients is not None:  # a case: "例1" is one patient
        count, a, b = st.patients
        rec.n_patients = CountEvidence(value=count, **_span_at(doc, doc.text[a:b], a, b))
    rec.follow_up_months = _follow_up(doc, [m for m in ms if m.label == "FOLLOW_UP"])
    if rec.follow_up_months is None:
        latest = max((tp for tp in st.time_points if tp[0] >= MIN_TIME_POINT_MONTHS), default=None, key=lambda tp: tp[0])
        if latest is not None:  # no follow-up stated: the latest time point of a result (guidelines)
            months, a, b = latest
            rec.follow_up_months = FollowUpEvidence(low=months, high=months, basis="latest_time_point",
                                                    **_span_at(doc, doc.text[a:b], a, b))
    rec.outcomes = [outcome_evidence(m.value, **_span(doc, m)) for m in ms if m.label == "OUTCOME"] + [
        ev for table, row in st.outcome_rows for ev in _table_outcomes(doc, analysis.normalized, table, row)]
    rec.adverse_events = [adverse_event_evidence(m.value, **_span(doc, m)) for m in ms if m.label == "ADVERSE_EVENT"]

    # table cells override or fill the text mentions
    cells = st.table_cells
    if cells:
        if "n" in cells:
            t, a, b = cells["n"]
            total, _ = parse_count_cell(t)
            if total is not None:
                rec.n_patients = CountEvidence(value=total, **_span_at(doc, t, a, b))
        if "follow_up" in cells:
            t, a, b = cells["follow_up"]
            lo, hi = follow_up_cell_months(t, st.follow_up_header or "")
            if lo is not None or hi is not None:
                rec.follow_up_months = FollowUpEvidence(low=lo if lo is not None else hi, high=hi, **_span_at(doc, t, a, b))
        if "sex" in cells:
            t, a, b = cells["sex"]
            male, female = (int(x) for x in regex.findall(r"\d+", t)[:2])
            rec.sex = SexEvidence(male=male, female=female, **_span_at(doc, t, a, b))
        if "age" in cells:
            t, a, b = cells["age"]
            lo, hi = parse_range_cell(t)
            rec.age_years = RangeEvidence(low=lo, high=hi, **_span_at(doc, t, a, b))
        if "source" in cells:
            t, a, b = cells["source"]
            counts = {}
            for m in ms:
                if m.label == "CELL_SOURCE" and a <= m.start < b:
                    k = regex.match(r"\s?(\d+)", doc.text[m.end : m.end + 6])
                    if k:
                        counts[m.value] = int(k.group(1))
            if counts:
                rec.source_counts = counts
    return rec


def _document_record(analysis: Analysis, n: int, table_spans: list[tuple[int, int]] = ()) -> StudyRecord:
    """What the article itself pools: its total, and counts per disease and per cell source."""
    from .lexicon import mesh_of

    doc = analysis.doc
    text = doc.text
    # the article's own terms: not those of the cited studies in animals ("移植骨髓、脂肪和脐带血来源的…小鼠")
    ms = [m for m in analysis.mentions if not (m.label in ("DISEASE", "CELL_TYPE", "CELL_SOURCE")
                                             and any(a <= m.start < b for a, b in analysis.animal))]
    rec = StudyRecord(doc.id, doc.source, f"{doc.id}#{n}", scope="document")
    rec.disease = [DiseaseEvidence(code=m.value, mesh=mesh_of(m.value), **_span(doc, m)) for m in _unique_by_value(
        [m for m in ms if m.label == "DISEASE" and m.value not in ("AID", "RD")])]
    types = [m for m in ms if m.label == "CELL_TYPE"]
    if types:
        counts: dict[str, int] = {}
        for m in types:
            counts[m.value] = counts.get(m.value, 0) + 1
        main = max(counts, key=counts.get)
        first = next(m for m in types if m.value == main)
        rec.cell_type = CodedEvidence(code=main, **_span(doc, first))
    # sources in study tables (their source column names them) and tissues named as where cells came from
    sources = [m for m in ms if m.label == "CELL_SOURCE" and any(a <= m.start < b for a, b in table_spans)]
    sources += [m for m in _cell_sources(ms, doc.text) if m not in sources]
    rec.cell_source = [_coded(doc, m) for m in _unique_by_value(sorted(sources, key=lambda m: m.start))]
    # the pooled total: a total count in a sentence that pools ("共", "实验共纳入", "总体")
    pooled = None
    for m in ms:
        if m.label == "N_PATIENTS" and m.value["role"] == "total":
            before = simplified(text)[max(0, m.start - 30) : m.start]  # the cues are Simplified
            if POOLED_BEFORE.search(before):
                pooled = m
                break
    if pooled is not None:
        rec.n_patients = CountEvidence(value=pooled.value["value"], **_span(doc, pooled))
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
            rec.disease_counts = [DiseaseCount(codes=d["codes"], n=d["n"]) for d in per_disease]
        if per_source:
            rec.source_counts = per_source
    return rec

