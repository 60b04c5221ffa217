"""Batch extraction: many files through a process pool, results in input order, resumable output.

    from mscmine import batch
    report = batch.run(["corpus/"], workers=4, on_result=lambda r: print(r["path"], len(r["records"])))

The pieces, each usable alone:

- `collect_inputs(paths)`: files, folders (searched recursively for .pdf .html .htm .txt .md;
  hidden files and folders and folder READMEs left out) and globs → `Input`s in a stable order,
  each file once. A path that matches nothing becomes an `Input` that carries its error row.
- `process_file(path)`: one file → a plain dict ``{path, sha256, records, error, warnings,
  seconds}``. Only JSON-like values cross a process boundary; every exception becomes an error
  row naming the file, never a traceback.
- `iter_results(inputs, workers=N)`: a process pool (the "spawn" start method everywhere, so it
  behaves as on macOS and Windows; each worker warms the extractor once) fed in chunks, yielding
  results in input order. A worker that dies (a crash inside a parser library) costs only the
  file it was reading: the files in flight are retried one at a time and the culprit becomes an
  error row. ``workers=1`` runs in this process, without a pool.
- `run(paths, workers=N, on_result=f)`: collect + iterate + count (what benchmarks use).
- `extract_to(out, inputs, resume=...)`: what ``mscmine extract -o OUT`` does.

Files beside OUT:

- ``OUT.journal.jsonl``: one line per finished input, appended and flushed as each finishes:
  ``{"path", "sha256", "status": "ok"|"error", "error", "warnings", "records"}``. It is what
  ``--resume`` reads (an input that gave no records is remembered too), and OUT is rebuilt from
  it. A line cut short by a kill is ignored and cut off before appending. For each path the
  latest line counts, placed where the path first appeared, so a resumed run writes the same
  OUT as an uninterrupted one.
- ``OUT.errors.jsonl``: one line per failed input, ``{"path", "error", "message"}``; removed
  when nothing failed.
- OUT itself is only ever replaced whole (written to a temporary file, then renamed): at the end,
  when interrupted with Ctrl-C, and every so often during a long run (a checkpoint), so a killed
  run leaves the previous OUT or a checkpoint, never a torn file; ``--resume`` loses at most the
  files that were in flight.

Resume skips an input when the journal has a successful entry with the same content hash
(sha256 of the file's bytes) for the same path; a file that moved or was renamed since (its old
path no longer among the inputs) is matched by its hash alone. A file whose content changed is
read again and its new records replace the old ones. Failed inputs are always tried again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter, defaultdict, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .loaders import DEFAULT_MAX_BYTES, EXTENSIONS

log = logging.getLogger("mscmine")

#: time limit for reading one PDF, in seconds (see `mscmine.loaders.pdf`)
DEFAULT_TIMEOUT = 60.0
#: a test hook: after this many inputs are journaled the process kills itself (SIGKILL), as a
#: crash or `kill -9` would; used to test that `--resume` gives the uninterrupted output
KILL_AFTER_ENV = "MSCMINE_TEST_KILL_AFTER"
#: at least this many seconds between checkpoints of OUT during a run
CHECKPOINT_SECONDS = 60.0

_WARMUP_TEXT = "纳入10例系统性红斑狼疮患者,经静脉输注脐带间充质干细胞1×10^6/kg,随访6个月。"


# -- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One input of a batch: a file path, or a path that matched nothing (`error` is its error row)."""

    path: str
    error: dict | None = None


def error_row(path: str, error: str, message: str) -> dict:
    """The error report's row: the file, the error type, a message that names the file."""
    return {"path": path, "error": error, "message": message}


def _is_article(p: Path) -> bool:
    return p.suffix.lower() in EXTENSIONS and not p.name.startswith(".") and not p.stem.upper().startswith("README")


