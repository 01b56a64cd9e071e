"""The stored build: the dataset persisted once, so queries and exports never re-parse documents.

``build/meakg.nq`` holds every named graph (asserted, reference, ontology, inferred) as sorted
N-Quads; ``build/manifest.json`` records the hash of the inputs it was built from. When an input
changes, the next query rebuilds. This module imports neither rdflib nor the loaders, so a saved
query from a cold command line only pays for pyoxigraph.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from graph.files import write_atomic

ROOT = Path(__file__).resolve().parent.parent
INPUT_DIRS = ("loaders", "loaders/sources", "ontology", "ontology/reference", "graph")
INPUT_SUFFIXES = (".py", ".txt", ".yaml", ".ttl")
STORE_FILE = "meakg.nq"
# Queries read the default graph: the merge of every named graph, a set of triples as in the flat
# Turtle export a partner loads. (A union default graph would match a triple once per named graph
# stating it, so the same query would return more rows here than on the partner's store.)
MERGE_NAMED_GRAPHS = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
MANIFEST_FILE = "manifest.json"


def build_dir() -> Path:
    """Return where builds are kept: $MEAKG_BUILD_DIR, or ./build."""
    return Path(os.environ.get("MEAKG_BUILD_DIR", "build"))


def inputs_hash(sources_dir: Path | None = None) -> str:
    """Return a hash of every input of a build: documents, reference data, ontology and code."""
    digest = hashlib.sha256()
    files = [p for d in INPUT_DIRS for p in sorted((ROOT / d).glob("*")) if p.suffix in INPUT_SUFFIXES]
    if sources_dir:
        files += sorted(Path(sources_dir).glob("*"))
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def save(ds, directory: Path | None = None, *, sources_dir: Path | None = None) -> Path:
    """Persist the built dataset *ds* as sorted N-Quads with its manifest; return the store file."""
    directory = directory or build_dir()
    lines = sorted(set(ds.serialize(format="nquads").splitlines()))
    store = directory / STORE_FILE
    write_atomic(store, "\n".join(line for line in lines if line.strip()) + "\n")
    manifest = {"inputs": inputs_hash(sources_dir), "sources": str(sources_dir or "")}
    write_atomic(directory / MANIFEST_FILE, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return store


def is_current(directory: Path | None = None) -> bool:
    """Whether the stored build exists and was made from the current bundled inputs."""
    directory = directory or build_dir()
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text())
    except (OSError, ValueError):
        return False
    return (directory / STORE_FILE).exists() and not manifest.get("sources") and manifest.get("inputs") == inputs_hash()


def ensure_built(directory: Path | None = None) -> Path:
    """Return the store file, building and saving the bundled sources first if it is missing or stale."""
    directory = directory or build_dir()
    if not is_current(directory):
        from graph.build import build

        save(build(), directory)
    return directory / STORE_FILE


def open_store(directory: Path | None = None):
    """Return an in-memory pyoxigraph store holding the current build (built first if needed): every
    named graph, and their merge as the default graph."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(ensure_built(directory)), format=pyoxigraph.RdfFormat.N_QUADS)
    store.update(MERGE_NAMED_GRAPHS)
    return store
