"""The build directory, owned here: where it is, who may write it, its manifest, and its generations.
Making a build and keeping it current is ``meakg.graph.build.current``'s job; this module only stores.

A build directory holds:

- ``.meakg``: meakg's marker (``meakg build``): meakg writes only into a folder it made or found
  empty, and deletes only folders holding its marker, never by their names. The marker is also
  the writers' lock: a build holds an OS lock on it (``fcntl.flock``) from start to end, so two
  builds run one after the other, and a command finding the build stale waits for a running one.
- ``manifest.json``: what the current build was made from (the folder, the added documents, each
  document's origin and SHA-256, the cache key, triple counts, when) and which generation holds it.
  It is replaced in one rename, the moment a new build becomes current.
- one folder per generation (marker ``meakg generation``): a complete build, written beside the
  previous one: ``meakg.nq`` (every named graph as sorted N-Quads: what export, validate, serve and
  publish read), ``store/`` (an on-disk Oxigraph store that ``meakg query`` and ``meakg sparql``
  open read-only: the default graph holds the merge of the named graphs, each triple once), and
  ``documents/``: the text each document was read as (offsets and hashes point into it) and its
  quads, which the next build reuses when the document is unchanged. A reader holds a shared lock on
  the generation it reads; a build deletes an old generation only when no reader holds one.

Where: ``$MEAKG_BUILD_DIR``; else ``./build`` when the current directory is a meakg checkout;
else a per-user data directory (platformdirs). This module imports neither rdflib nor the loaders,
so a saved query from a cold command line pays only for pyoxigraph.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from meakg.graph.build.sources import MANIFEST, Sources, package_dir
from meakg.graph.files import WriteError, write_atomic
from meakg.graph.folders import MARKER, claim_directory, owned, remove_owned
from meakg.ontology.errors import BuildError

FORMAT = 3  # bump when the layout of a build directory changes
STORE_FILE = "meakg.nq"
MANIFEST_FILE = "manifest.json"
STORE_DIR = "store"
DOCUMENTS_DIR = "documents"
ENV = "MEAKG_BUILD_DIR"
# What changes the graph, as (package, pattern): loader and base code, ontology, reference data, how
# the build finds documents, assembles and reasons. Not the CLI, validation, export, shapes or queries:
# editing those never rebuilds.
GRAPH_INPUTS = (("meakg.loaders", "**/*.py"), ("meakg.ontology", "**/*.py"), ("meakg.ontology", "meakg.ttl"),
                ("meakg.ontology", "reference/**/*"), ("meakg.graph.build", "sources.py"),
                ("meakg.graph.build", "assemble.py"), ("meakg.graph.build", "parts.py"),
                ("meakg.graph.build", "reason.py"))
# Kept for graph.serve, which fills its own store: the merge of the named graphs as default graph.
MERGE_NAMED_GRAPHS = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_pins: dict[str, int] = {}   # generation folder -> the descriptor holding this process's shared lock on it


@dataclass(frozen=True)
class Manifest:
    """What a build directory holds: its cache key, sources, documents, counts, when built, and where."""

    key: str
    sources: Sources
    documents: tuple[dict, ...] = ()        # key, kind, origin, sha256, layout, layout_sha256, part
    triples: dict = field(default_factory=dict)
    built: str = ""                         # UTC, ISO 8601
    generation: str = ""                    # the folder holding this build
    nquads_bytes: int = 0
    classes: dict = field(default_factory=dict)   # typed nodes per class (asserted and inferred types)
    base: str = ""                          # the key of the graph code alone: parts of an equal base are reusable

    @property
    def store(self) -> str:
        """The Oxigraph store's folder, relative to the build directory."""
        return f"{self.generation}/{STORE_DIR}"

    @property
    def nquads(self) -> str:
        """The N-Quads file, relative to the build directory."""
        return f"{self.generation}/{STORE_FILE}"

    def inputs(self) -> list[Path]:
        """The files whose bytes make this build: sources.yaml, then each document and layout, as listed."""
        found = [self.sources.folder / MANIFEST]
        for document in self.documents:
            found.append(Path(document["origin"]))
            if document.get("layout"):
                found.append(Path(document["layout"]))
        return found

    def to_json(self) -> str:
        data = {"format": FORMAT, "key": self.key, "base": self.base, "built": self.built,
                "generation": self.generation, "nquads_bytes": self.nquads_bytes, "triples": self.triples,
                "classes": self.classes, "documents": list(self.documents),
                "sources": {"directory": self.sources.directory, "extra": [list(e) for e in self.sources.extra]}}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        sources = Sources(data["sources"]["directory"], tuple((k, p) for k, p in data["sources"]["extra"]))
        if not isinstance(data["generation"], str) or "/" in data["generation"] or data["generation"] in ("", ".."):
            raise ValueError("generation")
        return cls(data["key"], sources, tuple(data["documents"]), data["triples"], data["built"],
                   data["generation"], data["nquads_bytes"], data["classes"], data["base"])


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


