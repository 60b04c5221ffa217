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
from functools import lru_cache

import re

import regex

from ..scan import finditer_near
from ..sentences import last_stop
from .cues import ALL_OF_THEM, ENROL_VERB, RESPONDED
from .numbers import EN_NUM, parse_chinese_int, parse_english_int

_COUNT = regex.compile(
    r"""
    (?:(?<![\d.])(?P<n>\d{1,5})\s?(?P<unit>例|名|位)(?!\s?次)
      | (?P<cn>[一二两三四五六七八九十百]{1,4})(?P<unit>例|名|位)(?=患者|病人|病患|患儿|受试者|患有|罹患|[A-Za-z\p{Han}]{1,12}患者)
      | (?<=(?:纳入|入组|收治|入选|选取|招募|共|共有|共计|患者|病人|进行|完成)\s?)(?P<cn>[一二两三四五六七八九十百]{1,4})(?P<unit>例|名|位)  # "已入组十二例", "另外进行五例…移植"
      | (?<![A-Za-z])[nN]\s?=\s?(?P<n>\d{1,5})(?!\d|\s?/\s?\d)  # not "(n = 21/26)": responders of a share
    )
    """,
    regex.VERBOSE,
)
# the patient words (病患: Taiwan usage)
_PATIENT_AFTER = regex.compile(r"^\s?(?:患有|罹患|(?:[^,，。;；()（）\d]|[(（]\s?[A-Za-z][A-Za-z\-]{0,9}\s?[)）]){0,14}?(?:患者|病人|病患|患儿|受试者|病例))")
# the counted patients named with their disease, up to the patient word: "例复发缓解型MS患者"
_COHORT_AFTER = regex.compile(r"^\s?(?:患有|罹患)?[^,，。;；\d]{0,24}?(?:患者|病人|病患|患儿|受试者)")
_EVENT_AFTER = regex.compile(r"^\s?(?:为|的)?[^。;,，\d]{0,8}?(?:不良事件|不良反应|副作用|并发症|事件)")
_OUTCOME_AFTER = regex.compile(
    r"^\s?(?:\(\s?\d+(?:\.\d+)?\s?%\s?\))?\s?(?:患者)?[^。;,，]{0,24}?"
    r"(?:下降|上升|升高|降低|改善|好转|缓解|降至|复发|死亡|减轻|愈合|消失|出现|发生|达到|恢复|无效|有效|获得|[<≤]\s?\d)"
)
_PERCENT_AFTER = regex.compile(r"^\s?\(\s?\d+(?:\.\d+)?\s?%\s?\)")
_DEATH_AFTER = regex.compile(r"^\s?(?:患者)?\s?(?:因[^。;；,，]{1,12}?)?(?:死亡|病死|失访|退出|脱落)")
_SEX_BEFORE = regex.compile(r"(?:男|女|男性|女性|男患者|女患者)\s?$")
# patients per hospital ("解放军323医院17例"); "本院/我院 40 例" are the study's own patients
_SITE_BEFORE = regex.compile(r"(?<![本我该])(?:医院|中心|科|院)\s?$")
_GROUP_BEFORE = regex.compile(r"(?:实验组|治疗组|对照组|试验组|安慰剂组|观察组|[A-Za-z\d一二三四]组|高剂量组|低剂量组|中剂量组)\s?(?:共|有|纳入)?\s?$")
# part of the patients: "其中系统性红斑狼疮46例", "患者中…", "包括…" ("国内一项研究纳入36例" is no part)
_SUBGROUP_BEFORE = regex.compile(r"(?:其中|(?:患者|病例|病人|受试者)中|包括)[^。;，,]{0,14}$|(?:患者|病人)\s?[(（]\s?$")
_TOTAL_BEFORE = regex.compile(r"(?:纳入了?|入组|共|总共|招募|收集|选取|选择|报道了?|报告了?|对(?!照)|治疗了?|包括|共计|研究对象为|实验共纳入|完成了?|进行了?|人数\s?(?:为|[:：]))[^。;,，]{0,16}$")
_BACKGROUND_BEFORE = regex.compile(r"(?:超过|逾|上千|上万|数千|数百|近|约|已有|全球|迄今)\s?$")
# a feature of part of the patients: "合并肾功能不全", "伴…", or a finding that names them ("6例血小板减少患者")
_FEATURE_AFTER = regex.compile(
    # (not 衰竭: 心力衰竭 and 肝衰竭 are diseases, "59名心力衰竭患者" a cohort)
    r"^\s?(?:患者)?\s?(?:合并|伴|伴有|存在|有)|^\s?\p{Han}{2,8}?(?:减少|不全|受累|损害|病变|异常|增多)(?:的)?(?:患者|病人)"
)
_HAN_DIGIT = regex.compile(r"\p{Han}")
# "失访 2 例": lost, not enrolled; "完全缓解 6 例", "显效 12 例", "无效 2 例": graded results
_LOST_BEFORE = regex.compile(r"(?:失访|脱落|退出|死亡|完全缓解|部分缓解|临床缓解|显效|有效|无效|复发|好转)\s?$")
_EACH_BEFORE = regex.compile(r"(?:各|每组|各组)\s?$")  # "随机分为观察组和对照组，各30例", "每组32例"
_PATIENT_BEFORE = regex.compile(r"(?:患者|病人|病患|患儿|受试者)\s?$")
# "其中 133 例…" right after a count of events counts events, not patients
_EVENTS_BEFORE = regex.compile(r"(?:不良事件|不良反应|副作用|并发症)[^。;]{0,6}[,，]?\s?其中\s?$")
# what happened to the counted patients: "1例RA患者移植5个月后病情复发", "9 名患者症状好转"
_RESULT_VERB = regex.compile(
    r"复发|死亡|病死|好转|改善|缓解|下降|上升|升高|降低|减轻|愈合|消失|稳定|恢复|无效|有效|达到|实现|出现|发生|加重|进展|诉|反弹|维持"
)


