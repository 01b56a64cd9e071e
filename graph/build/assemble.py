"""Assemble a build: one named graph per document, plus reference, ontology, provenance and inferred graphs,
as sorted N-Quads lines, straight from the loaders' triples (no rdflib Dataset in between).

Each document is read into its part (``parts``), on both cores when there are several documents;
an unchanged document's part is taken from the previous build instead (``reuse``). ``merge`` then
settles the inferred graph: what some part implies and no graph (but provenance) asserts. Where the
ontology's rules may join two documents' statements (``reason.Rules`` finds none in ours), or a
document states schema, the closure is owlrl's over everything instead, as before.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from meakg.graph.build.parts import INFERRED, PROVENANCE, Base, document_part, serialize
from meakg.ontology.errors import MeakgError
from meakg.ontology.resources import ONTOLOGY_FILE  # noqa: F401  (tests read the ontology's path here)
from meakg.ontology.vocab import ID, curie, graph_iri

_INFERRED_TAIL = f" <{INFERRED}> .".encode()
_PROVENANCE_TAIL = f" <{PROVENANCE}> .".encode()
_ONTOLOGY_TAIL = f" <{graph_iri('ontology')}> .".encode()
_PROVENANCE_SUBJECTS = (f"<{ID}statement/".encode(), f"<{ID}selector/".encode())
_TYPE = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <"
_SHOWN = {"skos:Concept", "skos:ConceptScheme", "org:Organization", "org:Post", "prov:Agent"}


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


@dataclass(frozen=True)
class Assembled:
    """A build in memory: every quad as a sorted N-Quads line, and which documents state schema."""

    lines: list[bytes]
    schema: dict[str, bool]

    def summary(self) -> Summary:
        return summarize_lines(self.lines)


def assemble(documents: list, *, reason: bool = True, reuse: Callable | None = None, jobs: int | None = None,
             previous: Path | None = None, into: Path | None = None, keep: Callable | None = None) -> Assembled:
    """Return the build of *documents* (``sources.Document``); *reuse(document)* may give a part from before,
    the generation *previous* (of the same base) the base's rules and quads (kept in *into* for the next), and
    *keep(part)* is handed each part read, then the part is let go (only the merged lines stay in memory)."""
    from meakg.graph import progress

    base = Base(reason=reason, previous=previous, into=into)
    merged, schema, fresh = Merge(), {}, []
    for document in documents:
        found = reuse(document) if reuse else None
        if found is None:
            fresh.append(document)
        else:
            merged.add(found.nquads)
            schema[document.key] = found.schema
    if schema:
        progress.note(f"Reused {len(schema)} unchanged documents")
    if fresh:  # made before the workers start, so each inherits them
        base.reference, base.rules  # noqa: B018
    for document, part, seconds in _read(fresh, base, jobs):
        progress.done(f"Reading {document.source.path.name} ({document.source.loader})", seconds)
        if keep is not None:
            keep(part)
        merged.add(part.nquads)
        schema[document.key] = part.schema
    closure = reason and (any(schema.values()) or base.rules is None)
    with progress.step("Merging the graphs" if not closure else "Reasoning (OWL 2 RL closure over all graphs)"):
        merged.add(base.nquads())
        lines = merged.lines()
        if closure:
            lines = _with_full_closure(lines)
    return Assembled(lines, {d.key: schema[d.key] for d in documents})


class Merge:
    """The lines of many parts, each once, the "inferred" candidates settled at the end: kept unless a graph
    other than provenance asserts the same triple.

    >>> m = Merge()
    >>> m.add(b'<a> <p> <b> <g> .\\n<a> <q> <b> <https://w3id.org/meakg/graph/inferred> .\\n')
    >>> m.add(b'<a> <q> <b> <h> .\\n<a> <r> <b> <https://w3id.org/meakg/graph/inferred> .\\n')
    >>> m.lines()
    [b'<a> <p> <b> <g> .', b'<a> <q> <b> <h> .', b'<a> <r> <b> <https://w3id.org/meakg/graph/inferred> .']
    """

    def __init__(self) -> None:
        self.asserted: set[bytes] = set()
        self.candidates: set[bytes] = set()

    def add(self, nquads: bytes) -> None:
        cut = len(_INFERRED_TAIL)
        for line in nquads.split(b"\n"):
            if line.endswith(_INFERRED_TAIL):
                self.candidates.add(line[:-cut])
            elif line:
                self.asserted.add(line)

    def lines(self) -> list[bytes]:
        """Every line, sorted (the merge is spent: its sets are handed over)."""
        asserted, candidates = self.asserted, self.candidates
        self.asserted, self.candidates = set(), set()
        if candidates:
            for line in asserted:
                if not line.endswith(_PROVENANCE_TAIL) and not line.startswith(_PROVENANCE_SUBJECTS):
                    candidates.discard(line[:line.rindex(b" <")])
            asserted.update(triple + _INFERRED_TAIL for triple in candidates)
        del candidates
        lines = list(asserted)
        del asserted
        lines.sort()
        return lines


def _with_full_closure(lines: list[bytes]) -> list[bytes]:
    """*lines* with their inferred graph made by owlrl over everything (``reason.reason``)."""
    import pyoxigraph

    from meakg.graph.build.dataset import to_dataset
    from meakg.graph.build.parts import _in_graph
    from meakg.graph.build.reason import reason

    kept = [line for line in lines if not line.endswith(_INFERRED_TAIL)]
    data = to_dataset(pyoxigraph.parse(b"\n".join(kept), format=pyoxigraph.RdfFormat.N_QUADS))
    inferred = serialize(_in_graph(reason(data).inferred, "inferred"))
    return sorted([*kept, *filter(None, inferred.split(b"\n"))])


def _read(documents: list, base: Base, jobs: int | None):
    """Yield (document, part, seconds) for each of *documents*, in order, read on up to *jobs* processes."""
    jobs = min(jobs or len(os.sched_getaffinity(0)), len(documents))
    if threading.active_count() > 1:  # forking a process with other threads (a notebook kernel) can deadlock
        jobs = 1
    if jobs < 2:
        for document in documents:
            start = time.perf_counter()
            part = document_part(document, base)
            yield document, part, time.perf_counter() - start
        return
    import multiprocessing

    _shared["base"], _shared["documents"] = base, documents  # inherited by the forked workers, never pickled
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.imap(_work, range(len(documents)))
            for document, (part, seconds, error) in zip(documents, results, strict=True):
                if error is not None:
                    raise error
                yield document, part, seconds
    finally:
        _shared.clear()


_shared: dict = {}


def _work(index: int):
    start = time.perf_counter()
    try:
        return document_part(_shared["documents"][index], _shared["base"]), time.perf_counter() - start, None
    except MeakgError as err:  # re-raised by the parent, in document order
        return None, 0.0, _portable(err)


def _portable(err: MeakgError) -> Exception:
    """*err* as an error that survives pickling (ours take their parts as arguments, not the message)."""
    from meakg.ontology.errors import SourceError

    if isinstance(err, SourceError):
        return _SourceErrorCopy(err.path, err.line, err.message)
    return MeakgError(str(err))


class _SourceErrorCopy(Exception):
    def __init__(self, path, line, message):
        super().__init__(path, line, message)

    def __reduce__(self):
        return _source_error, self.args


def _source_error(path, line, message):
    from meakg.ontology.errors import SourceError

    return SourceError(path, line, message)


# ---------------------------------------------------------------- what a build holds
def summarize_lines(lines: list[bytes]) -> Summary:
    """Count the quads of each named graph and the typed nodes of each class (the ontology's own typing aside)."""
    graphs: Counter = Counter()
    typed = set()
    for line in lines:
        cut = line.rindex(b" <")
        graphs[line[cut:]] += 1
        at = line.find(_TYPE)
        if at > 0 and not line.endswith(_ONTOLOGY_TAIL):
            typed.add((line[:at], line[at + len(_TYPE):cut - 1]))  # (subject, class IRI)
    per_class = Counter(o for _, o in typed)
    shown = {o: name for o in per_class
             if (name := curie(o.decode())) and (name.startswith("mea:") or name in _SHOWN)}
    classes = Counter({shown[o]: n for o, n in per_class.items() if o in shown})
    triples = Counter({tail[2:-3].decode().rsplit("/", 1)[-1]: n for tail, n in graphs.items()})
    return Summary(dict(sorted(triples.items())), dict(sorted(classes.items())))


def summarize(ds) -> Summary:
    """Count the triples of each named graph and the typed nodes of each class of an rdflib Dataset *ds*."""
    import pyoxigraph

    from meakg.graph.build.dataset import to_oxigraph

    quads = [pyoxigraph.Quad(*map(to_oxigraph, (s, p, o, g))) for s, p, o, g in ds.quads((None, None, None, None))]
    return summarize_lines([line for line in serialize(quads).split(b"\n") if line])


def build(sources_dir: Path | None = None, *, reason: bool = True, documents=None):
    """Return the dataset built from the source documents in *sources_dir* (default: the bundled ones), or
    from *documents* (``loaders.Source`` records) when given, as an rdflib Dataset, in memory (tests, fuzzing)."""
    import pyoxigraph

    from meakg import loaders
    from meakg.graph.build.dataset import to_dataset
    from meakg.graph.build.sources import read

    if documents is None:
        documents = loaders.sources(sources_dir or loaders.SOURCES_DIR)
    lines = assemble(read(documents), reason=reason, jobs=1).lines
    return to_dataset(pyoxigraph.parse(b"\n".join(lines), format=pyoxigraph.RdfFormat.N_QUADS))


__all__ = ["Summary", "Assembled", "Merge", "assemble", "summarize", "summarize_lines", "build", "ONTOLOGY_FILE"]
