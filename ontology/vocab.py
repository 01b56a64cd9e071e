"""IRIs and prefixes of meakg, as plain strings so that the query path needs no rdflib.

Things get readable IRIs made from natural keys: ``https://w3id.org/meakg/id/<kind>/<slug>``.

The kinds of thing are an enumeration (``Kind``), so a misspelt kind fails where it is written;
locators, whose tail is a readable path of their own, have one constructor (``locator``).

>>> slug("Gorilla Agreement")
'gorilla-agreement'
>>> thing(Kind.INSTRUMENT, "AEWA")
'https://w3id.org/meakg/id/instrument/aewa'
>>> locator("unep-cms-cop11-doc-16-2-common-services", "annex-1/para-47")
'https://w3id.org/meakg/id/locator/unep-cms-cop11-doc-16-2-common-services/annex-1/para-47'
"""

import re
from enum import StrEnum

# Every IRI meakg mints is under BASE: one place for all of them.
BASE = "https://w3id.org/meakg/"
ONTOLOGY = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
ID = BASE + "id/"
GRAPHS = BASE + "graph/"
QUERIES = BASE + "query/"                    # saved queries: QUERIES + <name>
CONTEXT = BASE + "context.jsonld"            # the JSON-LD context of the exports
GENID = BASE + ".well-known/genid/"          # Skolem IRIs for blank nodes, should any appear

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
    "oa": "http://www.w3.org/ns/oa#",
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
    """Return *iri* as a CURIE of *prefixes* (the project's by default), the longest namespace winning; None if
    none fits.

    The one converter every output uses (tables, exports, the description, SSSOM).

    >>> curie("https://w3id.org/meakg/id/target/aichi/12"), curie("https://example.org/x")
    ('aichi:12', None)
    """
    prefixes = PREFIXES if prefixes is None else prefixes
    best = max((p for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda p: len(prefixes[p]), default=None)
    return None if best is None else f"{best}:{iri[len(prefixes[best]):]}"


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return a sort key that orders the numbers in *text* as numbers: target 2 before target 10.

    >>> sorted(["aichi/10", "aichi/2", "ms/1.10", "ms/1.2"], key=natural_key)
    ['aichi/2', 'aichi/10', 'ms/1.2', 'ms/1.10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def slug(text: str) -> str:
    """Return *text* as a lowercase, hyphenated IRI segment ('.' kept, as in '1.3' or '10.9')."""
    text = text.replace("&", " and ").lower()
    return re.sub(r"[^a-z0-9.]+", "-", text).strip("-.")


class Kind(StrEnum):
    """The kinds of thing meakg names: the first segment of ``id/<kind>/<slug>`` (see ontology/README.md)."""

    ACTIVITY = "activity"
    AGENT = "agent"                      # organisations, secretariats, bodies, groups, units
    ALIGNMENT = "alignment"
    ARRANGEMENT = "arrangement"          # what instruments already share: id/arrangement/<doc>/<locator ref>/<slug>
    BUDGET = "budget"
    CONCEPT = "concept"                  # a concept of a code list: id/concept/<scheme>/<slug>
    COST_FIGURE = "cost-figure"
    COST_SHARE = "cost-share"
    DATASET = "dataset"
    DECISION = "decision"
    DOCUMENT = "document"
    EVENT = "event"                      # days and campaigns the documents name (mentions.yaml)
    FUNCTION_STATUS = "function-status"
    GOAL = "goal"
    INITIATIVE = "initiative"            # programmes, projects, strategies the documents name (mentions.yaml)
    INSTRUMENT = "instrument"
    LOCATOR = "locator"
    MAPPING = "mapping"                  # a published mapping between two schemes: id/mapping/<set>/<from>-<to>
    MEETING = "meeting"
    PLAN = "plan"
    POST = "post"
    PROVISION = "provision"
    SCHEME = "scheme"
    SECTION = "section"
    STATED_COUNT = "stated-count"        # a number of instruments the text states: id/stated-count/<doc>/<ref>/<class>
    TARGET = "target"                    # id/target/<scheme prefix>/<number>


def thing(kind: Kind, *keys: str) -> str:
    """Return the IRI of a thing of *kind* identified by natural *keys* (each made a slug).

    >>> thing(Kind.TARGET, "aichi", "12")
    'https://w3id.org/meakg/id/target/aichi/12'
    >>> thing("instrumnet", "AEWA")
    Traceback (most recent call last):
    ValueError: 'instrumnet' is not a valid Kind
    """
    return ID + Kind(kind).value + "/" + "/".join(slug(k) for k in keys)


def document(key: str) -> str:
    """Return the IRI of a document: a source (its key in sources.yaml) or a part or document it cites."""
    return thing(Kind.DOCUMENT, key)


def locator(document_key: str, ref: str) -> str:
    """Return the IRI of a locator: ``id/locator/<document key>/<ref>``, the ref kept as written
    (a readable path such as ``table-1/aewa/conference-service``, already made of slugs)."""
    return thing(Kind.LOCATOR, document_key) + "/" + ref


def graph_iri(name: str) -> str:
    """Return the IRI of the named graph *name* (a source's file stem, 'reference', 'ontology', 'inferred')."""
    return GRAPHS + name
