"""Loaders: one package per kind of source document, all of the same shape (see CONTRIBUTING.md,
"Add a kind of document"):

- ``loaders/<kind>/records.py``: frozen dataclasses, every name already resolved to its key;
- ``loaders/<kind>/parse.py``: ``parse(text, *, path, reference)``, pure, every error a SourceError
  with its real line;
- ``loaders/<kind>/triples.py``: ``to_triples(records)``, a mapping with no lookups and no error path;
- ``loaders/<kind>/__init__.py``: ``KIND`` (its name in sources.yaml), ``parse``, ``to_triples``: the
  ``Loader`` contract below (and ``read_layout`` when a document of the kind states its layout in a file).

A kind registers itself by being here: every sub-package of ``meakg.loaders`` is a kind, named by its
folder in kebab-case (``joint_work_plan`` reads ``loader: joint-work-plan``), found without importing
it (``LOADERS``), and imported only when a document of that kind is loaded, so the query path never
imports a loader. Shared handling lives beside them: ``text`` (locators, lines, cells, money),
``citations``, ``records`` and ``provisions`` (paragraphs, posts, operative paragraphs and requested
actions, as every kind prints them), ``rdf`` (IRIs, locator and citation triples), ``reference``,
``schemes``, ``links`` and ``sourcing`` (the curated reference data and where it was read).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import yaml

from meakg.loaders.mentions import mention_triples
from meakg.loaders.provenance import is_statement, locator_spans, provenance_triples
from meakg.loaders.text import normalise
from meakg.ontology.errors import SourceError
from meakg.ontology.inputs import InputError, kind_of, read_input

__all__ = ["SOURCES_DIR", "LOADERS", "Loader", "Source", "SourceError", "sources", "read_text", "decode", "loader",
           "load"]

if TYPE_CHECKING:
    from meakg.loaders.reference import Reference

SOURCES_DIR = Path(str(files(__package__))) / "sources"


@runtime_checkable
class Loader(Protocol):
    """What every kind of document is: its name, a pure ``parse`` (text in, records out; a document's
    layout file, where the kind reads one, comes in as ``layout=``) and ``to_triples`` (records in, triples out)."""

    KIND: str

    def parse(self, text: str, *, path: Path, reference: Reference) -> Any: ...

    def to_triples(self, records: Any) -> Iterator[tuple]: ...


class _Kinds(Mapping):
    """kind (the ``loader`` of sources.yaml) -> the package that reads it: the sub-packages of meakg.loaders,
    looked up each time (listing a folder, importing nothing), so a package added to the search path counts."""

    def _found(self) -> dict[str, str]:
        return {m.name.replace("_", "-"): f"{__name__}.{m.name}"
                for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name) if m.ispkg}

    def __getitem__(self, kind: str) -> str:
        return self._found()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())


LOADERS: Mapping[str, str] = _Kinds()
REQUIRED = ("file", "loader", "title", "date", "publisher")
OPTIONAL = ("symbol", "layout", "url")
# a document's key (its file stem) names its IRI and its graph: letters, digits and . _ - ~ only
KEY = re.compile(r"[^\W_][\w.~-]*")
URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


@dataclass(frozen=True)
class Source:
    """One source document and what sources.yaml says of it."""

    path: Path
    loader: str
    title: str
    date: str
    publisher: str
    symbol: str = ""
    layout: Path | None = None       # a file beside the document stating how it is printed (its loader reads it)
    url: str = ""                    # where the document is published (its dcterms:source), if known

    @property
    def key(self) -> str:
        """The document's key: its IRI slug and the name of its graph (the file stem)."""
        return self.path.stem


