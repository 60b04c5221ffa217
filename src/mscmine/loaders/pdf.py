"""PDF files: text in reading order, superscripts kept, tables, pages and metadata.

pdfplumber's own `extract_text()` is not used: it flattens superscripts ("1×10⁶" → "1×106"),
interleaves two columns and puts spaces between Chinese characters of justified lines
(jsvine/pdfplumber #730, #205, #987). The text is rebuilt here from the characters:

1. checks with pypdfium2 (fast): header and end-of-file marker, password, page count, whether
   any page has a text layer, the document information dictionary;
2. per page with pypdfium2 (the main road): characters placed in the media box (sizes and
   Latin widths through each text object's matrix; Kangxi radicals and compatibility forms
   read as their ideographs; fake-bold duplicates removed), horizontal rules, the objects of
   form XObjects, and ruled tables from pdfplumber's table finder run on the edges of PDFium's
   paths. pdfplumber reads only the pages PDFium cannot serve (characters without a Unicode
   mapping, a rotated page, an encrypted file); of those, pages where pdfminer cannot map most
   characters, or reads a Chinese font's GB2312 bytes as Latin-1, are read with pypdfium2
   after all. Third-party warnings go to ``meta["warnings"]``, never to stderr. A page written
   in vertical columns is read column by column (`is_vertical`);
3. lines: characters clustered by vertical centre; a small character whose bottom sits clearly
   above the line's is raised: after "10" it is an exponent (``10^7``), a number or a
   bracketed number list is a citation (``[12]``). Spaces: the PDF's own space glyphs, or a
   gap clearly wider than the line's usual letter spacing (never between two Chinese
   characters of a justified line);
4. running headers and footers: lines at the top or bottom of a page whose text (digits
   ignored) repeats on most pages, lines cut off by a wide rule near the top or bottom edge,
   and bare page numbers there, are dropped;
5. tables: ruled tables from pdfplumber; three-line tables from groups of horizontal rules of
   the same width with column-structured text between them; the caption is the "表 N" line
   above. Each table becomes one block of text: caption line, then one line per row with cells
   separated by two spaces;
6. columns: a page has two columns when a vertical gutter near the middle separates at least
   three pairs of side-by-side lines; full-width lines (title, abstract, wide tables) split
   the page into bands, each read left column first;
7. paragraphs: a line continues the previous one unless the previous stops short (with room
   for this line's first word), the line is indented after a sentence end, starts a list item
   or the next reference, or the line spacing or font size changes; hard wraps are joined
   (with a space only between Latin words), paragraphs are separated by a blank line.

The whole parse runs under a time limit (`timeout` seconds): in a forked worker process,
reused from document to document and killed when time is up (`shutdown_worker()` stops it,
`worker_stats()` says what it did); it is forked only while the caller has a single thread,
and once it exists any thread may use it, one document at a time. Otherwise (other threads and
no worker yet, or the worker busy with another thread's document): under SIGALRM in the main
thread, or in a daemon thread the caller stops waiting for. A file that makes pdfminer loop
cannot hang the caller (jsvine/pdfplumber #681).
"""

from __future__ import annotations

import atexit
import gc
import io
import logging
import math
import multiprocessing
import os
import re
import signal
import statistics
import sys
import threading
import time
import warnings as _warnings
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from contextlib import contextmanager
from operator import attrgetter
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import errors as _errors
from ..document import Document, Page, Table
from ..errors import (
    EncryptedPdfError,
    LoadTimeoutError,
    MscmineError,
    NoTextLayerError,
    PdfError,
    TruncatedPdfError,
)

# --- tuning (all as a fraction of the font size of the line concerned) --------------------------
SUP_SIZE_RATIO = 0.85  # a superscript is smaller than this share of the line's main size ...
SUP_RAISE = 0.2  # ... and its bottom sits at least this far above the line's bottom
CLUSTER_GAP = 0.3  # characters whose centres differ by less than this are on one line
SEGMENT_GAP = 1.2  # a horizontal gap this wide splits a line into segments (columns, cells)
CELL_GAP = 0.9  # a gap this wide through all rows of a table separates two columns
LATIN_SPACE_GAP = 0.2  # a gap this much wider than the line's usual one, not between two Han, is a space
ANY_SPACE_GAP = 0.9  # half the extra gap that makes a space between two Chinese characters
MIN_GUTTER_PAIRS = 3  # side-by-side line pairs needed to call a page two-column
FURNITURE_ZONE = 0.12  # share of the page height at top and bottom where headers/footers live
FURNITURE_SHARE = 0.4  # a header/footer repeats on at least this share of pages (and twice)
CID_FAIL_SHARE = 0.9  # above this share of unmapped characters the text layer is unusable

_CID = re.compile(r"^\(cid:\d+\)$")
_CITATION_SUP = re.compile(r"^\[?\s*(\d{1,3}(?:\s*[-–—~,，、]\s*\d{1,3})*)\s*\]?$")
_EXPONENT_BEFORE = re.compile(r"(?:^|[^\d.])10$")
_UNIT_BEFORE = re.compile(r"(?:^|[^A-Za-z])(?:[mkcdμµu]?m|[mkcdμµu]?g|s|L|mL|min|h)$")  # kg/m², mm³, s⁻¹
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—·•\s]*\d{1,4}[-–—·•\s]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)
_CAPTION = re.compile(r"^(?:续?表\s*\d|Table\s*\d|Tab\.\s*\d)", re.I)
_SENTENCE_END = set("。！？!?；;：:.")
_LIST_MARKER = re.compile(r"^(?:[•●▪■◆◇○□►▶✓※]|[①-⑳]|[（(]?\d{1,2}[)）]|[（(][一二三四五六七八九十]+[)）])")
_DOI = re.compile(r"\b10\.\d{4,9}/[-._;()/:A-Za-z0-9<>]+[A-Za-z0-9]")
_LATIN_JOIN_END = re.compile(r"[A-Za-z0-9,.;:!?)\]%\"'”’]$")
_LATIN_JOIN_START = re.compile(r"^[A-Za-z0-9(\[\"'“‘]")
# compiled here rather than through `re`'s cache: the parse runs in a forked child, and a
# cache filled there is lost with it (each document would compile them again)
_WHITESPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_SMALL_INT = re.compile(r"[-−–]?\d{1,2}")
_GENERIC_TITLE = re.compile(r"^(?:untitled|microsoft word|document\d*\b)|\.(?:docx?|pdf|tex|indd|qxd)$", re.I)
_TITLE_WORDS = re.compile(r"[\u4e00-\u9fff]{2}|[A-Za-z]{3,}\s+[A-Za-z]{2,}")


# =============================================================================================
# Entry point and time limit

#: a PDF worker process parses at most this many documents; the next one gets a fresh worker
WORKER_MAX_DOCS = 250
#: ... and is replaced sooner once its peak RSS has grown by this many MB since the fork (its RSS
#: starts at about the parent's: the pages it shares with the parent count); memory stays flat
WORKER_MAX_GROWTH_MB = 200.0
#: how often (seconds) an idle worker checks that the process that forked it is still there
_IDLE_CHECK = 1.0


def load_pdf(data: bytes, path: str, doc_id: str, timeout: float | None) -> Document:
    """Read a PDF's bytes into a `Document`; `timeout` (seconds) bounds the whole parse."""
    if timeout is not None and timeout > 0:
        _prepare_parent()
    return _call_with_time_limit(_load, (data, path, doc_id), timeout, path)


def _prepare_parent() -> None:
    """Import pypdfium2 here, before the worker is forked: a module the worker imports itself is
    imported again by every fresh worker. pdfplumber (pdfminer) is left to the worker: it is
    needed only for the pages PDFium cannot read, and costs more to import."""
    import pypdfium2  # noqa: F401
    import pypdfium2.raw  # noqa: F401

    "".encode("utf-16-le")  # the codec PDFium's text comes in (looked up once per process)


def _load(data: bytes, path: str, doc_id: str) -> Document:
    _check_bytes(data, path)
    heard: Counter = Counter()
    with _quiet(heard):
        info = _inspect(data, path)
        try:
            doc = _parse(data, path, doc_id, info)
        finally:
            info.close()
    if heard:
        doc.meta.setdefault("warnings", []).extend(_heard_warnings(heard))
    return doc


def _timeout_error(timeout: float, path: str) -> LoadTimeoutError:
    return LoadTimeoutError(
        f"reading the PDF took longer than {timeout:g} s and was stopped; the file may be damaged "
        "(try re-saving it) or very large (raise the timeout)",
        path,
    )


def _crash_error(code: int | None, path: str) -> PdfError:
    return PdfError(
        f"the PDF parser stopped abnormally (exit code {code}); the file is probably damaged, try re-saving it",
        path,
    )


def _call_with_time_limit(func: Callable[..., Document], args: tuple, timeout: float | None, path: str) -> Document:
    """Run `func(*args)` under the time limit: in the PDF worker process when there is one or it
    can be forked; else under SIGALRM (main thread) or in a thread the caller stops waiting for."""
    if timeout is None or timeout <= 0:
        return func(*args)
    if _CAN_FORK and globals().get(getattr(func, "__name__", "")) is func and _STATE.lock.acquire(blocking=False):
        # the worker serves one call at a time: a call from another thread while it is busy
        # does not queue behind that document (its own time limit would then include the wait)
        # but takes the fallback below
        try:
            for _ in range(2):  # a second worker if the first was found dead when sent the file
                worker = _ready_worker()
                if worker is None:
                    break
                try:
                    return _run_in_worker(worker, func.__name__, args, timeout, path)
                except _WorkerGone:
                    continue
            else:
                raise _crash_error(None, path)
        finally:
            _STATE.lock.release()
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _with_alarm(func, args, timeout, path)
    return _in_thread(func, args, timeout, path)


# --- the PDF worker process ------------------------------------------------------------------
#
# One forked process per process that reads PDFs, reused from document to document: it
# receives (function name, arguments, time limit) over a socket pair and sends the result back.
# The parent waits at most `timeout` for the answer; when time is up, or the worker dies (a
# crash in C code, `os._exit`, EOF on the socket), the worker is killed and reaped, the caller
# gets LoadTimeoutError or PdfError, and the next document gets a fresh worker. A fresh worker
# is forked only when the calling process has a single thread (forking a threaded process can
# copy a lock held by another thread); once it exists, any thread may use it, one at a time.
#
# Isolation kept from the fork per document: the parse still runs in another process, so a
# hang or a crash inside PDFium or pdfminer cannot take the caller down. Shared between
# documents now: the worker's memory (replaced every WORKER_MAX_DOCS documents or when its
# peak RSS has grown by WORKER_MAX_GROWTH_MB) and the module as it was at the fork. The worker sees
# what the module's globals were when it was forked; when any of them has been replaced since
# (a test's monkeypatch of `_parse`, say), it is replaced before the next document.
#
# A worker that dies while idle (killed from outside) stays a zombie until the next document
# or the exit, which reap it; a document sent to a worker found dead then goes to a fresh one.
#
# The worker dies with its parent: an idle worker reads EOF when the parent's end of the
# socket closes (and checks the parent's pid every second, in case another process inherited
# that end); a busy one has its own deadline (SIGALRM, default action: exit) of twice the time
# limit plus 5 s; `atexit` stops it on a normal exit, and a process forked from the parent
# forgets the parent's worker (`os.register_at_fork`).

_CAN_FORK = hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


class _Worker:
    __slots__ = ("pid", "conn", "owner", "globals", "docs", "reaped")

    def __init__(self, pid: int, conn, owner: int, snapshot: list) -> None:
        self.pid = pid
        self.conn = conn
        self.owner = owner  # the process that forked it
        self.globals = snapshot  # the module's global values at the fork
        self.docs = 0
        self.reaped = False  # waited for: its pid may belong to another process by now


class _State:
    """The module's worker state, in one object so the module's own globals never change."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worker: _Worker | None = None
        self.started = 0  # workers forked by this process
        self.documents = 0  # documents they parsed
        self.recycled = 0  # workers replaced for their document count or memory
        self.peak_rss_mb = 0.0  # the largest peak RSS a worker reported
        self.growth_mb = 0.0  # the most a worker's peak RSS grew after its fork


_STATE = _State()


def shutdown_worker() -> None:
    """Stop this process's PDF worker, if it has one (it is forked again when needed).

    Called at exit. Waits (up to 10 s) for a document another thread is reading in it.
    """
    locked = _STATE.lock.acquire(timeout=10)
    try:
        w = _STATE.worker
        if w is not None:
            if w.owner == os.getpid():
                _discard(w)
            else:
                _STATE.worker = None
    finally:
        if locked:
            _STATE.lock.release()


def worker_stats() -> dict[str, Any]:
    """What this process's PDF workers did: workers forked, documents parsed, workers replaced
    (document count or memory), the largest peak RSS (MB) a worker reported and the most one
    grew after its fork, the current worker's pid."""
    w = _STATE.worker
    return {
        "started": _STATE.started,
        "documents": _STATE.documents,
        "recycled": _STATE.recycled,
        "peak_rss_mb": _STATE.peak_rss_mb,
        "growth_mb": _STATE.growth_mb,
        "pid": w.pid if w is not None and w.owner == os.getpid() else None,
    }


def _module_values() -> list:
    return list(globals().values())


def _stale(w: _Worker) -> bool:
    """Has any of the module's globals been replaced (or added) since `w` was forked?"""
    now = globals()
    if len(now) != len(w.globals):
        return True
    for a, b in zip(now.values(), w.globals):
        if a is not b:
            return True
    return False


