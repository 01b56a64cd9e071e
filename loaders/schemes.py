"""Target schemes of the reference data, all of one kind: the Aichi Targets and the Migratory Species
Targets (ontology/reference/targets.yaml), the Kunming-Montreal GBF and the Strategic Plan for
Migratory Species 2024-2032 (frameworks.yaml), and any scheme added to either file.

A scheme entry says how the graph names it (``iris``: the IRI segment of its targets, the slug of
its ``skos:ConceptScheme``, the class of its targets, a target's short name) and how tables print it
(``printed_as``). Every target is a ``mea:Target`` (or a subclass) in its scheme; goals are
``mea:Goal``. SKOS hierarchy: a scheme's goals are its top concepts and a target a goal lists is
``skos:broader`` that goal; a target no goal lists is a top concept itself (never both).

>>> aichi = read_schemes()["aichi"]
>>> aichi.prefix, aichi.numbers[:3], aichi.printed_as[0]
('aichi', ('1', '2', '3'), 'Aichi Targets')
>>> read_schemes()["spms2024"].numbers[:2]
('1.1', '1.2')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from meakg.loaders.rdf import MEA, RDF, SKOS, Kind, Literal, Triple, URIRef, iri, scheme_triples, text
from meakg.loaders.sourcing import read_yaml, source_triples, unverified_triples
from meakg.ontology.resources import REFERENCE_DIR

FILES = ("targets.yaml", "frameworks.yaml")   # where target schemes are; an entry with `iris` is one


@dataclass(frozen=True)
class TargetScheme:
    """A scheme of numbered targets, as the graph names it and as tables print it."""

    key: str                       # its entry in the YAML: "aichi", "spms", "kmgbf", "spms2024"
    prefix: str                    # IRI segment of its targets: id/target/<prefix>/<number>
    scheme: str                    # IRI slug of the SKOS scheme: id/scheme/<scheme>
    short: str                     # "Aichi Target": a target is "<short> <number>"
    numbers: tuple[str, ...]       # its targets' numbers as printed, in order: "1" ... "20", or "1.1" ... "6.4"
    printed_as: tuple[str, ...]    # how a table header names it

    def target(self, number: str) -> URIRef:
        """Return the IRI of target *number* of this scheme."""
        return iri(Kind.TARGET, self.prefix, number)

    @property
    def numbering(self) -> str:
        """How its targets are numbered, for error messages: '1-20', or the numbers when not 1..n."""
        if self.numbers == tuple(str(n) for n in range(1, len(self.numbers) + 1)):
            return f"1-{len(self.numbers)}"
        return ", ".join(self.numbers)


def scheme_entries(directory: Path = REFERENCE_DIR) -> dict[str, dict]:
    """Return the scheme entries (those with ``iris``) of targets.yaml and frameworks.yaml, in file order."""
    entries: dict[str, dict] = {}
    for name in FILES:
        path = directory / name
        if path.exists():
            data = read_yaml(path)
            entries.update((key, value) for key, value in data.items() if isinstance(value, dict) and "iris" in value)
    return entries


def read_schemes(directory: Path = REFERENCE_DIR) -> dict[str, TargetScheme]:
    """Return every target scheme of the reference data in *directory*, by key."""
    return {key: scheme_of(key, data) for key, data in scheme_entries(directory).items()}


def scheme_of(key: str, data: dict) -> TargetScheme:
    """Return the scheme an entry describes."""
    names = data["iris"]
    return TargetScheme(key, names["prefix"], names["scheme"], names["short"], tuple(str(n) for n in data["targets"]),
                        tuple(data.get("printed_as", ())))


def to_triples(entries: dict[str, dict]) -> Iterator[Triple]:
    """Yield each scheme, its goals and its targets, every node citing its source."""
    for data in entries.values():
        names = data["iris"]
        scheme = iri(Kind.SCHEME, names["scheme"])
        yield from scheme_triples(names["scheme"], data["scheme"])
        if data.get("adopted_by"):
            yield scheme, SKOS.scopeNote, text(f"Adopted by {data['adopted_by']}.")
        yield from source_triples(scheme, data)
        yield from unverified_triples(scheme, data)
        goals = data.get("goals", {})
        broader = {str(n): str(letter) for letter, goal in goals.items() for n in goal.get("targets", ())}
        for letter, goal in goals.items():
            yield from _goal_triples(iri(Kind.GOAL, names["prefix"], str(letter)), scheme, str(letter), goal, data)
        for number, entry in data["targets"].items():
            number = str(number)
            node = iri(Kind.TARGET, names["prefix"], number)
            yield node, RDF.type, MEA[names["class"]]
            yield node, SKOS.inScheme, scheme
            if number in broader:
                yield node, SKOS.broader, iri(Kind.GOAL, names["prefix"], broader[number])
            else:
                yield node, SKOS.topConceptOf, scheme
            yield node, SKOS.notation, Literal(number)
            yield node, SKOS.prefLabel, text(entry.get("title") or entry.get("label") or f"Target {number}")
            yield node, SKOS.altLabel, text(f"{names['short']} {number}")
            yield from _facts(node, entry)
            if entry.get("label") and not entry.get("title"):
                yield node, SKOS.editorialNote, text("Editorial short label; the Strategic Plan gives its targets no "
                                                     "official titles.")
            if entry.get("printed") is False:
                yield node, SKOS.editorialNote, text("Target number taken from the order of the targets on the goal "
                                                     "page.")


def _goal_triples(node: URIRef, scheme: URIRef, letter: str, goal: dict, data: dict) -> Iterator[Triple]:
    label = data["iris"].get("goal_label", "Goal")
    yield node, RDF.type, MEA.Goal
    yield node, SKOS.inScheme, scheme
    yield node, SKOS.topConceptOf, scheme
    yield node, SKOS.notation, Literal(letter)
    yield node, SKOS.prefLabel, text(f"{label} {letter}: {goal['title']}" if goal.get("title") else f"{label} {letter}")
    yield from _facts(node, goal if goal.get("source") else {**goal, "source": data.get("goals_source")})


def _facts(node: URIRef, entry: dict) -> Iterator[Triple]:
    if entry.get("text_opening"):
        yield node, SKOS.definition, text(entry["text_opening"])
    yield from source_triples(node, entry)
    yield from unverified_triples(node, entry)
    if entry.get("note"):
        yield node, SKOS.editorialNote, text(entry["note"])
