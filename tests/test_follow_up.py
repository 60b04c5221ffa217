"""Follow-up durations: seed sentences (seed file named) and sentences written in the same styles."""

import pytest

from mscmine.document import Document
from mscmine.extractors.follow_up import find_follow_ups
from mscmine.mentions import analyse
from mscmine.normalize import normalize


def _run(finder, text):
    norm = normalize(text)
    return norm, finder(norm.masked)


@pytest.mark.parametrize(
    "sentence, span, low, high",
    [
        ("随访 12 个月后总生存率为 92.5%", "12 个月", 12, 12),  # 001
        ("随访至18个月时病情稳定", "18个月", 18, 18),  # written: the last visit
        ("对入组患者进行随访,最长随访达24个月", "24个月", None, 24),  # written: only the longest stated
        ("随访时间最长为3年", "3年", None, 36),
        ("于术后2、4、12及24 wk观察肝功能", "2、4、12及24 wk", 5.52, 5.52),  # written: an assessment schedule in weeks
        ("3个月后随访，症状评分较基线下降", "3个月", 3, 3),  # written: a follow-up visit after 6 months
        ("症状完全缓解，随访至今6年无复发", "6年", 72, 72),  # written: followed until now
        ("随访至注射后第52周，未见新发溃疡", "52周", 11.97, 11.97),
        ("随访至第3年无复发", "3年", 36, 36),
        ("每次1×10^6/kg，观察24周", "24周", 5.52, 5.52),
        ("于治疗后1、3、6个月检测血沉", "1、3、6个月", 6, 6),
        ("观察期为1年", "1年", 12, 12),
        ("所有患者随访0.5-26个月", "0.5-26个月", 0.5, 26),  # 000
        ("随访时间为 6~19 个月", "6~19 个月", 6, 19),  # 001
        ("MSCs 移植第 4 年随访时完全缓解率达 50%", "4 年", 48, 48),  # 001
        ("一项长达6年的随访研究", "6年", 72, 72),  # 001
        ("并在 1,6,12 个月进行随访", "1,6,12 个月", 12, 12),  # 001
        ("随访1年", "1年", 12, 12),
        ("根据9年的随访结果显示", "9年", 108, 108),  # 001
        ("3个月随访结果显示", "3个月", 3, 3),  # 003
        ("随访期为 24 周", "24 周", 5.52, 5.52),
        ("多数研究随访≥3个月,未报告严重不良反应", "≥3个月", 3, None),  # 003
        ("中位随访时间 18 个月", "18 个月", 18, 18),
        ("随访时间中位数为 30 个月", "30 个月", 30, 30),
        ("平均随访 2 年", "2 年", 24, 24),
        ("随访(12.5±3.2)个月", "(12.5±3.2)个月", 12.5, 12.5),
        ("经过 12 个月的随访,两组均无复发", "12 个月", 12, 12),
        ("随访期为 2 年以上", "2 年以上", 24, None),
        ("随访时间为6个月至2年", "6个月至2年", 6, 24),
        ("所有受试者随访至少1年", "至少1年", 12, None),
        ("术后随访半年", "半年", 6, 6),
        ("患者接受了为期 3~6 个月的随访", "3~6 个月", 3, 6),
        ("随访 12 周", "12 周", 2.76, 2.76),
        ("随访期间共 8 个月", "8 个月", 8, 8),
        ("追蹤 6 個月後", "6 個月", 6, 6),  # Traditional: 追蹤 (follow-up)
        ("术后追踪 2 年", "2 年", 24, 24),
        ("中位随访时间 15(6~36)个月", "15(6~36)个月", 6, 36),  # a median and its range
        ("治疗后随访至第 52 周", "52 周", 11.97, 11.97),
        ("Patients were followed up for 12 months.", "12 months", 12, 12),  # English abstract
        ("All ten were followed up for three to nine months.", "three to nine months", 3, 9),  # written: number words
        ("With a median follow-up of 4.5 (2-6.5) years, most remained well.", "4.5 (2-6.5) years", 24, 78),  # written: median (range)
        ("The cohort was followed up during a median of 18 months (3-48).", "18 months (3-48)", 3, 48),  # written: range after the unit
        ("The median follow-up was 24 months.", "24 months", 24, 24),
        ("with a follow-up of 6-18 months", "6-18 months", 6, 18),
    ],
)
def test_follow_up(sentence, span, low, high):
    norm, found = _run(find_follow_ups, sentence)
    assert len(found) == 1
    f = found[0]
    assert norm.original_text(f.start, f.end) == span
    assert f.low == (None if low is None else pytest.approx(low))
    assert f.high == (None if high is None else pytest.approx(high))


@pytest.mark.parametrize(
    "sentence",
    [
        "移植后1年病情尚稳定",  # 000: a time point, not a follow-up
        "女性发病率是男性的3到5倍",  # 003
        "2013 年,该课题组进行了进一步的研究",  # 001
        "1例类风湿关节炎患者移植后6个月病情复发",  # 000
        "随访发现2例复发",
        "患者年龄 18~65 岁,病程 3~10 年",
        "随访至 2019 年 12 月",  # a date, not a duration
        "计划在全部患者完成12个月随访后进行分析",  # written: a plan
        "观察3个月时尿蛋白下降",  # a time point, not a period
        "随访超过2年的患者中,半数维持缓解",  # written: which patients, not how long
    ],
)
def test_not_follow_up(sentence):
    assert _run(find_follow_ups, sentence)[1] == []


@pytest.mark.parametrize(
    "header, row, n, low, high",
    [
        ("作者 疾病 发表年份 患者数量 随访时间(月)", "李明等 [3] 系统性红斑狼疮 2015 20 6-12", 20, 6, 12),
        ("作者 疾病 发表年份 患者数量 随访时间(年)", "李明等 [3] 系统性红斑狼疮 2015 20 1-2", 20, 12, 24),
        ("作者 疾病 发表年份 例数 随访(月)", "Smith等 [7] 类风湿关节炎 2019 8 9", 8, 9, 9),
    ],
)
def test_table_cells_are_follow_up_and_sample_size(header, row, n, low, high):
    text = "表1 纳入研究的特征\n" + header + "\n" + row + "\n"
    mentions = analyse(Document.from_text(text)).mentions
    follow = [m for m in mentions if m.label == "FOLLOW_UP"]
    sizes = [m for m in mentions if m.label == "N_PATIENTS"]
    assert [(m.value["low"], m.value["high"]) for m in follow] == [(low, high)]
    assert [(m.text, m.value) for m in sizes] == [(str(n), {"value": n, "role": "total"})]
