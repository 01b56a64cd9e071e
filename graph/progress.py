"""Progress of long work on stderr: what meakg is doing, and notes such as "Rebuilding ... into DIR".

On a terminal a step shows as one line rewritten in place with its elapsed time; otherwise as
plain lines (``meakg: Parsing ... done in 1.2 s``). ``set_quiet(True)`` (the ``--quiet`` option)
silences everything here; errors are not progress and still print.

>>> with step("Nothing much"):
...     pass
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

_state = {"quiet": False, "enabled": True}


def set_quiet(quiet: bool) -> None:
    """Silence (or allow again) progress lines and notes."""
    _state["quiet"] = quiet


def quiet() -> bool:
    return _state["quiet"]


def note(message: str) -> None:
    """Print one line on stderr, unless quiet."""
    if not _state["quiet"]:
        _stream().write(f"meakg: {message}\n")
        _stream().flush()


@contextmanager
def step(message: str):
    """Say *message* when the work starts and how long it took when it ends (a terminal line or plain lines)."""
    if _state["quiet"]:
        yield
        return
    stream, start = _stream(), time.perf_counter()
    terminal = stream.isatty()
    stream.write(f"meakg: {message} ..." + ("" if terminal else "\n"))
    stream.flush()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        if terminal:
            stream.write(f"\rmeakg: {message} ... {seconds:.1f} s\n")
        elif seconds >= 0.5:
            stream.write(f"meakg: {message}: {seconds:.1f} s\n")
        stream.flush()


def _stream():
    return sys.stderr
