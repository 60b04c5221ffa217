"""ConText-style negation and hedging with the cues of lexicons/negation.tsv."""

import pytest

from mscmine.extractors.negation import context_of


@pytest.mark.parametrize(
    "text, target, negated, hedged",
    [
        ("未见明显的毒性反应", "毒性反应", True, False),
        ("没有恶性肿瘤的报道", "恶性肿瘤", True, False),
        ("可能是失败的原因之一", "失败", False, True),
        ("不仅贫血缓解", "贫血缓解", False, False),  # pseudo cue
        ("未治疗,但病情缓解", "病情缓解", False, False),  # terminated scope
        ("肿瘤标志物均未见升高", "肿瘤标志物", True, False),  # backward cue
        ("结果显示,未能诱导病情缓解", "病情缓解", True, False),  # 001
        ("疑似与输注相关的发热", "发热", False, True),
        ("提示MSCs对狼疮肾炎有效", "有效", False, True),
        ("尚未观察到远期疗效", "远期疗效", True, False),
        ("然而疗效不明显", "疗效", True, False),  # backward cue
        ("共 5 例发生不良事件", "不良事件", False, False),  # 不良 is a word, not 不 + 良
        ("未成熟树突状细胞减少，有效率为80%", "有效率", False, False),  # a comma ends the scope
        ("不典型病例中缓解率为50%", "缓解率", False, False),  # 不典型: atypical
        ("不能耐受者的有效率为40%", "有效率", False, False),
        ("9例合并肾功能不全患者移植后血肌酐下降", "血肌酐下降", False, False),  # 不全: insufficiency
    ],
)
def test_negation_context(text, target, negated, hedged):
    i = text.index(target)
    assert context_of(text, i, i + len(target)) == {"negated": negated, "hedged": hedged}
