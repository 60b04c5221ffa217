"""Whose statement is a fact: the control arm's, a criterion's definition, another drug's route.
Sentences written for these tests."""

import pytest

from mscmine.extractors.scope import is_compared_therapy, is_control_arm, is_criterion, is_other_agent_route, names_cell_origin


@pytest.mark.parametrize(
    "text, at, control",
    [
        ("MSC组总有效率为80.0%；对照组为55.0%", "55.0%", True),
        ("MSC组总有效率为80.0%；对照组为55.0%", "80.0%", False),
        ("对照组CR 4例、PR 6例，总缓解率50.0%", "总缓解率", True),
        ("治疗组不良反应发生率为8.0%，低于对照组的30.0%，未见严重不良反应", "未见严重", False),
        ("治疗组和对照组不良事件发生率分别为20%和22%", "不良事件", False),
        ("两组ESR均下降", "ESR", False),
        ("治疗组1例发热，对照组2例肺部感染，均无死亡", "无死亡", False),  # of both arms
        ("In the control group the response rate was 40%. Adverse events occurred in 8%", "Adverse", False),
    ],
)
def test_control_arm(text, at, control):
    assert is_control_arm(text, text.index(at)) is control


@pytest.mark.parametrize(
    "text, at, criterion",
    [
        ("部分缓解(PR)：24 h尿蛋白较基线下降≥50%", "尿蛋白", True),
        ("疗效判定标准：关节肿胀数减少50%以上为显效", "关节肿胀", True),
        ("治疗后24 h尿蛋白较基线下降52%", "尿蛋白", False),
        ("部分缓解(PR)定义为24 h尿蛋白较基线下降≥50%", "尿蛋白", True),
        ("肾脏复发定义为缓解后尿蛋白再次升高", "尿蛋白", True),
        ("完全缓解(CR)：PLT≥100×10^9/L且无出血", "无出血", True),  # the criterion, not an adverse event
    ],
)
def test_response_criterion(text, at, criterion):
    assert is_criterion(text, text.index(at)) is criterion


@pytest.mark.parametrize(
    "text, route, other",
    [
        ("输注前予地塞米松5 mg静脉推注", "静脉推注", True),
        ("对照组予环磷酰胺静脉冲击治疗", "静脉", True),
        ("安慰剂组鞘内注射生理盐水2 mL", "鞘内注射", True),
        ("经静脉输注UC-MSCs，每次1×10^6/kg", "静脉输注", False),
        ("关节腔注射脂肪间充质干细胞5×10^7个", "关节腔注射", False),
    ],
)
def test_route_of_another_agent(text, route, other):
    start = text.index(route)
    assert is_other_agent_route(text, start, start + len(route)) is other


@pytest.mark.parametrize(
    "text, route, names",
    [  # the record builder keeps a route when its sentence names the cells
        ("患者经外周静脉输注脐带间充质干细胞，每次1×10^6/kg。", "静脉输注", True),
        ("对照组予环磷酰胺0.75 g/m²静脉滴注，每月1次。", "静脉滴注", False),
        ("Cells were given intravenously on days 1 and 8.", "intravenously", True),
    ],
)
def test_sentence_names_cells(text, route, names):
    from mscmine.extractors.scope import sentence_names_cells

    start = text.index(route)
    assert sentence_names_cells(text, start, start + len(route)) is names


@pytest.mark.parametrize(
    "text, tissue, origin",
    [
        ("静脉输注异体骨髓间充质干细胞", "骨髓", True),
        ("采用脐带来源的MSC治疗", "脐带", True),
        ("从患者脂肪组织中分离细胞", "脂肪", True),
        ("骨髓、脐带等来源的间充质干细胞", "骨髓", True),
        ("Peripheral blood stem cells were collected", "Peripheral blood", True),
        ("umbilical cord-derived MSCs were infused", "umbilical cord", True),
        ("静脉输注的细胞主要归巢至肺、脾和脂肪组织", "脂肪", False),
        ("治疗半年后复查骨髓象正常", "骨髓", False),
        ("MSC广泛存在于骨髓、脐带、胎盘等组织中", "胎盘", False),
    ],
    ids=["bm-msc", "cord-derived", "isolated-from", "listed-sources", "english-name-holds-cells", "english-derived",
         "homing-target", "examined-marrow", "where-msc-live"],
)
def test_tissue_named_as_where_cells_came_from(text, tissue, origin):
    start = text.index(tissue)
    assert names_cell_origin(text, start, start + len(tissue)) is origin


@pytest.mark.parametrize(
    "text, term, compared",
    [
        ("相比异体移植，该方案排斥风险更低", "异体", True),
        ("不同于异体移植，本研究采用自体细胞", "异体", True),
        ("不同于异体移植，本研究采用自体细胞", "自体", False),
        ("输注异体脐带间充质干细胞", "异体", False),
    ],
    ids=["compared-with", "unlike", "the-study-own", "plain"],
)
def test_therapy_a_study_is_compared_with(text, term, compared):
    assert is_compared_therapy(text, text.index(term)) is compared
