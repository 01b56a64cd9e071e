"""The shapes graph read into plain records for ``graph.check.engine``: the part of SHACL meakg's shapes use.

A shape is its node in the shapes graph, the named node shape it belongs to, its path (property
shapes), severity, messages, constraints and property shapes; a top-level node shape also has its
targets. What the records cannot hold (a constraint parameter, a path or a target of SHACL beyond this
part, a SPARQL constraint on a property shape) raises ``Unsupported``, and validation then runs pySHACL
on the whole shapes graph instead.

>>> from rdflib import Graph
>>> shapes = read(Graph().parse(format="turtle", data='''
...   @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...   @prefix s: <http://example.org/shapes#> .
...   s:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "no p" ]
...   .'''))
>>> [(s.name, s.targets) for s in shapes]
[('S', (('class', 'http://example.org/C'),))]
>>> [(p.path, p.constraints, p.messages) for p in shapes[0].properties]
[((Step(predicate='http://example.org/p', inverse=False),), (Constraint(component='MinCount', value=1),), ('no p',))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
VIOLATION = SH + "Violation"

# constraint parameter (local name in sh:) -> component name; each value of the parameter is one constraint
_SIMPLE = {"minCount": "MinCount", "maxCount": "MaxCount", "datatype": "Datatype", "class": "Class",
           "nodeKind": "NodeKind", "hasValue": "HasValue", "lessThanOrEquals": "LessThanOrEquals",
           "disjoint": "Disjoint", "minInclusive": "MinInclusive", "minExclusive": "MinExclusive",
           "maxInclusive": "MaxInclusive", "maxExclusive": "MaxExclusive"}
_SHAPE_LISTS = {"or": "Or", "and": "And"}
_SHAPE_VALUED = {"not": "Not", "node": "Node"}
# read with another parameter, or saying nothing to check
_READ_ELSEWHERE = {"property", "path", "severity", "message", "deactivated", "flags", "qualifiedMinCount",
                   "qualifiedMaxCount", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
                   "target", "name", "description", "order", "group", "defaultValue", "declare", "prefixes"}

_KNOWN = {*_SIMPLE, *_SHAPE_LISTS, *_SHAPE_VALUED, "pattern", "in", "qualifiedValueShape", "sparql", *_READ_ELSEWHERE}


class Unsupported(Exception):
    """The shapes use SHACL beyond what the engine reads."""


@dataclass(frozen=True)
class Step:
    """One step of a property path: a predicate IRI, followed forwards or inversely."""

    predicate: str
    inverse: bool = False


@dataclass(frozen=True)
class Constraint:
    """One constraint: its component's name ("MinCount", "Class", "Or", "Sparql" ...) and its parameter."""

    component: str
    value: Any


@dataclass(frozen=True)
class Sparql:
    """A SPARQL-based constraint: its SELECT (prefixes included), messages, and its node in the shapes graph."""

    select: str
    messages: tuple[str, ...]
    node: Any


@dataclass(frozen=True, eq=False)
class Shape:
    """A node or property shape; equal only to itself (its node may be a blank node)."""

    node: Any                              # the shape's term in the shapes graph (rdflib), as sh:sourceShape
    name: str                              # the named node shape it is or belongs to, e.g. "BudgetShape"
    path: tuple[Step, ...] | None          # None for a node shape
    path_node: Any                         # the sh:path term, for sh:resultPath
    severity: str                          # an IRI: sh:Violation, sh:Warning or sh:Info
    messages: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    properties: tuple[Shape, ...]
    targets: tuple[tuple[str, Any], ...] = ()   # ("class" | "node" | "subjectsOf" | "objectsOf" | "sparql", value)


def read(graph) -> list[Shape]:
    """Return the shapes with targets in the rdflib shapes *graph*, sorted by name; raise Unsupported."""
    return _Reader(graph).top_level()


