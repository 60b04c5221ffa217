"""Study finding: the studies an article reports, each with the mentions that are its facts.

`find_studies` runs these steps in order (``records.build_records`` then makes one record of each):

1. Study tables in the text (``tables.read_tables``) give one study per row.
2. Citation anchors in running text start a study: ``Liang 等^[13]报道…``, ``王黎明等^[15]采用…``,
   ``一项…研究^[25]``, ``该课题组进一步…^[16]``. A study runs to the next anchor, section heading,
   paragraph end or later clause closed by another citation; the mentions inside it are its
   facts. Studies with no patient fact (no sample size or dose, no result after a treatment)
   only add to a known study of their citation; studies in animals are listed apart and never
   become records. The same citation in two places is one study (facts merged); one citation
   that reports several disease cohorts gives one study per cohort.
2a. A clause that states a result in patients and closes with its own citation, no author named,
   is a study: ``自体 MSCs 移植不能改善 SLE 疾病活动性^[22]``.
2a'. The cases of a case report or series ("例1", "病例2"): one patient each.
2a''. Cohorts named one after another without a citation ("案例1", "研究二", a paragraph led by its
   researchers: "某某等探讨了…。他们选取18例…"): one study from there to the next.
2b. Studies named without a citation mark (a registered trial, ``欧洲学者报道``, ``一项…研究``, a
   year-led history sentence) are one sentence each.
2c. An article that `article.classify_article` finds reports its own study (a trial, a case, a
   news item about treated patients) has one: every fact outside the spans of the steps above.
3. A clause that ends in a citation mark (``…点状注射[8]``) adds its facts to that citation's
   table study.
3b. Outcome tables add each row to the study of the row's citation.
4. A statement about all patients (``所有76例患者均经静脉输注``) gives the pooled routes.
4b. A study that names no disease, in no section that does, is about the article's disease when
   one disease dominates the article.
5. The reference list fills what the running text leaves out: year and first author.

Besides the studies: the citations a pooled total counts (``12篇文献[1-12]…共纳入76例``) and
the cited studies in animals or in vitro.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

import regex

from .extractors.time_points import find_time_points
from .mention import Mention
from .article import ONE_PATIENT, OWN_KINDS, ArticleKind, classify_article, has_own_methods, pools_others, states_own_enrolment
from .lexicon import alternation
from .mentions import ANIMAL, FACT_LABELS, Analysis
from .normalize import parse_citation_numbers, to_simplified_chars
from .references import parse_references
from .scan import finditer_near
from .sentences import cited_clauses, last_stop, next_stop, sentence_bounds
from .tables import OutcomeRow, OutcomeTable, read_outcome_tables, read_tables

# a name of at most 30 letters a word (so a match lies within `finditer_near`'s 64-character window)
_AUTHOR = r"(?P<author>[A-Z][A-Za-z\-']{1,30}(?:\s[A-Z][A-Za-z\-']{1,30})?|[\p{Han}]{2,4}?)\s?(?:等|团队|课题组)"
_CIT = r"\s?(?P<cit>\^?\[\s?\d{1,3}(?:\s?[,，\-~]\s?\d{1,3})*\s?\])"
# "张三等[3]" starts with a name of any Han characters, so the engine would try it at every
# position: it is searched only near "等[" / "团队[" (see `mscmine.scan`)
_AUTHOR_ANCHOR = re.compile(r"(?:等|团队|课题组)\s?\^?\[")
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
    # who reported it: "欧洲学者报道", "某某团队发现", "该团队成功应用", "研究人员观察到"
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
PROCEDURE_CELL_TYPE = regex.compile("|".join(sorted(PROCEDURE_CELL_TYPES, key=len, reverse=True)))
# what a sentence must say for an uncited anchor to be a study in patients: a treatment given
_TREATMENT = regex.compile(alternation("TREATMENT"))
_IN_VITRO = regex.compile(alternation("IN_VITRO"))
_SIMILAR_RESULTS = regex.compile(r"(?:亦|也)(?:有|得到|获得|显示出?|观察到)?(?:相似|类似|一致)的?(?:结果|结论|疗效)")
_YEAR = regex.compile(r"(?:在\s?)?(?P<year>(?:19|20)\d{2})\s?年")
_ANIMAL = ANIMAL  # animal and in-vitro cues, shared with mentions.py
_HEADING = regex.compile(r"^[^\S\n]*(?:\d+(?:\.\d+)*\s+|[一二三四五六七八九十]+[、.]\s?)(?P<title>[^\n。]{1,40}?)(?:\s{2,}|$)", regex.MULTILINE)
#: what stands before a pooled total ("12篇文献共报道", "实验共纳入", "总体"): the 30 characters before the count
POOLED_BEFORE = regex.compile(r"(?:篇|文献|项研究|项试验)[^。]{0,20}?(?:共|总计|合计|累计)|总体|实验共纳入|共纳入|累计纳入")
_POOLED_STUDIES_BEFORE = regex.compile(r"(?:篇|文献|项研究|项试验|项RCT)[^。]{0,20}?(?:共|总计|合计|累计)|总体")
_ALL_PATIENTS = regex.compile(r"所有\s?\d*\s?例?患者(?:均|都)?")
_PATIENTS_AFTER = regex.compile(r"\s?(?:患者|病人|患儿)")
_SLASH_OR_COMMA = regex.compile(r"\s?[/、]\s?")
_PARAGRAPH_BREAK = regex.compile(r"\n\s*\n")
# what a paragraph of running text ends with: a sentence stop, or a citation mark after one
_ENDS_SENTENCE = regex.compile(r"[。！？!?;；:：…\]]\s*$")
# what opens a block of its own after a blank line: a heading, a caption, a list item, a table row
_OPENS_BLOCK = regex.compile(r"\s*(?:#|\d+(?:\.\d+)*\s|[一二三四五六七八九十]+[、.]|表\s*\d|图\s*\d|Table|Fig|[-*•|])")


@dataclass
class Study:
    """One study an article reports: where the text tells of it (original offsets) and the
    mentions that are its facts, with what a study table or the reference list adds."""

    key: tuple  # ("cit", n), ("cit", n, diseases) for a further cohort, ("uncited", offset), ("article",)
    label: str | None
    citation: tuple[int, ...]
    year: int | None
    spans: list[tuple[int, int]]  # original ranges
    section_disease: list[Mention]
    mentions: list[Mention] = field(default_factory=list)
    table_cells: dict[str, Any] = field(default_factory=dict)
    outcome_rows: list[tuple[OutcomeTable, OutcomeRow]] = field(default_factory=list)  # rows of outcome tables
    reference: Any = None  # references.Reference of the study's citation, when the list has it
    patients: tuple[int, int, int] | None = None  # (count, start, end) the study's kind implies: one patient a case
    follow_up_header: str | None = None  # a table study's follow-up column header ("随访(月)"): the cells' unit
    time_points: list[tuple[float, int, int]] = field(default_factory=list)  # (months, start, end) of results, original


@dataclass
class StudyFinding:
    """What `find_studies` finds in one article."""

    studies: list[Study]  # in text order, one record each
    table_spans: list[tuple[int, int]]  # original ranges of the study tables
    pooled_routes: list[Mention]  # routes stated for all patients: for table studies that state none
    pooled_citations: set[int]  # citations of the studies a pooled total counts; empty when none does
    animal_studies: list[dict]  # cited studies in animals or in vitro: named, never records
    article: ArticleKind | None = None  # what the article reports, and why
    planned: list[tuple[int, int]] = field(default_factory=list)  # original ranges about trials still to come


@dataclass
class _Found:
    """Studies by key as the steps find them, and their keys in the order found. Two table rows
    of one citation put its key in twice (the later row stands for both)."""

    by_key: dict[tuple, Study] = field(default_factory=dict)
    order: list[tuple] = field(default_factory=list)

    def add(self, st: Study, key: tuple | None = None) -> None:
        key = st.key if key is None else key
        self.by_key[key] = st
        self.order.append(key)


def find_studies(analysis: Analysis) -> StudyFinding:
    """The studies an article reports, in text order, and what the records need besides (steps
    in the module docstring)."""
    sections = _sections(analysis)
    clauses = cited_clause_spans(analysis)
    found = _Found()
    tabled, table_spans = table_studies(analysis)  # 1
    for st in tabled:
        found.add(st)
    from_anchors = add_anchored_studies(analysis, sections, clauses, found)  # 2
    for st in clause_cited_studies(analysis, sections, clauses, found.by_key):  # 2a
        found.add(st)
    cases = case_studies(analysis, sections)  # 2a'
    for st in cases:
        found.add(st)
    covered = [span for st in found.by_key.values() for span in st.spans] + table_spans
    named = named_cohort_studies(analysis, covered, sections)  # 2a''
    for st in named:
        found.add(st)
    covered += [span for st in named for span in st.spans]
    for st in uncited_studies(analysis, covered, sections):  # 2b
        found.add(st)
    covered = [span for st in found.by_key.values() for span in st.spans] + table_spans
    article = classify_article(analysis, covered)  # 2c
    if not cases and article.kind in OWN_KINDS:
        # clauses closed by a citation speak of the cited work, not of the article's own study
        simple_text = simplified(analysis.doc.text)
        cited = [(a, b) for a, b, _ in clauses if not states_own_enrolment(simple_text[a:b])]
        own = own_study(analysis, covered=covered + cited)
        if own is not None:
            found.add(own)
        elif not found.by_key:
            article = ArticleKind("no_patients", "names cells and patients but states no fact of a study of its own")
    found.order.sort(key=lambda k: found.by_key[k].spans[0][0])  # records in text order
    studies = found.by_key
    add_cited_clause_facts(analysis, studies)  # 3
    add_outcome_tables(analysis, studies)  # 3b
    routes = pooled_routes(analysis)  # 4
    fill_dominant_disease(analysis.mentions, studies.values())  # 4b
    fill_from_references(analysis.doc.text, studies.values())  # 5
    return StudyFinding(
        studies=[studies[k] for k in found.order],
        table_spans=table_spans,
        pooled_routes=routes,
        pooled_citations=pooled_citations(analysis),
        animal_studies=animal_studies(analysis, from_anchors, studies),
        article=article,
        planned=planned_spans(analysis),
    )


# --- sections, sentences, clauses


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


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence at `pos`, its stop included."""
    start, stop = sentence_bounds(text, pos)
    return start, min(stop + 1, len(text))


