"""The current build: made from its sources, checked before every read, rebuilt when stale or damaged,
and opened for the commands (the Oxigraph store, the dataset, the merged default graph, a document's text).

The one module that both assembles (``assemble``) and stores (``store``), so neither knows the other.
A build is made under the build directory's lock (``store.writing``), in a new generation beside
the current one, and becomes current in one rename of the manifest; a reader that finds the build
stale or damaged takes the same lock (so it waits for a running build), reads the manifest again,
and rebuilds only if it still needs to, from the documents that manifest names.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from meakg.graph.build.sources import Sources
from meakg.graph.build.store import (
    DOCUMENTS_DIR,
    STORE_FILE,
    Manifest,
    base_key,
    build_dir,
    build_error,
    collect,
    graph_key,
    new_generation,
    pin,
    problem,
    read_manifest,
    switch,
    writing,
)
from meakg.graph.folders import remove_owned
from meakg.ontology.errors import BuildError

if TYPE_CHECKING:  # the query path reads the build, it does not make one
    from meakg.graph.build.parts import Part

_ATTEMPTS = 5  # a build may replace the generation a reader is about to pin: read the manifest again


def ensure_current(directory: Path | None = None) -> Manifest:
    """Return the manifest of a usable build in *directory*, rebuilding it first (and saying so) if needed;
    its generation is held for reading by this process."""
    directory = Path(directory or build_dir())
    for _ in range(_ATTEMPTS):
        manifest = read_manifest(directory)  # None: problem() would read it again, and find a build made meanwhile
        if manifest is not None and problem(directory, manifest) is None and pin(directory, manifest) is not None:
            return manifest
        manifest = _settle(directory)
        if pin(directory, manifest) is not None:
            return manifest
    raise BuildError(f"{directory}: the build kept changing while it was read; try again")


def rebuild(directory: Path | None, why: str, *, generation: str | None = None) -> Manifest:
    """Rebuild the build in *directory* from the documents its manifest names, found damaged (*why*); say why
    and where on stderr. Only if the damaged *generation* (by default the current one, as read now) is still
    current once the writers' lock is held: another process may have rebuilt it meanwhile."""
    directory = Path(directory or build_dir())
    if generation is None:
        manifest = read_manifest(directory)
        generation = manifest.generation if manifest is not None else ""
    return _settle(directory, damaged=(generation, why), why=why)


def _settle(directory: Path, *, damaged: tuple | None = None, why: str | None = None) -> Manifest:
    """As the one writer: return the current manifest if the build is usable (another process may just have
    made it), else rebuild from the sources the manifest names (the bundled documents if there is none)."""
    with writing(directory):
        manifest = read_manifest(directory)
        found = problem(directory, manifest)
        if damaged and manifest is not None and manifest.generation == damaged[0]:
            found = found or damaged[1]
        if found is None and manifest is not None:
            return manifest
        return _make(manifest.sources if manifest else Sources(), directory, why=found, previous=manifest,
                     store_intact=damaged is None)


def make(sources: Sources | None = None, directory: Path | None = None) -> Manifest:
    """Build the graph from *sources* and make it the current build in *directory*; return its manifest.

    Documents unchanged since the previous build (same bytes, same description, same graph code) are
    not read again: their parts are taken from it. Nothing is current until everything is written.
    """
    with writing(Path(directory or build_dir())) as directory:
        return _make(sources or Sources(), directory, why=None, previous=read_manifest(directory))


def _make(sources: Sources, directory: Path, *, why: str | None, previous: Manifest | None,
          store_intact: bool = True) -> Manifest:
    from meakg.graph import progress
    from meakg.graph.build.assemble import assemble
    from meakg.graph.build.save import save_generation
    from meakg.graph.build.sources import documents, read

    if why is not None:
        verb = "Building" if why == "no build yet" else f"Rebuilding ({why})"
        progress.note(f"{verb}: {sources.describe()} into {directory}")
    docs = read(documents(sources))
    base = base_key()  # every byte the build reads is hashed before it is parsed: never a key newer than the graph
    read_bytes = (data for d in docs for data in ((d.data, d.layout) if d.source.layout else (d.data,)))
    key = graph_key(base, [_sources_yaml(sources), *read_bytes])
    generation = new_generation(directory)
    try:
        old, listed = None, {}
        if previous is not None and previous.base == base:
            old, listed = directory / previous.generation, {entry["key"]: entry for entry in previous.documents}
        entries = {d.key: _entry(d, base) for d in docs}

        def reuse(document):
            entry = listed.get(document.key)
            if entry is None or entry.get("part") != entries[document.key]["part"]:
                return None
            return _reuse(old, generation, document.key, entry)

        assembled = assemble(docs, reuse=reuse, previous=old, into=generation,
                             keep=lambda part: _write_part(generation, part))
        for key_, schema in assembled.schema.items():
            entries[key_]["schema"] = schema
        summary, lines = assembled.summary(), assembled.lines
        del assembled
        with progress.step(f"Writing the build into {directory}"):
            intact = _intact(directory, previous) if store_intact else None
            size = save_generation(generation, lines, previous=intact)
            manifest = Manifest(key, sources, tuple(entries[d.key] for d in docs), summary.triples,
                                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), generation.name, size,
                                summary.classes, base)
            switch(directory, manifest)
    except BaseException as err:
        remove_owned(generation)
        if isinstance(err, OSError) and not isinstance(err, BuildError):
            raise build_error(directory, err) from None
        raise
    collect(directory, keep=generation.name)
    return manifest


