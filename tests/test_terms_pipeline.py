"""Lexicons, term matching and the spaCy pipeline."""

import pytest

import mscmine
from mscmine.errors import LexiconError
from mscmine.lexicon import load_codes, load_lexicons, parse_lexicon
from mscmine.normalize import normalize
from mscmine.terms import find_terms


def terms(text):
    norm = normalize(text)
    return [(m.label, norm.original_text(m.start, m.end), m.value) for m in find_terms(norm.masked)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("脐带间充质干细胞治疗系统性红斑狼疮", [("CELL_SOURCE", "脐带", "umbilical_cord"), ("CELL_TYPE", "间充质干细胞", "MSC"), ("DISEASE", "系统性红斑狼疮", "SLE")]),
        ("HLA 全相合同胞供者的骨髓", [("DONOR", "同胞供者", "allogeneic"), ("CELL_SOURCE", "骨髓", "bone_marrow")]),
        ("BMSCs 治疗视神经脊髓炎", [("CELL_SOURCE", "BMSCs", "bone_marrow"), ("CELL_TYPE", "BMSCs", "MSC"), ("DISEASE", "视神经脊髓炎", "NMOSD")]),
        ("UCMSCs 治疗白塞病", [("CELL_SOURCE", "UCMSCs", "umbilical_cord"), ("CELL_TYPE", "UCMSCs", "MSC"), ("DISEASE", "白塞病", "BD")]),
        ("重症肌无力与大动脉炎", [("DISEASE", "重症肌无力", "MG"), ("DISEASE", "大动脉炎", "VAS")]),
        ("MG患者", []),  # MG is also milligram: only the Chinese name counts
        ("存在于骨髓、脂肪、肌肉、肝脏等组织中", [("CELL_SOURCE", "骨髓", "bone_marrow"), ("CELL_SOURCE", "脂肪", "adipose"),
                                     ("CELL_SOURCE", "肌肉", "other"), ("CELL_SOURCE", "肝脏", "other")]),  # 000: a list of sources
        ("患者肌肉无力", []),  # a listed word outside a list is no source
        ("1 (1%) of systemic   sclerosis", [("DISEASE", "systemic   sclerosis", "SSc")]),  # 000: a wrapped English abstract
        ("arthritis, rheumatoid; polymyositis", [("DISEASE", "arthritis, rheumatoid", "RA"), ("DISEASE", "polymyositis", "PM")]),  # MeSH order
        ("逃过异体性抗原的识别", []),  # 000: an antigen, not a donor
        ("可分化为骨、软骨、肌肉、脂肪等多种细胞", []),  # 000: what cells become is no source
        ("异基因 BM 或 UC-MSCs", [("DONOR", "异基因", "allogeneic"), ("CELL_SOURCE", "BM", "bone_marrow"), ("CELL_SOURCE", "UC", "umbilical_cord"),
                              ("CELL_TYPE", "MSCs", "MSC")]),  # 001: BM coordinated with a glued UC
        ("臍帶間充質幹細胞治療系統性紅斑狼瘡", [("CELL_SOURCE", "臍帶", "umbilical_cord"), ("CELL_TYPE", "間充質幹細胞", "MSC"), ("DISEASE", "系統性紅斑狼瘡", "SLE")]),
        ("UC-MSCs", [("CELL_SOURCE", "UC", "umbilical_cord"), ("CELL_TYPE", "MSCs", "MSC")]),
        ("自体 BM-MSCs", [("DONOR", "自体", "autologous"), ("CELL_SOURCE", "BM", "bone_marrow"), ("CELL_TYPE", "MSCs", "MSC")]),
        ("多发性肌炎/皮肌炎", [("DISEASE", "多发性肌炎", "PM"), ("DISEASE", "皮肌炎", "DM")]),
        ("PM/DM患者", [("DISEASE", "PM", "PM"), ("DISEASE", "DM", "DM")]),
        ("类风湿性关节炎", [("DISEASE", "类风湿性关节炎", "RA")]),
        ("类风湿因子下降", []),
        ("系统性硬化病", [("DISEASE", "系统性硬化病", "SSc")]),
        ("局限性硬皮病", [("DISEASE", "局限性硬皮病", "LSc")]),
        ("膝骨关节炎", [("DISEASE", "膝骨关节炎", "OA")]),
        ("多发性骨髓瘤", []),
        ("同种异体", [("DONOR", "同种异体", "allogeneic")]),
        ("经静脉注射", [("ROUTE", "经静脉注射", "intravenous")]),
        ("hUC-MSC", [("CELL_SOURCE", "hUC", "umbilical_cord"), ("CELL_TYPE", "MSC", "MSC")]),
        ("rheumatoid arthritis", [("DISEASE", "rheumatoid arthritis", "RA")]),
        ("经血细胞分离机采集", []),  # written: an apheresis machine, not menstrual blood
        ("一位再生性不良貧血的少女", [("DISEASE", "再生性不良貧血", "AA")]),  # written: the Taiwanese name
        ("共纳入46例AS患者", [("DISEASE", "AS", "AS")]),  # written: an abbreviation before its patients
        ("医生抽取患者自己的骨髓培养", [("DONOR", "自己的骨髓", "autologous"), ("CELL_SOURCE", "骨髓", "bone_marrow")]),  # written: a news item's words for autologous
        ("as well as AS a rule", []),
        ("月经血来源的干细胞", [("CELL_SOURCE", "月经血", "menstrual_blood")]),
    ],
)
def test_terms(text, expected):
    assert terms(text) == expected