@dataclass(frozen=True)
class CountMatch:
    start: int
    end: int
    value: int
    role: str  # total | group | subgroup | sex | outcome | site | background | planned | screened

    @property
    def is_sample_size(self) -> bool:
        return self.role in ("total", "group", "subgroup")

_CLAUSE_END = regex.compile(r"[,，。;；:：]")
_AMONG = regex.compile(r"^\s?(?:患者|病人)?\s?中")  # "(46例)患者中…"
_AMONG_N_BEFORE = regex.compile(r"\d+\s?(?:例|名)\s?(?:患者)?中\s?$")  # "46例患者中(42例)"


def _clause_before(text: str, start: int, width: int = 30) -> str:
    """Up to `width` characters before `start`, within the sentence; a wide gap ("安全性评估  5例",
    a heading run into its paragraph by PDF conversion) also ends the clause."""
    gap = text.rfind("  ", max(0, start - width), start)
    left = max(last_stop(text, "。;\n", start) + 1, gap + 2 if gap >= 0 else 0)
    return text[max(left, start - width) : start]


def _event_names():
    from .adverse_events import _event_name_pattern  # the adverse-event lexicon's names

    return _event_name_pattern()


def _reports_a_result(after: str) -> bool:
    """The count's own clause says what happened to the patients, and nothing done to them."""
    clause = _CLAUSE_END.split(after, maxsplit=1)[0]
    if _FEATURE_AFTER.match(clause) or _AMONG.match(clause):
        return False  # "9例合并肾功能不全患者…", "46例患者中42例…": a subgroup, a denominator
    # "5例复发缓解型多发性硬化患者…", "六名患有原发进展型MS的患者": a result word inside the
    # patients' disease is no result; what happened to them comes after the patient word
    cohort = _COHORT_AFTER.match(clause)
    skip = cohort.end() if cohort else 0
    verb = _RESULT_VERB.search(clause, skip) or _event_names().search(clause, skip)  # "1例输注后发热": an event named
    if not verb:
        return False
    # "76例患者移植后…均有改善": all of them, so the count is the cohort itself; "2例于输注后
    # 4 h出现发热": the treatment is a time, the count is of those who had the event
    lead = _TREATMENT_AS_TIME.sub("", clause[: verb.start()])
    if _event_names().search(clause, verb.start()):
        lead = _TREATMENT_WITH_OBJECT_AS_TIME.sub("", lead)  # "3名患者在注射MSCs后2 h内出现发热"
    return not ENROL_VERB.search(lead) and not ALL_OF_THEM.search(lead)


