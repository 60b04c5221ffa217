"""What an article reports (`mscmine.article`), time points after treatment, one-patient pages,
and that every fact mention lands in a record or in the document's ``unassigned`` list.

The sentences are written for these tests in the ways Chinese abstracts, reviews, hospital news
and Taiwanese pages write; none is copied from an article or page.
"""

from pathlib import Path

import pytest

import mscmine
from mscmine.article import classify_article
from mscmine.document import Document
from mscmine.extractors.time_points import find_time_points
from mscmine.mentions import analyse
from mscmine.placement import PLACED_LABELS, FIELD_OF

ROOT = Path(__file__).resolve().parent.parent


def kind_of(text: str) -> tuple[str, str]:
    from mscmine.studies import find_studies

    found = find_studies(analyse(Document.from_text(text)))
    return found.article.kind, found.article.reason


@pytest.mark.parametrize("text, kind", [
    ("目的 观察脐带间充质干细胞治疗类风湿关节炎的疗效。方法 32例患者静脉输注细胞。结果 DAS28下降。", "own_study"),
    ("资料与方法：选取本院2019年收治的系统性硬化症患者18例，给予骨髓间充质干细胞移植。", "own_study"),
    ("我院风湿科近日为一名狼疮患者输注了脐带间充质干细胞，患者病情明显好转。", "own_study"),
    ("臺大醫院團隊為12位僵直性脊椎炎病人輸注臍帶間質幹細胞，追蹤6個月。", "own_study"),
    ("患者，女，42岁，确诊干燥综合征8年，给予脐带间充质干细胞治疗。", "case_report"),
    ("间充质干细胞治疗系统性红斑狼疮的研究进展。间充质干细胞具有免疫调节作用。", "review"),
    ("间充质干细胞治疗炎症性肠病的Meta分析。目的 评价疗效。方法 检索数据库。", "pooled"),
    ("本文对9篇文献报道的54例患者进行分析，其中脐带来源40例。", "pooled"),
    ("检索PubMed、万方数据库中脐带间充质干细胞治疗狼疮的文献，共纳入患者112例。", "pooled"),
    ("间充质干细胞可从骨髓、脂肪、脐带中获取，具有多向分化潜能。", "no_patients"),
    ("间充质干细胞移植可降低小鼠蛋白尿。", "no_patients"),
], ids=["structured-abstract", "methods-heading", "hospital-news", "traditional-news", "case", "review-title",
        "meta-analysis", "papers-counted", "database-search", "background", "animals"])
def test_what_the_article_reports(text, kind):
    assert kind_of(text)[0] == kind


def test_a_review_whose_cited_studies_enrol_is_still_a_review():
    text = ("间充质干细胞治疗类风湿关节炎研究进展\n"
            "张明等^[3]纳入40例难治性RA患者，静脉输注脐带间充质干细胞1×10^6/kg，随访12个月。\n"
            "上述研究共纳入接受治疗的患者120例。")
    assert kind_of(text) == ("review", "calls itself a review")


@pytest.mark.parametrize("text, months, span", [
    ("治疗后6个月SLEDAI评分明显下降", 6.0, "治疗后6个月"),
    ("输注后第12周复查", 2.76, "输注后第12周"),
    ("接受UC-MSC治疗后48周HbA1c降低", 11.05, "接受UC-MSC治疗后48周"),
    ("第24周时C肽升高", 5.52, "第24周时"),
    ("治疗3个月后疼痛缓解", 3.0, "3个月后"),
    ("移植後半年", None, None),
    ("CK fell 6 months after transplantation", 6.0, "6 months after transplantation"),
    ("remission at week 24", 5.52, "at week 24"),
    ("病程6个月以上", None, None),
    ("每4周输注1次，间隔2周", None, None),
    ("治疗前3个月未用激素", None, None),
    ("三个月内BASDAI评分明显下降", 3.0, "三个月内"),
    ("近3个月内未使用生物制剂", None, None),
    ("于治疗后第7天、2个月、4个月复查", [0.23, 2.0, 4.0], ["治疗后第7天", "2个月", "4个月"]),
    ("移植后365 d血小板计数恢复正常", 11.99, "移植后365 d"),  # a day count abbreviated
    ("若是3周内未见好转，则需更换方案", None, None),  # a condition, no time of a result
], ids=["after-treatment", "numbered-week", "after-named-cells", "visit", "units-later", "half-year-not-read",
        "english-after", "english-at-week", "disease-duration", "intervals", "before-treatment", "within-months",
        "within-before-enrolment", "listed-visits", "days-abbreviated", "a-condition"])
def test_time_points(text, months, span):
    got = find_time_points(text)
    if months is None:
        assert list(got) == []
    elif isinstance(months, list):
        assert [(t.months, text[t.start:t.end]) for t in got] == list(zip(months, span))
    else:
        assert [(t.months, text[t.start:t.end]) for t in got] == [(months, span)]


