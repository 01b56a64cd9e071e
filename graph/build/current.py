"""The current build: made from its sources, checked before every read, rebuilt when stale or damaged,
and opened for the commands (the Oxigraph store, the dataset, the merged default graph).

The one module that both assembles (``assemble``) and stores (``store``), so neither knows the other.
"""

from __future__ import annotations

from pathlib import Path

from meakg.graph.build.sources import Sources
from meakg.graph.build.store import (
    STORE_FILE,
    Manifest,
    build_dir,
    check_writable,
    problem,
    read_manifest,
    save,
)
from meakg.ontology.errors import BuildError


def ensure_current(directory: Path | None = None) -> Manifest:
    """Return the manifest of a usable build in *directory*, rebuilding it first (and saying so) if needed."""
    directory = Path(directory or build_dir())
    why = problem(directory)
    if why is None:
        return read_manifest(directory)
    return rebuild(directory, why)


def rebuild(directory: Path | None, why: str) -> Manifest:
    """Rebuild the build in *directory* from the documents it was made from; say why and where on stderr."""
    from meakg.graph import progress

    directory = Path(directory or build_dir())
    old = read_manifest(directory)
    sources = old.sources if old else Sources()
    verb = "Building" if why == "no build yet" else f"Rebuilding ({why})"
    progress.note(f"{verb}: {sources.describe()} into {directory}")
    return make(sources, directory)[1]


def ensure_built(directory: Path | None = None) -> Path:
    """Return the stored N-Quads file of a usable build (built first if missing, stale or damaged)."""
    directory = Path(directory or build_dir())
    ensure_current(directory)
    return directory / STORE_FILE


def open_store(directory: Path | None = None):
    """Return the build's Oxigraph store opened read-only (rebuilt first if needed): the default graph is the
    merge of the named graphs, each triple once."""
    import pyoxigraph

    directory = Path(directory or build_dir())
    manifest = ensure_current(directory)
    try:
        return pyoxigraph.Store.read_only(str(directory / manifest.store))
    except (OSError, RuntimeError) as err:  # RocksDB reports corruption as RuntimeError
        manifest = rebuild(directory, f"its Oxigraph store is damaged: {_first_line(err)}")
        try:
            return pyoxigraph.Store.read_only(str(directory / manifest.store))
        except (OSError, RuntimeError) as again:
            raise BuildError(f"{directory / manifest.store}: cannot open the Oxigraph store ({_first_line(again)})") from None


def load_dataset(directory: Path | None = None):
    """Return the build as an rdflib Dataset (rebuilt first if needed): every named graph, as stored."""
    import pyoxigraph

    directory = Path(directory or build_dir())
    ensure_current(directory)
    try:
        quads = list(pyoxigraph.parse(path=str(directory / STORE_FILE), format=pyoxigraph.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError, OSError) as err:
        rebuild(directory, f"{STORE_FILE} is damaged: {_first_line(err)}")
        quads = list(pyoxigraph.parse(path=str(directory / STORE_FILE), format=pyoxigraph.RdfFormat.N_QUADS))
    from meakg.graph.build.dataset import to_dataset

    return to_dataset(quads)


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


def make(sources: Sources = Sources(), directory: Path | None = None):
    """Build the graph from *sources* and save it in *directory*; return the dataset and the new manifest."""
    from meakg.graph import progress
    from meakg.graph.build.assemble import build
    from meakg.graph.build.sources import documents

    directory = Path(directory or build_dir())
    check_writable(directory)
    docs = documents(sources)
    ds = build(documents=docs)
    with progress.step(f"Writing the build into {directory}"):
        return ds, save(ds, directory, sources=sources, documents=docs)




def _first_line(err: BaseException) -> str:
    return " ".join(str(err).strip().split("\n", 1)[0].split())[:200]
