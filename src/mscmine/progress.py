"""Progress of a batch: count, rate and time left.

On a terminal a tqdm bar (log lines are printed above it, not through it); otherwise, as in a
CI log or a file, a plain line every `every` seconds; nothing when quiet.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import ExitStack

log = logging.getLogger("mscmine")


def choose_mode(quiet: bool, stream=None) -> str:
    """"off" when quiet, "bar" on a terminal, else "lines"."""
    stream = stream or sys.stderr
    if quiet:
        return "off"
    try:
        return "bar" if stream.isatty() else "lines"
    except (AttributeError, ValueError):
        return "lines"


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Progress:
    """``with Progress(total, mode) as p: ... p.update()`` once per file."""

    def __init__(self, total: int, mode: str = "lines", *, stream=None, every: float = 10.0, unit: str = "file"):
        if mode not in ("bar", "lines", "off"):
            raise ValueError(f"mode must be bar, lines or off, not {mode!r}")
        self.total = total
        self.mode = mode
        self.stream = stream or sys.stderr
        self.every = every
        self.unit = unit
        self.done = 0
        self._bar = None
        self._stack = ExitStack()
        self._started = self._last = time.monotonic()

    def __enter__(self) -> "Progress":
        self._started = self._last = time.monotonic()
        if self.mode == "bar" and self.total:
            from tqdm import tqdm
            from tqdm.contrib.logging import logging_redirect_tqdm

            try:
                size = os.get_terminal_size(self.stream.fileno())
                known = size.columns > 0 and size.lines > 0
            except (AttributeError, OSError, ValueError):
                known = False
            # a pty that reports no size (script, some CI runners) would hide the bar
            size = {"dynamic_ncols": True} if known else {"ncols": 80, "nrows": 24}
            self._bar = self._stack.enter_context(
                tqdm(total=self.total, unit=self.unit, desc="mscmine", file=self.stream, smoothing=0.1, **size))
            self._stack.enter_context(logging_redirect_tqdm(loggers=[log]))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()
        self._bar = None

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.mode == "lines":
            now = time.monotonic()
            if now - self._last >= self.every and self.done < self.total:
                self._last = now
                self.stream.write(f"mscmine: {self.line(now)}\n")
                self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """"120/1000 files (12%), 35.2 files/s, about 25 s left"."""
        elapsed = max((now or time.monotonic()) - self._started, 1e-9)
        rate = self.done / elapsed
        text = f"{self.done}/{self.total} {self.unit}s"
        if self.total:
            text += f" ({100 * self.done / self.total:.0f}%)"
        text += f", {rate:.1f} {self.unit}s/s"
        if rate > 0 and self.total > self.done:
            text += f", about {_duration((self.total - self.done) / rate)} left"
        return text
