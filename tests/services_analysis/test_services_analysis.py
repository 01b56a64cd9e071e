"""The services-analysis loader on UNEP/CMS/COP11/Doc.16.2: the values asserted here were read from
the document (loaders/sources/unep-cms-cop11-doc-16-2-common-services.txt), not from the loader's output."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from meakg.loaders import SOURCES_DIR, services_analysis
from meakg.loaders.reference import load_reference
from meakg.loaders.services_analysis.parts import Region
from meakg.loaders.services_analysis.tables import parse_table
from meakg.loaders.text import paragraph_blocks
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import ID, ONTOLOGY

SOURCE = SOURCES_DIR / "unep-cms-cop11-doc-16-2-common-services.txt"
REFERENCE = load_reference()
DOC = "unep-cms-cop11-doc-16-2-common-services"
MEA = lambda term: URIRef(ONTOLOGY + term)  # noqa: E731
SCHEMA = lambda term: URIRef("https://schema.org/" + term)  # noqa: E731
# a plain namespace: pytest's doctest finder probes module attributes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def node(path: str) -> URIRef:
    return URIRef(ID + path)


def loc(ref: str) -> URIRef:
    return node(f"locator/{DOC}/{ref}")


@pytest.fixture(scope="module")
def analysis():
    return services_analysis.parse(SOURCE.read_text(encoding="utf-8"), path=SOURCE, reference=REFERENCE)


@pytest.fixture(scope="module")
def graph(analysis) -> Graph:
    g = Graph()
    for triple in services_analysis.to_triples(analysis):
        g.add(triple)
    return g


def load(text: str, tmp_path: Path) -> Graph:
    path = tmp_path / f"{DOC}.txt"
    path.write_text(text, encoding="utf-8")
    g = Graph()
    analysis = services_analysis.parse(path.read_text(encoding="utf-8"), path=path, reference=REFERENCE)
    for triple in services_analysis.to_triples(analysis):
        g.add(triple)
    return g


# ---------------------------------------------------------------- paragraphs and citations

def test_parse_numbers_annex_1_paragraphs_1_to_62_skipping_figure_numbers(analysis) -> None:
    numbers = [p.number for p in analysis.paragraphs if p.locator.ref.startswith("annex-1/para-")]
    assert numbers == [str(n) for n in range(1, 63)]
    # "18. This chart is based ..." (a Figure 1 caption) is not Annex 1 paragraph 18
    assert analysis.paragraph("annex-1/para-18").text.startswith("There are very clear advantages")
    assert analysis.paragraph("annex-1/para-59").text.startswith("The idea of creating a more interlinked")


def test_parse_reads_every_part(analysis) -> None:
    def count(prefix: str) -> int:
        return sum(1 for p in analysis.paragraphs if p.locator.ref.startswith(prefix))
    assert count("cover-note/para-") == 5
    assert count("annex-2/para-") == 24
    assert count("annex-to-annex-2/para-") == 27
    assert count("annex-3/preamble-") == 11
    assert [p.number for p in analysis.resolution.operative] == [str(n) for n in range(1, 10)]


def test_paragraph_locator_has_label_line_and_quote(graph) -> None:
    para = loc("annex-1/para-47")
    assert (para, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Annex 1, paragraph 47")) in graph
    assert graph.value(para, MEA("line")) == Literal(309)
    assert graph.value(para, MEA("section")) == Literal("Annex 1")
    assert graph.value(para, MEA("paragraph")) == Literal("47")
    assert str(graph.value(para, MEA("quote"))).startswith("These are majority of CMS agreements and include CMS, AEWA")


def test_cover_note_paragraph_runs_on_over_its_unnumbered_continuation(analysis) -> None:
    assert analysis.paragraph("cover-note/para-5").text.endswith(
        "A similar method could be used for other common service areas.")


def test_boxed_decision_keeps_its_own_numbering(analysis) -> None:
    assert analysis.paragraph("annex-1/box/para-2.b").text == "Impacts on Parties and Signatories; and"
    assert analysis.paragraph("annex-1/box/para-3").text.startswith("Also requests the Executive Secretary to assess")


def test_annex_1_paragraph_8_cites_cms_resolution_10_9_and_aewa_resolution_5_17(graph) -> None:
    cited = set(graph.objects(loc("annex-1/para-8"), DCTERMS.references))
    assert cited == {node("decision/cms-resolution-10.9"), node("decision/aewa-resolution-5.17")}


def test_preambular_paragraph_cites_ascobans_resolution(graph) -> None:
    assert (loc("annex-3/preamble-10"), DCTERMS.references, node("decision/ascobans-resolution-5.2d")) in graph


def test_footnote_citation_of_brs_document_is_read(graph) -> None:
    assert (loc("annex-1/para-58"), DCTERMS.references,
            node("document/unep-fao-chw-rc-pops-excops.2-inf-22")) in graph


# ---------------------------------------------------------------- tables

def cell(table: int, instrument: str, function: str) -> URIRef:
    return node(f"function-status/{DOC}/table-{table}/{instrument}/{function}")


def test_table_1_gorilla_agreement_administrative_services_is_interim_shared(graph) -> None:
    fact = cell(1, "gorilla-agreement", "administrative-services")
    assert graph.value(fact, MEA("status")) == node("concept/function-status/interim-shared")
    assert graph.value(fact, MEA("instrument")) == node("instrument/gorilla-agreement")
    assert graph.value(fact, PROV.wasDerivedFrom) == loc("table-1/gorilla-agreement/administrative-services")
    located = loc("table-1/gorilla-agreement/administrative-services")
    assert graph.value(located, MEA("line")) == Literal(122)
    assert graph.value(located, MEA("row")) == Literal(4)
    assert graph.value(located, MEA("column")) == Literal(3)


def test_table_1_aewa_information_management_is_yes_by_the_cms_aewa_unit(graph) -> None:
    fact = cell(1, "aewa", "information-management")
    assert graph.value(fact, MEA("status")) == node("concept/function-status/yes")
    assert graph.value(fact, MEA("note")) == Literal("CMS AEWA unit")
    assert graph.value(fact, MEA("providedBy")) == node("agent/cms-aewa-communications-unit")
    label = graph.value(loc("table-1/aewa/conference-service"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert str(label) == "Table 1, row AEWA, column Conference Service"


def test_table_2_gorilla_agreement_is_to_be_coordinated_by_grasp(graph) -> None:
    fact = cell(2, "gorilla-agreement", "mainstreaming")
    assert graph.value(fact, MEA("status")) == node("concept/function-status/to-be-coordinated-by-grasp")
    assert graph.value(fact, MEA("providedBy")) == node("agent/grasp")


def test_table_headers_are_function_concepts(graph, analysis) -> None:
    concept = node("concept/secretariat-functions/administrative-services")
    assert graph.value(concept, SKOS.prefLabel) == Literal(
        "Administrative services (finance, personnel, procurement, travel etc.)", lang="en")
    assert graph.value(concept, SKOS.notation) == Literal("3")
    assert graph.value(concept, SKOS.inScheme) == node("scheme/secretariat-functions")
    assert len([c for c in analysis.tables[0].cells]) == 5 * 7
    assert len([c for c in analysis.tables[1].cells]) == 5 * 6


def region(*lines: str) -> Region:
    return Region("table", 1, "Examples Types of Secretariat Functions Common across UNEP-administered Conventions",
                  list(enumerate(lines, start=118)))


HEADER = ("\tInstrument", "\tCapacity building", "\tConference Service", "")


def test_parse_table_joins_a_row_name_separated_from_its_cells(tmp_path: Path) -> None:
    table = parse_table(region(*HEADER, "\tGorilla Agreement", "", "\tCurrently no funds", "\tYes"),
                        path=tmp_path / "d.txt", reference=REFERENCE)
    assert [(c.instrument, c.function.key, c.status) for c in table.cells] == [
        ("gorilla-agreement", "capacity-building", "currently-no-funds"),
        ("gorilla-agreement", "conference-service", "yes")]


def test_parse_table_rejects_row_with_a_missing_cell(tmp_path: Path) -> None:
    src = tmp_path / "d.txt"
    with pytest.raises(SourceError) as err:
        parse_table(region(*HEADER, "\tAEWA", "\tYes"), path=src, reference=REFERENCE)
    assert err.value.line == 122
    assert str(err.value) == (f"{src}:122: expected 2 cells after the instrument 'AEWA' in Table 1 (one per column), "
                              "found 1")


def test_parse_table_rejects_unknown_instrument(tmp_path: Path) -> None:
    src = tmp_path / "d.txt"
    with pytest.raises(SourceError) as err:
        parse_table(region(*HEADER, "\tBlue Whale Agreement", "\tYes", "\tYes"), path=src, reference=REFERENCE)
    assert str(err.value) == (f"{src}:122: expected an instrument of ontology/reference/instruments.yaml, "
                              "found 'Blue Whale Agreement'")


def test_parse_table_rejects_unknown_cell_value(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"d.txt:124: expected a cell value like 'Yes'.*found 'Maybe'"):
        parse_table(region(*HEADER, "\tAEWA", "\tYes", "\tMaybe"), path=tmp_path / "d.txt", reference=REFERENCE)


def test_document_with_a_table_1_cell_missing_fails_naming_the_row(tmp_path: Path) -> None:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    assert lines[102] == "\tShared"      # AEWA x Administrative services, line 103
    del lines[102]
    path = tmp_path / f"{DOC}.txt"
    with pytest.raises(SourceError) as err:
        services_analysis.parse("\n".join(lines), path=path, reference=REFERENCE)
    assert err.value.line == 100
    assert "expected 7 cells after the instrument 'AEWA' in Table 1 (one per column), found 6" in str(err.value)


def test_document_without_table_1_fails(tmp_path: Path) -> None:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start, end = lines.index("Table 1:\tExamples Types of Secretariat Functions Common across UNEP-administered"), 135
    path = tmp_path / f"{DOC}.txt"
    with pytest.raises(SourceError, match=r"expected Table 1 \(secretariat functions by instrument"):
        services_analysis.parse("\n".join(lines[:start] + lines[end:]), path=path, reference=REFERENCE)


def test_changing_a_cell_changes_the_fact(tmp_path: Path) -> None:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    assert lines[121] == "\tInterim Shared"   # Gorilla Agreement x Administrative services, line 122
    lines[121] = "\tCurrently no funds"
    g = load("\n".join(lines), tmp_path)
    assert g.value(cell(1, "gorilla-agreement", "administrative-services"), MEA("status")) == \
        node("concept/function-status/currently-no-funds")


# ---------------------------------------------------------------- typology

def category(slug: str) -> URIRef:
    return node(f"concept/cms-instrument-typology/{slug}")


def members(graph: Graph, slug: str) -> set[str]:
    return {str(s).rsplit("/", 1)[-1] for s in graph.subjects(MEA("typologyCategory"), category(slug))}


def test_typology_has_five_categories_from_the_headings(graph, analysis) -> None:
    assert [c.label for c in analysis.categories] == [
        "CMS family instruments geographically located together and administered by UNEP",
        "Instruments administered by other entities or arrangements", "MOUs administered under CMS",
        "MOUs administered by CMS but not co-located", "MOUs administered outside CMS"]
    assert graph.value(category("mous-administered-under-cms"), SKOS.notation) == Literal("49")
    assert graph.value(category("mous-administered-under-cms"), PROV.wasDerivedFrom) == loc("annex-1/para-49")


def test_typology_paragraph_47_members_are_administered_by_unep_and_seated_in_bonn(graph) -> None:
    slug = "cms-family-instruments-geographically-located-together-and-administered-by-unep"
    assert members(graph, slug) == {"cms", "aewa", "eurobats", "ascobans", "gorilla-agreement"}
    assert (node("instrument/eurobats"), MEA("administeredBy"), node("agent/unep")) in graph
    assert (node("instrument/gorilla-agreement"), MEA("secretariatSeat"), Literal("Bonn")) in graph


def test_typology_paragraph_49_lists_12_mous_administered_by_cms(graph) -> None:
    found = members(graph, "mous-administered-under-cms")
    assert len(found) == 12
    assert {"aquatic-warbler", "sharks", "west-african-aquatic-mammals", "high-andean-flamingo"} <= found
    assert "cms" not in found
    assert (node("instrument/saiga"), MEA("administeredBy"), node("agent/cms-secretariat")) in graph


def test_typology_paragraphs_48_50_51(graph) -> None:
    assert members(graph, "instruments-administered-by-other-entities-or-arrangements") == {
        "acap", "wadden-sea-seals", "accobams"}
    assert members(graph, "mous-administered-by-cms-but-not-co-located") == {"raptors", "dugong", "iosea"}
    assert "October 2014-October 2015" in str(graph.value(node("instrument/iosea"), MEA("note")))
    assert members(graph, "mous-administered-outside-cms") == {
        "ruddy-headed-goose", "huemul", "monk-seal", "slender-billed-curlew"}
    assert set(graph.subjects(MEA("depositary"), node("agent/cms-secretariat"))) == {
        node("instrument/ruddy-headed-goose"), node("instrument/huemul")}


def test_typology_counts_agree_with_paragraph_2(graph, analysis) -> None:
    # Annex 1, paragraph 2: "the CMS Family ... now comprises seven different Agreements and nineteen MOUs"
    assert "seven different Agreements and nineteen MOUs" in analysis.paragraph("annex-1/para-2").text
    from meakg.loaders.reference import load_reference
    by_key = {named.key: named for named in load_reference().instruments.values()}
    kinds = [by_key[key].kind for c in analysis.categories for key in c.members]
    assert (kinds.count("Agreement"), kinds.count("MOU")) == (7, 19)


def test_unknown_instrument_in_a_typology_paragraph_fails(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace("Sharks, Siberian Crane,", "Sharks, Blue Whale, Siberian Crane,")
    with pytest.raises(SourceError) as err:
        services_analysis.parse(text, path=tmp_path / f"{DOC}.txt", reference=REFERENCE)
    assert err.value.line == 315
    assert "expected an instrument of ontology/reference/instruments.yaml, found 'Blue Whale'" in str(err.value)


# ---------------------------------------------------------------- service areas

def test_six_service_areas_point_at_their_paragraphs(graph, analysis) -> None:
    assert [a.label for a in analysis.areas] == [
        "Implementation support and capacity-building", "Conference services",
        "Executive management and representation", "Communication and outreach", "Fundraising and partnerships",
        "Scientific services"]
    area = node("concept/common-service-areas/executive-management-and-representation")
    assert set(graph.objects(area, MEA("advantages"))) == {loc("annex-1/para-26"), loc("annex-1/para-27"),
                                                           loc("annex-1/para-28")}
    assert set(graph.objects(area, MEA("disadvantages"))) == {loc("annex-1/para-29")}
    assert loc("annex-1/para-30") in set(graph.objects(area, MEA("implications")))
    assert graph.value(area, SKOS.notation) == Literal("3")


def test_disadvantages_quote_includes_the_bullet_lines(graph) -> None:
    quote = str(graph.value(loc("annex-1/para-19"), MEA("quote")))
    assert quote.startswith("Balancing specialized needs with general needs")
    assert "There is potential for conflicts over human and financial resources" in quote


# ---------------------------------------------------------------- Figure 2, costs, pilot

def unit(slug: str) -> URIRef:
    return node(f"agent/proposed-{slug}-unit")


def test_figure_2_aquatic_unit_covers_sharks_and_collaborates_with_accobams(graph) -> None:
    covered = set(graph.objects(unit("aquatic-species"), MEA("covers")))
    assert node("instrument/sharks") in covered
    assert node("instrument/west-african-aquatic-mammals") in covered    # printed "WAAM"
    assert set(graph.objects(unit("aquatic-species"), MEA("collaboratesWith"))) == {
        node("instrument/accobams"), node("instrument/dugong")}
    assert graph.value(unit("aquatic-species"), SKOS.editorialNote) is not None
    assert graph.value(unit("aquatic-species"), ORG.unitOf) == node("agent/joint-cms-family-secretariat")


def test_figure_2_avian_unit_is_headed_by_the_aewa_executive_secretary(graph) -> None:
    post = node("post/aewa-executive-secretary")
    assert graph.value(unit("avian-species"), MEA("headedBy")) == post
    assert (post, RDF.type, ORG.Post) in graph
    assert graph.value(post, ORG.postIn) == node("agent/aewa-secretariat")
    # the box prints "Flamingos"
    assert node("instrument/high-andean-flamingo") in set(graph.objects(unit("avian-species"), MEA("covers")))


def test_figure_2_other_units(graph) -> None:
    assert set(graph.objects(unit("terrestrial-species"), MEA("covers"))) == {
        node("instrument/gorilla-agreement"), node("instrument/west-african-elephants"), node("instrument/saiga"),
        node("instrument/bukhara-deer")}
    assert "Central Asian Mammals Initiative (CAMI)" in str(graph.value(unit("terrestrial-species"), MEA("note")))
    assert {str(t) for t in graph.objects(unit("administrative-services"), MEA("task"))} == {
        "Finance and budget", "Human Resources"}
    assert len(list(graph.objects(unit("scientific-services"), MEA("task")))) == 3
    joint = node("agent/joint-cms-family-secretariat")
    assert loc("annex-1/para-31") in set(graph.objects(joint, PROV.wasDerivedFrom))
    assert set(graph.objects(joint, MEA("covers"))) == {node("instrument/cms"), node("instrument/aewa"),
                                                        node("instrument/eurobats")}


def test_cost_shares_of_paragraph_52(analysis, graph) -> None:
    shares = {(s.grade, s.instrument): s.percent for s in analysis.shares}
    assert shares[("P4", "ascobans")] == Decimal("15") and shares[("P4", "cms")] == Decimal("85")
    assert shares[("P5", "cms")] == Decimal("12.5") and shares[("P5", "iosea")] == Decimal("87.5")
    share = node(f"cost-share/{DOC}/cms-ascobans-p4/ascobans")
    assert graph.value(share, MEA("post")) == node("post/cms-ascobans-p4")
    assert graph.value(share, MEA("percent")) == Literal(Decimal("15"), datatype=XSD.decimal)
    assert graph.value(node("post/iosea-p5"), MEA("grade")) == Literal("P5")


def test_brs_staff_cost_savings_in_2013(graph) -> None:
    figure = node(f"cost-figure/{DOC}/annex-1/para-58/staff-costs")
    assert graph.value(figure, SCHEMA("value")) == Literal(Decimal("564851"), datatype=XSD.decimal)
    assert graph.value(figure, SCHEMA("currency")) == Literal("USD")
    assert graph.value(figure, MEA("year")) == Literal("2013", datatype=XSD.gYear)
    assert set(graph.objects(figure, MEA("concerns"))) == {
        node("instrument/basel"), node("instrument/rotterdam"), node("instrument/stockholm")}


def test_p4_post_costs_up_to_140000_euros_a_year(graph) -> None:
    figure = node(f"cost-figure/{DOC}/annex-1/para-30/estimated-budget-cost-of-a-p4-post-per-year")
    assert graph.value(figure, SCHEMA("maxValue")) == Literal(Decimal("140000"), datatype=XSD.decimal)
    assert graph.value(figure, SCHEMA("minValue")) is None
    assert graph.value(figure, SCHEMA("currency")) == Literal("EUR")
    assert graph.value(figure, MEA("costKind")) == Literal("estimated budget cost of a P4 post per year")


def test_pilot_communications_unit(graph, analysis) -> None:
    pilot = node("agent/cms-aewa-communications-unit")
    assert (pilot, RDF.type, MEA("PilotUnit")) in graph
    assert set(graph.objects(pilot, ORG.unitOf)) == {node("agent/cms-secretariat"), node("agent/aewa-secretariat")}
    assert graph.value(pilot, SCHEMA("foundingDate")) == Literal("2014-01", datatype=XSD.gYearMonth)
    assert graph.value(pilot, SCHEMA("location")) == Literal("8th floor of the UN Campus building")
    assert analysis.pilot.roles == ("overall coordinator", "IT and information officer", "editor and writer",
                                    "media relations specialist")
    assert len(list(graph.objects(pilot, ORG.hasPost))) == 4
    assert analysis.pilot.report_date == "2014-06"


def test_the_pilot_unit_runs_what_annex_2_and_paragraph_32_say(graph, analysis) -> None:
    # Annex 2, paragraph 1: "a joint team covering Communication, Information Management and Outreach";
    # Annex 1, paragraph 32 (under "4. Communication and outreach"): "AEWA and CMS currently have a pilot
    # project, in operation since January 2014"; Annex 2, paragraph 6: "established in January 2014"
    pilot = analysis.pilot
    assert pilot.functions == (("secretariat-functions", "information-management"),
                               ("secretariat-functions", "communication-outreach"))
    assert [(key, loc.ref) for key, loc in pilot.areas] == [("communication-and-outreach", "annex-1/para-32")]
    assert [loc.ref for loc in pilot.founded_locators] == ["annex-2/para-6"]
    unit = node("agent/cms-aewa-communications-unit")
    assert set(graph.objects(unit, ORG.purpose)) == {
        node("concept/secretariat-functions/communication-outreach"),
        node("concept/secretariat-functions/information-management"),
        node("concept/common-service-areas/communication-and-outreach")}
    statements = {(graph.value(st, RDF.object), where) for st in graph.subjects(RDF.predicate, ORG.purpose)
                  for where in graph.objects(st, PROV.wasDerivedFrom)}
    assert statements == {(node("concept/secretariat-functions/communication-outreach"), loc("annex-2/para-1")),
                          (node("concept/secretariat-functions/information-management"), loc("annex-2/para-1")),
                          (node("concept/common-service-areas/communication-and-outreach"), loc("annex-1/para-32"))}
    founded = {where for st in graph.subjects(RDF.predicate, SCHEMA("foundingDate"))
               for where in graph.objects(st, PROV.wasDerivedFrom)}
    assert founded == {loc("annex-2/para-6"), loc("annex-1/para-32")}


def test_a_pilot_paragraph_naming_other_parents_or_another_month_is_not_this_unit(analysis) -> None:
    from dataclasses import replace

    from meakg.loaders.services_analysis.structure import pilot_areas

    other = replace(analysis.pilot, founded="2014-02")
    assert pilot_areas(other, analysis.areas) == ()
    assert pilot_areas(replace(analysis.pilot, parents=("CMS", "EUROBATS")), analysis.areas) == ()


# ---------------------------------------------------------------- draft resolution and actions

def test_operative_paragraph_7_urges_mop6(graph, analysis) -> None:
    assert [p.verb for p in analysis.resolution.operative] == [
        "Adopts", "Recognizes", "Invites", "Requests", "Requests", "Welcomes", "Urges", "Instructs", "Encourages"]
    op7 = node(f"provision/{DOC}/annex-3/para-7")
    assert graph.value(op7, MEA("verb")) == Literal("Urges")
    assert graph.value(op7, MEA("addressee")) == node("meeting/aewa-mop-6")
    assert graph.value(op7, SKOS.notation) == Literal("7")
    resolution = node("decision/draft-resolution-enhancing-synergies-common-services-among-cms-family-instruments")
    assert graph.value(op7, DCTERMS.isPartOf) == resolution
    assert graph.value(resolution, DCTERMS.title) == Literal(
        "Enhancing Synergies, Common Services among CMS Family Instruments", lang="en")


def test_operative_paragraphs_4_and_8_are_addressed_to_executive_secretaries(graph) -> None:
    op4 = node(f"provision/{DOC}/annex-3/para-4")
    assert set(graph.objects(op4, MEA("addressee"))) == {node("post/cms-executive-secretary"),
                                                         node("post/aewa-executive-secretary")}
    op8 = node(f"provision/{DOC}/annex-3/para-8")
    assert set(graph.objects(op8, MEA("addressee"))) == {node("post/cms-executive-secretary")}
    assert str(graph.value(op8, MEA("condition"))).startswith("in the event of AEWA agreeing")
    assert str(graph.value(op8, MEA("request"))).startswith("to develop a cost-sharing arrangement")


def test_actions_requested_are_numbered_by_position(graph) -> None:
    second = node(f"provision/{DOC}/cover-note/action-2")
    assert (second, RDF.type, MEA("RequestedAction")) in graph
    assert graph.value(second, MEA("verb")) == Literal("Consider")
    assert graph.value(second, MEA("addressee")) == node("agent/cms-cop")
    assert graph.value(second, SKOS.notation) == Literal("2")
    assert graph.value(loc("cover-note/action-2"), MEA("paragraph")) == Literal("1")   # printed "1." twice


# ---------------------------------------------------------------- provenance and the text helpers

def test_every_extracted_node_is_derived_from_a_locator(graph) -> None:
    classes = {MEA(c) for c in ("FunctionStatus", "TypologyCategory", "ServiceArea", "ProposedUnit", "PilotUnit",
                                "CostShare", "CostFigure", "OperativeParagraph", "RequestedAction")} | {ORG.Post}
    nodes = {s for c in classes for s in graph.subjects(RDF.type, c)}
    assert len(nodes) > 100
    assert [n for n in nodes if graph.value(n, PROV.wasDerivedFrom) is None] == []


def test_paragraph_numbers_must_follow_each_other(tmp_path: Path) -> None:
    src = tmp_path / "d.txt"
    with pytest.raises(SourceError) as err:
        paragraph_blocks([(1, "1. The first paragraph."), (2, "3. The third paragraph.")], path=src)
    assert str(err.value) == f"{src}:2: expected paragraph 2, found paragraph 3"


def test_an_unknown_convention_in_a_group_of_conventions_fails_at_its_line_not_line_1(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace("The Basel, Rotterdam and Stockholm (BRS) Conventions",
                                                      "The Basel, Rotterdam and Minamata (BRS) Conventions")
    with pytest.raises(SourceError) as err:
        services_analysis.parse(text, path=tmp_path / f"{DOC}.txt", reference=REFERENCE)
    assert (err.value.line, err.value.message) == (
        329, "expected an instrument of ontology/reference/instruments.yaml, found 'Minamata'")


def test_a_missing_annex_fails_at_the_last_line_it_was_looked_for(tmp_path: Path) -> None:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Annex 3")
    with pytest.raises(SourceError) as err:
        services_analysis.parse("\n".join(lines[:start]), path=tmp_path / f"{DOC}.txt", reference=REFERENCE)
    assert err.value.line == start
    assert err.value.message.startswith(
        "expected a part 'annex-3' (cover note, Annex 1, Annex 2, Annex to Annex 2, Annex 3)")


def test_names_are_resolved_when_parsing_so_the_records_hold_keys(analysis) -> None:
    assert [a.addressee_agent for a in analysis.actions] == ["cms-cop", "cms-cop"]
    assert analysis.pilot.parent_agents == ("cms-secretariat", "aewa-secretariat")
    cell = next(c for t in analysis.tables for c in t.cells if c.note == "CMS AEWA unit")
    assert (cell.provided_by, cell.provider) == (("CMS", "AEWA"), analysis.pilot.key)
    category = next(c for c in analysis.categories if c.number == "47")
    assert category.administered_by == "unep"
