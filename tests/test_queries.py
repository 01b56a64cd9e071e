"""Every saved query: generic checks over all .rq files, then the answers, checked against what
the documents say (loaders/sources/*.txt), not against what the program printed."""

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from meakg.graph.build.current import open_store
from meakg.queries import catalogue

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "loaders" / "sources"
QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))
PLAN = "https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2016-2018"
EXAMPLE_PARAMS = {"where-from": {"node": "https://w3id.org/meakg/id/alignment/cbd-cms-joint-work-plan-2016-2018/ms-8/aichi-12"}}


@pytest.fixture(scope="module")
def store():
    return open_store()


def answer(store, name, **params):
    """Return the rows of saved query *name* as dicts of plain strings (None where unbound)."""
    return catalogue.run(name, store=store, params=params).records()


def source_line(document: str, pattern: str) -> int:
    """Return the 1-based line of the vendored *document* that matches *pattern* (where a reader checks)."""
    lines = (SOURCES / f"{document}.txt").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if re.search(pattern, line))


# ------------------------------------------------------------------------------------------------ every query

def select_list(text: str) -> tuple[str, ...]:
    """Return the variables of the SELECT clause of *text*, read independently of the catalogue."""
    clause = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*\bWHERE\b", text, re.S | re.I)[1]
    previous = None
    while previous != clause:
        previous = clause
        clause = re.sub(r"\w+\([^()]*\)", "", clause)                                  # COUNT(...), STR(...)
        clause = re.sub(r"\(\s*[^()]*?\bAS\s+(\?\w+)\s*\)", r"\1", clause, flags=re.I)    # (expr AS ?v)
    return tuple(re.findall(r"\?(\w+)", clause))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header_columns_equal_the_select_list_and_the_answer(path, store):
    query = catalogue.load_file(path)
    result = catalogue.run(query, store=store, params=EXAMPLE_PARAMS.get(query.name, {}))
    if query.form == "construct":  # answers with triples: no columns
        assert query.columns == () and result.triples
        return
    assert select_list(query.sparql) == query.columns
    assert result.variables == query.columns


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_is_portable_sparql_11(path, store):
    query = catalogue.load_file(path)
    text = query.sparql
    assert query.title and query.description and query.tags
    assert re.search(r"\bORDER\s+BY\b", text) or query.form == "construct"  # a graph has no order
    assert not re.search(r"\bGRAPH\b|\bSERVICE\b", text), "the default graph is the union: no GRAPH or SERVICE"
    prepareQuery(text)  # a second, independent SPARQL 1.1 parser (rdflib's) accepts it
    # run as another store would: header ignored, parameters unbound, no predeclared prefixes
    catalogue.execute(query.text, store=store)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_parameter_is_documented_and_typed(path):
    for param in catalogue.load_file(path).params:
        assert param.doc, param.name


# ------------------------------------------------------------------------------------------ CBD-CMS joint work plan

def test_target_alignment_counts_the_activities_of_each_row(store):
    rows = answer(store, "target-alignment")
    got = {(r["msTarget"], r["aichiTarget"]): int(r["activityCount"]) for r in rows}
    # the table of the plan, row by row: MS target / Aichi targets / activities listed (incl. "same as above")
    assert got == {
        ("1", "1"): 4, ("2", "2"): 2, ("4", "3"): 1, ("5", "4"): 4, ("5", "7"): 4, ("6", "6"): 3,
        ("7", "8"): 2, ("7", "9"): 2, ("7", "10"): 2, ("8", "12"): 3, ("10", "5"): 4, ("10", "11"): 4,
        ("11", "14"): 1, ("11", "15"): 1, ("12", "13"): 1, ("13", "17"): 1, ("14", "18"): 1, ("15", "19"): 1,
        ("16", "20"): 1,
    }
    assert {r["plan"] for r in rows} == {PLAN}
    row = next(r for r in rows if (r["msTarget"], r["aichiTarget"]) == ("8", "12"))
    assert "Target 8" in row["locator"] and "Target 12" in row["locator"]
    assert row["aichiLabel"] and row["msLabel"]


def test_target_alignment_of_another_plan_is_empty(store):
    assert answer(store, "target-alignment", plan="https://w3id.org/meakg/id/plan/no-such-plan") == []


def test_only_aichi_target_16_has_no_joint_activity(store):
    assert [r["aichiTarget"] for r in answer(store, "aichi-targets-without-joint-activity")] == ["16"]


