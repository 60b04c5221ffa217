"""Research articles that report one study of their own, end to end. The abstracts and news item in
tests/data/ were written for these tests in the style of Chinese clinical journals (目的/方法/
结果/结论, arms, mean ± SD, doses per arm); they are not from any paper."""

from pathlib import Path

import pytest

import mscmine

DATA = Path(__file__).parent / "data"


def _study(name):
    records = mscmine.extract(DATA / name)
    studies = [r for r in records if r["scope"] == "study"]
    assert len(studies) == 1
    return studies[0]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("research_ra_ucmsc.txt", {
            "disease": ["RA"], "cell_type": "MSC", "cell_source": ["umbilical_cord"], "donor": None, "n_patients": 60,
            "route": ["intravenous"], "dose": [(1e6, 1e6, "cells/kg", 4, "1周")], "follow_up": (5.52, 5.52)}),
        ("research_ln_bmmsc.txt", {
            "disease": ["LN"], "cell_type": "MSC", "cell_source": ["bone_marrow"], "donor": "allogeneic", "n_patients": 40,
            "route": ["intravenous"], "dose": [(1e6, 1e6, "cells/kg", 1, None), (2e6, 2e6, "cells/kg", 1, None)],
            "follow_up": (60, 60)}),
        ("news_ss_ucmsc.txt", {  # a news item about a study: no follow-up stated, its latest time point (6 months)
            "disease": ["SS"], "cell_type": "MSC", "cell_source": ["umbilical_cord"], "donor": "allogeneic", "n_patients": 25,
            "route": ["intravenous"], "dose": [(1e6, 1e6, "cells/kg", 2, "4周")], "follow_up": (6.0, 6.0)}),
    ],
)
def test_study_characteristics(name, expected):
    r = _study(name)
    got = {
        "disease": [d["code"] for d in r["disease"]],
        "cell_type": r["cell_type"]["code"],
        "cell_source": [s["code"] for s in r["cell_source"]],
        "donor": (r["donor"] or {}).get("code"),
        "n_patients": r["n_patients"]["value"],
        "route": [x["code"] for x in r["route"]],
        "dose": [(d["low"], d["high"], d["unit"], d["times"], d["interval"]) for d in r["dose"]],
        "follow_up": (r["follow_up_months"]["low"], r["follow_up_months"]["high"]) if r["follow_up_months"] else None,
    }
    assert got == expected


@pytest.mark.parametrize(
    "name, text, measure, value, unit",
    [
        ("research_ra_ucmsc.txt", "总有效率为86.67%", "response_rate", 86.67, "%"),
        ("research_ra_ucmsc.txt", "DAS28评分由(5.8±0.7)分降至(3.2±0.6)分", "DAS28", 3.2, "score"),
        ("research_ln_bmmsc.txt", "总生存率为 92.5%", "survival_rate", 92.5, "%"),
        ("research_ln_bmmsc.txt", "完全缓解率 45.0%", "remission_rate", 45.0, "%"),
        ("research_ln_bmmsc.txt", "尿蛋白由(3.6±1.2) g 降至(0.9±0.5) g", "proteinuria", 0.9, "g"),
        ("research_ln_bmmsc.txt", "6 例(15.0%)出现病情复发", "relapse", 15.0, "%"),
    ],
)
def test_outcomes(name, text, measure, value, unit):
    r = _study(name)
    o = next(o for o in r["outcomes"] if o["text"] == text)
    assert (o["measure"], o["value"], o["unit"], o["negated"]) == (measure, value, unit, False)
    source = (DATA / name).read_text(encoding="utf-8")
    assert source[o["start"] : o["end"]] == text


@pytest.mark.parametrize(
    "name, text, negated, serious, count",
    [
        ("research_ra_ucmsc.txt", "均未发生严重不良反应", True, True, None),
        ("research_ra_ucmsc.txt", "2例出现一过性发热", False, None, 2),
        ("research_ln_bmmsc.txt", "未见输注相关严重不良事件", True, True, None),
        ("news_ss_ucmsc.txt", "3 例出现轻度头痛", False, None, 3),
        ("news_ss_ucmsc.txt", "无严重不良事件", True, True, None),
    ],
)
def test_adverse_events(name, text, negated, serious, count):
    a = next(a for a in _study(name)["adverse_events"] if a["text"] == text)
    assert (a["negated"], a["serious"], a["count"]) == (negated, serious, count)


