"""Progress of long work on stderr: what meakg is doing, and notes such as "Rebuilding ... into DIR".

On a terminal a step shows while it runs, as a line then rewritten with its time; otherwise as one
plain line when it is done (``meakg: Reasoning (OWL 2 RL closure): 1.2 s``). ``set_quiet(True)`` (the
``--quiet`` option) silences everything here; errors are not progress and still print.

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


def done(message: str, seconds: float) -> None:
    """Print a step that ran elsewhere (another process) and how long it took, as ``step`` would."""
    if not _state["quiet"]:
        _stream().write(f"meakg: {message}: {seconds:.1f} s\n")
        _stream().flush()


@contextmanager
def step(message: str):
    """Show *message* while the work runs (a line rewritten in place on a terminal) and how long it took.

    Off a terminal, one plain line when the step is done. A step that fails prints nothing (its line is
    erased on a terminal), so an error is the only line it leaves.
    """
    if _state["quiet"]:
        yield
        return
    stream, start = _stream(), time.perf_counter()
    terminal = stream.isatty()
    if terminal:
        stream.write(f"meakg: {message} ...")
        stream.flush()
    try:
        yield
    except BaseException:
        if terminal:
            stream.write("\r\033[K")
            stream.flush()
        raise
    seconds = time.perf_counter() - start
    stream.write(("\r" if terminal else "") + f"meakg: {message}: {seconds:.1f} s\n")
    stream.flush()


def _stream():
    return sys.stderr