_BREAKDOWN_BEFORE = regex.compile(r"(?:失访|死亡|病死|退出|脱落)\s?\d+\s?例\s?[(（][^()（）]*$")
_RESPECTIVELY_BEFORE = regex.compile(r"分别为\s?$|分别为\s?\d+\s?例\s?[(（]\s?\d+(?:\.\d+)?\s?%\s?[)）]\s?(?:和|、|,|，|及)\s?$")
_RESPONDERS_BY_ARM_BEFORE = regex.compile(r"者\s?[:：][^。;；:：]{0,20}$")
_SCREENED_BEFORE = regex.compile(r"(?:筛选|初筛|筛查|评估了?)\s?$")
# "本研究评估了8名SSc患者" studies them; "共评估131例，符合标准者96例" screens them
_STUDIED_BEFORE = regex.compile(r"评估了?\s?$")
_ELIGIBLE_LATER = regex.compile(r"[^。;；]*?(?:符合|入选|纳入|排除|入组)")
_CHANGE_BEFORE = regex.compile(r"(?:由|从|降至|升至|减至|增至|减少至|增加至|下降至|上升至)\s?$")
_RATE_FRACTION_AFTER = regex.compile(r"^\s?[(（]\s?\d+(?:\.\d+)?\s?%\s?[,，;；]\s?\d+\s?/\s?\d+")
_STILL_FOLLOWED_AFTER = regex.compile(r"^\s?(?:患者)?\s?(?:尚在|仍在|正在)(?:随访|观察|治疗)")
# a count planned, not treated: "计划纳入120例", "拟入组60例", "完成全部20例入组后"
_PLANNED_BEFORE = regex.compile(r"(?:计划|拟|预计|预期|目标)[^。;；,，]{0,30}$|完成全部\s?$")
# what the counted patients had or reached, named right before the count: "胃肠道反应5例",
# "头晕1例", "应答者11例", "达标者仅3例", "CR 5例、PR 8例", "联合缓解147例"
_RESULT_NAME_BEFORE = regex.compile(
    rf"(?:(?:{RESPONDED}|复发|死亡)者|反应|紊乱|减少|疼痛|CR|PR|缓解|应答|达标|复发|反弹|发生|出现)(?:仅|共|各|约|为|有)?\s?$"
)


@lru_cache(maxsize=1)
def _event_before() -> regex.Pattern:
    """An adverse event named right before a count ("头晕1例", "带状疱疹1例"): the names are the
    adverse-event lexicon's."""
    return regex.compile("(?:" + _event_names().pattern + r")(?:仅|共|各|约|为|有)?\s?$")
# a treatment named as a time ("于输注后 2 h", "输注当天") is not what was done to the counted
_TREATMENT_AS_TIME = regex.compile(r"(?:输注|注射|移植|治疗|回输)(?:后|时|当天|当日|次日|过程中|期间)")
# before an adverse event named ("2名受试者在末次输注细胞后数小时内出现寒战"), 在/于 make the treatment with its
# object a time too; before an improvement ("20例患者在接受MSC治疗后症状改善") the count stays the cohort
_TREATMENT_WITH_OBJECT_AS_TIME = regex.compile(r"(?:于|在)[^，,。；;]{0,8}?(?:输注|注射|移植|回输)[^，,。；;]{1,12}?(?:后|时|当天|当日|次日|过程中|期间)")


def classify_count(text: str, start: int, end: int) -> str:
    """The role of the count at text[start:end] (see the module docstring)."""
    before = _clause_before(text, start)
    after = text[end : end + 40]
    if _PLANNED_BEFORE.search(before):
        return "planned"
    if _BREAKDOWN_BEFORE.search(text, max(0, start - 60), start) or _RESPECTIVELY_BEFORE.search(text, max(0, start - 24), start):
        return "outcome"  # "失访7例（MSC组4例，…）", "死亡19例（感染11例、…）", "分别为3例（2.4%）和3例"
    if _CHANGE_BEFORE.search(before) or _RATE_FRACTION_AFTER.match(after) or _STILL_FOLLOWED_AFTER.match(after):
        return "outcome"  # "由18例降至9例", "17例(11.6%，17/146)", "其余3例尚在随访中"
    if _RESPONDERS_BY_ARM_BEFORE.search(text, max(0, start - 24), start):
        return "outcome"  # "抗体转阴者：高剂量组12例，低剂量组9例"
    if _SCREENED_BEFORE.search(before) and (not _STUDIED_BEFORE.search(before) or _ELIGIBLE_LATER.match(text, end, end + 60)):
        return "screened"  # "共筛选131例，符合标准者96例": screened, not enrolled
    close_before = text[max(0, start - 8) : start].rsplit("\n", 1)[-1]
    if (_RESULT_NAME_BEFORE.search(close_before) or _event_before().search(close_before)) and not _PATIENT_BEFORE.search(before):
        return "outcome"
    if _SEX_BEFORE.search(before):
        return "sex"
    if _SITE_BEFORE.search(before) and not (_TOTAL_BEFORE.search(before) and _PATIENT_AFTER.match(after)):
        return "site"  # "选取某医院60例RA患者" is the cohort, enrolled at its hospital
    if _BACKGROUND_BEFORE.search(before):
        return "background"
    if _DEATH_AFTER.match(after) or _EVENT_AFTER.match(after) or _LOST_BEFORE.search(before):
        return "outcome"
    if _PERCENT_AFTER.match(after) and _OUTCOME_AFTER.match(after):
        return "outcome"
    if _AMONG_N_BEFORE.search(before):
        return "outcome"  # "46例患者中42例…"
    if _EVENTS_BEFORE.search(before):
        return "outcome"
    if _reports_a_result(after) and not _TOTAL_BEFORE.search(before):
        return "outcome"  # "观察组2例出现一过性发热": what happened to some, even inside an arm
    if _GROUP_BEFORE.search(before) or _EACH_BEFORE.search(before):
        return "group"
    if _PATIENT_BEFORE.search(before):
        return "total"  # "难治性RA患者60例": the patients, counted
    if _SUBGROUP_BEFORE.search(before) or _FEATURE_AFTER.match(after) or _PERCENT_AFTER.match(after):
        return "subgroup"
    if _OUTCOME_AFTER.match(after) and not _PATIENT_AFTER.match(after) and not _TOTAL_BEFORE.search(before):
        return "outcome"
    return "total"