# a review section in running text, three cited studies one after another (written for the tests)
REVIEW_STUDIES = [
    ("[21]", "Wang等", None, ["RA"], ["umbilical_cord"], None, 172, [], [(4e7, "cells")], (8, 8)),
    ("[22]", "Ghoryani等", None, ["RA"], ["bone_marrow"], "autologous", 9, ["intra_articular"], [], (12, 12)),
    ("[23]", "Park等", 2018, ["RA"], [], None, 9, ["intravenous"], [(2.5e7, "cells"), (5e7, "cells"), (1e8, "cells")], None),
]


@pytest.mark.parametrize("row", REVIEW_STUDIES, ids=[r[0] for r in REVIEW_STUDIES])
def test_review_section_studies(row):
    citation, label, year, disease, source, donor, n, route, dose, follow_up = row
    records = mscmine.extract(DATA / "review_ra_section.txt")
    r = next(r for r in records if r["scope"] == "study" and r["study"]["citation"] == citation)
    fu = r["follow_up_months"]
    assert (r["study"]["label"], r["study"]["year"]) == (label, year)
    assert [d["code"] for d in r["disease"]] == disease and [s["code"] for s in r["cell_source"]] == source
    assert (r["donor"] or {}).get("code") == donor and r["n_patients"]["value"] == n
    assert [x["code"] for x in r["route"]] == route and [(d["low"], d["unit"]) for d in r["dose"]] == dose
    assert ((fu["low"], fu["high"]) if fu else None) == follow_up


def test_review_section_outcome_of_the_right_study():
    records = mscmine.extract(DATA / "review_ra_section.txt")
    by_cit = {r["study"]["citation"]: r for r in records if r["scope"] == "study"}
    assert [(o["measure"], o["value"]) for o in by_cit["[21]"]["outcomes"]] == [("ACR20", 53.3)]
    assert [(o["measure"], o["value"]) for o in by_cit["[22]"]["outcomes"]] == [("DAS28", None)]
    assert [a["negated"] for a in by_cit["[23]"]["adverse_events"]] == [True]


SSC_STUDIES = [
    # citation, donor, n, dose (low, unit, times), follow-up
    ("[31]", "allogeneic", 1, [(1e6, "cells/kg", None)], None),  # 同胞供者: a sibling donor
    ("[32]", None, 14, [(4e7, "cells", 3)], (12, 12)),
    ("[33]", None, 36, [], (11.05, 11.05)),  # "国内一项多中心研究纳入 36 例患者…[33]": closed by its citation
]


@pytest.mark.parametrize("row", SSC_STUDIES, ids=[r[0] for r in SSC_STUDIES])
def test_ssc_review_section(row):
    citation, donor, n, dose, follow_up = row
    records = mscmine.extract(DATA / "review_ssc_section.txt")
    r = next(r for r in records if r["scope"] == "study" and r["study"]["citation"] == citation)
    fu = r["follow_up_months"]
    assert [d["code"] for d in r["disease"]][:1] == ["SSc"]
    assert ((r["donor"] or {}).get("code"), r["n_patients"]["value"]) == (donor, n)
    assert [(d["low"], d["unit"], d["times"]) for d in r["dose"]] == dose
    assert ((fu["low"], fu["high"]) if fu else None) == follow_up


def test_ssc_score_named_with_its_abbreviation():
    records = mscmine.extract(DATA / "review_ssc_section.txt")
    r = next(r for r in records if r["scope"] == "study" and r["study"]["citation"] == "[32]")
    o = next(o for o in r["outcomes"] if o["measure"] == "mRSS")
    assert (o["text"], o["value"], o["before"], o["unit"]) == ("改良 Rodnan 皮肤评分(mRSS)由 22.3 降至 12.1", 12.1, 22.3, "score")


def test_traditional_trial_report():
    """Taiwan usage: 位病患, 追蹤, 分數, cells/kg."""
    r = _study("trial_ra_traditional.txt")
    fu = r["follow_up_months"]
    assert ([d["code"] for d in r["disease"]], r["donor"]["code"], r["n_patients"]["value"]) == (["RA"], "allogeneic", 12)
    assert [x["code"] for x in r["route"]] == ["intravenous"] and [(d["low"], d["unit"]) for d in r["dose"]] == [(1e6, "cells/kg")]
    assert (fu["low"], fu["high"]) == (6, 6)
    assert {(o["measure"], o["value"]) for o in r["outcomes"]} == {("DAS28", 3.9), ("ACR20", 8)}


