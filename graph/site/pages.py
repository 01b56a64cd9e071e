"""The pages of the static site: each one a template and the data it shows, rendered to bytes by path.

Called by ``meakg.graph.site.write.build_site``; kept apart so each module holds one concern (paths and
links in ``links``, writing in ``write``, what each page shows here, the matrices in ``matrices``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jinja2

from meakg.graph.site import data as site_data
from meakg.graph.site import matrices as site_matrices
from meakg.graph.site.data import DCT, ID, PREFIXES, RDF_TYPE, RDFS_COMMENT, SKOS
from meakg.graph.site.links import KINDS, Linker, endpoint_link, graph_name, page_path, relative, term_anchor
from meakg.queries import catalogue
from meakg.queries.render import short, to_csv, to_json

OWL = PREFIXES["owl"]
RDFS = PREFIXES["rdfs"]
VOID = PREFIXES["void"]
TERM_KINDS = (("Classes", OWL + "Class"), ("Object properties", OWL + "ObjectProperty"),
              ("Datatype properties", OWL + "DatatypeProperty"), ("Annotation properties", OWL + "AnnotationProperty"))


class Pages:
    """Renders every page of the site into a dict of path -> bytes."""

    def __init__(self, store, env: jinja2.Environment, endpoint: str | None, directory: Path | None) -> None:
        self.store, self.env, self.endpoint, self.directory = store, env, endpoint, directory
        self.data = site_data.load(store)
        self.entities = self.data.entities()
        ontology = site_data.GRAPHS + "ontology"
        self.terms = sorted({q[0] for q in self.data.quads if q[4] == ontology and q[1] == RDF_TYPE
                             and q[2] in {k for _, k in TERM_KINDS}})
        self.linker = Linker(self.data, set(self.entities), set(self.terms))
        self.labels = site_matrices.locators_by_label(self.data)
        self.files: dict[str, bytes] = {}
        self.documents = site_data.source_documents(self.data)

    # ---------------------------------------------------------------- helpers the templates call
    def render(self, path: str, template: str, **context) -> None:
        def link(iri):
            target = self.linker.target(iri)
            return relative(path, target) if target else None

        def to(site_path):
            return relative(path, site_path)

        def doc_symbol(key):
            return self.data.value(ID + "document/" + key, DCT + "identifier") or key

        html = self.env.get_template(template).render(
            page=path, link=link, to=to, documents=self.documents, label=self.data.label, doc_symbol=doc_symbol, **context)
        self.files[path] = html.encode("utf-8")

    # ---------------------------------------------------------------- pages
    def all(self) -> dict[str, bytes]:
        queries = catalogue.list_queries()
        self.home(queries)
        self.matrices()
        self.query_pages(queries)
        self.entity_pages()
        self.sources()
        self.ontology()
        return self.files

    def home(self, queries) -> None:
        from meakg.graph.export.describe import DATASET, describe
        from meakg.graph.export.rdf import load

        description = describe(load(self.directory))
        dataset = {str(p): str(o) for p, o in description.predicate_objects(DATASET)}
        subsets = {str(s): int(o) for s, o in description.subject_objects(description.namespace_manager.expand_curie("void:triples"))
                   if str(s) != str(DATASET)}
        documents = []
        for key in site_data.source_documents(self.data):
            iri = ID + "document/" + key
            documents.append({"key": key, "iri": iri, "symbol": self.data.value(iri, DCT + "identifier") or key,
                              "title": self.data.value(iri, DCT + "title") or key,
                              "year": self.data.value(iri, DCT + "date") or "",
                              "locators": sum(1 for loc in self.data.locators.values() if loc.document == key),
                              "triples": subsets.get(site_data.GRAPHS + key, 0)})
        counts = {k: dataset.get(VOID + k, "") for k in ("triples", "entities", "classes", "properties")}
        aichi = {self.data.value(t, SKOS + "notation"): t for t in self.entities if t.startswith(ID + "target/aichi/")}
        without = [(aichi.get(n), n, title) for n, title in catalogue.run("aichi-targets-without-joint-activity", store=self.store).values()]
        shared: dict[str, list] = defaultdict(list)
        result = catalogue.run("shared-functions", store=self.store)
        for v in result.records():
            value = v["value"] + (f", by the {self.data.label(v['providedBy'])}" if v.get("providedBy") else "")
            shared[v["function"]].append((v["instrument"], value, self.labels.get(v["locator"] or "")))
        self.render("index.html", "home.html", title="meakg", dataset=dataset, sources=documents,
                    counts=counts, queries=len(queries), without=without, shared=sorted(shared.items()), entities=len(self.entities),
                    title_text=dataset.get(DCT + "title", ""), description=dataset.get(DCT + "description", ""),
                    license=dataset.get(DCT + "license", ""), version=dataset.get(PREFIXES["dcat"] + "version", ""))

    def matrices(self) -> None:
        alignment = site_matrices.alignment(self.data, self.store)
        table1 = site_matrices.function_grid(self.data, self.store, "instrument-functions", "function",
                                             "Table 1: secretariat functions of each instrument")
        table2 = site_matrices.function_grid(self.data, self.store, "implementation-support", "activityType",
                                             "Table 2: implementation-support activities of each instrument")
        budgets = site_matrices.budgets(self.data, self.store)
        page = "matrices.html"
        self.render(page, "matrices.html", title="Matrices", alignment=alignment,
                    heatmap=site_matrices.heatmap_svg(alignment), grids=(table1, table2),
                    typology=site_matrices.typology_grid(self.data, self.store), budgets=budgets,
                    budget_chart=site_matrices.budget_svg(budgets, lambda iri: relative(page, page_path(iri)) if iri else "#"),
                    without=_without(alignment))

    def query_pages(self, queries) -> None:
        tags: dict[str, list] = defaultdict(list)
        for query in queries:
            for tag in query.tags:
                tags[tag].append(query)
            result = None
            if not any(p.required for p in query.params):
                result = catalogue.run(query, store=self.store)
                if result.triples is not None:  # a CONSTRUCT answer: shown (and downloaded) as subject/predicate/object rows
                    result = catalogue.Result(("subject", "predicate", "object"),
                                              tuple((t.subject, t.predicate, t.object) for t in result.triples))
                self.files[f"queries/{query.name}.csv"] = to_csv(result).encode("utf-8")
                self.files[f"queries/{query.name}.json"] = to_json(result).encode("utf-8")
            self.render(f"queries/{query.name}.html", "query.html", title=query.title, query=query,
                        columns=result.variables if result else (), rows=self._rows(result) if result else None,
                        run_at=endpoint_link(self.endpoint, query.sparql) if self.endpoint else None)
        self.render("queries/index.html", "queries.html", title="Saved queries", queries=queries,
                    tags=sorted(tags.items()))

    def _rows(self, result) -> list[list[tuple[str, str | None, bool]]]:
        """Return a query's answer as cells (text, IRI to link or None, whether it is a citation)."""
        rows = []
        for row in result.rows:
            cells = []
            for column, term in zip(result.variables, row):
                if term is None:
                    cells.append(("", None, False))
                elif hasattr(term, "datatype"):  # a literal: a locator label links to its place, an acronym to its instrument
                    loc = self.labels.get(term.value) if column == "locator" else None
                    if loc is None and column == "instrument":
                        cells.append((term.value, site_matrices.instrument(self.data, term.value), False))
                    else:
                        cells.append((term.value, loc.iri if loc else None, loc is not None))
                else:
                    iri = term.value
                    text = self.data.label(iri) if iri.startswith(ID) else short(term)
                    cells.append((text, iri, False))
            rows.append(cells)
        return rows

    def entity_pages(self) -> None:
        groups: dict[str, list] = defaultdict(list)
        for iri in self.entities:
            kind = iri[len(ID):].partition("/")[0]
            groups[kind].append(iri)
            statements = self.data.statements(iri)
            self.render(page_path(iri), "entity.html", title=self.data.label(iri), iri=iri,
                        types=self.data.types(iri), statements=statements,
                        incoming=self.data.statements(iri, incoming=True), locators=self.data.locators_of(iri),
                        source_page=f"sources/{iri[len(ID + 'document/'):]}.html"
                        if iri.startswith(ID + "document/") and iri[len(ID + "document/"):] in self.documents else None,
                        graph_name=graph_name)
        order = list(KINDS) + sorted(set(groups) - set(KINDS))
        sections = [(KINDS.get(k, k), k, sorted(groups[k], key=lambda i: _natural(self.data.label(i)))) for k in order if k in groups]
        self.render("id/index.html", "entities.html", title="Entities", sections=sections)

    def sources(self) -> None:
        for key in site_data.source_documents(self.data):
            lines = site_data.source_text(self.data, key, self.directory)
            at: dict[int, list] = defaultdict(list)
            for loc in sorted(self.data.locators.values(), key=lambda loc: loc.ref):
                if loc.document == key:
                    at[loc.line].append(loc)
            blocks = [_block(n, text, at.get(n, [])) for n, text in enumerate(lines, 1)]
            iri = ID + "document/" + key
            self.render(f"sources/{key}.html", "source.html", title=self.data.value(iri, DCT + "title") or key,
                        symbol=self.data.value(iri, DCT + "identifier") or key, year=self.data.value(iri, DCT + "date") or "", key=key, iri=iri, blocks=blocks, unplaced=at.get(0, []))

    def ontology(self) -> None:
        kinds = []
        for heading, kind in TERM_KINDS:
            terms = [t for t in self.terms if kind in self.data.values(t, RDF_TYPE)]
            kinds.append((heading, [{"iri": t, "anchor": term_anchor(t), "label": self.data.value(t, RDFS + "label") or "",
                                     "definition": self.data.value(t, SKOS + "definition") or self.data.value(t, RDFS_COMMENT) or "",
                                     "parents": self.data.values(t, RDFS + "subClassOf"),
                                     "domain": self.data.values(t, RDFS + "domain"), "range": self.data.values(t, RDFS + "range")}
                                    for t in sorted(terms, key=site_data.short_iri)]))
        self.render("ontology.html", "ontology.html", title="Ontology", kinds=kinds, shapes=site_data.shapes(),
                    ontology=self.data.value("https://w3id.org/meakg/ontology", DCT + "title") or "")