def test_ms_targets_3_and_9_have_no_joint_activity(store):
    assert [r["msTarget"] for r in answer(store, "ms-targets-without-joint-activity")] == ["3", "9"]


TARGET_8_ROW = {  # the three activities of the "Target 8 / Target 12" row, as printed
    "Continue to jointly promote the conservation of migratory birds following the example of the mutual supporting "
    "related notifications issued in 2015.",
    "Continue cooperate in the context of the Collaborative Partnership on Sustainable Wildlife Management.",
    "Collaborate, as appropriate, on the series of regional workshop on Aichi Biodiversity Targets 11 and 12.",
}


@pytest.mark.parametrize("target", ["aichi:12", "ms:8"])
def test_activities_for_target_are_the_three_of_the_target_8_row(store, target):
    rows = answer(store, "activities-for-target", target=target)
    assert {r["label"] for r in rows} == TARGET_8_ROW
    assert len({r["activity"] for r in rows}) == 3
    line = source_line("cbd-cms-joint-work-plan-2016-2018", r"^Target 8\tTarget 12\t")
    assert all("row" in r["locator"] for r in rows) and {r["plan"] for r in rows} == {PLAN}
    # each listing is the one in that row: the row's first line and the two after it
    listings = answer(store, "where-from", node=rows[0]["activity"])
    assert any(r["line"] and int(r["line"]) in (line, line + 1, line + 2) for r in listings)


def test_activities_for_ms_target_5_are_the_four_of_its_row(store):
    rows = answer(store, "activities-for-target", target="ms:5")
    assert len(rows) == 4
    assert any(r["label"].startswith("Under CMS Resolution 11.27") for r in rows)


def test_joint_activities_by_aichi_goal(store):
    rows = answer(store, "joint-activities-by-aichi-goal")
    # goals A: T1-4, B: T5-10, C: T11-13, D: T14-16, E: T17-20; activities counted once per goal
    got = {r["goal"]: (int(r["targetsServed"]), int(r["targets"]), int(r["activityCount"])) for r in rows}
    assert got == {"A": (4, 4, 11), "B": (6, 6, 11), "C": (3, 3, 8), "D": (2, 3, 1), "E": (4, 4, 4)}


def test_decisions_cited_by_joint_activities(store):
    rows = [r for r in answer(store, "decisions-cited-by-activities") if r["plan"] == PLAN]
    # XII/2 (row 1), Res. 11.27 (row 4), decisions 12/16, 12/17 and Res. 11.28 (row 6), XII/30 and Res. 11.10 (last row)
    assert Counter(r["issuedUnder"] for r in rows) == {"CBD": 4, "CMS": 3}
    assert any("11.27" in r["decision"] and r["label"].startswith("Under CMS Resolution 11.27") for r in rows)


def test_citations_name_document_and_line(store):
    rows = [r for r in answer(store, "citations") if r["document"] == "cbd-cms-joint-work-plan-2016-2018"]
    intro = source_line("cbd-cms-joint-work-plan-2016-2018",
                        r"following CBD COP Decision XII/6 and CMS Resolution 11.10")
    cited_in_intro = {r["cited"] for r in rows if r["line"] == str(intro)}
    assert any("XII/6" in c for c in cited_in_intro) and any("11.10" in c for c in cited_in_intro)
    assert len([r for r in rows if "11.10" in r["cited"]]) == 2  # the introduction and the last row


def test_where_from_traces_an_alignment_to_its_row(store):
    rows = answer(store, "where-from", **EXAMPLE_PARAMS["where-from"])
    line = source_line("cbd-cms-joint-work-plan-2016-2018", r"^Target 8\tTarget 12\t")
    assert {r["document"] for r in rows} == {"cbd-cms-joint-work-plan-2016-2018"}
    assert {r["line"] for r in rows} == {str(line)}
    assert {r["value"] for r in rows if r["property"].endswith("#alignedTarget")} == {"https://w3id.org/meakg/id/target/aichi/12"}


def test_instrument_profile_gives_the_reference_facts(store):
    rows = answer(store, "instrument-profile", instrument="AEWA")
    values = {r["value"] for r in rows}
    assert "Agreement on the Conservation of African-Eurasian Migratory Waterbirds" in values
    assert {r["instrument"] for r in rows} == {"AEWA"}
    assert answer(store, "instrument-profile", instrument="No Such Instrument") == []


# ------------------------------------------------------------------------------------------------ Doc.16.2

