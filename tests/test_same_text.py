"""Same text, same graph: a copy of a document that differs only in its byte-order mark, line ends,
trailing spaces or doubled blank lines gives the graph of the clean file (loaders.text.normalise)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meakg import loaders
from meakg.loaders import SOURCES_DIR, sources
from meakg.loaders.reference import load_reference
from meakg.loaders.text import normalise

REFERENCE = load_reference()
SOURCES = {s.key: s for s in sources(SOURCES_DIR)}
VARIANTS = {
    "bom": lambda text: "\ufeff" + text,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "trailing-spaces": lambda text: text.replace("\n", "  \n"),
    "doubled-blank-lines": lambda text: text.replace("\n\n", "\n\n\n\n"),
}


def triples(source) -> set:
    return set(loaders.load(source, REFERENCE))


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_the_vendored_documents_are_stored_as_read(key: str) -> None:
    text = SOURCES[key].path.read_text(encoding="utf-8")
    assert normalise(text) == text


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("key", sorted(SOURCES))
def test_a_copy_differing_only_in_whitespace_or_encoding_gives_the_same_graph(tmp_path: Path, key: str,
                                                                              variant: str) -> None:
    source = SOURCES[key]
    text = source.path.read_text(encoding="utf-8")
    changed = VARIANTS[variant](text)
    assert changed != text
    copy = tmp_path / source.path.name
    copy.write_text(changed, encoding="utf-8", newline="")
    if source.layout:
        shutil.copy(source.layout, tmp_path / source.layout.name)
    moved = loaders.Source(copy, source.loader, source.title, source.date, source.publisher, source.symbol,
                           tmp_path / source.layout.name if source.layout else None)
    assert triples(moved) == triples(source)
