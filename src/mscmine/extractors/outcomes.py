"""Efficacy and safety results: rates, counts and named measures, with direction and negation.

Forms (normalised text):

* a rate: ``完全缓解率达 50%``, ``总生存率为 92.5%``, ``复发率25%``, ``死亡率下降29%``;
* a change: ``有效率从 53.3% 提升至 93.3%`` (value = the final 93.3, ``before`` = 53.3);
* a count with its percentage and what happened: ``42例(91%)疾病活动指数评分下降``,
  ``7例(9%)出现病情复发``;
* a count of deaths: ``1例死亡``, ``14例患者死亡``;
* before/after scores: ``疾病活动指数分别由2.7和3.6下降为1.2和2.5``;
* a threshold reached: ``13例(62%)28个关节疾病活动度评分<2.6``;
* a named measure that changed without a number: ``DAS28 … 显著降低`` (value None);
* not achieved: ``未能诱导病情缓解`` (negated).

Each way of writing a result is one rule (`outcome_rule.OutcomeRule`) of `RULES`, the Chinese
ones in `outcome_rules_zh`, the English ones in `outcome_rules_en`. The table's order is the
precedence: a rule reads the words no rule before it has read, so a closer reading ("由5.8分降至
3.2分", a value before and after) is placed before a looser one ("降至", a change without its
values). tests/test_outcome_rules.py holds the order and a real form of each rule.
"""

from __future__ import annotations

from dataclasses import replace

from . import outcome_rules_en as en, outcome_rules_zh as zh
from .measures import find_measures, measure_in  # noqa: F401 (records and numeric results read measures here)
from .negation import find_cues
from .outcome_rule import Context, OutcomeMatch, OutcomeRule, Spans

RULES: tuple[OutcomeRule, ...] = (
    zh.RATE_FROM_TO,
    zh.SCORE_FROM_TO,
    zh.VALUE_REACHED,
    zh.INCIDENCE,
    zh.MEASURE_VS_CONTROL,
    zh.LESIONS_HEALED,
    en.N_OF_M,
    zh.RATE_POINTS,
    zh.COUNT_FROM_TO,
    zh.RESPONDERS_OF_MEASURE,
    en.FROM_TO,
    zh.RESPECTIVELY,
    zh.RATE_VS_CONTROL,
    zh.RESPONDER_COUNT,
    zh.PAIRED_SCORES,
    zh.COUNT_PCT,
    en.COUNT_PCT,
    en.RATE,
    en.MEASURE_CHANGED,
    en.IMPROVEMENT_IN,
    en.DEATHS,
    zh.POOLED_EFFECT,
    zh.RATE_PER_ARM,
    zh.RATE,
    zh.GRADED_RESPONSE,
    zh.DEATHS,
    zh.COUNT_RESULT,
    zh.NOT_ACHIEVED,
    zh.SIGN_IMPROVED,
    zh.MEASURES_THEN_VERB,
    zh.VERB_THEN_MEASURES,
    zh.MODAL_CLAIM,
    zh.LEVEL_CHANGED,
    zh.MEASURE_CHANGED,
)


def find_outcomes(text: str) -> list[OutcomeMatch]:
    """Outcome results in normalised `text` in text order: each rule of `RULES` in turn, each
    result kept as its rule's `claims` allows (by default, when it overlaps no result before)."""
    ctx = Context(find_measures(text), find_cues(text))
    out: list[OutcomeMatch] = []
    earlier = Spans()
    for rule in RULES:
        own: list[OutcomeMatch] = []
        own_spans = Spans()
        for m in rule.scan(rule.pattern, text, ctx):
            built = rule.build(m, text, ctx)
            for o in [built] if isinstance(built, OutcomeMatch) else built or ():
                if rule.claims(o, earlier, own_spans):
                    own.append(replace(o, rule=rule.name))
                    own_spans.add(own[-1])
        out.extend(own)
        for o in own:
            earlier.add(o)
    return sorted(out, key=lambda o: o.start)
