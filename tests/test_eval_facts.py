"""Document-level fact scoring (`mscmine eval --facts`), on small gold and texts written here.

The texts are sentences written for these tests in the style of Chinese trial abstracts and
hospital news; none is taken from a real page.
"""

import json

import pytest

from mscmine.cli import main
from mscmine.evaluation import facts
from mscmine.evaluation.naive_baseline import extract_naive

TRIAL = ("目的 观察脐带间充质干细胞治疗狼疮性肾炎的疗效。方法 选取28例狼疮性肾炎患者，经静脉输注异体细胞"
         "1×10^6/kg，随访12个月。结果 24小时尿蛋白由3.2 g降至1.1 g。未见严重不良反应。")
TRIAL_GOLD = {"id": "p1", "studies": [{
    "label": "UC-MSC LN 28例", "disease": ["LN"], "cell_type": "MSC", "cell_source": ["umbilical_cord"],
    "donor": "allogeneic", "route": ["intravenous"], "dose": [{"low": 1e6, "high": 1e6, "per": "kg"}],
    "n_patients": 28, "follow_up_months": [12, 12],
    "outcomes": [{"measure": "24h尿蛋白 治疗前", "value": 3.2, "unit": "g"},
                 {"measure": "24h尿蛋白 12个月", "value": 1.1, "unit": "g"}],
    "adverse_events": [{"text": "未见严重不良反应", "negated": True, "serious": True}]}], "notes": ""}


def record(**fields):
    base = {"scope": "study", "disease": [], "cell_source": [], "donor": None, "route": [], "dose": [],
            "n_patients": None, "follow_up_months": None, "outcomes": [], "adverse_events": []}
    base.update(fields)
    return base


