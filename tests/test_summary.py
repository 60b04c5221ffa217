"""`mscmine summarize -o DIR`: the review tables and charts.

The published numbers come from seed 000 (陈欢雪, 王晓非, a pooled analysis of 12 Chinese papers):
its abstract and section 2.2 state 76 patients, SLE 46, RA 21, PM/DM 8, SSc 1, umbilical cord 60,
bone marrow 16; its Table 1 lists the 12 papers with their years (2009: 3, 2010: 3, 2011: 4,
2013: 2). Besides those 12, the article's discussion describes two foreign case reports
(Holzer 等[28]: 2 DM patients; Ferrara 等[29]: 1 SSc patient), which the extractor rightly
makes study records too (the gold has them) but which the published totals do not pool.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from mscmine import extract
from mscmine import summary as S
from mscmine.cli import main
from mscmine.writers import read_records, write_records

SEED000 = "corpus/seeds/000_04a0826e1ad117c4.txt"
SEED001 = "corpus/seeds/001_927a681a5c5ffac5.txt"

# seed 000, as published
PUBLISHED_PATIENTS = 76
PUBLISHED_DISEASE = {"SLE": 46, "RA": 21, "PM/DM": 8, "SSc": 1}
PUBLISHED_SOURCE = {"umbilical_cord": 60, "bone_marrow": 16}
PUBLISHED_YEARS = {"2009": 3, "2010": 3, "2011": 4, "2013": 2}
TABLE1_CITATIONS = {f"[{i}]" for i in range(1, 13)}


@pytest.fixture(scope="module")
def records000():
    return extract(SEED000)


@pytest.fixture(scope="module")
def table1_studies(records000):
    """The 12 studies of the published Table 1 (selected by the citations the article pools)."""
    return [r for r in records000 if r["scope"] == "study" and r["study"]["citation"] in TABLE1_CITATIONS]


def _col(df, key, value="patients"):
    return dict(zip(df[key].astype(str), df[value]))


def test_table1_studies_reproduce_the_published_totals(table1_studies):
    assert len(table1_studies) == 12
    t = S.summarize(table1_studies)
    assert _col(t["per_disease"], "disease") == PUBLISHED_DISEASE
    assert _col(t["per_disease"], "disease", "studies") == {"SLE": 7, "RA": 3, "PM/DM": 1, "SSc": 1}
    assert _col(t["per_cell_source"], "cell_source") == PUBLISHED_SOURCE
    assert t["per_disease"].patients.sum() == PUBLISHED_PATIENTS
    assert _col(t["per_year"], "year", "studies") == PUBLISHED_YEARS
    assert list(t["per_year"].year) == sorted(PUBLISHED_YEARS)
    assert _col(t["per_route"], "route", "studies") == {"intravenous": 10, "intravenous+local_injection": 1,
                                                        "intravenous+intra_arterial": 1}


def test_document_record_states_the_published_totals(records000):
    rec = S.reconcile(records000)
    stated = {row.item: row.stated for row in rec.itertuples() if not pd.isna(row.stated)}
    assert stated == {"patients": PUBLISHED_PATIENTS, **{f"disease {k}": v for k, v in PUBLISHED_DISEASE.items()},
                      **{f"cell_source {k}": v for k, v in PUBLISHED_SOURCE.items()}}


def test_all_study_records_and_the_reconciliation(records000):
    """Over all 14 study records the two discussion case reports add DM 2 and SSc 1 (and 3 patients
    without a cell source) to the per-disease tables; the reconciliation compares the stated totals
    with the 12 studies the article says it pools (表1, [1-12]), and they agree."""
    t = S.summarize(records000)
    assert _col(t["per_disease"], "disease") == {"SLE": 46, "RA": 21, "PM/DM": 8, "SSc": 2, "DM": 2}
    assert _col(t["per_cell_source"], "cell_source") == {**PUBLISHED_SOURCE, S.NOT_REPORTED: 3}
    assert _col(t["per_year"], "year", "studies") == {**PUBLISHED_YEARS, S.NOT_REPORTED: 2}
    assert _col(t["per_donor"], "donor", "studies") == {"autologous": 1, S.NOT_REPORTED: 13}
    rec = {row.item: (row.stated, row.from_studies, row.match) for row in t["reconciliation"].itertuples()}
    assert rec["studies"][1] == 12
    assert rec["patients"] == (76, 76, True)
    assert rec["disease SSc"] == (1, 1, True)
    assert all(rec[f"disease {k}"][2] is True for k in ("SLE", "RA", "PM/DM"))
    assert all(rec[f"cell_source {k}"][2] is True for k in PUBLISHED_SOURCE)


def test_table1_listing(records000):
    df = S.table1(records000)
    row = df[df.citation == "[11]"].iloc[0]
    assert (row.study, row.disease, row.year, row.n_patients) == ("汤郁等", "PM/DM", 2011, 8)
    assert row.cell_source == "umbilical_cord 5; bone_marrow 3"
    assert (row.sex_m_f, row.age_years, row.follow_up_months) == ("1/7", "19-41", "6-12")
    assert df[df.citation == "[5]"].iloc[0].age_years == "<60"
    assert list(df.citation[:12]) == [f"[{i}]" for i in range(1, 13)]


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet", ".xlsx"])
def test_any_extract_output(tmp_path, records000, ext):
    path = tmp_path / f"r{ext}"
    write_records(records000, path)
    rows = read_records(path)
    t = S.summarize(rows)
    assert _col(t["per_disease"], "disease") == {"SLE": 46, "RA": 21, "PM/DM": 8, "SSc": 2, "DM": 2}
    assert _col(t["per_year"], "year", "studies") == {**PUBLISHED_YEARS, S.NOT_REPORTED: 2}
    if "source_counts" in rows[0]:  # nested, or flat rows that keep the extra fields as JSON text
        # the mixed study [11] (脐带 5例；骨髓 3例) is split between its sources
        assert _col(t["per_cell_source"], "cell_source") == {**PUBLISHED_SOURCE, S.NOT_REPORTED: 3}
        stated = {row.item: row.stated for row in t["reconciliation"].itertuples() if not pd.isna(row.stated)}
        assert stated["patients"] == PUBLISHED_PATIENTS and stated["disease PM/DM"] == 8
        row = t["table1"][t["table1"].citation == "[11]"].iloc[0]
        assert (row.sex_m_f, row.age_years) == ("1/7", "19-41")
    else:  # flat rows without the per-source counts: the mixed study stays one row
        assert _col(t["per_cell_source"], "cell_source") == {
            "umbilical_cord": 55, "bone_marrow": 13, "umbilical_cord+bone_marrow": 8, S.NOT_REPORTED: 3}


def test_dose_tables_from_seed001():
    recs = extract(SEED001)
    dist = S.dose_distribution(recs)
    # 1×10^6/kg: Liang[13], Ghoryani[14], [17], [23], [24], [25], [27] and the three cohorts of Liang[28]
    assert dict(zip(dist.dose, dist.studies))["1×10^6 cells/kg"] == 10
    assert {"2×10^6 cells/kg", "4×10^6 cells/kg", "2×10^5–1.8×10^6 cells/kg"} <= set(dist.dose)
    assert list(dist.low) == sorted(dist.low)
    levels = S.dose_levels(recs)
    assert len(levels) == sum(len(r["dose"]) for r in recs if r["scope"] == "study")
    assert dist.dose_levels.sum() == (levels.unit == "cells/kg").sum()
    assert sorted(levels[levels.unit == "cells"].low) == [1e7, 2.5e7, 5e7, 1e8]


# hand-made records for the counting rules
def _rec(diseases, n, sources=(), counts=None, routes=(), donor=None, year=None, doses=()):
    r = {"doc_id": "d", "record_id": f"d#{diseases}{n}", "scope": "study", "study": {"label": None, "citation": None, "year": year},
         "disease": [{"code": c} for c in diseases], "cell_source": [{"code": c} for c in sources],
         "route": [{"code": c} for c in routes], "donor": {"code": donor} if donor else None,
         "n_patients": {"value": n} if n is not None else None, "dose": list(doses)}
    if counts:
        r["source_counts"] = counts
    return r


RULES = [
    ("multi-disease cohort counts once", [_rec(["PM", "DM"], 8), _rec(["DM"], 2)], S.per_disease, "disease",
     {"PM/DM": (1, 8), "DM": (1, 2)}),
    ("no sample size: a study, no patients", [_rec(["SLE"], None), _rec(["SLE"], 5)], S.per_disease, "disease",
     {"SLE": (2, 5)}),
    ("no disease", [_rec([], 3)], S.per_disease, "disease", {S.NOT_REPORTED: (1, 3)}),
    ("patients split by source counts", [_rec(["RA"], 8, ["umbilical_cord", "bone_marrow"], {"umbilical_cord": 5, "bone_marrow": 3})],
     S.per_cell_source, "cell_source", {"umbilical_cord": (1, 5), "bone_marrow": (1, 3)}),
    ("counts that do not add up are not used", [_rec(["RA"], 9, ["umbilical_cord", "bone_marrow"], {"umbilical_cord": 5, "bone_marrow": 3})],
     S.per_cell_source, "cell_source", {"umbilical_cord+bone_marrow": (1, 9)}),
    ("route combinations", [_rec(["RA"], 17, routes=["intravenous", "local_injection"]), _rec(["RA"], 2, routes=["intravenous"])],
     S.per_route, "route", {"intravenous+local_injection": (1, 17), "intravenous": (1, 2)}),
    ("donor", [_rec(["SLE"], 16, donor="allogeneic"), _rec(["SLE"], 4)], S.per_donor, "donor",
     {"allogeneic": (1, 16), S.NOT_REPORTED: (1, 4)}),
    ("year", [_rec(["SLE"], 1, year=2011), _rec(["SLE"], 2, year=2011), _rec(["SLE"], 3)], S.per_year, "year",
     {"2011": (2, 3), S.NOT_REPORTED: (1, 3)}),
]


@pytest.mark.parametrize("records, fn, key, expected", [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_counting_rules(records, fn, key, expected):
    df = fn(records)
    assert {str(k): (s, p) for k, s, p in zip(df[key], df.studies, df.patients)} == expected


def test_flat_rows_with_missing_values():
    rows = [{"scope": "study", "record_id": "a", "disease": "PM;DM", "cell_source": float("nan"), "n_patients": 8.0,
             "study_year": 2011.0, "route": None, "dose_low": float("nan"), "dose_high": float("nan")},
            {"scope": "document", "record_id": "b", "disease": "SLE", "n_patients": 76.0}]
    t = S.summarize(rows)
    assert _col(t["per_disease"], "disease") == {"PM/DM": 8}
    assert _col(t["per_year"], "year", "studies") == {"2011": 1}
    assert t["dose_levels"].empty
    assert t["reconciliation"].item.tolist() == ["studies", "patients", "disease PM/DM", f"cell_source {S.NOT_REPORTED}"]
    assert t["reconciliation"].stated.tolist()[:2] == [pd.NA, 76]


def test_empty_input(tmp_path):
    paths = S.write_summary([], tmp_path / "r")
    assert {p.name for p in paths} == {f"{n}.csv" for n in S.TABLES} | set(S.CHARTS) | {"summary.md"}


@pytest.mark.parametrize(
    "x, shown",
    [(1e6, "1×10^6"), (2.5e7, "2.5×10^7"), (1.8e6, "1.8×10^6"), (200000.0, "2×10^5"), (1e8, "1×10^8"), (5.0, "5"), (None, "")],
)
def test_format_cells(x, shown):
    assert S.format_cells(x) == shown


@pytest.mark.parametrize(
    "dose, shown",
    [({"low": 2e5, "high": 1.8e6, "unit": "cells/kg"}, "2×10^5–1.8×10^6 cells/kg"),
     ({"low": 1e6, "high": None, "unit": "cells/kg"}, "≥1×10^6 cells/kg"),
     ({"low": None, "high": 1e8, "unit": "cells/kg"}, "≤1×10^8 cells/kg"),
     ({"low": 1e7, "high": 1e7, "unit": "cells"}, "1×10^7 cells")],
)
def test_format_dose(dose, shown):
    assert S.format_dose(dose) == shown


def test_cli_writes_the_report(tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    assert main(["extract", SEED000, "-o", str(out), "-q"]) == 0
    report = tmp_path / "report"
    assert main(["summarize", str(out), "-o", str(report)]) == 0
    printed = capsys.readouterr().out
    assert "study records per disease" in printed and "report: 15 files written" in printed
    disease = pd.read_csv(report / "per_disease.csv", encoding="utf-8-sig")
    assert dict(zip(disease.disease, disease.patients)) == {"SLE": 46, "RA": 21, "PM/DM": 8, "SSc": 2, "DM": 2, "total": 79}
    rec = pd.read_csv(report / "reconciliation.csv", encoding="utf-8-sig")
    assert dict(zip(rec.item, rec.stated.fillna(-1).astype(int))) == {
        "studies": -1, "patients": 76, "disease SLE": 46, "disease RA": 21, "disease PM/DM": 8, "disease SSc": 1,
        "cell_source umbilical_cord": 60, "cell_source bone_marrow": 16}
    assert rec.match.dropna().all()
    t1 = pd.read_csv(report / "table1.csv", encoding="utf-8-sig")
    assert len(t1) == 14 and t1.n_patients.sum() == 79
    md = (report / "summary.md").read_text(encoding="utf-8")
    assert "| PM/DM | 1 | 8 | 0 | 10.1 |" in md and "![figure2](figure2.png)" in md
    from matplotlib.image import imread

    for chart in S.CHARTS:
        data = (report / chart).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert imread(report / chart).shape[0] > 200
    assert not list(report.glob(".*.tmp"))


def test_cli_errors(tmp_path, capsys):
    assert main(["summarize", str(tmp_path / "missing.jsonl")]) == 2
    out = tmp_path / "r.jsonl"
    out.write_text(json.dumps({"scope": "study", "disease": [{"code": "RA"}]}) + "\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["summarize", str(out), "-o", str(blocker)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_charts_leave_matplotlib_settings_alone(tmp_path):
    """No pyplot, no backend switch, no rcParams change: mscmine is a library inside others' code."""
    code = (
        "import sys, matplotlib\n"
        "keys = [k for k in matplotlib.rcParams.keys() if k != 'backend']  # reading 'backend' would import pyplot\n"
        "before = {k: matplotlib.rcParams[k] for k in keys}\n"
        "import mscmine\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "from mscmine.summary import write_summary\n"
        f"write_summary(mscmine.extract({SEED000!r}), {str(tmp_path / 'r')!r})\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert {k: matplotlib.rcParams[k] for k in keys} == before\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_importing_mscmine_does_not_import_matplotlib():
    proc = subprocess.run([sys.executable, "-c", "import sys, mscmine, mscmine.cli, mscmine.summary, mscmine.viewer; "
                           "print('matplotlib' in sys.modules)"], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip() == "False", proc.stderr


@pytest.mark.parametrize("ext", [".jsonl", ".csv"])
def test_seed000_pooled_studies_reconcile_with_the_stated_totals(tmp_path, ext):
    """The article pools the studies of 表1 ([1-12]); the two case reports of its discussion are
    records too but not pooled, so the reconciliation compares with the pooled ones only."""
    from mscmine.cli import main
    from mscmine.summary import reconcile
    from mscmine.writers import read_records

    out = tmp_path / f"r{ext}"
    assert main(["extract", "corpus/seeds/000_04a0826e1ad117c4.txt", "-o", str(out), "-q", "-w", "1"]) == 0
    table = reconcile(read_records(out))
    stated = {row.item: (row.stated, row.from_studies) for row in table.itertuples() if row.stated is not pd.NA}
    assert stated == {"patients": (76, 76), "disease SLE": (46, 46), "disease RA": (21, 21), "disease PM/DM": (8, 8),
                      "disease SSc": (1, 1), "cell_source umbilical_cord": (60, 60), "cell_source bone_marrow": (16, 16)}


def test_summarize_names_the_bad_line(tmp_path, capsys):
    bad = tmp_path / "out.jsonl"
    bad.write_text('{"scope": "document"}\nnot json\n', encoding="utf-8")
    assert main(["summarize", str(bad)]) == 2
    assert f"{bad}: line 2 is not a JSON record" in capsys.readouterr().err
