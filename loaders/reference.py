"""Curated reference data (ontology/reference/*.yaml): target schemes, instruments, agents.

The sources name things by number, acronym or short name; this data gives them full names and
kinds, each fact citing where it was read. Loaders resolve the names they meet through here, so
"WAAM", "West African Aquatic Mammals" and "West African Aquatic Mammals MOU" are one node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ontology.errors import SourceError
from ontology.vocab import slug
from loaders.links import to_triples as link_triples
from loaders.rdf import DCTERMS, MEA, ORG, RDF, RDFS, SKOS, Literal, Triple, iri, text

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "ontology" / "reference"
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
        return iri("instrument" if self.kind in KINDS.values() else "agent", self.key)


def _normal(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip().strip(".,;").lower()
    name = re.sub(r"^the ", "", name)
    return re.sub(r" (mou|mous|agreement)$", "", name) or name


@dataclass(frozen=True)
class Reference:
    """The reference data, with lookups by any printed name."""

    targets: dict
    instruments: dict[str, Named]   # by normalised name or alias
    agents: dict[str, Named]
    path: Path

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

    def to_triples(self) -> Iterator[Triple]:
        """Yield the reference graph: target schemes, instruments and agents, each citing its source."""
        yield from _target_triples(self.targets)
        for named in sorted({*self.instruments.values(), *self.agents.values()}, key=lambda n: n.iri):
            yield from _named_triples(named)
        yield from link_triples(self.path)  # links out, current frameworks, published mappings


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read the reference data from *directory* (cached: it is read once per process)."""
    targets_path, instruments_path = directory / "targets.yaml", directory / "instruments.yaml"
    targets = _read_yaml(targets_path)
    data = _read_yaml(instruments_path)
    instruments: dict[str, Named] = {}
    for section, kind in KINDS.items():
        for entry in data.get(section, []):
            short = entry.get("acronym") or entry.get("short")
            _index(instruments, Named(slug(short), short, entry["name"], kind, entry), entry)
    agents: dict[str, Named] = {}
    for entry in data.get("organisations", []):
        _index(agents, Named(slug(entry["acronym"]), entry["acronym"], entry["name"], entry.get("kind", "organisation"), entry), entry)
    return Reference(targets, instruments, agents, directory)


def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        line = err.problem_mark.line + 1 if getattr(err, "problem_mark", None) else 1
        raise SourceError(path, line, f"expected YAML reference data: {getattr(err, 'problem', err)}") from None


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
            yield node, MEA.secretariatOf, iri("instrument", facts["secretariat_of"])
        if facts.get("body_of"):
            yield node, ORG.subOrganizationOf, iri("instrument", facts["body_of"])
    yield node, SKOS.prefLabel, text(named.name)
    yield node, RDFS.label, Literal(named.acronym)
    yield node, MEA.acronym, Literal(named.acronym)
    for alias in facts.get("aliases", []):
        yield node, SKOS.altLabel, text(alias)
    for key in ("source", "note"):
        if facts.get(key):
            yield node, DCTERMS.source if key == "source" else SKOS.editorialNote, Literal(facts[key])


def _target_triples(targets: dict) -> Iterator[Triple]:
    aichi, spms = targets["aichi"], targets["spms"]
    schemes = (("aichi", "aichi-targets", MEA.AichiTarget, aichi, "Aichi Target"),
               ("ms", "migratory-species-targets", MEA.MigratorySpeciesTarget, spms, "Migratory Species Target"))
    for prefix, scheme_key, cls, data, short in schemes:
        scheme = iri("scheme", scheme_key)
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, text(data["scheme"])
        yield scheme, DCTERMS.source, Literal(data["adopted_by"])
        for number, entry in sorted(data["targets"].items()):
            node = iri("target", prefix, str(number))
            yield node, RDF.type, cls
            yield node, SKOS.inScheme, scheme
            yield node, SKOS.topConceptOf, scheme
            yield node, SKOS.notation, Literal(str(number))
            yield node, SKOS.prefLabel, text(entry.get("title") or entry["label"])
            yield node, SKOS.altLabel, text(f"{short} {number}")
            if entry.get("text_opening"):
                yield node, SKOS.definition, text(entry["text_opening"])
            if entry.get("source"):
                yield node, DCTERMS.source, Literal(entry["source"])
            if prefix == "ms":
                yield node, SKOS.editorialNote, text("Editorial short label; the Strategic Plan gives its targets no official titles.")
            elif not entry.get("verified", True):
                yield node, SKOS.editorialNote, text("Usual CBD heading, not confirmed against a published copy.")
    for letter, goal in sorted(aichi["goals"].items()):
        node = iri("goal", "aichi", letter)
        yield node, RDF.type, MEA.Goal
        yield node, SKOS.inScheme, iri("scheme", "aichi-targets")
        yield node, SKOS.notation, Literal(letter)
        yield node, SKOS.prefLabel, text(f"Strategic Goal {letter}: {goal['title']}")
        yield node, DCTERMS.source, Literal(aichi["goals_source"])
        for number in goal["targets"]:
            yield iri("target", "aichi", str(number)), SKOS.broader, node
