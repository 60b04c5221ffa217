"""Throughput, start-up, memory and scaling of mscmine, each stage next to a baseline.

    make bench                                   # = .venv/bin/python benchmarks/run.py
    python benchmarks/run.py --smoke --out /tmp/r.md   # a few documents: checks that it runs

The corpus is made on the fly in a temporary folder (nothing is committed): ``--docs`` text
documents made from ``corpus/seeds/*.txt`` (each seed with its own id line and its patient
counts shifted, so no two documents are the same), and the seeds rendered by
``benchmarks/make_fixtures.py`` as PDF (three layouts) and HTML (journal page and blog post).

Every stage is timed in this process on the same inputs as its baseline (``jieba.lcut``,
pdfplumber ``page.extract_text()``, pypdfium2 ``get_text_range()``, trafilatura), stage and
baseline alternating for ``--rounds`` rounds, best round kept; the report gives each stage as a
ratio to its baseline, which holds on a noisy machine where the absolute figures do not.
Start-up, memory and scaling run in fresh subprocesses. Time against input size (``--sizes``,
million characters of seed-like text, and the short forms #17 found slow) runs in this process.

The report (``benchmarks/RESULTS.md``) is written above the line ``<!-- notes -->``; what
follows that line in an existing report (profiling findings, written by hand) is kept.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import json
import os
import platform
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTES_MARK = "<!-- notes -->"

TARGETS = {
    "text_vs_jieba": 0.5,  # text to records, chars/s, / jieba.lcut chars/s
    "pdf_vs_pdfplumber": 5.0,  # PDF to records, pages/s, / pdfplumber extract_text pages/s
    "startup_s": 1.5,  # import mscmine to the first record
    "rss_mb": 400.0,  # peak RSS of one worker
    "rss_growth": 0.10,  # RSS after 1,000 documents vs after 100: at most 10% (or 20 MB) more
    "two_workers": 1.8,  # 2 workers' documents/s / 1 worker's
}


# =============================================================================================
# Corpus


def _fixtures():
    name = "mscmine_bench_make_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "make_fixtures.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@dataclass
class Corpus:
    folder: Path
    txt: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)


_COUNT = re.compile(r"(\d{1,4})(\s?例)")


def text_variant(seed_text: str, k: int, stem: str) -> str:
    """Seed text made distinct: an id line on top and patient counts shifted by a little."""
    shift = k % 7

    def bump(m: re.Match) -> str:
        return f"{int(m.group(1)) + shift}{m.group(2)}"

    return f"文档编号：{stem}-{k:04d}\n" + _COUNT.sub(bump, seed_text)


def make_corpus(folder: Path, n_text: int, pdf_layouts: int = 3, seeds: list[Path] | None = None, rendered: int | None = None) -> Corpus:
    """`n_text` text variants of the seeds; the first `rendered` seeds (default all) as PDF and HTML."""
    mf = _fixtures()
    seeds = seeds or sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    corpus = Corpus(folder)
    (folder / "txt").mkdir(parents=True, exist_ok=True)
    texts = [s.read_text(encoding="utf-8") for s in seeds]
    for k in range(n_text):
        i = k % len(seeds)
        p = folder / "txt" / f"{seeds[i].stem}-{k:04d}.txt"
        p.write_text(text_variant(texts[i], k, seeds[i].stem), encoding="utf-8")
        corpus.txt.append(p)
    layouts = [
        ("two-column", {}),
        ("one-column", {"columns": 1}),
        ("loose", {"style": mf.Style(max_char_space=0.35, latin_font="Times-Roman")}),
    ][: max(1, pdf_layouts)]
    for seed, raw in list(zip(seeds, texts))[:rendered]:
        article = mf.article_from_text(raw)
        for name, kw in layouts:
            corpus.pdf.append(mf.render_pdf(article, folder / "pdf" / f"{seed.stem}.{name}.pdf", **kw).path)
        for style in ("journal", "blog"):
            corpus.html.append(mf.render_html(article, folder / "html" / f"{seed.stem}.{style}.html", style=style).path)
    return corpus


# =============================================================================================
# Timing


@dataclass
class Figure:
    """One timed stage over a set of inputs (the best of its rounds)."""

    name: str
    seconds: float
    docs: int
    chars: int
    pages: int = 0
    baseline: str | None = None
    note: str = ""

    @property
    def docs_s(self) -> float:
        return self.docs / self.seconds if self.seconds else float("inf")

    @property
    def chars_s(self) -> float:
        return self.chars / self.seconds if self.seconds else float("inf")

    @property
    def pages_s(self) -> float:
        return self.pages / self.seconds if self.seconds else float("inf")


def _best(fn, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def time_together(cases: dict[str, callable], rounds: int) -> dict[str, float]:
    """Best time of each case, the cases alternating round by round (so a slow spell of the
    machine hits stage and baseline alike)."""
    best = {k: float("inf") for k in cases}
    for _ in range(rounds):
        for k, fn in cases.items():
            best[k] = min(best[k], _best(fn, 1))
    return best


# =============================================================================================
# Stages and baselines (in this process)


def _quiet_jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def stage_figures(corpus: Corpus, rounds: int, stage_docs: int) -> tuple[list[Figure], dict]:
    import mscmine
    from mscmine.mentions import analyse
    from mscmine.normalize import normalize
    from mscmine.records import build_records
    from mscmine.studies import find_studies

    jieba = _quiet_jieba()
    figs: list[Figure] = []
    txt = corpus.txt[:stage_docs]

    # --- text: load, normalise, tokenise, extract, build records, end to end; jieba.lcut
    docs = [mscmine.load(p) for p in txt]
    chars = sum(len(d.text) for d in docs)
    nlp = mscmine.nlp()
    nlp.tokenizer(docs[0].text)  # builds the private jieba (dictionary + user words) once
    analyses = [analyse(d) for d in docs]
    t = time_together(
        {
            "jieba": lambda: [jieba.lcut(d.text) for d in docs],
            "load": lambda: [mscmine.load(p) for p in txt],
            "normalise": lambda: [normalize(d.text) for d in docs],
            "tokenise": lambda: [nlp.tokenizer(d.text) for d in docs],
            "extract": lambda: [analyse(d) for d in docs],
            "records": lambda: [[r.to_dict() for r in build_records(a, find_studies(a))] for a in analyses],
            "end_to_end": lambda: [mscmine.extract(mscmine.load(p)) for p in txt],
        },
        rounds,
    )
    figs.append(Figure("baseline: jieba.lcut (text)", t["jieba"], len(docs), chars))
    names = {
        "load": "load .txt",
        "normalise": "normalise",
        "tokenise": "tokenise (mscmine.nlp() tokenizer, private jieba)",
        "extract": "extract mentions (normalise + terms + extractors)",
        "records": "build records (+ to_dict)",
        "end_to_end": "text to records: extract(load(path))",
    }
    for k, label in names.items():
        figs.append(Figure(label, t[k], len(docs), chars, baseline="jieba"))
    n_records = sum(len(mscmine.extract(d)) for d in docs)

    # --- PDF: load (with and without the time limit's worker process), end to end; baselines
    import pdfplumber
    import pypdfium2 as pdfium

    pdf_docs = [mscmine.load(p) for p in corpus.pdf]
    pages = sum(len(d.pages) for d in pdf_docs)
    pdf_chars = sum(len(d.text) for d in pdf_docs)

    def plumber():
        for p in corpus.pdf:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()

    def pdfium_text():
        for p in corpus.pdf:
            pdf = pdfium.PdfDocument(p)
            try:
                for i in range(len(pdf)):
                    page = pdf[i]
                    tp = page.get_textpage()
                    tp.get_text_range()
                    tp.close()
                    page.close()
            finally:
                pdf.close()

    t = time_together(
        {
            "plumber": plumber,
            "pdfium": pdfium_text,
            "load": lambda: [mscmine.load(p) for p in corpus.pdf],
            "load_nolimit": lambda: [mscmine.load(p, timeout=None) for p in corpus.pdf],
            "end_to_end": lambda: [mscmine.extract(mscmine.load(p)) for p in corpus.pdf],
        },
        rounds,
    )
    n = len(corpus.pdf)
    figs.append(Figure("baseline: pdfplumber page.extract_text()", t["plumber"], n, pdf_chars, pages))
    figs.append(Figure("baseline: pypdfium2 get_text_range()", t["pdfium"], n, pdf_chars, pages))
    figs.append(Figure("load .pdf (default 60 s time limit: parsed in the PDF worker process)", t["load"], n, pdf_chars, pages, baseline="pdfplumber"))
    figs.append(Figure("load .pdf (timeout=None: in process)", t["load_nolimit"], n, pdf_chars, pages, baseline="pdfplumber"))
    figs.append(Figure("PDF to records: extract(load(path))", t["end_to_end"], n, pdf_chars, pages, baseline="pdfplumber"))

    # --- HTML
    import trafilatura

    html_docs = [mscmine.load(p) for p in corpus.html]
    html_chars = sum(len(d.text) for d in html_docs)
    raw_html = [p.read_bytes() for p in corpus.html]
    t = time_together(
        {
            "trafilatura": lambda: [trafilatura.extract(h, include_formatting=True, include_tables=True) for h in raw_html],
            "load": lambda: [mscmine.load(p) for p in corpus.html],
            "end_to_end": lambda: [mscmine.extract(mscmine.load(p)) for p in corpus.html],
        },
        rounds,
    )
    m = len(corpus.html)
    figs.append(Figure("baseline: trafilatura.extract()", t["trafilatura"], m, html_chars))
    figs.append(Figure("load .html", t["load"], m, html_chars, baseline="trafilatura"))
    figs.append(Figure("HTML to records: extract(load(path))", t["end_to_end"], m, html_chars, baseline="trafilatura"))

    info = {"text_docs": len(docs), "text_chars": chars, "text_records": n_records, "pdf_docs": n, "pdf_pages": pages, "html_docs": m}
    return figs, info


# =============================================================================================
# Start-up (fresh subprocesses)

_STARTUP_EXTRACT = """
import time, sys
t = time.perf_counter()
import mscmine
records = mscmine.extract(mscmine.load(sys.argv[1]))
assert records
print(time.perf_counter() - t)
"""

_STARTUP_NLP = """
import time, sys
t = time.perf_counter()
import mscmine
doc = mscmine.nlp()(open(sys.argv[1], encoding="utf-8").read())
assert doc.ents
print(time.perf_counter() - t)
"""


def _run_py(code: str, args: list[str], env: dict | None = None) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def startup_figures(seed: Path, runs: int, nlp: bool = True) -> dict:
    """Seconds from `import mscmine` to the first record (and, unless `nlp` is false, to the
    first spaCy doc with entities, which builds the private jieba), in fresh interpreters: with
    jieba's dictionary cache absent (a fresh TMPDIR) and present (the same TMPDIR again)."""
    out: dict = {"nlp_no_cache": [], "nlp_cached": []}
    with tempfile.TemporaryDirectory(prefix="mscmine-bench-tmp-") as tmp:
        env = dict(os.environ, TMPDIR=tmp, PYTHONWARNINGS="ignore")
        if nlp:
            out["nlp_no_cache"] = [_run_py(_STARTUP_NLP, [str(seed)], env)]  # first: no jieba cache in TMPDIR
        out["extract"] = sorted(_run_py(_STARTUP_EXTRACT, [str(seed)], env) for _ in range(runs))
        if nlp:
            out["nlp_cached"] = sorted(_run_py(_STARTUP_NLP, [str(seed)], env) for _ in range(runs))
    return out


