"""Assemble the dataset: one named graph per source, plus reference, ontology and inferred graphs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from graph.dataset import new_dataset  # noqa: F401  (the one dataset factory, re-exported)
from graph.store import Sources
from ontology.errors import SourceError
from ontology.vocab import graph_iri

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "meakg.ttl"


@dataclass(frozen=True)
class Summary:
    """What a build holds: triples per named graph and nodes per class (asserted and inferred types)."""

    triples: dict[str, int]
    classes: dict[str, int]

    def __str__(self) -> str:
        width = max(map(len, [*self.triples, *self.classes]))
        lines = ["Triples per graph:"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.triples.items()]
        lines.append("Nodes per class:")
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.classes.items()]
        return "\n".join(lines)


def build(sources_dir: Path | None = None, *, reason: bool = True, documents=None) -> Dataset:
    """Return the dataset built from the source documents in *sources_dir* (default: the bundled ones),
    or from *documents* (``loaders.Source`` records, see ``documents()``) when given."""
    import loaders
    from loaders.reference import load_reference

    from graph import progress

    if documents is None:
        documents = loaders.sources(sources_dir or loaders.SOURCES_DIR)
    ds = new_dataset()
    ontology = ds.graph(URIRef(graph_iri("ontology")))
    ontology.parse(ONTOLOGY_FILE, format="turtle")
    reference = ds.graph(URIRef(graph_iri("reference")))
    for triple in load_reference().to_triples():
        reference.add(triple)
    from loaders.provenance import is_provenance

    provenance = ds.graph(URIRef(graph_iri("provenance")))   # per-statement locators, selectors: never reasoned over
    for source in documents:
        with progress.step(f"Reading {source.path.name} ({source.loader})"):
            graph = ds.graph(URIRef(graph_iri(source.key)))
            for triple in _document_triples(source):
                graph.add(triple)
            for triple in loaders.load(source, load_reference()):
                (provenance if is_provenance(triple) else graph).add(triple)
    if reason:
        from graph.reason import closure

        with progress.step("Reasoning (OWL 2 RL closure)"):
            inferred = ds.graph(URIRef(graph_iri("inferred")))
            for triple in closure(ds):
                inferred.add(triple)
    return ds


def documents(sources: Sources = Sources()) -> list:
    """Return the documents (``loaders.Source``) *sources* names: its folder's sources.yaml, then each extra."""
    import loaders

    listed = loaders.sources(Path(sources.directory) if sources.directory else loaders.SOURCES_DIR)
    return [*listed, *(document(kind, Path(path)) for kind, path in sources.extra)]


def document(kind: str, path: Path):
    """Return a single document of a known *kind* to add to a build (``meakg build --source KIND=PATH``).

    Its title is its first non-blank line, its year the first year (19xx or 20xx) in that line or
    the file name; it has no symbol, so its key (the file stem) identifies it.
    """
    import re

    import loaders

    path = Path(path)
    if kind not in loaders.LOADERS:
        raise SourceError(path, 1, f"expected a kind of document among {', '.join(sorted(loaders.LOADERS))}, found {kind!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, 1, f"expected a readable UTF-8 text file ({err})") from None
    title = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    year = re.search(r"\b(19|20)\d\d\b", title) or re.search(r"(?<!\d)(19|20)\d\d(?!\d)", path.stem)
    if not title or year is None:
        raise SourceError(path, 1, f"expected a title line with the document's year (or a year in the file name), found {title[:60]!r}")
    return loaders.Source(path.resolve(), kind, title[:200], year.group(0), "", "")


def _document_triples(source):
    from loaders.rdf import MEA, document_iri, text

    node = document_iri(source.key)
    yield node, RDF.type, MEA.Document
    yield node, DCTERMS.title, text(source.title)
    yield node, DCTERMS.date, Literal(source.date, datatype=XSD.gYear)
    yield node, DCTERMS.publisher, Literal(source.publisher)
    yield node, DCTERMS.identifier, Literal(source.symbol or source.key)
    yield node, DCTERMS.source, Literal(f"loaders/sources/{source.path.name}")


def summarize(ds: Dataset) -> Summary:
    """Count the triples of each named graph and the typed nodes of each class of the ontology."""
    triples = {}
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if len(g):
            triples[str(g.identifier).rsplit("/", 1)[-1]] = len(g)
    # a node typed in two graphs (asserted and inferred) is counted once; the ontology's own typing is not data
    typed = {(s, o) for s, _, o, g in ds.quads((None, RDF.type, None, None)) if g != URIRef(graph_iri("ontology"))}
    shown = {"skos:Concept", "skos:ConceptScheme", "org:Organization", "org:Post", "prov:Agent"}
    names = (ds.namespace_manager.normalizeUri(o) for _, o in typed)
    classes = Counter(name for name in names if name.startswith("mea:") or name in shown)
    return Summary(triples, dict(sorted(classes.items())))
