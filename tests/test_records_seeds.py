"""Study records from the seeds, checked record by record against the articles' own statements."""

import pytest

import mscmine

SEED000 = "corpus/seeds/000_04a0826e1ad117c4.txt"
SEED001 = "corpus/seeds/001_927a681a5c5ffac5.txt"

# seed 000, Table 1 (author, citation, disease codes, year, patients, sources, follow-up months)
TABLE1 = [
    ("刘慧青等", "[1]", ["SLE"], 2011, 14, ["umbilical_cord"], (6, 6)),
    ("王丹丹等", "[2]", ["SLE"], 2010, 12, ["umbilical_cord"], (1, 26)),
    ("张华勇等", "[3]", ["SLE"], 2009, 11, ["bone_marrow"], (1, 13)),
    ("杨华强等", "[4]", ["SLE"], 2013, 5, ["umbilical_cord"], (6, 6)),
    ("夏宇欧等", "[5]", ["SLE"], 2013, 2, ["umbilical_cord"], (12, 12)),
    ("顾菲等", "[6]", ["SLE"], 2011, 1, ["umbilical_cord"], (0.5, 0.5)),
    ("郭君其等", "[7]", ["SLE"], 2009, 1, ["bone_marrow"], (12, 12)),
    ("王黎明等", "[8]", ["RA"], 2010, 17, ["umbilical_cord"], (4, 14)),
    ("王秦等", "[9]", ["RA"], 2011, 3, ["umbilical_cord"], (9, 11)),
    ("赵成等", "[10]", ["RA"], 2010, 1, ["bone_marrow"], (8, 8)),
    ("汤郁等", "[11]", ["PM", "DM"], 2011, 8, ["umbilical_cord", "bone_marrow"], (6, 12)),
    ("顾菲等", "[12]", ["SSc"], 2009, 1, ["umbilical_cord"], (3, 3)),
]


@pytest.fixture(scope="module")
def records000():
    return mscmine.extract(SEED000)


@pytest.fixture(scope="module")
def records001():
    return mscmine.extract(SEED001)


