"""The capacity-building loader against the facts printed in the CMS Capacity Building Work Plan
2012-2014 (read from the document, not from the program), and against small variants."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from meakg.loaders import SOURCES_DIR, capacity_building
from meakg.loaders.capacity_building.layout import TableLayout, read_layout
from meakg.loaders.capacity_building.table import read_row
from meakg.loaders.rdf import MEA, SCHEMA
from meakg.loaders.reference import load_reference
from meakg.ontology.errors import SourceError

SOURCE = SOURCES_DIR / "cms-capacity-building-work-plan-2012-2014.txt"
REFERENCE = load_reference()
LAYOUT = read_layout(SOURCES_DIR / "cms-capacity-building-work-plan-2012-2014.table.yaml")
ID = "https://w3id.org/meakg/id/"
PLAN_KEY = "cms-capacity-building-work-plan-2012-2014"


@pytest.fixture(scope="module")
def plan():
    return capacity_building.parse(SOURCE.read_text(encoding="utf-8"), path=SOURCE, reference=REFERENCE, layout=LAYOUT)


@pytest.fixture(scope="module")
def activities(plan):
    return {a.number: a for a in plan.activities}


@pytest.fixture(scope="module")
def graph(plan):
    g = Graph()
    for triple in capacity_building.to_triples(plan):
        g.add(triple)
    return g


def activity_iri(number: str) -> URIRef:
    return URIRef(f"{ID}activity/{PLAN_KEY}/{number}")


# ------------------------------------------------------------------------------------------------ the plan

def test_parse_reads_title_party_and_period(plan):
    assert plan.title == "CMS Capacity Building Work Plan 2012-2014"   # printed after a stray "L"
    assert (plan.party, plan.start, plan.end) == ("cms-secretariat", 2012, 2014)
    assert plan.title_locator.line == 113


def test_parse_reads_12_paragraphs_including_the_one_numbered_4_comma(plan):
    assert [p.number for p in plan.paragraphs] == [str(n) for n in range(1, 13)]
    para4 = plan.paragraphs[3]
    assert para4.locator.line == 27 and para4.text.startswith("In accordance with the CMS Capacity Building Strategy")
    assert "(f) A significant role should be given" in para4.text


def test_paragraph_7_goes_on_after_its_stray_blank_line(plan):
    assert plan.paragraphs[6].text.endswith("tailored to cater for the needs of the individual country or by topic.")


def test_paragraph_1_cites_resolution_10_7_and_conf_10_10(graph):
    para1 = URIRef(f"{ID}locator/{PLAN_KEY}/para-1")
    assert (para1, DCTERMS.references, URIRef(f"{ID}decision/cms-resolution-10.7")) in graph
    assert (para1, DCTERMS.references, URIRef(f"{ID}document/unep-cms-conf.10.10")) in graph
    assert (para1, RDFS.label, Literal("paragraph 1")) in graph


def test_guiding_principles_a_to_f(plan):
    assert [p.letter for p in plan.principles] == list("abcdef")
    assert plan.principles[0].text == "Efforts should build on existing capacities;"
    assert plan.principles[1].text == ("Activities under the plan must have national ownership to ensure that built "
                                       "capacities are sustained;")
    assert plan.principles[5].locator.line == 47


def test_principle_labels_drop_the_list_punctuation(graph):
    node = URIRef(f"{ID}provision/{PLAN_KEY}/para-4/e")
    assert graph.value(node, RDFS.label) == Literal(
        "Work should not duplicate that promoted and undertaken by other organizations and programmes", lang="en")
    assert (node, RDF.type, MEA.Principle) in graph and graph.value(node, SKOS.notation) == Literal("e")


def test_four_phases_in_the_order_of_paragraph_11(plan, graph):
    assert [p.name for p in plan.phases] == ["Planning Phase", "Construction Phase", "Implementation Phase",
                                             "Feedback and Monitoring/Evaluation (M&E) Phase"]
    scheme = URIRef(f"{ID}scheme/capacity-building-phases")
    phases = {str(graph.value(c, SKOS.notation)): str(graph.value(c, SKOS.prefLabel))
              for c in graph.subjects(SKOS.inScheme, scheme)}
    assert phases == {"1": "Planning Phase", "2": "Construction Phase", "3": "Implementation Phase",
                      "4": "Feedback and Monitoring/Evaluation (M&E) Phase"}


def test_three_sections_with_their_objectives(plan):
    assert [(s.number, s.title, s.objective) for s in plan.sections] == [
        ("1", "Development of National/Regional Capacity Building Training Programmes",
         "Strengthening institutional capacity of the NFPs to implement CMS instruments"),
        ("2", "Development of CMS Handbook", "Enhancing the Impact of Capacity Building Activities"),
        ("3", "Improving the Assessment of the Progress and Impact of Capacity Building Activities",
         "Monitoring and Evaluation of National Implementation of Capacity Building activities"),
    ]
    assert [h.title for h in plan.headings] == [
        "National or Regional Training Capacity Building Programmes", "Development of the CMS Handbook",
        "Monitoring and Evaluation of National Implementation of Capacity Building activities"]


def test_four_requested_actions_addressed_to_the_cop(plan, graph):
    assert [(a.number, a.verb) for a in plan.actions] == [("a", "Review and adopt"), ("b", "Provide"), ("c", "Support"),
                                                          ("d", "Support")]
    assert plan.actions[1].request.startswith(
        "ear-marked voluntary contributions and consider increasing the core budget")
    node = URIRef(f"{ID}provision/{PLAN_KEY}/action-requested/a")
    assert (node, MEA.addressee, URIRef(f"{ID}agent/cms-cop")) in graph
    assert (node, MEA.addresseeText, Literal("the Conference of the Parties", lang="en")) in graph
    assert (node, DCTERMS.isPartOf, URIRef(f"{ID}document/{PLAN_KEY}")) in graph


# ------------------------------------------------------------------------------------------------ the table

def test_parse_reads_14_activities(activities):
    assert list(activities) == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
                                "3.1", "3.2"]
    assert [activities[n].locator.line for n in ("1.1", "1.3", "2.4", "3.2")] == [125, 141, 208, 255]


@pytest.mark.parametrize("number, title", [
    ("1.1", "Needs Assessment conducted"),
    ("1.2", "Clarified objective for specific training"),
    ("1.3", "Tailor-made training programme designed for different partners"),
    ("1.4", "Tailor-made training programmes conducted"),
    ("1.5", "Progress on training programme monitored and impact evaluated"),
    ("1.6", "Follow up tailor-made trainings designed"),                      # "tailor-" / "made" across lines
    ("2.1", "Working group on CMS Handbook formed"),
    ("2.2", "Surveys conducted on the items to be included in the CMS Handbook"),   # laid out column by column
    ("2.3", "CMS Handbook designed"),
    ("2.4", "Tailored training of trainers (ToT) workshops conducted for different CMS partners"),
    ("2.5", "Regular dialogue carried out in order to guarantee satisfactory results on both ends"),
    ("2.6", "Progress monitored of the utilization of the CMS Handbook and impact evaluated of the activity"),
    ("3.1", "Capacity Building activities’ progress monitored and impact evaluated"),
    ("3.2", "The progress and impact assessed of the joint capacity building activities"),
])
def test_titles_of_line_broken_cells(activities, number, title):
    assert activities[number].title == title


def test_methodology_of_rows_laid_out_column_by_column(activities):
    assert activities["2.4"].methodology == (
        "Following an assessment on the target groups for the ToT, in order to ensure effective information "
        "dissemination, ToT workshops are designed and conducted.")
    assert activities["2.2"].methodology == (
        "Surveys providing suggestions, ideas and themes by the NFPs and other partners to be included in the "
        "handbook. Content for the CMS handbook further developed.")
    assert activities["1.3"].methodology == (
        "Training programme with different modules and tools designed together with a facilitator according to the "
        "needs assessmentsvis-a-vis the CMS Capacity Building Strategy.")


def test_responsibilities(activities):
    assert activities["2.1"].responsibility == ("CMS Sec.", "NFPs", "ScC", "StC", "other relevant partners")
    assert activities["2.1"].agents == ("cms-secretariat", "nfps", "scc", "stc", "other-relevant-partners")
    assert activities["1.3"].agents == ("cms-secretariat",)
    assert activities["1.4"].agents == ("cms-secretariat",)        # "NFPs/other participants" is methodology
    assert activities["1.2"].agents == ("cms-secretariat", "nfps")  # "CMS, NFPs": CMS is the Secretariat here
    assert activities["2.4"].agents == ("cms-secretariat", "nfps", "scc", "stc")
    nfps = {n for n, a in activities.items() if "nfps" in a.agents}
    assert nfps == {"1.1", "1.2", "1.5", "2.1", "2.2", "2.4", "2.5", "2.6", "3.1"}


def test_budget_ranges_and_amounts(activities):
    b14, b23, b13 = activities["1.4"].budget, activities["2.3"].budget, activities["1.3"].budget
    assert (b14.status, b14.minimum, b14.maximum, b14.currency) == ("estimated", Decimal(45000), Decimal(90000), "USD")
    assert b14.text == ("Each regional training of 3-4 days for 20-40 trainees, around US$45,000-90,000 depending "
                        "on the region.")
    assert (b23.minimum, b23.maximum, b23.currency) == (Decimal(70000), Decimal(120000), "USD")
    assert b23.text.endswith("depending on the content and number of books and including translation costs.")
    assert (b13.minimum, b13.maximum) == (Decimal(30000), Decimal(30000))
    assert b13.text.endswith("CMS CB unit. Around US$30,000 including translation costs.")


def test_budget_statuses_and_conditions(activities):
    assert activities["2.4"].budget.status == "to-be-determined"
    assert activities["2.4"].budget.text == "Shall be determined according to the need."
    b11 = activities["1.1"].budget
    assert (b11.status, b11.condition) == ("no-additional-funds", "provided that the CB Unit staff numbers retained")
    assert activities["1.2"].budget.condition == "provided that the CMS CB Unit staff numbers retained"
    assert [(activities[n].budget.status, activities[n].budget.condition) for n in ("3.1", "3.2")] == \
        [("no-additional-funds", "")] * 2
    no_funds = {n for n, a in activities.items() if a.budget.status == "no-additional-funds"}
    assert no_funds == {"1.1", "1.2", "1.5", "1.6", "2.1", "2.2", "2.5", "2.6", "3.1", "3.2"}


def test_triples_for_activity_1_3(graph):
    a = activity_iri("1.3")
    assert (a, RDF.type, MEA.CapacityBuildingActivity) in graph
    assert (a, SKOS.notation, Literal("1.3")) in graph
    assert (a, MEA.inSection, URIRef(f"{ID}section/{PLAN_KEY}/1")) in graph
    assert set(graph.objects(a, MEA.responsibleParty)) == {URIRef(f"{ID}agent/cms-secretariat")}
    budget = graph.value(a, MEA.budgetEstimate)
    assert graph.value(budget, SCHEMA.minValue) == Literal(Decimal(30000), datatype=XSD.decimal)
    assert graph.value(budget, SCHEMA.currency) == Literal("USD")
    assert graph.value(budget, MEA.budgetStatus) == URIRef(f"{ID}concept/budget-status/estimated")
    locator = URIRef(f"{ID}locator/{PLAN_KEY}/table/activity-1.3")
    assert (a, PROV.wasDerivedFrom, locator) in graph
    assert graph.value(locator, RDFS.label) == Literal("Work plan table, activity 1.3")
    assert graph.value(locator, MEA.line) == Literal(141)
    assert graph.value(locator, MEA.table) == Literal("Work plan")


def test_every_extracted_node_has_its_locator(graph):
    for cls in (MEA.WorkPlan, MEA.WorkPlanSection, MEA.CapacityBuildingActivity, MEA.BudgetEstimate, MEA.Principle,
                MEA.Phase, MEA.RequestedAction):
        nodes = set(graph.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            assert any((loc, RDF.type, MEA.Locator) in graph for loc in graph.objects(node, PROV.wasDerivedFrom)), node


def test_locators_carry_at_most_one_quote(graph):
    for locator in graph.subjects(RDF.type, MEA.Locator):
        assert len(list(graph.objects(locator, MEA.quote))) <= 1, locator


# ------------------------------------------------------------------------------------------------ variants

def test_a_copy_with_a_changed_budget_gives_the_changed_amount(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count("US$45,000-90,000") == 1
    copy = tmp_path / "cb-variant.txt"
    copy.write_text(text.replace("US$45,000-90,000", "US$50,000-95,000").replace("Shall be determined", "US$ 12,500"),
                    encoding="utf-8")
    plan = capacity_building.parse(copy.read_text(encoding="utf-8"), path=copy, reference=REFERENCE, layout=LAYOUT)
    rows = {a.number: a for a in plan.activities}
    assert (rows["1.4"].budget.minimum, rows["1.4"].budget.maximum) == (Decimal(50000), Decimal(95000))
    assert (rows["2.4"].budget.status, rows["2.4"].budget.minimum) == ("estimated", Decimal(12500))


SMALL = """CMS Capacity Building Work Plan 2015-2017

