"""Studies an article names without a citation mark: registered trials, reporters ("…团队发现"),
"一项…研究" sentences, year-led history sentences and case reports. Sentences written for these
tests in the styles of the seeds' history and review paragraphs."""

import pytest

import mscmine


def _studies(text):
    return [r for r in mscmine.extract(text) if r["scope"] == "study"]


def _summary(r):
    return {
        "label": r["study"]["label"],
        "citation": r["study"]["citation"],
        "year": r["study"]["year"],
        "disease": [d["code"] for d in r["disease"]],
        "cell_type": (r["cell_type"] or {}).get("code"),
        "cell_source": [s["code"] for s in r["cell_source"]],
        "donor": (r["donor"] or {}).get("code"),
        "n_patients": (r["n_patients"] or {}).get("value"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2012年,该团队应用自体骨髓间充质干细胞治疗3例难治性系统性硬化症患者,皮肤评分均有下降。",
         {"label": "该团队", "citation": None, "year": 2012, "disease": ["SSc"], "cell_type": "MSC",
          "cell_source": ["bone_marrow"], "donor": "autologous", "n_patients": 3}),
        ("当时有日本学者报道,2例类风湿关节炎患者接受异基因骨髓移植后关节症状缓解。",
         {"label": "日本学者", "citation": None, "year": None, "disease": ["RA"], "cell_type": "HSC",
          "cell_source": ["bone_marrow"], "donor": "allogeneic", "n_patients": 2}),
        ("2009年首次应用异体脐带间充质干细胞移植治疗难治性干燥综合征,取得较好疗效。",
         {"label": None, "citation": None, "year": 2009, "disease": ["SS"], "cell_type": "MSC",
          "cell_source": ["umbilical_cord"], "donor": "allogeneic", "n_patients": None}),
        ("NCT01234567 试验中,RA 患者静脉输注脐带间充质干细胞 1×10^6/kg。",
         {"label": "NCT01234567", "citation": None, "year": None, "disease": ["RA"], "cell_type": "MSC",
          "cell_source": ["umbilical_cord"], "donor": None, "n_patients": None}),
        ("一项纳入 40 例系统性红斑狼疮患者的研究采用脐带间充质干细胞静脉输注,随访 12 个月。",
         {"label": "一项纳入 40 例系统性红斑狼疮患者的研究", "citation": None, "year": None, "disease": ["SLE"],
          "cell_type": "MSC", "cell_source": ["umbilical_cord"], "donor": None, "n_patients": 40}),
    ],
)
def test_uncited_study_is_a_record(text, expected):
    studies = _studies(text)
    assert [_summary(r) for r in studies] == [expected]


def test_uncited_study_in_traditional_script():
    studies = _studies("2012年,該團隊應用自體骨髓間充質幹細胞治療3例難治性系統性硬化症患者,皮膚評分均有下降。")
    assert [_summary(r) for r in studies] == [
        {"label": "該團隊", "citation": None, "year": 2012, "disease": ["SSc"], "cell_type": "MSC",
         "cell_source": ["bone_marrow"], "donor": "autologous", "n_patients": 3}]


@pytest.mark.parametrize(
    "text",
    [
        "间充质干细胞可从骨髓、脂肪、脐带等组织中分离获得。",  # background
        "2015年,研究者应用骨髓间充质干细胞治疗MRL/lpr小鼠,蛋白尿下降。",  # animals
        "我国约有 100 万例系统性红斑狼疮患者。",  # epidemiology, no treatment, no cells
        "2018年,国家出台了干细胞临床研究管理办法。",  # a year-led sentence about no treatment
        "研究人员发现间充质干细胞可分泌多种细胞因子。",  # a reporter, no patients, no disease
    ],
)
def test_no_record_from_background(text):
    assert _studies(text) == []


def test_a_study_without_a_disease_takes_the_articles_dominant_disease():
    text = ("类风湿关节炎是一种慢性自身免疫病。间充质干细胞治疗类风湿关节炎的研究日益增多。"
            "目前类风湿关节炎的治疗仍以药物为主。\n\n"
            "一项纳入 30 例患者的研究采用脐带间充质干细胞静脉输注,随访 6 个月。")
    [study] = _studies(text)
    assert [d["code"] for d in study["disease"]] == ["RA"]
    assert text[study["disease"][0]["start"] : study["disease"][0]["end"]] == "类风湿关节炎"
    assert study["n_patients"]["value"] == 30


def test_no_dominant_disease_no_guess():
    text = ("系统性红斑狼疮与类风湿关节炎均可用干细胞治疗。干燥综合征也有报道。\n\n"
            "一项纳入 30 例患者的研究采用脐带间充质干细胞静脉输注,随访 6 个月。")
    [study] = _studies(text)
    assert study["disease"] == []