@pytest.mark.parametrize("text, n, evidence", [
    ("我院为一名类风湿关节炎患者输注脐带间充质干细胞，治疗后3个月关节疼痛减轻。", 1, "一名"),
    ("老李是位患病3年的类风湿关节炎病人，接受了脐带间充质干细胞治疗。", 1, "是位患病3年的类风湿关节炎病人"),
    ("七十岁的陈爷爷右膝疼痛多年，接受自体脂肪干细胞关节腔注射。", 1, "爷爷"),
    ("A 35-year-old woman with lupus received umbilical cord MSCs.", 1, "A 35-year-old woman"),
    ("我院为12例狼疮患者输注脐带间充质干细胞，其中一名患者出现发热。", 12, "12例"),
], ids=["one-named", "one-described-with-an-age", "news-grandfather", "english-case", "a-count-wins"])
def test_one_patient_pages(study_records, text, n, evidence):
    [rec] = study_records(text)
    assert rec["n_patients"]["value"] == n
    assert rec["n_patients"]["text"] == evidence


def _texts():
    paths = sorted((ROOT / "corpus").glob("*/*.txt")) + sorted((ROOT / "tests" / "data").glob("*.txt"))
    return [pytest.param(p, id=p.stem) for p in paths]


@pytest.mark.parametrize("path", _texts())
def test_every_fact_mention_lands_in_a_record_or_unassigned(path):
    """No fact is dropped silently: each is some record's evidence, a value its study's record
    holds, or an entry of the document's unassigned list with a reason."""
    doc = mscmine.load(path)
    analysis = analyse(doc)
    records = mscmine.extract(doc)
    [document] = [r for r in records if r["scope"] == "document"]
    evidence = set()
    for r in records:
        for field in FIELD_OF.values():
            v = r.get(field)
            for ev in v if isinstance(v, list) else ([v] if v else []):
                evidence.add((field, ev.get("start"), ev.get("end")))
    unassigned = {(u["field"], u["start"], u["end"]): u["reason"] for u in document["unassigned"]}
    assert all(reason for reason in unassigned.values())
    lost = [(m.label, m.text, m.start) for m in analysis.mentions
            if m.label in PLACED_LABELS and (FIELD_OF[m.label], m.start, m.end) not in evidence | set(unassigned)
            and not any(_holds(r, m) for r in records)]
    assert lost == []


def _holds(record: dict, m) -> bool:
    """A record holds the mention's value (a route named twice, a follow-up the range covers)."""
    if m.label == "DONOR":
        return (record["donor"] or {}).get("code") == m.value
    if m.label == "ROUTE":
        return any(r["code"] == m.value for r in record["route"])
    if m.label == "DOSE":
        return any((d["low"], d["high"], d["unit"]) == (m.value["low"], m.value["high"], m.value["unit"]) for d in record["dose"])
    if m.label == "N_PATIENTS":
        return (record["n_patients"] or {}).get("value") == m.value["value"]
    if m.label == "FOLLOW_UP":
        return record["follow_up_months"] is not None
    return False


@pytest.mark.parametrize("text, n", [
    ("1.1 研究对象 选取2020年1月至2021年6月本院收治的难治性ITP患者8例,均符合ITP诊断标准^[2],排除妊娠者。"
     "1.2 方法 静脉输注脐带间充质干细胞1×10^6/kg。", 8),
    ("Methods: Twelve patients were transplanted with autologous stem cells^[4]. Results: EDSS fell.", 12),
], ids=["criteria-cited-after-enrolment", "english-enrolment-cited"])
def test_an_enrolment_closed_by_a_citation_is_still_the_articles_own(study_records, text, n):
    [rec] = study_records(text)
    assert rec["n_patients"]["value"] == n


def _unassigned(text: str) -> list[tuple[str, str, str]]:
    [document] = [r for r in mscmine.extract(Document.from_text(text)) if r["scope"] == "document"]
    return [(u["field"], u["text"], u["reason"]) for u in document["unassigned"]]


@pytest.mark.parametrize("text, entry", [
    ("目的 观察脐带间充质干细胞治疗狼疮的疗效。方法 选取30例患者静脉输注细胞。对照组20例给予环磷酰胺。",
     ("n_patients", "20例", "control_arm")),
    ("目的 观察脐带间充质干细胞治疗狼疮的疗效。方法 选取40例患者，随机分为两组，各20例，静脉输注细胞。",
     ("n_patients", "20例", "arm_size")),
    ("间充质干细胞治疗类风湿关节炎的Meta分析。共纳入8项研究，320例患者，随访6个月。",
     ("follow_up_months", "6个月", "pooled_analysis")),
    ("目的 观察脐带间充质干细胞治疗狼疮的疗效。方法 选取30例患者静脉输注细胞。\n讨论\n国外学者采用2×10^6/kg的剂量，疗效相近。",
     ("dose", "2×10^6/kg", "discussion")),
], ids=["control-arm", "arm-size", "pooled", "discussion"])
def test_facts_in_no_study_say_why(text, entry):
    assert entry in _unassigned(text)


