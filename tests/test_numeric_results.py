"""The quantity layer and the numeric results read from it, as tables of forms.

Sentences written for these tests in the ways Chinese results sections and English abstracts
of Chinese trials write; none is copied from an article or page.
"""

import pytest

from mscmine.extractors.quantities import find_quantities
from mscmine.extractors.results import find_numeric_results
from mscmine.normalize import normalize


@pytest.mark.parametrize("text, expected", [
    ("SLEDAI评分为(15.75±3.2)分", [(15.75, "分", "mean_sd", None)]),
    ("中位随访15(6~30)个月", [(15.0, "个月", "median_range", None)]),
    ("有效率80%(24/30)", [(80.0, "%", "share_and_count", 24.0)]),
    ("24例(80%)症状改善", [(80.0, "%", "count_and_share", 24.0)]),
    ("转阴12/26例", [(12.0, "count", "fraction", None)]),
    ("CK 1681 U/L", [(1681.0, "U/L", "number_unit", None)]),
    ("降至8.8", [(8.8, None, "number", None)]),
    ("年复发1.63次/年", [(1.63, "次/年", "number_unit", None)]),
    ("尿蛋白2.1 g/24h", [(2.1, "g/24h", "number_unit", None)]),
    ("白细胞(6.35±1.20)×109/L", [(6.35, "×10^9/L", "mean_sd", None)]),
    ("73% (n = 19/26)", [(73.0, "%", "share_and_count", 19.0)]),
    ("复发率为12.5%(3人)", [(12.5, "%", "share_then_count", 3.0)]),
    ("例3、4分别于输注后9个月", [(3.0, None, "number", None), (4.0, None, "number", None),
                             (9.0, "个月", "number_unit", None)]),  # "2分别" is no score of 2
], ids=["mean-sd", "median-range", "share-and-count", "count-and-share", "fraction", "unit", "bare",
        "rate-per-year", "urine-protein", "flattened-superscript-unit", "share-with-n", "share-then-count", "fen-bie-is-no-score"])
def test_quantities(text, expected):
    got = [(q.value, q.unit, q.form, q.count) for q in find_quantities(text)]
    assert got == expected


def results(text: str):
    norm = normalize(text).masked
    return [(r.measure, r.value, r.unit, r.baseline, r.time_point, r.arm, r.count) for r in find_numeric_results(norm)]


@pytest.mark.parametrize("text, expected", [
    ("结果 SLEDAI评分由治疗前的(14.2±3.1)分降至24周时的(7.6±2.0)分，P<0.05。",
     [("SLEDAI", 7.6, "分", 14.2, "24周时", None, None)]),
    ("结果：移植组75%(18/24)患者症状改善，对照组37.5%(9/24)。",
     [("other", 75.0, "%", None, None, "treatment", 18.0), ("other", 37.5, "%", None, None, "control", 9.0)]),
    ("5年无进展生存率为66.67%。", [("survival_rate", 66.67, "%", None, None, None, None)]),
    ("Results Serum CK declined from (1520±310) to (730±190) U/L after infusion (P<0.01).",
     [("CK", 730.0, "U/L", 1520.0, None, None, None)]),
    ("HbA1c较基线降低1.52%，对照组降低0.71%。",
     [("HbA1c", 1.52, "%", None, None, None, None), ("HbA1c", 0.71, "%", None, None, "control", None)]),
    ("年平均复发次数由2.10次降至0.55次。", [("relapse", 0.55, "次", 2.1, None, None, None)]),
    ("结果 DAS28评分治疗前(5.62±0.81)与治疗后12周(3.94±0.72)、24周(3.10±0.65)比较，差异均有统计学意义(P<0.05)。",
     [("DAS28", 5.62, None, None, None, None, None), ("DAS28", 3.94, None, None, "治疗后12周", None, None),
      ("DAS28", 3.1, None, None, "24周", None, None)]),
    ("结果 MSC组复发率为12.5%，低于非MSC组的28.0%（P=0.04）。",
     [("relapse", 12.5, "%", None, None, "treatment", None), ("relapse", 28.0, "%", None, None, "control", None)]),
    ("结果 MSC组空腹C肽为(0.31±0.10) nmol/L，高于对照组的(0.15±0.06) nmol/L(P=0.002)。",
     [("C_peptide", 0.31, "nmol/L", None, None, "treatment", None), ("C_peptide", 0.15, "nmol/L", None, None, "control", None)]),
    ("Results At week 12, 18 of 32 patients (56.3%) responded.",
     [("response_rate", 56.3, "%", None, "At week 12", None, None)]),
    ("Results The estimated survival at 5 years was 91.5% (95% CI 80-100%).",
     [("other", 91.5, "%", None, "at 5 years", None, None)]),  # (the English "survival" has no measure code yet)
], ids=["before-after-with-time", "two-arms-with-counts", "survival", "english-from-to", "change-and-control",
        "relapses-per-year", "visits-compared", "compared-with-a-non-cell-arm", "higher-than-control", "english-responded", "confidence-level-no-result"])
def test_numeric_results(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize("text", [
    "选取2019年1月收治的40例患者，年龄25~60岁。",
    "两组比较差异有统计学意义(P<0.05，t=4.31)。",
    "HbA1c<7%者比例明显升高。",
    "每2周1次，共输注3次后疼痛缓解。",
    "输注1×10^6/kg后DAS28评分下降。",
], ids=["enrolment-age-date", "statistics", "threshold", "schedule", "dose"])
def test_not_results(text):
    assert results(text) == []


@pytest.mark.parametrize("text", [
    "据世界卫生组织数据，全球成人类风湿关节炎患病率达0.5%~1%。",
    "预计2030年患者人数将升至1.2亿。",
    "部分城市的年发病率已达3/10万左右。",
    "结果 各研究间无明显异质性(P=0.99，I²=0%)。",
], ids=["prevalence-quoted", "projection", "annual-incidence", "heterogeneity-statistic"])
def test_background_figures_are_no_results(text):
    assert results(text) == []


def test_every_results_section_is_read():
    # written: a Chinese abstract, its English abstract and the body each have their results
    text = ("结果 治疗后SLEDAI评分降至6.1分。结论 有效。\n"
            "Results The response rate was 72.0%. Conclusion Effective.\n"
            "2 结果\n治疗后尿蛋白降至0.8 g/24h。\n3 讨论\n")
    assert [r[1] for r in results(text)] == [6.1, 72.0, 0.8]


def test_a_table_row_is_no_result_sentence():
    # written: a case table's row of baseline/12-month values, after a result sentence
    text = "结果 治疗后mRSS降至16分。\n1\t女/38\t28/18\t62/67\t好转\n"
    assert [r[1] for r in results(text)] == [16.0]


@pytest.mark.parametrize("text, expected", [
    ("结果 中位起效时间为14 d(7~35 d)。", [("other", 14.0)]),
    ("结果 中性粒细胞中位植入时间为11（8~20）d。", [("other", 11.0)]),
    ("结果 15例复发，中位复发时间14个月(6~30个月)。", [("relapse", 15.0), ("relapse", 14.0)]),
    ("结果 随访时间为12个月，SLEDAI下降。", []),
], ids=["time-to-response", "time-to-engraftment-median-range", "time-to-relapse", "follow-up-is-no-result"])
def test_a_time_measured_is_a_result(text, expected):
    # written: times to an effect named as measures (a follow-up is no result)
    assert [(r[0], r[1]) for r in results(text)] == expected