# a sentence that opens with the cited work and reports it: "文献[4]表明，骨髓MSC治疗SSc安全性较好"
_REPORTS_AFTER_MARK = regex.compile(r"\s?(?:的研究)?(?:显示|表明|发现|报道|报告|证实|指出|认为|提示)")
_SHORT_SUBJECT = 12  # "研究", "有研究", "Liang等", "国外学者": what stands before such a mark


def cited_clause_spans(analysis: Analysis) -> list[tuple[int, int, tuple[int, ...]]]:
    """(start, end, numbers) in original offsets of the clause each citation mark speaks for: the
    clause it closes, from its sentence start or the previous mark; or, when the sentence opens
    with the cited work and a reporting verb follows the mark ("文献[4]表明，…"), the whole sentence."""
    norm = analysis.normalized
    text = norm.text
    out = []
    for clause_start, cit in cited_clauses(text, norm.citations):
        end = cit.start
        if cit.start - clause_start <= _SHORT_SUBJECT and _REPORTS_AFTER_MARK.match(text, cit.end):
            end = sentence_bounds(text, cit.end)[1]
        a, b = norm.to_original(clause_start, end)
        out.append((a, b, cit.numbers))
    return out


def paragraph_end(text: str, pos: int) -> int:
    """Where the paragraph holding `pos` ends: the first blank line that is no broken sentence.
    Running Chinese text ends its paragraphs with a stop: a blank line after a line that stops
    mid-sentence, before a block that ends the sentence ("…通过减少 B" / "细胞激活因子…。"), is
    a conversion's broken line; one before a heading, caption, list item or a block that ends no
    sentence either (a table's rows, a figure's labels) ends the paragraph."""
    for br in _PARAGRAPH_BREAK.finditer(text, pos):
        nxt = _PARAGRAPH_BREAK.search(text, br.end())
        block = text[br.end() : nxt.start() if nxt else len(text)]
        if (_ENDS_SENTENCE.search(text[max(0, br.start() - 8) : br.start()]) or _OPENS_BLOCK.match(block)
                or not _ENDS_SENTENCE.search(block)):
            return br.start()
    return len(text)


