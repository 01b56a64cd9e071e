"""Content negotiation for the endpoint: which of the formats it offers a request's ``Accept`` header prefers.

>>> choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PAGE)
'html'
>>> choose("text/turtle", PAGE), choose("", ROWS), choose("image/png", ROWS)
('turtle', 'json', None)
"""

from __future__ import annotations

ROWS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
        "tsv": "text/tab-separated-values"}
GRAPH = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
         "rdfxml": "application/rdf+xml"}
PAGE = {"html": "text/html", **GRAPH}   # an IRI: its page for a browser, its description for a client
SUFFIXES = {".html": "html", ".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".rdf": "rdfxml"}
ALIASES = {"application/json": "json", "application/xml": "xml", "text/plain": "ntriples",
           "application/x-turtle": "turtle", "application/xhtml+xml": "html"}


def choose(accept: str, offers: dict[str, str]) -> str | None:
    """Return the name of the offer *accept* prefers (the first offer when it says nothing), or None if it
    accepts none of them (HTTP 406)."""
    ranges = _ranges(accept)
    if not ranges:
        return next(iter(offers))
    best, best_key = None, (0.0, -1)
    for position, (name, media) in enumerate(offers.items()):
        quality, precision = 0.0, -1
        for pattern, q in ranges:
            found = _match(pattern, media, name)
            if found > precision:
                quality, precision = q, found
        key = (quality, -position)
        if quality > 0 and (best is None or key > best_key):
            best, best_key = name, key
    return best


def _ranges(accept: str) -> list[tuple[str, float]]:
    found = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        found.append((media.lower(), q))
    return found


def _match(pattern: str, media: str, name: str) -> int:
    """How precisely *pattern* matches the offer: 2 exactly (or an alias), 1 by type/*, 0 by */*, -1 not."""
    if pattern == media or ALIASES.get(pattern) == name:
        return 2
    if pattern.endswith("/*") and media.startswith(pattern[:-1]):
        return 1
    return 0 if pattern == "*/*" else -1