def save_lines(lines: list[bytes], directory: Path, sources: Sources | None = None) -> Manifest:
    """Make the sorted N-Quads *lines* the current build in *directory*, recorded as made from *sources* but
    none of its documents (benchmarks/scale.py's synthetic builds of a given size)."""
    from meakg.graph.build.assemble import summarize_lines
    from meakg.graph.build.save import save_generation

    sources = sources or Sources()
    with writing(Path(directory)) as directory:
        generation = new_generation(directory)
        try:
            summary, base = summarize_lines(lines), base_key()
            size = save_generation(generation, lines)
            manifest = Manifest(graph_key(base, [_sources_yaml(sources)]), sources, (), summary.triples,
                                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), generation.name, size,
                                summary.classes, base)
            switch(directory, manifest)
        except BaseException:
            remove_owned(generation)
            raise
        collect(directory, keep=generation.name)
    return manifest


def _intact(directory: Path, previous: Manifest | None) -> Path | None:
    """The generation of *previous* if it is intact (its store may be copied and changed), else None."""
    if previous is None:
        return None
    generation = directory / previous.generation
    nquads = generation / STORE_FILE
    ok = nquads.is_file() and nquads.stat().st_size == previous.nquads_bytes
    return generation if ok else None


def _sources_yaml(sources: Sources) -> bytes:
    from meakg.graph.build.sources import MANIFEST

    try:
        return (sources.folder / MANIFEST).read_bytes()
    except OSError:
        return b""  # loaders.sources says what is wrong with it, with its line


def _entry(document, base: str) -> dict:
    """The manifest's record of one document: where it came from, its digest, and the key of its part."""
    source = document.source
    described = json.dumps([source.key, source.loader, source.title, source.date, source.publisher, source.symbol,
                            source.url])
    part = hashlib.sha256(f"{base}\n{described}\n".encode())
    part.update(hashlib.sha256(document.data).digest())
    part.update(hashlib.sha256(document.layout).digest())
    return {"key": source.key, "kind": source.loader, "origin": str(Path(source.path).resolve()),
            "sha256": hashlib.sha256(document.data).hexdigest(),
            "layout": str(Path(source.layout).resolve()) if source.layout else None,
            "part": part.hexdigest()}


def _write_part(generation: Path, part: Part) -> None:
    assert part.text is not None  # a part just read; only a reused one has no text
    folder = generation / DOCUMENTS_DIR
    (folder / f"{part.key}.txt").write_text(part.text, encoding="utf-8")
    (folder / f"{part.key}.nq").write_bytes(part.nquads)


def _reuse(old: Path, generation: Path, key: str, entry: dict) -> Part | None:
    """The part of an unchanged document, from the previous generation *old* (its files linked into the new one)."""
    from meakg.graph.build.parts import Part

    folder, into = old / DOCUMENTS_DIR, generation / DOCUMENTS_DIR
    try:
        nquads = (folder / f"{key}.nq").read_bytes()
        for suffix in (".txt", ".nq"):
            try:
                os.link(folder / f"{key}{suffix}", into / f"{key}{suffix}")
            except OSError:
                (into / f"{key}{suffix}").write_bytes((folder / f"{key}{suffix}").read_bytes())
    except OSError:
        return None  # not there after all: read the document again
    return Part(key, nquads, None, bool(entry.get("schema")))


# ---------------------------------------------------------------- reading the current build
def ensure_built(directory: Path | None = None) -> Path:
    """Return the stored N-Quads file of a usable build (built first if missing, stale or damaged)."""
    directory = Path(directory or build_dir())
    return directory / ensure_current(directory).nquads