class _Reader:
    def __init__(self, graph) -> None:
        from rdflib import URIRef

        self.graph, self.uri = graph, URIRef
        self.read: dict = {}

    def sh(self, name: str):
        return self.uri(SH + name)

    def values(self, node, name: str) -> list:
        return sorted(self.graph.objects(node, self.sh(name)), key=str)

    def top_level(self) -> list[Shape]:
        from rdflib import RDF as RDF_NS
        from rdflib import URIRef

        kinds = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
        nodes = {s for kind in kinds for s in self.graph.subjects(self.sh(kind), None)}
        nodes |= {s for s in self.graph.subjects(RDF_NS.type, URIRef(RDFS + "Class"))
                  if (s, RDF_NS.type, self.sh("NodeShape")) in self.graph}
        shapes = [self.shape(node, _local(node)) for node in nodes if not self._deactivated(node)]
        for shape in shapes:
            _check_messages(shape)
        return sorted(shapes, key=lambda s: (s.name, str(s.node)))

    def shape(self, node, name: str) -> Shape:
        if node in self.read:
            return self.read[node]
        self.read[node] = None   # a shape that refers back to itself would never finish
        for _, predicate, _ in self.graph.triples((node, None, None)):
            local = str(predicate)[len(SH):] if str(predicate).startswith(SH) else None
            if local is not None and local not in _KNOWN:
                raise Unsupported(f"sh:{local}")
        path_nodes = self.values(node, "path")
        path = self.path(path_nodes[0]) if path_nodes else None
        severity = self.values(node, "severity")
        shape = Shape(node=node, name=name, path=path, path_node=path_nodes[0] if path_nodes else None,
                      severity=str(severity[0]) if severity else VIOLATION,
                      messages=tuple(str(m) for m in self.values(node, "message")),
                      constraints=self.constraints(node, name),
                      properties=tuple(self.shape(p, name) for p in self.values(node, "property")
                                       if not self._deactivated(p)),
                      targets=self.targets(node))
        self.read[node] = shape
        return shape

    def constraints(self, node, name: str) -> tuple[Constraint, ...]:
        from meakg.graph.build.dataset import to_oxigraph

        found = []
        for local, component in _SIMPLE.items():
            found += [Constraint(component, _parameter(local, value)) for value in self.values(node, local)]
        for value in self.values(node, "pattern"):
            flags = self.values(node, "flags")
            found.append(Constraint("Pattern", _regex(str(value), str(flags[0]) if flags else "")))
        for value in self.values(node, "in"):
            found.append(Constraint("In", frozenset(to_oxigraph(item) for item in self.items(value))))
        for local, component in _SHAPE_LISTS.items():
            for value in self.values(node, local):
                found.append(Constraint(component, tuple(self.shape(m, name) for m in self.items(value))))
        for local, component in _SHAPE_VALUED.items():
            for value in self.values(node, local):
                found.append(Constraint(component, self.shape(value, name)))
        for value in self.values(node, "qualifiedValueShape"):
            if (node, self.sh("qualifiedValueShapesDisjoint"), None) in self.graph:
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            low, high = self.values(node, "qualifiedMinCount"), self.values(node, "qualifiedMaxCount")
            found.append(Constraint("QualifiedValueShape", (self.shape(value, name), low[0].toPython() if low else None,
                                                            high[0].toPython() if high else None)))
        for value in self.values(node, "sparql"):
            if not self._deactivated(value):
                if self.values(node, "path"):
                    raise Unsupported("a SPARQL constraint on a property shape")
                found.append(Constraint("Sparql", self.sparql(value)))
        return tuple(found)

    def sparql(self, node) -> Sparql:
        from meakg.graph.check.targets import prefixes

        [select] = self.values(node, "select")
        return Sparql(prefixes(self.graph, node) + str(select), tuple(str(m) for m in self.values(node, "message")),
                      node)

    def targets(self, node) -> tuple[tuple[str, Any], ...]:
        from rdflib import RDF as RDF_NS

        from meakg.graph.build.dataset import to_oxigraph
        from meakg.graph.check.targets import prefixes

        found = [(kind, str(value)) for kind, local in (("class", "targetClass"), ("subjectsOf", "targetSubjectsOf"),
                                                         ("objectsOf", "targetObjectsOf"))
                 for value in self.values(node, local)]
        found += [("node", to_oxigraph(value)) for value in self.values(node, "targetNode")]
        if (node, RDF_NS.type, self.uri(RDFS + "Class")) in self.graph:
            found.append(("class", str(node)))
        for target in self.values(node, "target"):
            if (target, RDF_NS.type, self.sh("SPARQLTarget")) not in self.graph:
                raise Unsupported("a target other than a SPARQL target")
            found.append(("sparql", prefixes(self.graph, target) + str(self.values(target, "select")[0])))
        return tuple(found)

    def path(self, node) -> tuple[Step, ...]:
        from rdflib import BNode, URIRef

        if isinstance(node, URIRef):
            return (Step(str(node)),)
        inverse = self.values(node, "inversePath")
        if inverse and isinstance(inverse[0], URIRef):
            return (Step(str(inverse[0]), inverse=True),)
        if isinstance(node, BNode) and (node, self.uri(RDF + "first"), None) in self.graph:
            return tuple(step for item in self.items(node) for step in self.path(item))
        raise Unsupported("a property path other than a predicate, an inverse or a sequence")

    def items(self, head) -> list:
        from rdflib.collection import Collection

        return list(Collection(self.graph, head))

    def _deactivated(self, node) -> bool:
        return any(v.toPython() is True for v in self.values(node, "deactivated"))


def _check_messages(shape: Shape) -> None:
    """Raise Unsupported unless every result *shape* and its property shapes can give says what is wrong
    (pySHACL writes a generic message of its own where a shape has none)."""
    for constraint in shape.constraints:
        if not shape.messages and not (constraint.component == "Sparql" and constraint.value.messages):
            raise Unsupported(f"a shape without sh:message: {shape.node}")
    for prop in shape.properties:
        _check_messages(prop)


def _parameter(local: str, value):
    """Return a simple constraint's parameter as the engine compares it: a count, a pyoxigraph term for
    sh:hasValue, the rdflib literal for a bound (compared as pySHACL compares), else the IRI."""
    from meakg.graph.build.dataset import to_oxigraph

    if local in ("minCount", "maxCount"):
        return int(value.toPython())
    if local == "hasValue":
        return to_oxigraph(value)
    if local.startswith(("min", "max")):
        return value
    return str(value)


def _regex(pattern: str, flags: str):
    """Return *pattern* compiled as pySHACL compiles sh:pattern (flags "i" and "m")."""
    value = (re.I if "i" in flags.lower() else 0) | (re.M if "m" in flags.lower() else 0)
    return re.compile(pattern, value)


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]
