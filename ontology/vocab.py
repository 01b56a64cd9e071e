"""IRIs and prefixes of meakg, as plain strings so that the query path needs no rdflib.

Things get readable IRIs made from natural keys: ``https://w3id.org/meakg/id/<kind>/<slug>``.

>>> slug("Gorilla Agreement")
'gorilla-agreement'
>>> thing("instrument", "AEWA")
'https://w3id.org/meakg/id/instrument/aewa'
"""

import re

ONTOLOGY = "https://w3id.org/meakg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/meakg/ontology"
ID = "https://w3id.org/meakg/id/"
GRAPHS = "https://w3id.org/meakg/graph/"

# One fixed prefix table for every serialisation, so outputs are byte-stable and partners
# see the same short names everywhere.
PREFIXES: dict[str, str] = {
    "mea": ONTOLOGY,
    "aichi": ID + "target/aichi/",
    "ms": ID + "target/ms/",
    "gbf": ID + "target/gbf/",
    "spms24": ID + "target/spms-2024/",
    "inst": ID + "instrument/",
    "agent": ID + "agent/",
    "doc": ID + "document/",
    "loc": ID + "locator/",
    "cbdterm": "https://api.cbd.int/api/v2013/thesaurus/terms/",
    "informea": "https://www.informea.org/treaties/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def curie(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """Return *iri* as a CURIE of *prefixes* (the project's by default), the longest namespace winning; None if none fits.

    The one converter every output uses (tables, exports, the description, SSSOM).

    >>> curie("https://w3id.org/meakg/id/target/aichi/12"), curie("https://example.org/x")
    ('aichi:12', None)
    """
    prefixes = PREFIXES if prefixes is None else prefixes
    best = max((p for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda p: len(prefixes[p]), default=None)
    return None if best is None else f"{best}:{iri[len(prefixes[best]):]}"


def natural_key(text: str) -> tuple:
    """Return a sort key that orders the numbers in *text* as numbers: target 2 before target 10.

    >>> sorted(["aichi/10", "aichi/2", "ms/1.10", "ms/1.2"], key=natural_key)
    ['aichi/2', 'aichi/10', 'ms/1.2', 'ms/1.10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def slug(text: str) -> str:
    """Return *text* as a lowercase, hyphenated IRI segment ('.' kept, as in '1.3' or '10.9')."""
    text = text.replace("&", " and ").lower()
    return re.sub(r"[^a-z0-9.]+", "-", text).strip("-.")


def thing(kind: str, *keys: str) -> str:
    """Return the IRI of a thing of *kind* identified by natural *keys*."""
    return ID + kind + "/" + "/".join(slug(k) for k in keys)


def graph_iri(name: str) -> str:
    """Return the IRI of the named graph *name* (a source's file stem, 'reference', 'ontology', 'inferred')."""
    return GRAPHS + name
