"""Whose statement is it? Clause-level tests that keep a fact from the study's cells and arm.

Results, events and routes are facts of the cell therapy. A sentence may instead speak of the
control arm ("对照组为54.2%"), define a response criterion ("部分缓解(PR)：尿蛋白较基线下降≥50%")
or give another drug ("环磷酰胺 0.75 g/m² 静脉滴注"); the guidelines mark none of these.
"""

from __future__ import annotations

import re

from ..lexicon import alternation

_SENTENCE_END = re.compile(r"[。；;！？!?\n]|\.(?=\s)")
_CLAUSE_END = re.compile(r"[。；;！？!?\n,，]")
# the arm a clause begins with is its subject ("对照组为54.2%", "MSC组和对照组…分别为"); the last
# such arm before a fact in its sentence is whose fact it is ("低于对照组的50%" names an object)
_ARM = re.compile(
    r"(?:^|(?<=[。；;！？!?\n,，:：]))\s*(?:其中|而|但|另外)?\s*"
    rf"(?:(?P<control>{alternation('CONTROL_ARM')}|(?:the\s)?control group|(?:the\s)?placebo group)"
    rf"|(?P<treated>{alternation('TREATED_ARM')}|(?:the\s)?MSC group))",
    re.IGNORECASE,
)
# a response criterion being defined: "完全缓解(CR)：", "PR：", "显效：", "有效标准为"
_CRITERION = re.compile(
    r"(?:完全缓解|部分缓解|临床缓解|显效|有效|无效|缓解|复发|应答)\s?(?:[(（]\s?[A-Z]{2,3}\s?[)）])?\s?(?:[:：]|定义为|是指|标准为|指)"
    r"|(?<![A-Za-z])(?:CR|PR|NR)\s?(?:[:：]|定义为)|(?:疗效|缓解|复发)(?:判定|评价)?标准"
)
# another treatment given by the route: a drug, saline or placebo, or a dose in mass units
_OTHER_AGENT = re.compile(
    r"\d+(?:\.\d+)?\s?(?:mg|g|μg|ug|ml|mL|U)(?:\s?/\s?(?:kg|m²|m2|d))?(?![A-Za-z])|" + alternation("OTHER_AGENT")
)
# cells named (not cytokines, 细胞因子, nor a cell count of the blood: 白细胞, 红细胞)
_CELLS = re.compile(r"(?<![白红])细胞(?!因子)|MSC|(?<!blood )cells?\b", re.IGNORECASE)
# what bounds a sentence for `sentence_names_cells` (no comma: the cells may be named a clause away)
_SENTENCE_STOP = re.compile(r"[。；;！？!?\n]")


def _around(text: str, start: int, end: int, stop: re.Pattern, width: int) -> tuple[int, int]:
    """The stretch around text[start:end] up to the nearest `stop` on each side, at most `width`
    characters away."""
    ends = [m.end() for m in stop.finditer(text, max(0, start - width), start)]
    nxt = stop.search(text, end, end + width)
    return (ends[-1] if ends else max(0, start - width)), (nxt.start() if nxt else min(len(text), end + width))


def sentence_names_cells(text: str, start: int, end: int) -> bool:
    """The sentence around text[start:end] names cells (细胞, MSC, cells)."""
    a, b = _around(text, start, end, _SENTENCE_STOP, 120)
    return _CELLS.search(text, a, b) is not None


def _sentence_start(text: str, i: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, i - 200), i)]
    return ends[-1] if ends else max(0, i - 200)


_ALL_ARMS = re.compile(r"\s*(?:均|两组|三组|全组|各组|所有)")


def is_control_arm(text: str, start: int) -> bool:
    """The last arm the sentence names before `start` is the control arm, unless the fact's own
    clause speaks of all ("…，均无死亡")."""
    ends = [m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 60), start)]
    if ends and _ALL_ARMS.match(text, ends[-1], start):
        return False
    last = None
    for m in _ARM.finditer(text, _sentence_start(text, start), start):
        last = m
    return last is not None and last.group("control") is not None


def is_criterion(text: str, start: int) -> bool:
    """`start` lies in a sentence that defines a response criterion, after the criterion's name."""
    return _CRITERION.search(text, _sentence_start(text, start), start) is not None


def is_other_agent_route(text: str, start: int, end: int) -> bool:
    """The route's clause gives another agent (a drug dose in mg, saline, placebo) and no cells."""
    a, b = _around(text, start, end, _CLAUSE_END, 60)
    return _OTHER_AGENT.search(text, a, b) is not None and _CELLS.search(text, a, b) is None


# --- a tissue named as where the cells came from

# the cells (or their making) right after the tissue: "骨髓间充质干细胞", "脐带来源的", "UC-MSC",
# "骨髓、脐带等来源的MSC", "bone marrow-derived"; or a taking from it right before: "从脐带中分离",
# "抽取患者骨髓". A tissue that is only where cells go or what was examined is none:
# "细胞归巢至肺、脾和脂肪组织", "治疗后复查骨髓象正常", "MSC广泛存在于骨髓、脐带等组织中"
_ORIGIN_AFTER = re.compile(
    r"[^，,。;；\n]{0,16}?(?:干细胞|细胞|MSC|间充质|间质|造血|来源|源性|衍生|移植|(?i:stem|stromal|mesenchymal|cells?\b|derived|transplant))"
)
_CELLS_IN_NAME = re.compile(r"细胞|MSC|SC|(?i:stem|cells?)")
_ORIGIN_BEFORE = re.compile(r"(?:来源于|来自|取自|源自|从|采集|抽取|提取|分离|(?i:from|harvested|isolated))[^，,。;；\n]{0,10}$")


def names_cell_origin(text: str, start: int, end: int) -> bool:
    """The tissue at text[start:end] (Simplified) is named as where the cells came from (the
    name may hold the cells itself: "Peripheral blood stem cells", "BMSC")."""
    return bool(_ORIGIN_AFTER.match(text, end) or _ORIGIN_BEFORE.search(text, max(0, start - 16), start)
                or _CELLS_IN_NAME.search(text, start, end))


# what a study is set against: "相比异体移植，该方案…", "不同于异体移植" (the other therapy's
# donor, not the study's)
_COMPARED_BEFORE = re.compile(r"(?:相比于?|相较于?|相对于|不同于|区别于|而非|优于|相比较|相比較|優於)\s?$")


def is_compared_therapy(text: str, start: int) -> bool:
    """The term at `start` names the therapy a study is compared with (Simplified or Traditional)."""
    return _COMPARED_BEFORE.search(text, max(0, start - 6), start) is not None


# the patient's history, not the study's treatment: "患者既往接受自体造血干细胞移植", "曾行…"
_HISTORY_IN_CLAUSE = re.compile(r"既往|曾经|曾于|曾行|曾接受|此前|先前|之前曾|早年|病史")
_CLAUSE_STOP = re.compile(r"[，,。；;！？!?\n]")


def is_history(text: str, start: int) -> bool:
    """The term at `start` is in a clause about what was done before the study (Simplified)."""
    stops = [m.end() for m in _CLAUSE_STOP.finditer(text, max(0, start - 40), start)]
    clause_start = stops[-1] if stops else max(0, start - 40)
    return _HISTORY_IN_CLAUSE.search(text, clause_start, start) is not None
