"""Document-level rules of `mentions.analyse`: animal and in-vitro sentences carry no fact labels
(term labels stay), outcome tables are left to the record builder, and every span is exact."""

import pytest

from mscmine.document import Document
from mscmine.mentions import analyse


def labels_of(text):
    return [(m.label, m.text) for m in analyse(Document.from_text(text)).mentions]


@pytest.mark.parametrize(
    "text, kept, dropped",
    [
        ("健康人骨髓间充质干细胞移植治疗MRL/lpr鼠能显著降低抗双链DNA抗体和尿蛋白水平。",  # 000
         ["CELL_TYPE", "CELL_SOURCE"], ["OUTCOME"]),
        ("胶原诱导关节炎小鼠尾静脉注射 1×10^6 个脐带间充质干细胞后关节肿胀减轻。",
         ["CELL_TYPE", "CELL_SOURCE"], ["DOSE", "ROUTE", "OUTCOME"]),
        ("在NOD小鼠中,MSCs 治疗 8 周后唾液流率提高。", ["CELL_TYPE"], ["FOLLOW_UP", "OUTCOME"]),
    ],
)
def test_animal_sentences_carry_no_facts(text, kept, dropped):
    labels = {label for label, _ in labels_of(text)}
    assert set(kept) <= labels
    assert not labels & set(dropped)


def test_the_patient_sentence_after_an_animal_one_keeps_its_facts():
    text = "MRL/lpr鼠的蛋白尿下降。随后 20 例狼疮肾炎患者静脉输注脐带间充质干细胞 1×10^6/kg,尿蛋白下降。"
    labels = labels_of(text)
    assert ("DOSE", "1×10^6/kg") in labels and ("ROUTE", "静脉输注") in labels and ("N_PATIENTS", "20 例") in labels


def test_outcome_table_cells_are_not_running_text_outcomes():
    text = ("表 2  疗效 (n)\n\n作者 患者数量 疾病活动指数评分下降 尿蛋白定量下降 病情复发\n\n"
            "李华等[1] 10 8 7 1\n\n张明等[2] 6 5 6 0\n\n"
            "移植后 10 例患者中 8 例(80%)疾病活动指数评分下降。")
    outcomes = [t for label, t in labels_of(text) if label == "OUTCOME"]
    assert outcomes == ["8 例(80%)疾病活动指数评分下降"]


@pytest.mark.parametrize("text", ["MRL/lpr鼠的蛋白尿下降。随后 20 例狼疮肾炎患者静脉输注脐带间充质干细胞 1×10^6/kg。"])
def test_spans_are_exact(text):
    for m in analyse(Document.from_text(text)).mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    "text, kept, dropped",
    [  # written for these tests: headings and keyword lists name things but state no facts
        ("2.1 静脉输注\n王某等^[3]对20例RA患者静脉输注脐带间充质干细胞。", [("ROUTE", "静脉输注")], []),
        ("关键词：系统性红斑狼疮；间充质干细胞；静脉输注\n", [("DISEASE", "系统性红斑狼疮")], [("ROUTE", "静脉输注")]),
        ("2.2 关节腔注射\n", [], [("ROUTE", "关节腔注射")]),
    ],
)
def test_headings_and_keyword_lists_carry_no_facts(text, kept, dropped):
    labels = labels_of(text)
    assert all(k in labels for k in kept)
    assert not any(d in labels for d in dropped)
    if text.startswith("2.1"):
        assert [m for m in labels if m == ("ROUTE", "静脉输注")] == [("ROUTE", "静脉输注")]  # the body's, once


@pytest.mark.parametrize(
    "text, absent",
    [  # written for these tests: words that contain a term but do not mean it
        ("MRI示骶髂关节骨髓水肿减轻", ("CELL_SOURCE", "骨髓")),
        ("脂肪来源与非脂肪来源MSCs疗效相近", ("CELL_SOURCE", "脂肪")),
        ("自体脂肪移植改善面部皮肤硬化", ("CELL_SOURCE", "脂肪")),
        ("符合美国风湿病学会分类标准", ("DISEASE", "风湿病")),
        ("膝关节腔积液减少", ("ROUTE", "关节腔")),
    ],
)
def test_stop_forms(text, absent):
    labels = labels_of(text)
    if absent[1] == "脂肪" and "脂肪来源与" in text:
        assert labels.count(absent) == 1  # the first 脂肪 is the source, the one in 非脂肪 is not
    else:
        assert absent not in labels


@pytest.mark.parametrize("text, kept", [
    ("研究结果刊登在《脐带血研究》上。", []),
    ("论文发表在《风湿病学》杂志上。", []),
    ("课题《脐带间充质干细胞治疗系统性红斑狼疮的临床研究》获奖。", ["CELL_SOURCE", "CELL_TYPE", "DISEASE"]),
], ids=["journal-name", "journal-with-a-disease-word", "a-study-title-names-its-subject"])
def test_a_journal_name_holds_no_mention(text, kept):
    # written: a short name in 《》 is a journal's or a book's; a long one is a study's title
    assert sorted({m.label for m in analyse(Document.from_text(text)).mentions}) == kept