def open_store(directory: Path | None = None):
    """Return the build's Oxigraph store opened read-only (rebuilt first if needed): the default graph is the
    merge of the named graphs, each triple once."""
    import pyoxigraph

    directory = Path(directory or build_dir())
    manifest = ensure_current(directory)
    try:
        return pyoxigraph.Store.read_only(str(directory / manifest.store))
    except (OSError, RuntimeError) as err:  # RocksDB reports corruption as RuntimeError
        rebuild(directory, f"its Oxigraph store is damaged: {_first_line(err)}", generation=manifest.generation)
        manifest = ensure_current(directory)
        try:
            return pyoxigraph.Store.read_only(str(directory / manifest.store))
        except (OSError, RuntimeError) as again:
            raise BuildError(f"{directory / manifest.store}: cannot open the Oxigraph store ({_first_line(again)})"
                             ) from None


def run_on_build(run):
    """Return *run(engine)*, the engine a child process over the current build's store (rebuilt first if needed);
    a store the engine cannot open is rebuilt, saying so, and *run* tried once more."""
    from meakg.queries.engine import EngineError, shared

    directory = build_dir()
    manifest = ensure_current(directory)
    try:
        return run(shared().at(directory / manifest.store))
    except EngineError as err:
        if err.kind != "store":
            raise
        manifest = rebuild(directory, f"its Oxigraph store is damaged: {err.detail}")
        return run(shared().at(directory / manifest.store))


def load_quads(directory: Path | None = None) -> list:
    """Return every quad of the build (rebuilt first if needed) as pyoxigraph quads, read from its N-Quads file."""
    import pyoxigraph

    directory = Path(directory or build_dir())
    manifest = ensure_current(directory)
    try:
        return list(pyoxigraph.parse(path=str(directory / manifest.nquads), format=pyoxigraph.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError, OSError) as err:
        rebuild(directory, f"{STORE_FILE} is damaged: {_first_line(err)}", generation=manifest.generation)
        manifest = ensure_current(directory)
        return list(pyoxigraph.parse(path=str(directory / manifest.nquads), format=pyoxigraph.RdfFormat.N_QUADS))


def load_dataset(directory: Path | None = None):
    """Return the build as an rdflib Dataset (rebuilt first if needed): every named graph, as stored."""
    from meakg.graph.build.dataset import to_dataset

    return to_dataset(load_quads(directory))


def load_merged(directory: Path | None = None, *, store=None):
    """Return the build's default graph (every named graph merged, each triple once) as an rdflib Graph
    with the fixed prefixes: what validation checks, read from the store without a dataset in between."""
    import pyoxigraph
    from rdflib import Graph

    from meakg.graph.build.dataset import converter
    from meakg.ontology.vocab import PREFIXES

    store, term = store or open_store(directory), converter()
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()):
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


def write_turtle(out: Path, directory: Path | None = None) -> None:
    """Write the build's graphs but the inferred one (what the documents and the reference data state, the
    provenance and the ontology) to *out* as one Turtle graph, each triple once, by pyoxigraph's serializer."""
    import pyoxigraph

    from meakg.graph.files import open_atomic
    from meakg.ontology.vocab import PREFIXES, graph_iri

    directory = Path(directory or build_dir())
    manifest = ensure_current(directory)
    inferred = pyoxigraph.NamedNode(graph_iri("inferred"))
    quads = pyoxigraph.parse(path=str(directory / manifest.nquads), format=pyoxigraph.RdfFormat.N_QUADS)

    def triples():  # the file's lines are sorted, so the quads of one triple come one after the other
        last = None
        for quad in quads:
            if quad.graph_name != inferred and quad.triple != last:
                last = quad.triple
                yield last

    with open_atomic(out) as handle:
        pyoxigraph.serialize(triples(), handle, pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)


def document_text(key: str, directory: Path | None = None) -> str:
    """Return the text of the document *key* exactly as the current build read it (normalised: the text its
    locators' lines, offsets and digest count), from the build itself, wherever the document came from.

    >>> document_text("cbd-cms-joint-work-plan-2016-2018").splitlines()[0]
    'Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018'
    """
    directory = Path(directory or build_dir())
    manifest = ensure_current(directory)
    if key not in {entry["key"] for entry in manifest.documents}:
        raise BuildError(f"expected a document of the build, found {key!r} (see meakg info)")
    path = directory / manifest.generation / DOCUMENTS_DIR / f"{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise BuildError(f"{path}: cannot read the document's text ({err.strerror or err})") from None


def _first_line(err: BaseException) -> str:
    return " ".join(str(err).strip().split("\n", 1)[0].split())[:200]


__all__ = ["ensure_current", "rebuild", "make", "save_lines", "ensure_built", "open_store", "load_quads",
           "load_dataset", "load_merged", "write_turtle", "document_text"]