def _walk(folder: Path) -> list[Path]:
    """Article files under `folder`, recursively, in path order; hidden folders (.git) left out."""
    found: list[Path] = []
    other: Counter = Counter()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            f = Path(dirpath) / name
            if _is_article(f):
                found.append(f)
            elif not name.startswith(".") and not f.stem.upper().startswith("README"):
                other[f.suffix.lower() or "(no extension)"] += 1
    if other:
        kinds = ", ".join(f"{ext} {n}" for ext, n in sorted(other.items()))
        log.info("%s: %d files skipped, not .pdf/.html/.htm/.txt/.md (%s)", folder, sum(other.values()), kinds)
    return sorted(found, key=lambda p: p.parts)


def collect_inputs(paths: Iterable[str | os.PathLike]) -> list[Input]:
    """Files, folders and globs → `Input`s: folder contents in path order, each file once.

    A file named explicitly is taken whatever its extension (the loader says what is wrong with
    it); folders and globs give only .pdf .html .htm .txt .md files. A path or glob that matches
    nothing becomes an `Input` with an error row.
    """
    inputs: list[Input] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.realpath(p)
        if key in seen:
            log.info("%s: listed more than once; read once", p)
            return
        seen.add(key)
        inputs.append(Input(str(p)))

    for raw in paths:
        name = os.fspath(raw)
        p = Path(name)
        if p.is_dir():
            files = _walk(p)
            if not files:
                log.warning("warning: %s: no .pdf, .html, .htm, .txt or .md files in this folder", name)
            for f in files:
                add(f)
        elif p.exists():
            add(p)
        elif any(c in name for c in "*?["):
            matched = sorted(glob(name, recursive=True))
            if not matched:
                inputs.append(Input(name, error_row(name, "FileMissingError", f"{name}: no file or folder matches this pattern")))
            for m in matched:
                mp = Path(m)
                if mp.is_dir():
                    for f in _walk(mp):
                        add(f)
                elif _is_article(mp):
                    add(mp)
                else:
                    log.info("%s: skipped, not .pdf/.html/.htm/.txt/.md (matched by %s)", mp, name)
        else:
            inputs.append(Input(name, error_row(name, "FileMissingError", f"{name}: no such file or folder")))
    _warn_shared_doc_ids(inputs)
    return inputs


def _warn_shared_doc_ids(inputs: list[Input]) -> None:
    by_stem: dict[str, list[str]] = defaultdict(list)
    for it in inputs:
        if it.error is None:
            by_stem[Path(it.path).stem].append(it.path)
    for stem, paths in by_stem.items():
        if len(paths) > 1:
            shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
            log.warning("warning: %d inputs share the doc_id %r (%s): their record_ids repeat; tell them apart by source",
                        len(paths), stem, shown)


def file_sha256(path: str | os.PathLike) -> str:
    """The sha256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- one file ----------------------------------------------------------------------------------


def _result(path: str, error: dict | None = None) -> dict:
    return {"path": path, "sha256": None, "records": [], "error": error, "warnings": [], "seconds": 0.0}


def process_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = DEFAULT_TIMEOUT) -> dict:
    """Read and extract one file: ``{path, sha256, records, error, warnings, seconds}``, plain values only.

    Each record gets ``source_sha256``, the hash of the bytes it came from. Any exception becomes
    ``error`` (an error row naming the file); `records` is then empty.
    """
    from .core import extract_file
    from .errors import MscmineError

    started = time.perf_counter()
    result = _result(path)
    try:
        extraction = extract_file(path, max_bytes=max_bytes, timeout=timeout)
        digest = file_sha256(path)
        records = extraction.record_dicts()
        for r in records:
            r["source_sha256"] = digest
        result.update(sha256=digest, records=records,
                      warnings=[str(w) for w in extraction.doc.meta.get("warnings") or []])
    except MscmineError as exc:
        result["error"] = error_row(path, type(exc).__name__, str(exc))
    except OSError as exc:
        result["error"] = error_row(path, type(exc).__name__, f"{path}: cannot read the file: {exc.strerror or exc}")
    except Exception as exc:  # a bug must cost one file, not the batch
        result["error"] = error_row(path, type(exc).__name__,
                                    f"{path}: unexpected error ({type(exc).__name__}: {exc}); please report it with this file")
    result["seconds"] = round(time.perf_counter() - started, 4)
    return result


def _crashed(path: str) -> dict:
    return _result(path, error_row(
        path, "WorkerCrashError",
        f"{path}: the worker process died while reading this file (a crash inside a parser library); "
        "the file is probably damaged, try re-saving it"))


# -- the pool ----------------------------------------------------------------------------------

_worker_options: dict[str, Any] = {}


def _init_worker(options: dict, parent_pid: int | None = None) -> None:
    """Runs once in each worker: Ctrl-C is the parent's to handle; die with the parent; compile the extractor once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_pid is not None:
        _exit_with_parent(parent_pid)
    _worker_options.clear()
    _worker_options.update(options)
    from .core import extract_document
    from .document import Document

    extract_document(Document.from_text(_WARMUP_TEXT))


