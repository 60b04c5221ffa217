"""The one road (`mscmine.core`): every entry point analyses a document, finds its studies and
builds its records through `extract_document`, once each.

The Chinese test sentence is written for these tests.
"""

from __future__ import annotations

import dataclasses

import pytest

import mscmine
from mscmine import core
from mscmine.document import Document

TEXT = "纳入8例难治性系统性红斑狼疮患者,经静脉输注脐带间充质干细胞1×10^6/kg,随访12个月,未见严重不良反应。"


def test_an_extraction_keeps_each_stage():
    ex = core.extract_document(Document.from_text(TEXT))
    assert ex.analysis.doc is ex.doc
    assert len(ex.records) == len(ex.studies.studies) + 1  # one per study, then the document's
    assert [r["scope"] for r in ex.record_dicts()] == ["study", "document"]
    assert ex.article is ex.studies.article
    assert ex.unassigned == ex.record_dicts()[-1]["unassigned"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.records = ()  # type: ignore[misc]


def test_record_dicts_are_new_each_call():
    ex = core.extract_document(Document.from_text(TEXT))
    first = ex.record_dicts()
    first[0]["source_sha256"] = "x"  # what the batch adds
    assert "source_sha256" not in ex.record_dicts()[0]


def test_the_api_gives_the_cores_records(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert mscmine.extract(str(path)) == core.extract_file(path).record_dicts()
    assert mscmine.extract(TEXT) == core.extract_document(Document.from_text(TEXT)).record_dicts()


def _entry_points(path):
    """Each entry point that reads one file, called on `path`."""
    from mscmine import api, batch, viewer
    from mscmine.evaluation import annotation_io, facts, scorer

    return {
        "api.extract": lambda: api.extract(path),
        "batch.process_file": lambda: batch.process_file(str(path)),
        "viewer.view_html": lambda: viewer.view_html(path),
        "scorer._predict": lambda: scorer._predict({"doc_id": path.stem, "source": str(path)}, None),
        "facts.mscmine_system": lambda: facts.mscmine_system(path),
        "annotation_io.predicted_document": lambda: annotation_io.predicted_document(path),
    }


@pytest.mark.parametrize("entry", list(_entry_points(None)))
def test_every_entry_point_takes_the_road_once(entry, tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    calls: dict[str, int] = {}
    for name in ("analyse", "find_studies", "build_records"):
        def counted(*args, _name=name, _real=getattr(core, name)):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*args)

        monkeypatch.setattr(core, name, counted)
    _entry_points(path)[entry]()
    assert calls == {"analyse": 1, "find_studies": 1, "build_records": 1}
