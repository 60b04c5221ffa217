"""Property tests over the whole extraction: any text, built from the pieces articles are made
of, gives records without raising, and every evidence span points at its own text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mscmine

PIECES = [
    "例", "名", "位", "患者", "随访", "个月", "年", "周", "×10^", "×10", "⁶", "/kg", "个细胞", "静脉输注", "关节腔注射",
    "系统性红斑狼疮", "类风湿关节炎", "RA", "SLE", "脐带", "骨髓", "间充质干细胞", "MSCs", "自体", "异体", "有效率", "缓解率",
    "为", "达", "%", "(", ")", "（", "）", "[", "]", "^[", "，", "。", "；", "、", "和", "由", "降至", "下降", "升高", "未",
    "无", "不良反应", "不良事件", "出现", "发热", "死亡", "复发", "其中", "共", "纳入", "等", "Wang", "表 1", "作者", "患者数量",
    "随访时间(月)", "\n", "\n\n", " ", "  ", "1", "2", "12", "3.5", "0", "2010", "±", "~", "-", "NCT01234567", "参考文献",
    "[J]", "小鼠", "一项", "研究", "团队", "报道", "亦有相似的结果", "RR=", "n=", "各", "组",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=80))
def test_extract_never_raises_and_evidence_is_exact(pieces):
    text = "".join(pieces)
    records = mscmine.extract(mscmine.Document.from_text(text))
    assert records and records[-1]["scope"] == "document"
    for r in records:
        for field in ("disease", "cell_type", "cell_source", "donor", "route", "dose", "n_patients",
                      "follow_up_months", "outcomes", "adverse_events"):
            value = r[field]
            for ev in value if isinstance(value, list) else [value] if value else []:
                assert text[ev["start"] : ev["end"]] == ev["text"], (field, ev)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text):
    records = mscmine.extract(mscmine.Document.from_text(text))
    assert records[-1]["scope"] == "document"


def _evidence_of(value):
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and "text" in value:
            yield value
        for v in value.values():
            yield from _evidence_of(v)
    elif isinstance(value, list):
        for v in value:
            yield from _evidence_of(v)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES + ["\r\n", "\r", "\r\n\r\n", "\t", "\u3000", "ｑ", "e\u0301"]), min_size=1, max_size=60))
def test_offsets_index_the_string_the_caller_gave(pieces):
    # issue 17: line breaks of any kind, tabs, full-width and combining characters keep offsets exact
    text = "".join(pieces)
    for record in mscmine.extract(text):
        for ev in _evidence_of(record):
            assert text[ev["start"] : ev["end"]] == ev["text"], ev


def test_a_crlf_string_keeps_its_offsets():
    # written: Windows line breaks before and inside the facts
    text = "\r\n本院为20例\r\n系统性红斑狼疮患者输注间充质干细胞。"
    [study] = [r for r in mscmine.extract(text) if r["scope"] == "study"]
    assert (study["n_patients"]["start"], study["n_patients"]["end"], study["n_patients"]["text"]) == (5, 8, "20例")
    assert [(d["start"], d["end"], d["text"]) for d in study["disease"]] == [(10, 17, "系统性红斑狼疮")]


def test_an_animal_studys_evidence_is_its_slice():
    # written: a cited mouse study after leading blanks (issue 17: the offsets were two off)
    text = "  王某等[3]在小鼠模型中输注脐带间充质干细胞，蛋白尿下降。"
    [document] = [r for r in mscmine.extract(text) if r["scope"] == "document"]
    [animal] = document["animal_studies"]
    assert (animal["start"], text[animal["start"] : animal["end"]] == animal["text"]) == (2, True)
