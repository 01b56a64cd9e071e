"""Curated reference data (ontology/reference/*.yaml): target schemes, instruments, agents.

The sources name things by number, acronym or short name; this data gives them full names and
kinds, each fact citing where it was read. Loaders resolve the names they meet through here, so
"WAAM", "West African Aquatic Mammals" and "West African Aquatic Mammals MOU" are one node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from meakg.loaders.links import to_triples as link_triples
from meakg.loaders.rdf import MEA, ORG, RDF, RDFS, SKOS, Kind, Literal, Triple, iri, text
from meakg.loaders.schemes import TargetScheme, scheme_entries, scheme_of
from meakg.loaders.schemes import to_triples as scheme_triples
from meakg.loaders.sourcing import check_sources, read_yaml, source_triples, unverified_triples
from meakg.ontology.errors import SourceError
from meakg.ontology.resources import REFERENCE_DIR
from meakg.ontology.vocab import slug

KINDS = {"conventions": "Convention", "agreements": "Agreement", "mous": "MOU"}


@dataclass(frozen=True)
class Named:
    """An instrument or agent of the reference data."""

    key: str                       # IRI slug
    acronym: str                   # how the sources name it: "AEWA", "Siberian Crane", "CMS Secretariat"
    name: str
    kind: str                      # Convention | Agreement | MOU | organisation | secretariat | body | group
    facts: dict = field(default_factory=dict, compare=False)

    @property
    def iri(self):
        return iri(Kind.INSTRUMENT if self.kind in KINDS.values() else Kind.AGENT, self.key)


def bare(word: str) -> str:
    """Return *word* lowercase without surrounding punctuation: ``"Sec.,"`` -> ``"sec"``."""
    return word.lower().strip(".,;:()’'\"")


def squash_lower(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _normal(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip().strip(".,;").lower()
    name = re.sub(r"^the ", "", name)
    return re.sub(r" (mou|mous|agreement)$", "", name) or name


@dataclass(frozen=True)
class Reference:
    """The reference data, with lookups by any printed name."""

    targets: dict                   # the target schemes' entries (loaders.schemes), by key
    instruments: dict[str, Named]   # by normalised name or alias
    agents: dict[str, Named]
    path: Path

    @cached_property
    def schemes(self) -> dict[str, TargetScheme]:
        """Every target scheme of the reference data (targets.yaml, frameworks.yaml), by key."""
        return {key: scheme_of(key, data) for key, data in self.targets.items()}

    def target_scheme(self, printed: str, *, path: Path, line: int) -> TargetScheme:
        """Return the target scheme a table header cell names, or fail naming the cell.

        >>> load_reference().target_scheme("Aichi Targets", path=Path("p.txt"), line=7).prefix
        'aichi'
        >>> try: load_reference().target_scheme("Ramsar Targets", path=Path("p.txt"), line=7)
        ... except SourceError as err: print(err.message[:84], "...", err.message[-24:])
        expected a header cell naming a target scheme of the reference data (Aichi Targets, ... found 'Ramsar Targets'
        >>> load_reference().target_scheme("Kunming-Montreal GBF Targets", path=Path("p.txt"), line=7).prefix
        'gbf'
        """
        for scheme in self.schemes.values():
            if squash_lower(printed) in {squash_lower(name) for name in scheme.printed_as}:
                return scheme
        known = ", ".join(name for s in self.schemes.values() for name in s.printed_as)
        raise SourceError(path, line, f"expected a header cell naming a target scheme of the reference data "
                          f"({known}), found {printed!r}")

    @cached_property
    def instrument_names(self) -> re.Pattern:
        """A pattern matching every acronym, name and alias of the instruments in running text, longest first."""
        names = set()
        for named in set(self.instruments.values()):
            names |= {named.acronym, named.name, *named.facts.get("aliases", [])}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # "CMS Family" / "CMS family" is the family of instruments, not the Convention
        return re.compile(rf"(?<![\w/-])(?:{alternatives})(?![\w-])(?!\s+[Ff]amily)")

    @cached_property
    def agent_words(self) -> frozenset[tuple[str, ...]]:
        """Every name and alias of the agents, as tuples of bare lowercase words (for reading name lists)."""
        return frozenset(tuple(bare(w) for w in name.split()) for name in self.agents if name.strip())

    def instrument(self, name: str, *, path: Path, line: int) -> Named:
        """Return the instrument printed as *name*, or fail naming the line.

        >>> load_reference().instrument("WAAM", path=Path("d.txt"), line=1).acronym
        'West African Aquatic Mammals'
        >>> load_reference().instrument("Gorilla Agreement", path=Path("d.txt"), line=1).key
        'gorilla-agreement'
        """
        return self._find(self.instruments, name, "an instrument of ontology/reference/instruments.yaml", path, line)

    def agent(self, name: str, *, path: Path, line: int) -> Named:
        """Return the organisation, body or group printed as *name*, or fail naming the line."""
        return self._find(self.agents, name, "an organisation of ontology/reference/instruments.yaml", path, line)

    @staticmethod
    def _find(table: dict[str, Named], name: str, expected: str, path: Path, line: int) -> Named:
        found = table.get(name.strip()) or table.get(_normal(name))
        if found is None:
            raise SourceError(path, line, f"expected {expected}, found {name!r}")
        return found

    @cached_property
    def names(self):
        """The organisations, initiatives and events the documents name in passing (mentions.yaml, if the
        reference data has one; loaders.mentions)."""
        from meakg.loaders.mentions import read_names

        path = self.path / "mentions.yaml"
        return read_names(path) if path.exists() else ()

    def to_triples(self) -> Iterator[Triple]:
        """Yield the reference graph: target schemes, instruments, agents and named things, each citing its source."""
        from meakg.loaders.mentions import reference_triples

        yield from scheme_triples(self.targets)
        for named in sorted({*self.instruments.values(), *self.agents.values()}, key=lambda n: n.iri):
            yield from _named_triples(named)
        yield from reference_triples(self.names)
        yield from link_triples(self.path)  # links out, current frameworks, published mappings


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read the reference data from *directory* (cached: it is read once per process)."""
    check_sources(directory)
    targets = scheme_entries(directory)
    data = read_yaml(directory / "instruments.yaml")
    instruments: dict[str, Named] = {}
    for section, kind in KINDS.items():
        for entry in data.get(section, []):
            short = entry.get("acronym") or entry.get("short")
            _index(instruments, Named(slug(short), short, entry["name"], kind, entry), entry)
    agents: dict[str, Named] = {}
    for entry in data.get("organisations", []):
        named = Named(slug(entry["acronym"]), entry["acronym"], entry["name"], entry.get("kind", "organisation"), entry)
        _index(agents, named, entry)
    return Reference(targets, instruments, agents, directory)


def _index(table: dict[str, Named], named: Named, entry: dict) -> None:
    for name in [named.acronym, entry["name"], *entry.get("aliases", [])]:
        table.setdefault(name, named)
        table.setdefault(_normal(name), named)


def _named_triples(named: Named) -> Iterator[Triple]:
    node, facts = named.iri, named.facts
    if named.kind in KINDS.values():
        yield node, RDF.type, MEA[named.kind]
        if facts.get("informea"):
            yield node, MEA.informeaId, Literal(facts["informea"])
        if facts.get("seat"):
            yield node, MEA.secretariatSeat, Literal(facts["seat"])
    else:
        yield node, RDF.type, {"secretariat": MEA.Secretariat, "group": MEA.Group}.get(named.kind, ORG.Organization)
        if facts.get("secretariat_of"):
            yield node, MEA.secretariatOf, iri(Kind.INSTRUMENT, facts["secretariat_of"])
        if facts.get("body_of"):
            yield node, ORG.subOrganizationOf, iri(Kind.INSTRUMENT, facts["body_of"])
    yield node, SKOS.prefLabel, text(named.name)
    yield node, RDFS.label, Literal(named.acronym)
    yield node, MEA.acronym, Literal(named.acronym)
    for alias in facts.get("aliases", []):
        yield node, SKOS.altLabel, text(alias)
    yield from source_triples(node, facts)
    yield from unverified_triples(node, facts)
    if facts.get("note"):
        yield node, SKOS.editorialNote, Literal(facts["note"])
