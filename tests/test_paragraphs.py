"""Where a cited study's paragraph ends (`studies.paragraph_end`): at a blank line after a
sentence stop, not at one that a conversion put inside a sentence."""

import pytest

from mscmine.studies import paragraph_end

CASES = [
    # (text, where the first paragraph ends: the text before it)
    ("甲等[1]报道MSC治疗10例患者。\n\n乙等[2]报道。", "甲等[1]报道MSC治疗10例患者。"),
    ("甲等[1]研究表明 MSC 移植通过减少 B\n\n细胞活化因子而抑制B细胞。\n\n下一段。", "甲等[1]研究表明 MSC 移植通过减少 B\n\n细胞活化因子而抑制B细胞。"),
    ("甲等[1]降低了活动指数(activity\n\nindex)和VAS,未见副作用。\n\n下一段。", "甲等[1]降低了活动指数(activity\n\nindex)和VAS,未见副作用。"),
    ("甲等[1] 1 0 1 1\n\n2009年\n\n2010年", "甲等[1] 1 0 1 1"),  # a table row, then a figure's labels
    ("甲等[1]治疗后症状缓解\n\n2 讨论\n\n正文。", "甲等[1]治疗后症状缓解"),  # a heading follows
    ("甲等[1]治疗后症状缓解\n\n表 1 一般资料。", "甲等[1]治疗后症状缓解"),  # a caption follows
    ("甲等[1]增殖[2]\n\n下一段。", "甲等[1]增殖[2]"),  # a citation mark closes the paragraph
]


@pytest.mark.parametrize("text, first", CASES, ids=["stop", "broken-before-han", "broken-in-parenthesis",
                                                      "table-row", "heading-next", "caption-next", "citation-end"])
def test_paragraph_end(text, first):
    assert text[: paragraph_end(text, 0)] == first