def test_meta_analysis_pools_and_reports_no_study_of_its_own():
    records = mscmine.extract(DATA / "meta_sle.txt")
    assert [r["scope"] for r in records] == ["document"]
    doc = records[0]
    assert doc["n_patients"]["value"] == 523 and [d["code"] for d in doc["disease"]] == ["SLE"]
    effect = next(o for o in doc["outcomes"] if o["unit"] == "RR")
    assert (effect["measure"], effect["value"], effect["direction"]) == ("response_rate", 1.35, "up")


@pytest.mark.parametrize(
    "name, title",
    [("research_ra_ucmsc.txt", "人脐带间充质干细胞治疗难治性类风湿关节炎的临床研究"),
     ("trial_ra_traditional.txt", "臍帶間質幹細胞治療類風濕性關節炎之臨床試驗")],
)
def test_a_research_articles_study_is_labelled_by_its_title(name, title):
    assert _study(name)["study"]["label"] == title


def test_an_html_articles_date_gives_the_year(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        '<html><head><meta name="citation_title" content="脐带间充质干细胞治疗狼疮肾炎">'
        '<meta name="citation_date" content="2021/03/15"></head><body><article><h1>脐带间充质干细胞治疗狼疮肾炎</h1>'
        "<p>" + (DATA / "research_ln_bmmsc.txt").read_text(encoding="utf-8").split("\n", 2)[2] + "</p></article></body></html>",
        encoding="utf-8",
    )
    [study] = [r for r in mscmine.extract(page) if r["scope"] == "study"]
    assert (study["study"]["label"], study["study"]["year"]) == ("脐带间充质干细胞治疗狼疮肾炎", 2021)


def test_a_research_article_that_discusses_other_studies_still_reports_its_own():
    """Written for this test: a structured abstract and a methods section make the article's own
    study a record although its discussion cites another; the premedication's routes
    (静脉推注 of a steroid, 肌内注射 of an antihistamine) are not the cells' route; the mouse model
    in the discussion gives no cell source."""
    records = mscmine.extract(DATA / "research_ssc_full.txt")
    studies = [r for r in records if r["scope"] == "study"]
    own = studies[0]
    assert own["study"]["citation"] is None
    assert [d["code"] for d in own["disease"]] == ["SSc"]
    assert [c["code"] for c in own["cell_source"]] == ["umbilical_cord"]
    assert [r["code"] for r in own["route"]] == ["intravenous"]
    assert own["n_patients"]["value"] == 30
    assert [(d["low"], d["unit"]) for d in own["dose"]][:1] == [(1e6, "cells/kg")]
    cited = [r for r in studies if r["study"]["citation"] == "[5]"]
    assert len(cited) == 1 and cited[0]["n_patients"]["value"] == 12
    assert [c["code"] for c in cited[0]["cell_source"]] == ["adipose"]


def test_a_meta_analysis_reports_no_study_of_its_own():
    """Written for this test: the pooled trials' patients are no cohort of the article's."""
    records = mscmine.extract(DATA / "meta_cd_fistula.txt")
    assert [r["scope"] for r in records] == ["document"]
    assert records[0]["n_patients"]["value"] == 480


@pytest.mark.parametrize(
    "text, own, pooled",
    [  # written for this test: how an article says it reports a study of its own, or pools others'
        ("【摘要】 目的 观察脐带间充质干细胞治疗狼疮肾炎的疗效。 方法 选取本院收治的患者40例。 结果 缓解率为70%。", True, False),
        ("1 资料与方法\n1.1 研究对象\n", True, False),
        ("1 病例资料\n例1 女，38岁。", True, False),
        ("摘要：目的：综述间充质干细胞治疗类风湿关节炎的研究进展。", False, False),  # a review's abstract
        ("间充质干细胞治疗系统性硬化症3例报告并文献复习", False, False),  # a case report, not a pooled analysis
        ("间充质干细胞治疗克罗恩病肛瘘的Meta分析", False, True),
        ("摘要 目的 分析已发表病例。方法 检索中国知网和万方数据库", False, True),
        ("12篇文献共报道76例风湿性疾病患者", False, True),
    ],
)
def test_own_study_and_pooled_literature_markers(text, own, pooled):
    from mscmine.article import has_own_methods, pools_others

    assert (has_own_methods(text), pools_others(text)) == (own, pooled)


