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
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from meakg.loaders.rdf import DCTERMS, MEA, Triple, URIRef, text
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import PREFIXES

_IRI = re.compile(r"^https?://\S+$")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml where installed: the reference is read at each build


def read_yaml(path: Path):
    """Return the data of a reference YAML file; a YAML error is a SourceError naming the file and line."""
    return read_yaml_node(path)[0]


def read_yaml_node(path: Path) -> tuple[Any, yaml.Node | None]:
    """Return the data of a reference YAML file and its node tree (for line numbers), parsed once per text.
    The data is shared between callers: read it, never change it."""
    text = path.read_text(encoding="utf-8")
    try:
        return _parsed(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SourceError(path, mark.line + 1 if mark else 1, f"expected YAML reference data: "
                                                              f"{getattr(err, 'problem', err)}") from None


@cache
def _parsed(text: str) -> tuple[Any, yaml.Node | None]:
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


# sites that copy others' pages or documents: never a source (issue 16); tests/test_reference.py checks the data
MIRRORS = ("en-academic.com", "academic.ru", "docslib.org", "vdocument.in", "spotidoc.com", "docsbay.net",
           "fdocuments.", "pdfslide.net", "dokumen.tips", "docest.com", "documents.pub", "5dok.net", "docplayer.")
_FILES = ("targets.yaml", "frameworks.yaml", "instruments.yaml", "mentions.yaml")   # `source`: IRIs
_KEYS = ("source", "goals_source")


def source_iri(value: str) -> URIRef:
    """Return the IRI a ``source`` names: a web address, or a project CURIE such as ``loc:<document>/<ref>``.

    >>> source_iri("https://www.cbd.int/cepa/target1/")
    rdflib.term.URIRef('https://www.cbd.int/cepa/target1/')
    >>> str(source_iri("loc:unep-cms-cop11-doc-16-2-common-services/annex-1/para-47")).rsplit("/", 3)[-3:]
    ['unep-cms-cop11-doc-16-2-common-services', 'annex-1', 'para-47']
    >>> try: source_iri("CBD quick-guide heading")
    ... except ValueError as err: print(str(err)[:33], "...", str(err)[-33:])
    expected a source IRI (https://... ... found 'CBD quick-guide heading'
    """
    value = value.strip()
    if _IRI.match(value):
        if any(mirror in value.split("/")[2] for mirror in MIRRORS):
            raise ValueError(f"expected a primary source, not a mirror or document-dump site, found {value!r}")
        return URIRef(value)
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and local and not re.search(r"\s", local):
        return URIRef(PREFIXES[prefix] + local)
    raise ValueError(f"expected a source IRI (https://... or a CURIE such as loc:<document>/<ref>), found {value!r}")


def check_sources(directory: Path) -> None:
    """Check every source the reference data in *directory* names (``source`` of targets, frameworks, instruments
    and mentions; the ``sources`` of links.yaml): an IRI, not a mirror; else a SourceError at its line. Every
    instrument and agent of instruments.yaml names one: a node's facts without a source would be cited by nothing."""
    for name in (*_FILES, "links.yaml"):
        path = directory / name
        if path.exists():
            tree = read_yaml_node(path)[1]
            for line, value in _source_values(tree, links=name == "links.yaml"):
                try:
                    source_iri(value)
                except ValueError as err:
                    raise SourceError(path, line, str(err)) from None
            if name == "instruments.yaml":
                for line, entry in _unsourced(tree):
                    raise SourceError(path, line, f"expected a 'source' (where its facts were read: a web page or "
                                                  f"loc:<document>/<ref>) for {entry!r}, found none")


def _unsourced(tree) -> Iterator[tuple[int, str]]:
    """Yield (line, name) of each entry of instruments.yaml (an item of a top-level list) naming no source."""
    if not isinstance(tree, yaml.MappingNode):
        return
    for _, section in tree.value:
        for item in section.value if isinstance(section, yaml.SequenceNode) else ():
            if isinstance(item, yaml.MappingNode):
                keys = {key.value: value.value for key, value in item.value}
                if "source" not in keys:
                    yield item.start_mark.line + 1, str(keys.get("acronym") or keys.get("short") or keys.get("name"))


def _source_values(node, *, links: bool, inside: bool = False) -> Iterator[tuple[int, str]]:
    """Yield (line, value) of each source under *node* (in links.yaml: each value under top-level ``sources``)."""
    if isinstance(node, yaml.ScalarNode):
        if inside:
            yield node.start_mark.line + 1, node.value
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _source_values(item, links=links, inside=inside)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = inside or (key.value == "sources" if links else key.value in _KEYS)
            yield from _source_values(value, links=links and not here, inside=here)


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
