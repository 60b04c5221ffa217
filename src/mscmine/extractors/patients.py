"""Sample sizes: how many patients a study, arm or cohort treated.

Every "number + 例/名/位/人" is classified, because most of them are not sample sizes:

* ``total`` – a study's or the pooled analysis's patients (``纳入了 4 名难治性 RA 患者``,
  ``17例RA患者``, ``n=24``, ``共报道76例``);
* ``group`` – an arm (``实验组 136 例``);
* ``subgroup`` – part of the treated patients by disease or feature (``其中系统性红斑狼疮46例``,
  ``3 例患者肺部受累``);
* not a sample size (label COUNT, kept with its kind): ``sex`` (``男12例``), ``outcome``
  (``42例(91%)…下降``, ``1例死亡``), ``site`` (patients per hospital), ``background``
  (``全球已有超过4000例…``).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .numbers import parse_chinese_int

_COUNT = regex.compile(
    r"""
    (?:(?<![\d.])(?P<n>\d{1,5})\s?(?P<unit>例|名|位)(?!\s?次)
      | (?P<cn>[一二两三四五六七八九十百]{1,4})(?P<unit>例|名|位)(?=患者|病人|患儿|受试者|[A-Za-z\p{Han}]{1,12}患者)
      | (?<![A-Za-z])[nN]\s?=\s?(?P<n>\d{1,5})(?!\d)
    )
    """,
    regex.VERBOSE,
)
_PATIENT_AFTER = regex.compile(r"^\s?(?:[^,，。;；()（）\d]{0,14}?)(?:患者|病人|患儿|受试者|病例)")
_EVENT_AFTER = regex.compile(r"^\s?(?:为|的)?[^。;,，\d]{0,8}?(?:不良事件|不良反应|副作用|并发症|事件)")
_OUTCOME_AFTER = regex.compile(
    r"^\s?(?:\(\s?\d+(?:\.\d+)?\s?%\s?\))?\s?(?:患者)?[^。;,，]{0,24}?"
    r"(?:下降|上升|升高|降低|改善|好转|缓解|降至|复发|死亡|减轻|愈合|消失|出现|发生|达到|恢复|无效|有效|获得)"
)
_PERCENT_AFTER = regex.compile(r"^\s?\(\s?\d+(?:\.\d+)?\s?%\s?\)")
_DEATH_AFTER = regex.compile(r"^\s?(?:患者)?\s?(?:死亡|病死|失访|退出|脱落)")
_SEX_BEFORE = regex.compile(r"(?:男|女|男性|女性|男患者|女患者)\s?$")
_SITE_BEFORE = regex.compile(r"(?:医院|中心|科|院)\s?$")
_GROUP_BEFORE = regex.compile(r"(?:实验组|治疗组|对照组|试验组|安慰剂组|观察组|[A-Za-z\d一二三四]组|高剂量组|低剂量组|中剂量组)\s?(?:共|有|纳入)?\s?$")
_SUBGROUP_BEFORE = regex.compile(r"(?:其中|中|包括|内)[^。;，,]{0,14}$|(?:患者|病人)\s?[(（]\s?$")
_TOTAL_BEFORE = regex.compile(r"(?:纳入了?|入组|共|总共|招募|收集|选取|选择|报道了?|报告了?|对|治疗了?|包括|共计|研究对象为|实验共纳入)[^。;,，]{0,16}$")
_BACKGROUND_BEFORE = regex.compile(r"(?:超过|逾|上千|上万|数千|数百|近|约|已有|全球|迄今)\s?$")
_FEATURE_AFTER = regex.compile(r"^\s?(?:患者)?\s?(?:合并|伴|伴有|存在|有)")
_HAN_DIGIT = regex.compile(r"\p{Han}")


@dataclass(frozen=True)
class CountMatch:
    start: int
    end: int
    value: int
    role: str  # total | group | subgroup | sex | outcome | site | background

    @property
    def is_sample_size(self) -> bool:
        return self.role in ("total", "group", "subgroup")


def _clause_before(text: str, start: int, width: int = 30) -> str:
    left = max(text.rfind(c, 0, start) for c in "。;\n") + 1
    return text[max(left, start - width) : start]


def classify_count(text: str, start: int, end: int) -> str:
    """The role of the count at text[start:end] (see the module docstring)."""
    before = _clause_before(text, start)
    after = text[end : end + 40]
    if _SEX_BEFORE.search(before):
        return "sex"
    if _SITE_BEFORE.search(before):
        return "site"
    if _BACKGROUND_BEFORE.search(before):
        return "background"
    if _DEATH_AFTER.match(after) or _EVENT_AFTER.match(after):
        return "outcome"
    if _PERCENT_AFTER.match(after) and _OUTCOME_AFTER.match(after):
        return "outcome"
    if regex.search(r"\d+\s?(?:例|名)\s?(?:患者)?中\s?$", before):
        return "outcome"  # "46例患者中42例…"
    if _GROUP_BEFORE.search(before):
        return "group"
    if _SUBGROUP_BEFORE.search(before) or _FEATURE_AFTER.match(after) or _PERCENT_AFTER.match(after):
        return "subgroup"
    if _OUTCOME_AFTER.match(after) and not _PATIENT_AFTER.match(after):
        return "outcome"
    return "total"


def find_counts(text: str) -> list[CountMatch]:
    """Every patient count in normalised `text` with its role."""
    out = []
    for m in _COUNT.finditer(text):
        if m.group("cn"):
            value = parse_chinese_int(m.group("cn"))
        else:
            value = int(m.group("n"))
        if value is None or value <= 0:
            continue
        after = text[m.end() : m.end() + 30]
        is_n_equals = m.group().lower().lstrip().startswith("n")
        if not is_n_equals and m.group("unit") in ("名", "位") and not _PATIENT_AFTER.match(after):
            if not regex.match(r"^\s?(?:难治性|活动性|重症|早期)?\s?[A-Za-z]", after):
                continue  # "第1名", "3位作者": not patients
        role = classify_count(text, m.start(), m.end())
        if role == "total" and not (is_n_equals or _PATIENT_AFTER.match(after) or _TOTAL_BEFORE.search(_clause_before(text, m.start()))):
            # a bare "N例" with no patient word and no reporting verb: a disease cohort in a list
            role = "subgroup" if _HAN_DIGIT.search(_clause_before(text, m.start(), 12)) else "total"
        out.append(CountMatch(m.start(), m.end(), value, role))
    return out