UNEP_BONN = ["CMS", "AEWA", "ASCOBANS", "Gorilla Agreement", "EUROBATS"]
TABLE_1 = ["Capacity building", "Implementation support", "Administrative services", "Information management",
           "Fundraising", "Conference", "Communication"]  # column headers, as printed (start of)


def cell(rows, instrument, column, key="function"):
    found = [r for r in rows if r["instrument"] == instrument and r[key].lower().startswith(column.lower())]
    assert len(found) == 1, (instrument, column, found)
    return found[0]


def test_instrument_functions_reproduce_table_1(store):
    rows = answer(store, "instrument-functions")
    assert len(rows) == 35  # 5 instruments x 7 functions
    assert cell(rows, "Gorilla Agreement", "Administrative services")["value"] == "Interim Shared"
    assert cell(rows, "Gorilla Agreement", "Conference")["value"] == "Yes"
    assert cell(rows, "Gorilla Agreement", "Communication")["value"] == "Currently no funds"
    for instrument in ("CMS", "AEWA", "ASCOBANS", "EUROBATS"):
        assert cell(rows, instrument, "Administrative services")["value"] == "Shared"
    assert cell(rows, "AEWA", "Information management")["providedBy"]  # "Yes CMS AEWA unit"
    assert "Table 1" in cell(rows, "CMS", "Capacity building")["locator"]


def test_implementation_support_reproduces_table_2(store):
    rows = answer(store, "implementation-support")
    assert len(rows) == 30  # 5 instruments x 6 activities
    gorilla = [r for r in rows if r["instrument"] == "Gorilla Agreement"]
    assert len(gorilla) == 6 and all(r["providedBy"] == "https://w3id.org/meakg/id/agent/grasp" for r in gorilla)
    assert {r["value"] for r in rows if r["instrument"] != "Gorilla Agreement"} == {"Yes"}


def test_shared_functions(store):
    rows = answer(store, "shared-functions")
    shared = {(r["instrument"], r["value"]) for r in rows if r["function"].startswith("Administrative services")}
    assert shared == {("CMS", "Shared"), ("AEWA", "Shared"), ("ASCOBANS", "Shared"), ("EUROBATS", "Shared"),
                      ("Gorilla Agreement", "Interim Shared")}
    by_unit = {r["instrument"] for r in rows if r["function"].startswith("Information management")}
    assert by_unit == {"CMS", "AEWA"}  # "Yes CMS AEWA unit"
    assert len(rows) == 7


def test_common_service_candidates(store):
    rows = answer(store, "common-service-candidates")
    per_instrument = Counter(r["instrument"] for r in rows)
    # status Yes with no unit: CMS and AEWA share administration and information management, and Annex 2 says
    # their joint unit runs communication and outreach; ASCOBANS and EUROBATS share administration; the
    # Gorilla Agreement runs only its conference service
    assert per_instrument == {"CMS": 4, "AEWA": 4, "ASCOBANS": 6, "EUROBATS": 6, "Gorilla Agreement": 1}
    assert cell(rows, "Gorilla Agreement", "Conference")
    assert [r["instrument"] for r in rows if r["function"] == "Communication outreach"] == ["ASCOBANS", "EUROBATS"]


def test_instrument_typology(store):
    rows = answer(store, "instrument-typology")
    by = {r["instrument"]: r for r in rows}
    for name in UNEP_BONN:  # paragraph 47
        assert by[name]["paragraph"] == "47"
    assert by["CMS"]["kind"] == "Convention" and by["AEWA"]["kind"] == "Agreement"
    for name in ("ACAP", "Wadden Sea Seals", "ACCOBAMS"):  # paragraph 48
        assert (by[name]["paragraph"], by[name]["kind"]) == ("48", "Agreement")
    for name in ("Raptors", "Dugong", "IOSEA"):  # paragraph 50
        assert (by[name]["paragraph"], by[name]["kind"]) == ("50", "MOU")
    for name in ("Ruddy-headed Goose", "Huemul"):  # paragraph 51
        assert (by[name]["paragraph"], by[name]["kind"]) == ("51", "MOU")
    assert "geographically located together and administered by UNEP" in by["AEWA"]["category"]


def test_mous_by_typology_lists_the_12_mous_administered_under_cms(store):
    rows = [r for r in answer(store, "mous-by-typology") if r["paragraph"] == "49"]
    assert {r["mou"] for r in rows} == {
        "Aquatic Warbler", "Atlantic Turtles", "Bukhara Deer", "Middle European Great Bustard", "Sharks",
        "Siberian Crane", "Pacific Island Cetaceans", "Saiga", "West African Elephants",
        "West African Aquatic Mammals", "Grassland Birds", "High Andean Flamingo"}