# =============================================================================================
# Memory (a fresh subprocess streaming documents in and records out)

_MEMORY = r"""
import json, resource, sys, time
def _status(key):
    # VmRSS / VmHWM of this process (ru_maxrss would carry the parent's peak across exec)
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
def rss_mb():
    return _status("VmRSS")
def peak_mb():
    return _status("VmHWM")
def children_peak_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
import mscmine
paths = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8")]
marks = {int(x) for x in sys.argv[3].split(",")}
seen = {}
n_records = 0
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, p in enumerate(paths, 1):
        for r in mscmine.extract(mscmine.load(p)):
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n_records += 1
        if i in marks:
            seen[i] = {"rss_mb": rss_mb(), "peak_mb": peak_mb()}
from mscmine.loaders import pdf as pdf_loader
pdf_worker = None
if hasattr(pdf_loader, "worker_stats"):  # the PDF worker process (reused; replaced now and then)
    pdf_worker = pdf_loader.worker_stats()
    pdf_loader.shutdown_worker()
print(json.dumps({"marks": seen, "peak_mb": peak_mb(), "children_peak_mb": children_peak_mb(), "pdf_worker": pdf_worker, "records": n_records}))
"""


def memory_figures(corpus: Corpus, work: Path, n_docs: int) -> dict:
    """RSS after 10%, 50% and 100% of `n_docs` documents: text, every 20th a PDF or an HTML page
    (in turn, so the first 10% already loads every reader and its libraries once)."""
    paths = []
    for k in range(n_docs):
        turn = k // 20
        extra = corpus.pdf if turn % 2 == 0 else corpus.html
        paths.append(extra[(turn // 2) % len(extra)] if k % 20 == 19 and extra else corpus.txt[k % len(corpus.txt)])
    listing = work / "memory-inputs.txt"
    listing.write_text("\n".join(map(str, paths)) + "\n", encoding="utf-8")
    marks = sorted({max(1, n_docs // 10), max(1, n_docs // 2), n_docs})
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(listing), str(work / "memory-out.jsonl"), ",".join(map(str, marks))],
        capture_output=True, text=True, env=env, check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["marks"] = {int(k): v for k, v in res["marks"].items()}
    res["docs"] = n_docs
    return res


# =============================================================================================
# Scaling (process pool, as `mscmine extract --workers N`)


def _extract_file(path: str) -> list[dict]:
    import mscmine

    return mscmine.extract(mscmine.load(path))


def _warm() -> None:
    import mscmine

    mscmine.extract("脐带间充质干细胞治疗16例系统性红斑狼疮患者。")


def _batch_run():
    """`mscmine.batch.run` (what `mscmine extract --workers N` uses), when it exists."""
    try:
        from mscmine import batch
    except ImportError:
        return None
    fn = getattr(batch, "run", None)
    return fn if callable(fn) else None


def _own_pool(paths: list[str], n: int, chunksize: int) -> int:
    sink = io.StringIO()
    n_records = 0
    with ProcessPoolExecutor(max_workers=n, initializer=_warm) as pool:
        for recs in pool.map(_extract_file, paths, chunksize=chunksize):
            for r in recs:
                sink.write(json.dumps(r, ensure_ascii=False))
                n_records += 1
    return n_records


def _with_batch(run, paths: list[str], n: int, chunksize: int) -> int:
    sink = io.StringIO()
    count = [0]

    def on_result(res: dict) -> None:
        for r in res.get("records") or ():
            sink.write(json.dumps(r, ensure_ascii=False))
            count[0] += 1

    run(paths, workers=n, on_result=on_result, chunksize=chunksize)
    return count[0]


def scaling_figures(paths: list[Path], workers: tuple[int, ...] = (1, 2), chunksize: int = 16) -> dict:
    """Documents/s end to end with N worker processes; the parent serialises the records."""
    names = [str(p) for p in paths]
    run = _batch_run()
    how = ("`mscmine.batch.run` (spawned workers; 1 worker runs in the calling process)" if run is not None
           else "own ProcessPoolExecutor calling `mscmine.extract(mscmine.load(path))` (mscmine.batch not present)")
    out: dict = {"how": how, "docs": len(paths), "chunksize": chunksize}
    for n in workers:
        t = time.perf_counter()
        if run is not None:
            try:
                n_records = _with_batch(run, names, n, chunksize)
            except TypeError:  # an older or newer signature: fall back to our own pool
                run = None
                out["how"] = "own ProcessPoolExecutor (mscmine.batch.run not usable)"
                t = time.perf_counter()
                n_records = _own_pool(names, n, chunksize)
        else:
            n_records = _own_pool(names, n, chunksize)
        dt = time.perf_counter() - t
        out[n] = {"seconds": dt, "docs_s": len(paths) / dt, "records": n_records}
    return out


# =============================================================================================
# Time against input size (in this process: one text per size, made from the seeds)

REPEATED_FORMS = {  # short forms repeated (#17): each once took seconds per 10k characters
    "1×10^6/kg，": 4000,
    "SLEDAI评分由": 4000,
    "\n": 16000,
}


def seed_like_text(n_chars: int) -> str:
    """Seed variants one after another (their id lines and counts differ) up to `n_chars`."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    parts, size, k = [], 0, 0
    while size < n_chars:
        parts.append(text_variant(seeds[k % len(seeds)], k, "size"))
        size += len(parts[-1])
        k += 1
    return "".join(parts)[:n_chars]


def size_figures(sizes_mb: list[float]) -> list[dict]:
    """Seconds of `mscmine.extract(text)` for seed-like texts of `sizes_mb` million characters and
    for the repeated forms at 1× and 2× their length (linear time: twice the text, twice the time)."""
    import mscmine

    mscmine.extract("脐带间充质干细胞治疗16例系统性红斑狼疮患者。")
    out = []
    for mb in sizes_mb:
        text = seed_like_text(int(mb * 1_000_000))
        t = time.perf_counter()
        mscmine.extract(text)
        out.append({"input": f"seed-like text, {mb:g} M characters", "chars": len(text), "seconds": time.perf_counter() - t})
    for unit, n in REPEATED_FORMS.items():
        for times in (1, 2):
            text = unit * (n * times)
            t = time.perf_counter()
            mscmine.extract(text)
            out.append({"input": f"`{unit!r} * {n * times}`", "chars": len(text), "seconds": time.perf_counter() - t})
    return out


def size_section(rows: list[dict]) -> list[str]:
    L = ["## Time against input size", "",
         "`mscmine.extract(text)` on one text in this process; seed-like text is the seeds' variants one after another.",
         "Linear time: the rate (characters/s) holds as the text grows.", "",
         "| input | characters | seconds | characters/s |", "|---|---:|---:|---:|"]
    for r in rows:
        L.append(f"| {r['input']} | {r['chars']:,} | {r['seconds']:.2f} | {_fmt(r['chars'] / r['seconds'])} |")
    L.append("")
    return L


# =============================================================================================
# Report


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("mscmine", "jieba", "spacy", "pdfplumber", "pdfminer.six", "pypdfium2", "trafilatura", "regex"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "-"
    return out


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ok(flag: bool) -> str:
    return "**met**" if flag else "**missed**"


def _fmt(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def report(args, figs: list[Figure], info: dict, startup: dict, memory: dict, scaling: dict, elapsed: float,
           sizes: list[dict] = ()) -> tuple[str, dict]:
    by = {f.name: f for f in figs}
    jieba = by["baseline: jieba.lcut (text)"]
    plumber = by["baseline: pdfplumber page.extract_text()"]
    pdfium = by["baseline: pypdfium2 get_text_range()"]
    traf = by["baseline: trafilatura.extract()"]
    base = {"jieba": jieba, "pdfplumber": plumber, "trafilatura": traf}

    text_ratio = by["text to records: extract(load(path))"].chars_s / jieba.chars_s
    pdf_ratio = by["PDF to records: extract(load(path))"].pages_s / plumber.pages_s
    start = statistics_median(startup["extract"])
    peak = memory["peak_mb"]
    marks = memory["marks"]
    first, last = min(marks), max(marks)
    growth_mb = marks[last]["rss_mb"] - marks[first]["rss_mb"]
    growth = growth_mb / marks[first]["rss_mb"]
    flat = growth <= TARGETS["rss_growth"] or growth_mb <= 20
    speedup = scaling[2]["docs_s"] / scaling[1]["docs_s"] if 2 in scaling and 1 in scaling else float("nan")
    verdict = {
        "text_vs_jieba": (text_ratio, text_ratio >= TARGETS["text_vs_jieba"]),
        "pdf_vs_pdfplumber": (pdf_ratio, pdf_ratio >= TARGETS["pdf_vs_pdfplumber"]),
        "startup_s": (start, start < TARGETS["startup_s"]),
        "rss_mb": (peak, peak < TARGETS["rss_mb"]),
        "rss_flat": (growth, flat),
        "two_workers": (speedup, speedup >= TARGETS["two_workers"]),
    }

    cmd = "make bench" if not sys.argv[1:] else "python benchmarks/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    L = []
    L.append("# mscmine benchmarks")
    L.append("")
    L.append(f"Written by `benchmarks/run.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC in {elapsed:.0f} s"
             + (" — **smoke run: too few documents for the figures to mean anything**" if args.smoke else "") + ".")
    L.append("")
    L.append(f"- command: `{cmd}`")
    L.append(f"- machine: {_cpu()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}")
    L.append("- packages: " + ", ".join(f"{k} {v}" for k, v in _versions().items()))
    L.append(f"- corpus: {info['text_docs']} text documents per stage ({info['text_chars']:,} characters, {info['text_records']} records) "
             f"of {info['corpus_docs']} made from corpus/seeds; {info['pdf_docs']} PDFs ({info['pdf_pages']} pages: the 5 seeds in "
             f"{info['pdf_docs'] // 5 if info['pdf_docs'] >= 5 else 1} layouts); {info['html_docs']} HTML pages (journal and blog); "
             f"best of {args.rounds} alternating rounds")
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| target | measured | |")
    L.append("|---|---|---|")
    L.append(f"| text to records ≥ {TARGETS['text_vs_jieba']}× `jieba.lcut` (chars/s) | {text_ratio:.2f}× | {_ok(verdict['text_vs_jieba'][1])} |")
    L.append(f"| PDF to records ≥ {TARGETS['pdf_vs_pdfplumber']:g}× pdfplumber `extract_text()` (pages/s) | {pdf_ratio:.2f}× | {_ok(verdict['pdf_vs_pdfplumber'][1])} |")
    L.append(f"| start-up (import → first record) < {TARGETS['startup_s']} s | {start:.2f} s (median of {len(startup['extract'])}) | {_ok(verdict['startup_s'][1])} |")
    L.append(f"| peak RSS per worker < {TARGETS['rss_mb']:.0f} MB | {peak:.0f} MB | {_ok(verdict['rss_mb'][1])} |")
    L.append(f"| RSS flat from {first} to {last} documents | {marks[first]['rss_mb']:.0f} → {marks[last]['rss_mb']:.0f} MB ({growth:+.1%}) | {_ok(flat)} |")
    L.append(f"| 2 workers ≥ {TARGETS['two_workers']}× 1 worker (docs/s) | {speedup:.2f}× | {_ok(verdict['two_workers'][1])} |")
    L.append("")
    L.append("## Throughput per stage")
    L.append("")
    L.append("Ratio: the stage's throughput over its baseline's on the same inputs (characters/s for text and")
    L.append("HTML, pages/s for PDF); above 1 the stage is faster than the baseline.")
    L.append("")
    L.append("| stage | docs/s | chars/s | pages/s | ratio to baseline |")
    L.append("|---|---:|---:|---:|---|")
    for f in figs:
        ratio = ""
        if f.baseline:
            b = base[f.baseline]
            r = f.pages_s / b.pages_s if f.pages else f.chars_s / b.chars_s
            ratio = f"{r:.2f}× {f.baseline}"
            if f.pages:
                ratio += f", {f.pages_s / pdfium.pages_s:.3f}× pypdfium2"
        L.append(f"| {f.name} | {_fmt(f.docs_s)} | {_fmt(f.chars_s)} | {_fmt(f.pages_s) if f.pages else ''} | {ratio} |")
    L.append("")
    L.append("## Start-up")
    L.append("")
    L.append("Fresh interpreter each time (`python -c`), timed from before `import mscmine`:")
    L.append("")
    L.append(f"- to the first record, `mscmine.extract(mscmine.load(seed))`: {', '.join(f'{x:.2f}' for x in startup['extract'])} s "
             "(extraction does not use jieba or spaCy, so neither is imported)")
    if startup["nlp_no_cache"]:
        L.append(f"- to the first spaCy doc with entities, `mscmine.nlp()(text)` (spaCy import, pipeline, private jieba with the "
                 f"lexicon user words): {startup['nlp_no_cache'][0]:.2f} s without jieba's dictionary cache (fresh TMPDIR), "
                 f"{', '.join(f'{x:.2f}' for x in startup['nlp_cached'])} s with it")
    else:
        L.append("- to the first spaCy doc with entities: not measured in a smoke run")
    L.append("")
    L.append("## Memory")
    L.append("")
    L.append(f"One process reads {memory['docs']} documents (text; every 20th a PDF or an HTML page, in turn) one at a time and streams "
             f"{memory['records']} records to JSONL:")
    L.append("")
    w = memory.get("pdf_worker") or {}
    if w.get("documents"):
        L.append(f"PDFs are parsed in a forked worker process reused from document to document (the loader's time limit): "
                 f"{w['documents']} PDFs, {w['started']} worker(s) forked ({w['recycled']} replaced for their document count or "
                 f"memory). The worker's peak RSS was {w['peak_rss_mb']:.0f} MB, {w['growth_mb']:.0f} MB above its RSS at the fork "
                 "(it starts with its parent's pages, which count in both processes' RSS).")
    else:
        L.append(f"PDFs are parsed in forked child processes (the loader's time limit); the largest peaked at "
                 f"{memory['children_peak_mb']:.0f} MB.")
    L.append("")
    L.append("| after documents | RSS MB | peak RSS MB |")
    L.append("|---:|---:|---:|")
    for k in sorted(marks):
        L.append(f"| {k} | {marks[k]['rss_mb']:.0f} | {marks[k]['peak_mb']:.0f} |")
    L.append("")
    L.append("## Scaling")
    L.append("")
    L.append(f"{scaling['docs']} text documents end to end, {scaling['how']}, chunksize {scaling['chunksize']}, "
             f"records sent back to the parent and serialised there; wall time includes starting the workers.")
    L.append("")
    L.append("| workers | seconds | docs/s | speed-up |")
    L.append("|---:|---:|---:|---:|")
    for n in (1, 2):
        if n in scaling:
            L.append(f"| {n} | {scaling[n]['seconds']:.2f} | {_fmt(scaling[n]['docs_s'])} | {scaling[n]['docs_s'] / scaling[1]['docs_s']:.2f}× |")
    L.append("")
    if sizes:
        L += size_section(sizes)
    return "\n".join(L), verdict


def statistics_median(xs: list[float]) -> float:
    import statistics

    return statistics.median(xs)


def write_report(path: Path, text: str) -> None:
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old.split(NOTES_MARK, 1)[1]
    path.write_text(text + "\n" + NOTES_MARK + (notes if notes else "\n"), encoding="utf-8")


# =============================================================================================
# Command line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="a handful of documents, one round, one seed rendered, no spaCy start-up runs: checks that the benchmark runs")
    p.add_argument("--docs", type=int, default=1000, help="text documents made from the seeds (memory and scaling use all)")
    p.add_argument("--stage-docs", type=int, default=200, help="text documents timed per stage")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds per stage; the best is kept")
    p.add_argument("--startup-runs", type=int, default=5)
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="the report (default benchmarks/RESULTS.md)")
    p.add_argument("--work", type=Path, default=None, help="folder for the generated corpus (default: a temporary one)")
    p.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    p.add_argument("--sizes", type=lambda v: [float(x) for x in v.split(",")], default=[0.1, 1.0, 10.0],
                   help="seed-like text sizes timed, in million characters (comma-separated)")
    args = p.parse_args(argv)
    if args.smoke:
        args.docs, args.stage_docs, args.rounds, args.startup_runs, args.sizes = 10, 5, 1, 1, [0.01]
    args.stage_docs = min(args.stage_docs, args.docs)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mscmine-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        say = (lambda *a: None) if args.smoke else (lambda *a: print(*a, file=sys.stderr, flush=True))
        corpus = make_corpus(work, args.docs, pdf_layouts=1 if args.smoke else 3, seeds=None, rendered=1 if args.smoke else None)
        if args.smoke:
            corpus.pdf = corpus.pdf[:1]
            corpus.html = corpus.html[:2]
        say(f"corpus: {len(corpus.txt)} text, {len(corpus.pdf)} PDF, {len(corpus.html)} HTML in {work}")
        figs, info = stage_figures(corpus, args.rounds, args.stage_docs)
        info["corpus_docs"] = len(corpus.txt)
        say("stages done")
        startup = startup_figures(sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0], args.startup_runs, nlp=not args.smoke)
        say("start-up done")
        memory = memory_figures(corpus, work, args.docs)
        say("memory done")
        scaling = scaling_figures(corpus.txt)
        say("scaling done")
        sizes = size_figures(args.sizes)
        say("sizes done")
        text, verdict = report(args, figs, info, startup, memory, scaling, time.perf_counter() - started, sizes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_report(args.out, text)
    if args.json:
        args.json.write_text(json.dumps({
            "stages": [{"name": f.name, "seconds": f.seconds, "docs": f.docs, "chars": f.chars, "pages": f.pages, "baseline": f.baseline} for f in figs],
            "startup": startup, "memory": memory, "sizes": sizes, "scaling": {str(k): v for k, v in scaling.items()},
            "targets": {k: {"value": v, "met": ok} for k, (v, ok) in verdict.items()},
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.smoke:
        print(text)
    print(f"report written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
