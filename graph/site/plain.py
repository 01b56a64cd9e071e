"""Plain words for the site's readers: properties by their ontology labels, column headers as words,
numbers and amounts formatted, links out named by their site.

The ontology labels every term it defines or reuses (``rdfs:label``, read from the build); the few
RDF and RDFS terms it does not label are named here. Identifiers, IRIs and CURIEs stay in the pages'
"technical details" parts.

>>> header("activitiesWithAmount"), header("msTarget"), header("gbfTitle")
('Activities with amount', 'MS target', 'GBF title')
>>> number("145000"), number("0.5"), number("1.1", "http://www.w3.org/2001/XMLSchema#string")
('145,000', '0.5', '1.1')
>>> amount("45000", "USD"), site_name("https://www.informea.org/en/treaties/aewa")
('45,000 USD', 'informea.org')
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from meakg.ontology.vocab import PREFIXES

XSD = PREFIXES["xsd"]
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger",
                             "positiveInteger", "short")}
# RDF and RDFS terms the ontology uses without labelling them: how a reader would say them
CORE_LABELS = {PREFIXES["rdf"] + "type": "kind", PREFIXES["rdfs"] + "label": "name",
               PREFIXES["rdfs"] + "comment": "note", PREFIXES["rdfs"] + "seeAlso": "see also",
               PREFIXES["owl"] + "sameAs": "same as"}
# the datatypes of values, as a reader would name them
DATATYPES = {XSD + "string": "text", PREFIXES["rdf"] + "PlainLiteral": "text", PREFIXES["rdf"] + "langString": "text",
             XSD + "integer": "a whole number", XSD + "nonNegativeInteger": "a whole number",
             XSD + "decimal": "a number",
             XSD + "double": "a number", XSD + "boolean": "yes or no", XSD + "gYear": "a year", XSD + "date": "a date",
             XSD + "anyURI": "a web address", PREFIXES["rdfs"] + "Literal": "a value"}
# words of query variables a reader knows better spelt out (ms -> "MS", label -> "name", ...)
WORDS = {"ms": "MS", "gbf": "GBF", "spms": "SPMS", "aichi": "Aichi", "cms": "CMS", "iri": "IRI", "min": "minimum",
         "max": "maximum", "label": "name", "locator": "where stated", "notation": "number"}


def sentence(text: str) -> str:
    """Return *text* with its first letter in capitals ('typology category' -> 'Typology category')."""
    return text[:1].upper() + text[1:]


def header(variable: str) -> str:
    """Return a query variable as a column header in words: camelCase split, known abbreviations spelt."""
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", variable) or [variable]
    spelt = [WORDS.get(w.lower(), w.lower()) for w in words]
    return sentence(" ".join(spelt))


def number(value: str, datatype: str = XSD + "decimal") -> str:
    """Return a numeric literal with thousands separators (other literals unchanged)."""
    if datatype not in NUMERIC:
        return value
    try:
        amount_ = Decimal(value)
    except InvalidOperation:
        return value
    if amount_ == amount_.to_integral_value():
        return f"{int(amount_):,}"
    return f"{amount_.normalize():,f}"


def amount(value: str, currency: str) -> str:
    """Return an amount with its currency code ('45,000 USD')."""
    return f"{number(value)} {currency}".strip()


def is_number(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", value))


def site_name(url: str) -> str:
    """Return the host a link out goes to, without 'www.', as its readable name."""
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host or url