def test_a_case_series_gives_one_record_a_case(study_records):
    """Written for this test: three cases, each its own patient, source, route and dose."""
    studies = study_records(
        "间充质干细胞治疗皮肌炎2例报告\n"
        "1 病例资料\n"
        "例1 女，45岁。诊断为皮肌炎合并间质性肺病。经静脉输注异体脐带间充质干细胞，每次1×10^6/kg，每周1次，共4次。随访至12个月，病情稳定。\n"
        "例2 男，60岁。多发性肌炎病程5年。于股四头肌内注射自体骨髓间充质干细胞，总量2×10^7个。注射后2周肌力改善。\n"
        "2 讨论\n"
        "在实验性肌炎小鼠模型中，脂肪间充质干细胞可减轻肌肉炎症。\n",
    )
    got = [(r["study"]["label"], [d["code"] for d in r["disease"]], [c["code"] for c in r["cell_source"]],
            r["donor"]["code"], [x["code"] for x in r["route"]], r["n_patients"]["value"],
            r["follow_up_months"] and r["follow_up_months"]["high"]) for r in studies]
    assert got == [
        ("例1", ["DM", "ILD"], ["umbilical_cord"], "allogeneic", ["intravenous"], 1, 12.0),
        ("例2", ["PM"], ["bone_marrow"], "autologous", ["intramuscular"], 1, None),
    ]


def test_a_dose_stated_twice_is_one_level_and_a_range_of_listed_levels_is_none(study_records):
    """Written for this test: the abstract and the methods give the same dose; a review gives a
    range and then its three levels."""
    own = study_records(
        "【摘要】 目的 观察脐带间充质干细胞治疗类风湿关节炎的疗效。 方法 纳入患者20例，静脉输注1×10^6/kg。 结果 DAS28评分下降。\n"
        "1 资料与方法\n"
        "患者20例经静脉输注脐带间充质干细胞，每次1×10^6/kg，每周1次，共2次。随访6个月。\n",
    )[0]
    assert [(d["low"], d["times"], d["interval"]) for d in own["dose"]] == [(1e6, 2, "1周")]
    st = study_records("王某等^[3]对12例RA患者静脉输注(0.5~2)×10^6/kg的脂肪间充质干细胞，分为0.5、1和2×10^6/kg三个剂量组，随访6个月。\n")[0]
    assert sorted((d["low"], d["high"]) for d in st["dose"]) == [(5e5, 5e5), (1e6, 1e6), (2e6, 2e6)]


def test_a_news_page_s_own_study_without_its_chrome_or_the_next_trial(study_records):
    """Written for this test: navigation above the title; a planned trial in another disease at
    the end gives the study neither its disease nor its route."""
    own = study_records(
        "首页 | 医院概况 | 新闻中心 | 联系我们\n"
        "当前位置：首页 > 新闻中心\n"
        "干细胞关节腔注射让膝关节炎患者告别拐杖\n"
        "我院骨科开展的脐带间充质干细胞治疗膝骨关节炎研究共纳入患者30例，每例经关节腔注射细胞5×10^7个，随访12个月，疼痛评分明显下降。\n"
        "另悉，我院风湿科的“脐带间充质干细胞静脉输注治疗类风湿关节炎”研究已通过伦理审查，计划招募患者40例。\n",
    )
    assert len(own) == 1
    assert own[0]["study"]["label"] == "干细胞关节腔注射让膝关节炎患者告别拐杖"
    assert [d["code"] for d in own[0]["disease"]] == ["OA"]
    assert [r["code"] for r in own[0]["route"]] == ["intra_articular"]
    assert own[0]["n_patients"]["value"] == 30


def test_the_article_s_own_result_before_a_citation_is_no_cited_study(study_records):
    """Written for this test: the discussion restates the article's result, then cites a paper
    for an open question; the cited paper gets no study record of its own."""
    studies = study_records(
        "【摘要】 目的 观察脐带间充质干细胞治疗狼疮肾炎的疗效。 方法 纳入患者30例，静脉输注1×10^6/kg。 结果 缓解率为70%。\n"
        "3 讨论\n"
        "MSC组有2例尿蛋白反弹，是否需要重复输注仍待研究[8]。\n",
    )
    assert [r["study"]["citation"] for r in studies] == [None]


def test_a_follow_up_from_the_latest_time_point_says_so():
    fu = _study("news_ss_ucmsc.txt")["follow_up_months"]
    assert fu["basis"] == "latest_time_point"
    assert fu["text"] == "6 个月后"