# ---------------------------------------------------------------- cache keys
def base_key() -> str:
    """Return the key of what turns documents into the graph: the format, the loaders, ontology, reference
    data and build code (GRAPH_INPUTS). A document's stored quads are reusable while it is unchanged."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for name, path in graph_inputs():
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def graph_key(base: str, inputs: list[bytes]) -> str:
    """Return the cache key of a build: its *base* key and the bytes of every file it read, in order.

    >>> graph_key("b", [b"x"]) != graph_key("b", [b"y"])
    True
    """
    digest = hashlib.sha256(f"{base}\n".encode())
    for data in inputs:
        digest.update(f"file {len(data)}\n".encode())
        digest.update(data)
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


def problem(directory: Path | None = None, manifest: Manifest | None = None) -> str | None:
    """Return why the build in *directory* cannot be used as it is (missing, stale, damaged), or None if it can.

    A document it was made from that is gone is an error (BuildError): nothing could rebuild it.
    """
    directory = Path(directory or build_dir())
    manifest = manifest or read_manifest(directory)
    if manifest is None:
        return "no build yet" if not (directory / MANIFEST_FILE).exists() else "its manifest is unreadable"
    generation = directory / manifest.generation
    if not owned(generation, "generation"):
        return "its files are missing"
    nquads = generation / STORE_FILE
    if not nquads.is_file() or nquads.stat().st_size != manifest.nquads_bytes:
        return f"{STORE_FILE} is missing or damaged"
    if not (generation / STORE_DIR).is_dir():
        return "its Oxigraph store is missing"
    data = []
    for path in manifest.inputs():
        try:
            data.append(path.read_bytes())
        except OSError:
            raise BuildError(f"{path}: expected a document this build was made from, found nothing"
                             " (run meakg build again)") from None
    if manifest.key != graph_key(base_key(), data):
        return "a document, the reference data, the ontology or the build code changed"
    return None


def pin(directory: Path, manifest: Manifest) -> Path | None:
    """Return the generation folder of *manifest*, held (a shared lock, for this process's life) so that no build
    deletes it while it is read; None if a build is deleting it or has (read the manifest again)."""
    generation = Path(directory) / manifest.generation
    key = str(generation.resolve())
    if key in _pins:
        return generation
    try:
        fd = os.open(generation / MARKER, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    _pins[key] = fd
    return generation


# ---------------------------------------------------------------- writing
@contextmanager
def writing(directory: Path):
    """Hold the build directory for one writer (an OS lock on its marker) while the block runs; wait for another
    writer first, saying so. The directory is made, or claimed if empty; one holding what meakg did not make
    is refused (nothing in it is touched)."""
    from meakg.graph import progress

    directory = claim(directory)
    fd = os.open(directory / MARKER, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.note(f"Waiting for another build in {directory} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield directory
    finally:
        os.close(fd)  # releases the lock


def claim(directory: Path) -> Path:
    """Return *directory* made or claimed as a build directory (``folders.claim_directory``), one-line errors.

    A build directory of meakg before markers (format 2: a manifest naming ``meakg.nq`` and a ``store-*``
    folder) is adopted: the files its manifest names are removed, the rest is left alone and marked.
    So is ``./build`` of a meakg checkout when it is the default: the project's own build folder, which
    setuptools (``pip install .``) and the site's screenshots share; meakg deletes nothing there but its
    own generations.
    """
    directory = Path(directory)
    try:
        return claim_directory(directory, kind="build", adopt=_checkout_build(directory))
    except WriteError as err:
        legacy = _legacy(directory)
        if legacy is None:
            hint = f"set ${ENV} to a writable directory" if not os.environ.get(ENV) else f"point ${ENV} elsewhere"
            raise BuildError(f"cannot use {directory} for the build: {_without_path(err, directory)}; {hint}") from None
    for path in legacy:  # exactly what its manifest names; the rest (a site, a served store, yours) stays
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file():
            path.unlink()
    return claim_directory(directory, kind="build", adopt=True)


def _checkout_build(directory: Path) -> bool:
    """Whether *directory* is ``./build`` of the meakg checkout the command runs in, as the default build directory."""
    if os.environ.get(ENV) or not is_checkout(Path.cwd()):
        return False
    return Path(os.path.abspath(directory)) == Path.cwd().absolute() / "build"


def _legacy(directory: Path) -> list[Path] | None:
    """The files a build directory of format 2 holds, as its manifest names them; None if it is not one."""
    try:
        data = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        store = data["store"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("format") != 2 or not isinstance(store, str) or not store.startswith("store-") or "/" in store:
        return None
    return [directory / STORE_FILE, directory / store, directory / MANIFEST_FILE]


def _without_path(err: Exception, directory: Path) -> str:
    text = str(err)
    for prefix in (f"{directory}/: ", f"{directory}: "):
        text = text.removeprefix(prefix)
    return text


def new_generation(directory: Path) -> Path:
    """Make and return an empty generation folder in the build *directory* (a writer holds it)."""
    name = time.strftime("build-%Y%m%dT%H%M%S-", time.gmtime()) + os.urandom(3).hex()
    generation = claim_directory(Path(directory) / name, kind="generation")
    (generation / DOCUMENTS_DIR).mkdir()
    return generation


def build_error(directory: Path, err: OSError) -> BuildError:
    """The one line for a build that could not be written (the previous build stays current)."""
    reason = str(err) if isinstance(err, WriteError) else (err.strerror or _first_line(err))
    full = err.errno == errno.ENOSPC or "No space left on device" in reason
    hint = " (the disk is full)" if full and "disk is full" not in reason else ""
    return BuildError(f"{directory}: cannot write the build ({reason}{hint}); the previous build, if any, is kept")


def _first_line(err: BaseException) -> str:
    return " ".join(str(err).strip().split("\n", 1)[0].split())[:200]


def switch(directory: Path, manifest: Manifest) -> None:
    """Make *manifest* (its generation complete) the current build, in one rename."""
    write_atomic(Path(directory) / MANIFEST_FILE, manifest.to_json())


def collect(directory: Path, keep: str) -> list[str]:
    """Delete the generations of *directory* but *keep* that no reader holds; return their names."""
    removed = []
    for child in sorted(Path(directory).iterdir()):
        if child.name == keep or child.is_symlink() or not owned(child, "generation"):
            continue
        try:
            fd = os.open(child / MARKER, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            going = child.with_name(f".{child.name.lstrip('.')}.deleting")
            os.rename(child, going)  # a reader with an older manifest finds nothing rather than half
            remove_owned(going)
            removed.append(child.name)
        except OSError:
            continue  # a reader holds it (or it went): the next build tries again
        finally:
            os.close(fd)
    return removed


def check_writable(directory: Path) -> None:
    """Fail with one line unless a build can be written in *directory* (made if missing)."""
    directory = claim(directory)
    try:
        fd = os.open(directory, os.O_RDONLY)
        os.close(fd)
        probe = directory / f".write-check.{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as err:
        hint = f"set ${ENV} to a writable directory" if not os.environ.get(ENV) else f"point ${ENV} elsewhere"
        raise BuildError(f"{directory}: cannot write the build ({err.strerror or err}); {hint}") from None