def _exit_with_parent(parent_pid: int) -> None:
    """A worker must not outlive a parent killed with SIGKILL: an idle worker would wait forever.

    Linux: the kernel kills the worker when its parent dies (PR_SET_PDEATHSIG). Elsewhere a
    daemon thread checks the parent once a second.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0:  # 1 = PR_SET_PDEATHSIG
                if os.getppid() != parent_pid:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    import threading

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="mscmine-parent-watch", daemon=True).start()


def _process_chunk(paths: list[str]) -> list[dict]:
    return [process_file(p, **_worker_options) for p in paths]


def default_workers() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def iter_results(inputs: Iterable[Input | str | os.PathLike], *, workers: int | None = None, chunksize: int | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = DEFAULT_TIMEOUT,
                 mp_context: str | None = "spawn") -> Iterator[dict]:
    """One result dict per input (see `process_file`), in input order.

    `workers` processes (default: the CPUs available; never more than the files); 1 runs here,
    without a pool. Files go to the workers in chunks of `chunksize` (default: small enough to
    keep every worker busy and the progress smooth).
    """
    items = [it if isinstance(it, Input) else Input(os.fspath(it)) for it in inputs]
    options = {"max_bytes": max_bytes, "timeout": timeout}
    workers = default_workers() if workers is None else int(workers)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    n_files = sum(1 for it in items if it.error is None)
    workers = min(workers, n_files)
    if workers <= 1:
        for it in items:
            yield _result(it.path, it.error) if it.error else process_file(it.path, **options)
        return
    size = chunksize or max(1, min(16, n_files // (workers * 8)))
    yield from _pool_results(items, workers, size, options, mp_context)


def _chunks(items: list[Input], size: int) -> Iterator[list[Input]]:
    chunk: list[Input] = []
    for it in items:
        if it.error is not None:
            if chunk:
                yield chunk
                chunk = []
            yield [it]
            continue
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pool_results(items: list[Input], workers: int, size: int, options: dict, mp_context: str | None) -> Iterator[dict]:
    ctx = multiprocessing.get_context(mp_context) if mp_context else None

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(options, os.getpid()))

    queue: deque[tuple[list[Input], bool]] = deque((c, False) for c in _chunks(items, size))
    pending: deque[tuple[list[Input], Any, bool]] = deque()  # (chunk, future or None, run alone?)
    window = workers * 4
    crashes_in_a_row = 0
    executor = start()
    finished = False
    try:
        while queue or pending:
            while queue and len(pending) < window and not any(alone for _, _, alone in pending):
                chunk, alone = queue[0]
                if chunk[0].error is not None:  # a path that matched nothing: its row is ready
                    queue.popleft()
                    pending.append((chunk, None, False))
                    continue
                if alone and pending:
                    break  # a suspect runs by itself, once the chunks ahead are done
                queue.popleft()
                try:
                    future = executor.submit(_process_chunk, [it.path for it in chunk])
                except BrokenProcessPool as exc:  # a worker died since the last result: handled below
                    future = Future()
                    future.set_exception(exc)
                pending.append((chunk, future, alone))
            chunk, future, alone = pending[0]
            if future is None:
                pending.popleft()
                yield _result(chunk[0].path, chunk[0].error)
                continue
            try:
                results = future.result()
            except BrokenProcessPool:
                _stop(executor, kill=True)
                executor = start()
                if alone:  # it died by itself: this file kills its worker
                    pending.popleft()
                    crashes_in_a_row += 1
                    if crashes_in_a_row >= 3:
                        _check_pool_starts(start)
                    yield _crashed(chunk[0].path)
                    continue
                # some file in flight killed its worker: retry them one at a time to find it
                retry = [([it], it.error is None) for c, _, _ in pending for it in c]
                pending.clear()
                queue.extendleft(reversed(retry))
                continue
            pending.popleft()
            crashes_in_a_row = 0
            yield from results
        finished = True
    finally:
        _stop(executor, kill=not finished)


def _check_pool_starts(start: Callable[[], ProcessPoolExecutor]) -> None:
    """After several crashes in a row: make sure workers can start at all (else every file would 'crash')."""
    probe = start()
    try:
        probe.submit(_process_chunk, []).result()
    except BrokenProcessPool:
        raise RuntimeError("mscmine worker processes die as they start; run with --workers 1 to see why") from None
    finally:
        _stop(probe, kill=False)


def _stop(executor: ProcessPoolExecutor, kill: bool) -> None:
    if kill:
        for proc in list((getattr(executor, "_processes", None) or {}).values()):
            try:
                proc.terminate()
            except Exception:  # already gone
                pass
    executor.shutdown(wait=not kill, cancel_futures=True)


# -- run: for benchmarks and the API -------------------------------------------------------------


@dataclass
class BatchReport:
    """What a batch did: counts, error rows, and (without `on_result`) every result."""

    files: int = 0
    failed: int = 0
    records: int = 0
    seconds: float = 0.0
    workers: int = 1
    errors: list[dict] = field(default_factory=list)
    results: list[dict] | None = None

    @property
    def read(self) -> int:
        return self.files - self.failed


def run(paths: Iterable[str | os.PathLike | Input], *, workers: int | None = None,
        on_result: Callable[[dict], None] | None = None, chunksize: int | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = DEFAULT_TIMEOUT,
        mp_context: str | None = "spawn") -> BatchReport:
    """Extract from files, folders and globs with `workers` processes.

    `on_result` is called with each result (see `process_file`) in input order, as it comes;
    without it the results are kept in ``report.results``.
    """
    given = list(paths)
    if not any(isinstance(p, Input) for p in given):
        inputs = collect_inputs(given)  # type: ignore[arg-type]
    else:
        inputs = []
        for p in given:
            inputs.extend([p] if isinstance(p, Input) else collect_inputs([p]))
    n_workers = default_workers() if workers is None else workers
    report = BatchReport(workers=max(1, min(n_workers, sum(1 for it in inputs if it.error is None))))
    if on_result is None:
        report.results = []
    started = time.perf_counter()
    for res in iter_results(inputs, workers=n_workers, chunksize=chunksize, max_bytes=max_bytes, timeout=timeout,
                            mp_context=mp_context):
        report.files += 1
        report.records += len(res["records"])
        if res["error"]:
            report.failed += 1
            report.errors.append(res["error"])
        if on_result is not None:
            on_result(res)
        else:
            report.results.append(res)  # type: ignore[union-attr]
    report.seconds = time.perf_counter() - started
    return report


# -- the journal ---------------------------------------------------------------------------------


@dataclass
class JournalEntry:
    """One journal line, without its records (they are read back by `offset` when OUT is built)."""

    offset: int
    path: str
    sha256: str | None
    status: str
    n_records: int
    error: dict | None


def journal_path(out: str | os.PathLike) -> Path:
    return Path(str(out) + ".journal.jsonl")


def errors_path(out: str | os.PathLike) -> Path:
    return Path(str(out) + ".errors.jsonl")


def scan_journal(path: Path) -> tuple[list[JournalEntry], int]:
    """The journal's complete entries and the length in bytes of its intact part (a torn last line is left out)."""
    entries: list[JournalEntry] = []
    good = 0
    if not path.exists():
        return entries, 0
    with open(path, "rb") as fh:
        offset = 0
        for line in fh:
            if not line.endswith(b"\n"):
                break  # cut short by a kill
            try:
                e = json.loads(line)
                entry = JournalEntry(offset, e["path"], e.get("sha256"), e["status"], len(e.get("records") or []), e.get("error"))
            except (ValueError, KeyError, TypeError):
                log.warning("warning: %s: a damaged line at byte %d and everything after it are ignored", path, offset)
                break
            entries.append(entry)
            offset += len(line)
            good = offset
    return entries, good


