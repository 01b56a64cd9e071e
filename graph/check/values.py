"""How a value node is judged against a literal constraint, as pySHACL judges it: sh:datatype (well-formed
literals only), sh:minInclusive and the like (rdflib's comparison of literals), sh:lessThanOrEquals (text
with text, IRIs as text, else literals compared by value). ``graph.check.engine`` asks these per value.

>>> import pyoxigraph
>>> decimal = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
>>> datatype_ok(pyoxigraph.Literal("12.5", datatype=decimal), decimal.value)
True
>>> datatype_ok(pyoxigraph.Literal("twelve", datatype=decimal), decimal.value)
False
>>> [other.value for other in not_at_most(pyoxigraph.Literal("95000", datatype=decimal),
...                                        {pyoxigraph.Literal("90000", datatype=decimal)})]
['90000']
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import pyoxigraph

from meakg.graph.check.shapes import RDF, RDFS


@cache
def _rdflib(v):
    return _converter()(v)


@lru_cache(maxsize=1)
def _converter():
    from meakg.graph.build.dataset import converter

    return converter()


@cache
def datatype_ok(v, datatype: str) -> bool:
    """Whether *v* is a literal of *datatype*, well-formed: pySHACL's DatatypeConstraintComponent."""
    from datetime import date, datetime, time
    from decimal import Decimal

    if not isinstance(v, pyoxigraph.Literal):
        return False
    literal = _rdflib(v)
    actual, xsd = literal.datatype, "http://www.w3.org/2001/XMLSchema#"
    if actual is not None and str(actual) == datatype:
        if getattr(literal, "ill_typed", None) is True:
            return False
        checks = {xsd + "integer": int, xsd + "float": float, xsd + "decimal": Decimal, xsd + "boolean": bool,
                  xsd + "date": date, xsd + "time": time, xsd + "dateTime": datetime}
        return isinstance(literal.value, checks[datatype]) if datatype in checks else True
    if datatype == RDFS + "Literal" or (datatype == RDFS + "Datatype" and actual is not None):
        return True
    if actual is None and literal.language is None and datatype == xsd + "string":
        return True
    return datatype == RDF + "langString" and bool(literal.language)


def in_range(v, kind: str, bound) -> bool:
    """Whether *v* passes sh:minInclusive (and the like) against the rdflib literal *bound*, as pySHACL compares."""
    from pyshacl.rdfutil.compare import compare_literal

    if not isinstance(v, pyoxigraph.Literal):
        return False
    literal = _rdflib(v)
    if isinstance(bound.value, str) != isinstance(literal.value, str):
        return False
    try:
        order = compare_literal(literal, bound)
    except (TypeError, NotImplementedError):
        return False
    return {"MinInclusive": order >= 0, "MinExclusive": order > 0,
            "MaxInclusive": order <= 0, "MaxExclusive": order < 0}[kind]


def not_at_most(v, others: set):
    """Yield once for each of *others* that *v* is not less than or equal to (sh:lessThanOrEquals), or
    cannot be compared with: a blank node, as SHACL 4.5.4 says (pySHACL stops there with an error)."""
    for other in others:
        if isinstance(v, pyoxigraph.BlankNode) or isinstance(other, pyoxigraph.BlankNode):
            yield other
            continue
        (left_is_text, left), (right_is_text, right) = _comparable(v), _comparable(other)
        if left_is_text != right_is_text:
            yield other
            continue
        try:
            if not left <= right:
                yield other
        except TypeError:
            yield other


def _comparable(term) -> tuple[bool, Any]:
    """Return what pySHACL compares for a term, and whether it is text: an IRI's or a string's text, else the
    rdflib literal (a str too, hence the flag)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return True, term.value
    literal = _rdflib(term)
    return (True, literal.value) if isinstance(literal.value, str) else (False, literal)
