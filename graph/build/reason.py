"""OWL-RL reasoning: the closure of what the sources assert under the ontology, kept apart.

The closure goes into its own named graph ("inferred") so that exports can include or exclude
it and nobody mistakes an inference for something a document states. What queries rely on it for:
the class hierarchy (an ``mea:Agreement`` is an ``mea:Instrument``), inverse properties
(``mea:supportsTarget`` / ``mea:supportedBy``), the symmetric ``skos:relatedMatch``, and the
types that domains and ranges give. Inconsistencies (a node in two disjoint classes) are
returned as messages, never silently dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from meakg.ontology.vocab import ID, graph_iri

# What owlrl derives about every resource (x owl:sameAs x, x a owl:Thing, ...) says nothing
# a query needs, and would triple the graph.
_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_NOISE_PREDICATES = {OWL.sameAs}
# ... nor what it derives about every term: C rdfs:subClassOf C, p owl:equivalentProperty p,
# C rdfs:subClassOf owl:Thing, p rdfs:domain owl:Thing.
_REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_REUSED = ("http://www.w3.org/", "http://purl.org/", "http://xmlns.com/", "https://schema.org/")
_PROVENANCE = (ID + "statement/", ID + "selector/")
# owlrl reports inconsistencies as blank nodes with this property (its own vocabulary).
_OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
# owlrl keeps the blank nodes it meets in a list and searches it for every triple: quadratic in
# blank nodes (a partner file nesting 16,000 of them took 39 s). They go in as IRIs under this
# private prefix and come back out as the same blank nodes; nothing else in owlrl tells them apart.
_SKOLEM = "urn:meakg:reasoning:bnode:"


@dataclass(frozen=True)
class Reasoning:
    """The result of one OWL-RL run: what it adds, what it found inconsistent, and its size and cost."""

    inferred: Graph                     # only the new triples, noise filtered
    inconsistencies: tuple[str, ...]    # owlrl's messages, e.g. "Disjoint classes ... have a common individual ..."
    asserted: int                       # distinct triples given to the reasoner (asserted graphs + ontology)
    seconds: float

    @property
    def consistent(self) -> bool:
        return not self.inconsistencies

    @property
    def total(self) -> int:
        """Distinct triples after reasoning: what was asserted plus what the closure keeps."""
        return self.asserted + len(self.inferred)


def reason(data, *, full: bool = False) -> Reasoning:
    """Return the OWL-RL closure of *data* (a Dataset, whose "inferred" graph is ignored, or a Graph).

    Where no rule of the schema joins two statements of the data (see ``Rules``), what each statement
    implies is worked out once per property and class and applied to every statement; otherwise owlrl
    closes the triples an OWL 2 RL rule can use (see ``premises``). Both give the full closure's
    inferences; *full* closes everything with owlrl (tests compare them).

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ...   @prefix mea: <https://w3id.org/meakg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   mea:Agreement rdfs:subClassOf mea:Instrument .
    ...   <https://w3id.org/meakg/id/instrument/aewa> a mea:Agreement .''', format="turtle")
    >>> [str(o).rsplit("#")[-1] for o in reason(g).inferred.objects()]
    ['Instrument']
    """
    # provenance (statement nodes, text selectors: graph "provenance") is nothing an RL rule can use, though
    # rdf:subject and its kin would pass premises() as RDF-namespace statements
    if hasattr(data, "quads"):
        skip = {URIRef(graph_iri("inferred")), URIRef(graph_iri("provenance"))}
        given = {(s, p, o) for s, p, o, g in data.quads((None, None, None, None))
                 if g not in skip and not str(s).startswith(_PROVENANCE)}
    else:
        given = {(s, p, o) for s, p, o in data if not str(s).startswith(_PROVENANCE)}
    start = time.perf_counter()
    rules = None if full else Rules.compile(_schema(given))
    if rules is not None:
        derived, errors = rules.closure(given), rules.inconsistencies(given)
    else:
        derived, errors = _owlrl_closure({(_skolem(s), p, _skolem(o)) for s, p, o in given}, full=full)
    inferred = Graph()
    for s, p, o in derived:
        if (s, p, o) not in given and useful(s, p, o):
            inferred.add((s, p, o))
    return Reasoning(inferred, tuple(errors), len(given), time.perf_counter() - start)


def _owlrl_closure(given: set, *, full: bool = False) -> tuple[list, list[str]]:
    """Return what owlrl derives from the (skolemised) triples *given*, blank nodes restored, and its errors."""
    import owlrl

    merged = Graph(store="SimpleMemory")  # no contexts to track: a third faster under owlrl than the default
    reduced = not full and not _equality(given)
    for triple in (premises(given) if reduced else given):
        merged.add(triple)
    semantics = _without_equality() if reduced else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(merged)
    errors = sorted(str(o) for o in merged.objects(None, _OWLRL_ERROR))
    derived = [(s, p, _unskolem(o)) for s, p, o in merged
               if (s, p, o) not in given and not str(s).startswith(_SKOLEM) and not str(p).startswith(_SKOLEM)]
    return derived, errors


def useful(s, p, o) -> bool:
    """Whether a derived triple belongs in the "inferred" graph: not owlrl's noise about every resource or term,
    not a statement about the reused vocabularies, blank nodes or owlrl's own error nodes.

    >>> useful(URIRef("https://w3id.org/meakg/id/instrument/aewa"), RDF.type, OWL.Thing)
    False
    """
    if isinstance(s, Literal) or p in _NOISE_PREDICATES:
        return False
    if (p == RDF.type or p in _REFLEXIVE or p in (RDFS.domain, RDFS.range)) and o in _NOISE_OBJECTS:
        return False
    if p in _REFLEXIVE and s == o:
        return False
    return isinstance(s, URIRef) and not str(s).startswith(_REUSED + (_SKOLEM,))


# Schema statements whose rules all have one premise beyond the schema itself: with only these (and no
# blank node, that is no class expression), what a statement implies depends on its predicate (and for
# rdf:type, its class) alone, never on a second statement of the data.
_ONE_PREMISE_AXIOMS = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
                       OWL.equivalentClass, OWL.equivalentProperty, OWL.disjointWith, OWL.imports}
_ONE_PREMISE_KINDS = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                      RDF.Property, OWL.Ontology, OWL.SymmetricProperty, RDFS.Datatype}
_CLASS_AXIOMS = {RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith}
_PROPERTY_AXIOMS_ONE = {RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf}
_REPRESENTATIVE = "urn:meakg:reasoning:representative:"
_SUBJECT, _OBJECT = "S", "O"


class Rules:
    """OWL 2 RL compiled for one schema in which no rule joins two statements of the data.

    The schema's axioms (sub-classes and sub-properties, domains, ranges, inverses, equivalences,
    symmetry, disjointness) each take one statement of the data and the schema: so what ``x p y``
    implies is what ``S p O`` implies with S and O replaced, and what ``x a C`` implies is what
    ``S a C`` does (with a literal for O, the same less what is said of O). owlrl closes the schema
    once with one such representative statement per property and per class; ``apply`` then
    instantiates the results for each statement, linear in the data. Disjointness is the one rule
    over two statements (``x a C1``, ``x a C2``); it adds nothing and is checked apart
    (``inconsistencies``). Any other axiom (transitive, functional, chains, restrictions, keys,
    equality) makes ``compile`` return None: owlrl closes all. ``tests/test_reason.py`` checks both
    give the same closure on the real build and at 10 copies.
    """

    def __init__(self, templates: dict, schema_closure: set, disjoint: set) -> None:
        self.templates = templates              # (p, literal object?) or (rdf:type, C) -> ((s, p, o) with S/O), ...
        self.schema_closure = schema_closure    # what the schema alone implies
        self.disjoint = disjoint                # (C1, C2) pairs of owl:disjointWith, as closed

    @classmethod
    def compile(cls, schema: set) -> Rules | None:
        """Return the rules of *schema* (see ``_schema``), or None if a rule could join two data statements."""
        import owlrl

        for s, p, o in schema:
            if isinstance(s, BNode) or isinstance(o, BNode) or str(s).startswith(_SKOLEM) or str(o).startswith(_SKOLEM):
                return None  # a class expression (restriction, union, list): its rules join statements
            if p == RDF.type and o not in _ONE_PREMISE_KINDS or p != RDF.type and p not in _ONE_PREMISE_AXIOMS:
                return None
        classes = {t for s, p, o in schema if p in _CLASS_AXIOMS for t in (s, o)}
        classes |= {o for s, p, o in schema if p in (RDFS.domain, RDFS.range)}
        classes |= {s for s, p, o in schema if p == RDF.type and o in (OWL.Class, RDFS.Class)}
        properties = {t for s, p, o in schema if p in _PROPERTY_AXIOMS_ONE for t in (s, o)}
        properties |= {s for s, p, o in schema if p in (RDFS.domain, RDFS.range)}
        properties |= {s for s, p, o in schema if p == RDF.type and o not in (OWL.Class, RDFS.Class, OWL.Ontology)}
        shapes: dict[Node, tuple[tuple, str]] = {}  # a representative -> (its key, _SUBJECT or _OBJECT)
        given = set(schema)
        for n, key in enumerate(sorted((p, False) for p in properties) + sorted((RDF.type, c) for c in classes)):
            subject, obj = URIRef(f"{_REPRESENTATIVE}{n}/s"), key[1]  # rdf:type: the class itself
            if key[0] != RDF.type:
                obj = URIRef(f"{_REPRESENTATIVE}{n}/o")
                shapes[obj] = (key, _OBJECT)
            shapes[subject] = (key, _SUBJECT)
            given.add((subject, key[0], obj))
        merged = Graph(store="SimpleMemory")
        for triple in given:
            merged.add(triple)
        owlrl.DeductiveClosure(_without_equality(), axiomatic_triples=False, datatype_axioms=False).expand(merged)
        if any(True for _ in merged.objects(None, _OWLRL_ERROR)):
            return None  # one statement alone is inconsistent under this schema: let owlrl report it
        templates: dict = {}
        schema_closure = set()
        for triple in merged:
            if triple in given:
                continue
            keys = {shapes[t][0] for t in triple if t in shapes}
            if len(keys) > 1:
                return None  # two representatives met: a rule joined two statements after all
            if not keys:
                schema_closure.add(triple)
                continue
            key = keys.pop()
            templates.setdefault(key, []).append(tuple(shapes[t][1] if t in shapes else t for t in triple))
        for (p, _), found in [(key, found) for key, found in templates.items() if key[0] != RDF.type]:
            # a literal object: the same, but nothing about the literal (a literal is no subject)
            templates[(p, True)] = [t for t in found if t[0] != _OBJECT]
        disjoint = {(s, o) for s, p, o in merged if p == OWL.disjointWith and not isinstance(s, BNode)}
        return cls({k: tuple(v) for k, v in templates.items() if v}, schema_closure, disjoint)

    def apply(self, s, p, o):
        """Yield what the statement (s, p, o) implies under the schema (before ``useful`` filters it)."""
        found = self.templates.get((p, o) if p == RDF.type else (p, isinstance(o, Literal)))
        if found:
            for template in found:
                yield tuple(s if t == _SUBJECT else o if t == _OBJECT else t for t in template)

    def closure(self, triples):
        """Yield what *triples* imply under the schema, the schema's own consequences first (not filtered)."""
        yield from self.schema_closure
        for triple in triples:
            yield from self.apply(*triple)

    def inconsistencies(self, triples) -> list[str]:
        """Return owlrl's messages for nodes typed (asserted or inferred) with two disjoint classes, sorted."""
        if not self.disjoint:
            return []
        types: dict = {}
        for s, p, o in self.closure(triples):
            if p == RDF.type:
                types.setdefault(s, set()).add(o)
        for s, p, o in triples:
            if p == RDF.type:
                types.setdefault(s, set()).add(o)
        return sorted({f"Disjoint classes {c1} and {c2} have a common individual {_skolem(x)}"
                       for x, held in types.items() for c1, c2 in self.disjoint if c1 in held and c2 in held})