@lru_cache(maxsize=8)  # the whole text is asked for by several steps
def simplified(text: str) -> str:
    """Simplified script, character for character (so offsets hold)."""
    return to_simplified_chars(text)




# --- what makes a study


def _names_a_study(m: Mention) -> bool:
    """Whether a mention can make a study: any fact but a bare number of a result sentence (the
    numeric-result reader's), which joins a study found by other facts and never makes one."""
    return not (m.label == "OUTCOME" and m.value.get("basis") == "numeric_result")


def _is_patient_study(mentions: list[Mention], text: str) -> bool:
    """Patients counted or dosed; or a result after a treatment, outside the culture dish; or
    "…的研究亦有相似的结果", a study reported by its likeness to the one before."""
    labels = {m.label for m in mentions if _names_a_study(m)}
    if "N_PATIENTS" in labels or "DOSE" in labels:
        return True
    text = simplified(text)  # the cues are written in Simplified script
    if "OUTCOME" in labels and _TREATMENT.search(text) and not _IN_VITRO.search(text):
        return True
    return bool(_SIMILAR_RESULTS.search(text))


def _has_patient_result(mentions: list[Mention]) -> bool:
    """A sample size, a dose, a follow-up or a result with a number: what only a study in patients states."""
    return any(
        m.label in ("N_PATIENTS", "DOSE", "FOLLOW_UP") or (m.label == "OUTCOME" and m.value.get("value") is not None)
        for m in mentions if _names_a_study(m)
    )


def pick_diseases(mentions: list[Mention], doc_text: str) -> list[Mention]:
    """The cohort's diseases: those named with the sample size, else those before 患者, else all."""
    named = [m for m in mentions if m.label == "DISEASE"]
    diseases = [m for m in named if m.value not in ("AID", "RD")]
    totals = [m for m in mentions if m.label == "N_PATIENTS" and m.value.get("role") in ("total", "group")]
    # a group name (自身免疫病, 风湿病) is the cohort's disease only when the count names it: "450例自身免疫病"
    with_count = [d for d in named if any(0 <= d.start - t.end <= 12 for t in totals)]
    near_patients = [m for m in diseases if _PATIENTS_AFTER.match(doc_text[m.end : m.end + 4])]
    chosen = with_count or near_patients or diseases
    if with_count and all(d.value in ("AID", "RD") for d in with_count):
        chosen = with_count + near_patients  # "450例自身免疫病…其中多为系统性红斑狼疮患者": the group and the diseases named
    # "PM/DM患者", "多发性肌炎/皮肌炎患者": the partner before the slash belongs too
    for d in diseases:
        if d not in chosen and any(_SLASH_OR_COMMA.fullmatch(doc_text[d.end : c.start]) for c in chosen if c.start > d.end):
            chosen.append(d)
    chosen.sort(key=lambda m: m.start)
    out, seen = [], set()
    for m in chosen:
        if m.value not in seen:
            seen.add(m.value)
            out.append(m)
    return out


# --- 1. study tables