def test_typology_summary_counts_kinds_per_category(store):
    got = {(r["paragraph"], r["kind"]): int(r["instrumentCount"]) for r in answer(store, "typology-summary")}
    assert got[("47", "Convention")] == 1 and got[("47", "Agreement")] == 4
    assert got[("48", "Agreement")] == 3 and got[("49", "MOU")] == 12 and got[("50", "MOU")] == 3


def test_cost_sharing_of_paragraph_52(store):
    rows = answer(store, "cost-sharing")
    got = {(r["grade"], r["instrument"]): Decimal(r["percent"]) for r in rows}
    assert got == {("P2", "ASCOBANS"): 75, ("P2", "CMS"): 25, ("P4", "ASCOBANS"): 15, ("P4", "CMS"): 85,
                   ("D1", "ASCOBANS"): 3, ("D1", "CMS"): 97, ("P5", "CMS"): Decimal("12.5"),
                   ("P5", "IOSEA"): Decimal("87.5")}


def test_cost_figures_include_the_p4_post_and_the_brs_savings(store):
    rows = answer(store, "cost-figures")
    amounts = {(Decimal(r["value"] or r["maxValue"]), r["currency"]) for r in rows}
    assert {(Decimal(140000), "EUR"), (Decimal(564851), "USD"), (Decimal(332040), "USD"),
            (Decimal(160000), "USD")} <= amounts


def test_proposed_units_of_figure_2(store):
    rows = answer(store, "proposed-units")
    units: dict[str, dict[str, set]] = {}
    for r in rows:
        units.setdefault(r["unit"], {}).setdefault(r["relation"], set()).add(r["instrument"])
    avian = next(u for u, r in units.items() if "Raptors" in r.get("covers", set()))
    assert {"AEWA", "Raptors", "Siberian Crane", "High Andean Flamingo"} <= units[avian]["covers"]
    # "The Head would be the Executive Secretary of AEWA"
    assert any("aewa" in (r["head"] or "").lower() for r in rows if r["unit"] == avian)
    aquatic = next(u for u, r in units.items() if "Sharks" in r.get("covers", set()))
    assert {"ASCOBANS", "Sharks", "West African Aquatic Mammals", "Atlantic Turtles",
            "IOSEA"} <= units[aquatic]["covers"]
    assert units[aquatic]["collaborates with"] == {"ACCOBAMS", "Dugong"}
    terrestrial = next(u for u, r in units.items() if "Gorilla Agreement" in r.get("covers", set()))
    assert {"Gorilla Agreement", "West African Elephants", "Saiga", "Bukhara Deer"} <= units[terrestrial]["covers"]


def test_service_area_assessments_point_at_their_paragraphs(store):
    rows = answer(store, "service-area-assessments")
    got = {(r["area"], r["aspect"], r["paragraph"]) for r in rows}
    for area, paragraphs in {"1": ("18", "19", "20"), "2": ("22", "23", "24"), "4": ("33", "34", "35"),
                             "5": ("39", "40", "41"), "6": ("43", "44", "45")}.items():
        aspects = zip(("advantages", "disadvantages", "implications"), paragraphs, strict=True)
        assert {(area, aspect, p) for aspect, p in aspects} <= got
    assert ("3", "disadvantages", "29") in got and ("3", "implications", "30") in got
    assert all(r["quote"] for r in rows)


def test_requested_actions_of_the_draft_resolution(store):
    rows = [r for r in answer(store, "requested-actions") if r["kind"] == "operative paragraph"]
    assert [(r["item"], r["verb"]) for r in rows] == [
        ("1", "Adopts"), ("2", "Recognizes"), ("3", "Invites"), ("4", "Requests"), ("5", "Requests"),
        ("6", "Welcomes"), ("7", "Urges"), ("8", "Instructs"), ("9", "Encourages")]


def test_instrument_profile_of_the_gorilla_agreement(store):
    rows = answer(store, "instrument-profile", instrument="Gorilla Agreement")
    administrative = [r for r in rows if "Administrative services" in r["property"]]
    assert [r["value"] for r in administrative] == ["Interim Shared"] and administrative[0]["locator"]
    assert any(r["property"] == "typology category" and "administered by UNEP" in r["value"] for r in rows)