def sources(directory: Path = SOURCES_DIR) -> list[Source]:
    """Return the sources listed in *directory*/sources.yaml, in the order listed.

    Anything but a list of entries, each with ``file``, ``loader``, ``title``, ``date`` and
    ``publisher``, is a SourceError naming the manifest and the line.
    """
    manifest = directory / "sources.yaml"
    text = read_text(manifest)
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
        entries = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as err:
        # where the broken construct starts (an unclosed bracket or quote), else where the parser stopped
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        what = ", ".join(filter(None, (getattr(err, "context", None), getattr(err, "problem", None)))) or str(err)
        raise SourceError(manifest, mark.line + 1 if mark else 1, f"expected valid YAML: {what}") from None
    if not isinstance(entries, list) or not entries:
        found = "an empty file" if entries is None else f"a {_type_name(entries)}"
        raise SourceError(manifest, node.start_mark.line + 1 if node else 1,
                          f"expected a list of sources ('- file: ...'), found {found}")
    assert node is not None  # the text holds a non-empty list
    listed: list[Source] = []
    keys: dict[str, int] = {}
    for item, entry in zip(node.value, entries, strict=True):
        line = item.start_mark.line + 1
        if not isinstance(entry, dict):
            raise SourceError(manifest, line, f"expected a source with keys {', '.join(REQUIRED)}, "
                                              f"found a {_type_name(entry)} {entry!r}")
        missing = [key for key in REQUIRED if entry.get(key) in (None, "")]
        if missing:
            raise SourceError(manifest, line, f"expected a source with keys {', '.join(REQUIRED)}, found none for "
                                              f"{', '.join(missing)}")
        unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            raise SourceError(manifest, line, f"expected keys among {', '.join(REQUIRED + OPTIONAL)}, "
                                              f"found {unknown[0]!r}")
        if entry["loader"] not in LOADERS:
            raise SourceError(manifest, line, f"expected a loader among {sorted(LOADERS)}, found {entry['loader']!r}")
        path = _inside(directory, entry["file"], manifest, line, what="a file")
        key = path.stem
        if not KEY.fullmatch(key):
            raise SourceError(manifest, line, "expected a file name of letters, digits, '.', '_', '-' or '~' (it "
                                              f"names the document's IRI), found {entry['file']!r}")
        if key in keys:
            raise SourceError(manifest, line, f"expected one entry per document, found a second {key!r} "
                                              f"(the first at line {keys[key]})")
        keys[key] = line
        layout = None
        if entry.get("layout"):
            if not hasattr(loader(entry["loader"]), "read_layout"):
                raise SourceError(manifest, line, f"expected no layout for a {entry['loader']} document (its loader "
                                                  f"reads none), found {entry['layout']!r}")
            layout = _inside(directory, entry["layout"], manifest, line, what="a layout file")
        url = str(entry.get("url") or "")
        if url and not URL.fullmatch(url):
            raise SourceError(manifest, line, f"expected url to be an http(s) address, found {url!r}")
        listed.append(Source(path, entry["loader"], str(entry["title"]), str(entry["date"]), str(entry["publisher"]),
                             str(entry.get("symbol", "")), layout, url))
    return listed


def _inside(directory: Path, name: object, manifest: Path, line: int, *, what: str) -> Path:
    """Return the regular file *name* names inside *directory* (links followed); anything else is a SourceError
    that names the entry, never what the file holds."""
    path = directory / str(name)
    if not path.resolve().is_relative_to(directory.resolve()):
        raise SourceError(manifest, line, f"expected {what} inside {directory} (beside sources.yaml or below), "
                                          f"found {str(name)!r}, which is outside it")
    found = kind_of(path)
    if found != "a regular file":
        raise SourceError(manifest, line, f"expected {what} {str(name)!r} beside sources.yaml, found "
                                          f"{'none' if found == 'nothing' else found}")
    return path


def _type_name(value: object) -> str:
    names: dict[type, str] = {dict: "mapping", str: "string", list: "list"}
    return names.get(type(value), type(value).__name__)


def read_text(path: Path) -> str:
    """Return the text of a UTF-8 file; a byte that is not UTF-8 is an error naming its line.

    >>> import tempfile; f = Path(tempfile.mkdtemp()) / "d.txt"; _ = f.write_bytes(b"one\\ntwo \\xff\\n")
    >>> try: read_text(f)
    ... except SourceError as err: print(err.line, err.message)
    2 expected UTF-8 text, found the byte 0xff
    """
    try:
        data = read_input(path)
    except InputError as err:
        raise SourceError(path, 1, err.problem) from None
    return decode(path, data)


def decode(path: Path, data: bytes) -> str:
    """Return *data* read from *path* as text; a byte that is not UTF-8 is an error naming its line.

    >>> decode(Path("d.txt"), "caf\u00e9".encode())
    'caf\u00e9'
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SourceError(path, line, f"expected UTF-8 text, found the byte 0x{data[err.start]:02x}") from None


def loader(name: str) -> Loader:
    """Import and return the package that reads documents of kind *name*; it must keep the ``Loader`` contract.

    >>> loader("joint-work-plan").KIND
    'joint-work-plan'
    """
    module = importlib.import_module(LOADERS[name])
    if not isinstance(module, Loader) or module.KIND != name:
        raise TypeError(f"{module.__name__} is not a loader of {name!r}: expected KIND = {name!r}, parse and "
                        "to_triples (CONTRIBUTING.md, 'Add a kind of document')")
    return module


def load(source: Source, reference: Reference, *, text: str | None = None) -> Iterator[tuple]:
    """Read, parse and map one source document: yield its triples (not the document's own description),
    then their provenance (``loaders.provenance``: statements, selectors; ``is_provenance`` tells them apart).
    *text*, when given, is the document as already read (the build reads each file once)."""
    module = loader(source.loader)
    read_layout = getattr(module, "read_layout", None)
    options = {}
    if source.layout:
        if read_layout is None:
            raise SourceError(source.layout, 1, f"expected no layout file for a {source.loader} document (the kind "
                                                f"reads none), found {source.layout.name!r}")
        options["layout"] = read_layout(source.layout)
    text = normalise(read_text(source.path) if text is None else text)
    triples = list(module.to_triples(module.parse(text, path=source.path, reference=reference, **options)))
    triples += mention_triples(locator_spans(triples, text), text, reference.names, document_key=source.key)
    yield from (t for t in triples if not is_statement(t))
    yield from provenance_triples(triples, text, source.key)
