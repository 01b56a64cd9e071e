"""The export formats, their usual names, and the file extensions that imply them.

>>> format_for("ttl"), format_for(None, Path("x.nq")), format_for("json-ld", Path("x.jsonld"))
('turtle', 'nquads', 'jsonld')
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from meakg.ontology.errors import MeakgError


class Format(str, Enum):
    """The export formats."""

    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"


# The names users of rdflib, Jena and Oxigraph type, and the file extensions that imply a format.
FORMAT_NAMES = {"turtle": Format.TURTLE, "ttl": Format.TURTLE, "ntriples": Format.NTRIPLES, "nt": Format.NTRIPLES,
                "n-triples": Format.NTRIPLES, "nquads": Format.NQUADS, "nq": Format.NQUADS, "n-quads": Format.NQUADS,
                "trig": Format.TRIG, "jsonld": Format.JSONLD, "json-ld": Format.JSONLD, "xml": Format.RDFXML,
                "rdfxml": Format.RDFXML, "rdf/xml": Format.RDFXML, "rdf": Format.RDFXML}
EXTENSIONS = {".ttl": Format.TURTLE, ".nt": Format.NTRIPLES, ".nq": Format.NQUADS, ".trig": Format.TRIG,
              ".jsonld": Format.JSONLD, ".json": Format.JSONLD, ".rdf": Format.RDFXML, ".xml": Format.RDFXML,
              ".owl": Format.RDFXML}


def format_for(name: str | None = None, out: Path | None = None, *, extra: tuple[str, ...] = ()) -> str:
    """Return the export format named *name*, or implied by *out*'s extension; refuse a mismatch.

    *extra* are further format names the caller handles itself (``sssom``, by ``.sssom.tsv``).

    >>> format_for("turtle", Path("x.nt"))
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.MeakgError: --format turtle does not match x.nt (its extension means ntriples); give one, or make them agree
    """
    chosen = None
    if name is not None:
        key = name.strip().lower()
        chosen = key if key in extra else FORMAT_NAMES.get(key)
        if chosen is None:
            known = ", ".join(sorted({*FORMAT_NAMES, *extra}))
            raise MeakgError(f"unknown export format {name!r} (expected one of: {known})")
    implied = None
    if out is not None:
        suffixes = "".join(Path(out).suffixes[-2:]).lower()
        if "sssom" in extra and suffixes.endswith(".sssom.tsv"):
            implied = "sssom"
        else:
            implied = EXTENSIONS.get(Path(out).suffix.lower())
    chosen, implied = (getattr(chosen, "value", chosen), getattr(implied, "value", implied))
    if chosen and implied and chosen != implied:
        raise MeakgError(f"--format {name} does not match {Path(out).name} (its extension means {implied});"
                         " give one, or make them agree")
    if chosen or implied:
        return chosen or implied
    if out is not None:
        raise MeakgError(f"cannot tell the format of {Path(out).name} from its extension (expected one of: "
                         f"{', '.join(sorted(EXTENSIONS))}{', .sssom.tsv' if 'sssom' in extra else ''}); give --format")
    return Format.TURTLE.value
