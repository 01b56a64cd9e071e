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

from meakg.loaders.provenance import statement_iri
from meakg.loaders.rdf import MEA, RDF, RDFS, SCHEMA, SKOS, Literal, Triple, URIRef, text
from meakg.loaders.sourcing import read_yaml, source_triples
from meakg.ontology.errors import SourceError
from meakg.ontology.resources import REFERENCE_DIR
from meakg.ontology.vocab import PREFIXES, Kind, slug, thing

CBD_TERMS = PREFIXES["cbdterm"]
# CURIE-like keys the YAML uses for goals (targets use the project prefixes gbf:, aichi:, spms24:)
GOAL_KEYS = {"aichi-goal": (Kind.GOAL, "aichi"), "gbf-goal": (Kind.GOAL, "gbf"),
             "spms24-goal": (Kind.GOAL, "spms-2024")}


@dataclass(frozen=True)
class Link:
    """One link out: our node (a CURIE as written in links.yaml), the IRI it links to, the predicate, the source."""

    concept: str
    target: str
    predicate: str          # "skos:exactMatch" or "schema:sameAs"
    sources: tuple[str, ...]   # where the identifier (and, for a page, its address pattern) was read: IRIs


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
    return read_yaml(directory / name)


def links(directory: Path = REFERENCE_DIR) -> list[Link]:
    """Return every link out of the reference data, each with its sources (checked against its pattern).

    >>> link = next(l for l in links() if l.target.endswith("/treaties/basel"))
    >>> link.concept, [s.rsplit("/", 1)[-1] for s in link.sources]
    ('inst:basel', ['informea_odata.sql', 'treaties.tpl.php'])
    """
    data = _read("links.yaml", directory)
    sources, patterns = data["sources"], data["patterns"]
    found = [Link(row["concept"], CBD_TERMS + row["code"], "skos:exactMatch", tuple(sources[row["source"]]))
             for row in data["cbd_thesaurus"]]
    informea = data["informea"]
    instruments = _read("instruments.yaml", directory)
    for section in ("conventions", "agreements", "mous"):
        for entry in instruments.get(section, []):
            if not entry.get("informea"):
                continue
            short = entry.get("acronym") or entry.get("short")
            read = (*sources[informea["source"]], *sources[entry.get("informea_source", informea["identifiers"])])
            found.append(Link("inst:" + slug(short), informea["url"].format(informea=entry["informea"]),
                              "schema:sameAs", read))
    for link in found:
        if not any(re.fullmatch(p, link.target) for p in patterns.values()):
            raise SourceError(directory / "links.yaml", 1, f"expected a link matching one of the patterns, "
                                                          f"found {link.target!r}")
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
    """Yield the links out and the published mappings (nothing for a reference folder without links.yaml
    and frameworks.yaml, such as a test's small one); the frameworks' schemes are ``loaders.schemes``'."""
    if not (directory / "links.yaml").exists() or not (directory / "frameworks.yaml").exists():
        return
    predicates = {"skos:exactMatch": SKOS.exactMatch, "schema:sameAs": SCHEMA.sameAs}
    for link in links(directory):   # each link, and the statement that it is one, with where it was read
        yield from stated_by((URIRef(node(link.concept)), predicates[link.predicate], URIRef(link.target)),
                             {"source": list(link.sources)})
    for mapping in mappings(directory):
        m, source, target = URIRef(mapping.iri), URIRef(node(mapping.from_)), URIRef(node(mapping.to))
        yield m, RDF.type, MEA.PublishedMapping
        yield m, MEA.mapsFrom, source
        yield m, MEA.mapsTo, target
        yield m, RDFS.label, Literal(f"{mapping.from_} -> {mapping.to}")
        yield m, RDFS.comment, text(mapping.as_published)
        yield from source_triples(m, {"source": mapping.source})
        yield from stated_by((source, SKOS.relatedMatch, target), {"source": mapping.source})


def stated_by(triple: Triple, entry: dict) -> Iterator[Triple]:
    """Yield *triple* and its ``rdf:Statement`` (the node ``loaders.provenance`` gives it) citing the sources of
    *entry*: a fact of the reference data on a node whose other facts another page states (a link out). The
    statement goes into the provenance graph with every other (``loaders.provenance.is_provenance``).

    >>> t = (URIRef("https://w3id.org/meakg/id/target/aichi/1"), SKOS.exactMatch, URIRef("https://x/AICHI-TARGET-01"))
    >>> [str(o) for _, p, o in stated_by(t, {"source": "https://api.cbd.int/x"}) if str(p).endswith("/source")]
    ['https://api.cbd.int/x']
    """
    yield triple
    statement = statement_iri(triple)
    yield statement, RDF.type, RDF.Statement
    yield statement, RDF.subject, triple[0]
    yield statement, RDF.predicate, triple[1]
    yield statement, RDF.object, triple[2]
    yield from source_triples(statement, entry)
