"""Where each IRI's page is on the static site, and the links between pages and to an endpoint.

Where each IRI's page is (the rule a w3id redirect can follow):
============================================  ==========================================
IRI                                           page
============================================  ==========================================
``https://w3id.org/meakg/id/<path>``          ``id/<path>.html``
``https://w3id.org/meakg/id/locator/<doc>/<ref>``  ``sources/<doc>.html#<ref>`` (the place in the text)
``https://w3id.org/meakg/ontology#<Term>``    ``ontology.html#<Term>``
``https://w3id.org/meakg/query/<name>``       ``queries/<name>.html``
============================================  ==========================================

>>> page_path("https://w3id.org/meakg/id/target/aichi/12")
'id/target/aichi/12.html'
>>> page_path("https://w3id.org/meakg/id/locator/cbd-cms-joint-work-plan-2016-2018/row-7")
'sources/cbd-cms-joint-work-plan-2016-2018.html#row-7'
>>> page_path("https://w3id.org/meakg/ontology#JointActivity"), page_path("https://example.org/x")
('ontology.html#JointActivity', None)
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit

from meakg.graph.site.data import GRAPHS, ID, LOCATOR, ONTOLOGY, Data
from meakg.ontology.errors import MeakgError
from meakg.ontology.vocab import ONTOLOGY_IRI, curie
from meakg.queries.header import QUERY_BASE

KINDS = {  # IRI kind -> heading of the entity index, in the order a reader looks for them
    "target": "Targets", "goal": "Aichi strategic goals", "instrument": "Instruments", "activity": "Activities",
    "alignment": "Target alignments", "plan": "Work plans", "section": "Work plan sections",
    "agent": "Organisations, secretariats and units", "post": "Posts", "decision": "Decisions and resolutions",
    "meeting": "Meetings", "document": "Documents", "provision": "Provisions (paragraphs of resolutions)",
    "function-status": "Table cells of Doc.16.2", "budget": "Budget estimates", "cost-share": "Cost shares",
    "cost-figure": "Cost figures", "concept": "Concepts and code-list values", "scheme": "Concept schemes",
}


def entity_path(iri: str) -> str:
    """Return the page of *iri*, a node under id/ that is not a locator (one of ``Data.entities``).

    >>> entity_path("https://w3id.org/meakg/id/activity/cms-capacity-building-work-plan-2012-2014/1.3")
    'id/activity/cms-capacity-building-work-plan-2012-2014/1.3.html'
    """
    return f"id/{iri[len(ID):]}.html"


def page_path(iri: str) -> str | None:
    """Return the site path (with ``#anchor`` for places in a page) of *iri*, or None if it has none."""
    if iri.startswith(LOCATOR):
        doc, _, ref = iri[len(LOCATOR):].partition("/")
        return f"sources/{doc}.html" + (f"#{ref}" if ref else "")
    if iri.startswith(ID):
        return entity_path(iri)
    if iri.startswith(ONTOLOGY):
        return f"ontology.html#{iri[len(ONTOLOGY):]}"
    if iri == ONTOLOGY_IRI:
        return "ontology.html"
    if iri.startswith(QUERY_BASE):
        return f"queries/{iri[len(QUERY_BASE):]}.html"
    return None


def term_anchor(iri: str) -> str:
    """Return the anchor of an ontology term on ``ontology.html``: its local name, or prefix-local for reused terms.

    >>> term_anchor("http://www.w3.org/2004/02/skos/core#Concept")
    'skos-Concept'
    """
    if iri.startswith(ONTOLOGY):
        return iri[len(ONTOLOGY):]
    return (curie(iri) or iri).replace(":", "-")


class Linker:
    """Turns IRIs into relative links from one page, only to pages and anchors the site has."""

    def __init__(self, data: Data, entity_pages: set[str], terms: set[str]) -> None:
        self.data, self.entity_pages, self.terms = data, entity_pages, terms

    def target(self, iri: str | None) -> str | None:
        """Return the site path of *iri* when the site has a page (or anchor) for it."""
        if not iri:
            return None
        if iri in self.data.locators or iri in self.entity_pages:
            return page_path(iri)
        if iri in self.terms:
            return f"ontology.html#{term_anchor(iri)}"
        if iri.startswith(QUERY_BASE):
            return page_path(iri)
        return None


def relative(path: str, target: str) -> str:
    """Return the link from page *path* to site path *target* (which may carry a #fragment).

    >>> relative("id/target/aichi/12.html", "sources/doc.html#row-7")
    '../../../sources/doc.html#row-7'
    >>> relative("index.html", "matrices.html")
    'matrices.html'
    """
    page, _, fragment = target.partition("#")
    link = _relative_page(posixpath.dirname(path) or ".", page) if page != path else ""
    return link + (f"#{quote(fragment, safe='/.-_~')}" if fragment else "")


@lru_cache(maxsize=65536)
def _relative_page(here: str, page: str) -> str:
    return quote(posixpath.relpath(page, here), safe="/.-_~")


def check_endpoint(endpoint: str | None) -> None:
    """Fail with a one-line error unless *endpoint* is None or an http(s) URL with a host.

    >>> check_endpoint("localhost:7878")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.MeakgError: expected the SPARQL endpoint as an http(s) URL such as ..., found 'localhost:7878'
    """
    if endpoint is None:
        return
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in endpoint):
        raise MeakgError("expected the SPARQL endpoint as an http(s) URL such as http://localhost:7878/query, "
                         f"found {endpoint!r}")


def endpoint_link(endpoint: str, sparql: str) -> str:
    """Return the URL that runs *sparql* at *endpoint* (SPARQL 1.1 Protocol, query by GET).

    >>> endpoint_link("http://localhost:7878/query", "ASK {}")
    'http://localhost:7878/query?query=ASK+%7B%7D'
    """
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode({"query": sparql})


def graph_name(iri: str) -> str:
    """Return the short name of a named graph IRI ('reference', a source's file stem, ...)."""
    return iri[len(GRAPHS):] if iri.startswith(GRAPHS) else iri
