"""SHACL validation on an Oxigraph store: meakg's shapes (``graph.check.shapes``) evaluated as pySHACL does.

pySHACL checks each constraint of each focus node in Python over an rdflib copy of the whole graph: at
a million triples that is many minutes. This engine reads the store's default graph (the build's merge: every named
graph, the ontology and the closure) one predicate at a time into dictionaries, as the shapes ask for
it, and checks the core constraints there; each SPARQL constraint runs once on Oxigraph for all focus
nodes (once per focus node when the query does not project $this, as an aggregate's). Each
component gives the results pySHACL gives: the same focus nodes, values, messages and components
(tests/test_check_engine.py compares them with pySHACL's; tests/test_shape_engines.py with shacl-engine's).

>>> import pyoxigraph
>>> from rdflib import Graph
>>> from meakg.graph.check.shapes import read
>>> shapes = read(Graph().parse(format="turtle", data='''
...   @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...   ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "no p" ]
...   .'''))
>>> store = pyoxigraph.Store()
>>> store.load(b"<http://example.org/a> a <http://example.org/C> .", format=pyoxigraph.RdfFormat.TURTLE)
>>> [(r.focus.value, r.component, r.messages) for r in run(store, shapes)]
[('http://example.org/a', 'MinCountConstraintComponent', ('no p',))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

from meakg.graph.check.shapes import RDF, RDFS, SH, Constraint, Shape, Sparql, Unsupported
from meakg.graph.check.values import datatype_ok, in_range, not_at_most

_TYPE, _SUBCLASS = RDF + "type", RDFS + "subClassOf"
_KINDS = {pyoxigraph.NamedNode: (SH + "IRI", SH + "IRIOrLiteral", SH + "BlankNodeOrIRI"),
          pyoxigraph.BlankNode: (SH + "BlankNode", SH + "BlankNodeOrLiteral", SH + "BlankNodeOrIRI"),
          pyoxigraph.Literal: (SH + "Literal", SH + "BlankNodeOrLiteral", SH + "IRIOrLiteral")}


@dataclass(frozen=True)
class Result:
    """One validation result: the shape and component that failed, the focus node, the value, the messages."""

    shape: Shape
    component: str                 # e.g. "MinCountConstraintComponent"
    focus: object                  # pyoxigraph term
    value: object | None           # pyoxigraph term; None where the component reports none
    messages: tuple[str, ...]
    sparql: Sparql | None = None   # the SPARQL constraint, for sh:sourceConstraint


def run(store, shapes: list[Shape], data: Data | None = None) -> list[Result]:
    """Return the results of validating *store*'s default graph against *shapes* (top-level, with targets);
    *data*, when given, is the same graph as read for the core constraints (see Data)."""
    return _Engine(data or Data(store), store).run(shapes)


class Data:
    """The default graph of a store, read one predicate at a time (both directions) as it is asked for.

    With *graph* (the rdflib graph the store was made of) the triples are read from there instead: a
    store writes literals in canonical form ("95000.0" becomes "95000"), and a report quotes a partner's
    file as written, as pySHACL does.
    """

    def __init__(self, store, graph=None) -> None:
        self.store, self.graph = store, graph
        self._out: dict[str, dict] = {}
        self._in: dict[str, dict] = {}
        self._supers: dict = {}

    def forward(self, predicate: str) -> dict:
        """Return subject -> objects of *predicate*."""
        found = self._out.get(predicate)
        if found is None:
            found = self._out[predicate] = {}
            for subject, value in self._pairs(predicate):
                found.setdefault(subject, []).append(value)
        return found

    def _pairs(self, predicate: str):
        """Yield (subject, object) of each triple of *predicate*, as pyoxigraph terms."""
        if self.graph is None:
            for q in self.store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None,
                                                  pyoxigraph.DefaultGraph()):
                yield q.subject, q.object
            return
        from rdflib import URIRef

        from meakg.graph.build.dataset import to_oxigraph

        for s, _, o in self.graph.triples((None, URIRef(predicate), None)):
            yield to_oxigraph(s), to_oxigraph(o)

    def described(self, node) -> list:
        """Return the (predicate, object) pairs of the rdflib *node*, as rdflib terms (a blank node's description)."""
        if self.graph is not None:
            return list(self.graph.predicate_objects(node))
        from meakg.graph.build.dataset import converter, to_oxigraph

        term = converter()
        return [(term(q.predicate), term(q.object))
                for q in self.store.quads_for_pattern(to_oxigraph(node), None, None, pyoxigraph.DefaultGraph())]

    def backward(self, predicate: str) -> dict:
        """Return object -> subjects of *predicate*."""
        found = self._in.get(predicate)
        if found is None:
            found = self._in[predicate] = {}
            for subject, objects in self.forward(predicate).items():
                for o in objects:
                    found.setdefault(o, []).append(subject)
        return found

    def objects(self, node, predicate: str) -> list:
        return self.forward(predicate).get(node, [])

    def values(self, node, path) -> list:
        """Return the distinct value nodes of *path* (a tuple of shapes.Step) from *node*, in the order found."""
        if len(path) == 1:   # a predicate's objects (or subjects) are distinct already: the graph is a set
            step = path[0]
            return (self.backward(step.predicate) if step.inverse else self.forward(step.predicate)).get(node, [])
        nodes = [node]
        for step in path:
            table = self.backward(step.predicate) if step.inverse else self.forward(step.predicate)
            nodes = list(dict.fromkeys(v for n in nodes for v in table.get(n, ())))
        return nodes

    def superclasses(self, cls) -> frozenset:
        """Return *cls* and every class it is (transitively) an rdfs:subClassOf."""
        found = self._supers.get(cls)
        if found is None:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), _SUBCLASS):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._supers[cls] = frozenset(seen)
        return found

    def has_class(self, node, cls: str) -> bool:
        wanted = pyoxigraph.NamedNode(cls)
        return any(wanted in self.superclasses(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: str) -> set:
        """Return the instances of *cls* and of its subclasses, as pySHACL's sh:targetClass finds them."""
        classes, todo = {pyoxigraph.NamedNode(cls)}, [pyoxigraph.NamedNode(cls)]
        while todo:
            for sub in self.backward(_SUBCLASS).get(todo.pop(), ()):
                if sub not in classes:
                    classes.add(sub)
                    todo.append(sub)
        return {node for c in classes for node in self.backward(_TYPE).get(c, ())}


class _Engine:
    def __init__(self, data: Data, store) -> None:
        self.data, self.store = data, store
        self._conforms: dict = {}
        self._sparql: dict = {}

    def run(self, shapes: list[Shape]) -> list[Result]:
        results = []
        for shape in shapes:
            focus = sorted(self.focus_nodes(shape), key=str)
            for constraint in shape.constraints:
                if constraint.component == "Sparql":
                    self._sparql[constraint.value] = self.sparql_rows(constraint.value, focus)
            for node in focus:
                results += self.check(node, shape)
        return results

    def focus_nodes(self, shape: Shape) -> set:
        found = set()
        for kind, value in shape.targets:
            if kind == "class":
                found |= self.data.instances(value)
            elif kind == "node":
                found.add(value)
            elif kind == "subjectsOf":
                found |= set(self.data.forward(value))
            elif kind == "objectsOf":
                found |= set(self.data.backward(value))
            else:
                found |= {s["this"] for s in self.store.query(value) if s["this"] is not None}
        return found

    def conforms(self, node, shape: Shape) -> bool:
        key = (node, id(shape))
        if key not in self._conforms:
            self._conforms[key] = not self.check(node, shape)
        return self._conforms[key]

    def check(self, focus, shape: Shape) -> list[Result]:
        """Return the results of *focus* against *shape* and its property shapes."""
        values = [focus] if shape.path is None else self.data.values(focus, shape.path)
        results = []
        for constraint in shape.constraints:
            for value, component, messages, sparql in self.failures(focus, values, shape, constraint):
                results.append(Result(shape, component + "ConstraintComponent", focus, value,
                                      messages or shape.messages, sparql))
        for prop in shape.properties:
            results += self.check(focus, prop)
        return results

    def failures(self, focus, values: list, shape: Shape, constraint: Constraint):
        """Yield (value, component, messages, sparql) for each way *values* break *constraint*."""
        kind, arg = constraint.component, constraint.value
        if kind == "MinCount":
            if len(values) < arg:
                yield None, kind, (), None
        elif kind == "MaxCount":
            if len(values) > arg:
                yield None, kind, (), None
        elif kind == "HasValue":
            if arg not in values:
                yield None, kind, (), None
        elif kind == "QualifiedValueShape":
            inner, low, high = arg
            count = sum(1 for v in values if self.conforms(v, inner))
            if high is not None and count > high:
                yield None, "QualifiedMaxCount", (), None
            if low is not None and count < low:
                yield None, "QualifiedMinCount", (), None
        elif kind == "Sparql":
            for value, messages in self.sparql_failures(focus, arg, shape):
                yield value, "SPARQL", messages, arg
        elif kind in ("LessThanOrEquals", "Disjoint"):
            others = set(self.data.objects(focus, arg))
            for v in values:
                for _ in ([v] if v in others else []) if kind == "Disjoint" else not_at_most(v, others):
                    yield v, kind, (), None
        else:
            test = self.value_test(kind, arg)
            for v in values:
                if not test(v):
                    yield v, kind, (), None

    def value_test(self, kind: str, arg):
        """Return the test one value node must pass for a constraint of *kind* (one value at a time)."""
        if kind == "Class":
            return lambda v: not isinstance(v, pyoxigraph.Literal) and self.data.has_class(v, arg)
        if kind == "Datatype":
            return lambda v: datatype_ok(v, arg)
        if kind == "NodeKind":
            return lambda v: arg in _KINDS[type(v)]
        if kind == "Pattern":
            return lambda v: not isinstance(v, pyoxigraph.BlankNode) and bool(arg.search(_string(v)))
        if kind == "In":
            return lambda v: v in arg
        if kind in ("MinInclusive", "MinExclusive", "MaxInclusive", "MaxExclusive"):
            return lambda v: in_range(v, kind, arg)
        if kind == "Or":
            return lambda v: any(self.conforms(v, s) for s in arg)
        if kind == "And":
            return lambda v: all(self.conforms(v, s) for s in arg)
        if kind == "Not":
            return lambda v: not self.conforms(v, arg)
        if kind == "Node":
            return lambda v: self.conforms(v, arg)
        raise Unsupported(kind)

    # ------------------------------------------------------------------------------------------- SPARQL

    def sparql_failures(self, focus, sparql: Sparql, shape: Shape):
        rows = self._sparql.get(sparql)
        rows = rows.get(focus, ()) if rows is not None else self.sparql_rows(sparql, [focus]).get(focus, ())
        for row in rows:
            bound = dict(row)
            this, value = bound.get("this") or focus, bound.get("value")
            if value is None and shape.path is None:
                value = this
            bound["this"], bound["value"] = this, value
            messages = [_format(m, bound) for m in shape.messages]
            messages += [m for m in (_format(m, bound) for m in sparql.messages) if m not in messages]
            yield value, tuple(messages)

    def sparql_rows(self, sparql: Sparql, focus: list) -> dict:
        """Return focus node -> the distinct solutions of *sparql* with $this pre-bound to it, each a tuple of
        (variable, term) pairs: one query for all when it projects $this, else one per focus node."""
        head = re.split(r"\bWHERE\b", sparql.select, maxsplit=1, flags=re.I)[0]
        rows: dict = {}
        if re.search(r"SELECT[^{]*[$?]this\b", head, re.I) and not _AGGREGATE.search(sparql.select):
            wanted = set(focus)
            solutions = self.store.query(sparql.select)
            for solution in solutions:
                if solution["this"] in wanted:
                    _add(rows, solution["this"], solutions.variables, solution)
            return {node: list(found) for node, found in rows.items()}
        for node in focus:
            if not isinstance(node, pyoxigraph.NamedNode):
                raise Unsupported("a SPARQL constraint without $this in its projection, on a blank node")
            solutions = self.store.query(_bind_this(sparql.select, node))
            for solution in solutions:
                _add(rows, node, solutions.variables, solution)
        return {node: list(found) for node, found in rows.items()}


_AGGREGATE = re.compile(r"\b(SUM|COUNT|AVG|MIN|MAX|GROUP_CONCAT|SAMPLE)\s*\(|\bGROUP\s+BY\b", re.I)


def _bind_this(select: str, node) -> str:
    """Return *select* with $this (or ?this) written as the IRI *node*: SHACL's pre-binding, by substitution."""
    return re.sub(r"[$?]this\b", lambda _: str(node), select)


def _add(rows: dict, node, variables, solution) -> None:
    """Keep *solution* for *node*, once, if it binds $this, ?path or ?value (as pySHACL keeps them)."""
    found = tuple((v.value, solution[v]) for v in variables if solution[v] is not None)
    if any(k in ("this", "path", "value") for k, _ in found):
        rows.setdefault(node, {})[found] = None   # a dict: distinct solutions, in the order found


def _format(message: str, bound: dict) -> str:
    """Return *message* with {?var} and {$var} replaced by the bound terms' text, as pySHACL writes them."""
    for name, term in bound.items():
        if term is not None:
            message = _put(message, name, term.value)
    return message


def _put(message: str, name: str, text: str) -> str:
    return re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _: text, message)


def _string(v) -> str:
    """Return a value node as sh:pattern reads it: an IRI, or a literal's lexical form."""
    return v.value
