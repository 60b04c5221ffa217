"""The same article read from text, PDF and HTML gives the same study records (issue: loaders
must keep Chinese text whole). Each seed is rendered by benchmarks/make_fixtures.py without the
fixture's synthetic extra table, so the three renditions carry the same article."""

from collections import Counter

import pytest

import mscmine

from loader_fidelity import SEEDS
from loader_fidelity import fixtures_module as _fixtures_module

mf = _fixtures_module()

EVIDENCE_FIELDS = ("disease", "cell_type", "cell_source", "donor", "route", "dose", "n_patients", "follow_up_months")


def _codes(value):
    if isinstance(value, list):
        return tuple(sorted(v.get("code") or "" for v in value))
    return (value or {}).get("code")


def record_key(r: dict) -> tuple:
    """What a reviewer reads off a record, evidence offsets aside (they differ between renditions)."""
    fu = r["follow_up_months"] or {}
    return (
        (r["study"] or {}).get("citation"), r["scope"], _codes(r["disease"]), _codes(r["cell_source"]),
        _codes(r["donor"]), _codes(r["route"]), (r["n_patients"] or {}).get("value"), fu.get("low"), fu.get("high"),
        tuple(sorted(((d["low"], d["high"], d["unit"]) for d in r["dose"]), key=repr)),
    )


def _evidence(r: dict):
    for name in EVIDENCE_FIELDS:
        value = r[name]
        for ev in value if isinstance(value, list) else [value] if value else []:
            yield name, ev


@pytest.fixture(scope="module")
def renditions(tmp_path_factory):
    out = tmp_path_factory.mktemp("renditions")
    docs = {}
    for seed in SEEDS:
        article = mf.article_from_text(seed.read_text(encoding="utf-8"), synthetic_table=False)
        pdf = mf.render_pdf(article, out / f"{seed.stem}.pdf")
        html = mf.render_html(article, out / f"{seed.stem}.html")
        docs[seed.stem] = {"txt": mscmine.load(seed), "pdf": mscmine.load(pdf.path), "html": mscmine.load(html.path)}
    return docs


@pytest.mark.parametrize("fmt", ["pdf", "html"])
@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_same_records_as_the_text(renditions, stem, fmt):
    docs = renditions[stem]
    expected = Counter(map(record_key, mscmine.extract(docs["txt"])))
    got = Counter(map(record_key, mscmine.extract(docs[fmt])))
    assert got == expected


@pytest.mark.parametrize("fmt", ["pdf", "html"])
@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_evidence_points_into_the_rendition_text(renditions, stem, fmt):
    doc = renditions[stem][fmt]
    for r in mscmine.extract(doc):
        for name, ev in _evidence(r):
            assert doc.text[ev["start"] : ev["end"]] == ev["text"], (r["record_id"], name)
            if fmt == "pdf":
                assert 1 <= ev["page"] <= len(doc.pages), (r["record_id"], name)


@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_traditional_twin_gives_the_same_records(tmp_path, stem):
    """A Traditional-script copy is analysed through its Simplified view, offsets into its own text."""
    import opencc

    simplified = next(s for s in SEEDS if s.stem == stem).read_text(encoding="utf-8")
    path = tmp_path / f"{stem}.txt"
    path.write_text(opencc.OpenCC("s2t").convert(simplified), encoding="utf-8")
    doc = mscmine.load(path)
    expected = Counter(map(record_key, mscmine.extract(mscmine.load(next(s for s in SEEDS if s.stem == stem)))))
    records = mscmine.extract(doc)
    assert Counter(map(record_key, records)) == expected
    for r in records:
        for name, ev in _evidence(r):
            assert doc.text[ev["start"] : ev["end"]] == ev["text"], (r["record_id"], name)
