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
