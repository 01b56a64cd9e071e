"""The pages of the static site: each one a template and the data it shows, rendered to bytes by path.

Called by ``meakg.graph.site.write.build_site``; kept apart so each module holds one concern (paths and
links in ``links``, writing in ``write``, the matrices in ``matrices``, entity pages in ``entities``,
the questions in ``questions``, exact words in ``marks``, the search index in ``search``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jinja2

from meakg.graph.site import alignment as site_alignment
from meakg.graph.site import data as site_data
from meakg.graph.site import matrices as site_matrices
from meakg.graph.site import plain
from meakg.graph.site import search as site_search
from meakg.graph.site.data import DCT, ID, PREFIXES, RDF_TYPE, RDFS_COMMENT, SKOS
from meakg.graph.site.entities import EntityView, urls
from meakg.graph.site.links import KINDS, Linker, endpoint_link, entity_path, relative, term_anchor
from meakg.graph.site.marks import Span, Words, source_html
from meakg.graph.site.questions import (
    CHOOSE,
    ON_ENTITY_PAGES,
    Answers,
    bound_value,
    choices,
    published_for,
    value_slug,
)
from meakg.ontology.vocab import curie, natural_key
from meakg.queries import catalogue
from meakg.queries.render import to_csv, to_json

OWL = PREFIXES["owl"]
RDFS = PREFIXES["rdfs"]
VOID = PREFIXES["void"]
TERM_KINDS = (("Classes", OWL + "Class"), ("Object properties", OWL + "ObjectProperty"),
              ("Datatype properties", OWL + "DatatypeProperty"), ("Annotation properties", OWL + "AnnotationProperty"))
LINKS_OUT = (DCT + "source", PREFIXES["foaf"] + "page", PREFIXES["dcat"] + "landingPage",
             PREFIXES["schema"] + "url", RDFS + "seeAlso")


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
        self.texts = {key: site_data.source_text(self.data, key, directory) for key in self.documents}
        self.words = Words(self.data, self.texts)
        self.view = EntityView(self.data, self.words, self.texts)
        self.answers = Answers(self.data, lambda loc: self.view.place(loc).target)
        self.index: list[site_search.Entry] = []
        self.asked: dict[str, list[tuple[str, str]]] = defaultdict(list)   # thing -> (question, page) about it

    # ---------------------------------------------------------------- helpers the templates call
    def render(self, path: str, template: str, **context) -> None:
        def link(iri):
            target = self.linker.target(iri)
            return relative(path, target) if target else None

        def to(site_path):
            return relative(path, site_path)

        def run_at(sparql):   # the link that runs *sparql* at the endpoint the site was written for
            return endpoint_link(self.endpoint, sparql) if self.endpoint else None

        def place(locator, *candidates):
            return relative(path, self.view.place(locator, *candidates).target)

        html = self.env.get_template(template).render(
            page=path, link=link, to=to, place=place, run_at=run_at, documents=self.documents, label=self.data.label,
            doc_symbol=self.symbol, site_name=plain.site_name, sentence=plain.sentence,
            words=lambda text: self.data.readable(text, ""), **context)
        self.files[path] = html.encode("utf-8")

    def symbol(self, key: str) -> str:
        return self.data.cited_as(key)

    # ---------------------------------------------------------------- pages
    def all(self) -> dict[str, bytes]:
        queries = catalogue.list_queries()
        default = catalogue.load("target-alignment").param("plan").default
        self.alignments = site_alignment.alignments(self.data, self.store, first=default)
        self.home(queries)
        self.matrices()
        self.alignment_pages()
        self.query_pages(queries)
        self.entity_pages()
        self.ontology()
        self.sources()          # last: it marks every range the other pages link to
        self.render("search.html", "search.html", title="Search")
        self.files["assets/search-index.js"] = site_search.script(self.index).encode("utf-8")
        return self.files

    def home(self, queries) -> None:
        from meakg.graph.export.describe import DATASET, describe
        from meakg.graph.export.rdf import load

        description = describe(load(self.directory))
        dataset = {str(p): str(o) for p, o in description.predicate_objects(DATASET)}
        triples = description.namespace_manager.expand_curie("void:triples")
        subsets = {str(s): int(str(o)) for s, o in description.subject_objects(triples) if str(s) != str(DATASET)}
        documents = [self._document(key, subsets) for key in self.documents]
        counts = {k: plain.number(dataset.get(VOID + k, "")) for k in ("triples", "entities", "classes", "properties")}
        aichi = {self.data.value(t, SKOS + "notation"): t for t in self.entities if t.startswith(ID + "target/aichi/")}
        without = [(aichi.get(n), n, title)
                   for n, title in catalogue.run("aichi-targets-without-joint-activity", store=self.store).values()]
        shared: dict[str, list] = defaultdict(list)
        for v in catalogue.run("shared-functions", store=self.store).records():
            value = site_data.bound(v, "value") + (f", by the {self.data.label(by)}" if (by := v.get("providedBy"))
                                                   else "")
            shared[site_data.bound(v, "function")].append((v["instrument"], value, self.labels.get(v["locator"] or "")))
        total = catalogue.run("capacity-building-budget-total", store=self.store).records()
        license_ = dataset.get(DCT + "license", "")
        self.render("index.html", "home.html", title=dataset.get(DCT + "title", "") or "meakg", dataset=dataset,
                    sources=documents, counts=counts, queries=len(queries), without=without,
                    alignments=self.alignments,
                    shared=sorted(shared.items()), entities=len(self.entities), total=total,
                    title_text=dataset.get(DCT + "title", ""), description=dataset.get(DCT + "description", ""),
                    license=license_, license_name=_license_name(license_),
                    version=dataset.get(PREFIXES["dcat"] + "version", ""))

    def _document(self, key: str, subsets: dict) -> dict:
        iri = ID + "document/" + key
        official = [v for p in LINKS_OUT for v in self.data.values(iri, p) if v.startswith(("http://", "https://"))]
        identifier = self.data.value(iri, DCT + "identifier")
        return {"key": key, "iri": iri, "symbol": self.symbol(key), "title": self.data.value(iri, DCT + "title") or key,
                "year": self.data.value(iri, DCT + "date") or "", "publisher": self.data.value(iri, DCT + "publisher"),
                "official": sorted({u for v in official for u in urls(v)}),
                "printed_symbol": identifier if identifier and identifier != key else "",
                "locators": sum(1 for loc in self.data.locators.values() if loc.document == key),
                "triples": subsets.get(site_data.GRAPHS + key, 0), "sha256": self.data.value(iri, site_data.ONTOLOGY
                                                                                              + "sha256") or ""}

    def matrices(self) -> None:
        table1 = site_matrices.function_grid(self.data, self.store, "instrument-functions", "function",
                                             "Table 1: secretariat functions of each instrument")
        table2 = site_matrices.function_grid(self.data, self.store, "implementation-support", "activityType",
                                             "Table 2: implementation-support activities of each instrument")
        budgets = site_matrices.budgets(self.data, self.store)
        page = "matrices.html"
        chart = site_matrices.budget_svg(budgets, lambda iri: relative(page, entity_path(iri)) if iri else "#")
        self.render(page, "matrices.html", title="Matrices", alignments=self.alignments, grids=(table1, table2),
                    typology=site_matrices.typology_grid(self.data, self.store), budgets=budgets, budget_chart=chart,
                    named=site_matrices.named_grid(self.data),
                    total=catalogue.run("capacity-building-budget-total", store=self.store).records())

    def alignment_pages(self) -> None:
        for al in self.alignments:
            title = f"{al.heading}: {al.title}"
            self.render(al.path, "alignment.html", title=title, alignment=al, heatmap=site_alignment.heatmap_svg(al),
                        plan_page=f"queries/target-alignment/{value_slug(al.plan)}.html")
            self.index.append(site_search.Entry(al.path, title, "Matrix", names=al.heading,
                                                text=f"{al.source.name} {al.aligned.name}"))
            for thing in (al.plan, al.source.iri, al.aligned.iri):   # one click from the plan's and schemes' pages
                self.asked[thing].append((f"{al.heading} in {al.title}" if thing != al.plan else al.heading, al.path))

    def query_pages(self, queries) -> None:
        tags: dict[str, list] = defaultdict(list)
        for query in queries:
            for tag in query.tags:
                tags[tag].append(query)
            self.index.append(site_search.Entry(f"queries/{query.name}.html", query.title, "Question",
                                                names=" ".join(query.tags), text=query.description))
            picks = choices(query, self.data, self.store)
            answer = None
            if not any(p.required for p in query.params):
                result = self._result(query)
                answer = self.answers.table(result, name=query.name)
                self._downloads(f"queries/{query.name}", result)
            self.render(f"queries/{query.name}.html", "query.html", title=query.title, query=query, answer=answer,
                        picks=picks, choose=CHOOSE, on_entity_pages=ON_ENTITY_PAGES & {p.name for p in query.params},
                        sparql=published_for(query), endpoint=self.endpoint, value=None)
            for name, listed in picks.items():
                for choice in listed:
                    result = self._result(query, {name: bound_value(choice)})
                    path = choice.path.removesuffix(".html")
                    self._downloads(path, result)
                    self.render(choice.path, "query.html", title=f"{choice.label}: {query.title}", query=query,
                                answer=self.answers.table(result, name=query.name, about=choice.label), picks=picks,
                                choose=CHOOSE, on_entity_pages=set(), endpoint=self.endpoint,
                                sparql=published_for(query, name, choice.value), value=(name, choice))
                    self.index.append(site_search.Entry(choice.path, f"{choice.label}: {query.title}", "Answer",
                                                        names=choice.label))
                    thing = choice.value if choice.value.startswith(ID) else site_matrices.instrument(self.data,
                                                                                                       choice.value)
                    if thing:
                        self.asked[thing].append((query.title, choice.path))
        self.render("queries/index.html", "queries.html", title="Questions", queries=queries,
                    tags=sorted(tags.items()))

    def _result(self, query, params=None):
        result = catalogue.run(query, store=self.store, params=params)
        if result.triples is not None:  # a CONSTRUCT answer: shown (and downloaded) as subject/predicate/object rows
            result = catalogue.Result(("subject", "predicate", "object"),
                                      tuple((t.subject, t.predicate, t.object) for t in result.triples))
        return result

    def _downloads(self, path: str, result) -> None:
        self.files[f"{path}.csv"] = to_csv(result).encode("utf-8")
        self.files[f"{path}.json"] = to_json(result).encode("utf-8")

    def entity_pages(self) -> None:
        groups: dict[str, list] = defaultdict(list)
        for iri in self.entities:
            kind = iri[len(ID):].partition("/")[0]
            groups[kind].append(iri)
            context = self.view.context(iri)
            key = iri[len(ID + "document/"):] if iri.startswith(ID + "document/") else None
            self.render(entity_path(iri), "entity.html", title=self.data.label(iri), iri=iri,
                        kind=KINDS.get(kind, kind), kind_anchor=kind,
                        source_page=f"sources/{key}.html" if key in self.documents else None,
                        asked=self.asked.get(iri, []), **context)
            self.index.append(site_search.Entry(
                entity_path(iri), self.data.label(iri), plain.sentence(context["kinds"][0]) if context["kinds"]
                else KINDS.get(kind, kind),
                names=" | ".join(self.data.printed(iri) + self.data.values(iri, SKOS + "notation")),
                text=" ".join(self.data.values(iri, SKOS + "definition") + self.data.values(iri, RDFS_COMMENT))))
        order = list(KINDS) + sorted(set(groups) - set(KINDS))
        sections = [(KINDS.get(k, k), k, sorted(groups[k], key=lambda i: natural_key(self.data.label(i).lower())))
                    for k in order if k in groups]
        self.render("id/index.html", "entities.html", title="Everything the graph names", sections=sections)

    def sources(self) -> None:
        for key in self.documents:
            iri = ID + "document/" + key
            text = self.texts[key]
            own = [loc for loc in self.data.locators.values() if loc.document == key]
            spans = [Span(loc.start, loc.end, loc.ref) for loc in own if loc.start is not None and loc.end is not None]
            spans += self.words.spans.get(key, set())
            margin: dict[int, list] = defaultdict(list)
            for loc in sorted(own, key=lambda loc: (loc.line, loc.ref)):
                if loc.start is None:
                    margin[loc.line].append((loc.label, loc.ref, True))
                else:
                    margin[text.count("\n", 0, loc.start) + 1].append((loc.label, loc.ref, False))
            symbol = self.symbol(key)
            places = [(loc.start, loc.end, loc.ref, loc.label) for loc in sorted(own, key=lambda loc: loc.ref)
                      if loc.start is not None and loc.end is not None]
            self.index += site_search.document_entries(text, symbol, key, places)
            self.render(f"sources/{key}.html", "source.html", title=self.data.value(iri, DCT + "title") or key,
                        document=self._document(key, {}), iri=iri, body=source_html(text, spans, margin))

    def ontology(self) -> None:
        kinds = []
        for heading, kind in TERM_KINDS:
            terms = [t for t in self.terms if kind in self.data.values(t, RDF_TYPE)]
            kinds.append((heading, [self._term(t) for t in sorted(terms, key=lambda t: curie(t) or t)]))
        self.render("ontology.html", "ontology.html", title="Ontology", kinds=kinds, shapes=site_data.shapes(),
                    ontology=self.data.value("https://w3id.org/meakg/ontology", DCT + "title") or "")

    def _term(self, t: str) -> dict:
        value = self.data.value
        return {"iri": t, "anchor": term_anchor(t), "label": value(t, RDFS + "label") or "",
                "definition": value(t, SKOS + "definition") or value(t, RDFS_COMMENT) or "",
                "parents": self.data.values(t, RDFS + "subClassOf"), "domain": self.data.values(t, RDFS + "domain"),
                "range": self.data.values(t, RDFS + "range")}


def _license_name(url: str) -> str:
    """Return a licence URL as its short name ('CC BY 4.0' for creativecommons.org/licenses/by/4.0/)."""
    parts = [p for p in url.split("/") if p]
    if "creativecommons.org" in url and "licenses" in parts:
        at = parts.index("licenses")
        return "CC " + " ".join(p.upper() for p in parts[at + 1:at + 3])
    return plain.site_name(url)


def render_all(store, *, env: jinja2.Environment, endpoint: str | None = None,
               directory: Path | None = None) -> dict[str, bytes]:
    """Return every page of the site (the query downloads and the search index too) as path -> bytes."""
    return Pages(store, env, endpoint, directory).all()