# What makes a property take part in OWL 2 RL rules beyond a domain or a range.
_PROPERTY_AXIOMS = {RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, OWL.propertyDisjointWith,
                    OWL.propertyChainAxiom}
_PROPERTY_KINDS = {OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.SymmetricProperty,
                   OWL.AsymmetricProperty, OWL.TransitiveProperty, OWL.ReflexiveProperty, OWL.IrreflexiveProperty}
_POINTING_AT_PROPERTIES = {RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, OWL.propertyDisjointWith,
                           OWL.onProperty, RDF.first}
# Axioms that make owlrl equate nodes (owl:sameAs): with any of them, every triple can matter.
_EQUALITY = {OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.hasKey, OWL.maxCardinality,
             OWL.maxQualifiedCardinality, OWL.cardinality, OWL.qualifiedCardinality, OWL.sameAs,
             OWL.differentFrom, OWL.AllDifferent, OWL.members, OWL.distinctMembers}
_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.deprecated,
                OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith}
_SCHEMA = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
           "http://www.w3.org/2002/07/owl#")


def premises(triples: set) -> set:
    """Return the part of *triples* that OWL 2 RL rules can draw new triples from; same closure, fewer triples.

    Kept: every schema statement (predicate or type in RDF, RDFS or OWL) and every rdf:type; a
    statement whose property has axioms beyond a domain and range (sub-, inverse, equivalent,
    symmetric, ... or restricted in a class expression). A property with a domain only can add one
    thing, the subject's type, so one literal value per subject and property is enough; a property
    with no axiom at all (labels, quotes, locators' lines) feeds no rule and is left out. Without
    equality (no owl:sameAs, functional or key axioms) nothing else reaches such a triple; with it,
    every triple is kept.

    >>> from rdflib import Literal
    >>> label, aewa = RDFS.label, URIRef("https://w3id.org/meakg/id/instrument/aewa")
    >>> [[str(t).rsplit("/", 1)[-1] for t in triple] for triple in premises({(aewa, label, Literal("AEWA")),
    ...                                                                          (aewa, RDF.type, OWL.Thing)})]
    [['aewa', '22-rdf-syntax-ns#type', 'owl#Thing']]
    """
    schema = _schema(triples)
    if _equality(triples):
        return set(triples)
    rich = {s for s, p, o in schema if p in _PROPERTY_AXIOMS or p == RDF.type and o in _PROPERTY_KINDS}
    rich |= {o for _, p, o in schema if p in _POINTING_AT_PROPERTIES}
    typed = {s for s, p, _ in schema if p in (RDFS.domain, RDFS.range)}
    kept, seen = set(schema), set()
    for s, p, o in triples:
        if p == RDF.type or p in rich:
            kept.add((s, p, o))
        elif p in typed:
            if not isinstance(o, Literal):
                kept.add((s, p, o))
            elif (s, p) not in seen:  # a literal's type is not kept (its subject is a literal): one value will do
                seen.add((s, p))
                kept.add((s, p, o))
    return kept


