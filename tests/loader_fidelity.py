"""Shared by the PDF and HTML loader tests: the fixture renderer and the fidelity measure."""

import difflib
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
MIN_ACCURACY = 0.995


def script_module(name: str, path: Path):
    """A script of the repo (not a package module), loaded by path once per test session."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def fixtures_module():
    """benchmarks/make_fixtures.py, the fixture renderer."""
    return script_module("mscmine_bench_make_fixtures", ROOT / "benchmarks" / "make_fixtures.py")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def accuracy(expected: str, got: str) -> float:
    """Character accuracy on text with whitespace removed (difflib ratio, no junk heuristic)."""
    return difflib.SequenceMatcher(None, squeeze(expected), squeeze(got), autojunk=False).ratio()