def table_studies(analysis: Analysis) -> tuple[list[Study], list[tuple[int, int]]]:
    """One study per row of each study table (its cells, the mentions in the row and the first
    cell type in the header), and the tables' original ranges."""
    text = analysis.doc.text
    mentions = analysis.mentions
    norm = analysis.normalized
    studies: list[Study] = []
    table_spans = []
    for table in read_tables(norm.text):
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
            st = Study(key, row.author or None, (row.citation,), None, [(ra, rb)], [], [], cells,
                       follow_up_header=table.header_of("follow_up"))
            y = cells.get("year")
            if y and y[0].isdigit():
                st.year = int(y[0])
            st.mentions = [m for m in mentions if ra <= m.start and m.end <= rb] + header_types[:1]
            studies.append(st)
    return studies, table_spans


# --- 2. citation anchors


def _anchors(analysis: Analysis) -> list[dict]:
    norm = analysis.normalized
    text = norm.text
    found = []
    for pattern in _ANCHORS:
        matches = finditer_near(pattern, text, _AUTHOR_ANCHOR, 64, 64) if pattern is _ANCHORS[0] else pattern.finditer(text)
        for m in matches:
            cit = norm.citation_at(m.start("cit"), m.end("cit"))
            if cit is None:
                continue
            a, _ = norm.to_original(m.start(), m.end())
            sent_start, sent_end = sentence_bounds(text, m.start(), m.end())
            year = None
            y = _YEAR.search(text, sent_start, sent_end)
            if y:
                year = int(y.group("year"))
            label = None
            if m.groupdict().get("author"):
                label = regex.sub(r"\s", "", m.group("author")) + "等"
            para = paragraph_end(text, m.end())
            para_end = norm.to_original(para, para)[0] if para < len(text) else len(norm.original)
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


def add_anchored_studies(analysis: Analysis, sections, clauses, found: _Found) -> list[dict]:
    """Step 2: a study for each citation anchor with a patient fact, merged into a known study of
    its citation (a table row, an earlier anchor) unless it is another disease cohort. Returns
    the anchored studies in animals or in vitro."""
    text = analysis.doc.text
    mentions = analysis.mentions
    studies = found.by_key
    anchors = _anchors(analysis)
    animal: list[dict] = []
    heading_starts = [s for s, _ in sections]
    starts = [m.start for m in mentions]  # sorted: analyse() sorts mentions by offset
    for i, anc in enumerate(anchors):
        start = anc["pos"]
        end = anc["para_end"]
        if i + 1 < len(anchors) and anchors[i + 1]["pos"] > start:
            end = min(end, anchors[i + 1]["pos"])
        for h in heading_starts:
            if start < h < end:
                end = h
        # a later clause closed by another citation is that study's statement, not this one's
        for clause_start, cit_start, numbers in clauses:
            if anc["anchor"] < clause_start and cit_start < end and anc["citation"][0] not in numbers:
                end = clause_start
                break
        span_text = text[start:end]
        inside = [m for m in mentions[bisect_left(starts, start) : bisect_left(starts, end)] if m.end <= end]
        model = _ANIMAL.search(simplified(span_text))  # cues in Simplified script; offsets kept
        if model and not any(m.label == "N_PATIENTS" and m.value.get("role") == "total" for m in inside):
            label = "[" + ",".join(map(str, anc["citation"])) + "]"
            if not any(a["citation"] == label for a in animal):
                animal.append({"citation": label, "label": anc["label"], "model": model.group(),
                               **_evidence_span(text, start, end)})
            continue
        if not _is_patient_study(inside, span_text):
            # no patient fact: a background citation, unless it adds to a known study
            key = ("cit", anc["citation"][0])
            if key in studies:
                studies[key].mentions.extend(inside)
                studies[key].spans.append((start, end))
                studies[key].label = studies[key].label or anc["label"]  # a table row of citations only
            continue
        diseases = tuple(sorted(m.value for m in pick_diseases(inside, text))) or tuple(
            sorted({m.value for m in _section_disease_at(sections, start)})
        )
        key = ("cit", anc["citation"][0], diseases)
        base = ("cit", anc["citation"][0])
        if base in studies:
            existing = studies[base]
            existing_dis = tuple(sorted({m.value for m in pick_diseases(existing.mentions, text)}))
            if not diseases or not existing_dis or set(diseases) & set(existing_dis) or existing.table_cells:
                existing.mentions.extend(m for m in inside if m not in existing.mentions)
                existing.spans.append((start, end))
                if not existing.label or (anc["label"] and anc["label"] != existing.label and anc["label"].startswith(existing.label)):
                    existing.label = anc["label"]  # "贺文涛等" in the text over the table's "贺文涛"
                existing.year = existing.year or anc["year"]
                continue
        if key in studies:
            studies[key].mentions.extend(m for m in inside if m not in studies[key].mentions)
            continue
        st = Study(key, anc["label"], anc["citation"], anc["year"], [(start, end)], _section_disease_at(sections, start), inside)
        found.add(st, base if base not in studies else key)
    return animal


# --- 2a. clauses closed by their own citation


