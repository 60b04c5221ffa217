"""Reference-list entries: first author and year, used to fill a study's label and year."""

import pytest

import mscmine
from mscmine.references import parse_references


@pytest.mark.parametrize(
    "entry, number, author, year",
    [
        ("[3] Zhou K, Zhang H, Jin O, et al. Transplantation of human bone marrow mesenchymal stem cell ameliorates "
         "the autoimmune pathogenesis in MRL/lpr mice[J]. Cell Mol Immunol, 2008, 5(6): 417-424.", 3, "Zhou", 2008),
        ("- [21] 李华, 王明, 张强, 等. 脐带间充质干细胞治疗难治性狼疮肾炎的临床观察[J]. 中华内科杂志, 2015, 54(3): 210-214.",
         21, "李华", 2015),
        ("[7] Le Blanc K, Frassoni F, Ball L, et al. Mesenchymal stem cells for treatment of steroid-resistant graft-"
         "versus-host disease[J]. Lancet, 2008, 371(9624): 1579-1586.", 7, "Le Blanc", 2008),
        ("12. Wang D, Li J, Zhang Y, et al. Umbilical cord mesenchymal stem cell transplantation in active and "
         "refractory systemic lupus erythematosus[J]. Arthritis Res Ther, 2014, 16(2): R79.", 12, "Wang", 2014),
        # a book chapter published 2019 about a 1997 trial: the year after the type mark is the publication year
        ("[9] 陈刚. 1997年以来造血干细胞移植的进展[M]. 北京: 人民卫生出版社, 2019: 33-40.", 9, "陈刚", 2019),
    ],
)
def test_entries(entry, number, author, year):
    text = "正文。\n\n参考文献\n\n" + entry + "\n"
    refs = parse_references(text)
    ref = refs[number]
    assert (ref.first_author, ref.year) == (author, year)
    assert text[ref.start : ref.end] == ref.text


def test_no_heading_no_references():
    assert parse_references("[1] Zhou K. A title[J]. J, 2008.") == {}


@pytest.mark.parametrize(
    "citation, label, year",
    [("[13]", "Liang等", 2012), ("[16]", "Wang等", 2013), ("[17]", "Alvaro-Gracia等", 2017), ("[15]", "王黎明等", 2010)],
)
def test_seed001_years_and_labels_from_the_reference_list(citation, label, year):
    records = mscmine.extract("corpus/seeds/001_927a681a5c5ffac5.txt")
    study = next(r["study"] for r in records if r["scope"] == "study" and r["study"]["citation"] == citation)
    assert (study["label"], study["year"], study["reference"]["number"]) == (label, year, int(citation.strip("[]")))