def _block(number: int, text: str, locators: list) -> dict:
    """Return one line of a source for its template: a paragraph, a numbered paragraph ("57.<tab>...")
    or a table row (tab-separated cells)."""
    cells = text.split("\t") if "\t" in text else None
    numbered = bool(cells and len(cells) >= 2 and 0 < len(cells[0].strip()) <= 5 and cells[0].strip()[-1] in ".):")
    return {"number": number, "text": text, "locators": locators, "cells": None if numbered else cells,
            "numbered": cells if numbered else None}


def _without(alignment) -> dict[str, list]:
    """Return the targets without joint activity (the saved queries' answers) with their IRIs."""
    ms = {n: iri for n, iri, _ in alignment.ms_targets}
    aichi = {n: iri for n, iri, _ in alignment.aichi_targets}
    return {"ms": [(ms.get(n), n, title) for n, title in alignment.ms_without],
            "aichi": [(aichi.get(n), n, title) for n, title in alignment.aichi_without]}


def _natural(text: str) -> tuple:
    """Sort key that puts 'Target 2' before 'Target 10'."""
    import re

    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def render_all(store, *, env: jinja2.Environment, endpoint: str | None = None, directory: Path | None = None) -> dict[str, bytes]:
    """Return every page of the site (and the query downloads) as path -> bytes."""
    return Pages(store, env, endpoint, directory).all()
