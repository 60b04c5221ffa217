from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"


@pytest.fixture(scope="session")
def seed_text():
    def read(stem: str) -> str:
        return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="session")
def study_records():
    """The study records mscmine extracts from a text written in a test (no file needed)."""
    import mscmine
    from mscmine.document import Document

    def extract(text: str) -> list[dict]:
        return [r for r in mscmine.extract(Document.from_text(text)) if r["scope"] == "study"]

    return extract
