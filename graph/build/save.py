"""Writing a generation of the build: ``meakg.nq`` (every quad, sorted lines) and the Oxigraph store, whose
default graph holds the merge of the named graphs, each triple once.

The store is loaded whole (Oxigraph's bulk loader), or, when the previous generation differs in a small
part (an added or changed document), copied from it (a RocksDB checkpoint: its immutable files
hard-linked, not rewritten) and changed by the difference: the quads only one of them has, and the
default-graph triples no named graph holds any more, or none held before. Either way the store holds
the same quads; ``tests/test_build.py`` compares them.
"""

from __future__ import annotations

import bisect
import shutil
from pathlib import Path

from meakg.graph.build.store import STORE_DIR, STORE_FILE, build_error
from meakg.graph.files import open_atomic

INCREMENTAL_SHARE = 0.25  # above this share of changed lines, loading everything is as quick
DEFAULT_FILE = ".default.nq"


def save_generation(generation: Path, lines: list[bytes], *, previous: Path | None = None) -> int:
    """Write sorted N-Quads *lines* (every quad in a named graph) into *generation*; return the file's size.
    *previous*, a generation of the same directory, may lend its store (see the module docstring).

    *lines* is emptied once written and compared: the store loads from the files, and the memory the
    lines took (a third of the build's, at 100 copies) is free for it."""
    nquads = generation / STORE_FILE
    try:
        with open_atomic(nquads) as out:
            size = sum(out.write(line + b"\n") for line in lines)
        changes = _changes(previous, lines) if previous is not None else None
        if changes is None:
            _write_default(generation, lines)
        lines.clear()
        if changes is not None and previous is not None:
            try:
                _update(previous / STORE_DIR, generation / STORE_DIR, *changes)
            except RuntimeError:  # RocksDB found the previous store damaged: load everything instead
                shutil.rmtree(generation / STORE_DIR, ignore_errors=True)  # inside our own new generation
                changes = None
        if changes is None:
            _load(generation)
    except OSError as err:
        raise build_error(generation.parent, err) from None
    return size


def _write_default(generation: Path, lines: list[bytes]) -> None:
    """The default graph's input: the merge, each triple as often as graphs hold it (the store keeps a set)."""
    with open(generation / DEFAULT_FILE, "wb") as default:
        default.writelines(line[:line.rindex(b" <")] + b" .\n" for line in lines)


def _load(generation: Path) -> None:
    import pyoxigraph

    merged = generation / DEFAULT_FILE
    if not merged.exists():  # the store was to be copied: write the default graph's input from the file
        with open(generation / STORE_FILE, "rb") as nquads:
            _write_default(generation, [line.rstrip(b"\n") for line in nquads])
    store = pyoxigraph.Store(str(generation / STORE_DIR))
    store.bulk_load(path=str(generation / STORE_FILE), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
    store.bulk_load(path=str(merged), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    del store
    merged.unlink()


def _changes(previous: Path, lines: list[bytes]) -> tuple[list[bytes], list[bytes], list[bytes]] | None:
    """Return the lines *previous* has and *lines* lacks, those *lines* adds, and the triples of removed lines no
    line still holds; None if there is no usable previous store or the change is too large to pay."""
    try:
        removed, added = _difference(previous / STORE_FILE, lines)
    except OSError:
        return None
    if not (previous / STORE_DIR).is_dir() or len(removed) + len(added) > INCREMENTAL_SHARE * len(lines):
        return None
    gone = []
    for triple in {_triple(line) for line in removed}:
        at = bisect.bisect_left(lines, triple + b" <")
        if at == len(lines) or not lines[at].startswith(triple + b" <"):
            gone.append(triple)
    return removed, added, sorted(gone)


def _difference(old: Path, lines: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The lines of the sorted file *old* not in sorted *lines*, and those of *lines* not in it (one pass)."""
    removed, added, at = [], [], 0
    with open(old, "rb") as previous:
        for raw in previous:
            line = raw.rstrip(b"\n")
            while at < len(lines) and lines[at] < line:
                added.append(lines[at])
                at += 1
            if at < len(lines) and lines[at] == line:
                at += 1
            else:
                removed.append(line)
    added.extend(lines[at:])
    return removed, added


def _update(old: Path, new: Path, removed: list[bytes], added: list[bytes], gone: list[bytes]) -> None:
    """Make *new* the store *old* with *removed* lines (and the default-graph triples *gone*) taken out and
    *added* lines put in, with their triples in the default graph (a set: one already there stays one)."""
    import pyoxigraph

    source = pyoxigraph.Store.read_only(str(old))
    source.backup(str(new))
    del source
    store = pyoxigraph.Store(str(new))
    for quad in _parse(removed):
        store.remove(quad)
    for quad in _parse([triple + b" ." for triple in gone]):
        store.remove(quad)
    store.extend(_parse(added))
    store.extend(_parse([_triple(line) + b" ." for line in added]))
    store.flush()
    del store


def _parse(lines: list[bytes]) -> list:
    import pyoxigraph

    if not lines:
        return []
    return list(pyoxigraph.parse(b"\n".join(lines) + b"\n", format=pyoxigraph.RdfFormat.N_QUADS, lenient=True))


def _triple(line: bytes) -> bytes:
    """'<s> <p> o <g> .' -> '<s> <p> o' (the graph name is the last ' <' of the line)."""
    return line[:line.rindex(b" <")]