def clause_cited_studies(analysis: Analysis, sections, clauses, known: dict[tuple, Study]) -> list[Study]:
    """Step 2a: a clause that states a result in patients with a cell type and closes with its own
    citation, no author named (``自体 MSCs 移植不能改善 SLE 疾病活动性^[22]``), for a citation
    that is no study in `known` yet."""
    mentions = analysis.mentions
    simple = simplified(analysis.doc.text)
    own_arms = has_own_methods(simple)  # then "MSC组", "治疗组" are the article's arms
    out: dict[tuple, Study] = {}
    for clause_start, cit_start, numbers in clauses:
        if len(numbers) != 1 or ("cit", numbers[0]) in known or ("cit", numbers[0]) in out:
            continue
        if any(a <= clause_start < b for a, b in analysis.excluded):
            continue
        inside = [m for m in mentions if clause_start <= m.start and m.end <= cit_start]
        clause = simple[clause_start:cit_start]
        if _ANIMAL.search(clause) or not any((m.label == "OUTCOME" and _names_a_study(m)) or m.label == "N_PATIENTS" for m in inside):
            continue
        if _OWN_WORDS.search(clause) or (own_arms and _OWN_ARM.search(clause)):
            continue  # "MSC组有2例尿蛋白反弹，是否…仍待研究[11]": the article's own result, then a citation
        if not _is_patient_study(inside, clause) or "CELL_TYPE" not in {m.label for m in inside}:
            continue
        key = ("cit", numbers[0])
        out[key] = Study(key, None, numbers, None, [(clause_start, cit_start)],
                         _section_disease_at(sections, clause_start), inside)
    return list(out.values())


_OWN_WORDS = regex.compile(r"本研究|本组|本文|我们|我院|本院|我科|本科")
_OWN_ARM = regex.compile(r"(?:MSCs?|干细胞|细胞|治疗|观察|试验|实验|高剂量|低剂量|移植)组")


# --- 2b. studies named without a citation


_NOT_YET = regex.compile(r"计划(?:纳入|入组|招募)|正在招募|尚在招募|招募中|尚未(?:报道|发表|公布)|暂无结果|结果尚未")


def uncited_studies(analysis: Analysis, covered: list[tuple[int, int]], sections) -> list[Study]:
    """Studies an article names without a citation mark, one sentence each (see _UNCITED_ANCHORS).

    A sentence already inside a cited study (`covered`), in the references, about animals, or
    naming no cell type and no treatment is skipped; so is one without a patient fact, unless a
    registry number or a year-led sentence reports a treatment of a named disease with a named
    cell type.
    """
    norm = analysis.normalized
    text = norm.text  # the Simplified, normalised view: patterns are written for it
    out: list[Study] = []
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
            if _NOT_YET.search(sentence):
                continue  # a registered or planned trial without results is no study to record yet
            lo, hi = bisect_left(starts, start), bisect_left(starts, end)
            inside = [x for x in analysis.mentions[lo:hi] if x.end <= end]
            labels = {x.label for x in inside}
            if "CELL_TYPE" not in labels and not PROCEDURE_CELL_TYPE.search(sentence):
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
            out.append(Study(("uncited", start), label, (), int(year) if year else None, [(start, end)],
                             _section_disease_at(sections, start), inside))
    out.sort(key=lambda st: st.spans[0][0])
    return out


# --- 2a'. the cases of a case report or case series

# "例1 女，38岁。", "病例2 患者男…", "患者3，", "Case 1": a case starts a line
_CASE = regex.compile(r"(?m)^[ \t\u3000]*(?P<label>(?:例|病例|患者|Case)[ \t]?(?:\d{1,2}|[一二三四五六七八九十]))(?=[\s：:，,.、。（(]|$)")
# where a case's paragraph(s) end: a numbered heading ("2 讨论", "1.2 治疗") or the discussion
_CASE_END = regex.compile(r"(?m)^[ \t\u3000]*(?:\d+(?:\.\d+)*[ \t\u3000]*)?(?:讨论|分析与讨论|Discussion|小结|结论|结果|治疗(?:方法|经过)?|参考文献)[ \t\u3000]*$|^[ \t\u3000]*\d+(?:\.\d+)*[ \t\u3000]+\S{1,14}[ \t\u3000]*$")


def case_studies(analysis: Analysis, sections) -> list[Study]:
    """One study per case of a case report or series: the lines from "例1" to the next case or
    heading; one patient each unless the case counts more; animal sentences left out."""
    text = analysis.doc.text
    if pools_others(simplified(text)):
        return []
    limit = min([a for a, _ in analysis.excluded] + [len(text)])
    marks = [m for m in _CASE.finditer(text, 0, limit)]
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else limit
        heading = _CASE_END.search(text, m.end(), end)
        if heading:
            end = heading.start()
        mentions = [x for x in analysis.mentions if m.start() <= x.start < end
                    and not any(a <= x.start < b for a, b in analysis.animal)]
        if not any(x.label == "CELL_TYPE" for x in mentions) and not PROCEDURE_CELL_TYPE.search(to_simplified_chars(text[m.start():end])):
            continue  # a case not treated with cells (a control, a differential diagnosis)
        label = regex.sub(r"\s", "", m.group("label"))
        out.append(Study(("case", m.start()), label, (), None, [(m.start(), end)], _section_disease_at(sections, m.start()),
                         mentions, patients=(1, m.start("label"), m.end("label"))))
    return out


# --- 2a''. cohorts an article names one after another, without a citation

