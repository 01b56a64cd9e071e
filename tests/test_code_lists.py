"""The code lists the loaders make (SKOS schemes and concepts: function statuses, staff roles, budget
statuses, the typology, the service areas) are cited by the places that print them: each concept by the
cells or paragraph its value is read from, each scheme by the heading, caption or column header over
them. The places asserted here were read from the documents in loaders/sources/, not from the loaders."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from meakg import loaders
from meakg.loaders import SOURCES_DIR, capacity_building, services_analysis
from meakg.loaders.reference import load_reference
from meakg.ontology.vocab import ID, ONTOLOGY

DOC_16_2 = "unep-cms-cop11-doc-16-2-common-services"
CB = "cms-capacity-building-work-plan-2012-2014"
QUOTE = URIRef(ONTOLOGY + "quote")
LINE = URIRef(ONTOLOGY + "line")


def node(path: str) -> URIRef:
    return URIRef(ID + path)


def cited_by(graph: Graph, path: str) -> set[str]:
    """Return the refs of the locators *path* is derived from ('table-1/caption')."""
    return {str(o).split("/locator/", 1)[1].split("/", 1)[1] for o in graph.objects(node(path), PROV.wasDerivedFrom)}


def mapped(module, text: str, path: Path, **options) -> Graph:
    graph = Graph()
    for triple in module.to_triples(module.parse(text, path=path, reference=load_reference(), **options)):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def analysis() -> Graph:
    path = SOURCES_DIR / f"{DOC_16_2}.txt"
    return mapped(services_analysis, path.read_text(encoding="utf-8"), path)


@pytest.fixture(scope="module")
def plan() -> Graph:
    path = SOURCES_DIR / f"{CB}.txt"
    layout = capacity_building.read_layout(SOURCES_DIR / f"{CB}.table.yaml")
    return mapped(capacity_building, path.read_text(encoding="utf-8"), path, layout=layout)


# ---------------------------------------------------------------- Doc.16.2: Tables 1 and 2

def test_each_function_status_is_cited_by_every_cell_that_prints_it(analysis) -> None:
    # Table 1, row Gorilla Agreement (lines 119-126): "Currently no funds" in columns 1, 2, 4, 5 and 7,
    # "Interim Shared" in column 3 (administrative services), "Yes" in column 6 (conference service)
    gorilla = "table-1/gorilla-agreement/"
    assert cited_by(analysis, "concept/function-status/interim-shared") == {gorilla + "administrative-services"}
    assert cited_by(analysis, "concept/function-status/currently-no-funds") == {gorilla + key for key in (
        "capacity-building", "implementation-support-and-capacity-building", "information-management",
        "fundraising-partner-ship", "communication-outreach")}
    # "Shared": the administrative services of the four other rows
    assert cited_by(analysis, "concept/function-status/shared") == {
        f"table-1/{row}/administrative-services" for row in ("cms", "aewa", "ascobans", "eurobats")}
    # Table 2, row Gorilla Agreement: "Implementation to be coordinated GRASP" in all six columns
    grasp = cited_by(analysis, "concept/function-status/to-be-coordinated-by-grasp")
    assert len(grasp) == 6 and all(ref.startswith("table-2/gorilla-agreement/") for ref in grasp)
    # "Yes" (or "Yes CMS AEWA unit"): the other 24 + 1 cells of Table 1 and 24 of Table 2
    yes = cited_by(analysis, "concept/function-status/yes")
    assert len(yes) == 49 and {"table-1/aewa/information-management", gorilla + "conference-service"} <= yes
    printed = analysis.value(node(f"locator/{DOC_16_2}/table-1/aewa/information-management"), QUOTE)
    assert printed == Literal("Yes CMS AEWA unit", lang="en")


def test_the_function_status_scheme_is_cited_by_the_two_tables_whose_cells_it_codes(analysis) -> None:
    assert cited_by(analysis, "scheme/function-status") == {"table-1/caption", "table-2/caption"}


# ---------------------------------------------------------------- Doc.16.2: the pilot unit's staff roles

def test_each_staff_role_and_its_scheme_are_cited_by_the_paragraph_listing_the_roles(analysis) -> None:
    # Annex 2, paragraph 6: "It was decided to form the unit with an overall coordinator, an IT and
    # information officer, an editor and writer, and a media relations specialist."
    roles = [s for s in analysis.subjects(SKOS.inScheme, node("scheme/staff-roles"))]
    assert len(roles) == 4
    for concept in [*roles, node("scheme/staff-roles")]:
        assert cited_by(analysis, str(concept)[len(ID):]) == {"annex-2/para-6"}
    paragraph = node(f"locator/{DOC_16_2}/annex-2/para-6")
    assert analysis.value(paragraph, LINE) == Literal(401)
    assert "form the unit with an overall coordinator, an IT and information officer" in str(
        analysis.value(paragraph, QUOTE))


# ---------------------------------------------------------------- Doc.16.2: typology and service areas

@pytest.mark.parametrize("scheme, ref, line, heading", [
    ("cms-instrument-typology", "annex-1/typology", 304,
     "Where are Synergies Most Likely Possible in a Typology of CMS Instruments?"),
    ("common-service-areas", "annex-1/service-areas", 137, "What services could be shared?"),
])
def test_a_scheme_of_annex_1_is_cited_by_the_heading_over_its_concepts(analysis, scheme, ref, line, heading) -> None:
    assert cited_by(analysis, f"scheme/{scheme}") == {ref}
    place = node(f"locator/{DOC_16_2}/{ref}")
    assert analysis.value(place, LINE) == Literal(line)
    assert analysis.value(place, QUOTE) == Literal(heading, lang="en")
    assert str(analysis.value(place, RDFS.label)) == f"Annex 1, heading ({heading})"


def test_service_areas_printed_under_no_heading_are_cited_by_their_own_headings(tmp_path: Path) -> None:
    text = (SOURCES_DIR / f"{DOC_16_2}.txt").read_text(encoding="utf-8")
    assert text.count("What services could be shared?\n") == 1
    path = tmp_path / f"{DOC_16_2}.txt"
    graph = mapped(services_analysis, text.replace("What services could be shared?\n", "\n"), path)
    assert cited_by(graph, "scheme/common-service-areas") == {f"annex-1/service-area-{n}" for n in range(1, 7)}


# ---------------------------------------------------------------- the capacity-building plan's budget column

def test_each_budget_status_is_cited_by_every_budget_cell_it_is_read_from(plan) -> None:
    # an amount (activities 1.3, 1.4, 2.3: "US$30,000", "US$45,000-90,000", "US$ 70,000-120,000"),
    # "Shall be determined according to the need." (2.4), "No additional funds required" (the other ten)
    budget = "table/activity-{}/budget".format
    assert cited_by(plan, "concept/budget-status/estimated") == {budget(n) for n in ("1.3", "1.4", "2.3")}
    assert cited_by(plan, "concept/budget-status/to-be-determined") == {budget("2.4")}
    assert cited_by(plan, "concept/budget-status/no-additional-funds") == {budget(n) for n in (
        "1.1", "1.2", "1.5", "1.6", "2.1", "2.2", "2.5", "2.6", "3.1", "3.2")}
    assert plan.value(node(f"locator/{CB}/{budget('2.4')}"), QUOTE) == Literal(
        "Shall be determined according to the need.", lang="en")


def test_the_budget_status_scheme_is_cited_by_the_budget_column_header(plan) -> None:
    # line 121: "Activities undertaken | Responsibility | Methodology and expected Budget Estimate"
    assert cited_by(plan, "scheme/budget-status") == {"table/header/budget"}
    header = node(f"locator/{CB}/table/header/budget")
    assert plan.value(header, LINE) == Literal(121)
    assert plan.value(header, QUOTE) == Literal("Budget Estimate", lang="en")
    assert str(plan.value(header, RDFS.label)) == "Work plan table, column 4 header"


def test_a_plan_whose_table_prints_no_header_cites_the_budget_statuses_by_the_cells(tmp_path: Path) -> None:
    text = ("CMS Capacity Building Work Plan 2012-2014\n1. Handbook\nObjective: Impact\n"
            "1.1 Handbook designed | CMS Sec. Handbook designed. | US$ 5,000-8,000\n")
    graph = mapped(capacity_building, text, tmp_path / "cb.txt")
    assert cited_by(graph, "scheme/budget-status") == {"table/activity-1.1/budget"}
    header = mapped(capacity_building, text.replace("1. Handbook\n", "1. Handbook\nActivities undertaken | "
                                                    "Responsibility | Methodology and expected outcome | Budget\n"),
                    tmp_path / "cb.txt")
    assert cited_by(header, "scheme/budget-status") == {"table/header/budget"}
    assert header.value(node("locator/cb/table/header/budget"), QUOTE) == Literal("Budget", lang="en")


# ---------------------------------------------------------------- every kind

def test_every_scheme_and_concept_a_document_states_is_derived_from_a_place_in_it() -> None:
    reference, coded = load_reference(), {}
    for source in loaders.sources():
        graph = Graph()
        for triple in loaders.load(source, reference):
            graph.add(triple)
        nodes = {s for cls in (SKOS.Concept, SKOS.ConceptScheme) for s in graph.subjects(RDF.type, cls)}
        nodes |= set(graph.subjects(SKOS.inScheme, None)) | set(graph.objects(None, SKOS.inScheme))
        coded[source.key] = {c: set(graph.objects(c, PROV.wasDerivedFrom)) | set(graph.objects(c, DCTERMS.source))
                             for c in nodes}
    assert {key for key, nodes in coded.items() if nodes} == {DOC_16_2, CB}   # the joint work plan codes nothing
    assert not [(key, str(c)) for key, nodes in coded.items() for c, cites in nodes.items() if not cites]