def _journal_line(res: dict) -> str:
    entry = {"path": res["path"], "sha256": res.get("sha256"), "status": "error" if res.get("error") else "ok",
             "error": res.get("error"), "warnings": res.get("warnings") or [], "records": res.get("records") or []}
    return json.dumps(entry, ensure_ascii=False) + "\n"


def current_entries(entries: list[JournalEntry]) -> list[JournalEntry]:
    """For each path its latest entry, in the order the paths first appeared."""
    first: dict[str, int] = {}
    latest: dict[str, JournalEntry] = {}
    for i, e in enumerate(entries):
        first.setdefault(e.path, i)
        latest[e.path] = e
    return sorted(latest.values(), key=lambda e: first[e.path])


def plan_resume(inputs: list[Input], entries: list[JournalEntry],
                sha256: Callable[[str], str] = file_sha256) -> tuple[list[Input], list[tuple[Input, str]]]:
    """(inputs to read, [(input skipped, why)]) given what the journal already holds."""
    done = [e for e in current_entries(entries) if e.status == "ok" and e.sha256]
    by_path = {e.path: e for e in done}
    current = {it.path for it in inputs}
    moved: dict[str, deque[str]] = defaultdict(deque)  # hash → journal paths no longer among the inputs
    for e in done:
        if e.path not in current:
            moved[e.sha256].append(e.path)  # type: ignore[index]
    todo: list[Input] = []
    skipped: list[tuple[Input, str]] = []
    for it in inputs:
        if it.error is not None or (it.path not in by_path and not moved):
            todo.append(it)
            continue
        try:
            digest = sha256(it.path)
        except OSError:
            todo.append(it)  # the reader will say what is wrong
            continue
        old = by_path.get(it.path)
        if old is not None:
            if old.sha256 == digest:
                skipped.append((it, "already in the output"))
            else:
                log.info("%s: changed since it was read; reading it again (its new records replace the old)", it.path)
                todo.append(it)
        elif moved.get(digest):
            skipped.append((it, f"already in the output as {moved[digest].popleft()} (same content)"))
        else:
            todo.append(it)
    return todo, skipped


