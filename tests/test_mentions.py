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