@pytest.mark.parametrize("text, diseases", [
    ("本中心累计完成450例自身免疫病的脐带间充质干细胞治疗，其中多为系统性红斑狼疮患者。", ["AID", "SLE"]),
    ("本院为40例类风湿关节炎患者输注脐带间充质干细胞，自身免疫病的治疗由此有了新途径。", ["RA"]),
], ids=["group-name-counted", "group-name-in-background"])
def test_a_group_name_is_the_cohorts_disease_only_when_counted(text, diseases):
    studies = [r for r in mscmine.extract(text) if r["scope"] == "study"]
    assert [[d["code"] for d in r["disease"]] for r in studies] == [diseases]


def test_results_of_an_article_with_no_study_in_patients_are_unassigned():
    # written: a page on a drug treatment that names stem cells only in passing
    text = ("干细胞研究近年很热。某医院对狼疮肾炎加用生物制剂后，尿蛋白由3000毫克降至1000毫克，"
            "未见不良反应。")
    [document] = mscmine.extract(text)
    assert document["article"]["kind"] == "no_patients"
    assert document["outcomes"] == [] and document["adverse_events"] == []
    assert {(u["field"], u["reason"]) for u in document["unassigned"]} >= {("outcomes", "no_study_in_patients"),
                                                                            ("adverse_events", "no_study_in_patients")}


@pytest.mark.parametrize("text, n, basis", [
    ("方法：入选克罗恩病患者24例，其中轻度10例，中度14例，给予骨髓间充质干细胞静脉输注；另选同期18例克罗恩病患者作为对照组。", 42, "treated_plus_control"),
    ("治疗组20例接受脐带间充质干细胞输注。对照组18例接受常规治疗。", 20, None),
    ("方法：入选克罗恩病患者24例，其中轻度10例，中度14例，给予骨髓间充质干细胞静脉输注，另选同期18例克罗恩病患者作为对照组。", 42, "treated_plus_control"),
    ("研究者为16名SLE患者输注干细胞，另15名SLE患者作为激素治疗对照组。", 31, "treated_plus_control"),
    ("以64例银屑病患者为对象，其中34例接受干细胞治疗为观察组，30例采用常规药物治疗作为对照组。", 64, None),
    ("共纳入40例患者，20例接受干细胞移植，20例作为对照组。", 40, None),
], ids=["control-after-a-semicolon", "control-in-another-sentence", "treated-then-control", "another-twenty-as-control", "total-split-into-arms",
        "total-stated"])
def test_a_trial_counts_both_arms_when_it_states_no_total(text, n, basis):
    # written: how Chinese controlled trials count their arms
    [rec] = [r for r in mscmine.extract(text) if r["scope"] == "study"]
    assert (rec["n_patients"]["value"], rec["n_patients"].get("basis")) == (n, basis)


def test_the_donor_is_the_one_named_with_the_cells():
    # written: an earlier procedure's donor word before the cells given
    text = "患者既往接受自体造血干细胞移植后复发，本院为其输注异体脐带间充质干细胞1×10^6/kg。"
    [rec] = [r for r in mscmine.extract(text) if r["scope"] == "study"]
    assert (rec["donor"]["code"], rec["donor"]["text"], rec["cell_type"]["code"]) == ("allogeneic", "异体", "MSC")


def test_a_sentence_opening_with_a_cited_study_reports_that_study():
    # written: an introduction's cited claim before the article's own cohort
    text = ("文献[4]表明，骨髓间充质干细胞治疗系统性硬化症安全性较好。"
            "本研究纳入26例系统性硬化症患者，静脉输注骨髓间充质干细胞。")
    records = mscmine.extract(text)
    [study] = [r for r in records if r["scope"] == "study"]
    assert study["n_patients"]["value"] == 26 and study["adverse_events"] == []
    [document] = [r for r in records if r["scope"] == "document"]
    assert [(u["field"], u["reason"]) for u in document["unassigned"] if u["field"] == "adverse_events"] == [
        ("adverse_events", "cited_without_patients")]


def test_a_time_that_does_not_count_from_the_treatment_gives_no_follow_up():
    # written: a news narrative dates the history with a bare "N天后"; no follow-up is stated
    text = ("一名女孩3年前接受骨髓移植，50天后出现排斥反应。医生为她输注脐带间充质干细胞，皮疹消退。")
    [rec] = [r for r in mscmine.extract(text) if r["scope"] == "study"]
    assert rec["follow_up_months"] is None