def _bootstrap_journal(out: Path, journal: Path) -> bool:
    """A journal rebuilt from a JSONL OUT whose journal is gone (records carry source and source_sha256)."""
    from .writers import read_records

    try:
        records = read_records(out)
    except (OSError, ValueError):
        return False
    groups: list[tuple[tuple[str, str | None], list[dict]]] = []
    for r in records:
        key = (str(r.get("source")), r.get("source_sha256"))
        if groups and groups[-1][0] == key:
            groups[-1][1].append(r)
        else:
            groups.append((key, [r]))
    with open(journal, "w", encoding="utf-8") as fh:
        for (path, digest), recs in groups:
            fh.write(_journal_line({"path": path, "sha256": digest, "records": recs}))
    return True


def rebuild_output(out: str | os.PathLike, journal: Path) -> tuple[int, list[dict]]:
    """Write OUT (atomically) and OUT.errors.jsonl from the journal: (records written, error rows)."""
    from .writers import write_atomic_lines, write_records

    current = current_entries(scan_journal(journal)[0])

    def records() -> Iterator[dict]:
        with open(journal, "rb") as fh:
            for e in current:
                if e.status == "ok" and e.n_records:
                    fh.seek(e.offset)
                    yield from json.loads(fh.readline())["records"]

    n = write_records(records(), out)
    errors = [e.error or error_row(e.path, "Error", f"{e.path}: failed") for e in current if e.status != "ok"]
    err = errors_path(out)
    if errors:
        write_atomic_lines((json.dumps(e, ensure_ascii=False) for e in errors), err)
    elif err.exists():
        err.unlink()
    return n, errors


# -- extract_to: mscmine extract -------------------------------------------------------------------