# a line that labels a study: "【临床研究案例1】", "案例2", "研究一：…", "[试验3]"
_STUDY_LABEL_LINE = regex.compile(
    r"(?m)^[ \t\u3000]*[【\[［]?[ \t]?(?P<label>(?:临床)?(?:研究|试验)?(?:案例|研究|试验)[ \t]?(?:\d{1,2}|[一二三四五六七八九十]))"
    r"[ \t]?[】\]］]?[ \t]*(?:[:：][^\n]{0,40})?$"
)
# a paragraph led by the researchers who did the study: "某某等探讨了…", "某某·某某对…进行了研究"
_AUTHOR_LED = regex.compile(
    r"(?m)^[ \t\u3000]*(?P<label>\p{Han}{2,4}?|\p{Han}{2,6}[·•]\p{Han}{2,6})(?:等人?|教授|团队|课题组)?[ \t]?"
    r"(?=对(?!照)|探讨|研究了|报道|开展了|进行了|分析了|观察了|选取|采用|回顾|比较了|评价了|评估了)"
)
# words no researcher's name holds ("干细胞对…", "本研究对…", "该团队采用…")
_NOT_A_NAME = regex.compile(r"细胞|研究|患者|治疗|疾病|临床|试验|实验|结果|方法|目的|结论|医院|医生|专家|学者|人员|国内|国外|近年|目前|[我本该此其他她这]")
# a paragraph that sums up what came before ends the last named cohort
_SUMMING_UP = regex.compile(r"(?m)^[ \t\u3000]*(?:综上|总之|总的来说|由此可见|结语|小结|展望)")


def named_cohort_studies(analysis: Analysis, covered: list[tuple[int, int]], sections) -> list[Study]:
    """Cohorts an article reports one after another, each introduced by a label line ("案例1",
    "研究二") or by a paragraph its researchers lead ("某某等探讨了…。他们选取18例…"): one study
    from there to the next such start, heading or summing-up paragraph. A start inside a cited
    study, or whose stretch counts no patients or names no cells, is none."""
    text = analysis.doc.text
    simple = simplified(text)
    limit = min([a for a, _ in analysis.excluded] + [len(text)])
    starts = sorted(
        [(m.start(), m.start("label"), m.end("label"), "label") for m in _STUDY_LABEL_LINE.finditer(simple, 0, limit)]
        + [(m.start(), m.start("label"), m.end("label"), "author") for m in _AUTHOR_LED.finditer(simple, 0, limit)
           if not _NOT_A_NAME.search(m.group("label"))]
    )
    starts = [s for s in starts if not any(a <= s[0] < b for a, b in covered)
              and not any(m.start < s[2] and s[1] < m.end for m in analysis.mentions)]  # a name, not a term
    ends = sorted({m.start() for pat in (_CASE_END, _SUMMING_UP, DISCUSSION_HEADING) for m in pat.finditer(simple, 0, limit)}
                  | {a for a, _ in sections} | {a for a, _ in covered})
    out = []
    for i, (start, la, lb, kind) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else limit
        end = min([e for e in ends if start < e < end] + [end])
        inside = [m for m in analysis.mentions if start <= m.start < end
                  and not any(a <= m.start < b for a, b in analysis.animal)]
        cohort = any(m.label == "N_PATIENTS" and m.value.get("role") in ("total", "group") for m in inside)
        cells = any(m.label == "CELL_TYPE" for m in inside) or PROCEDURE_CELL_TYPE.search(simple[start:end])
        if not (cohort and cells):
            continue
        label = regex.sub(r"[ \t]", "", text[la:lb])
        study = Study(("named", start), label, (), None, [(start, end)], _section_disease_at(sections, start), inside)
        study.time_points = _time_points(analysis, start, end, list(analysis.animal))
        out.append(study)
    return out


# --- 2c. the article's own study


# a trial still to come: "计划招募…", "拟开展…", "研究已通过伦理审查"
_PLANNED_CUE = regex.compile(r"计划(?:开展|纳入|入组|招募|启动|进行|在)|拟(?:开展|纳入|入组|进行)|下一步|将(?:开展|启动|进行)|正在招募|尚在招募|已通过伦理(?:委员会)?审查")
_DONE_CUE = regex.compile(r"结果|显示|改善|下降|降低|升高|有效|缓解|完成了|已入组|已纳入|随访")
_SENTENCE = regex.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE = regex.compile(r"[^。！？!?\n,，;；]+")


@lru_cache(maxsize=8)  # asked by the own study and by the placement of unassigned facts
def _planned_spans(text: str) -> tuple[tuple[int, int], ...]:
    """What is said of a trial still to come: the whole sentence when it reports nothing done,
    else only the clauses that plan ("研究计划入组20例患者，目前已入组12例": the first clause)."""
    out = []
    for sm in _SENTENCE.finditer(text):
        if not _PLANNED_CUE.search(sm.group()):
            continue
        if not _DONE_CUE.search(sm.group()):
            out.append(sm.span())
            continue
        out += [(sm.start() + c.start(), sm.start() + c.end()) for c in _CLAUSE.finditer(sm.group()) if _PLANNED_CUE.search(c.group())]
    return tuple(out)
DISCUSSION_HEADING = regex.compile(r"(?m)^[^\S\n]*(?:\d\s*)?(?:讨论|分析与讨论|Discussion)\s*$")




