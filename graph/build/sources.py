"""What a build is made from: a folder of documents with its sources.yaml (or the bundled one), plus
single documents of a known kind; the documents (``loaders.Source``) that names, and their bytes.

The query path reads a manifest's sources to check the build is current, so this module imports
the loaders only when documents are read.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from meakg.ontology.errors import SourceError
from meakg.ontology.inputs import InputError, read_input

if TYPE_CHECKING:  # the query path imports no loader
    from meakg.loaders import Source


def package_dir(name: str) -> Path:
    """Return the folder of our package *name* without importing it (the cold query path imports no loader).

    >>> package_dir("meakg.loaders").name in ("loaders",)
    True
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"no package {name!r}", name=name)
    return Path(spec.submodule_search_locations[0]).resolve()


BUNDLED_SOURCES = package_dir("meakg.loaders") / "sources"
MANIFEST = "sources.yaml"


@dataclass(frozen=True)
class Sources:
    """What a build is made from: a folder with sources.yaml (None: the bundled documents), plus single
    documents of a known kind, as (kind, path) pairs.

    >>> Sources().describe()
    'the bundled documents'
    >>> Sources(extra=(("joint-work-plan", "/tmp/plan.txt"),)).describe()
    'the bundled documents + joint-work-plan=/tmp/plan.txt'
    """

    directory: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        base = self.directory or "the bundled documents"
        return " + ".join([base, *(f"{kind}={path}" for kind, path in self.extra)])

    @property
    def folder(self) -> Path:
        """The folder holding sources.yaml."""
        return Path(self.directory) if self.directory else BUNDLED_SOURCES


@dataclass(frozen=True)
class Document:
    """One document as the build read it: what sources.yaml (or ``--source``) says of it, and its bytes."""

    source: Source
    data: bytes             # the file's bytes as read (once: hashed, then parsed)
    layout: bytes = b""     # the bytes of its layout file, if it has one

    @property
    def key(self) -> str:
        return self.source.key


def documents(sources: Sources = Sources()) -> list[Source]:
    """Return the documents (``loaders.Source``) *sources* names: its folder's sources.yaml, then each extra.

    A second document with the key (file stem) of one already listed is an error: two documents
    would share one IRI and one graph.
    """
    from meakg import loaders

    listed = loaders.sources(sources.folder)
    found = {source.key: sources.folder / MANIFEST for source in listed}
    for kind, path in sources.extra:
        extra = document(kind, Path(path))
        if extra.key in found:
            raise SourceError(Path(path), 1, f"expected a document whose file name is not already in the build, "
                                             f"found a second {extra.key!r} (also in {found[extra.key]}); rename one")
        found[extra.key] = Path(path)
        listed.append(extra)
    return listed


def read(sources: list[Source]) -> list[Document]:
    """Return each of *sources* (``loaders.Source``) with its bytes, and its layout's, read once."""
    return [Document(source, _read(source.path, "a document"),
                     _read(source.layout, "a layout file") if source.layout else b"") for source in sources]


def document(kind: str, path: Path) -> Source:
    """Return a single document of a known *kind* to add to a build (``meakg build --source KIND=PATH``).

    Its title is its first non-blank line, its year the first year (19xx or 20xx) in that line or
    the file name; it has no symbol, so its key (the file stem) identifies it.
    """
    from meakg import loaders

    path = Path(path)
    if kind not in loaders.LOADERS:
        raise SourceError(path, 1, f"expected a kind of document among {', '.join(sorted(loaders.LOADERS))}, "
                                   f"found {kind!r}")
    if not loaders.KEY.fullmatch(path.stem):
        raise SourceError(path, 1, "expected a file name of letters, digits, '.', '_', '-' or '~' (it names the "
                                   f"document's IRI), found {path.name!r}")
    text = loaders.decode(path, _read(path, "a document"))
    title = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    year = re.search(r"\b(19|20)\d\d\b", title) or re.search(r"(?<!\d)(19|20)\d\d(?!\d)", path.stem)
    if not title or year is None:  # the line is not shown: the file may be anything but a document
        raise SourceError(path, 1, "expected a title line with the document's year (or a year in the file name), "
                                   f"found {'no text' if not title else 'a first line without one'}")
    return loaders.Source(path.resolve(), kind, title[:200], year.group(0), "", "")


def _read(path: Path, what: str) -> bytes:
    try:
        return read_input(path, what=what)
    except InputError as err:
        raise SourceError(path, 1, err.problem) from None
