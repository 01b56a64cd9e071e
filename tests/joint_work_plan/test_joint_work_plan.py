"""The joint work plan loader, checked against what the CBD-CMS Joint Work Plan 2016-2018 prints."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from meakg.loaders import SOURCES_DIR, joint_work_plan
from meakg.loaders.rdf import DCTERMS, MEA, PROV, RDF, RDFS, SKOS, iri
from meakg.loaders.reference import load_reference
from meakg.ontology.errors import SourceError

SOURCE = SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt"
REFERENCE = load_reference()
PLAN = iri("plan", "cbd-cms-joint-work-plan-2016-2018")
HEADER = "Migratory Species Targets\tAichi Targets\tActivity\n"


@pytest.fixture(scope="module")
def plan():
    return joint_work_plan.parse(SOURCE.read_text(), path=SOURCE, reference=REFERENCE)


@pytest.fixture(scope="module")
def graph(plan) -> Graph:
    g = Graph()
    for triple in joint_work_plan.to_triples(plan):
        g.add(triple)
    return g


def activity_with(plan, start: str):
    return next(a for a in plan.activities if a.text.startswith(start))


def test_parse_reads_title_parties_and_period(plan):
    assert plan.parties == ("CBD", "CMS")
    assert (plan.start, plan.end) == (2016, 2018)


def test_parse_reads_14_rows_across_the_page_break(plan):
    assert [row.source_targets for row in plan.rows] == [
        ("1",), ("2",), ("4",), ("5",), ("6",), ("7",), ("8",), ("10",), ("11",), ("12",), ("13",), ("14",), ("15",),
        ("16",)]


def test_parse_reads_rows_with_several_aligned_targets(plan):
    by_ms = {row.source_targets[0]: row.aligned_targets for row in plan.rows}
    assert by_ms["5"] == ("4", "7")
    assert by_ms["7"] == ("8", "9", "10")
    assert by_ms["10"] == ("5", "11")
    assert by_ms["11"] == ("14", "15")


def test_parse_reads_26_activities(plan):
    # 29 listings in the table, three of them marked "(same as above)"
    assert len(plan.activities) == 26
    assert sum(len(a.locators) for a in plan.activities) == 29


def test_same_as_above_is_one_activity_serving_several_rows(plan):
    cpw = activity_with(plan, "Continue cooperate in the context of the Collaborative Partnership")
    assert [row.source_targets for row in cpw.rows] == [("5",), ("6",), ("8",)]
    assert [loc.line for loc in cpw.locators] == [18, 25, 29]
    debris = activity_with(plan, "Keep each other informed about work related to marine debris")
    assert [row.source_targets for row in debris.rows] == [("5",), ("7",)]


def test_activity_text_drops_the_same_as_above_marker(plan):
    debris = activity_with(plan, "Keep each other informed about work related to marine debris")
    assert debris.text.endswith("Consider to hold joint side event at CBD COP13.")


def test_activity_citations_name_decisions_and_meetings(plan):
    invasive = activity_with(plan, "Continue to collaborate on activities related to invasive alien species")
    assert [c.label for c in invasive.citations] == ["CBD decision XII/16", "CBD decision XII/17",
                                                     "CMS Resolution 11.28"]
    noise = activity_with(plan, "Keep each other informed about and involved in any projects or initiatives related "
                                "to underwater noise")
    assert [c.key for c in noise.citations] == ["cbd-sbstta-20"]


def test_triples_link_repeated_activity_to_every_rows_targets(graph, plan):
    cpw = iri("activity", plan.key, activity_with(plan, "Continue cooperate in the context").key)
    targets = {str(t).rsplit("/target/", 1)[1] for t in graph.objects(cpw, MEA.supportsTarget)}
    assert targets == {"ms/5", "aichi/4", "aichi/7", "ms/6", "aichi/6", "ms/8", "aichi/12"}
    assert len(list(graph.objects(cpw, PROV.wasDerivedFrom))) == 3


def test_triples_hold_19_alignments_with_row_locators(graph):
    alignments = set(graph.subjects(RDF.type, MEA.TargetAlignment))
    assert len(alignments) == 19
    row = iri("alignment", "cbd-cms-joint-work-plan-2016-2018", "ms-7", "aichi-9")
    locator = graph.value(row, PROV.wasDerivedFrom)
    assert graph.value(locator, MEA.line).toPython() == 26
    assert graph.value(locator, DCTERMS.isPartOf) == iri("document", "cbd-cms-joint-work-plan-2016-2018")
    assert (iri("target", "ms", "7"), SKOS.relatedMatch, iri("target", "aichi", "9")) in graph


def test_triples_name_both_secretariats_as_parties(graph):
    assert set(graph.objects(PLAN, MEA.party)) == {URIRef("https://w3id.org/meakg/id/agent/cbd-secretariat"),
                                                   URIRef("https://w3id.org/meakg/id/agent/cms-secretariat")}


def test_intro_paragraph_cites_decision_and_resolution(graph):
    para = URIRef("https://w3id.org/meakg/id/locator/cbd-cms-joint-work-plan-2016-2018/para-1")
    assert set(graph.objects(para, DCTERMS.references)) == {iri("decision", "cbd-decision-xii-6"),
                                                            iri("decision", "cms-resolution-11.10")}


def test_changed_row_changes_the_graph(tmp_path: Path):
    changed = tmp_path / "plan.txt"
    changed.write_text(SOURCE.read_text().replace("Target 12\tTarget 13\t", "Target 12\tTarget 13 and Target 16\t"))
    plan = joint_work_plan.parse(changed.read_text(), path=changed, reference=REFERENCE)
    assert next(r for r in plan.rows if r.source_targets == ("12",)).aligned_targets == ("13", "16")


def parse_error(tmp_path: Path, row: str) -> tuple[Path, SourceError]:
    """Parse a one-row plan of the same kind, written to *tmp_path*; return its path and the error."""
    src = tmp_path / "plan.txt"
    src.write_text("Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018\n" + HEADER + row + "\n")
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(src.read_text(), path=src, reference=REFERENCE)
    return src, err.value


def test_parse_rejects_row_with_two_cells(tmp_path: Path):
    src, err = parse_error(tmp_path, "Target 1\tJoint awareness campaigns")
    assert err.line == 3
    assert str(err) == (f"{src}:3: expected 3 tab-separated cells (Migratory Species Targets, Aichi Targets, "
                        "activity), found 2")


def test_parse_rejects_unknown_target_number(tmp_path: Path):
    src, err = parse_error(tmp_path, "Target 1\tTarget 21\tJoint awareness campaigns")
    assert str(err) == f"{src}:3: expected Aichi Targets numbered 1-20, found 'Target 21'"


def test_parse_rejects_same_as_above_without_an_earlier_activity(tmp_path: Path):
    _, err = parse_error(tmp_path, "Target 1\tTarget 1\t Meet yearly (same as above).")
    assert err.line == 3
    assert "expected an earlier activity" in str(err)


def test_parse_rejects_continuation_before_any_row(tmp_path: Path):
    _, err = parse_error(tmp_path, "\t\tMeet yearly.")
    assert err.line == 3
    assert str(err).endswith(
        "expected a first row naming its targets, found a continuation row with empty target cells")


def test_an_activity_has_a_key_and_label_by_the_targets_its_row_prints_and_keeps_its_iri(graph):
    # the sixth row is Migratory Species Target 7's ("Target 7 / Target 8, Target 9 and Target 10")
    node = URIRef("https://w3id.org/meakg/id/activity/cbd-cms-joint-work-plan-2016-2018/6.2")
    assert str(graph.value(node, DCTERMS.identifier)) == "ms-7/2"
    assert str(graph.value(node, SKOS.altLabel)) == "MS Target 7 row, activity 2"
    assert str(graph.value(node, SKOS.notation)) == "6.2"
    assert str(graph.value(node, RDFS.label)).startswith(
        "Continue to collaborate on activities related to invasive alien")