def test_instrument_profile_cites_figure_2_for_every_instrument_a_unit_covers_also_when_run_as_written(store):
    # boxes 3 and 4 of Figure 2: the administrative services unit (CMS, ASCOBANS, ...) and the avian species
    # unit (CMS, Raptors, Siberian Crane, High Andean Flamingo, ...); run with the instrument unbound, as
    # another store runs the file, each "covered by" row still names the box (Comunica gave none for 6)
    result = catalogue.execute(catalogue.load("instrument-profile").text, store=store)
    rows = [r for r in result.records() if r["property"] == "covered by (proposal)"]
    box_3, box_4 = "Figure 2, box 3 (Administrative services unit)", "Figure 2, box 4 (Avian species unit)"
    boxes = {(r["instrument"], r["locator"]) for r in rows
             if r["value"] in ("Administrative services unit", "Avian species unit")}
    assert {("ASCOBANS", box_3), ("CMS", box_3), ("Raptors", box_4), ("Siberian Crane", box_4),
            ("High Andean Flamingo", box_4), ("CMS", box_4)} <= boxes
    assert all(r["locator"] for r in rows)


def test_pilot_unit_posts_of_annex_2(store):
    rows = answer(store, "pilot-unit-posts")
    # Annex 2, para 6: "an overall coordinator, an IT and information officer, an editor and writer,
    # and a media relations specialist"; para 1/6: established January 2014 by CMS and AEWA
    assert {r["post"].lower() for r in rows} == {"overall coordinator", "it and information officer",
                                                 "editor and writer", "media relations specialist"}
    assert {r["sharedBy"] for r in rows} == {"CMS Secretariat", "AEWA Secretariat"}
    assert {r["founded"] for r in rows} == {"2014-01"}


# ------------------------------------------------------------------------------------------------ capacity building

def test_capacity_building_budget(store):
    rows = {r["activity"]: r for r in answer(store, "capacity-building-budget")}
    assert len(rows) == 14  # 1.1-1.6, 2.1-2.6, 3.1-3.2
    amounts = {a: (Decimal(r["minAmount"]), Decimal(r["maxAmount"]), r["currency"])
               for a, r in rows.items() if r["minAmount"] is not None}
    assert amounts == {"1.3": (30000, 30000, "USD"), "1.4": (45000, 90000, "USD"), "2.3": (70000, 120000, "USD")}
    no_funds = {a for a, r in rows.items() if r["noAdditionalFunds"] == "true"}
    assert no_funds == {"1.1", "1.2", "1.5", "1.6", "2.1", "2.2", "2.5", "2.6", "3.1", "3.2"}
    assert rows["2.4"]["minAmount"] is None and rows["2.4"]["noAdditionalFunds"] == "false"  # "Shall be determined"


def test_capacity_building_budget_total(store):
    rows = answer(store, "capacity-building-budget-total")
    assert len(rows) == 1 and rows[0]["currencies"] == "USD"
    # 1.3 around US$30,000; 1.4 US$45,000-90,000; 2.3 US$70,000-120,000; ten rows "No additional funds";
    # 2.4 "Shall be determined"
    assert (int(rows[0]["activities"]), int(rows[0]["activitiesWithAmount"])) == (14, 3)
    assert (Decimal(rows[0]["minTotal"]), Decimal(rows[0]["maxTotal"])) == (145000, 240000)
    assert (int(rows[0]["noAdditionalFunds"]), int(rows[0]["toBeDetermined"])) == (10, 1)


def test_responsibilities(store):
    rows = answer(store, "responsibilities")
    by_party: dict[str, set] = {}
    for r in rows:
        by_party.setdefault(r["party"], set()).add(r["activity"])
    assert len(by_party["CMS Secretariat"]) == 14  # "CMS Sec." or "CMS" in every row
    assert by_party["NFPs"] == {"1.1", "1.2", "1.5", "2.1", "2.2", "2.4", "2.5", "2.6", "3.1"}
    assert by_party["ScC"] == by_party["StC"] == {"2.1", "2.4", "2.5"}
    assert {r["party"] for r in rows if r["activity"] == "1.3"} == {"CMS Secretariat"}


def test_requested_actions_of_the_capacity_building_plan(store):
    rows = [r for r in answer(store, "requested-actions")
            if r["document"] == "cms-capacity-building-work-plan-2012-2014"]
    assert [r["item"] for r in rows] == ["a", "b", "c", "d"]
    assert "ear-marked voluntary contributions" in rows[1]["request"]
