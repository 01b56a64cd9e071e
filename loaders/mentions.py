"""Mentions: the organisations, programmes, initiatives, campaigns, events and targets a document
names in passing, found in the text of each locator (ontology/reference/mentions.yaml lists the
names; targets are found by their printed form, "Aichi Target 1", "Aichi Biodiversity Targets 11
and 12").

A locator that prints a name gets ``schema:mentions`` the node (in the document's graph); each
mention is also a selector of its own, ``id/selector/<document>/<locator ref>/mention-<start>-<end>``
(``oa:start``, ``oa:end``, ``oa:exact``, ``dcterms:subject`` the node, ``dcterms:isPartOf`` the
locator), in the provenance graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from meakg.loaders.rdf import DCTERMS, MEA, ORG, RDF, RDFS, SCHEMA, SKOS, Kind, Literal, Triple, URIRef, iri, text
from meakg.loaders.sourcing import read_yaml_node, source_triples
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import ID, PREFIXES

CLASSES = {"organisation": ORG.Organization, "initiative": MEA.Initiative, "event": SCHEMA.Event}
KINDS = {"organisation": Kind.AGENT, "initiative": Kind.INITIATIVE, "event": Kind.EVENT}
OA = PREFIXES["oa"]
_AICHI = re.compile(r"\bAichi (?:Biodiversity )?Targets? (\d{1,2})(?:(?:,| and) (\d{1,2}))*")


@dataclass(frozen=True)
class Name:
    """A named thing of mentions.yaml: its node, and how the documents print it."""

    node: URIRef
    printed: tuple[str, ...]
    cls: str = ""              # "" for an agent of instruments.yaml (described there)
    name: str = ""
    label: str = ""
    source: tuple[str, ...] = ()     # where the name was read: IRIs (loaders.sourcing)


def read_names(path: Path) -> tuple[Name, ...]:
    """Return the names of *path* (ontology/reference/mentions.yaml); a bad entry is an error at its line.

    >>> from meakg.loaders.reference import REFERENCE_DIR
    >>> [n.printed for n in read_names(REFERENCE_DIR / "mentions.yaml") if str(n.node).endswith("/gef")]
    [('GEF',)]
    """
    data, node = read_yaml_node(path)
    names = []
    for item, entry in zip(node.value if node else [], data or [], strict=True):
        line = item.start_mark.line + 1
        if not isinstance(entry, dict) or not entry.get("printed") or not entry.get("source"):
            raise SourceError(path, line, f"expected an entry with 'printed' names and a 'source', found {entry!r}")
        if entry.get("agent"):
            names.append(Name(iri(Kind.AGENT, entry["agent"]), tuple(entry["printed"]), source=_sources(entry)))
        elif entry.get("class") in CLASSES and entry.get("key") and entry.get("name"):
            names.append(Name(iri(KINDS[entry["class"]], entry["key"]), tuple(entry["printed"]), entry["class"],
                              entry["name"], str(entry.get("label", entry["name"])), _sources(entry)))
        else:
            raise SourceError(path, line, f"expected 'agent: <key>' or 'key', 'name' and a 'class' among "
                                          f"{', '.join(CLASSES)}, found {entry!r}")
    return tuple(names)


def _sources(entry: dict) -> tuple[str, ...]:
    value = entry["source"]
    return tuple(value) if isinstance(value, list) else (value,)


def reference_triples(names: tuple[Name, ...]) -> Iterator[Triple]:
    """Yield the description of the nodes mentions.yaml adds; an agent of instruments.yaml gets its printed
    names and the sources they were read in (an entry's source reaches its node either way).

    >>> name = Name(iri(Kind.EVENT, "world-wildlife-day"), ("World Wildlife Day",), "event", "World Wildlife Day",
    ...             "World Wildlife Day", ("https://undocs.org/A/RES/68/205",))
    >>> sorted(str(p).rsplit("/", 1)[-1] for _, p, _ in reference_triples((name,)))
    ['22-rdf-syntax-ns#type', 'core#prefLabel', 'rdf-schema#label', 'source']
    >>> blg = Name(iri(Kind.AGENT, "blg"), ("BLG",), source=("https://www.cbd.int/blg/",))
    >>> [(str(p).rsplit("/", 1)[-1], str(o)) for _, p, o in reference_triples((blg,))]
    [('source', 'https://www.cbd.int/blg/'), ('core#hiddenLabel', 'BLG')]
    """
    for name in names:
        if name.cls:
            yield name.node, RDF.type, CLASSES[name.cls]
            yield name.node, SKOS.prefLabel, text(name.name)
            yield name.node, RDFS.label, Literal(name.label)
        yield from source_triples(name.node, {"source": list(name.source)})
        for printed in name.printed:
            if printed not in (name.label, name.name):
                yield name.node, SKOS.hiddenLabel, Literal(printed)


def _pattern(names: tuple[Name, ...]) -> tuple[re.Pattern, dict[str, URIRef]]:
    by_name = {printed: name.node for name in names for printed in name.printed}
    alternatives = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    return re.compile(rf"(?<![\w/])(?:{alternatives})(?![\w/])"), by_name


def find_mentions(span: str, names: tuple[Name, ...]) -> list[tuple[int, int, URIRef]]:
    """Return (start, end, node) of every name and Aichi target printed in *span*, offsets within it.

    >>> from meakg.loaders.reference import load_reference
    >>> [(s, e, str(n).rsplit("/", 2)[-2:]) for s, e, n in find_mentions(
    ...     "Liaising with UNEP, BLG (e.g. Aichi Target 1); UNEP/CMS/Res.10.7", load_reference().names)]
    [(14, 18, ['agent', 'unep']), (20, 23, ['agent', 'blg']), (30, 44, ['aichi', '1'])]
    """
    pattern, by_name = _pattern(names)
    found = [(m.start(), m.end(), by_name[m.group(0)]) for m in pattern.finditer(span)]
    for m in _AICHI.finditer(span):
        numbers = re.findall(r"\d{1,2}", m.group(0))
        found += [(m.start(), m.end(), iri(Kind.TARGET, "aichi", n)) for n in numbers if 1 <= int(n) <= 20]
    return sorted(found)


def mention_triples(locators: dict[URIRef, tuple[int, int]], text_: str, names: tuple[Name, ...], *,
                    document_key: str) -> Iterator[Triple]:
    """Yield ``locator schema:mentions node`` for every name printed in *text_*, cited by the most specific
    place that holds it: of the locators whose span (start, end of *text_*) contains the name, those with
    the shortest span (an activity, not the table row around it; a table row running over several lines,
    not a bare line). Each mention is also a selector with its offsets into the whole text. A name printed
    where no locator reaches (a table the loader does not read) gets a locator of its line, ``<document>/line-<n>``.

    >>> from meakg.loaders.reference import load_reference
    >>> row, activity = URIRef(ID + "locator/d/row-1"), URIRef(ID + "locator/d/row-1/activity-1")
    >>> out = mention_triples({row: (0, 30), activity: (12, 30)}, "Target 1\\t1\\t Liaise with UNEP.\\n",
    ...                       load_reference().names, document_key="d")
    >>> [(str(s)[len(ID):], str(o)) for s, p, o in out if str(p).endswith("exact")]
    [('selector/d/row-1/activity-1/mention-24-28', 'UNEP')]
    """
    spans = dict(locators)
    line_starts = [0] + [i + 1 for i, c in enumerate(text_) if c == "\n"]
    cited: list[tuple[URIRef, int, int, URIRef]] = []
    for at, stop, node in find_mentions(text_, names):
        holding = [(end - start, loc) for loc, (start, end) in locators.items() if start <= at and stop <= end]
        if holding:
            shortest = min(size for size, _ in holding)
            cited += [(loc, at, stop, node) for size, loc in holding if size == shortest]
            continue
        number = next(n for n in range(len(line_starts), 0, -1) if line_starts[n - 1] <= at)
        end = text_.find("\n", at)
        printed = text_[line_starts[number - 1]:len(text_) if end < 0 else end]
        loc = URIRef(f"{ID}locator/{document_key}/line-{number}")
        if loc not in spans:
            lead = len(printed) - len(printed.lstrip())
            spans[loc] = (line_starts[number - 1] + lead, line_starts[number - 1] + len(printed.rstrip()))
            yield loc, RDF.type, MEA.Locator
            yield loc, DCTERMS.isPartOf, iri(Kind.DOCUMENT, document_key)
            yield loc, RDFS.label, Literal(f"Line {number}")
            yield loc, MEA.line, Literal(number)
            yield loc, MEA.quote, text(" ".join(printed.split()))
        cited.append((loc, at, stop, node))
    for loc, at, stop, node in sorted(cited):
        yield loc, SCHEMA.mentions, node
        mention = URIRef(f"{ID}selector/{str(loc)[len(ID + 'locator/'):]}/mention-{at}-{stop}")
        yield mention, RDF.type, URIRef(OA + "TextPositionSelector")
        yield mention, URIRef(OA + "start"), Literal(at)
        yield mention, URIRef(OA + "end"), Literal(stop)
        yield mention, URIRef(OA + "exact"), Literal(text_[at:stop])
        yield mention, DCTERMS.subject, node
        yield mention, DCTERMS.isPartOf, loc