def _schema(triples) -> set:
    """The statements about classes and properties: RDF, RDFS and OWL terms other than annotations."""
    return {t for t in triples if str(t[1]).startswith(_SCHEMA) and t[1] != RDF.type and t[1] not in _ANNOTATIONS
            or t[1] == RDF.type and str(t[2]).startswith(_SCHEMA)}


def _equality(triples) -> bool:
    """Whether owlrl could equate two different nodes (or must check that none are): owl:sameAs,
    owl:differentFrom, owl:AllDifferent in the data, or an axiom that derives owl:sameAs."""
    return any(p in _EQUALITY or o in _EQUALITY for _, p, o in _schema(triples))


def _without_equality():
    import owlrl

    class WithoutEquality(owlrl.OWLRL_Semantics):
        """owlrl's OWL 2 RL rules, less the eq-* rules where they are inert: with no owl:sameAs, no
        owl:differentFrom and no axiom deriving owl:sameAs, eq-ref only adds ``x owl:sameAs x`` for every
        node (dropped from the closure as noise) and no other eq-* rule can fire. Skipping them halves
        the triples owlrl walks in each cycle."""

        def _equality(self, triple, cycle_num):
            return None

    return WithoutEquality


def _skolem(term):
    """An IRI for a blank node, so owlrl never meets one (see _SKOLEM)."""
    return URIRef(_SKOLEM + str(term)) if isinstance(term, BNode) else term


def _unskolem(term):
    return BNode(str(term)[len(_SKOLEM):]) if isinstance(term, URIRef) and str(term).startswith(_SKOLEM) else term


def closure(ds) -> Graph:
    """Return the triples the OWL-RL closure adds to the asserted graphs and the ontology."""
    return reason(ds).inferred