def planned_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Original ranges of what is said of trials still to come (see `_planned_spans`)."""
    return list(_planned_spans(analysis.doc.text))


def own_study(analysis: Analysis, covered: list[tuple[int, int]] = ()) -> Study | None:
    """The article's own study (`classify_article` decided it has one): every fact outside the
    reference list, the discussion, animal sentences, trials still to come and `covered` (the
    spans of cited studies the article discusses). A count of other studies' patients
    ("12篇文献共报道76例") is not its cohort. None when no fact is left."""
    text = analysis.doc.text
    end = min([a for a, _ in analysis.excluded] + [len(text)])
    discussion = DISCUSSION_HEADING.search(text, 0, end)
    if discussion and any(m.label in FACT_LABELS and m.start < discussion.start() for m in analysis.mentions):
        end = discussion.start()  # the discussion weighs others' work against the article's
    outside = list(analysis.excluded) + list(covered) + list(analysis.animal) + planned_spans(analysis) + [(end, len(text))]
    mentions = [m for m in analysis.mentions if not any(a <= m.start < b for a, b in outside)
                and not (m.label == "N_PATIENTS" and _POOLED_STUDIES_BEFORE.search(text[max(0, m.start - 30) : m.start]))]
    patients = None if any(m.label == "N_PATIENTS" for m in mentions) else one_patient(analysis, 0, end, outside)
    if patients is None and not any((m.label in FACT_LABELS or m.label == "DONOR") and _names_a_study(m) for m in mentions):
        return None
    study = Study(("article",), _article_title(analysis.doc), (), _article_year(analysis.doc), [(0, end)], [], mentions,
                  patients=patients)
    study.time_points = _time_points(analysis, 0, end, outside)
    return study


def _time_points(analysis: Analysis, start: int, end: int, outside: list[tuple[int, int]]) -> list[tuple[float, int, int]]:
    """(months, start, end) in original offsets of the time points after treatment in [start, end)."""
    norm = analysis.normalized
    out = []
    for tp in find_time_points(norm.masked):
        if tp.rule in _NOT_COUNTED_FROM_TREATMENT and not _TREATMENT_JUST_BEFORE.search(norm.masked, max(0, tp.start - 5), tp.start):
            continue
        a, b = norm.to_original(tp.start, tp.end)
        if start <= a < end and not any(x <= a < y for x, y in outside):
            out.append((tp.months, a, b))
    return out


#: time points that do not say they count from the treatment ("50天后出现排斥反应", "直到一年后"):
#: in a news narrative they as often date the history before it, so they give no follow-up
#: unless a treatment stands right before them ("治疗 6 个月后")
_NOT_COUNTED_FROM_TREATMENT = frozenset({"units_later"})
_TREATMENT_JUST_BEFORE = regex.compile(r"(?:治疗|移植|输注|注射|回输|干预|术)\s?$")


def one_patient(analysis: Analysis, start: int, end: int, outside: list[tuple[int, int]]) -> tuple[int, int, int] | None:
    """(1, start, end) of the first words that describe one patient, when the study counts none."""
    norm = analysis.normalized
    for m in ONE_PATIENT.finditer(norm.masked):
        a, b = norm.to_original(m.start(), m.end())
        if start <= a < end and not any(x <= a < y for x, y in outside):
            return (1, a, b)
    return None


def _article_title(doc) -> str | None:
    """The article's title: the loader's metadata, else a short first line that ends no sentence."""
    title = (doc.meta or {}).get("title")
    if title:
        return str(title).strip() or None
    first = next((line.strip() for line in doc.text.splitlines() if line.strip() and not _PAGE_CHROME.search(line)), "")
    if 4 <= len(first) <= 80 and not regex.search(r"[。；;:：]$|^(?:摘要|目的|Abstract)", first):
        return first
    return None


# web-page furniture above a news item's title: "首页 | 医院概况 | 新闻中心", "当前位置：首页 > 新闻"
_PAGE_CHROME = regex.compile(r"[|｜].*[|｜]|^\s*(?:当前位置|您的位置|首页\s?[>＞»]|导航|登录|注册|分享到)|[>＞»]\s*正文")


def _article_year(doc) -> int | None:
    """The publication year from the loader's metadata (citation_date, DC.date…), when given."""
    for key in ("year", "date", "publication_date"):
        y = regex.search(r"(?:19|20)\d{2}", str((doc.meta or {}).get(key) or ""))
        if y:
            return int(y.group())
    return None


# --- 3. to 5. what other places add to the studies found


#: (labels, what ends the clause before a citation mark) for step 3: a treatment fact is stated in
#: the comma clause the mark closes ("…静脉输注,同时…点状注射[8]"); a result or an event in the
#: clause after the last semicolon or colon, which may run over commas ("1例…移植后溃疡基本愈合,
#: 改良Rodnan积分下降[12]"; "76例患者中7例出现病情复发:1例…病情复发,再次予…[2];")
CITED_CLAUSE_FACTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ROUTE", "DONOR", "DOSE", "FOLLOW_UP"), "。;,\n"),
    (("OUTCOME", "ADVERSE_EVENT"), "。;:\n"),
)


