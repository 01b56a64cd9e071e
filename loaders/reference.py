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

import yaml

from meakg.loaders.links import to_triples as link_triples
from meakg.loaders.rdf import DCTERMS, MEA, ORG, RDF, RDFS, SKOS, Kind, Literal, Triple, iri, text
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


@dataclass(frozen=True)
class TargetScheme:
    """A scheme of numbered targets (Aichi Targets, Migratory Species Targets), as the graph names it."""

    key: str                       # its entry in targets.yaml: "aichi", "spms"
    prefix: str                    # IRI segment of its targets: id/target/<prefix>/<n>
    scheme: str                    # IRI slug of the SKOS scheme: id/scheme/<scheme>
    short: str                     # "Aichi Target": a target is "<short> <n>"
    count: int                     # targets are numbered 1..count
    printed_as: tuple[str, ...]    # how a table header names it


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

    targets: dict
    instruments: dict[str, Named]   # by normalised name or alias
    agents: dict[str, Named]
    path: Path

    @cached_property
    def schemes(self) -> dict[str, TargetScheme]:
        """The target schemes of targets.yaml that say how the graph names them (``iris``), by key."""
        return {key: TargetScheme(key, data["iris"]["prefix"], data["iris"]["scheme"], data["iris"]["short"],
                                  len(data["targets"]), tuple(data.get("printed_as", ())))
                for key, data in self.targets.items() if isinstance(data, dict) and "iris" in data}

    def target_scheme(self, printed: str, *, path: Path, line: int) -> TargetScheme:
        """Return the target scheme a table header cell names, or fail naming the cell.

        >>> load_reference().target_scheme("Aichi Targets", path=Path("p.txt"), line=7).prefix
        'aichi'
        >>> load_reference().target_scheme("Ramsar Targets", path=Path("p.txt"), line=7)
        Traceback (most recent call last):
        meakg.ontology.errors.SourceError: p.txt:7: expected a header cell naming a target scheme of ontology/reference/targets.yaml (Aichi Targets, Aichi Biodiversity Targets, Migratory Species Targets, SPMS Targets), found 'Ramsar Targets'
        """
        for scheme in self.schemes.values():
            if squash_lower(printed) in {squash_lower(name) for name in scheme.printed_as}:
                return scheme
        known = ", ".join(name for s in self.schemes.values() for name in s.printed_as)
        raise SourceError(path, line, f"expected a header cell naming a target scheme of ontology/reference/targets.yaml "
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

        yield from _target_triples(self.targets)
        for named in sorted({*self.instruments.values(), *self.agents.values()}, key=lambda n: n.iri):
            yield from _named_triples(named)
        yield from reference_triples(self.names)
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
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # libyaml: 6x faster
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
            yield node, MEA.secretariatOf, iri(Kind.INSTRUMENT, facts["secretariat_of"])
        if facts.get("body_of"):
            yield node, ORG.subOrganizationOf, iri(Kind.INSTRUMENT, facts["body_of"])
    yield node, SKOS.prefLabel, text(named.name)
    yield node, RDFS.label, Literal(named.acronym)
    yield node, MEA.acronym, Literal(named.acronym)
    for alias in facts.get("aliases", []):
        yield node, SKOS.altLabel, text(alias)
    for key in ("source", "note"):
        if facts.get(key):
            yield node, DCTERMS.source if key == "source" else SKOS.editorialNote, Literal(facts[key])


def _target_triples(targets: dict) -> Iterator[Triple]:
    for data in targets.values():
        if not isinstance(data, dict) or "iris" not in data:
            continue
        names = data["iris"]
        scheme = iri(Kind.SCHEME, names["scheme"])
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, text(data["scheme"])
        yield scheme, DCTERMS.source, Literal(data["adopted_by"])
        for number, entry in sorted(data["targets"].items()):
            node = iri(Kind.TARGET, names["prefix"], str(number))
            yield node, RDF.type, MEA[names["class"]]
            yield node, SKOS.inScheme, scheme
            yield node, SKOS.topConceptOf, scheme
            yield node, SKOS.notation, Literal(str(number))
            yield node, SKOS.prefLabel, text(entry.get("title") or entry["label"])
            yield node, SKOS.altLabel, text(f"{names['short']} {number}")
            if entry.get("text_opening"):
                yield node, SKOS.definition, text(entry["text_opening"])
            if entry.get("source"):
                yield node, DCTERMS.source, Literal(entry["source"])
            if not entry.get("title"):
                yield node, SKOS.editorialNote, text("Editorial short label; the Strategic Plan gives its targets no official titles.")
            elif not entry.get("verified", True):
                yield node, SKOS.editorialNote, text("Usual CBD heading, not confirmed against a published copy.")
        for letter, goal in sorted(data.get("goals", {}).items()):
            node = iri(Kind.GOAL, names["prefix"], letter)
            yield node, RDF.type, MEA.Goal
            yield node, SKOS.inScheme, scheme
            yield node, SKOS.notation, Literal(letter)
            yield node, SKOS.prefLabel, text(f"Strategic Goal {letter}: {goal['title']}")
            yield node, DCTERMS.source, Literal(data["goals_source"])
            for number in goal["targets"]:
                yield iri(Kind.TARGET, names["prefix"], str(number)), SKOS.broader, node