def test_ambiguous_abbreviation_needs_a_definition():
    # AD alone means nothing; defined after 脂肪 it is adipose, after 自身免疫性疾病 a disease
    assert [t for t in terms("AD治疗") if t[1] == "AD"] == []
    assert ("CELL_SOURCE", "AD", "adipose") in terms("来源包括脂肪(AD)和骨髓。AD-MSC多用于自体移植")
    assert ("DISEASE", "AD", "AID") in terms("自身免疫性疾病(AD)的治疗。AD患者")


def test_lexicons_load_and_codes_are_known():
    lexicons = load_lexicons()
    codes = load_codes()
    assert set(lexicons) == {"disease", "cell_type", "cell_source", "donor", "route", "outcome", "adverse_event"}
    for lex in lexicons.values():
        for e in lex.entries:
            assert (lex.category, e.code) in codes


@pytest.mark.parametrize(
    "tsv, message",
    [
        ("# x\nform\tcode\tkind\n红斑狼疮\tXYZ\tname\n", "unknown disease code 'XYZ'"),
        ("# x\nform\tcode\tkind\n狼疮\tSLE\tname\n狼疮\tLN\tname\n", "has two codes"),
        ("# x\nform\tcode\tkind\n狼疮\tSLE\tname\n狼疮\tSLE\tname\n", "listed twice"),
        ("# x\nform\tcode\tkind\n狼疮\tSLE\n", "expected 3"),
        ("# x\nform\tcode\tkind\n狼疮\tSLE\tmaybe\n", "unknown kind"),
    ],
)
def test_lexicon_loader_refuses_bad_data(tsv, message):
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(tsv, "disease", load_codes())


@pytest.mark.parametrize(
    "text",
    ["脐带间充质干细胞治疗系统性红斑狼疮", "臍帶間充質幹細胞治療系統性紅斑狼瘡"],
)
def test_nlp_entities(text):
    doc = mscmine.nlp()(text)
    ents = [(e.label_, e._.value, e.start_char, e.end_char) for e in doc.ents]
    assert ents == [("CELL_SOURCE", "umbilical_cord", 0, 2), ("CELL_TYPE", "MSC", 2, 8), ("DISEASE", "SLE", 10, 17)]


def test_nlp_extractor_spans_and_values():
    doc = mscmine.nlp()("纳入了 4 名难治性 RA 患者,经静脉按 1×10^6/kg 注入")
    by_label = {s.label_: s for s in doc.spans["mscmine"]}
    assert by_label["N_PATIENTS"]._.value == {"value": 4, "role": "total"}
    assert by_label["DOSE"].text == "1×10^6/kg" and by_label["DOSE"]._.value["low"] == 1e6


def test_nlp_does_not_touch_global_jieba():
    import jieba

    mscmine.nlp()("间充质干细胞")
    assert jieba.dt.FREQ.get("间充质干细胞") is None or jieba.dt.initialized is False or "间充质干细胞" not in jieba.dt.FREQ


def test_one_component_per_extractor():
    from mscmine.pipeline import PIPE_NAMES

    assert mscmine.nlp().pipe_names == list(PIPE_NAMES)
    assert {"mscmine_terms", "mscmine_doses", "mscmine_sample_sizes", "mscmine_follow_up", "mscmine_outcomes",
            "mscmine_adverse_events"} <= set(PIPE_NAMES)


@pytest.mark.parametrize(
    "disabled, gone",
    # outcomes come from two components: the forms of results, and the numbers of result sentences
    [(["mscmine_outcomes", "mscmine_numeric_results"], "OUTCOME"), (["mscmine_doses"], "DOSE"),
     (["mscmine_follow_up"], "FOLLOW_UP"), (["mscmine_sample_sizes"], "N_PATIENTS"), (["mscmine_terms"], "CELL_TYPE")],
    ids=["outcomes", "doses", "follow-up", "sample-sizes", "terms"],
)
def test_a_disabled_component_takes_its_labels_with_it(disabled, gone):
    text = "16例患者静脉输注脐带间充质干细胞1×10^6/kg，随访12个月，有效率为80%。"
    nlp = mscmine.nlp()
    assert gone in {e.label_ for e in nlp(text).ents}
    with nlp.select_pipes(disable=disabled):
        labels = {e.label_ for e in nlp(text).ents}
    assert gone not in labels and labels  # the other components still ran


def test_processed_doc_serialises():
    from spacy.tokens import Doc

    nlp = mscmine.nlp()
    doc = nlp("16例患者静脉输注脐带间充质干细胞1×10^6/kg")
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [(e.label_, e.text) for e in again.ents] == [(e.label_, e.text) for e in doc.ents]