def test_a_research_article_is_one_study():
    text = ("脐带间充质干细胞治疗难治性系统性红斑狼疮的临床观察\n\n"
            "目的:观察脐带间充质干细胞移植治疗难治性系统性红斑狼疮的疗效和安全性。"
            "方法:16例患者单次静脉输注脐带间充质干细胞1×10^6/kg,随访12个月。"
            "结果:移植后11例(69%)疾病活动指数评分下降,未观察到严重不良反应。\n\n"
            "参考文献\n\n[1] 李华, 王明. 间充质干细胞的免疫调节[J]. 中华医学杂志, 2015, 95(3): 1-4.\n")
    [study] = _studies(text)
    s = _summary(study)
    assert (s["disease"], s["cell_type"], s["cell_source"], s["n_patients"]) == (["SLE"], "MSC", ["umbilical_cord"], 16)
    assert [r["code"] for r in study["route"]] == ["intravenous"]
    assert [(d["low"], d["unit"]) for d in study["dose"]] == [(1e6, "cells/kg")]
    assert (study["follow_up_months"]["low"], study["follow_up_months"]["high"]) == (12, 12)
    assert any(o["measure"] == "SLEDAI" and o["value"] == 69 for o in study["outcomes"])


def test_a_pooled_count_is_no_study_of_its_own():
    text = "本文检索了 12 项临床研究,共纳入 500 例患者。间充质干细胞静脉输注安全,随访 6~24 个月。"
    assert _studies(text) == []


def test_a_clause_closed_by_another_citation_belongs_to_that_study():
    text = ("张明等[4]认为遗传因素参与狼疮的发病。自体间充质干细胞移植不能改善系统性红斑狼疮疾病活动性[5],"
            "多采用异体移植。")
    cited = {r["study"]["citation"] for r in mscmine.extract(text) if r["scope"] == "study"}
    assert "[4]" not in cited


# Cohorts an article reports one after another, each led by its researchers or by a label line
# (review and news styles; paragraphs written for these tests).
_AUTHOR_LED = (
    "间充质干细胞治疗系统性红斑狼疮的临床研究逐年增多。\n"
    "王建华等探讨了脐带间充质干细胞治疗狼疮肾炎的疗效。他们选取24例狼疮肾炎患者,静脉输注细胞1×10^6/kg。\n"
    "治疗后患者尿蛋白明显下降。\n"
    "阿依古丽·买买提对骨髓间充质干细胞治疗系统性红斑狼疮进行了研究。她纳入36例患者,随访12个月。\n"
)
_LABELLED = (
    "【研究案例1】\n共纳入30例强直性脊柱炎患者,给予脐带间充质干细胞静脉输注。\n"
    "【研究案例2】\n另一组18例类风湿关节炎患者接受骨髓间充质干细胞关节腔注射,随访6个月。\n"
)
_LABELLED_TRADITIONAL = (
    "【臨床研究案例1】\n共納入30例強直性脊柱炎患者,給予臍帶間充質幹細胞靜脈輸注。\n"
    "【臨床研究案例2】\n另一組18例類風濕關節炎患者接受骨髓間充質幹細胞關節腔注射,隨訪6個月。\n"
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (_AUTHOR_LED, [("王建华", ["LN"], ["umbilical_cord"], 24), ("阿依古丽·买买提", ["SLE"], ["bone_marrow"], 36)]),
        (_LABELLED, [("研究案例1", ["AS"], ["umbilical_cord"], 30), ("研究案例2", ["RA"], ["bone_marrow"], 18)]),
        (_LABELLED_TRADITIONAL, [("臨床研究案例1", ["AS"], ["umbilical_cord"], 30), ("臨床研究案例2", ["RA"], ["bone_marrow"], 18)]),
    ],
    ids=["author-led paragraphs", "label lines", "label lines, Traditional"],
)
def test_named_cohorts_are_one_study_each(text, expected):
    got = [(r["study"]["label"], [d["code"] for d in r["disease"]], [s["code"] for s in r["cell_source"]],
            (r["n_patients"] or {}).get("value")) for r in _studies(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "间充质干细胞对狼疮肾炎患者的免疫调节作用已有报道。本研究选取40例患者,静脉输注脐带间充质干细胞。",
        "我们对20例类风湿关节炎患者进行了脐带间充质干细胞治疗。",
    ],
    ids=["cells lead the sentence", "first person"],
)
def test_no_named_cohort_without_a_researcher(text):
    # the article's own study, one record with no label, not a cohort named "间充质干细胞" or "我们"
    assert [r["study"]["label"] for r in _studies(text)] == [None]
