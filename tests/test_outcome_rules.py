"""The outcome rules as a table (`extractors.outcomes.RULES`): their order, which is their
precedence, and one real form of each, written for these tests the way results sections write.

Each form is read by its row's rule and no other: the rule reads the words first, so a reorder
of the table or a new rule that takes these words shows here, row by row.
"""

import pytest

from mscmine.extractors.outcomes import RULES, find_outcomes
from mscmine.normalize import normalize

ORDER = (
    "rate_from_to", "score_from_to", "value_reached", "incidence", "measure_vs_control", "lesions_healed", "en_n_of_m",
    "rate_points", "count_from_to", "responders_of_measure", "en_from_to", "respectively", "rate_vs_control",
    "responder_count", "paired_scores", "count_pct", "en_count_pct", "en_rate", "en_measure_changed", "en_improvement_in",
    "en_deaths", "pooled_effect", "rate_per_arm", "rate", "graded_response", "deaths", "count_result", "not_achieved",
    "sign_improved", "measures_then_verb", "verb_then_measures", "modal_claim", "level_changed", "measure_changed",
)

# rule: sentence, then the first result's (words, measure, value, direction)
FORMS = {
    "rate_from_to": ("治疗组完全缓解率由20.0%提高至45.0%", ("完全缓解率由20.0%提高至45.0%", "remission_rate", 45.0, "up")),
    "score_from_to": ("SLEDAI评分由(12.4±3.1)分降至(6.2±2.0)分", ("SLEDAI评分由(12.4±3.1)分降至(6.2±2.0)分", "SLEDAI", 6.2, "down")),
    "value_reached": ("移植后6个月mRSS降至18分", ("mRSS降至18分", "mRSS", 18.0, "down")),
    "incidence": ("MSC组慢性GVHD发生率为15.0%，对照组为32.5%(P=0.03)", ("慢性GVHD发生率为15.0%", "other", 15.0, None)),
    "measure_vs_control": ("治疗组总有效率明显高于对照组（P<0.05）", ("总有效率明显高于对照组", "response_rate", None, "up")),
    "lesions_healed": ("12个指端溃疡中9个完全愈合", ("12个指端溃疡中9个完全愈合", "other", 9.0, None)),
    "en_n_of_m": ("9 of the 12 digital ulcers healed", ("9 of the 12 digital ulcers healed", "other", 9.0, None)),
    "rate_points": ("治疗组总有效率提高约20个百分点", ("总有效率提高约20个百分点", "response_rate", 20.0, "up")),
    "count_from_to": ("尿蛋白阳性由15例降至6例", ("尿蛋白阳性由15例降至6例", "proteinuria", 6.0, "down")),
    "responders_of_measure": ("第24周ACR20达标者共8例", ("ACR20达标者共8例", "ACR20", 8.0, None)),
    "en_from_to": ("The HbA1c decreased from 8.6 to 7.2 at 12 months", ("HbA1c decreased from 8.6 to 7.2", "HbA1c", 7.2, "down")),
    "respectively": ("治疗后DAS28、HAQ评分分别降至3.0分和0.9分", ("DAS28、HAQ评分分别降至3.0分", "DAS28", 3.0, "down")),
    "rate_vs_control": ("治疗组总有效率高于对照组(86.7%比60.0%)", ("总有效率高于对照组(86.7%", "response_rate", 86.7, "up")),
    "responder_count": ("按EULAR标准达到良好应答者9例(45.0%)", ("按EULAR标准达到良好应答者9例(45.0%)", "response_rate", 45.0, None)),
    "paired_scores": ("两组SLEDAI评分分别由10.2和9.8下降为4.1和7.5", ("SLEDAI评分分别由10.2和9.8下降为4.1和7.5", "SLEDAI", None, "down")),
    "count_pct": ("随访期间5例(16.7%)出现病情复发", ("5例(16.7%)出现病情复发", "relapse", 16.7, None)),
    "en_count_pct": ("4 (13%) of the 30 patients relapsed", ("4 (13%) of the 30 patients relapsed", "relapse", 13.0, None)),
    "en_rate": ("The complete remission rate was 46.7% at 6 months", ("complete remission rate was 46.7%", "remission_rate", 46.7, None)),
    "en_measure_changed": ("ESR levels were significantly decreased", ("ESR levels were significantly decreased", "ESR", None, "down")),
    "en_improvement_in": ("There was a significant improvement in WOMAC", ("significant improvement in WOMAC", "WOMAC", None, None)),
    "en_deaths": ("including 2 deaths", ("2 deaths", "mortality", 2.0, None)),
    "pooled_effect": ("总有效率提高(RR=1.28, 95%CI 1.10~1.49)", ("总有效率提高(RR=1.28, 95%CI 1.10~1.49)", "response_rate", 1.28, "up")),
    "rate_per_arm": ("高剂量组、低剂量组和对照组的总有效率分别为80.0%、73.3%和50.0%", ("总有效率分别为80.0%", "response_rate", 80.0, None)),
    "rate": ("随访12个月时总生存率为90.0%", ("总生存率为90.0%", "survival_rate", 90.0, None)),
    "graded_response": ("治疗组完全缓解8例，部分缓解5例", ("完全缓解8例", "remission_rate", 8.0, None)),
    "deaths": ("随访期间2例死亡", ("2例死亡", "mortality", 2.0, None)),
    "count_result": ("6例患者关节肿痛好转", ("6例患者关节肿痛好转", "other", 6.0, None)),
    "not_achieved": ("治疗后仍未能诱导病情缓解", ("未能诱导病情缓解", "remission_rate", None, None)),
    "sign_improved": ("移植后患者肾功能明显改善", ("移植后患者肾功能明显改善", "other", None, "up")),
    "measures_then_verb": ("治疗后ESR、CRP水平均较治疗前显著降低", ("ESR、CRP水平均较治疗前显著降低", "ESR", None, "down")),
    "verb_then_measures": ("MSC治疗降低了SLEDAI评分和尿蛋白", ("降低了SLEDAI", "SLEDAI", None, "down")),
    "modal_claim": ("结论 UC-MSCs移植可显著改善SSc患者的mRSS", ("可显著改善SSc患者的mRSS", "mRSS", None, None)),
    "level_changed": ("治疗后血清sIL-2R水平明显下降", ("sIL-2R水平明显下降", "other", None, "down")),
    "measure_changed": ("DAS28评分治疗后显著低于治疗前", ("DAS28评分治疗后显著低于治疗前", "DAS28", None, "down")),
}


def test_the_rules_run_in_this_order():
    """The order is the precedence: change it here, deliberately, when the table changes."""
    assert tuple(r.name for r in RULES) == ORDER


def test_every_rule_has_a_form():
    assert set(FORMS) == set(ORDER) and len(set(ORDER)) == len(ORDER)


@pytest.mark.parametrize("rule", list(FORMS), ids=list(FORMS))
def test_the_rule_of_the_row_claims_its_form(rule):
    sentence, (words, measure, value, direction) = FORMS[rule]
    text = normalize(sentence).masked
    found = find_outcomes(text)
    assert found and {o.rule for o in found} == {rule}, [(o.rule, text[o.start : o.end]) for o in found]
    first = found[0]
    assert (text[first.start : first.end], first.measure, first.value, first.direction) == (words, measure, value, direction)


def test_the_rule_is_in_no_output():
    (o,) = find_outcomes("随访期间2例死亡")
    assert o.rule == "deaths" and "rule" not in o.to_value()


def test_a_closer_reading_comes_first():
    """"由12分降至6分" is also a change (measure_changed), but score_from_to reads the values."""
    assert [o.rule for o in find_outcomes("SLEDAI评分由12分降至6分")] == ["score_from_to"]
