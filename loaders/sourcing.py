"""How the reference data cites its sources: one reader for its YAML files, and the triples every
reference node carries for where its facts were read.

A fact's ``source`` is an IRI or a list of IRIs: a web page (``https://...``) or a place in a
bundled document, written as a locator CURIE (``loc:<document>/<ref>``). Each becomes
``dcterms:source <IRI>``. What no primary source confirmed is said in the data
(``unverified: <what>``) and becomes ``mea:unverified "<what>"@en`` on the node, so a reader (and
the site) can tell it from a checked fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from meakg.loaders.rdf import DCTERMS, MEA, Literal, Triple, URIRef, text
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import PREFIXES

_IRI = re.compile(r"^https?://\S+$")


def read_yaml(path: Path):
    """Return the data of a reference YAML file; a YAML error is a SourceError naming the file and line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        line = err.problem_mark.line + 1 if getattr(err, "problem_mark", None) else 1
        raise SourceError(path, line, f"expected YAML reference data: {getattr(err, 'problem', err)}") from None


def source_iri(value: str) -> URIRef | Literal:
    """Return the IRI a ``source`` names: a web address, or a project CURIE such as ``loc:<document>/<ref>``.

    >>> source_iri("https://www.cbd.int/cepa/target1/")
    rdflib.term.URIRef('https://www.cbd.int/cepa/target1/')
    >>> str(source_iri("loc:unep-cms-cop11-doc-16-2-common-services/annex-1/para-47")).rsplit("/", 3)[-3:]
    ['unep-cms-cop11-doc-16-2-common-services', 'annex-1', 'para-47']
    """
    value = value.strip()
    if _IRI.match(value):
        return URIRef(value)
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and local and " " not in local:
        return URIRef(PREFIXES[prefix] + local)
    return Literal(value)


def sources_of(entry: dict) -> list:
    """Return the sources of a reference entry, in order (``source`` is one value or a list)."""
    value = entry.get("source")
    values = value if isinstance(value, list) else [value] if value else []
    return [source_iri(str(v)) for v in values]


def source_triples(node: URIRef, entry: dict) -> Iterator[Triple]:
    """Yield ``node dcterms:source <IRI>`` for each source of *entry*."""
    for source in sources_of(entry):
        yield node, DCTERMS.source, source


def unverified_triples(node: URIRef, entry: dict) -> Iterator[Triple]:
    """Yield ``node mea:unverified "<what>"@en`` when the entry says what no primary source confirmed."""
    if entry.get("unverified"):
        yield node, MEA.unverified, text(str(entry["unverified"]))
