"""The alignments as an SSSOM mapping set: TSV with its YAML metadata block (``meakg export --format sssom``).

Two kinds of rows, read from the stored build with one SPARQL query each:

- each MS Target <-> Aichi Target pair a work plan aligns (``mea:TargetAlignment``): the plan's
  table row is the source, as ``mapping_source`` (its locator, ``loc:...``);
- each published crosswalk row (``mea:PublishedMapping``: Aichi -> GBF, SPMS 2024-2032 -> GBF):
  the page that states it is the source, as ``see_also``, with its words as ``comment``.

All are ``skos:relatedMatch`` (the sources say "aligned with", "mapping with"), justified by
``semapv:ManualMappingCuration`` (people curated them; nothing here is computed). Rows are sorted, the
metadata carries no date: the same build gives the same file. sssom-py reads it back (tested).

>>> tsv([Row("ms:1", "A", "aichi:1", "B", "", "", "", "")], version="1").splitlines()[-1].split(chr(9))[:6]
['ms:1', 'A', 'skos:relatedMatch', 'aichi:1', 'B', 'semapv:ManualMappingCuration']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meakg.ontology.vocab import ID, PREFIXES, natural_key
from meakg.ontology.vocab import curie as to_curie

MAPPING_SET_ID = "https://w3id.org/meakg/mappings/meakg.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PREDICATE = "skos:relatedMatch"
JUSTIFICATION = "semapv:ManualMappingCuration"
CURIE_MAP = {
    "aichi": PREFIXES["aichi"], "ms": PREFIXES["ms"], "gbf": PREFIXES["gbf"], "spms24": PREFIXES["spms24"],
    "goal": ID + "goal/", "scheme": ID + "scheme/", "loc": PREFIXES["loc"], "mapping": ID + "mapping/",
    "skos": PREFIXES["skos"], "semapv": "https://w3id.org/semapv/vocab/",
}
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "subject_source", "object_source", "mapping_source", "see_also", "comment")
ALIGNMENTS = """
PREFIX mea: <https://w3id.org/meakg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?sl ?o ?ol ?ss ?os ?source ?note WHERE {
  ?a a mea:TargetAlignment ; mea:sourceTarget ?s ; mea:alignedTarget ?o ; prov:wasDerivedFrom ?source .
  ?s skos:prefLabel ?sl ; skos:inScheme ?ss . ?o skos:prefLabel ?ol ; skos:inScheme ?os .
  BIND("" AS ?note)
}"""
PUBLISHED = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mea: <https://w3id.org/meakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?sl ?o ?ol ?ss ?os ?source ?note WHERE {
  ?m a mea:PublishedMapping ; mea:mapsFrom ?s ; mea:mapsTo ?o ; dcterms:source ?source ; rdfs:comment ?note .
  ?s skos:prefLabel ?sl ; skos:inScheme ?ss . ?o skos:prefLabel ?ol ; skos:inScheme ?os .
}"""


@dataclass(frozen=True, order=True)
class Row:
    """One mapping: subject, object (CURIEs and labels), their schemes, and where it is stated."""

    subject_id: str
    subject_label: str
    object_id: str
    object_label: str
    subject_source: str
    object_source: str
    mapping_source: str     # the plan row's locator (loc:...), for a work plan's alignment
    see_also: str           # the page stating a published mapping
    comment: str = ""


def curie(iri: str) -> str:
    """Return *iri* as a CURIE of the SSSOM prefix map (the longest namespace wins).

    >>> curie("https://w3id.org/meakg/id/goal/gbf/a")
    'goal:gbf/a'
    """
    return to_curie(iri, CURIE_MAP) or iri


def rows(store) -> list[Row]:
    """Return the mapping rows of the build in *store* (a pyoxigraph store), sorted."""
    found = set()
    for text, kind in ((ALIGNMENTS, "plan"), (PUBLISHED, "published")):
        for s in store.query(text):
            source = s["source"].value
            found.add(Row(curie(s["s"].value), s["sl"].value, curie(s["o"].value), s["ol"].value,
                          curie(s["ss"].value), curie(s["os"].value),
                          curie(source) if kind == "plan" else "", source if kind == "published" else "",
                          s["note"].value))
    return sorted(found, key=lambda r: (natural_key(r.subject_id), natural_key(r.object_id), r))




def tsv(mappings: list[Row], *, version: str) -> str:
    """Return *mappings* as an SSSOM TSV file: the ``#``-commented YAML metadata block, then the table."""
    meta = ["# curie_map:"] + [f"#   {p}: {ns}" for p, ns in sorted(CURIE_MAP.items())]
    meta += [f"# mapping_set_id: {MAPPING_SET_ID}",
             f"# mapping_set_version: '{version}'",
             "# mapping_set_title: meakg target alignments and published crosswalks (MS Targets, Aichi Targets, "
             "Kunming-Montreal GBF, SPMS 2024-2032)",
             f"# license: {LICENSE}",
             "# mapping_set_description: Work-plan alignments (the plan's table row as mapping_source) and mappings "
             "published on InforMEA/DaRT pages (the page as see_also), row by row."]
    lines = ["\t".join(COLUMNS)]
    for row in mappings:
        cells = (row.subject_id, row.subject_label, PREDICATE, row.object_id, row.object_label, JUSTIFICATION,
                 row.subject_source, row.object_source, row.mapping_source, row.see_also, row.comment)
        lines.append("\t".join(_cell(c) for c in cells))
    return "\n".join(meta + lines) + "\n"


def export(out: Path | None = None, directory: Path | None = None) -> str:
    """Return the stored build's mappings as SSSOM TSV; write it atomically to *out* if given."""
    from meakg.graph.build.current import open_store
    from meakg.graph.export.describe import version
    from meakg.graph.files import write_atomic

    text = tsv(rows(open_store(directory)), version=version())
    if out is not None:
        write_atomic(Path(out), text)
    return text


def _cell(text: str) -> str:
    return " ".join(str(text).split())