@pytest.mark.parametrize("row", TABLE1, ids=[r[0] + r[1] for r in TABLE1])
def test_seed000_table1_studies(records000, row):
    label, citation, diseases, year, n, sources, fu = row
    rec = next(r for r in records000 if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert rec["study"]["label"] == label
    assert rec["study"]["year"] == year
    assert [d["code"] for d in rec["disease"]] == diseases
    assert rec["n_patients"]["value"] == n
    assert [s["code"] for s in rec["cell_source"]] == sources
    assert (rec["follow_up_months"]["low"], rec["follow_up_months"]["high"]) == fu
    assert rec["cell_type"]["code"] == "MSC"
    assert "intravenous" in [r["code"] for r in rec["route"]]


def test_seed000_document_record(records000):
    doc = [r for r in records000 if r["scope"] == "document"]
    assert len(doc) == 1
    doc = doc[0]
    assert doc["n_patients"]["value"] == 76
    assert {tuple(d["codes"]): d["n"] for d in doc["disease_counts"]} == {("SLE",): 46, ("RA",): 21, ("PM", "DM"): 8, ("SSc",): 1}
    assert doc["source_counts"] == {"umbilical_cord": 60, "bone_marrow": 16}
    assert {"SLE", "RA", "PM", "DM", "SSc"} <= {d["code"] for d in doc["disease"]}


def test_seed000_citation_clauses_add_routes(records000):
    by_cit = {r["study"]["citation"]: r for r in records000 if r["scope"] == "study"}
    assert "local_injection" in [x["code"] for x in by_cit["[8]"]["route"]]
    assert "intra_arterial" in [x["code"] for x in by_cit["[7]"]["route"]]


SEED001_STUDIES = [
    # citation, disease, n, dose lows, route, donor
    ("[13]", ["RA"], 4, [1e6], ["intravenous"], None),
    ("[14]", ["RA"], 9, [1e6], ["intravenous"], "autologous"),
    ("[15]", ["RA"], 17, [1e7], ["intravenous"], None),
    ("[17]", ["RA"], 46, [1e6, 2e6, 4e6], ["intravenous"], None),
    ("[18]", ["RA"], 9, [2.5e7, 5e7, 1e8], ["intravenous"], None),
    ("[23]", ["SLE"], 16, [1e6], ["intravenous"], "allogeneic"),
    ("[24]", ["SLE"], 87, [1e6], ["intravenous"], "allogeneic"),
    ("[25]", ["SLE"], 40, [1e6], [], None),
    ("[27]", ["SLE"], 9, [1e6], [], None),
    ("[34]", ["SS"], 24, [], ["intravenous"], None),
    ("[44]", ["SSc"], 5, [2e5], ["intravenous"], None),
]


@pytest.mark.parametrize("row", SEED001_STUDIES, ids=[r[0] for r in SEED001_STUDIES])
def test_seed001_studies(records001, row):
    citation, diseases, n, lows, routes, donor = row
    rec = next(r for r in records001 if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert [d["code"] for d in rec["disease"]] == diseases
    assert rec["n_patients"]["value"] == n
    assert [d["low"] for d in rec["dose"]] == lows
    assert [r["code"] for r in rec["route"]] == routes
    assert (rec["donor"] or {}).get("code") == donor


def test_seed001_liang28_gives_one_record_per_cohort(records001):
    liang = [r for r in records001 if r["scope"] == "study" and r["study"]["citation"] == "[28]"]
    cohorts = sorted((tuple(d["code"] for d in r["disease"]), r["n_patients"]["value"]) for r in liang)
    assert cohorts == [(("PM", "DM"), 32), (("SLE",), 178), (("SSc",), 39)]


def test_seed001_no_records_from_background_animals_or_references(records001):
    citations = {r["study"]["citation"] for r in records001 if r["scope"] == "study"}
    assert not citations & {"[2]", "[20]", "[35]", "[36]", "[9]"}


def test_every_evidence_span_points_into_the_text(records000, records001):
    for path, recs in ((SEED000, records000), (SEED001, records001)):
        text = mscmine.load(path).text
        for rec in recs:
            for key in ("disease", "cell_source", "route", "dose", "outcomes", "adverse_events"):
                for ev in rec[key]:
                    assert text[ev["start"] : ev["end"]] == ev["text"]
            for key in ("cell_type", "donor", "n_patients", "follow_up_months"):
                ev = rec[key]
                if ev:
                    assert text[ev["start"] : ev["end"]] == ev["text"]


@pytest.mark.parametrize(
    "stem, codes",
    [
        ("000_04a0826e1ad117c4", {"SLE", "RA", "PM", "DM", "SSc"}),
        ("001_927a681a5c5ffac5", {"RA", "SLE", "SS", "PM", "DM", "SSc"}),
        ("002_a9ce8c544dc19b6d", {"SLE", "RA", "SSc"}),
        ("003_c1dd519b44a26b5f", {"RA"}),
        ("004_b90cea9157f310d4", {"SSc"}),
    ],
)
def test_document_record_diseases(stem, codes):
    """A pooled analysis (000) holds its pooled diseases on the document record; a review or an
    article with no study of its own names them as its topic, and its study records hold them."""
    recs = mscmine.extract(f"corpus/seeds/{stem}.txt")
    doc = [r for r in recs if r["scope"] == "document"][0]
    if doc["article"]["kind"] == "pooled":
        assert codes <= {d["code"] for d in doc["disease"]}
    else:
        assert doc["disease"] == [] and codes <= set(doc["topic"]["disease"])


# seed 000, 表 2 and 表 3: counts per outcome per study (citation, column, measure, count, of n)
OUTCOME_TABLE_CELLS = [
    ("[1]", "疾病活动指数评分下降", "SLEDAI", 14, 14),
    ("[2]", "尿蛋白定量(24h)下降", "proteinuria", 9, 12),
    ("[3]", "血清抗双链DNA抗体下降", "anti_dsDNA", 0, 11),  # a header broken over two lines
    ("[4]", "血清抗核抗体下降", "ANA", 5, 5),
    ("[7]", "病情复发", "relapse", 0, 1),
    ("[8]", "28个关节疾病活动度评分<2.6", "DAS28", 12, 17),
    ("[9]", "抗环瓜氨酸肽抗体下降", "anti_CCP", 3, 3),
    ("[10]", "症状缓解", "symptom_relief", 1, 1),
]


@pytest.mark.parametrize("row", OUTCOME_TABLE_CELLS, ids=[r[0] + r[1] for r in OUTCOME_TABLE_CELLS])
def test_seed000_outcome_tables(records000, row):
    citation, column, measure, count, n = row
    rec = next(r for r in records000 if r["scope"] == "study" and r["study"]["citation"] == citation)
    cell = next(o for o in rec["outcomes"] if o.get("column") == column)
    assert (cell["measure"], cell["value"], cell["unit"], cell["of"]) == (measure, count, "count", n)
    assert cell["text"] == str(count)
    assert open(SEED000, encoding="utf-8").read()[cell["start"] : cell["end"]] == str(count)


def test_seed000_pooled_flags(records000):
    """表1所示12篇文献[1-12]，实验共纳入…76例: studies [1]-[12] are pooled, the case reports [28], [29] are not."""
    flags = {r["study"]["citation"]: r["pooled"] for r in records000 if r["scope"] == "study"}
    assert flags == {**{f"[{i}]": True for i in range(1, 13)}, "[28]": False, "[29]": False}


def test_seed001_states_no_pooled_set(records001):
    assert all("pooled" not in r for r in records001)


@pytest.mark.parametrize(
    "seed, citation, model",
    [
        (SEED000, "[24]", "MRL/lpr"),  # 健康人骨髓间充质干细胞移植治疗MRL/lpr鼠…[24]
        (SEED000, "[14,15,26]", "胶原诱导关节炎"),  # …缓解胶原诱导关节炎小鼠的症状…[14-15,26]
        (SEED001, "[35]", "NOD"),  # MSCs可抑制NOD小鼠 CD4+ T细胞增殖[35]
    ],
)
def test_animal_studies_are_named_not_recorded(seed, citation, model):
    records = mscmine.extract(seed)
    document = next(r for r in records if r["scope"] == "document")
    animal = {a["citation"]: a for a in document["animal_studies"]}
    assert animal[citation]["model"] == model
    text = open(seed, encoding="utf-8").read()
    assert text[animal[citation]["start"] : animal[citation]["end"]].strip().startswith(animal[citation]["text"][:20])
    assert citation not in {r["study"]["citation"] for r in records if r["scope"] == "study"}


@pytest.mark.parametrize(
    "citation, diseases",
    [
        ("[26]", ["SLE"]),  # 杨桂鲜等^[26]的研究亦有相似的结果: a study reported by its likeness
        ("[38]", ["PM", "DM"]),  # 赖勤等^[38]观察到UC-MSCs移植后,IFN-γ水平升高: a result after treatment
        ("[39]", ["PM", "DM"]),  # 赖勤等^[38]和Wang等^[39]的研究亦有相似的结果
    ],
)
def test_seed001_studies_reported_by_their_results(records001, citation, diseases):
    rec = next(r for r in records001 if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert sorted(d["code"] for d in rec["disease"]) == sorted(diseases)


def test_seed001_background_citation_is_no_study(records001):
    # Lisnevskaja 等^[20]认为遗传易感性…: an opinion on causes; the next clause, closed by ^[22], is not its statement
    assert "[20]" not in {r["study"]["citation"] for r in records001 if r["scope"] == "study"}


def test_seed001_clause_closed_by_its_citation_is_a_study(records001):
    # 由于…自体 MSCs 移植不能改善 SLE 疾病活动性^[22]: no author named, a result in patients
    rec = next(r for r in records001 if r["scope"] == "study" and r["study"]["citation"] == "[22]")
    assert [d["code"] for d in rec["disease"]] == ["SLE"] and rec["donor"]["code"] == "autologous"
    assert [(o["measure"], o["negated"]) for o in rec["outcomes"]] == [("SLEDAI", True)]


# issue 14: a cited study's paragraph runs over a blank line that breaks a sentence
SSDAI = "降低了干燥综合征疾病活动指数(Sjogren's syndrome\n\ndisease activity index,SSDAI)"


@pytest.mark.parametrize(
    "citation, label, diseases, outcomes, events",
    [
        # 001: Gowhari 等^[19]研究表明 MSC 移植通过减少 B / 细胞激活因子…MSC 移植后 BAFF 和 APRIL 的血浆水平显著下降
        ("[19]", "Gowhari等", ["RA"], [("other", "BAFF 和 APRIL 的血浆水平显著下降")], []),
        # 001: Xu等^[34]…降低了干燥综合征疾病活动指数(Sjogren's syndrome / disease activity index,SSDAI)和VAS,且未观察到相关副作用
        ("[34]", "Xu等", ["SS"], [("ESSDAI", SSDAI), ("VAS", SSDAI + "和VAS")], ["未观察到相关副作用"]),
    ],
    ids=["Gowhari19-outcome-after-broken-line", "Xu34-outcomes-and-no-side-effects"],
)
def test_seed001_study_paragraph_runs_over_broken_lines(records001, citation, label, diseases, outcomes, events):
    rec = next(r for r in records001 if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert rec["study"]["label"] == label
    assert [d["code"] for d in rec["disease"]] == diseases
    assert [(o["measure"], o["text"]) for o in rec["outcomes"]] == outcomes
    assert [(e["text"], e["negated"]) for e in rec["adverse_events"]] == [(t, True) for t in events]


# issue 14: seed 000's document record holds the pooled cohort's facts, not the background's
@pytest.fixture(scope="module")
def document000(records000):
    return next(r for r in records000 if r["scope"] == "document")


def test_seed000_document_terms_are_the_pooled_cohorts(document000):
    assert [d["code"] for d in document000["disease"]] == ["SLE", "RA", "PM", "DM", "SSc"]
    assert [c["code"] for c in document000["cell_source"]] == ["umbilical_cord", "bone_marrow"]


def test_seed000_document_route_and_follow_up(document000):
    # 所有76例患者均经静脉输注…点状注射[8]…经肾动脉介入方法输注[7]。所有患者随访0.5-26个月
    assert [(r["code"], r["text"]) for r in document000["route"]] == [
        ("intravenous", "经静脉输注"), ("local_injection", "点状注射"), ("intra_arterial", "经肾动脉介入")]
    fu = document000["follow_up_months"]
    assert (fu["low"], fu["high"], fu["text"]) == (0.5, 26.0, "0.5-26个月")


@pytest.mark.parametrize(
    "field, key, text",
    [
        ("outcomes", ("relapse", 7), "7例(9%)出现病情复发"),  # 随访期间 7例(9%)出现病情复发 (abstract, 2.5)
        ("outcomes", ("mortality", 1.0), "1例死亡"),  # 其中 1例死亡
        ("outcomes", ("SLEDAI", 42), "42例(91%)\n\n疾病活动指数评分下降"),  # 移植后46例患者中42例(91%)…
        ("adverse_events", (True,), "未涉及患者出现不良反应"),  # 12篇文献中未涉及患者出现不良反应及并发症的报道
    ],
    ids=["relapses", "death", "pooled-SLE-result", "no-adverse-events"],
)
def test_seed000_document_holds_pooled_results(document000, field, key, text):
    def key_of(ev):
        return (ev["negated"],) if field == "adverse_events" else (ev["measure"], ev.get("count", ev.get("value")))
    assert text in [ev["text"] for ev in document000[field] if key_of(ev) == key]


@pytest.mark.parametrize(
    "citation, outcomes",
    [
        ("[11]", [("other", "2\n\n例合并肺间质病变患者移植后呼吸困难减轻"),
                  ("other", "1例合并难治性皮肤溃疡患者移植后溃疡处长\n\n出新鲜肉芽组织并逐渐愈合"),
                  ("relapse", "3例多发性肌炎/皮肌炎患者移植后\n\n9个月病情复发"), ("mortality", "1例死亡")]),
        ("[12]", [("other", "1例合并下肢溃疡患者移植后溃\n\n疡基本愈合"), ("mRSS", "改良Rodnan积分下降"),
                  ("HAQ", "健康残疾指数评\n\n估问卷分数下降")]),
    ],
    ids=["11-results-and-death", "12-ulcer-mRSS-HAQ"],
)
def test_seed000_cited_results_go_to_their_study(records000, citation, outcomes):
    rec = next(r for r in records000 if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert [(o["measure"], o["text"]) for o in rec["outcomes"]] == outcomes


@pytest.mark.parametrize(
    "citation, text",
    [
        ("[8]", "1例类风湿关节炎患者移植5\n\n个月后因“感冒”病情复发"),  # 76例患者中7例(9%)出现病情复发:…[8]
        ("[9]", "1例类风湿关节炎患者移植\n\n后6个月病情复发"),
    ],
    ids=["8", "9"],
)
def test_seed000_each_cited_relapse_is_its_studys(records000, citation, text):
    rec = next(r for r in records000 if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert text in [o["text"] for o in rec["outcomes"] if o["measure"] == "relapse"]


@pytest.mark.parametrize(
    "field, code, text, reason",
    [
        ("cell_source", "adipose", "脂肪", "not_cells_origin"),  # 广泛存在于骨髓、脐带、脐血、胎盘、脂肪、肌肉…
        ("cell_source", "placenta", "胎盘", "not_cells_origin"),
        ("cell_source", "cord_blood", "脐带血", "animal"),  # 移植骨髓、脂肪和脐带血来源的…胶原诱导关节炎小鼠
        ("disease", "ILD", "肺间质纤维化", "background"),  # 病变累及内脏则可引起吞咽困难、肺间质纤维化
        ("disease", "AS", "强直性脊柱炎", "comorbidity"),  # 2例类风湿关节炎合并强直性脊柱炎患者
        ("disease", "LN", "狼疮性肾炎", "comorbidity"),  # 1例系统性红斑狼疮合并狼疮性肾炎患者
        ("disease", "SJS", "Stevens-Johnson综合征", "comorbidity"),  # 1例合并Stevens-Johnson综合征患者
        ("n_patients", 46, "46例", "pooled_analysis"),  # 系统性红斑狼疮46例(61%): a subgroup of the pool
    ],
    ids=["adipose-where-MSCs-exist", "placenta-where-MSCs-exist", "cord-blood-in-mice", "ILD-disease-description",
         "AS-comorbidity", "LN-comorbidity", "SJS-comorbidity", "SLE-subgroup-count"],
)
def test_seed000_background_goes_to_unassigned(document000, field, code, text, reason):
    entries = [(u.get("code", u.get("value")), u["text"], u["reason"]) for u in document000["unassigned"] if u["field"] == field]
    assert (code, text, reason) in entries
