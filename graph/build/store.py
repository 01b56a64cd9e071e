"""The build directory, owned here: where it is, its manifest, and writing a built dataset into it.
Making a build and keeping it current is ``meakg.graph.build.current``'s job; this module only stores.

A build directory holds ``manifest.json`` (what the build was made from: the documents with
their hashes, the cache key, triple counts, when), ``meakg.nq`` (every named graph as sorted
N-Quads: what export, validate, serve and publish read) and ``store-*/``, an on-disk Oxigraph
store that ``meakg query`` and ``meakg sparql`` open read-only. In that store the default graph
holds the merge of the named graphs, each triple once (what a partner gets from the flat
export), and the named graphs sit beside it for ``GRAPH`` queries; a default-graph query only
reads the default graph's indexes, so it reads each triple once.

Where: ``$MEAKG_BUILD_DIR``; else ``./build`` when the current directory is a meakg checkout;
else a per-user data directory (platformdirs). A build made from other documents
(``meakg build --sources DIR`` or ``--source KIND=PATH``) is the build every command then uses.
When its inputs change (a document, the reference data, the ontology, the loader or build
code: not help texts, shapes or queries) or it is found corrupt, the next command rebuilds it
from the same documents and says so on stderr. This module imports neither rdflib nor the
loaders, so a saved query from a cold command line pays only for pyoxigraph.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from meakg.graph.build.sources import Sources, package_dir
from meakg.graph.files import write_atomic
from meakg.ontology.errors import BuildError

FORMAT = 2  # bump when the layout of a build directory changes
STORE_FILE = "meakg.nq"
MANIFEST_FILE = "manifest.json"
STORE_PREFIX = "store-"
ENV = "MEAKG_BUILD_DIR"
# What changes the graph, as (package, pattern): loader and base code, ontology, reference data, how
# the build finds documents, assembles and reasons. Not the CLI, validation, export, shapes or queries:
# editing those never rebuilds.
GRAPH_INPUTS = (("meakg.loaders", "**/*.py"), ("meakg.ontology", "**/*.py"), ("meakg.ontology", "meakg.ttl"),
                ("meakg.ontology", "reference/**/*"), ("meakg.graph.build", "sources.py"),
                ("meakg.graph.build", "assemble.py"), ("meakg.graph.build", "reason.py"))
# Kept for graph.serve, which fills its own store: the merge of the named graphs as default graph.
MERGE_NAMED_GRAPHS = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class Manifest:
    """What a build directory holds: its cache key, sources, documents, triple counts, when it was built."""

    key: str
    sources: Sources
    documents: tuple[dict, ...] = ()        # {"key", "kind", "path", "sha256"} per document
    triples: dict = field(default_factory=dict)
    built: str = ""                         # UTC, ISO 8601
    store: str = ""                         # the Oxigraph store's folder name
    nquads_bytes: int = 0

    def to_json(self) -> str:
        data = {"format": FORMAT, "key": self.key, "built": self.built, "store": self.store,
                "nquads_bytes": self.nquads_bytes, "triples": self.triples, "documents": list(self.documents),
                "sources": {"directory": self.sources.directory, "extra": [list(e) for e in self.sources.extra]}}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        sources = Sources(data["sources"]["directory"], tuple((k, p) for k, p in data["sources"]["extra"]))
        return cls(data["key"], sources, tuple(data["documents"]), data["triples"], data["built"], data["store"],
                   data["nquads_bytes"])


# ---------------------------------------------------------------- where
def build_dir() -> Path:
    """Return the build directory: $MEAKG_BUILD_DIR, ./build in a meakg checkout, else a per-user data directory."""
    return _where()[0]


def where() -> str:
    """Return the build directory and why it is the one, e.g. 'build (a meakg checkout)'."""
    directory, why = _where()
    return f"{directory} ({why})"


def _where() -> tuple[Path, str]:
    named = os.environ.get(ENV)
    if named:
        path = Path(named)
        if path.exists() and not path.is_dir():
            raise BuildError(f"{ENV}={named}: expected a directory for the build, found a file")
        return path, f"from ${ENV}"
    if is_checkout(Path.cwd()):
        return Path("build"), "a meakg checkout"
    import platformdirs

    return Path(platformdirs.user_data_dir("meakg")) / "build", f"per-user data directory; set ${ENV} to choose"


def is_checkout(directory: Path) -> bool:
    """Whether *directory* is a meakg project checkout (its pyproject.toml names the project meakg)."""
    try:
        text = (directory / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return 'name = "meakg"' in text and (directory / "graph").is_dir()


# ---------------------------------------------------------------- cache key
def graph_key(sources: Sources = Sources()) -> str:
    """Return the cache key of a build: a hash of the documents and of what turns them into the graph."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for name, path in graph_inputs():
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes())
    for path in sources.files():
        digest.update(f"document {path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def graph_inputs() -> list[tuple[str, Path]]:
    """Return the files of the project whose change changes the graph (GRAPH_INPUTS) as (name, path), sorted;
    a name is the file's path inside its package, e.g. 'meakg.graph.build/reason.py'."""
    found = set()
    for package, pattern in GRAPH_INPUTS:
        folder = package_dir(package)
        found |= {(f"{package}/{p.relative_to(folder).as_posix()}", p) for p in folder.glob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts and "sources" not in p.relative_to(folder).parts}
    return sorted(found)


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------- reading
def read_manifest(directory: Path | None = None) -> Manifest | None:
    """Return the manifest of the build in *directory*, or None if there is none or it is unreadable."""
    directory = Path(directory or build_dir())
    try:
        return Manifest.from_json((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def problem(directory: Path | None = None) -> str | None:
    """Return why the build in *directory* cannot be used as it is (missing, stale, damaged), or None if it can."""
    directory = Path(directory or build_dir())
    manifest = read_manifest(directory)
    if manifest is None:
        return "no build yet" if not (directory / MANIFEST_FILE).exists() else "its manifest is unreadable"
    store_file = directory / STORE_FILE
    if not store_file.is_file() or store_file.stat().st_size != manifest.nquads_bytes:
        return f"{STORE_FILE} is missing or damaged"
    if not (directory / manifest.store).is_dir():
        return "its Oxigraph store is missing"
    for document in manifest.documents:
        if not Path(document["path"]).is_file():
            raise BuildError(f"{document['path']}: expected a document this build was made from, found nothing"
                             " (run meakg build again)")
    if manifest.key != graph_key(manifest.sources):
        return "a document, the reference data, the ontology or the build code changed"
    return None


# ---------------------------------------------------------------- writing
def save(ds, directory: Path | None = None, *, sources: Sources = Sources(), documents=None) -> Manifest:
    """Persist the built dataset *ds* in *directory*: sorted N-Quads, the Oxigraph store, then the manifest."""
    import pyoxigraph

    from meakg.graph.build.dataset import to_oxigraph

    cache: dict = {}

    def term(t):
        found = cache.get(t)
        if found is None:
            found = cache[t] = to_oxigraph(t)
        return found

    quads = (pyoxigraph.Quad(term(s), term(p), term(o), term(g)) for s, p, o, g in ds.quads((None, None, None, None)))
    text = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    del text
    listed = tuple({"key": d.key, "kind": d.loader, "path": str(d.path), "sha256": file_hash(d.path)}
                   for d in (documents or ()))
    return save_nquads(lines, directory, sources=sources, documents=listed)


def save_nquads(lines: list[str], directory: Path | None = None, *, sources: Sources = Sources(),
                documents: tuple[dict, ...] = ()) -> Manifest:
    """Persist sorted N-Quads *lines* (every quad in a named graph) as the build in *directory*; return its manifest."""
    import pyoxigraph

    directory = Path(directory or build_dir())
    check_writable(directory)
    key = graph_key(sources)
    location = None
    try:
        nquads = ("\n".join(lines) + "\n").encode("utf-8")
        write_atomic(directory / STORE_FILE, nquads)
        location = Path(tempfile.mkdtemp(dir=directory, prefix=STORE_PREFIX))
        store = pyoxigraph.Store(str(location))
        store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        merged, triples = set(), {}
        for line in lines:  # '<s> <p> o <g> .': the graph name is the last ' <' of the line
            cut = line.rindex(" <")
            merged.add(line[:cut])
            name = line[cut + 2:-3].rsplit("/", 1)[-1]
            triples[name] = triples.get(name, 0) + 1
        store.bulk_load((" .\n".join(sorted(merged)) + " .\n").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES,
                        to_graph=pyoxigraph.DefaultGraph())
        del merged
        store.flush()
        del store
        manifest = Manifest(key, sources, tuple(documents), dict(sorted(triples.items())),
                            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), location.name, len(nquads))
        write_atomic(directory / MANIFEST_FILE, manifest.to_json())
    except OSError as err:
        if location is not None:
            shutil.rmtree(location, ignore_errors=True)
        raise BuildError(f"{directory}: cannot write the build ({err.strerror or err})") from None
    for old in directory.glob(STORE_PREFIX + "*"):
        if old.name != location.name:
            shutil.rmtree(old, ignore_errors=True)
    return manifest


def check_writable(directory: Path) -> None:
    """Fail with one line unless a build can be written in *directory* (made if missing)."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".write-check.")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        hint = f"set ${ENV} to a writable directory" if not os.environ.get(ENV) else f"point ${ENV} elsewhere"
        raise BuildError(f"{directory}: cannot write the build ({err.strerror or err}); {hint}") from None

