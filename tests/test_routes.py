"""Routes of administration (lexicons/route.tsv through terms.find_terms): seed sentences name their
seed, the others are written in the same styles; stop forms keep anatomy from reading as a route."""

import pytest

from mscmine.normalize import normalize
from mscmine.terms import find_terms


def routes(text):
    norm = normalize(text)
    return [(norm.original_text(t.start, t.end), t.value) for t in find_terms(norm.masked) if t.label == "ROUTE"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("经静脉输注 UC-MSCs 1×10^6/kg", [("经静脉输注", "intravenous")]),  # 000 style
        ("178名SLE患者经静脉注射", [("经静脉注射", "intravenous")]),  # 001
        ("采用静脉滴注的方式给药", [("静脉滴注", "intravenous")]),
        ("关节腔注射 BM-MSCs 治疗膝骨关节炎", [("关节腔注射", "intra_articular")]),
        ("经肾动脉介入移植间充质干细胞", [("经肾动脉介入", "intra_arterial")]),  # 000 style
        ("于竖脊肌及骶髂关节区域点状注射", [("点状注射", "local_injection")]),  # 001 style
        ("皮下注射 MSCs 后观察局部反应", [("皮下注射", "subcutaneous")]),
        ("鞘内注射自体骨髓MSCs", [("鞘内注射", "intrathecal")]),
        ("肌肉注射 hUC-MSCs", [("肌肉注射", "intramuscular")]),
        ("经股动脉插管输注", [("经股动脉", "intra_arterial")]),
        ("MSCs 静滴 30 分钟", [("静滴", "intravenous")]),
        ("静脉点滴 hUC-MSCs", [("静脉点滴", "intravenous")]),
        ("腰穿鞘内注射", [("鞘内注射", "intrathecal")]),
        # written for these tests: the lumbar, coronary and bronchoscopic ways in
        ("患儿分3次行腰椎穿刺干细胞移植", [("腰椎穿刺干细胞移植", "intrathecal")]),
        ("经蛛网膜下腔注射骨髓单个核细胞", [("蛛网膜下腔注射", "intrathecal")]),
        ("经冠状动脉注入自体骨髓细胞", [("经冠状动脉", "intra_arterial")]),
        ("通过支气管镜将细胞注入病变肺段", [("通过支气管镜", "other")]),
        # written for these tests: into the lesion, the gut, the portal vein
        ("于瘘管内注射脂肪间充质干细胞", [("瘘管内注射", "intralesional")]),
        ("经内镜黏膜下注射自体骨髓MSCs", [("经内镜黏膜下注射", "intralesional")]),
        ("外泌体保留灌肠，每周2次", [("保留灌肠", "other")]),
        ("经门静脉输注脐带MSCs", [("经门静脉", "other")]),
        ("class III/IV lupus nephritis", []),  # a class, not "IV"
        ("行双侧竖脊肌注射", []),  # 肌注 is not read inside 竖脊肌注射
        ("皮损内注射", [("皮损内注射", "intralesional")]),
    ],
)
def test_routes(sentence, expected):
    assert routes(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "患者的免疫系统会攻击全身的关节内膜",  # 003: anatomy, not an injection
        "下肢静脉血栓形成",
        "静脉曲张病史",
        "皮下组织纤维化",
        "输注部位出现静脉炎",
        "治疗前经腰椎穿刺采集脑脊液",  # written: a lumbar puncture samples, it gives nothing
    ],
)
def test_not_routes(sentence):
    assert routes(sentence) == []
