"""The export formats, their usual names, the file extensions that imply them, and how each file is published.

>>> format_for("ttl"), format_for(None, Path("x.nq")), format_for("json-ld", Path("x.jsonld"))
('turtle', 'nquads', 'jsonld')
>>> FILES["nquads"].download_url, FILES["nquads"].media_type
('https://w3id.org/meakg/export/meakg.nq', 'application/n-quads')
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from meakg.ontology.errors import MeakgError


class Format(StrEnum):
    """The export formats (the RDF syntaxes meakg writes, and reads in ``meakg validate FILE``)."""

    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"

    @property
    def oxigraph(self) -> str:
        """The name of this format in ``pyoxigraph.RdfFormat``.

        >>> Format.NTRIPLES.oxigraph
        'N_TRIPLES'
        """
        return _OXIGRAPH[self]


# The names users of rdflib, Jena and Oxigraph type, and the file extensions that imply a format.
FORMAT_NAMES = {"turtle": Format.TURTLE, "ttl": Format.TURTLE, "ntriples": Format.NTRIPLES, "nt": Format.NTRIPLES,
                "n-triples": Format.NTRIPLES, "nquads": Format.NQUADS, "nq": Format.NQUADS, "n-quads": Format.NQUADS,
                "trig": Format.TRIG, "jsonld": Format.JSONLD, "json-ld": Format.JSONLD, "xml": Format.RDFXML,
                "rdfxml": Format.RDFXML, "rdf/xml": Format.RDFXML, "rdf": Format.RDFXML}
# The one table of RDF file extensions: what `meakg export --out` writes and what `meakg validate FILE` reads.
EXTENSIONS = {".ttl": Format.TURTLE, ".turtle": Format.TURTLE, ".nt": Format.NTRIPLES, ".ntriples": Format.NTRIPLES,
              ".nq": Format.NQUADS, ".nquads": Format.NQUADS, ".trig": Format.TRIG, ".jsonld": Format.JSONLD,
              ".json": Format.JSONLD, ".rdf": Format.RDFXML, ".xml": Format.RDFXML, ".owl": Format.RDFXML}
SSSOM, SSSOM_EXTENSION = "sssom", ".sssom.tsv"  # the mapping set: not RDF, written by graph.export.sssom
_OXIGRAPH = {Format.TURTLE: "TURTLE", Format.NTRIPLES: "N_TRIPLES", Format.NQUADS: "N_QUADS", Format.TRIG: "TRIG",
             Format.JSONLD: "JSON_LD", Format.RDFXML: "RDF_XML"}
DOWNLOADS = "https://w3id.org/meakg/"  # where the published files are (w3id redirects these paths to the host)


@dataclass(frozen=True)
class PublishedFile:
    """A file partners download: its title, path under DOWNLOADS, IANA media type and W3C format IRI (if any)."""

    title: str
    path: str
    media_type: str
    format_iri: str | None  # https://www.w3.org/ns/formats/ ("Unique URIs for File Formats"); SSSOM has none

    @property
    def download_url(self) -> str:
        return DOWNLOADS + self.path


W3C_FORMATS = "http://www.w3.org/ns/formats/"
# Media types as registered with IANA; pyoxigraph names the same ones (tests/test_export.py checks).
FILES = {
    Format.TURTLE.value: PublishedFile("Turtle", "export/meakg.ttl", "text/turtle", W3C_FORMATS + "Turtle"),
    Format.NTRIPLES.value: PublishedFile("N-Triples", "export/meakg.nt", "application/n-triples",
                                         W3C_FORMATS + "N-Triples"),
    Format.NQUADS.value: PublishedFile("N-Quads", "export/meakg.nq", "application/n-quads", W3C_FORMATS + "N-Quads"),
    Format.TRIG.value: PublishedFile("TriG", "export/meakg.trig", "application/trig", W3C_FORMATS + "TriG"),
    Format.JSONLD.value: PublishedFile("JSON-LD", "export/meakg.jsonld", "application/ld+json",
                                       W3C_FORMATS + "JSON-LD"),
    Format.RDFXML.value: PublishedFile("RDF/XML", "export/meakg.rdf", "application/rdf+xml", W3C_FORMATS + "RDF_XML"),
    SSSOM: PublishedFile("SSSOM mapping set (TSV)", "mappings/meakg.sssom.tsv", "text/tab-separated-values", None),
}


def format_for(name: str | None = None, out: Path | None = None) -> str:
    """Return the export format named *name*, or implied by *out*'s extension; refuse a mismatch.

    Besides the RDF formats there is ``sssom``, the mapping set (``.sssom.tsv``).

    >>> format_for("turtle", Path("x.nt"))
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.MeakgError: --format turtle does not match x.nt (its extension means ntriples); ...
    """
    chosen = implied = None   # plain strings: a Format's value, or SSSOM
    if name is not None:
        key = name.strip().lower()
        named = SSSOM if key == SSSOM else FORMAT_NAMES.get(key)
        if named is None:
            known = ", ".join(sorted({*FORMAT_NAMES, SSSOM}))
            raise MeakgError(f"unknown export format {name!r} (expected one of: {known})")
        chosen = str(named)
    if out is not None:
        file_name = Path(out).name.lower()
        extension = SSSOM if file_name.endswith(SSSOM_EXTENSION) else EXTENSIONS.get(Path(out).suffix.lower())
        implied = None if extension is None else str(extension)
        if chosen and implied and chosen != implied:
            raise MeakgError(f"--format {name} does not match {Path(out).name} (its extension means {implied});"
                             " give one, or make them agree")
    found = chosen or implied
    if found:
        return found
    if out is not None:
        raise MeakgError(f"cannot tell the format of {Path(out).name} from its extension (expected one of: "
                         f"{', '.join(sorted(EXTENSIONS))}, {SSSOM_EXTENSION}); give --format")
    return Format.TURTLE.value
