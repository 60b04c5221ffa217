from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"


@pytest.fixture(scope="session")
def seed_text():
    def read(stem: str) -> str:
        return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")

    return read
