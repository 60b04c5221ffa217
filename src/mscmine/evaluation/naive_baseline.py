"""The floor: what a reviewer would hack in an hour instead of installing mscmine.

A dozen regexes and a small lexicon, one record per file, no study finding, no negation, no
normalisation beyond OpenCC's Traditional → Simplified. mscmine
is scored beside it by ``mscmine eval --facts`` every time; it must beat it on every field by a
wide margin. Deliberately not improved: it stands for the obvious script, not a second extractor.
"""

from __future__ import annotations

import re

from opencc import OpenCC

_T2S = OpenCC("t2s")

# a small lexicon: the usual names of each code (Simplified; Traditional folded below)
_DISEASES = {
    "SLE": "系统性红斑狼疮|红斑狼疮|红斑性狼疮|SLE", "LN": "狼疮肾炎|狼疮性肾炎", "RA": "类风湿关节炎|类风湿性关节炎|类风湿",
    "SSc": "系统性硬化|硬皮病|全身性硬化", "SS": "干燥综合征|干燥症", "AS": "强直性脊柱炎|僵直性脊椎炎",
    "PM": "多发性肌炎", "DM": "皮肌炎", "MS": "多发性硬化", "T1D": "1型糖尿病", "T2D": "2型糖尿病",
    "CD": "克罗恩病|克隆氏症", "UCo": "溃疡性结肠炎", "GVHD": "移植物抗宿主病|GVHD", "AA": "再生障碍性贫血",
    "ITP": "血小板减少", "OA": "骨关节炎|关节炎退化|退化性关节炎", "PSO": "银屑病|牛皮癣",
}
_SOURCES = {"umbilical_cord": "脐带|UC-MSC|华通胶", "cord_blood": "脐血|脐带血", "bone_marrow": "骨髓",
            "adipose": "脂肪", "placenta": "胎盘"}
_ROUTES = {"intravenous": "静脉", "intra_articular": "关节腔|关节内", "intrathecal": "鞘内",
           "subcutaneous": "皮下", "intra_arterial": "动脉"}

_DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*[×xX*]\s*10\^?(\d{1,2})\s*(?:个细胞|个)?\s*/\s*(kg|公斤|人次|次|人)")
_N = re.compile(r"(\d{1,4})\s*(?:例|名|位)(?:[^，。,]{0,12})?(?:患者|病人|病患)")
_FOLLOW = re.compile(r"(?:随访|追踪|观察)[^，。\d]{0,6}(\d+(?:\.\d+)?)\s*(个月|月|年|周)")
_PERCENT = re.compile(r"(?:有效率|缓解率|改善率|生存率|达到?|为)\s*(\d+(?:\.\d+)?)\s*[%％﹪]")
_AE = re.compile(r"(?:未见|未发现|未观察到|无|没有)[^，。]{0,6}(?:不良反应|不良事件|副作用)|(?:安全性良好)")
_MONTHS = {"个月": 1, "月": 1, "年": 12, "周": 7 / 30.44}


def _codes(table: dict[str, str], text: str) -> list[dict]:
    return [{"code": code} for code, pat in table.items() if re.search(pat, text)]


def extract_naive(text: str) -> dict:
    """One record for the whole text, in the output contract's shape (values only, no evidence)."""
    t = _T2S.convert(text)
    donor = "autologous" if "自体" in t else "allogeneic" if re.search("异体|异基因|allogeneic", t) else None
    doses = [{"low": float(m[1]) * 10 ** int(m[2]), "high": float(m[1]) * 10 ** int(m[2]),
              "unit": "cells/kg" if m[3] in ("kg", "公斤") else "cells"} for m in _DOSE.finditer(t)]
    counts = [int(m[1]) for m in _N.finditer(t)]
    follow = _FOLLOW.search(t)
    months = round(float(follow[1]) * _MONTHS[follow[2]], 1) if follow else None
    outcomes = [{"measure": "other", "value": float(m[1]), "unit": "%"} for m in _PERCENT.finditer(t)]
    events = [{"text": m[0], "negated": not m[0].startswith("安全"), "start": m.start(), "end": m.end()}
              for m in _AE.finditer(t)]
    return {
        "scope": "document",
        "disease": _codes(_DISEASES, t),
        "cell_source": _codes(_SOURCES, t),
        "donor": {"code": donor} if donor else None,
        "route": _codes(_ROUTES, t),
        "dose": doses,
        "n_patients": {"value": max(counts)} if counts else None,
        "follow_up_months": {"low": months, "high": months} if months is not None else None,
        "outcomes": outcomes,
        "adverse_events": events,
    }
