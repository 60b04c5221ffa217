"""What an article reports, decided once, with its reason, before any study is segmented.

An article reports its own study (a trial, a cohort, a case report or series, a news item about
patients treated at a hospital), or pools others' (a meta-analysis, a pooled analysis of
published cases), or reviews cited studies, or reports no study in patients (mechanisms,
animals, a service page). `classify_article` reads a few signals of the normalised text (so a
Traditional-script page reads as a Simplified one) and the mentions, and applies `RULES` in
order: the first rule that holds decides.

Inclusive by default: an article that treats patients with cells and is neither a review nor a
pooled analysis is one study, its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import regex

from .mentions import Analysis
from .sentences import sentence_bounds

#: what an article can report; what each means is in the module docstring
KINDS = ("own_study", "case_report", "review", "pooled", "no_patients")
#: the kinds whose article has a study of its own
OWN_KINDS = frozenset({"own_study", "case_report"})


@dataclass(frozen=True)
class ArticleKind:
    kind: str  # one of KINDS
    reason: str  # the rule that decided, in a few words


@dataclass(frozen=True)
class Signals:
    """What the rules read; each a small test of the normalised text or the mentions."""

    meta_analysis: bool  # names itself a meta-analysis or systematic review in its first lines
    counts_papers: bool  # counts the papers it pools ("12篇文献", "文献分析")
    searches_databases: bool  # says which databases it searched ("检索…数据库")
    own_methods: bool  # a methods section or a structured abstract of its own patients
    says_review: bool  # calls itself a review in its first lines ("…研究进展", "综述")
    enrols: bool  # enrols patients in its own words ("选取…40例患者", "本组5例", "我院收治")
    case: bool  # describes a case ("患者，女，35岁", "例1")
    cites_studies: bool  # other studies were found (citation anchors, named studies, tables)
    treats_patients: bool  # patients (a count or a patient word) and cells in the text


# a methods heading on a line of its own or run in ("资料与方法：…"), in Simplified or English
_METHODS_HEADING = regex.compile(
    r"(?m)^[^\S\n]*(?:[【\[]\s*)?(?:\d(?:\.\d)?\s*)?(?:资料与方法|对象与方法|材料与方法|研究对象与方法|病例与方法|临床资料与方法|"
    r"临床资料|一般资料|病例资料|病例报告|病例介绍|病例摘要|Patients and methods|Materials and methods)\s*(?:[】\]]\s*)?(?:[:：]|$)"
)
# a structured abstract: 目的 … 方法 … 结果, each within a few hundred characters of the one
# before (a review's abstract has no 方法 of patients); read marker by marker (fast)
_OBJECTIVE = regex.compile(r"(?:^|(?<=[\s【\[。:：]))目的\s*[】\]]?\s*[:：]?", regex.MULTILINE)
_METHODS = regex.compile(r"(?:^|(?<=[\s。】\]]))方法\s*[】\]]?\s*[:：]?", regex.MULTILINE)
_RESULTS = regex.compile(r"(?:^|(?<=[\s。】\]]))结果", regex.MULTILINE)


def _structured_abstract(text: str) -> bool:
    for objective in _OBJECTIVE.finditer(text):
        methods = _METHODS.search(text, objective.end() + 4, objective.end() + 604)
        if methods and _RESULTS.search(text, methods.end() + 4, methods.end() + 904):
            return True
    return False


_OBJECTIVE_METHODS = regex.compile(r"(?i)\b(?:objective|aims?|purpose|background)\s*[:：].{4,900}?\bmethods?\s*[:：]", regex.DOTALL)
# own patients, in the article's own words: first person, or an enrolment verb before a count
_FIRST_PERSON = regex.compile(r"本研究|本组|本试验|本文(?:报告|报道|收集|纳入)|我院|本院|我科|本科|我们(?:对|收集|纳入|采用|应用|选取)|笔者")
# ... unless the sentence speaks of others' work: "上述研究共纳入…", "文献报道…", "本文…进行综述"
_OTHERS_WORK = regex.compile(r"上述|以上|这些|各项|\d\s?篇|文献|既往|有研究|研究(?:显示|发现|表明)|据报道|综述|国内外")
# the article calls itself a review: "…研究进展", "综述", "review"
_REVIEW = regex.compile(r"综述|研究进展|应用进展|治疗进展|(?i:\breview\b)")
_ENROLMENT = regex.compile(
    r"(?:选取|选择|收集|纳入|入选|入组|招募|收治|回顾性分析|前瞻性)[^。；;\n]{0,50}?(?:\d+|[一二三四五六七八九十两]+)\s?(?:例|名|位)"
    r"|(?:\d+|[一二三四五六七八九十两]+)\s?(?:例|名|位)[^。；;\n]{0,30}?(?:患者|病人|患儿)[^。；;\n]{0,20}?(?:纳入|入选|入组|作为研究对象|为研究对象)"
    r"|(?i:\b\d+\s+patients\s+(?:were|with)\b)"
)
# a patient described by sex and age: "患者，女，35岁", "患者男性，42岁"
_SEX_AND_AGE = r"患者[,，:：\s]?(?:[男女]性?|[男女]童)[,，\s]?\d{1,3}\s?岁"
# a case described: the above, or a case heading "例1", "病例1"
_CASE = regex.compile(rf"{_SEX_AND_AGE}|(?:^|\n)[^\S\n]*(?:例|病例)\s?[1-9一二三]\s?[,，:：\s]")
_PATIENT = regex.compile(r"患者|病人|病患|患儿|病友|个案|受试者|(?i:\bpatients?\b)")
# one patient described: "患者，女，35岁", "1例…患者", "王先生", "a 45-year-old woman"
ONE_PATIENT = regex.compile(
    _SEX_AND_AGE
    + r"|(?:(?<![\d一二三四五六七八九十])(?:一|1)|是)\s?(?:名|位|例)(?:[^\d，。,;；]|\d{1,2}\s?(?:岁|年|个月)){0,16}?(?:患者|病人|病患|患儿|男童|女童|男孩|女孩|男子|女子|老人|长者|病友)"
    r"|(?<=\p{Han})(?:先生|女士|小姐|爷爷|奶奶|阿姨|伯伯|阿伯|阿嬷|阿公|婆婆|大爷|大妈|小妹|小弟)(?=[\p{Han},，。(（\s])"
    r"|(?i:\ba\s\d{1,3}-year-old\s(?:man|woman|boy|girl|male|female|patient))"
)
# cells given, named or not ("幹細胞治療", "细胞疗法")
_CELLS = regex.compile(r"干细胞|细胞治疗|细胞疗法|细胞移植|(?i:stem cells?)")
_META_ANALYSIS = regex.compile(r"Meta\s?分析|荟萃分析|系统评价|系统综述|meta-analysis|systematic review", regex.IGNORECASE)
# a pooled analysis of published cases says where they came from, early: "检索 … 数据库",
# "12篇文献共报道 76例" (not 文献复习: "3例报告并文献复习" is a case report; not a page's
# "高级检索" box nor an author's "文献检索" task)
_DATABASE_SEARCH = regex.compile(
    r"(?:检索|查找|查阅)[^。\n]{0,40}?(?:数据库|文献|PubMed|CNKI|万方|维普)"
    r"|(?:数据库|PubMed|CNKI|万方|维普|Embase|Cochrane)[^。\n]{0,60}?(?:检索|查找|查阅)"
)
_PAPERS_COUNTED = regex.compile(r"\d+\s?(?:篇|项)(?:相关)?(?:的)?(?:临床)?(?:文献|报道|研究|论文|试验|RCT)|文献(?:资料)?分析")


@lru_cache(maxsize=8)  # asked by several steps of one document
def has_own_methods(text: str) -> bool:
    """A methods section or a structured abstract of its own patients, in Simplified `text`."""
    return bool(_METHODS_HEADING.search(text) or _structured_abstract(text) or _OBJECTIVE_METHODS.search(text[:3000]))


def names_itself_pooled(text: str) -> bool:
    """A meta-analysis or systematic review by its own name, in its title or first lines (Simplified `text`)."""
    return _META_ANALYSIS.search(text, 0, min(len(text), 300)) is not None


def _counts_papers(text: str) -> bool:
    return _PAPERS_COUNTED.search(text, 0, min(len(text), 1500)) is not None  # in its abstract


def _searches_databases(text: str) -> bool:
    return _DATABASE_SEARCH.search(text, 0, min(len(text), 1500)) is not None


@lru_cache(maxsize=8)
def pools_others(text: str) -> bool:
    """Names itself a meta-analysis or systematic review, counts the papers it pools, or says which
    databases it searched (Simplified `text`): its totals are no study of its own."""
    return names_itself_pooled(text) or _counts_papers(text) or _searches_databases(text)


def read_signals(analysis: Analysis, covered: list[tuple[int, int]] = ()) -> Signals:
    """The signals of `analysis` (normalised text: Traditional pages read as Simplified);
    `covered` are the original spans of the other studies found (cited, named, table rows)."""
    text = analysis.normalized.masked
    return Signals(
        meta_analysis=names_itself_pooled(text),
        counts_papers=_counts_papers(text),
        searches_databases=_searches_databases(text),
        own_methods=has_own_methods(text),
        says_review=_REVIEW.search(text, 0, min(len(text), 400)) is not None,
        enrols=_own_enrolment(analysis, text, list(covered)),
        case=_CASE.search(text) is not None,
        cites_studies=bool(covered),
        treats_patients=(any(m.label == "CELL_TYPE" for m in analysis.mentions) or _CELLS.search(text) is not None)
        and (any(m.label == "N_PATIENTS" for m in analysis.mentions) or _PATIENT.search(text) is not None
             or ONE_PATIENT.search(text) is not None),
    )


def _own_enrolment(analysis: Analysis, text: str, covered: list[tuple[int, int]]) -> bool:
    """An enrolment statement or first-person cohort in a sentence with no citation mark, outside
    the `covered` spans (original offsets) of the cited studies already found."""
    cites = [c.start for c in analysis.normalized.citations]
    for pattern in (_FIRST_PERSON, _ENROLMENT):
        for m in pattern.finditer(text):
            start, end = sentence_bounds(text, m.start(), m.end())
            if any(start <= c < end for c in cites) or _OTHERS_WORK.search(text, start, end):
                continue
            at = analysis.normalized.to_original(m.start(), m.end())[0]
            if not any(a <= at < b for a, b in covered):
                return True
    return False


def states_own_enrolment(clause: str) -> bool:
    """A clause (Simplified) that enrols the article's own patients even though a citation mark
    closes it: "选取本院收治的ITP患者6例,均符合诊断标准[2]" (the mark cites the criteria)."""
    if _OTHERS_WORK.search(clause):
        return False
    return bool(_FIRST_PERSON.search(clause) or _ENROLMENT.search(clause) or _EN_ENROLMENT.search(clause))


# English: "29 patients were finally transplanted", "Thirteen patients with PMS were enrolled"
_EN_ENROLMENT = regex.compile(r"(?i)\bpatients\b[^.;]{0,40}?\bwere\s(?:\w+\s)?(?:enrolled|included|recruited|transplanted|treated|infused)\b")


#: the rules, in order: (kind, reason, test)
RULES: tuple[tuple[str, str, Callable[[Signals], bool]], ...] = (
    ("pooled", "names itself a meta-analysis or systematic review", lambda s: s.meta_analysis),
    ("pooled", "counts the papers whose cases it pools", lambda s: s.counts_papers),
    ("pooled", "searched databases and enrols no patients of its own", lambda s: s.searches_databases and not s.enrols),
    ("own_study", "has methods or a structured abstract of its own", lambda s: s.own_methods),
    ("review", "calls itself a review", lambda s: s.says_review),
    ("own_study", "enrols patients in its own words", lambda s: s.enrols),
    ("case_report", "describes a case", lambda s: s.case),
    ("review", "reports studies of others (cited, named or in a table) and none of its own", lambda s: s.cites_studies),
    ("own_study", "treats patients with cells (a news item, an uncited report)", lambda s: s.treats_patients),
    ("no_patients", "names no patients treated with cells", lambda s: True),
)


def decide(signals: Signals) -> ArticleKind:
    """The first rule of `RULES` that holds."""
    for kind, reason, test in RULES:
        if test(signals):
            return ArticleKind(kind, reason)
    raise AssertionError("the last rule always holds")


def classify_article(analysis: Analysis, covered: list[tuple[int, int]] = ()) -> ArticleKind:
    """What `analysis`'s article reports (see the module docstring); `covered` as in `read_signals`."""
    return decide(read_signals(analysis, covered))