def add_cited_clause_facts(analysis: Analysis, studies: dict[tuple, Study]) -> None:
    """Step 3: the facts in a clause that ends with the citation mark of a table study are that
    study's (`CITED_CLAUSE_FACTS`): a pooled analysis tells its tabulated studies' routes and
    results in running text, each closed by the study's mark. A clause starts after the previous
    mark at the latest."""
    norm = analysis.normalized
    prev_end = 0
    for cit in norm.citations:
        st = studies.get(("cit", cit.numbers[0])) if len(cit.numbers) == 1 else None
        if st is not None and st.table_cells:
            for labels, stops in CITED_CLAUSE_FACTS:
                clause_start = max(last_stop(norm.text, stops, cit.start), prev_end - 1) + 1
                a, b = norm.to_original(clause_start, cit.start)
                st.mentions += [m for m in analysis.mentions
                                if a <= m.start and m.end <= b and m.label in labels and m not in st.mentions]
        prev_end = cit.end


def add_outcome_tables(analysis: Analysis, studies: dict[tuple, Study]) -> None:
    """Step 3b: each row of an outcome table (counts per outcome) goes to the study of its citation."""
    for otable in read_outcome_tables(analysis.normalized.text):
        for orow in otable.rows:
            st = studies.get(("cit", orow.citation))
            if st is not None:
                st.outcome_rows.append((otable, orow))


def pooled_routes(analysis: Analysis) -> list[Mention]:
    """Step 4: the routes of a statement about all patients ("所有76例患者均经静脉输注"), for
    every table study that states none."""
    text = analysis.doc.text
    routes = []
    for m in _ALL_PATIENTS.finditer(text):
        clause_end = next_stop(text, "。;，,", m.end())
        clause_end = clause_end if clause_end != -1 else len(text)
        routes += [x for x in analysis.mentions if x.label == "ROUTE" and m.end() <= x.start < clause_end]
    return routes


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


def fill_dominant_disease(mentions: list[Mention], studies: Iterable[Study]) -> None:
    """Step 4b: a study that names no disease, in no section that does, is about the article's
    disease when one disease dominates the article (an RA review: 类风湿关节炎 in most disease mentions)."""
    main = _dominant_disease(mentions)
    if main is not None:
        for st in studies:
            if not st.section_disease:
                st.section_disease = [main]


def fill_from_references(text: str, studies: Iterable[Study]) -> None:
    """Step 5: the reference list fills what the running text leaves out: year and first author."""
    references = parse_references(text)
    for st in studies:
        ref = references.get(st.citation[0]) if len(st.citation) == 1 else None
        if ref is not None:
            st.year = st.year or ref.year
            if not st.label and ref.first_author:
                st.label = ref.first_author + "等"
            st.reference = ref


# --- besides the studies


def pooled_citations(analysis: Analysis) -> set[int]:
    """Citation numbers of the studies the article pools: the marks in a sentence that states a
    pooled total ("根据表1所示12篇文献[1-12]，实验共纳入…76例"). Empty when no sentence says so.
    Read in Simplified script, as the cues are written (a Traditional copy pools the same)."""
    text = simplified(analysis.doc.text)
    out: set[int] = set()
    for m in analysis.mentions:
        if m.label != "N_PATIENTS" or m.value.get("role") != "total":
            continue
        if not POOLED_BEFORE.search(text[max(0, m.start - 30) : m.start]):
            continue
        # the sentence, across the hard line wraps of PDF text
        start = max([text.rfind(c, max(0, m.start - 300), m.start) for c in "。;；"] + [max(0, m.start - 300)]) + 1
        ends = [i for i in (text.find(c, m.end, m.end + 300) for c in "。;；") if i != -1]
        end = min(ends) if ends else min(len(text), m.end + 300)
        for c in regex.finditer(r"\[\s?(\d{1,3}(?:\s?[-~–,，、]\s?\d{1,3})*)\s?\]", text[start:end]):
            out.update(parse_citation_numbers(c.group(1).replace("–", "-")))
    return out


#: how much of an animal study's words its evidence quotes
_ANIMAL_TEXT_MAX = 200


def _evidence_span(text: str, start: int, end: int, limit: int = _ANIMAL_TEXT_MAX) -> dict:
    """``text``, ``start``, ``end`` of text[start:end] without its surrounding blanks, at most
    `limit` characters: the quoted text is always the slice its offsets give."""
    span = text[start:end]
    start += len(span) - len(span.lstrip())
    quoted = span.strip()[:limit]
    return {"text": quoted, "start": start, "end": start + len(quoted)}


def animal_studies(analysis: Analysis, from_anchors: list[dict], known: Iterable[tuple]) -> list[dict]:
    """Cited studies in animals or in vitro, named but never records: those among the anchors
    (`from_anchors`) and the clauses closed by a citation that name an animal model
    ("…可抑制NOD小鼠 CD4+ T细胞增殖[35]"); none whose citation is a study's (a key in `known`)."""
    norm = analysis.normalized
    text = analysis.doc.text
    out = list(from_anchors)
    for clause_start, cit in cited_clauses(norm.text, norm.citations):
        animal = _ANIMAL.search(norm.text, clause_start, cit.start)
        label = "[" + ",".join(map(str, cit.numbers)) + "]"
        if animal and not any(a["citation"] == label for a in out):
            a, b = norm.to_original(clause_start, cit.end)
            out.append({"citation": label, "label": None, "model": animal.group(), **_evidence_span(text, a, b)})
    cited = {f"[{k[1]}]" for k in known if k[0] == "cit"}
    return [a for a in out if a["citation"] not in cited]
