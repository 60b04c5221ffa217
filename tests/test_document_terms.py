"""The document record's terms (issue 14): a pooled analysis holds its cohort's diseases and the
cell sources named as the cells' origin; every other disease or tissue the article names is in
``unassigned`` with the reason it belongs to no record."""

import pytest

import mscmine
from mscmine.document import Document

POOLED = ("间充质干细胞治疗风湿病的Meta分析。检索中国期刊全文数据库，共纳入8项研究，320例患者，"
          "其中系统性红斑狼疮200例，类风湿关节炎120例，部分患者合并干燥综合征。"
          "小鼠实验中脂肪来源的细胞可缓解胶原诱导关节炎。系统性硬化症可引起肺间质纤维化。")


@pytest.fixture(scope="module")
def document():
    return mscmine.extract(Document.from_text(POOLED))[-1]


def test_a_pooled_analysis_holds_the_diseases_it_counts(document):
    assert document["article"]["kind"] == "pooled"
    assert [d["code"] for d in document["disease"]] == ["SLE", "RA"]
    assert document["cell_source"] == []


@pytest.mark.parametrize(
    "field, code, text, reason",
    [
        ("disease", "SS", "干燥综合征", "comorbidity"),
        ("cell_source", "adipose", "脂肪", "animal"),
        ("disease", "SSc", "系统性硬化症", "background"),
        ("disease", "ILD", "肺间质纤维化", "background"),
    ],
    ids=["comorbidity", "animal-source", "uncounted-disease", "disease-description"],
)
def test_terms_in_no_record_say_why(document, field, code, text, reason):
    assert {"field": field, "code": code, "text": text, "reason": reason}.items() <= next(
        u for u in document["unassigned"] if u["field"] == field and u["code"] == code).items()


def test_umbrella_diseases_are_not_listed(document):
    # 风湿病 names the field, not a cohort
    assert not [u for u in document["unassigned"] if u["field"] == "disease" and u["code"] in ("AID", "RD")]
