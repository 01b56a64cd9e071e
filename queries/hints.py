"""Friendlier answers: a parameter naming something the graph does not hold gets the closest existing values.

``aichi:99`` or ``aewa`` (an acronym in the wrong case) would otherwise give a silent empty table.
The check runs after the query, on the same store, only for the parameters given: an IRI that is
nowhere in the graph is compared with the IRIs of its namespace, a literal that is nowhere with the
literals that differ only in case or spelling.

>>> import pyoxigraph
>>> from meakg.queries.catalogue import load
>>> store = pyoxigraph.Store()
>>> for n in ("1", "12", "19"):
...     store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/aichi/" + n),
...               pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#notation"), pyoxigraph.Literal(n)))
>>> unknown_values(load("activities-for-target"), {"target": "aichi:99"}, store)
["parameter 'target': the graph holds no aichi:99; closest: aichi:19, aichi:1, aichi:12"]
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import pyoxigraph

from meakg.ontology.vocab import curie
from meakg.queries.header import ParamType, SavedQuery, to_term

CLOSEST = 3


def unknown_values(query: SavedQuery, values: Mapping[str, str], store: pyoxigraph.Store, *,
                   empty: bool = False) -> list[str]:
    """Return one warning per parameter in *values* whose value the graph in *store* does not hold.

    With *empty* (the answer had no rows), a literal the graph holds but not as a name (``aewa``,
    an InforMEA identifier, for the acronym ``AEWA``) is also compared with the names.
    """
    warnings = []
    for name, value in values.items():
        param = query.param(name)
        if param.type is ParamType.INTEGER:
            continue
        term = to_term(param, value)
        if _holds(store, term) and not (empty and isinstance(term, pyoxigraph.Literal)
                                        and term.value not in _names(store)):
            continue
        if isinstance(term, pyoxigraph.NamedNode):
            close, said = _closest_iris(store, term), f"the graph holds no {curie(term.value) or term.value}"
        else:
            close, said = _closest_literals(store, term), f"nothing in the graph is named {term.value!r}"
        hint = f"; closest: {', '.join(close)}" if close else ""
        warnings.append(f"parameter {name!r}: {said}{hint}")
    return warnings


def _holds(store: pyoxigraph.Store, term: pyoxigraph.NamedNode | pyoxigraph.Literal) -> bool:
    if isinstance(term, pyoxigraph.NamedNode):
        return bool(next(store.quads_for_pattern(term, None, None), None)
                    or next(store.quads_for_pattern(None, None, term), None))
    return bool(next(store.quads_for_pattern(None, None, term), None))


def _closest_iris(store: pyoxigraph.Store, term: pyoxigraph.NamedNode) -> list[str]:
    namespace = term.value.rsplit("/", 1)[0] + "/" if "/" in term.value else term.value
    found = {q.subject.value for q in store if isinstance(q.subject, pyoxigraph.NamedNode)
             and q.subject.value.startswith(namespace)}
    shown = {(curie(iri) or iri): iri for iri in found}
    wanted = curie(term.value) or term.value
    return difflib.get_close_matches(wanted, sorted(shown), n=CLOSEST, cutoff=0.5)


NAMES = ("http://www.w3.org/2000/01/rdf-schema#label", "https://w3id.org/meakg/ontology#acronym",
         "http://www.w3.org/2004/02/skos/core#notation", "http://www.w3.org/2004/02/skos/core#prefLabel",
         "http://www.w3.org/2004/02/skos/core#altLabel")


def _names(store: pyoxigraph.Store) -> set[str]:
    """Return the labels, acronyms and notations in *store*: what a literal parameter usually names."""
    found = set()
    for predicate in NAMES:
        found |= {q.object.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None)
                  if not isinstance(q.object, pyoxigraph.Triple) and len(q.object.value) < 80}
    return found


def _score(wanted: str, candidate: str) -> float:
    """How alike two names are, case aside, also against the candidate's start ('Gorila' ~ 'Gorilla Agreement')."""
    wanted, candidate = wanted.lower(), candidate.lower()
    return max(difflib.SequenceMatcher(None, wanted, candidate).ratio(),
               difflib.SequenceMatcher(None, wanted, candidate[:len(wanted) + 1]).ratio())


def _closest_literals(store: pyoxigraph.Store, term: pyoxigraph.Literal) -> list[str]:
    values = sorted(_names(store))
    same_case = [v for v in values if v.lower() == term.value.lower() and v != term.value]
    close = same_case or [v for score, v in sorted((-_score(term.value, v), v) for v in values) if -score >= 0.6]
    return [repr(v) for v in close[:CLOSEST]]