def _ready_worker() -> _Worker | None:
    """The worker to use (forked if needed and safe), or None for the fallbacks. Lock held."""
    w = _STATE.worker
    if w is not None:
        if w.owner != os.getpid():  # inherited through a fork of the user's own (see _forget_worker)
            _STATE.worker = w = None
        elif _stale(w) or _reap(w, block=False) is not _ALIVE:
            _discard(w)
            w = None
    if w is None and threading.active_count() == 1:
        w = _start_worker()
    return w


def _start_worker() -> _Worker:
    from multiprocessing.connection import Pipe

    _prepare_parent()
    snapshot = _module_values()
    here, there = Pipe(duplex=True)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the worker process
        code = 0
        try:
            here.close()
            _serve(there, parent)
        except BaseException:  # noqa: BLE001 - the worker never returns into the caller's code
            code = 70
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    there.close()
    w = _STATE.worker = _Worker(pid, here, parent, snapshot)
    _STATE.started += 1
    return w


def _serve(conn, parent: int) -> None:  # pragma: no cover - runs in the worker process
    # the parent's objects go to the collector's permanent generation: a collection in the
    # worker then looks at the worker's own objects only, instead of walking (and so copying,
    # page by page) everything the parent holds
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for sig in (signal.SIGTERM, signal.SIGALRM):
        signal.signal(sig, signal.SIG_DFL)
    import resource

    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0  # ru_maxrss: bytes on macOS, KiB elsewhere
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    while True:
        while not conn.poll(_IDLE_CHECK):
            if os.getppid() != parent:
                return
        try:
            name, args, timeout = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone (or closed its end): stop
        # a deadline of our own, in case the parent dies while this document is read
        signal.setitimer(signal.ITIMER_REAL, 2 * timeout + 5)
        try:
            result: tuple = ("ok", globals()[name](*args))
        except MscmineError as exc:
            result = ("error", type(exc).__name__, exc.message, exc.path)
        except BaseException as exc:  # noqa: BLE001 - everything must reach the parent
            result = ("crash", f"{type(exc).__name__}: {exc}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
        try:
            conn.send((peak, peak - start, result))
        except (OSError, EOFError):
            return
        except Exception as exc:  # noqa: BLE001 - the result could not be pickled
            conn.send((peak, peak - start, ("crash", f"{type(exc).__name__}: {exc}")))
        signal.setitimer(signal.ITIMER_REAL, 0)


def _run_in_worker(w: _Worker, name: str, args: tuple, timeout: float, path: str) -> Document:
    """One document through the worker, under the time limit. Lock held."""
    answered = False
    try:
        try:
            w.conn.send((name, args, timeout))
        except OSError:  # the worker died while idle, before this document reached it
            raise _WorkerGone() from None
        if not w.conn.poll(timeout):
            raise _timeout_error(timeout, path)
        try:
            peak, growth, result = w.conn.recv()
        except (EOFError, OSError):
            raise _crash_error(_reap(w, block=True), path) from None
        answered = True
    finally:
        if not answered:  # timed out, crashed or interrupted (Ctrl-C): the worker goes
            _discard(w)
    w.docs += 1
    _STATE.documents += 1
    _STATE.peak_rss_mb = max(_STATE.peak_rss_mb, peak)
    _STATE.growth_mb = max(_STATE.growth_mb, growth)
    if w.docs >= WORKER_MAX_DOCS or growth > WORKER_MAX_GROWTH_MB:
        _STATE.recycled += 1
        _discard(w)
    return _unpack(result, path)


_ALIVE = object()


class _WorkerGone(Exception):
    """The worker could not be sent the document: it had died while idle (not this file's fault)."""


def _reap(w: _Worker, block: bool) -> Any:
    """The worker's exit code (negative: killed by that signal; None: reaped by someone else),
    or `_ALIVE`. With `block`, waits up to a second for a worker that is exiting (its socket
    closed first), then kills it."""
    if w.reaped:
        return None
    for attempt in range(101 if block else 1):
        try:
            pid, status = os.waitpid(w.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored, os.wait() in the caller)
            w.reaped = True
            return None
        if pid:
            w.reaped = True
            return os.waitstatus_to_exitcode(status)
        if attempt < 100 and block:
            time.sleep(0.01)
    if not block:
        return _ALIVE
    return _kill(w)


def _kill(w: _Worker) -> Any:
    if w.reaped:
        return None
    try:
        os.kill(w.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    w.reaped = True
    try:
        pid, status = os.waitpid(w.pid, 0)
        return os.waitstatus_to_exitcode(status)
    except ChildProcessError:
        return None


def _discard(w: _Worker) -> None:
    """Kill and reap the worker (if it still runs), close its socket, forget it."""
    if _STATE.worker is w:
        _STATE.worker = None
    try:
        w.conn.close()
    except OSError:
        pass
    if _reap(w, block=False) is _ALIVE:
        _kill(w)


def _forget_worker() -> None:
    """In a process forked from one that has a worker: that worker is the parent's. Close the
    inherited end of its socket (so it still sees EOF when the parent exits) and forget it."""
    w = _STATE.worker
    _STATE.worker = None
    _STATE.lock = threading.Lock()
    if w is not None:
        try:
            w.conn.close()
        except OSError:
            pass


if _CAN_FORK:
    os.register_at_fork(after_in_child=_forget_worker)
atexit.register(shutdown_worker)


def _unpack(result: tuple, path: str) -> Document:
    if result[0] == "ok":
        return result[1]
    if result[0] == "error":
        cls = getattr(_errors, result[1], PdfError)
        if not (isinstance(cls, type) and issubclass(cls, MscmineError)):
            cls = PdfError
        raise cls(result[2], result[3])
    raise PdfError(f"the PDF could not be read ({result[1]}); the file is probably damaged", path)


def _in_thread(func, args, timeout: float, path: str) -> Document:
    """Last resort (another thread of a multi-threaded program, or no fork/SIGALRM): the parse
    runs in a daemon thread and the caller stops waiting after `timeout`; the thread cannot be
    killed and finishes in the background. A spawned process would need the caller's main
    module to be import-safe, which a library cannot require."""
    box: list[tuple] = []

    def target() -> None:
        try:
            box.append(("ok", func(*args)))
        except MscmineError as exc:
            box.append(("error", type(exc).__name__, exc.message, exc.path))
        except BaseException as exc:  # noqa: BLE001 - everything must reach the caller
            box.append(("crash", f"{type(exc).__name__}: {exc}"))

    worker = threading.Thread(target=target, name="mscmine-pdf", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not box:
        raise _timeout_error(timeout, path)
    return _unpack(box[0], path)


class _Alarm(BaseException):
    """Raised by the SIGALRM handler; a BaseException so library `except Exception` can't eat it."""


def _with_alarm(func, args, timeout: float, path: str) -> Document:
    def handler(signum, frame):
        raise _Alarm()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return func(*args)
    except _Alarm:
        raise _timeout_error(timeout, path) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# =============================================================================================
# Third-party warnings: kept for the document, never printed


#: loggers of the libraries the parse calls; their records go to `doc.meta["warnings"]`
THIRD_PARTY_LOGGERS = ("pdfminer", "pdfplumber", "pypdfium2")
#: at most this many distinct third-party messages are kept per document
MAX_HEARD = 8


class _Heard(logging.Handler):
    """Counts the WARNING-and-above records of the third-party loggers it is added to."""

    def __init__(self, heard: Counter):
        super().__init__(logging.WARNING)
        self.heard = heard

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record must not stop the parse
            message = str(record.msg)
        self.heard[f"{record.name.split('.')[0]}: {message}"] += 1


@contextmanager
def _quiet(heard: Counter):
    """Keep pdfminer's and pdfplumber's warnings ("Could not get FontBBox...") off stderr.

    Without a handler of its own a library's logger falls through to logging's last-resort
    handler, which prints to stderr: a batch of files prints them by the dozen. A handler is
    added to each third-party logger for the call only (records still propagate to any handler
    the application configured; global logging is not changed), and Python warnings raised in
    the call are recorded instead of shown. What was heard is counted in `heard`.
    """
    handler = _Heard(heard)
    loggers = [logging.getLogger(name) for name in THIRD_PARTY_LOGGERS]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            try:
                yield heard
            finally:
                for w in caught:
                    heard[f"{w.category.__name__}: {w.message}"] += 1
    finally:
        for lg in loggers:
            lg.removeHandler(handler)


def _heard_warnings(heard: Counter) -> list[str]:
    """The third-party messages, most frequent first, each with its count."""
    out = [f"{msg} ({n}×)" if n > 1 else msg for msg, n in heard.most_common(MAX_HEARD)]
    if len(heard) > MAX_HEARD:
        out.append(f"... and {len(heard) - MAX_HEARD} other third-party messages")
    return out


# =============================================================================================
# Checks before parsing


def _check_bytes(data: bytes, path: str) -> None:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if not head.startswith(b"%PDF"):
        raise PdfError("not a PDF (no %PDF header); check that the file is what its name says", path)
    if b"%%EOF" not in data[-2048:]:
        raise TruncatedPdfError(
            f"the PDF is truncated ({len(data)} bytes, no %%EOF end marker); download or export it again",
            path,
        )


@dataclass
class _Info:
    pages: int
    metadata: dict[str, str]
    text_chars: int
    image_pages: int
    # the document `_inspect` opened, the page it found text on (0-based) and that page with its
    # text page, left open for the PDFium reading (`_pdfium_pages` takes them over)
    pdf: Any = None
    page_index: int = -1
    page: Any = None
    textpage: Any = None

    def close(self) -> None:
        """Close whatever `_pdfium_pages` did not take over (the text page, page, document)."""
        for name in ("textpage", "page", "pdf"):
            handle = getattr(self, name)
            if handle is not None:
                setattr(self, name, None)
                handle.close()


def _inspect(data: bytes, path: str) -> _Info:
    """Password, damage, page count and text layer, read with pypdfium2 (fast)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedPdfError(
                "the PDF is password-protected; open it with the password and save an unprotected copy",
                path,
            ) from None
        raise PdfError(f"the PDF is damaged and cannot be opened ({exc}); try re-saving or re-downloading it", path) from None
    info = _Info(pages=0, metadata={}, text_chars=0, image_pages=0, pdf=pdf)
    try:
        n = info.pages = len(pdf)
        if n == 0:
            raise PdfError("the PDF has no pages", path)
        info.metadata = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        for i in range(n):
            page = info.page = pdf[i]
            textpage = info.textpage = page.get_textpage()
            info.text_chars += textpage.count_chars()
            if info.text_chars:
                # a text layer exists: the rest is read by the parse (text_chars is a lower
                # bound), which reads this page through the same page and text page
                info.page_index = i
                return info
            if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=2)):
                # text objects the text page skipped: one-character strings in a CJK font the
                # file names but does not embed (see `_revive`), a vertical page set a character
                # at a time; the parse makes them visible
                info.page_index = i
                return info
            info.textpage = None
            textpage.close()
            if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                info.image_pages += 1
            info.page = None
            page.close()
    except BaseException:
        info.close()
        raise
    info.close()
    what = f"its {info.image_pages} page(s) are images (a scan)" if info.image_pages else "it contains no text"
    raise NoTextLayerError(f"the PDF has no text layer: {what}; run OCR on it (e.g. ocrmypdf) first", path)


# =============================================================================================
# Characters and lines


class _Char:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "cy", "space")

    # the PDFium reading loop makes its characters without calling this (`object.__new__` and
    # the same assignments, about 0.1 µs a character less): change both together
    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float):
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.top = top
        self.bottom = bottom
        self.size = size
        self.cy = (top + bottom) / 2
        self.space = text.isspace()


def _compat_table() -> dict[str, str]:
    """Kangxi radicals, CJK compatibility ideographs and vertical presentation forms, each to
    the character NFKC makes of it (⼦ U+2F26 → 子; ︵ → （, fullwidth): fonts whose ToUnicode map names
    the radical for the ideograph give text that looks right and matches nothing. Only
    one-character results; other characters (fullwidth forms, ligatures) are left alone."""
    import unicodedata

    out = {}
    for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0x2F800, 0x2FA1F)):
        for code in range(lo, hi + 1):
            ch = chr(code)
            norm = unicodedata.normalize("NFKC", ch)
            if lo >= 0xFE10 and lo < 0xFE50 and len(norm) == 1 and "!" <= norm <= "~":
                norm = chr(ord(norm) + 0xFEE0)  # a vertical form of Chinese punctuation: the fullwidth mark
            if norm != ch and len(norm) == 1:
                out[ch] = norm
    return out


_COMPAT = _compat_table()
_COMPAT_RE = re.compile("[" + "".join(sorted(ch for ch in _COMPAT if len(ch.encode("utf-16-le")) == 2)) + "]")


def normalize_compat(chars: list[_Char]) -> int:
    """Replace compatibility forms in place (see `_compat_table`); how many were replaced.

    Done before `_dedupe`, so a glyph a broken ToUnicode map reads as two characters, radical
    and ideograph in one box (电⼦子), collapses into one."""
    n = 0
    table = _COMPAT
    for c in chars:
        norm = table.get(c.text)
        if norm is not None:
            c.text = norm
            n += 1
    return n


_X0 = attrgetter("x0")
_CY = attrgetter("cy")


def _median(values: list[float]) -> float:
    """`statistics.median` of a non-empty list (the same result, without its overhead)."""
    data = sorted(values)
    n = len(data)
    i = n // 2
    return data[i] if n % 2 else (data[i - 1] + data[i]) / 2


class _Line:
    """Characters on one baseline (or one segment of it), sorted left to right."""

    __slots__ = ("chars", "x0", "x1", "top", "bottom", "size", "base")

    def __init__(self, chars: list[_Char], in_order: bool = False):
        # `in_order`: already sorted by x0 (part of a line's characters, in the line's order)
        self.chars = ordered = chars if in_order else sorted(chars, key=_X0)
        ink = [c for c in ordered if not c.space] or ordered
        # the largest size: superscripts only ever join lines of larger characters, and a short
        # line can hold more superscript characters than full-size ones ("果[28,38,39]。")
        self.size = size = round(max([c.size for c in ink]), 2) or 1.0  # = the largest rounded size, rounding once
        least = SUP_SIZE_RATIO * size
        main = [c for c in ink if c.size >= least] or ink
        bottoms = [c.bottom for c in main]
        self.base = _median(bottoms)
        self.x0 = ink[0].x0  # the least x0: `ink` is in x0 order
        self.x1 = max([c.x1 for c in ink])
        self.top = min([c.top for c in main])
        self.bottom = max(bottoms)

    @property
    def ink(self) -> list[_Char]:
        return [c for c in self.chars if not c.space]


def _cluster(chars: list[_Char]) -> list[_Line]:
    """Group characters into lines by vertical centre; raised small characters join their line."""
    if not chars:
        return []
    ordered = sorted(chars, key=_CY)
    first = ordered[0]
    group = [first]
    groups: list[list[_Char]] = [group]
    last, last_size = first.cy, first.size
    for c in ordered[1:]:
        cy, size = c.cy, c.size
        if cy - last <= CLUSTER_GAP * (size if size >= last_size else last_size):
            group.append(c)
        else:
            group = [c]
            groups.append(group)
        last, last_size = cy, size
    # a group of only small characters (superscripts, subscripts) joins the neighbouring group
    # whose vertical extent holds its centre
    infos = [_group_info(g) for g in groups]
    merged: list[list[_Char]] = []
    hosts: list[tuple[float, float, float] | None] = []
    carry: list[_Char] = []
    for i, g in enumerate(groups):
        size, centre, _ = infos[i]
        if hosts and _hosts(hosts[-1], size, centre) and _overlaps_x(g, merged[-1]):
            merged[-1].extend(g + carry)
            carry = []
            continue
        if i + 1 < len(groups) and _hosts(infos[i + 1][2], size, centre) and _overlaps_x(g, groups[i + 1]):
            carry.extend(g)
            continue
        merged.append(g + carry)
        hosts.append(infos[i][2])
        carry = []
    if carry:
        merged.append(carry)
    return [_Line(g) for g in merged if not all([c.space for c in g])]


def _group_info(g: list[_Char]) -> tuple[float, _Centre, tuple[float, float, float] | None]:
    """(largest inked size, median centre, (size, top, bottom) of its full-size characters).
    The centre is found when first asked for: only a group smaller than a neighbour needs it."""
    ink = [c for c in g if not c.space]
    if not ink:
        return 0.0, _Centre(None, g[0].cy), None
    size = max([c.size for c in ink])
    least = SUP_SIZE_RATIO * size
    big = [c for c in ink if c.size >= least]
    return size, _Centre(ink), (size, min([c.top for c in big]), max([c.bottom for c in big]))


class _Centre:
    """The median vertical centre of a group's inked characters, computed once when asked for."""

    __slots__ = ("ink", "value")

    def __init__(self, ink: list[_Char] | None, value: float | None = None):
        self.ink = ink
        self.value = value

    def get(self) -> float:
        if self.value is None:
            self.value = _median([c.cy for c in self.ink])
        return self.value


def _hosts(host: tuple[float, float, float] | None, size: float, centre: _Centre) -> bool:
    if host is None:
        return False
    hsize, top, bottom = host
    return hsize * SUP_SIZE_RATIO > size and top <= centre.get() <= bottom


def _overlaps_x(small: list[_Char], big: list[_Char]) -> bool:
    """The small group sits within (or right next to) the horizontal extent of the big one."""
    x0 = min(c.x0 for c in big)
    x1 = max(c.x1 for c in big)
    size = max(c.size for c in big)
    return any(x0 - size <= c.x0 <= x1 + size for c in small)


def _segments(line: _Line, gap_ratio: float = SEGMENT_GAP) -> list[list[_Char]]:
    """Split a line where the horizontal gap between inked characters is wide."""
    segs: list[list[_Char]] = []
    last_x1 = None
    gap = gap_ratio * line.size
    for c in line.chars:
        if c.space:
            if segs:
                segs[-1].append(c)
            continue
        if last_x1 is None:
            segs.append([c])
            last_x1 = c.x1
            continue
        if c.x0 - last_x1 > gap:
            segs.append([c])
        else:
            segs[-1].append(c)
        if c.x1 > last_x1:
            last_x1 = c.x1
    return segs


def _is_cjk(ch: str) -> bool:
    o = ord(ch[0])
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF or 0x2460 <= o <= 0x24FF


@dataclass
class _SupStats:
    exponents: int = 0
    citations: int = 0
    other: int = 0


def _assemble(chars: list[_Char], size: float, base: float, stats: _SupStats | None = None, in_order: bool = False) -> str:
    """Text of characters on one line: spaces from gaps, superscripts as ``^7`` / ``[12]``.

    A space is kept where the PDF draws one; otherwise it is inferred from the gap, measured
    against the line's usual gap between neighbours (the letter spacing that justifies a
    Chinese line, about zero in TeX output): more than a quarter em beyond it between Latin
    characters or between Latin and Chinese, about two ems between Chinese characters. A fixed
    tolerance instead either splits justified Chinese (jsvine/pdfplumber #987) or glues
    tightly set English words.
    """
    ordered = chars if in_order else sorted(chars, key=_X0)  # `in_order`: already sorted by x0 (a line's)
    least = SUP_SIZE_RATIO * size
    rise = SUP_RAISE * size
    # is each character raised (a superscript)?
    sup = [c.size < least and base - c.bottom > rise for c in ordered]

    # the line's usual gap between neighbouring characters drawn without a space between them
    gaps = []
    last: _Char | None = None
    last_sup = False
    for c, up in zip(ordered, sup):
        if c.space:
            last = None
            continue
        if last is not None and not up and not last_sup:
            gaps.append(c.x0 - last.x1)
        last = c
        last_sup = up
    usual = min(max(sorted(gaps)[len(gaps) // 4], -0.1 * size), 0.25 * size) if len(gaps) >= 3 else 0.0
    latin_gap = LATIN_SPACE_GAP * size
    han_gap = 2 * ANY_SPACE_GAP * size
    # a gap above both limits is a space and one within both is none, whichever characters
    # border it; only in between does it matter whether both are Chinese
    low, high = (latin_gap, han_gap) if latin_gap <= han_gap else (han_gap, latin_gap)

    out: list[str] = []
    run: list[str] = []
    prev: _Char | None = None
    space_pending = False
    for c, up in zip(ordered, sup):
        if c.space:
            space_pending = prev is not None
            continue
        if up:
            if not run and space_pending:
                out.append(" ")
            run.append(c.text)
            space_pending = False
            prev = c
            continue
        if run:
            out.append(_sup_text("".join(run), "".join(out), stats))
            run = []
        if prev is not None:
            extra = c.x0 - prev.x1 - usual
            if space_pending or extra > high:
                out.append(" ")
            elif extra > low:
                o1, o2 = ord(prev.text[-1]), ord(c.text[0])
                both_cjk = (
                    (0x2E80 <= o1 <= 0x9FFF or 0xF900 <= o1 <= 0xFAFF or 0xFF00 <= o1 <= 0xFFEF or 0x20000 <= o1 <= 0x3FFFF or 0x2460 <= o1 <= 0x24FF)
                    and (0x2E80 <= o2 <= 0x9FFF or 0xF900 <= o2 <= 0xFAFF or 0xFF00 <= o2 <= 0xFFEF or 0x20000 <= o2 <= 0x3FFFF or 0x2460 <= o2 <= 0x24FF)
                )  # _is_cjk of both, inlined (the hottest loop of the loader)
                if extra > (han_gap if both_cjk else latin_gap):
                    out.append(" ")
        out.append(c.text)
        space_pending = False
        prev = c
    if run:
        out.append(_sup_text("".join(run), "".join(out), stats))
    return "".join(out).strip()


def superscript_text(raw: str, before: str) -> str:
    """How raised text reads inline, given the text before it on the line.

    >>> superscript_text("7", "1×10"), superscript_text("12", "研究"), superscript_text("[1-3]", "等")
    ('^7', '[12]', '[1-3]')
    >>> superscript_text("2", "kg/m"), superscript_text("+", "CD4")
    ('^2', '⁺')
    """
    return _sup_text(raw, before, None)


def _sup_text(raw: str, before: str, stats: _SupStats | None) -> str:
    text = _WHITESPACE.sub("", raw)
    before = before.rstrip()
    if _SMALL_INT.fullmatch(text) and (_EXPONENT_BEFORE.search(before) or _UNIT_BEFORE.search(before)):
        if stats:
            stats.exponents += 1 if _EXPONENT_BEFORE.search(before) else 0
            stats.other += 0 if _EXPONENT_BEFORE.search(before) else 1
        return "^" + text.replace("−", "-").replace("–", "-")
    m = _CITATION_SUP.match(text)
    if m and (text.startswith("[") == text.endswith("]")):
        if stats:
            stats.citations += 1
        return "[" + m.group(1) + "]"
    if stats:
        stats.other += 1
    if text in ("+", "-", "−"):
        return "⁺" if text == "+" else "⁻"
    if text.isdigit():
        return "^" + text
    return text


def _line_text(line: _Line, stats: _SupStats | None = None) -> str:
    return _assemble(line.chars, line.size, line.base, stats, in_order=True)


# =============================================================================================
# Page reading (pass 1)


@dataclass
class _Rule:
    x0: float
    x1: float
    y: float


@dataclass
class _PageData:
    number: int
    width: float
    height: float
    chars: list[_Char]
    rules: list[_Rule]
    ruled: list[tuple[tuple[float, float, float, float], list[list[tuple | None]]]]
    lines: list[_Line] = field(default_factory=list)
    total: int = 0  # characters pdfminer reported, (cid:NNN) included
    cid: int = 0  # characters without a Unicode mapping
    latin1: int = 0  # characters in U+00A1–U+00FF (GB2312 bytes read as WinAnsi come out so)


def _read_page(page, number: int, counts: Counter) -> _PageData:
    width, height = float(page.width), float(page.height)
    chars: list[_Char] = []
    total = cid = 0
    for c in page.chars:
        text = c.get("text") or ""
        total += 1
        if _CID.match(text):
            cid += 1
            continue
        if not c.get("upright", True):
            counts["rotated"] += 1
            continue
        if c["x1"] < 0 or c["x0"] > width or c["bottom"] < 0 or c["top"] > height:
            counts["outside"] += 1
            continue
        size = float(c.get("size") or (c["bottom"] - c["top"]) or 1.0)
        chars.append(_Char(text, float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]), size))
    counts["compat_forms"] += normalize_compat(chars)
    kept = _dedupe(chars)
    counts["duplicates"] += len(chars) - len(kept)
    chars = kept
    rules: list[_Rule] = []
    vertical = 0
    boxes = 0
    for obj in list(page.lines) + list(page.rects):
        w = obj["x1"] - obj["x0"]
        h = obj["bottom"] - obj["top"]
        if h <= 2.5 and w >= 20:
            rules.append(_Rule(float(obj["x0"]), float(obj["x1"]), float((obj["top"] + obj["bottom"]) / 2)))
        elif w <= 2.5 and h >= 5:
            vertical += 1
        elif w > 5 and h > 5 and obj.get("object_type") == "rect":
            boxes += 1
    ruled = []
    if vertical >= 2 or boxes >= 2:
        try:
            for t in page.find_tables():
                rows = [[tuple(cell) if cell else None for cell in row.cells] for row in t.rows]
                ruled.append((tuple(t.bbox), rows))
        except Exception:  # noqa: BLE001 - a table finder failure must not lose the page's text
            counts["table_errors"] += 1
    latin1 = sum(1 for c in chars if "\xa1" <= c.text <= "\xff")
    return _PageData(number, width, height, chars, rules, ruled, total=total, cid=cid, latin1=latin1)


def _pdfium_pages(data: bytes, counts: Counter, info: _Info | None = None) -> list[_PageData | None]:
    """Every page read with pypdfium2 where that reading is as good as pdfminer's (None where not).

    PDFium parses a page in a few milliseconds, pdfminer (through pdfplumber) in about a hundred
    (benchmarks/RESULTS.md); the characters come out in the same form, with these differences
    handled here: PDFium's loose boxes use the substitute font's widths for Latin glyphs, so their
    right edge comes from the PDF font's own width; PDFium marks a hyphen it takes for a line-end
    hyphen with U+0002 (0xFFFE in the text buffer); its generated spaces and line breaks are skipped.
    Characters outside the BMP are read one by one (their surrogate pairs misalign the text buffer).
    Text objects the text page would skip for want of glyph boxes (one-character strings in a CJK
    font that is not embedded) are made visible to it first (`_revive`).

    Ruled tables come from pdfplumber's table finder run on the edges of PDFium's paths, and
    the objects inside form XObjects are read through the forms' matrices. A page is left to
    pdfplumber (None) when PDFium's reading may be worse: a revived text object that reads as
    unmapped text, characters with no Unicode mapping, a rotated page. An encrypted file is
    left to pdfminer whole, so its `(cid:NNN)` accounting stays pdfminer's.

    `info` (from `_inspect`): its open document, and the page it found text on with that page's
    text page, are used (and closed) here instead of being opened again.
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if info is not None and info.pdf is not None:
        pdf, info.pdf = info.pdf, None
        first, first_page, first_textpage = info.page_index, info.page, info.textpage
        info.page = info.textpage = None
    else:
        pdf = pdfium.PdfDocument(data)
        first, first_page, first_textpage = -1, None, None
    try:
        n = len(pdf)
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            return [None] * n
        out: list[_PageData | None] = []
        widths: dict[tuple, dict] = {}  # (font, font size) -> code -> glyph (see _pdfium_page_read)
        for i in range(n):
            textpage = None
            if i == first:
                page, textpage, first_page, first_textpage = first_page, first_textpage, None, None
            else:
                page = pdf[i]
            try:
                local: Counter = Counter()
                pd = _pdfium_page(page, i + 1, local, widths, ctypes, pdfium_c, textpage)
                if pd is not None:
                    counts.update(local)
                out.append(pd)
            finally:
                page.close()
        return out
    finally:
        for handle in (first_textpage, first_page):
            if handle is not None:
                handle.close()
        pdf.close()


_TEXT_OBJ, _PATH_OBJ, _FORM_OBJ = 1, 2, 5  # FPDF_PAGEOBJ_TEXT, _PATH, _FORM
_SIZE_EPSILON = 0.01  # PDFium's text page skips a text object narrower than this (kSizeEpsilon)
_STROKE_MODE = 1  # FPDF_TEXTRENDERMODE_STROKE


class _FastCalls:
    """PDFium's per-character functions called with plain addresses (ints) instead of
    pypdfium2's typed pointers: the same C functions, without building a pointer object for
    each text object or converting each argument through its declared type (the calls are made
    once or more per character)."""

    def __init__(self, ctypes, pdfium_c):
        vp, c_int, c_uint, c_double, c_float, c_int_ = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float, ctypes.c_int

        def proto(func, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, vp).value)

        self.loose_box = proto(pdfium_c.FPDFText_GetLooseCharBox, c_int_, vp, c_int, vp)
        self.font_size = proto(pdfium_c.FPDFText_GetFontSize, c_double, vp, c_int)
        self.char_origin = proto(pdfium_c.FPDFText_GetCharOrigin, c_int_, vp, c_int, vp, vp)
        self.text_object = proto(pdfium_c.FPDFText_GetTextObject, vp, vp, c_int)
        self.text_font = proto(pdfium_c.FPDFTextObj_GetFont, vp, vp)
        self.obj_font_size = proto(pdfium_c.FPDFTextObj_GetFontSize, c_int_, vp, vp)
        self.glyph_width = proto(pdfium_c.FPDFFont_GetGlyphWidth, c_int_, vp, c_uint, c_float, vp)
        # per page object (about 150 a page)
        self.page_object = proto(pdfium_c.FPDFPage_GetObject, vp, vp, c_int)
        self.object_type = proto(pdfium_c.FPDFPageObj_GetType, c_int, vp)
        self.object_bounds = proto(pdfium_c.FPDFPageObj_GetBounds, c_int_, vp, vp, vp, vp, vp)
        self.object_matrix = proto(pdfium_c.FPDFPageObj_GetMatrix, c_int_, vp, vp)
        self.map_error = proto(pdfium_c.FPDFText_HasUnicodeMapError, c_int, vp, c_int)
        self.char_matrix = proto(pdfium_c.FPDFText_GetMatrix, c_int_, vp, c_int, vp)
        self.is_generated = proto(pdfium_c.FPDFText_IsGenerated, c_int, vp, c_int)
        self.char_angle = proto(pdfium_c.FPDFText_GetCharAngle, c_float, vp, c_int)
        # inside form XObjects, and the segments of paths (for ruled tables)
        self.form_count = proto(pdfium_c.FPDFFormObj_CountObjects, c_int, vp)
        self.form_object = proto(pdfium_c.FPDFFormObj_GetObject, vp, vp, c_uint)
        self.segment_count = proto(pdfium_c.FPDFPath_CountSegments, c_int, vp)
        self.segment = proto(pdfium_c.FPDFPath_GetPathSegment, vp, vp, c_int)
        self.segment_point = proto(pdfium_c.FPDFPathSegment_GetPoint, c_int_, vp, vp, vp)
        self.segment_type = proto(pdfium_c.FPDFPathSegment_GetType, c_int, vp)
        self.segment_close = proto(pdfium_c.FPDFPathSegment_GetClose, c_int_, vp)


_FAST: list[_FastCalls] = []

_Matrix = tuple  # (a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f
_MAX_FORM_DEPTH = 8


def _compose(outer: _Matrix, inner: _Matrix) -> _Matrix:
    """The matrix applying `inner` first, then `outer` (a form's matrix over its content's)."""
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _box_through(m: _Matrix, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    """A box in a form's space as (left, bottom, right, top) on the page."""
    xs, ys = zip(*(_apply(m, x, y) for x, y in ((left, bottom), (left, top), (right, bottom), (right, top))))
    return min(xs), min(ys), max(xs), max(ys)


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    """An edge as pdfplumber's table finder takes it (its `page.edges` entries)."""
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def segments_to_edges(subpaths: list[list[tuple[float, float]]], height: float) -> list[dict]:
    """Horizontal and vertical edges of paths given as point lists in page space (PDF's y up),
    in pdfplumber's top-down coordinates: each straight side of a rectangle or polyline that
    runs along an axis (within 0.01 pt). Slanted sides and curves make no table rule.

    >>> [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in segments_to_edges([[(0, 0), (10, 0), (10, 5)]], 100)]
    [('h', 0, 100, 10, 100), ('v', 10, 95, 10, 100)]
    """
    out = []
    for pts in subpaths:
        for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
            if abs(ya - yb) <= 0.01 and abs(xa - xb) > 0.01:
                out.append(_edge(min(xa, xb), height - ya, max(xa, xb), height - ya, "h"))
            elif abs(xa - xb) <= 0.01 and abs(ya - yb) > 0.01:
                out.append(_edge(xa, height - max(ya, yb), xa, height - min(ya, yb), "v"))
    return out


def _subpaths(obj: int, m: _Matrix, fast: "_FastCalls", ctypes) -> list[list[tuple[float, float]]]:
    """A path object's straight-segment runs, each a list of points in page space (a closed
    run ends at its start again). A Bézier segment ends the run it is in."""
    x, y = ctypes.c_float(), ctypes.c_float()
    xr, yr = ctypes.addressof(x), ctypes.addressof(y)
    runs: list[list[tuple[float, float]]] = []
    run: list[tuple[float, float]] = []
    start = None
    for k in range(fast.segment_count(obj)):
        seg = fast.segment(obj, k)
        if not seg or not fast.segment_point(seg, xr, yr):
            continue
        kind = fast.segment_type(seg)
        pt = _apply(m, x.value, y.value)
        if kind == 2 or kind == 1 or not run:  # FPDF_SEGMENT_MOVETO, _BEZIERTO, or a first point
            if len(run) > 1:
                runs.append(run)
            run = [pt]
            start = pt
        else:
            run.append(pt)
        if fast.segment_close(seg) and start is not None and run and run[-1] != start:
            run.append(start)
    if len(run) > 1:
        runs.append(run)
    return runs


def find_ruled_tables(edges: list[dict]) -> list[tuple[tuple[float, float, float, float], list[list[tuple | None]]]]:
    """Ruled tables from edges with pdfplumber's table finder (its default "lines" strategy):
    (bbox, rows of cell boxes or None), as `page.find_tables()` gives them, without pdfminer
    parsing the page: the edges come from PDFium's paths."""
    from pdfplumber.table import TableFinder

    class _Edges:
        bbox = (0.0, 0.0, 0.0, 0.0)

        def __init__(self, edges):
            self.edges = edges

    out = []
    for t in TableFinder(_Edges(edges)).tables:  # type: ignore[arg-type] - the finder reads .edges only
        rows = [[tuple(cell) if cell else None for cell in row.cells] for row in t.rows]
        out.append((tuple(t.bbox), rows))
    return out


def _fast_calls(ctypes, pdfium_c) -> _FastCalls:
    if not _FAST:
        _FAST.append(_FastCalls(ctypes, pdfium_c))
    return _FAST[0]


def _revive(objs: list, ctypes, pdfium_c, refs, l_, r_) -> bool:
    """Make text objects of zero width visible to PDFium's text page.

    PDFium measures a text object by its glyphs' bounding boxes, taken from the font it
    actually loaded; for a CJK font the PDF names but does not embed (reportlab's
    STSong-Light; Adobe's Asian font packs) on a machine without a CJK font, every glyph's
    box is empty. An object of two or more characters still gets a width from the glyph
    origins, but a one-character object has none, and the text page drops objects narrower
    than 0.01 pt (`CPDF_TextPage::ProcessTextObject`): a "答" or "。" set between two
    superscripts, a one-character last line. The character codes, advance widths and positions
    are all there. A text object in a stroking render mode has its bounds widened by half the
    line width, so each such object is switched to stroke with a 1 pt line and re-measured
    (an identity transform recomputes the bounds); nothing is rendered or saved. The loose
    character boxes come from the font's ascent, descent and advance widths, as for every
    other character.
    """
    for obj in objs:
        if not (pdfium_c.FPDFTextObj_SetTextRenderMode(obj, _STROKE_MODE) and pdfium_c.FPDFPageObj_SetStrokeWidth(obj, ctypes.c_float(1.0))):
            return False
        pdfium_c.FPDFPageObj_Transform(obj, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        pdfium_c.FPDFPageObj_GetBounds(obj, *refs)
        if r_.value - l_.value < _SIZE_EPSILON:
            return False
    return True


def _revive_all(page, ctypes, pdfium_c) -> None:
    """`_revive` every zero-width text object of a page (best effort, for `_pdfium_chars`)."""
    l_, b_, r_, t_ = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = ctypes.byref(l_), ctypes.byref(b_), ctypes.byref(r_), ctypes.byref(t_)
    hidden = []
    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
        if pdfium_c.FPDFPageObj_GetType(obj) == _TEXT_OBJ:
            pdfium_c.FPDFPageObj_GetBounds(obj, *refs)
            if r_.value - l_.value < _SIZE_EPSILON:
                hidden.append(obj)
    if hidden:
        _revive(hidden, ctypes, pdfium_c, refs, l_, r_)


def _revived_text_ok(objs: list, textpage, ctypes, pdfium_c) -> bool:
    """No revived object reads as unmapped text (control characters, U+FFFD).

    Most zero-width objects of Word and WPS output are a lone space, or an empty string that
    stays empty: nothing is lost with them, and sending the page to pdfminer for them made
    most pages of such files take the slow road."""
    buf = (ctypes.c_ushort * 64)()
    for obj in objs:
        n = pdfium_c.FPDFTextObj_GetText(obj, textpage, buf, ctypes.sizeof(buf))
        text = bytes(buf)[: max(0, n - 2)].decode("utf-16-le", "replace")
        if any(ord(ch) < 32 or ord(ch) >= 0xFFFD for ch in text if not ch.isspace()):
            return False
    return True


def _pdfium_page(page, number: int, counts: Counter, widths: dict, ctypes, pdfium_c, textpage=None) -> _PageData | None:
    """One page read with PDFium (None: leave it to pdfplumber). `textpage`: the page's text
    page if one is open already (it is used unless objects are revived, and closed here)."""
    try:
        return _pdfium_page_read(page, number, counts, widths, ctypes, pdfium_c, textpage)
    finally:
        if textpage is not None:
            textpage.close()


def _path_shape(width: float, height: float) -> str | None:
    """What a path's box is for the table finder: a horizontal "rule" (a line under a row), a
    "vertical" line, a "box" (a cell or frame), or None (a dot, a tick)."""
    if height <= 2.5 and width >= 20:
        return "rule"
    if width <= 2.5 and height >= 5:
        return "vertical"
    if width > 5 and height > 5:
        return "box"
    return None

def _pdfium_page_read(page, number: int, counts: Counter, widths: dict, ctypes, pdfium_c, ready) -> _PageData | None:
    if page.get_rotation() % 360:
        return None
    width, height, crop = _page_frame(page)
    rules: list[_Rule] = []
    vertical = boxes = 0
    l_, b_, r_, t_ = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = ctypes.byref(l_), ctypes.byref(b_), ctypes.byref(r_), ctypes.byref(t_)
    m = pdfium_c.FS_MATRIX()
    hidden: list = []
    # the object scan through `_FastCalls`, with plain addresses (objects are ints here)
    fast = _fast_calls(ctypes, pdfium_c)
    page_handle = ctypes.cast(page.raw, ctypes.c_void_p).value
    get_obj, get_type, get_bounds, get_matrix = fast.page_object, fast.object_type, fast.object_bounds, fast.object_matrix
    addr = ctypes.addressof
    box_at = addr(l_), addr(b_), addr(r_), addr(t_)
    m_at = addr(m)
    paths: list[tuple] = []  # path objects: (object, matrix of the forms it is in, its box on the page)
    forms: list[tuple[int, _Matrix | None, int]] = []  # form XObjects met, read after the page's own objects
    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = get_obj(page_handle, k)
        kind = get_type(obj)
        if kind == _TEXT_OBJ:
            get_bounds(obj, *box_at)
            if r_.value - l_.value < _SIZE_EPSILON:
                hidden.append(ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT))  # PDFium's text page would skip it: see _revive
        elif kind == _PATH_OBJ:
            get_bounds(obj, *box_at)
            left, bottom, right, top = l_.value, b_.value, r_.value, t_.value
            paths.append((obj, None, left, bottom, right, top))
            shape = _path_shape(right - left, top - bottom)
            if shape == "rule":
                rules.append(_Rule(float(left), float(right), float(height - (top + bottom) / 2)))
            vertical += shape == "vertical"
            boxes += shape == "box"
        elif kind == _FORM_OBJ:
            forms.append((obj, None, 0))
    # the objects inside form XObjects (figures, stamps), through the forms' matrices
    while forms:
        form, chain, depth = forms.pop()
        if depth >= _MAX_FORM_DEPTH:
            return None
        get_matrix(form, m_at)
        inner = (m.a, m.b, m.c, m.d, m.e, m.f)
        inner = inner if chain is None else _compose(chain, inner)
        for j in range(fast.form_count(form)):
            obj = fast.form_object(form, j)
            kind = get_type(obj)
            if kind == _FORM_OBJ:
                forms.append((obj, inner, depth + 1))
                continue
            if kind != _TEXT_OBJ and kind != _PATH_OBJ:
                continue
            get_bounds(obj, *box_at)
            left, bottom, right, top = l_.value, b_.value, r_.value, t_.value
            if kind == _TEXT_OBJ:
                if right - left < _SIZE_EPSILON:
                    hidden.append(ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT))
                continue
            left, bottom, right, top = _box_through(inner, left, bottom, right, top)
            paths.append((obj, inner, left, bottom, right, top))
            shape = _path_shape(right - left, top - bottom)
            if shape == "rule":
                rules.append(_Rule(float(left), float(right), float(height - (top + bottom) / 2)))
            vertical += shape == "vertical"
            boxes += shape == "box"
    ruled: list = []
    if vertical >= 2 or boxes >= 2:
        # a ruled table may be here: pdfplumber's table finder, on the edges of PDFium's paths
        try:
            edges: list[dict] = []
            for obj, chain, left, bottom, right, top in paths:
                w, h = right - left, top - bottom
                if h <= 2.5 and w >= 1:
                    # a rule (a stroked line or a thin filled rectangle): its box is its edge,
                    # where pdfplumber snaps the rectangle's two long sides together
                    y = height - (top + bottom) / 2
                    edges.append(_edge(left, y, right, y, "h"))
                elif w <= 2.5 and h >= 1:
                    x = (left + right) / 2
                    edges.append(_edge(x, height - top, x, height - bottom, "v"))
                elif w > 2.5 and h > 2.5:
                    # a rectangle or a grid drawn as one path: its straight sides
                    get_matrix(obj, m_at)
                    own = (m.a, m.b, m.c, m.d, m.e, m.f)
                    edges += segments_to_edges(_subpaths(obj, own if chain is None else _compose(chain, own), fast, ctypes), height)
            ruled = find_ruled_tables(edges)
        except Exception:  # noqa: BLE001 - a table finder failure must not lose the page's text
            counts["table_errors"] += 1
    if hidden and not _revive(hidden, ctypes, pdfium_c, refs, l_, r_):
        return None
    # a text page made before `_revive` does not see the revived objects: made again then
    textpage = ready if ready is not None and not hidden else page.get_textpage()
    try:
        raw = textpage.raw
        if hidden:
            if not _revived_text_ok(hidden, raw, ctypes, pdfium_c):
                return None
            counts["revived_objects"] += len(hidden)
        n = pdfium_c.FPDFText_CountChars(raw)
        if n <= 0:
            return _PageData(number, width, height, [], rules, ruled, total=0, cid=0)
        buf = (ctypes.c_ushort * (n + 1))()
        pdfium_c.FPDFText_GetText(raw, 0, n, buf)
        codes = buf[:n]
        if max(codes) >= 0xD800 and any(0xD800 <= code <= 0xDFFF for code in codes):
            # a character outside the BMP (CJK Extension B, say) is one index but two UTF-16
            # units in the text: the indices no longer line up, so each is asked for
            unicode_of = pdfium_c.FPDFText_GetUnicode
            codes = [unicode_of(raw, i) for i in range(n)]
            buf = None
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.addressof(rect)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        fw, fsz = ctypes.c_float(), ctypes.c_float()
        ox_ref, oy_ref, fw_ref, fsz_ref = ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(fw), ctypes.byref(fsz)
        handle = ctypes.cast(raw, ctypes.c_void_p).value
        get_box = fast.loose_box
        get_size = fast.font_size
        get_origin = fast.char_origin
        get_object = fast.text_object  # the object's address, as an int
        generated = fast.is_generated
        angle = fast.char_angle
        map_error = fast.map_error
        get_matrix_of = fast.char_matrix
        hypot = math.hypot
        cm = pdfium_c.FS_MATRIX()
        cm_at = ctypes.addressof(cm)
        # text object's address -> [size, horizontal size, font's address, font size, the font's
        # glyph widths at that size: `widths[(font, font size)]`, code -> (advance width, box
        # starts at origin)]; the font's three are None until a Latin glyph needs them
        objects: dict[int, tuple] = {}
        glyphs: dict[int, tuple] = {}
        chars: list[_Char] = []
        append = chars.append
        new_char = object.__new__
        runs: list[int] = []  # where each text object's characters start in `chars`
        mark = runs.append
        total = 0
        last_obj = None
        size = 1.0
        font = font_size = None
        turned = False
        for i, code in enumerate(codes):
            if code <= 32 or code == 0xA0 or 0xD800 <= code <= 0xDFFF or 0xFFFD <= code <= 0xFFFF:
                if code in (2, 0xFFFE):
                    code = 0x2D  # PDFium's mark (U+0002, 0xFFFE in FPDFText_GetText) for a hyphen it takes for a line end
                elif code not in (32, 0xA0) or generated(handle, i):
                    continue
            if not i & 15 and map_error(handle, i):
                # no Unicode mapping (a font's worth of characters, so a sample finds it):
                # pdfminer's reading and its (cid:NNN) accounting
                return None
            total += 1
            obj = get_object(handle, i)
            if obj != last_obj:
                # a text object's characters share one font and size (PDFium's per-character
                # font size is the object's): looked up once per object, not per character
                known = objects.get(obj)
                if known is None:
                    # the size as drawn: PDFium's is the Tf operand, which a file may set at 209
                    # under a text matrix of 0.05 (pdfminer's, like the box, is Tf × the scale);
                    # the font is looked up at the object's first Latin glyph (most objects of
                    # a Chinese page have none)
                    get_matrix_of(handle, i, cm_at)
                    tf = get_size(handle, i) or 1.0
                    turned = cm.b > 1e-6 or cm.b < -1e-6 or cm.c > 1e-6 or cm.c < -1e-6
                    known = objects[obj] = [tf * (hypot(cm.c, cm.d) or 1.0), tf * (hypot(cm.a, cm.b) or 1.0), None, 0.0, None, turned]
                size = known[0]
                turned = known[5]
                last_obj = obj
                mark(len(chars))
            if turned:
                # a rotated or skewed object: its characters at an angle are left out (watermarks,
                # rotated labels), as pdfminer's non-upright ones
                a = angle(handle, i)
                if 0.01 < a < 6.27:
                    counts["rotated"] += 1
                    continue
            get_box(handle, i, rect_ref)
            x0, x1 = rect.left, rect.right
            if code < 128 and code != 32:
                # Latin glyph: the PDF font's advance width from the origin (PDFium's loose box
                # uses the substitute font's), as pdfminer measures it
                glyphs = known[4]
                if glyphs is None:
                    font = known[2] = fast.text_font(obj)
                    fast.obj_font_size(obj, fsz_ref)
                    font_size = known[3] = fsz.value
                    glyphs = widths.get((font, font_size))
                    if glyphs is None:
                        glyphs = widths[(font, font_size)] = {}
                    known[4] = glyphs
                font, font_size = known[2], known[3]
                glyph = glyphs.get(code)
                if glyph is None:
                    adv = fw.value if fast.glyph_width(font, code, font_size, fw_ref) else -1.0
                    # does the loose box start at the origin for this glyph? It does unless the
                    # glyph reaches left of its origin ("j", "y" in some fonts), and a glyph does
                    # so at every occurrence (checked on 370,000 Latin characters of the test
                    # and benchmark PDFs: no glyph both ways): the origin is then fetched only
                    # for the glyphs where it differs
                    same = False
                    if adv >= 0 and font_size > 0:
                        get_origin(handle, i, ox_ref, oy_ref)
                        same = ox.value == x0
                    glyph = glyphs[code] = (adv, same)
                adv, same = glyph
                if adv >= 0 and font_size > 0:
                    if not same:
                        get_origin(handle, i, ox_ref, oy_ref)
                        x0 = ox.value
                    x1 = x0 + adv * known[1] / font_size
            top, bottom = height - rect.top, height - rect.bottom
            if x1 < 0 or x0 > width or bottom < 0 or top > height:
                counts["outside"] += 1
                continue
            # _Char(chr(code), x0, max(x0, x1), top, bottom, size), without a call to __init__
            c = new_char(_Char)
            c.text = text = chr(code)
            c.x0 = x0
            c.x1 = x1 if x1 > x0 else x0
            c.top = top
            c.bottom = bottom
            c.size = size
            c.cy = (top + bottom) / 2
            c.space = text.isspace()
            append(c)
    finally:
        if textpage is not ready:
            textpage.close()
    compat = 0
    if buf is None or _COMPAT_RE.search(bytes(buf).decode("utf-16-le", "replace")):  # in C: the usual page has none
        compat = normalize_compat(chars)
    counts["compat_forms"] += compat
    if compat or _may_repeat(chars, runs):  # normalised text may repeat anywhere: `_dedupe` decides
        kept = _dedupe(chars)
        counts["duplicates"] += len(chars) - len(kept)
        chars = kept
    if crop is not None:
        counts["outside_crop"] += _outside_crop(chars, crop)
    return _PageData(number, width, height, chars, rules, ruled, total=total, cid=0)


def _page_frame(page) -> tuple[float, float, tuple[float, float, float, float] | None]:
    """(width, height, crop box as (x0, top, x1, bottom) or None) of the page's media box.

    Characters are placed in the media box, the page as the file draws it. A crop box (the
    part a viewer shows) smaller than it is kept track of, not cut to: a classical text set
    with a crop box one paragraph high on each page had three tenths of its text outside it,
    text PDFium's own extraction and a reader's copy-and-paste both give.
    """
    x0, y0, x1, y1 = page.get_mediabox()
    cx0, cy0, cx1, cy1 = page.get_cropbox()
    crop = None
    if cx0 > x0 + 1 or cy0 > y0 + 1 or cx1 < x1 - 1 or cy1 < y1 - 1:
        crop = (cx0, y1 - cy1, cx1, y1 - cy0)
    # x is kept as PDFium gives it and y turned top-down from the media box's top (a media
    # box almost always starts at 0, 0: its width and height are then these)
    return float(x1), float(y1), crop


def _outside_crop(chars: list[_Char], crop: tuple[float, float, float, float]) -> int:
    """How many inked characters lie outside the crop box (x0, top, x1, bottom)."""
    x0, top, x1, bottom = crop
    return sum(1 for c in chars if not c.space and not (x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1 and top - 1 <= c.cy <= bottom + 1))


def _looks_latin1_garbled(pd: _PageData) -> bool:
    """Most of a pdfminer page is Latin-1 letters (¹ØÓÚºì¾ü…): the byte pairs of GB2312 or
    GBK text in a simple font the file declares WinAnsi (a non-embedded 宋体 or 仿宋_GB2312).
    PDFium decodes such fonts by the charset their name implies; pdfminer cannot."""
    return pd.latin1 >= 10 and pd.latin1 >= 0.3 * len(pd.chars)


def _pdfium_chars(data: bytes, numbers: list[int]) -> dict[int, list[_Char]]:
    """Characters of some pages read with pypdfium2, in the same form as pdfplumber's.

    Used where pdfminer cannot map a font's codes to Unicode but PDFium can (pdfminer leaves
    (cid:NNN) for CID fonts whose CIDSystemInfo sits in an encrypted PDF, for instance).
    Generated characters (PDFium's own spaces and line breaks) are skipped; a character's right
    edge is the next one's origin when that comes first (PDFium's loose boxes use the
    substitute font's glyph widths).
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out: dict[int, list[_Char]] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            _revive_all(page, ctypes, pdfium_c)
            textpage = page.get_textpage()
            try:
                height = _page_frame(page)[1]
                raw = []
                x, y = ctypes.c_double(), ctypes.c_double()
                for i in range(textpage.count_chars()):
                    if pdfium_c.FPDFText_IsGenerated(textpage.raw, i):
                        continue
                    code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
                    if code < 32 or code in (0xFFFD, 0xFFFE, 0xFFFF):
                        continue
                    size = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, i)) or 1.0
                    left, bottom, right, top = textpage.get_charbox(i, loose=True)
                    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
                    raw.append([chr(code), x.value, right, height - top, height - bottom, size, y.value])
                for a, b in zip(raw, raw[1:]):
                    if abs(a[6] - b[6]) < 0.5 * a[5] and a[1] < b[1] < a[2]:
                        a[2] = b[1]
                out[number] = [_Char(t, x0, max(x1, x0), top, bottom, size) for t, x0, x1, top, bottom, size, _ in raw]
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    return out


def _dedupe(chars: list[_Char]) -> list[_Char]:
    """The characters without glyphs drawn again within 1 pt (fake bold, shadows): pdfplumber #992.

    A character goes when an earlier kept one has the same text, x0 and top within 1 pt and
    about the same size. pdfplumber's `dedupe_chars()` does this too but sorts the whole page
    per character group, which took over a second per page here; columns of 1 pt (by text and
    whole x0) are linear: a match lies in the character's own column or a neighbouring one.
    """
    seen: dict[str, dict[int, list[_Char]]] = {}  # text -> whole x0 -> kept characters
    kept: list[_Char] = []
    keep = kept.append
    get = seen.get
    for ch in chars:
        text = ch.text
        x0 = ch.x0
        bx = int(x0)
        columns = get(text)
        if columns is None:
            seen[text] = {bx: [ch]}
            keep(ch)
            continue
        top, size = ch.top, ch.size
        dup = False
        for others in (columns.get(bx - 1), columns.get(bx), columns.get(bx + 1)):
            if others:
                for o in others:
                    if -1 <= o.x0 - x0 <= 1 and -1 <= o.top - top <= 1 and -0.5 < o.size - size < 0.5:
                        dup = True
                        break
                if dup:
                    break
        if dup:
            continue
        own = columns.get(bx)
        if own is None:
            columns[bx] = [ch]
        else:
            own.append(ch)
        keep(ch)
    return kept


def _may_repeat(chars: list[_Char], runs: list[int]) -> bool:
    """Can `_dedupe` drop anything from these characters, read text object by text object
    (`runs`: where each object's characters start)? A duplicate needs an earlier character
    with x0 and top each within 1 pt. Within one object whose x0 grows by more than 1 pt from
    character to character, no two are that close; between two objects, only if their ranges
    of x0 and of top come within 1 pt of each other. When neither happens anywhere (the usual
    page, one drawing of each glyph) there is nothing to drop, and the per-character pass is
    skipped; otherwise it runs on the whole page."""
    if not chars:
        return False
    if len(runs) > 200 and 4 * len(runs) > len(chars):
        # an object or two per character (CNKI, ReaderEx): comparing the objects pairwise
        # would cost more than `_dedupe`, which is linear
        return True
    bounds = runs + [len(chars)]
    spans = []
    for a, b in zip(bounds, bounds[1:]):
        if a == b:
            continue
        run = chars[a:b]
        prev = -math.inf
        for c in run:
            x = c.x0
            if x - prev <= 1:
                return True
            prev = x
        tops = [c.top for c in run]
        spans.append((min(tops), max(tops), run[0].x0, prev))
    spans.sort()
    n = len(spans)
    for k in range(n):
        t0, t1, x0, x1 = spans[k]
        for j in range(k + 1, n):
            u0, u1, y0, y1 = spans[j]
            if u0 - t1 > 1:
                break  # this and the later spans start more than 1 pt below the end of this one
            if y0 - x1 <= 1 and x0 - y1 <= 1:
                return True
    return False


# =============================================================================================
# Running headers and footers (pass 2)


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", _WHITESPACE.sub("", text))


def _drop_ruled_furniture(pd: _PageData, tables: list[_TableBlock], dropped_text: list[str]) -> int:
    """Lines cut off from the body by a wide rule near the top or bottom edge (not a table's).

    Catches running headers that appear on too few pages to repeat (a two-page paper has its
    running header on page 2 only).
    """
    zone = FURNITURE_ZONE * pd.height
    wide = [r for r in pd.rules if r.x1 - r.x0 >= 0.5 * pd.width and not any(t.x0 - 2 <= r.x0 and r.x1 <= t.x1 + 2 and t.top - 2 <= r.y <= t.bottom + 2 for t in tables)]
    top_rules = [r.y for r in wide if r.y <= zone]
    bottom_rules = [r.y for r in wide if r.y >= pd.height - zone]
    if not top_rules and not bottom_rules or not pd.chars:
        return 0
    cut_top = max(top_rules) if top_rules else -1.0
    cut_bottom = min(bottom_rules) if bottom_rules else pd.height + 1
    gone = [c for c in pd.chars if c.bottom <= cut_top + 1 or c.top >= cut_bottom - 1]
    if not gone:
        return 0
    lines = _cluster(gone)
    dropped_text.extend(_line_text(ln) for ln in lines)
    ids = {id(c) for c in gone}
    pd.chars = [c for c in pd.chars if id(c) not in ids]
    return len(lines)


def _drop_furniture(pages: list[_PageData], dropped_text: list[str]) -> int:
    """Remove running headers, footers and page numbers from each page's characters."""
    candidates: list[list[tuple[str, _Line, str]]] = []
    counts: Counter = Counter()
    for pd in pages:
        pd.lines = _cluster(pd.chars)
        ordered = sorted(pd.lines, key=lambda ln: ln.top)
        cands = []
        for ln in ordered[:3]:
            if ln.bottom <= FURNITURE_ZONE * pd.height:
                cands.append(("top", ln))
        for ln in ordered[-3:]:
            if ln.top >= (1 - FURNITURE_ZONE) * pd.height and ln not in [c[1] for c in cands]:
                cands.append(("bottom", ln))
        keyed = []
        for zone, ln in cands:
            text = _line_text(ln)
            keyed.append((zone + ":" + _furniture_key(text), ln, text))
        candidates.append(keyed)
        for key in {k for k, _, _ in keyed}:
            counts[key] += 1
    n = len(pages)
    dropped = 0
    for pd, keyed in zip(pages, candidates):
        remove: set[int] = set()
        gone: set[int] = set()
        for key, ln, text in keyed:
            repeated = counts[key] >= 2 and counts[key] >= FURNITURE_SHARE * n
            if repeated or _PAGE_NUMBER.match(text.strip()):
                remove.update(id(c) for c in ln.chars)
                gone.add(id(ln))
                dropped_text.append(text)
                dropped += 1
        if remove:
            pd.chars = [c for c in pd.chars if id(c) not in remove]
            # the other lines stay as they were clustered: whole lines went, and a line's
            # removal changes neither the vertical gaps between the others nor which line
            # hosts a raised group (see `_parse`)
            pd.lines = [ln for ln in pd.lines if id(ln) not in gone]
    return dropped


# =============================================================================================
# Tables (pass 3)


@dataclass
class _TableBlock:
    rows: list[list[str]]
    caption: str | None
    x0: float
    x1: float
    top: float
    bottom: float
    #: ids of the characters read into its cells (a ruled table; None: all within its box, a
    #: three-line table): the others in its box are read as lines, not lost
    used: set[int] | None = None


def _inside(c: _Char, x0: float, top: float, x1: float, bottom: float) -> bool:
    cx = (c.x0 + c.x1) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= c.cy <= bottom + 1


def _within(chars: list[_Char], x0: float, top: float, x1: float, bottom: float) -> list[_Char]:
    """The characters `_inside` the box (the same test, without a call per character)."""
    left, right, upper, lower = x0 - 1, x1 + 1, top - 1, bottom + 1
    return [c for c in chars if left <= (c.x0 + c.x1) / 2 <= right and upper <= c.cy <= lower]


def _outside(chars: list[_Char], boxes: list[tuple[float, float, float, float]]) -> list[_Char]:
    """The characters `_inside` none of the boxes (x0, top, x1, bottom)."""
    edges = [(x0 - 1, x1 + 1, top - 1, bottom + 1) for x0, top, x1, bottom in boxes]
    out = []
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, c.cy
        for left, right, upper, lower in edges:
            if left <= cx <= right and upper <= cy <= lower:
                break
        else:
            out.append(c)
    return out


def _cell_text(chars: list[_Char], stats: _SupStats) -> str:
    if not chars:
        return ""
    lines = sorted(_cluster(chars), key=lambda ln: ln.top)
    parts = [_line_text(ln, stats) for ln in lines]
    return _join_lines(parts)


def _join_lines(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if not p:
            continue
        if out and _LATIN_JOIN_END.search(out) and _LATIN_JOIN_START.search(p) and not out.endswith("-"):
            out += " " + p
        else:
            out += p
    return out


def cells_overlap(cells: list[tuple[float, float, float, float]]) -> bool:
    """Do two cells (x0, top, x1, bottom) share more than a 1 pt border? pdfplumber's finder
    makes a cell for a box whose inner rules stop short (a merged cell, a boxed sidebar) and
    cells for the rows those rules divide: the same characters lie in both."""
    ordered = sorted(cells, key=lambda b: b[1])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b[1] >= a[3] - 1:
                break  # this and the later cells start below the end of `a`
            if b[0] < a[2] - 1 and a[0] < b[2] - 1:
                return True
    return False


def _cell_owners(chars: list[_Char], cells: list[tuple]) -> dict[int, tuple] | None:
    """Where cells overlap (`cells_overlap`), each character's cell: the smallest holding it,
    so that each is read once (a report's boxed sidebar came out twice). None: no overlap."""
    if not cells_overlap(cells):
        return None
    by_cy = sorted(chars, key=_CY)
    cys = [c.cy for c in by_cy]
    owner: dict[int, tuple] = {}
    for cell in sorted(cells, key=lambda b: -(b[2] - b[0]) * (b[3] - b[1])):  # the largest first: smaller ones take over
        x0, top, x1, bottom = cell
        band = by_cy[bisect_left(cys, top - 1) : bisect_right(cys, bottom + 1)]
        for c in _within(band, x0, top, x1, bottom):
            owner[id(c)] = cell
    return owner


def _ruled_tables(pd: _PageData, chars: list[_Char], stats: _SupStats) -> list[_TableBlock]:
    blocks = []
    taken: set[int] = set()  # read into a table already (a table the finder found inside another)
    # the smallest first: a table boxed inside a frame keeps its rows, the frame what is left
    for bbox, rows in sorted(pd.ruled, key=lambda t: (t[0][2] - t[0][0]) * (t[0][3] - t[0][1])):
        x0, top, x1, bottom = bbox
        inside = [c for c in _within(chars, x0, top, x1, bottom) if id(c) not in taken]  # each cell's are among these
        owned = _cell_owners(inside, [cell for row in rows for cell in row if cell is not None])
        out_rows = []
        used: set[int] = set()
        for row in rows:
            cells = []
            boxes = [cell for cell in row if cell is not None]
            band = _within(inside, x0, min(b[1] for b in boxes), x1, max(b[3] for b in boxes)) if boxes else []
            for cell in row:
                if cell is None:
                    cells.append("")
                    continue
                cx0, ctop, cx1, cbottom = cell
                held = _within(band, cx0, ctop, cx1, cbottom)
                if owned is not None:
                    held = [c for c in held if owned[id(c)] == cell]
                used.update(id(c) for c in held)
                cells.append(_cell_text(held, stats))
            if any(cells):
                out_rows.append(cells)
        if len(out_rows) >= 1 and max(len(r) for r in out_rows) >= 2:
            blocks.append(_TableBlock(out_rows, None, x0, x1, top, bottom, used=used))
            taken |= used
    return blocks


def _tabular(lines: list[_Line], width: float) -> bool:
    """Text between two rules looks like table rows (not running text in columns)."""
    if len(lines) <= 2:  # a header row between two rules; a caption line has one segment
        return all(len(_segments(ln, CELL_GAP)) >= 2 for ln in lines)
    multi = 0
    widest = []
    for ln in lines:
        segs = _segments(ln, CELL_GAP)
        if len(segs) >= 2:
            multi += 1
        widest.append(max(max(c.x1 for c in s) - min(c.x0 for c in s) for s in segs) / max(width, 1.0))
    return multi >= 0.5 * len(lines) and statistics.median(widest) < 0.45


def _rule_tables(pd: _PageData, chars: list[_Char], taken: list[_TableBlock], stats: _SupStats) -> list[_TableBlock]:
    """Three-line tables: rules of one width with table rows between them."""
    if len(pd.rules) < 2 or not chars:
        return []
    body_top = min([c.top for c in chars]) - 3
    body_bottom = max([c.bottom for c in chars]) + 3
    rules = [
        r
        for r in pd.rules
        if body_top <= r.y <= body_bottom and not any(t.x0 - 2 <= r.x0 and r.x1 <= t.x1 + 2 and t.top - 2 <= r.y <= t.bottom + 2 for t in taken)
    ]
    groups: list[list[_Rule]] = []
    for r in sorted(rules, key=lambda r: (r.x0, r.x1, r.y)):
        for g in groups:
            if abs(g[0].x0 - r.x0) <= 6 and abs(g[0].x1 - r.x1) <= 6:
                g.append(r)
                break
        else:
            groups.append([r])
    blocks: list[_TableBlock] = []
    # the characters by vertical centre: the band between two rules is a slice of them (a page
    # of ruled forms has hundreds of rule pairs)
    by_cy = sorted(chars, key=_CY)
    cys = [c.cy for c in by_cy]
    for g in groups:
        if len(g) < 2:
            continue
        g.sort(key=lambda r: r.y)
        # merge double rules drawn close together
        ys: list[_Rule] = []
        for r in g:
            if ys and r.y - ys[-1].y < 2.5:
                continue
            ys.append(r)
        x0 = min(r.x0 for r in ys)
        x1 = max(r.x1 for r in ys)
        runs: list[list[_Rule]] = [[ys[0]]]
        for a, b in zip(ys, ys[1:]):
            band = by_cy[bisect_left(cys, a.y - 1) : bisect_right(cys, b.y + 1)]
            between = _within(band, x0, a.y, x1, b.y)
            if between and _tabular(_cluster(between), x1 - x0):
                runs[-1].append(b)
            else:
                runs.append([b])
        for run in runs:
            if len(run) < 2:
                continue
            block = _table_from_region(chars, x0, run[0].y, x1, run[-1].y, stats)
            if block is not None:
                blocks.append(block)
    return blocks


def _table_from_region(chars: list[_Char], x0: float, top: float, x1: float, bottom: float, stats: _SupStats) -> _TableBlock | None:
    inside = _within(chars, x0, top, x1, bottom)
    ink = [c for c in inside if not c.text.isspace()]
    if not ink:
        return None
    rows = sorted(_cluster(inside), key=lambda ln: ln.top)
    if len(rows) < 2:
        return None
    size = statistics.median(ln.size for ln in rows)
    # columns: stretches of x covered by text in some row, separated by gaps through all rows
    spans = sorted((c.x0, c.x1) for c in ink)
    cols: list[list[float]] = [[spans[0][0], spans[0][1]]]
    for a, b in spans[1:]:
        if a - cols[-1][1] < CELL_GAP * size:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    if len(cols) < 2:
        return None
    bounds = [(cols[i][1] + cols[i + 1][0]) / 2 for i in range(len(cols) - 1)]
    out_rows: list[list[str]] = []
    for ln in rows:
        cells: list[list[_Char]] = [[] for _ in cols]
        for c in ln.chars:
            cx = (c.x0 + c.x1) / 2
            k = sum(1 for b in bounds if cx > b)
            cells[k].append(c)
        texts = [_assemble(cell, ln.size, ln.base, stats) if cell else "" for cell in cells]
        if out_rows and not texts[0] and any(texts):
            prev = out_rows[-1]
            out_rows[-1] = [_join_lines([p, t]) for p, t in zip(prev, texts)]
        else:
            out_rows.append(texts)
    if len(out_rows) < 2:
        return None
    return _TableBlock(out_rows, None, x0, x1, top, bottom)


def _attach_caption(block: _TableBlock, chars: list[_Char]) -> None:
    """The "表 N ..." line(s) just above a table become its caption."""
    near = [c for c in chars if c.bottom <= block.top + 1 and c.bottom >= block.top - 40 and (c.x0 + c.x1) / 2 >= block.x0 - 10 and (c.x0 + c.x1) / 2 <= block.x1 + 10]
    if not near:
        return
    lines = sorted(_cluster(near), key=lambda ln: ln.top, reverse=True)
    chosen: list[_Line] = []
    edge = block.top
    for ln in lines[:2]:
        if edge - ln.bottom > 2.5 * ln.size:
            break
        chosen.insert(0, ln)
        edge = ln.top
        if _CAPTION.match(_line_text(ln)):
            break
    if not chosen or not _CAPTION.match(_line_text(chosen[0])):
        return
    block.caption = _join_lines([_line_text(ln) for ln in chosen])
    if block.used is not None:
        block.used.update(id(c) for ln in chosen for c in ln.chars)
    block.top = min(ln.top for ln in chosen)
    block.x0 = min(block.x0, min(ln.x0 for ln in chosen))
    block.x1 = max(block.x1, max(ln.x1 for ln in chosen))


# =============================================================================================
# Reading order (pass 3, continued)


@dataclass
class _Item:
    kind: str  # "line" or "table"
    page: int
    col: str  # "full", "left", "right"
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str = ""
    table: _TableBlock | None = None
    col_left: float = 0.0
    col_right: float = 0.0
    line: _Line | None = None  # the line the item reads (for `_lead`)
    lead_width: float | None = None  # width of the line's first word (one character for Chinese), once asked for


def _find_gutter(lines: list[_Line], width: float, found: list | None = None) -> float | None:
    """The x of the gutter between two columns, or None; `found` (when given) receives each
    line's segments and their extents (x0, x1), for the caller to split the lines with."""
    if len(lines) < 2 * MIN_GUTTER_PAIRS:
        return None
    segs = [(ln, _segments(ln)) for ln in lines]
    # a segment's characters are in x0 order: its first has the least x0
    extents = [[(s[0].x0, max([c.x1 for c in s])) for s in ss] for _, ss in segs]
    if found is not None:
        found.extend(zip((ss for _, ss in segs), extents))
    lo, hi = int(0.3 * width), int(0.7 * width)
    # how many segments cover each whole x from lo to hi: +1 where a segment starts, -1 after
    # it ends, summed from the left
    steps = [0] * (hi - lo + 2)
    for ex in extents:
        for x0, x1 in ex:
            a = max(lo, math.ceil(x0))
            b = min(hi, math.floor(x1))
            if a <= b:
                steps[a - lo] += 1
                steps[b - lo + 1] -= 1
    cover = []
    running = 0
    for step in steps[:-1]:
        running += step
        cover.append(running)
    least = min(cover)
    best_len, best_mid, run_start = 0, None, None
    for i, v in enumerate(cover + [least + 1]):
        if v == least and run_start is None:
            run_start = i
        elif v != least and run_start is not None:
            if i - run_start > best_len:
                best_len, best_mid = i - run_start, lo + (run_start + i - 1) / 2
            run_start = None
    if best_mid is None or best_len < 3:
        return None
    g = best_mid
    pairs = crossing = 0
    right_starts: list[float] = []
    sizes: list[float] = []
    for (ln, ss), ex in zip(segs, extents):
        n_left = n_right = 0
        first_right = 0.0  # the x0 of the first segment right of the gutter
        for x0, x1 in ex:
            if x1 <= g:
                n_left += 1
            if x0 >= g:
                if not n_right:
                    first_right = x0
                n_right += 1
        if n_left + n_right < len(ss):
            crossing += 1
        elif n_left and n_right:
            pairs += 1
        if n_right and n_left + n_right == len(ss):
            right_starts.append(first_right)
            sizes.append(ln.size)
    if pairs < MIN_GUTTER_PAIRS or pairs < 0.5 * crossing:
        return None
    # the right column starts at one x (allowing paragraph indents)
    rx = min(right_starts)
    em = statistics.median(sizes)
    aligned = sum(1 for x in right_starts if x <= rx + 2.5 * em)
    if aligned < 0.6 * len(right_starts):
        return None
    return g


def _first_word_width(ln: _Line) -> float:
    ink = ln.ink
    if not ink:
        return 0.0
    end = ink[0].x1
    if _is_cjk(ink[0].text):
        return end - ink[0].x0
    spaces = [c.x0 for c in ln.chars if c.space]
    for a, b in zip(ink, ink[1:]):
        if _is_cjk(b.text) or b.x0 - a.x1 > LATIN_SPACE_GAP * ln.size or any(a.x1 - 1 <= x <= b.x0 for x in spaces):
            break
        end = b.x1
    return end - ink[0].x0


def _order_page(pd: _PageData, lines: list[_Line], tables: list[_TableBlock], stats: _SupStats) -> tuple[list[_Item], bool]:
    split: list[tuple[list[list[_Char]], list[tuple[float, float]]]] = []
    gutter = _find_gutter(lines, pd.width, split)
    items: list[_Item] = []

    def line_item(ln: _Line, col: str) -> _Item:
        return _Item("line", pd.number, col, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, text=_line_text(ln, stats), line=ln)

    for t in tables:
        col = "full"
        if gutter is not None and t.x1 <= gutter:
            col = "left"
        elif gutter is not None and t.x0 >= gutter:
            col = "right"
        items.append(_Item("table", pd.number, col, t.x0, t.x1, t.top, t.bottom, 0.0, table=t))
    if gutter is None:
        items += [line_item(ln, "full") for ln in lines]
        ordered = sorted(items, key=lambda it: (it.top, it.x0))
    else:
        for ln, (ss, ex) in zip(lines, split):
            left = [c for s, (x0, x1) in zip(ss, ex) if x1 <= gutter for c in s]
            right = [c for s, (x0, x1) in zip(ss, ex) if x0 >= gutter for c in s]
            if len(left) + len(right) < len(ln.chars):
                items.append(line_item(ln, "full"))
                continue
            # `left` and `right` keep the line's order (whole segments, taken in turn)
            if left and any(not c.text.isspace() for c in left):
                items.append(line_item(_Line(left, in_order=True), "left"))
            if right and any(not c.text.isspace() for c in right):
                items.append(line_item(_Line(right, in_order=True), "right"))
        fulls = sorted((it for it in items if it.col == "full"), key=lambda it: it.top)
        ordered = []
        prev_top = -math.inf
        for stop in fulls + [None]:
            limit = stop.top if stop is not None else math.inf
            for col in ("left", "right"):
                ordered += sorted((it for it in items if it.col == col and prev_top <= it.top < limit), key=lambda it: it.top)
            if stop is not None:
                ordered.append(stop)
                prev_top = stop.top
    for col in ("full", "left", "right"):
        members = [it for it in ordered if it.col == col and it.kind == "line"]
        if members:
            left_edge = min(it.x0 for it in members)
            right_edge = max(it.x1 for it in members)
            for it in members:
                it.col_left, it.col_right = left_edge, right_edge
    return ordered, gutter is not None


# =============================================================================================
# Vertical writing (right-to-left columns)

VERTICAL_MIN_STEPS = 20  # a page needs this many character-below-character steps ...
VERTICAL_SHARE = 3.0  # ... and this many times more of them than side-by-side steps


def _steps(chars: list[_Char]) -> tuple[int, int]:
    """(down, across): neighbouring inked characters, in the file's order, set one below the
    other in a column, or side by side on a line (counted until the page is clearly of lines)."""
    down = across = 0
    prev = None
    for c in chars:
        if c.space:
            continue
        if across > 50 and across * VERTICAL_SHARE > down:
            break  # a page of lines: the rest will not make it one of columns
        if prev is not None:
            size = prev.size if prev.size > c.size else c.size
            dx, dy = (c.x0 + c.x1 - prev.x0 - prev.x1) / 2, c.cy - prev.cy
            if -0.3 * size < dx < 0.3 * size and 0.3 * size < dy < 2 * size:
                down += 1
            elif -0.3 * size < dy < 0.3 * size and 0.3 * size < c.x0 - prev.x0 < 2 * size:
                across += 1
        prev = c
    return down, across


def is_vertical(chars: list[_Char]) -> bool:
    """Is the page written in columns (vertical Chinese)? Clustering its characters by height
    would read each row across all the columns, and the frame rules of a classical page as
    tables: every character in a wrong place, some twice."""
    down, across = _steps(chars)
    return down >= VERTICAL_MIN_STEPS and down > VERTICAL_SHARE * across


def vertical_columns(chars: list[_Char]) -> list[list[_Char]]:
    """Runs of characters, in the file's order, that share one column (their centres within a
    third of an em across), each read top to bottom. The two half-width lines of an
    interlinear note are two runs, right then left, as they are set."""
    runs: list[list[_Char]] = []
    prev = None
    for c in chars:
        if c.space:
            continue
        if prev is not None and abs((c.x0 + c.x1 - prev.x0 - prev.x1) / 2) < 0.35 * max(c.size, prev.size):
            runs[-1].append(c)
        else:
            runs.append([c])
        prev = c
    return [sorted(run, key=_CY) for run in runs]


def _vertical_items(pd: _PageData) -> list[_Item]:
    """A vertical page's paragraphs: its columns in turn, a paragraph ending where a column of
    full-size characters stops short of the page's usual column foot."""
    runs = vertical_columns(pd.chars)
    if not runs:
        return []
    main = max(_median([c.size for c in run]) for run in runs)
    foot = max(run[-1].bottom for run in runs)
    items: list[_Item] = []
    parts: list[str] = []
    for run in runs:
        parts.append("".join(c.text for c in run))
        size = _median([c.size for c in run])
        if size >= SUP_SIZE_RATIO * main and run[-1].bottom < foot - 1.5 * size:
            items.append(_vertical_item(pd.number, parts))
            parts = []
    if parts:
        items.append(_vertical_item(pd.number, parts))
    return items


def _vertical_item(page: int, parts: list[str]) -> _Item:
    return _Item("vpara", page, "full", 0.0, 0.0, 0.0, 0.0, 0.0, text="".join(parts))


# =============================================================================================
# Paragraphs and the final text (pass 4)


def _pitch_limits(items: list[_Item]) -> dict[tuple[int, str], float]:
    pitches: dict[tuple[int, str], list[float]] = defaultdict(list)
    for a, b in zip(items, items[1:]):
        if a.kind == b.kind == "line" and a.page == b.page and a.col == b.col and b.top > a.top and abs(a.size - b.size) < 0.5:
            pitches[(a.page, a.col)].append(b.top - a.top)
    return {k: statistics.median(v) for k, v in pitches.items()}


_REFERENCE_START = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.\s)")


def _lead(it: _Item) -> float:
    """The width of the item's first word (`_first_word_width` of its line), measured once."""
    if it.lead_width is None:
        it.lead_width = _first_word_width(it.line) if it.line is not None else 0.0
    return it.lead_width


def _new_paragraph(prev: _Item, cur: _Item, nxt: _Item | None, pitch: dict[tuple[int, str], float], para_start: str = "") -> bool:
    """Does `cur` start a paragraph, given the line before it (and the one after, for indents)?

    `para_start` is the first line of the paragraph being built: in a reference list ("[3] ..."
    lines set flush left) the next number starts the next entry.
    """
    if _REFERENCE_START.match(cur.text) and _REFERENCE_START.match(para_start) and cur.text.lstrip()[:1] == para_start.lstrip()[:1]:
        return True
    size = max(prev.size, cur.size)
    if abs(prev.size - cur.size) > 0.08 * size:
        return True
    same_flow = prev.page == cur.page and prev.col == cur.col and cur.top > prev.top
    if same_flow:
        usual = pitch.get((cur.page, cur.col))
        step = cur.top - prev.top
        if usual is not None and step > 1.25 * usual + 1:
            return True
        if usual is None and cur.top - prev.bottom > 0.9 * size:
            return True
    # the line before stops short: earlier than wrapping would have made it stop, that is with
    # room left for this line's first word
    # (the first word is measured only when the gap is wide enough for it to matter)
    gap = prev.col_right - prev.x1
    if gap > 1.3 * size and gap > _lead(cur) + 0.3 * size:
        return True
    em = cur.size
    prev_end = prev.text.rstrip("”’\"')）)")[-1:] in _SENTENCE_END
    if _LIST_MARKER.match(cur.text) and (prev_end or cur.text[0] in "•●▪■◆◇○□►▶✓※"):
        return True
    indented = cur.x0 - cur.col_left >= 0.9 * em and (not same_flow or cur.x0 - prev.x0 >= 0.9 * em)
    if not indented:
        return False
    if prev_end or not same_flow:
        return True
    # an indented line after a full one: a new paragraph, unless it continues a list item or
    # the lines after it are indented the same way (a hanging indent, as in reference lists)
    if _LIST_MARKER.match(prev.text) and same_flow:
        return False
    hanging = nxt is not None and nxt.kind == "line" and nxt.page == cur.page and nxt.col == cur.col and abs(nxt.x0 - cur.x0) < 0.5 * em
    return not hanging


@dataclass
class _Block:
    kind: str  # "para" or "table"
    pieces: list[tuple[str, int]]  # (text, page)
    table: _TableBlock | None = None
    page: int = 0


def _blocks(items: list[_Item]) -> list[_Block]:
    pitch = _pitch_limits(items)
    blocks: list[_Block] = []
    prev: _Item | None = None
    for k, it in enumerate(items):
        if it.kind == "table":
            t = it.table
            lines = ([t.caption] if t.caption else []) + ["  ".join(cell.replace("\n", " ") for cell in row) for row in t.rows]
            blocks.append(_Block("table", [("\n".join(lines), it.page)], table=t, page=it.page))
            prev = None
            continue
        if it.kind == "vpara":  # a paragraph of vertical columns, made whole by `_vertical_items`
            blocks.append(_Block("para", [(it.text, it.page)], page=it.page))
            prev = None
            continue
        if not it.text:
            continue
        if prev is None or not blocks or blocks[-1].kind == "table" or _new_paragraph(prev, it, items[k + 1] if k + 1 < len(items) else None, pitch, blocks[-1].pieces[0][0]):
            blocks.append(_Block("para", [(it.text, it.page)], page=it.page))
        else:
            last_text = blocks[-1].pieces[-1][0]
            sep = " " if _LATIN_JOIN_END.search(last_text) and _LATIN_JOIN_START.search(it.text) and not last_text.endswith("-") else ""
            blocks[-1].pieces.append((sep + it.text, it.page))
        prev = it
    return blocks


def _compose(blocks: list[_Block], n_pages: int) -> tuple[str, list[Page], list[tuple[_TableBlock, int, int, int]]]:
    buf: list[str] = []
    pos = 0
    first_at: dict[int, int] = {}
    placed: list[tuple[_TableBlock, int, int, int]] = []
    for i, b in enumerate(blocks):
        if i:
            buf.append("\n\n")
            pos += 2
        start = pos
        for text, page in b.pieces:
            if text.strip():
                lead = len(text) - len(text.lstrip())
                first_at.setdefault(page, pos + lead)
            buf.append(text)
            pos += len(text)
        if b.kind == "table" and b.table is not None:
            placed.append((b.table, b.page, start, pos))
    text = "".join(buf)
    pages: list[Page] = []
    starts = []
    nxt = len(text)
    for number in range(n_pages, 0, -1):
        s = first_at.get(number, nxt)
        s = min(s, nxt)
        starts.append((number, s, nxt))
        nxt = s
    for number, s, e in reversed(starts):
        pages.append(Page(number, s, e))
    if pages:
        pages[0].start = 0
    return text, pages, placed


# =============================================================================================
# The parse


def _plausible_title(title: str) -> bool:
    t = title.strip()
    if len(t) < 4 or _GENERIC_TITLE.match(t):
        return False
    return bool(_TITLE_WORDS.search(t))


def _visual_title(items: list[_Item]) -> str | None:
    lines = [it for it in items if it.kind == "line" and it.page == 1 and it.text]
    if not lines:
        return None
    body = statistics.median(it.size for it in lines)
    biggest = max(it.size for it in lines)
    if biggest < 1.2 * body:
        return None
    chosen = [it for it in lines if abs(it.size - biggest) < 0.5]
    chosen = [it for it in chosen if it.top - chosen[0].top < 4 * biggest]
    title = _join_lines([it.text for it in chosen]).strip()
    return title if len(title) >= 4 else None


def _parse(data: bytes, path: str, doc_id: str, info: _Info) -> Document:
    counts: Counter = Counter()
    try:
        fast = _pdfium_pages(data, counts, info)
    except Exception:  # noqa: BLE001 - PDFium's reading is an optimisation; pdfminer reads all
        counts = Counter()
        fast = [None] * info.pages
    slow = [i for i, pd in enumerate(fast) if pd is None]
    pages: list[_PageData] = list(fast)  # type: ignore[arg-type] - the None entries are filled below
    try:
        if slow:
            import pdfplumber

            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for i in slow:
                    page = pdf.pages[i]
                    try:
                        pages[i] = _read_page(page, i + 1, counts)
                    finally:
                        page.close()
    except MscmineError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on damaged files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise EncryptedPdfError("the PDF is encrypted in a way that cannot be read; save an unprotected copy", path) from None
        raise PdfError(f"the PDF is damaged and cannot be parsed ({name}: {exc}); try re-saving or re-downloading it", path) from None

    # pages where pdfminer could not map most characters: try PDFium's reading of them
    measured_cid = sum(pd.cid for pd in pages)
    unmapped = [pd.number for pd in pages if pd.total >= 5 and pd.cid >= 0.3 * pd.total]
    garbled = [pd.number for pd in pages if _looks_latin1_garbled(pd)]
    pdfium_pages: list[int] = []
    decoded_pages: list[int] = []
    if unmapped or garbled:
        try:
            fallback = _pdfium_chars(data, sorted(set(unmapped + garbled)))
        except Exception:  # noqa: BLE001 - the fallback is best effort
            fallback = {}
        for pd in pages:
            chars = fallback.get(pd.number)
            if not chars:
                continue
            if pd.number in unmapped and len(chars) >= 0.5 * pd.total:
                pd.chars, pd.cid = chars, 0
                pdfium_pages.append(pd.number)
            elif pd.number in garbled and sum(1 for c in chars if _is_cjk(c.text)) >= 0.3 * pd.latin1:
                pd.chars = chars
                decoded_pages.append(pd.number)
    total = sum(pd.total for pd in pages)
    counts["cid"] = sum(pd.cid for pd in pages)
    cid_share = counts["cid"] / total if total else 0.0
    if total and cid_share >= CID_FAIL_SHARE:
        raise NoTextLayerError(
            f"{cid_share:.0%} of the PDF's characters have no Unicode mapping ((cid:NNN)); the text cannot be read without OCR",
            path,
        )
    if not any(pd.chars for pd in pages):
        raise NoTextLayerError("the PDF has no readable text; run OCR on it (e.g. ocrmypdf) first", path)

    furniture: list[str] = []
    vertical = {pd.number for pd in pages if is_vertical(pd.chars)}
    dropped = _drop_furniture([pd for pd in pages if pd.number not in vertical], furniture)
    stats = _SupStats()
    items: list[_Item] = []
    two_column: list[int] = []
    for pd in pages:
        if pd.number in vertical:
            # columns top to bottom, in the order the file sets them: no table, header or
            # two-column reading (a book's frame rules are no table, its rows no lines)
            items += _vertical_items(pd)
            pd.chars = []
            continue
        chars = pd.chars
        tables = _ruled_tables(pd, chars, stats)
        tables += _rule_tables(pd, chars, tables, stats)
        cut = _drop_ruled_furniture(pd, tables, furniture)
        dropped += cut
        chars = pd.chars
        for t in tables:
            _attach_caption(t, _outside(chars, [(t.x0, t.top, t.x1, t.bottom)]))
        if tables:
            # a three-line table takes everything in its box; a ruled one what its cells hold
            # (text of a boxed page beside the cells the finder made is read as lines)
            used = set().union(*(t.used for t in tables if t.used is not None))
            chars = [c for c in _outside(chars, [(t.x0, t.top, t.x1, t.bottom) for t in tables if t.used is None]) if id(c) not in used]
        if tables or cut:
            lines = _cluster(chars)
        else:
            # the lines clustered for the header/footer pass, less the lines dropped there:
            # clustering the remaining characters again gives the same lines (the groups by
            # vertical gap are maximal runs, so taking whole lines out joins none of the others)
            lines = pd.lines
        ordered, two = _order_page(pd, lines, tables, stats)
        if two:
            two_column.append(pd.number)
        items += ordered
        pd.chars, pd.lines = [], []  # free memory early

    blocks = _blocks(items)
    text, page_ranges, placed = _compose(blocks, len(pages))
    if not text.strip():
        raise NoTextLayerError("the PDF has no readable text; run OCR on it (e.g. ocrmypdf) first", path)
    tables_out = [Table(rows=t.rows, page=page, start=s, end=e, caption=t.caption) for t, page, s, e in placed]

    meta: dict[str, Any] = {"pages": len(pages)}
    title = _visual_title(items)
    md_title = info.metadata.get("Title", "")
    if not title and _plausible_title(md_title):
        title = md_title.strip()
    if title:
        meta["title"] = title
    author = info.metadata.get("Author", "").strip()
    if author and author.lower() not in ("anonymous", "unknown", "administrator", "user"):
        meta["authors"] = author
    first_pages_end = page_ranges[min(1, len(page_ranges) - 1)].end if page_ranges else len(text)
    for source in (text[:first_pages_end], " ".join(info.metadata.values()), " ".join(furniture), text):
        m = _DOI.search(source)
        if m:
            meta["doi"] = m.group().rstrip(".,;)")
            break
    if info.metadata.get("Producer"):
        meta["producer"] = info.metadata["Producer"]
    meta["cid_chars"] = measured_cid  # as pdfminer read them, before any PDFium fallback
    meta["cid_ratio"] = round(measured_cid / total, 4) if total else 0.0
    meta["superscripts"] = {"powers_of_ten": stats.exponents, "citations": stats.citations, "other": stats.other}
    meta["tables"] = len(tables_out)
    meta["pdfminer_pages"] = [i + 1 for i in slow]  # read with pdfplumber; the others with PDFium
    meta["two_column_pages"] = two_column
    if vertical:
        meta["vertical_pages"] = sorted(vertical)
    meta["dropped_header_footer_lines"] = dropped
    warnings = []
    if counts["cid"]:
        warnings.append(
            f"{counts['cid']} characters ({cid_share:.1%}) have no Unicode mapping ((cid:NNN)) and were left out; OCR the file to recover them"
        )
        meta["cid_chars_left_out"] = counts["cid"]
    if pdfium_pages:
        meta["pdfium_pages"] = pdfium_pages
        warnings.append(f"pdfminer could not map the characters of page(s) {pdfium_pages} to Unicode; read them with pypdfium2")
    if counts["rotated"]:
        meta["rotated_chars"] = counts["rotated"]
        warnings.append(f"{counts['rotated']} rotated characters (watermarks, vertical text) were left out")
    if decoded_pages:
        meta["charset_decoded_pages"] = decoded_pages
        warnings.append(
            f"page(s) {decoded_pages}: a Chinese font's GB2312/GBK bytes under a Latin encoding came out of pdfminer as Latin-1 letters; "
            "read with pypdfium2, which decodes them by the font's charset"
        )
    if counts["compat_forms"]:
        meta["compat_forms_normalised"] = counts["compat_forms"]
        warnings.append(
            f"{counts['compat_forms']} characters came as Kangxi radicals or CJK compatibility forms (a font's ToUnicode map) "
            f"and were read as the ideographs they stand for; {counts['duplicates']} characters drawn twice in one place were read once"
        )
    if counts["outside_crop"]:
        meta["outside_crop_box_chars"] = counts["outside_crop"]
        warnings.append(f"{counts['outside_crop']} characters lie outside their page's crop box (the part a viewer shows) and were kept")
    if counts["table_errors"]:
        warnings.append(f"table detection failed on {counts['table_errors']} page(s); their tables are read as text")
    if warnings:
        meta["warnings"] = warnings
    return Document(id=doc_id, text=text, source=path, format="pdf", pages=page_ranges, tables=tables_out, meta=meta)
