"""Extraction time grows linearly with the text: doubling an input may not more than triple its
time (#17). The only timed test: both runs are in this process, each the median of a few, after
a warm-up, on inputs large enough that a quadratic scan shows above a noisy machine's jitter."""

import statistics
import time
from pathlib import Path

import pytest

import mscmine

SEED = (Path(__file__).resolve().parents[1] / "corpus" / "seeds" / "002_a9ce8c544dc19b6d.txt").read_text(encoding="utf-8")
RUNS = 3  # median of three: one slow spell of the machine does not decide
MAX_RATIO = 3.0  # linear gives about 2; quadratic gives 4

# (name, unit, repeats of the smaller input): each smaller input takes some 0.05-0.3 s
FORMS = [
    ("newlines", "\n", 64000),
    ("dose list", "1×10^6/kg，", 4000),
    # still above linear (about 2.9x per doubling at 36k characters, 3.2x for the seed at 150k):
    # a scan left to bound, see #17
    pytest.param("measure then verb", "SLEDAI评分由", 1000, marks=pytest.mark.xfail(reason="superlinear left (#17)", strict=False)),
    pytest.param("seed article", SEED, 8, marks=pytest.mark.xfail(reason="superlinear left (#17)", strict=False)),
]


def _seconds(text: str) -> float:
    times = []
    for k in range(RUNS):
        distinct = text + "。" * (k + 1)  # no cache of an earlier run answers for this one
        t = time.perf_counter()
        mscmine.extract(distinct)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


@pytest.mark.parametrize("name,unit,repeats", FORMS, ids=["newlines", "dose list", "measure then verb", "seed article"])
def test_doubling_the_input_at_most_triples_the_time(name, unit, repeats):
    mscmine.extract(unit * 2)  # warm-up: lexicons and patterns loaded
    once, twice = _seconds(unit * repeats), _seconds(unit * repeats * 2)
    assert twice <= MAX_RATIO * once, f"{name}: {once:.3f} s for {len(unit) * repeats:,} characters, {twice:.3f} s for twice as many"