1. Development of CMS Handbook

Objective: Enhancing the impact

Activities undertaken | Responsibility | Methodology and expected Budget Estimate
outcome
1.1 Handbook drafted | CMS Sec., | Drafts written and | No additional funds
and translated NFPs reviewed by the NFPs. | required.
"""


def test_a_small_plan_of_the_same_kind(tmp_path):
    src = tmp_path / "cb-2015.txt"
    src.write_text(SMALL, encoding="utf-8")
    plan = capacity_building.parse(SMALL, path=src, reference=REFERENCE)
    assert (plan.title, plan.start, plan.end) == ("CMS Capacity Building Work Plan 2015-2017", 2015, 2017)
    (activity,) = plan.activities
    assert (activity.title, activity.agents) == ("Handbook drafted and translated", ("cms-secretariat", "nfps"))
    assert activity.methodology == "Drafts written and reviewed by the NFPs."
    assert (activity.budget.status, activity.budget.text) == ("no-additional-funds", "No additional funds required.")


def test_a_row_laid_out_column_by_column():
    lines = [(10, "The progress and CMS Sec. Liaising with UNEP (including | No additional funds"), (11, ""),
             (12, "impact assessed of the"), (13, "joint activities"), (14, ""),
             (15, "NBSAP processes) and relevant"), (16, "organizations"), (17, ""), (18, "required")]
    cells = read_row(lines, path=Path("p.txt"), number="3.2", reference=REFERENCE, layout=TableLayout.from_data(LAYOUT))
    assert cells.title == "The progress and impact assessed of the joint activities"
    assert cells.methodology == "Liaising with UNEP (including NBSAP processes) and relevant organizations"
    assert (cells.responsibility, cells.budget) == ("CMS Sec.", "No additional funds required")
    assert cells.lines == (10, 10, 10, 10)


def test_parse_rejects_a_budget_it_cannot_read(tmp_path):
    src = tmp_path / "cb.txt"
    src.write_text(SMALL.replace("| No additional funds", "| to be confirmed").replace("| required.", "| later."),
                   encoding="utf-8")
    with pytest.raises(SourceError) as err:
        capacity_building.parse(src.read_text(encoding="utf-8"), path=src, reference=REFERENCE)
    assert err.value.line == 9
    assert str(err.value) == (f"{src}:9: expected a budget like 'US$45,000-90,000', 'No additional funds required' or "
                              "'Shall be determined', found 'to be confirmed later.'")


def test_parse_rejects_an_activity_row_with_no_responsibility(tmp_path):
    src = tmp_path / "cb.txt"
    src.write_text(SMALL.replace("| CMS Sec., |", "|"), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        capacity_building.parse(src.read_text(encoding="utf-8"), path=src, reference=REFERENCE)
    assert err.value.line == 9
    assert ("expected the responsible parties (such as 'CMS Sec., NFPs') after the title of activity 1.1"
            in str(err.value))


def test_parse_rejects_a_document_without_a_plan_title(tmp_path):
    src = tmp_path / "cb.txt"
    src.write_text(SMALL.replace("CMS Capacity Building Work Plan 2015-2017", "Capacity building"), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        capacity_building.parse(src.read_text(encoding="utf-8"), path=src, reference=REFERENCE)
    assert err.value.line == 1
    assert "expected a title line like 'CMS Capacity Building Work Plan 2012-2014'" in str(err.value)


def test_parse_rejects_an_activity_outside_its_section(tmp_path):
    src = tmp_path / "cb.txt"
    src.write_text(SMALL.replace("1.1 Handbook", "2.1 Handbook"), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        capacity_building.parse(src.read_text(encoding="utf-8"), path=src, reference=REFERENCE)
    assert err.value.line == 9 and "expected an activity of section 1" in str(err.value)