def write_set(tmp_path, pages: dict[str, tuple[dict, str | None]]):
    gold, texts = tmp_path / "gold", tmp_path / "texts"
    gold.mkdir()
    texts.mkdir()
    for pid, (g, text) in pages.items():
        (gold / f"{pid}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
        if text is not None:
            (texts / f"{pid}.txt").write_text(text, encoding="utf-8")
    return gold, texts


def fixed_system(text: str, records: list[dict], mentions: list[dict] = ()):
    return lambda path: (text, records, list(mentions))


def page(studies, **extra):
    return facts.GoldPage("p", tuple(studies), frozenset(extra.get("ignore", ())), None)


def score_one(studies, text, records, mentions=(), ignore=()):
    tallies = {f: facts.Tally() for f in facts.FIELDS}
    result = facts.score_page(page(studies, ignore=ignore), text, records, list(mentions), tallies)
    return tallies, result


# --- how values compare ---------------------------------------------------------------------

@pytest.mark.parametrize("field, gold_study, rec, tp, n_pred, n_gold", [
    ("disease", {"disease": ["LN"]}, record(disease=[{"code": "LN"}, {"code": "SLE"}]), 1, 1, 1),
    ("disease", {"disease": ["SLE"]}, record(disease=[{"code": "AID"}]), 0, 0, 1),
    ("disease", {"disease": ["OTHER:myasthenia gravis"]}, record(disease=[{"code": "MG"}]), 1, 1, 1),
    ("disease", {"disease": ["OTHER:radiation pneumonitis"]}, record(disease=[{"code": "NOT_A_CODE"}]), 0, 0, 0),
    ("disease", {"disease": ["RA"]}, record(disease=[{"code": "SLE"}]), 0, 1, 1),
    ("dose", {"dose": [{"low": 1e6, "high": 1e6, "per": "kg"}]},
     record(dose=[{"low": 1.00004e6, "high": 1e6, "unit": "cells/kg"}]), 1, 1, 1),
    ("dose", {"dose": [{"low": 1e7, "high": 1e7, "per": "person"}]},
     record(dose=[{"low": 1e7, "high": 1e7, "unit": "cells/kg"}]), 0, 1, 1),
    ("dose", {"dose": [{"low": 1e6, "high": None, "per": "kg"}]},
     record(dose=[{"low": 1e6, "high": None, "unit": "cells/kg"}]), 1, 1, 1),
    ("follow_up", {"follow_up_months": [5.5, 5.5]}, record(follow_up_months={"low": 5.52, "high": 5.52}), 1, 1, 1),
    ("follow_up", {"follow_up_months": [24, None]}, record(follow_up_months={"low": 24.0, "high": 24.0}), 0, 1, 1),
    ("n_patients", {"n_patients": 40}, record(n_patients={"value": 40}), 1, 1, 1),
    ("outcome", {"outcomes": [{"value": 63.64}, {"value": 15.75}]},
     record(outcomes=[{"value": 63.6, "before": 15.75}]), 2, 2, 2),
    ("outcome", {"outcomes": [{"value": 8.8}]}, record(outcomes=[{"value": None}, {"value": 88}]), 0, 1, 1),
], ids=["parent-SLE-not-wrong", "generic-AID-not-wrong", "OTHER-by-english-name", "unknown-code-left-out",
        "wrong-disease", "dose-4-digits", "dose-unit-must-agree", "dose-open-bound", "follow-up-half-month",
        "follow-up-open-bound-differs", "sample-size", "outcome-before-and-after-3-digits", "outcome-none-skipped"])
def test_field_comparison(field, gold_study, rec, tp, n_pred, n_gold):
    tallies, _ = score_one([gold_study], "", [rec])
    t = tallies[field]
    assert (t.tp, t.pred, t.gold) == (tp, n_pred, n_gold)


def test_values_are_sets_over_all_records_of_a_page():
    studies = [{"disease": ["SLE"], "n_patients": 20}, {"disease": ["SLE"], "n_patients": 15}]
    recs = [record(disease=[{"code": "SLE"}], n_patients={"value": 20}),
            record(scope="document", disease=[{"code": "SLE"}], n_patients={"value": 15}),
            record(n_patients={"value": 20})]
    tallies, result = score_one(studies, "", recs)
    assert (tallies["n_patients"].tp, tallies["n_patients"].pred, tallies["n_patients"].gold) == (2, 2, 2)
    assert (tallies["disease"].tp, tallies["disease"].pred) == (1, 1)
    assert result.missed == {} and result.extra == {}


@pytest.mark.parametrize("gold_ae, pred_ae, tp", [
    ({"text": "未见严重不良反应", "negated": True}, {"text": "未见严重不良反应", "negated": True, "start": 10, "end": 18}, 1),
    ({"text": "未见严重不良反应", "negated": True}, {"text": "严重不良反应", "negated": True, "start": 12, "end": 18}, 1),
    ({"text": "未见严重不良反应", "negated": True}, {"text": "未见严重不良反应", "negated": False, "start": 10, "end": 18}, 0),
    ({"text": "未见严重不良反应", "negated": True}, {"text": "安全性良好", "negated": True, "start": 19, "end": 24}, 0),
    ({"text": "未見嚴重不良反應", "negated": True}, {"text": "严重不良反应", "negated": True, "start": 40, "end": 46}, 0),
], ids=["same-span", "overlap", "negation-differs", "no-overlap", "gold-text-not-in-page-no-containment"])
def test_adverse_event_statements(gold_ae, pred_ae, tp):
    text = "治疗后随访12个月，未见严重不良反应，安全性良好。"
    tallies, _ = score_one([{"adverse_events": [gold_ae]}], text, [record(adverse_events=[pred_ae])])
    assert (tallies["adverse_event"].tp, tallies["adverse_event"].pred, tallies["adverse_event"].gold) == (tp, 1, 1)


def test_an_event_predicted_by_two_records_counts_once():
    text = "未见严重不良反应。"
    ae = {"text": "未见严重不良反应", "negated": True, "start": 0, "end": 8}
    tallies, _ = score_one([{"adverse_events": [{"text": "未见严重不良反应", "negated": True}]}], text,
                           [record(adverse_events=[ae]), record(scope="document", adverse_events=[dict(ae)])])
    assert (tallies["adverse_event"].tp, tallies["adverse_event"].pred) == (1, 1)


def test_an_ignored_field_is_not_scored():
    tallies, result = score_one([{"n_patients": 12, "donor": "autologous"}], "", [record(n_patients={"value": 30})],
                                ignore=("n_patients",))
    assert (tallies["n_patients"].pred, tallies["n_patients"].gold) == (0, 0)
    assert "n_patients" not in result.missed and result.missed["donor"] == ["autologous"]


def test_a_missed_value_that_a_mention_found_is_marked():
    mentions = [{"label": "N_PATIENTS", "value": {"value": 28, "role": "total"}},
                {"label": "DONOR", "value": "allogeneic"}]
    tallies, result = score_one([{"n_patients": 28, "donor": "allogeneic", "follow_up_months": [6, 6]}], "",
                                [record(donor={"code": "allogeneic"})], mentions)
    assert result.missed_but_found == {"n_patients": [28]}
    assert (tallies["n_patients"].found, tallies["n_patients"].found_in_record) == (1, 0)
    assert (tallies["donor"].found, tallies["donor"].found_in_record) == (1, 1)
    assert result.missed["follow_up"] == [(6.0, 6.0)]
    assert "* 28" in facts.format_misses(facts.FactReport("x", {}, [result], []))


# --- whole sets ----------------------------------------------------------------------------

def test_a_page_without_text_is_reported_and_left_out(tmp_path):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL), "p2": ({"id": "p2", "studies": [{"n_patients": 9}]}, None)})
    rec = record(n_patients={"value": 28})
    report = facts.score_facts(gold, texts, fixed_system(TRIAL, [rec]))
    assert report.missing_texts == ["p2"]
    assert [p.id for p in report.pages] == ["p1"]
    assert report.tallies["n_patients"].to_dict()["f1"] == 1.0  # p2's 9 is not counted as missed


def test_mscmine_on_a_written_trial_abstract(tmp_path):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL)})
    report = facts.score_facts(gold, texts, facts.mscmine_system)
    got = {f: (t.tp, t.gold) for f, t in report.tallies.items()}
    assert got["disease"] == (1, 1) and got["cell_source"] == (1, 1) and got["route"] == (1, 1)
    assert got["dose"] == (1, 1) and got["donor"] == (1, 1)


