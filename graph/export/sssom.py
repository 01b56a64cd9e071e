"""The alignments as an SSSOM mapping set: TSV with its YAML metadata block (``meakg export --format sssom``).

Two kinds of rows, read from the stored build with one SPARQL query each:

- each MS Target <-> Aichi Target pair a work plan aligns (``mea:TargetAlignment``): its authors are
  the plan's parties (the secretariats whose plan it is); the table row that states it is the
  ``see_also`` (the locator's IRI), its document and place the ``comment``;
- each published crosswalk row (``mea:PublishedMapping``: Aichi -> GBF, SPMS 2024-2032 -> GBF):
  the page that states it is the ``see_also``, the site that publishes the page the
  ``mapping_provider``, the page's words the ``comment``.

``mapping_source`` is left out: SSSOM means by it the mapping set a mapping was first published in,
and none of these came from a mapping set. Every row's ``record_id`` is the IRI of its node in the
graph, its ``creator_id`` this project (which put it in this form). All are ``skos:relatedMatch``
(the sources say "aligned with", "mapping with"), justified by ``semapv:ManualMappingCuration``
(people curated them; nothing here is computed). Rows are sorted; the ``publication_date`` is the
build's date (``manifest.json``), never the clock: the same build gives the same file. sssom-py reads
it back and validates it (tested).

>>> row = Row("alignment:p/ms-1/aichi-1", "ms:1", "A", "aichi:1", "B", "", "", ("agent:cbd-secretariat",), "", "", "")
>>> tsv([row], version="1", date="2024-05-01").splitlines()[-1].split(chr(9))[:7]
['alignment:p/ms-1/aichi-1', 'ms:1', 'A', 'skos:relatedMatch', 'aichi:1', 'B', 'semapv:ManualMappingCuration']
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from meakg.graph.export.formats import FILES, SSSOM
from meakg.ontology.vocab import ID, PREFIXES, curie, natural_key

MAPPING_SET_ID = FILES[SSSOM].download_url  # where the file is published: https://w3id.org/meakg/mappings/...
SSSOM_VERSION = "1.1"  # record_id and sssom_version are SSSOM 1.1 slots
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PREDICATE = "skos:relatedMatch"
JUSTIFICATION = "semapv:ManualMappingCuration"
CREATOR = "agent:meakg"  # this project: the description graph names it (graph.export.describe.PUBLISHER)
CURIE_MAP = {
    "aichi": PREFIXES["aichi"], "ms": PREFIXES["ms"], "gbf": PREFIXES["gbf"], "spms24": PREFIXES["spms24"],
    "goal": ID + "goal/", "scheme": ID + "scheme/", "agent": PREFIXES["agent"], "alignment": ID + "alignment/",
    "mapping": ID + "mapping/", "skos": PREFIXES["skos"], "semapv": "https://w3id.org/semapv/vocab/",
}
COLUMNS = ("record_id", "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "subject_source", "object_source", "author_id", "creator_id", "mapping_provider",
           "see_also", "comment")
ALIGNMENTS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mea: <https://w3id.org/meakg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?record ?s ?sl ?o ?ol ?ss ?os ?source ?document ?place
       (GROUP_CONCAT(DISTINCT STR(?party); SEPARATOR=" ") AS ?authors) WHERE {
  ?record a mea:TargetAlignment ; mea:sourceTarget ?s ; mea:alignedTarget ?o ; prov:wasDerivedFrom ?source .
  ?s skos:prefLabel ?sl ; skos:inScheme ?ss . ?o skos:prefLabel ?ol ; skos:inScheme ?os .
  ?doc dcterms:hasPart ?source ; dcterms:title ?document . ?source rdfs:label ?place .
  OPTIONAL { ?record mea:inPlan/mea:party ?party }
} GROUP BY ?record ?s ?sl ?o ?ol ?ss ?os ?source ?document ?place"""
PUBLISHED = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mea: <https://w3id.org/meakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?record ?s ?sl ?o ?ol ?ss ?os ?source ?note WHERE {
  ?record a mea:PublishedMapping ; mea:mapsFrom ?s ; mea:mapsTo ?o ; dcterms:source ?source ; rdfs:comment ?note .
  ?s skos:prefLabel ?sl ; skos:inScheme ?ss . ?o skos:prefLabel ?ol ; skos:inScheme ?os .
}"""


@dataclass(frozen=True, order=True)
class Row:
    """One mapping: its record, subject and object (CURIEs and labels), their schemes, who made it and where."""

    record_id: str
    subject_id: str
    subject_label: str
    object_id: str
    object_label: str
    subject_source: str
    object_source: str
    author_id: tuple[str, ...]  # who asserted it: the plan's parties (empty where the source names no agent of ours)
    mapping_provider: str       # the site that publishes the page stating it
    see_also: str               # the table row's locator IRI, or the page stating a published mapping
    comment: str


def rows(store) -> list[Row]:
    """Return the mapping rows of the build in *store* (a pyoxigraph store), sorted by subject and object."""
    found = []
    for s in store.query(ALIGNMENTS):
        authors = tuple(sorted(_curie(a) for a in s["authors"].value.split()))
        found.append(Row(_curie(s["record"].value), _curie(s["s"].value), s["sl"].value, _curie(s["o"].value),
                         s["ol"].value, _curie(s["ss"].value), _curie(s["os"].value), authors, "",
                         s["source"].value, f"{s['document'].value}: {s['place'].value}"))
    for s in store.query(PUBLISHED):
        page = s["source"].value
        found.append(Row(_curie(s["record"].value), _curie(s["s"].value), s["sl"].value, _curie(s["o"].value),
                         s["ol"].value, _curie(s["ss"].value), _curie(s["os"].value), (), _site(page), page,
                         s["note"].value))
    return sorted(set(found), key=lambda r: (natural_key(r.subject_id), natural_key(r.object_id), r))


def tsv(mappings: list[Row], *, version: str, date: str) -> str:
    """Return *mappings* as an SSSOM TSV file: the ``#``-commented YAML metadata block, then the table.

    *date* (``YYYY-MM-DD``) is the ``publication_date``: the build's date, so the same build gives the same file.
    """
    meta = ["# curie_map:"] + [f"#   {p}: {ns}" for p, ns in sorted(CURIE_MAP.items())]
    meta += [f"# mapping_set_id: {MAPPING_SET_ID}",
             f"# mapping_set_version: '{version}'",
             f"# sssom_version: '{SSSOM_VERSION}'",
             "# mapping_set_title: meakg target alignments and published crosswalks (MS Targets, Aichi Targets, "
             "Kunming-Montreal GBF, SPMS 2024-2032)",
             "# mapping_set_description: Work-plan alignments (the plan's table row as see_also, its parties as "
             "author_id) and mappings published on InforMEA/DaRT pages (the page as see_also, its site as "
             "mapping_provider), row by row.",
             "# creator_id:", f"#   - {CREATOR}",
             f"# license: {LICENSE}",
             f"# publication_date: {date}"]
    lines = ["\t".join(COLUMNS)]
    for row in mappings:
        cells = (row.record_id, row.subject_id, row.subject_label, PREDICATE, row.object_id, row.object_label,
                 JUSTIFICATION, row.subject_source, row.object_source, "|".join(row.author_id), CREATOR,
                 row.mapping_provider, row.see_also, row.comment)
        lines.append("\t".join(_cell(c) for c in cells))
    return "\n".join(meta + lines) + "\n"


def export(out: Path | None = None, directory: Path | None = None) -> str:
    """Return the stored build's mappings as SSSOM TSV; write it atomically to *out* if given."""
    from meakg.graph.build.current import open_store
    from meakg.graph.build.store import read_manifest
    from meakg.graph.export.describe import version
    from meakg.graph.files import write_atomic

    store = open_store(directory)  # first: it rebuilds a stale build, which writes a new manifest
    manifest = read_manifest(directory)
    assert manifest is not None  # the build open_store made current
    text = tsv(rows(store), version=version(), date=manifest.built[:10])
    if out is not None:
        write_atomic(Path(out), text)
    return text


def _curie(iri: str) -> str:
    return curie(iri, CURIE_MAP) or iri


def _site(page: str) -> str:
    """Return the site that publishes *page*: its scheme and host.

    >>> _site("https://dart.informea.org/taxonomy/term/1678")
    'https://dart.informea.org/'
    """
    parts = urllib.parse.urlsplit(page)
    return f"{parts.scheme}://{parts.netloc}/"


def _cell(text: str) -> str:
    return " ".join(str(text).split())