# English abstracts of Chinese papers: "A total of 76 patients", "including 46 (61%) cases of SLE"
_ENGLISH_COUNT = regex.compile(
    rf"(?<![\w.])(?:(?P<n>\d{{1,5}})|(?P<word>{EN_NUM}))(?P<tail>(?:\s[A-Z][A-Za-z\-]{{1,12}})?\s(?:patients|cases|subjects|participants)\b|(?=\s?\(\d+(?:\.\d+)?%\)\s(?:patients|cases|subjects|of)\b))",
    regex.IGNORECASE,
)
# every English count ends in one of these (a number word is tried at every letter otherwise)
_ENGLISH_COUNT_ANCHOR = re.compile(r"patients|cases|subjects|participants|%\)", re.IGNORECASE)
_ENGLISH_RESULT_AFTER = regex.compile(r"^[^.;,]{0,30}?\b(?:relapsed|died|improved|achieved|responded|developed|had)\b", regex.IGNORECASE)


_ENGLISH_SCREENED_AFTER = regex.compile(r"\s(?:were|was|had\sbeen)\s(?:initially\s)?(?:assessed|screened|evaluated)\s(?:for|as)\b", regex.IGNORECASE)


_ENGLISH_LEFT_AFTER = regex.compile(r"\s(?:did\snot\s(?:complete|receive|undergo)|withdrew|dropped\sout|were\s(?:excluded|withdrawn|lost))\b", regex.IGNORECASE)


def _english_counts(text: str) -> list[CountMatch]:
    out = []
    for m in finditer_near(_ENGLISH_COUNT, text, _ENGLISH_COUNT_ANCHOR, 40, 30):
        value = int(m.group("n")) if m.group("n") else parse_english_int(m.group("word"))
        if not value:
            continue
        before = text[max(0, m.start() - 20) : m.start()].lower()
        after = text[m.end() : m.end() + 40]
        if _ENGLISH_SCREENED_AFTER.match(after):
            role = "screened"  # "37 patients were assessed for HSCT", "were screened": not all treated
        elif _ENGLISH_LEFT_AFTER.match(after):
            role = "outcome"  # "Six patients did not complete the transplant": lost, not treated
        elif regex.search(r"\b(?:of\sthese|of\sthem|among\sthem|among\sthese)[,\s]*$", before):
            role = "subgroup"  # "Of these, 35 patients underwent mobilisation"
        elif regex.match(r"\s?\(\d+(?:\.\d+)?%\)\s(?:of\s)?the\s\d+", after):
            role = "outcome"  # "7 (9%) of the 76 patients relapsed": a result over the cohort
        elif regex.search(r"\(\d", after[:3]) or "including" in before or (regex.search(r"\bof\s$", before) and not regex.search(r"(?:of the|total of|cohort of|series of|group of|study of|trial of)\s$", before)):
            role = "subgroup"
        elif _ENGLISH_RESULT_AFTER.match(after) and "of the" not in before:
            role = "outcome"
        else:
            role = "total"
        out.append(CountMatch(m.start(), m.end(), value, role))
    return sorted(out, key=lambda c: c.start)


def find_counts(text: str) -> list[CountMatch]:
    """Every patient count in normalised `text` with its role."""
    out = _english_counts(text)
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
            if not regex.match(r"^\s?(?:难治性|活动性|重症|早期)?\s?(?:[A-Za-z]|[12]型)", after):
                continue  # "第1名", "3位作者": not patients
        role = classify_count(text, m.start(), m.end())
        if is_n_equals and role == "total" and regex.search(r"组[^。;；]{0,24}$", _clause_before(text, m.start())):
            role = "group"  # "低剂量组(1×10^6/kg，n=20)"
        if role == "total" and not (is_n_equals or _PATIENT_AFTER.match(after) or _PATIENT_BEFORE.search(_clause_before(text, m.start()))
                                    or _TOTAL_BEFORE.search(_clause_before(text, m.start()))):
            # a bare "N例" with no patient word and no reporting verb: a disease cohort in a list
            role = "subgroup" if _HAN_DIGIT.search(_clause_before(text, m.start(), 12)) else "total"
        out.append(CountMatch(m.start(), m.end(), value, role))
    return sorted(out, key=lambda c: c.start)