@pytest.mark.parametrize("pid, text, field, value", [
    ("naive-donor", "自体脂肪干细胞注射治疗12例膝骨关节炎患者。", "donor", {"code": "autologous"}),
    ("naive-count", "共纳入本院收治的30例系统性红斑狼疮患者。", "n_patients", {"value": 30}),
    ("naive-dose", "每次输注1×10^6/kg，共4次。", "dose",
     [{"low": 1e6, "high": 1e6, "unit": "cells/kg"}]),
    ("naive-follow-up-weeks", "随访24周。", "follow_up_months", {"low": 5.5, "high": 5.5}),
    ("naive-traditional", "臍帶間質幹細胞治療紅斑性狼瘡", "disease", [{"code": "SLE"}]),
], ids=lambda v: v if isinstance(v, str) and v.startswith("naive") else "")
def test_naive_baseline_reads_the_obvious_forms(pid, text, field, value):
    assert extract_naive(text)[field] == value


# --- the command ---------------------------------------------------------------------------

def test_cli_json_has_both_systems(tmp_path, capsys):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL)})
    assert main(["eval", "--facts", str(gold), "--texts", str(texts), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["system"] for r in out["reports"]] == ["mscmine", "naive"]
    naive = out["reports"][1]["fields"]
    assert naive["n_patients"]["tp"] == 1 and naive["donor"]["tp"] == 1


def test_cli_table_and_misses(tmp_path, capsys):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL)})
    assert main(["eval", "--facts", str(gold), "--texts", str(texts), "--systems", "naive", "--misses"]) == 0
    out = capsys.readouterr().out
    assert "macro (7 fields)" in out and "misses of naive" in out
    assert "- 3.2" in out  # the naive script reads no before → after values


@pytest.mark.parametrize("with_texts, extra, message", [
    (False, [], "--facts needs --texts"),
    (True, ["--systems", "regex9"], "unknown system regex9"),
], ids=["no-texts", "unknown-system"])
def test_cli_usage_errors(tmp_path, capsys, with_texts, extra, message):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL)})
    argv = ["eval", "--facts", str(gold)] + (["--texts", str(texts)] if with_texts else []) + extra
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable gold JSON file"),
    ('{"id": "p1"}', "needs an object with a 'studies' list"),
    ('{"id": "p1", "studies": [], "ignore": ["dosage"]}', "unknown fields ['dosage']"),
], ids=["broken-json", "no-studies", "unknown-ignore"])
def test_cli_bad_gold_names_the_file(tmp_path, capsys, content, message):
    gold, texts = write_set(tmp_path, {})
    (gold / "p1.json").write_text(content, encoding="utf-8")
    assert main(["eval", "--facts", str(gold), "--texts", str(texts)]) == 2
    err = capsys.readouterr().err
    assert "p1.json" in err and message in err


def test_cli_saves_figures_without_values(tmp_path, capsys):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL)})
    out = tmp_path / "baseline.json"
    assert main(["eval", "--facts", str(gold), "--texts", str(texts), "--save-baseline", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["pages_scored"] == 1 and set(figures["systems"]) == {"mscmine", "naive"}
    assert figures["systems"]["naive"]["donor"]["f1"] == 1.0
    assert "3.2" not in out.read_text(encoding="utf-8")  # figures only, no gold or predicted values


def test_check_pages_are_scored_but_their_misses_hidden(tmp_path, capsys):
    check = dict(TRIAL_GOLD, id="p2", split="check")
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL), "p2": (check, TRIAL)})
    assert main(["eval", "--facts", str(gold), "--texts", str(texts), "--systems", "naive", "--misses"]) == 0
    out = capsys.readouterr().out
    assert "check (1 pages)" in out and "dev (1 pages)" in out
    assert "p1:" in out and "p2:" not in out and "--show-check-misses" in out
    assert main(["eval", "--facts", str(gold), "--texts", str(texts), "--systems", "naive", "--misses",
                 "--show-check-misses"]) == 0
    assert "p2:" in capsys.readouterr().out


def test_an_unreadable_text_is_reported_and_the_others_scored(tmp_path, capsys):
    gold, texts = write_set(tmp_path, {"p1": (TRIAL_GOLD, TRIAL), "p2": (dict(TRIAL_GOLD, id="p2"), None)})
    (texts / "p2.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe\x00" * 50)
    assert main(["eval", "--facts", str(gold), "--texts", str(texts), "--systems", "mscmine", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["reports"][0]
    assert out["pages_scored"] == 1 and out["missing_texts"] == ["p2"] and "p2.txt" in out["unreadable_texts"]["p2"]


def test_a_gold_value_in_the_wrong_format_names_the_file(tmp_path, capsys):
    bad = {"id": "p1", "studies": [{"dose": ["1e6 per kg"], "n_patients": 28}]}
    gold, texts = write_set(tmp_path, {"p1": (bad, TRIAL)})
    assert main(["eval", "--facts", str(gold), "--texts", str(texts)]) == 2
    err = capsys.readouterr().err
    assert "p1.json" in err and "GUIDELINES" in err
