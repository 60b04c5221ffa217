"""Tables in text form: study tables (typed columns) and outcome-count tables (broken headers)."""

import pytest

from mscmine.tables import glue_header_fragments, header_unit, parse_range_cell, read_outcome_tables


@pytest.mark.parametrize(
    "tokens, columns",
    [
        (["血清抗双链DNA抗", "体下降", "病情复发"], ["血清抗双链DNA抗体下降", "病情复发"]),
        (["28个关节疾病", "活动度评分<2.6", "症状缓解"], ["28个关节疾病活动度评分<2.6", "症状缓解"]),
        (["C-反应蛋白", "降至正常"], ["C-反应蛋白降至正常"]),
        (["肌力改善", "肌酸激酶下降"], ["肌力改善", "肌酸激酶下降"]),
    ],
)
def test_broken_header_names_glued(tokens, columns):
    assert glue_header_fragments(tokens) == columns


@pytest.mark.parametrize(
    "cell, expected",
    [("4-14", (4, 14)), ("6", (6, 6)), ("<60", (None, 60)), ("＜60", (None, 60)), ("≥3", (3, None)), ("0.5", (0.5, 0.5)), ("-", (None, None))],
)
def test_range_cells(cell, expected):
    assert parse_range_cell(cell) == expected


@pytest.mark.parametrize("header, unit", [("随访时间(月)", "月"), ("随访(年)", "年"), ("随访时间/周", "周"), ("随访时间", "月")])
def test_header_units(header, unit):
    assert header_unit(header) == unit


def test_outcome_table_rows_by_citation():
    text = (
        "表 4  干燥综合征患者移植后的疗效 (n)\n\n"
        "作者 患者数量 唾液流率 \n\n改善 \n\nESSDAI下降 病情复发\n\n"
        "李华等[14] 10 7 9 1 \n\n"
        "Chen等[15] 6 3 6 0 \n"
    )
    tables = read_outcome_tables(text)
    assert len(tables) == 1
    t = tables[0]
    assert t.columns == ["唾液流率改善", "ESSDAI下降", "病情复发"]
    assert [(r.author, r.citation, r.n, [c.value for c in r.cells]) for r in t.rows] == [
        ("李华等", 14, 10, [7, 9, 1]), ("Chen等", 15, 6, [3, 6, 0])]
    cell = t.rows[1].cells[1]
    assert text[cell.start : cell.end] == "6" and cell.column == "ESSDAI下降"


def test_a_row_with_the_wrong_number_of_cells_is_not_read():
    text = "作者 患者数量 症状缓解 病情复发\n李华等[14] 10 7\n"
    assert read_outcome_tables(text) == []


@pytest.mark.parametrize(
    "cell, expected",
    [("18", (18, [])), ("64(32/32)", (64, [32, 32])), ("24/25", (49, [24, 25])), ("n/a", (None, []))],
)
def test_patient_count_cells(cell, expected):
    from mscmine.tables import parse_count_cell

    assert parse_count_cell(cell) == expected


@pytest.mark.parametrize(
    "cell, header, months",
    [("24周", "随访", (5.52, 5.52)), ("3年", "随访", (36, 36)), ("6~12个月", "随访", (6, 12)), ("18", "随访时间(月)", (18, 18))],
)
def test_follow_up_cells_by_their_own_unit_or_the_header(cell, header, months):
    from mscmine.tables import follow_up_cell_months

    assert follow_up_cell_months(cell, header) == months


def test_a_tab_separated_study_table_is_read_cell_by_cell(study_records):
    """Written for this test: author and year in one cell, a caret citation, arms in brackets,
    units inside the cells; each row is a study record with its table facts."""
    text = (
        "表2 已发表的临床研究\n"
        "作者/年份\t疾病\t病例数\t细胞来源\t剂量\t途径\t随访\t主要结果\n"
        "周某 2017^[3]\tRA\t30(15/15)\t异体脐带\t1×10^6/kg\t静脉\t24周\tDAS28下降\n"
        "Kim 2020^[4]\tSLE\t12\t自体骨髓\t2×10^6/kg\t静脉\t2年\t缓解率58%\n"
    )
    studies = study_records(text)
    got = [(r["study"]["label"], r["study"]["citation"], r["study"]["year"], [d["code"] for d in r["disease"]],
            r["n_patients"]["value"], r["follow_up_months"]["low"], [c["code"] for c in r["cell_source"]]) for r in studies]
    assert got == [("周某", "[3]", 2017, ["RA"], 30, 5.52, ["umbilical_cord"]), ("Kim", "[4]", 2020, ["SLE"], 12, 24.0, ["bone_marrow"])]


def test_a_table_aligned_with_spaces_is_read_cell_by_cell(study_records):
    """Written for this test: cells aligned with runs of spaces, rows that start with the citation
    only, one cell with single spaces inside; the authors come from the text."""
    text = (
        "李某等[4]报道了类风湿关节炎的研究。张某等[5]报道了系统性红斑狼疮的研究。\n"
        "表1  主要临床研究\n"
        "文献    疾病      细胞来源        例数      剂量              途径                随访\n"
        "[4]     RA        脐带            20        1×10^6/kg         外周静脉            24周\n"
        "[5]     SLE       骨髓            8/8       2×10^6/kg         门静脉 / 外周静脉    2年\n"
    )
    studies = study_records(text)
    got = [(r["study"]["label"], r["study"]["citation"], [d["code"] for d in r["disease"]], r["n_patients"]["value"],
            r["follow_up_months"]["low"]) for r in studies]
    assert got == [("李某等", "[4]", ["RA"], 20, 5.52), ("张某等", "[5]", ["SLE"], 16, 24.0)]


@pytest.mark.parametrize("text", ["溃疡性结肠炎(UC)患者输注UC-MSCs", "SES-CD评分下降"])
def test_abbreviations_that_name_no_disease_here(text):
    from mscmine.mentions import analyse
    from mscmine.document import Document

    diseases = [m.text for m in analyse(Document.from_text(text)).mentions if m.label == "DISEASE"]
    assert diseases == (["溃疡性结肠炎", "UC"] if "(UC)" in text else [])