@dataclass
class ExtractSummary:
    """What `extract_to` did."""

    inputs: int = 0
    read: int = 0
    failed: int = 0
    skipped: int = 0
    new_records: int = 0
    records: int = 0
    errors: list[dict] = field(default_factory=list)  # this run's failures
    errors_path: Path | None = None
    interrupted: bool = False


def _kill_after() -> int:
    try:
        return int(os.environ.get(KILL_AFTER_ENV, "0") or 0)
    except ValueError:
        return 0


def _die() -> None:  # pragma: no cover - the process ends here
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)


def extract_to(out: str | os.PathLike, inputs: list[Input], *, resume: bool = False, workers: int | None = None,
               chunksize: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = DEFAULT_TIMEOUT,
               on_start: Callable[[int, list[tuple[Input, str]]], None] | None = None,
               on_result: Callable[[dict], None] | None = None, stream=None,
               checkpoint_seconds: float = CHECKPOINT_SECONDS, mp_context: str | None = "spawn") -> ExtractSummary:
    """Extract `inputs` into OUT (.jsonl .csv .parquet .xlsx, or "-" for JSONL on `stream`).

    `on_start(n_to_read, skipped)` is called once the inputs to read are known; `on_result(result)`
    after each input. Raises ValueError for an output format mscmine does not write. A
    KeyboardInterrupt stops the workers, writes OUT from what is done and sets ``interrupted``.
    """
    from .writers import output_format

    output_format(out)
    summary = ExtractSummary(inputs=len(inputs))
    options = dict(workers=workers, chunksize=chunksize, max_bytes=max_bytes, timeout=timeout, mp_context=mp_context)

    def count(res: dict) -> None:
        if res["error"]:
            summary.failed += 1
            summary.errors.append(res["error"])
        else:
            summary.read += 1
        summary.new_records += len(res["records"])

    if str(out) == "-":
        stream = stream or sys.stdout
        if on_start:
            on_start(len(inputs), [])
        try:
            for res in iter_results(inputs, **options):
                for r in res["records"]:
                    stream.write(json.dumps(r, ensure_ascii=False) + "\n")
                stream.flush()
                count(res)
                if on_result:
                    on_result(res)
        except KeyboardInterrupt:
            summary.interrupted = True
        summary.records = summary.new_records
        return summary

    out = Path(out)
    if out.is_dir():
        raise ValueError(f"{out} is a folder; give a file name such as {out / 'records.jsonl'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    journal = journal_path(out)
    todo, skipped = list(inputs), []
    if resume:
        if not journal.exists() and out.exists():
            if out.suffix.lower() == ".jsonl" and _bootstrap_journal(out, journal):
                log.info("%s: no journal beside it; resuming from the records in it", out)
            else:
                log.warning("warning: %s: cannot resume, %s is missing; reading every input again", out, journal.name)
        entries, good = scan_journal(journal)
        if journal.exists() and good < journal.stat().st_size:
            with open(journal, "r+b") as fh:  # drop the line a kill cut short
                fh.truncate(good)
        todo, skipped = plan_resume(inputs, entries)
        mode = "a"
    else:
        mode = "w"
    summary.skipped = len(skipped)
    if on_start:
        on_start(len(todo), skipped)

    kill_after = _kill_after()
    done = 0
    last_checkpoint = time.monotonic()
    checkpoint_cost = 0.0
    with open(journal, mode, encoding="utf-8") as fh:
        try:
            for res in iter_results(todo, **options):
                fh.write(_journal_line(res))
                fh.flush()
                count(res)
                done += 1
                if on_result:
                    on_result(res)
                if kill_after and done >= kill_after:
                    _die()
                if time.monotonic() - last_checkpoint > max(checkpoint_seconds, 10 * checkpoint_cost):
                    t0 = time.monotonic()
                    os.fsync(fh.fileno())
                    rebuild_output(out, journal)
                    last_checkpoint = time.monotonic()
                    checkpoint_cost = last_checkpoint - t0
        except KeyboardInterrupt:
            summary.interrupted = True
        fh.flush()
        os.fsync(fh.fileno())
    summary.records, all_errors = rebuild_output(out, journal)
    summary.errors_path = errors_path(out) if all_errors else None
    return summary
