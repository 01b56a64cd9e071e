"""Links out and current frameworks (ontology/reference/links.yaml, frameworks.yaml).

Links: our concepts to the CBD thesaurus terms partners join on (``skos:exactMatch``), our
instruments to their InforMEA treaty pages (``schema:sameAs``, not ``owl:sameAs``: a page about
the thing, not a claim that two IRIs name one individual). Frameworks: the Kunming-Montreal GBF
and the Strategic Plan for Migratory Species 2024-2032 as SKOS schemes, and the published
mappings between schemes, one ``mea:PublishedMapping`` node per row with the page that states it
(plus the plain ``skos:relatedMatch`` for SKOS tools). Every fact cites where it was read; what no
source confirmed is listed under ``open`` in the YAML and left out.

>>> link = next(l for l in links() if l.concept == "aichi:12")
>>> link.target
'https://api.cbd.int/api/v2013/thesaurus/terms/AICHI-TARGET-12'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from meakg.loaders.rdf import DCTERMS, MEA, RDF, RDFS, SCHEMA, SKOS, Literal, Triple, URIRef, iri, scheme_triples, text
from meakg.ontology.errors import SourceError
from meakg.ontology.resources import REFERENCE_DIR
from meakg.ontology.vocab import PREFIXES, Kind, slug, thing

CBD_TERMS = PREFIXES["cbdterm"]
# CURIE-like keys the YAML uses for goals (targets use the project prefixes gbf:, aichi:, spms24:)
GOAL_KEYS = {"aichi-goal": (Kind.GOAL, "aichi"), "gbf-goal": (Kind.GOAL, "gbf"), "spms24-goal": (Kind.GOAL, "spms-2024")}
SCHEMES = {"kmgbf": ("kmgbf", "gbf", "GBF Target", "gbf"), "spms2024": ("spms-2024-2032", "spms-2024", "SPMS 2024-2032 Target", "spms24")}


@dataclass(frozen=True)
class Link:
    """One link out: our node (a CURIE as written in links.yaml), the IRI it links to, the predicate, the source."""

    concept: str
    target: str
    predicate: str          # "skos:exactMatch" or "schema:sameAs"
    source: str


@dataclass(frozen=True)
class Mapping:
    """One published mapping row: from the concept whose page states it, to the other; the page; its words."""

    mapping_set: str
    from_: str
    to: str
    source: str
    as_published: str

    @property
    def iri(self) -> str:
        return thing(Kind.MAPPING, self.mapping_set, slug(self.from_) + "--" + slug(self.to))


def node(curie: str) -> str:
    """Return the IRI of a node written as a CURIE in the reference YAML.

    >>> node("gbf-goal:A")
    'https://w3id.org/meakg/id/goal/gbf/a'
    >>> node("spms24:1.2")
    'https://w3id.org/meakg/id/target/spms-2024/1.2'
    """
    prefix, _, local = curie.partition(":")
    if prefix in GOAL_KEYS:
        return thing(*GOAL_KEYS[prefix], local)
    if prefix in PREFIXES:
        return PREFIXES[prefix] + local
    raise ValueError(f"expected a CURIE such as aichi:12, gbf:3, spms24:1.2 or gbf-goal:A, found {curie!r}")


@cache
def _read(name: str, directory: Path = REFERENCE_DIR) -> dict:
    path = directory / name
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # libyaml: 6x faster
    except yaml.YAMLError as err:
        line = err.problem_mark.line + 1 if getattr(err, "problem_mark", None) else 1
        raise SourceError(path, line, f"expected YAML reference data: {getattr(err, 'problem', err)}") from None


def links(directory: Path = REFERENCE_DIR) -> list[Link]:
    """Return every link out of the reference data, each with its source (checked against its pattern)."""
    data = _read("links.yaml", directory)
    sources, patterns = data["sources"], data["patterns"]
    found = [Link(row["concept"], CBD_TERMS + row["code"], "skos:exactMatch", sources[row["source"]])
             for row in data["cbd_thesaurus"]]
    informea = data["informea"]
    instruments = _read("instruments.yaml", directory)
    for section in ("conventions", "agreements", "mous"):
        for entry in instruments.get(section, []):
            if not entry.get("informea") or (informea.get("skip_unverified") and entry.get("verified") is False):
                continue
            short = entry.get("acronym") or entry.get("short")
            found.append(Link("inst:" + slug(short), informea["url"].format(informea=entry["informea"]),
                              "schema:sameAs", sources[informea["source"]]))
    for link in found:
        if not any(re.fullmatch(p, link.target) for p in patterns.values()):
            raise SourceError(directory / "links.yaml", 1, f"expected a link matching one of the patterns, found {link.target!r}")
    return found


def mappings(directory: Path = REFERENCE_DIR) -> list[Mapping]:
    """Return the published mappings of frameworks.yaml, row by row.

    >>> [(m.from_, m.to) for m in mappings() if m.from_ == "aichi:16"]
    [('aichi:16', 'gbf:13')]
    """
    data = _read("frameworks.yaml", directory)
    return [Mapping(key, row["from"], row["to"], row["source"], row["as_published"])
            for key, block in data["mappings"].items() for row in block["rows"]]


def to_triples(directory: Path = REFERENCE_DIR) -> Iterator[Triple]:
    """Yield the links out, the framework schemes and the published mappings (nothing for a reference
    folder without links.yaml and frameworks.yaml, such as a test's small one)."""
    if not (directory / "links.yaml").exists() or not (directory / "frameworks.yaml").exists():
        return
    predicates = {"skos:exactMatch": SKOS.exactMatch, "schema:sameAs": SCHEMA.sameAs}
    for link in links(directory):
        yield URIRef(node(link.concept)), predicates[link.predicate], URIRef(link.target)
    frameworks = _read("frameworks.yaml", directory)
    for key, (scheme_key, kind, short, _) in SCHEMES.items():
        yield from _scheme_triples(frameworks[key], scheme_key, kind, short)
    for mapping in mappings(directory):
        m, source, target = URIRef(mapping.iri), URIRef(node(mapping.from_)), URIRef(node(mapping.to))
        yield m, RDF.type, MEA.PublishedMapping
        yield m, MEA.mapsFrom, source
        yield m, MEA.mapsTo, target
        yield m, RDFS.label, Literal(f"{mapping.from_} -> {mapping.to}")
        yield m, RDFS.comment, text(mapping.as_published)
        yield m, DCTERMS.source, Literal(mapping.source)
        yield source, SKOS.relatedMatch, target


def _scheme_triples(data: dict, scheme_key: str, kind: str, short: str) -> Iterator[Triple]:
    scheme = iri(Kind.SCHEME, scheme_key)
    yield from scheme_triples(scheme_key, data["scheme"])
    yield scheme, DCTERMS.source, Literal(f"{data['adopted_by']}; {data['source']}")
    for number, entry in data["goals"].items():
        goal = iri(Kind.GOAL, kind, str(number))
        yield from _member(goal, MEA.Goal, scheme, number, entry)
        yield goal, SKOS.prefLabel, text(f"Goal {number}: {entry['title']}" if entry.get("title") else f"Goal {number}")
    for number, entry in data["targets"].items():
        target = iri(Kind.TARGET, kind, str(number))
        yield from _member(target, SKOS.Concept, scheme, number, entry)
        yield target, SKOS.prefLabel, text(entry.get("title") or f"Target {number}")
        yield target, SKOS.altLabel, text(f"{short} {number}")
        if entry.get("printed") is False:
            yield target, SKOS.editorialNote, text("Target number taken from the order of the targets on the goal page.")


def _member(node_: URIRef, cls: URIRef, scheme: URIRef, number, entry: dict) -> Iterator[Triple]:
    """A goal or target of a framework: a numbered top concept of its scheme, with its sourced facts."""
    yield node_, RDF.type, cls
    yield node_, SKOS.inScheme, scheme
    yield node_, SKOS.topConceptOf, scheme
    yield node_, SKOS.notation, Literal(str(number))
    yield from _facts(node_, entry)


def _facts(node_: URIRef, entry: dict) -> Iterator[Triple]:
    if entry.get("text_opening"):
        yield node_, SKOS.definition, text(entry["text_opening"])
    yield node_, DCTERMS.source, Literal(entry["source"])
    if entry.get("note"):
        yield node_, SKOS.editorialNote, text(entry["note"])

