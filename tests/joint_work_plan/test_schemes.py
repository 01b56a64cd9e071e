"""Joint work plans between any two target schemes: the header names the schemes (looked up in the
reference data), the title names the parties. Built here from a few lines of text and a small reference."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import RDFS, Graph, Literal

from meakg.loaders import joint_work_plan
from meakg.loaders.rdf import MEA, SKOS, Kind, iri
from meakg.loaders.reference import REFERENCE_DIR, SourceError, load_reference

TITLE = "Joint Work Plan for the Ramsar and CMS Secretariats for the period 2025-2027\n"
TABLE = ("Ramsar Strategic Plan Targets\tKunming-Montreal GBF Targets\tActivity\n"
         "Target 2\tTarget 3\t Map wetlands that migratory waterbirds use.\n"
         "\t\t Share site data.\n"
         "Target 8\tTarget 3 and Target 11\t Share site data (same as above).\n")
SCHEMES = {
    "ramsar": {"scheme": "Ramsar Strategic Plan 2016-2024", "adopted_by": "Ramsar Resolution XII.2",
               "iris": {"prefix": "ramsar", "scheme": "ramsar-targets", "class": "Target", "short": "Ramsar Target"},
               "printed_as": ["Ramsar Strategic Plan Targets", "Ramsar Targets"],
               "targets": {n: {"label": f"Ramsar target {n}"} for n in range(1, 20)}},
    "gbf": {"scheme": "Kunming-Montreal Global Biodiversity Framework", "adopted_by": "CBD decision 15/4",
            "iris": {"prefix": "gbf", "scheme": "gbf-targets", "class": "Target", "short": "GBF Target"},
            "printed_as": ["Kunming-Montreal GBF Targets", "GBF Targets"],
            "targets": {n: {"label": f"GBF target {n}"} for n in range(1, 24)}},
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The bundled reference data, plus a Ramsar Secretariat and the Ramsar and GBF target schemes."""
    folder = tmp_path_factory.mktemp("reference")
    instruments = yaml.safe_load((REFERENCE_DIR / "instruments.yaml").read_text(encoding="utf-8"))
    instruments["organisations"].append({"acronym": "Ramsar Secretariat",
                                         "name": "Secretariat of the Ramsar Convention", "kind": "secretariat",
                                         "secretariat_of": "Ramsar", "source": "https://www.ramsar.org/about/the-secretariat"})
    (folder / "instruments.yaml").write_text(yaml.safe_dump(instruments), encoding="utf-8")
    (folder / "targets.yaml").write_text(yaml.safe_dump(SCHEMES), encoding="utf-8")
    return load_reference(folder)


def test_a_plan_between_two_other_schemes_reads_them_from_the_header(reference, tmp_path: Path) -> None:
    plan = joint_work_plan.parse(TITLE + TABLE, path=tmp_path / "ramsar-cms.txt", reference=reference)
    assert (plan.source_scheme.prefix, plan.aligned_scheme.prefix) == ("ramsar", "gbf")
    assert plan.party_agents == ("ramsar-secretariat", "cms-secretariat")
    assert [(r.source_targets, r.aligned_targets) for r in plan.rows] == [(("2",), ("3",)), (("8",), ("3", "11"))]
    assert [(a.key, len(a.locators)) for a in plan.activities] == [("1.1", 1), ("1.2", 2)]


def test_its_triples_align_targets_of_the_two_schemes(reference, tmp_path: Path) -> None:
    plan = joint_work_plan.parse(TITLE + TABLE, path=tmp_path / "ramsar-cms.txt", reference=reference)
    graph = Graph()
    for triple in joint_work_plan.to_triples(plan):
        graph.add(triple)
    alignment = iri(Kind.ALIGNMENT, "ramsar-cms", "ramsar-8", "gbf-11")
    assert graph.value(alignment, MEA.sourceTarget) == iri(Kind.TARGET, "ramsar", "8")
    assert graph.value(alignment, MEA.alignedTarget) == iri(Kind.TARGET, "gbf", "11")
    assert graph.value(alignment, RDFS.label) == Literal("Ramsar Target 8 aligned with GBF Target 11")
    assert (iri(Kind.TARGET, "ramsar", "2"), SKOS.relatedMatch, iri(Kind.TARGET, "gbf", "3")) in graph


def test_the_reference_graph_describes_the_new_schemes(reference) -> None:
    graph = Graph()
    for triple in reference.to_triples():
        graph.add(triple)
    assert graph.value(iri(Kind.TARGET, "gbf", "23"), SKOS.altLabel) == Literal("GBF Target 23", lang="en")
    assert graph.value(iri(Kind.TARGET, "ramsar", "1"), SKOS.inScheme) == iri(Kind.SCHEME, "ramsar-targets")


def test_an_unknown_scheme_is_an_error_naming_the_header_cell(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(TITLE.replace("Ramsar", "CBD") + TABLE, path=tmp_path / "p.txt",
                              reference=load_reference())
    assert (err.value.line, err.value.message) == (2, (
        "expected a header cell naming a target scheme of the reference data (Aichi Targets, Aichi Biodiversity "
        "Targets, Migratory Species Targets, SPMS Targets, Kunming-Montreal GBF Targets, Kunming-Montreal Global "
        "Biodiversity Framework Targets, GBF Targets, SPMS 2024-2032 Targets, Samarkand Strategic Plan Targets), "
        "found 'Ramsar Strategic Plan Targets'"))


def test_a_target_beyond_the_scheme_is_an_error_naming_the_scheme_as_printed(reference, tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(TITLE + TABLE.replace("Target 3 and Target 11", "Target 24"), path=tmp_path / "p.txt",
                              reference=reference)
    assert (err.value.line, err.value.message) == (
        5, "expected Kunming-Montreal GBF Targets numbered 1-23, found 'Target 24'")


def test_a_repeated_header_must_name_the_same_schemes(reference, tmp_path: Path) -> None:
    swapped = "Kunming-Montreal GBF Targets\tRamsar Targets\tActivity\n"
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(TITLE + TABLE + swapped, path=tmp_path / "p.txt", reference=reference)
    assert (err.value.line, err.value.message) == (6, (
        "expected the header repeated as 'Ramsar Strategic Plan Targets', 'Kunming-Montreal GBF Targets', "
        "found 'Kunming-Montreal GBF Targets', 'Ramsar Targets'"))


# ------------------------------------------------------------ the next plan: headed by the schemes of today

NEXT_PLAN = ("Joint Work Plan for the CBD and CMS Secretariats for the period 2025-2027\n"
             "Migratory Species Targets\tKunming-Montreal GBF Targets\tActivity\n"
             "Target 10\tTarget 3\t Map the protected areas that migratory species use.\n"
             "\t\t Report on connectivity jointly.\n"
             "Target 7\tTarget 3 and Target 6\t Report on connectivity jointly (same as above).\n")


def test_every_scheme_of_the_reference_data_can_head_a_column() -> None:
    reference = load_reference()
    printed = {"Aichi Targets": "aichi", "Migratory Species Targets": "ms", "Kunming-Montreal GBF Targets": "gbf",
               "SPMS 2024-2032 Targets": "spms-2024"}
    assert {cell: reference.target_scheme(cell, path=Path("p.txt"), line=1).prefix for cell in printed} == printed
    assert {s.prefix for s in reference.schemes.values()} == set(printed.values())


def test_a_gbf_headed_plan_reads_gbf_targets(tmp_path: Path) -> None:
    plan = joint_work_plan.parse(NEXT_PLAN, path=tmp_path / "next-plan.txt", reference=load_reference())
    assert (plan.source_scheme.prefix, plan.aligned_scheme.prefix) == ("ms", "gbf")
    assert [(r.source_targets, r.aligned_targets) for r in plan.rows] == [(("10",), ("3",)), (("7",), ("3", "6"))]


def test_a_plan_headed_by_spms_2024_reads_targets_numbered_by_goal(tmp_path: Path) -> None:
    text = (NEXT_PLAN.replace("Migratory Species Targets", "SPMS 2024-2032 Targets")
            .replace("Target 10\t", "Target 2.2\t").replace("Target 7\t", "Target 1.3\t"))
    plan = joint_work_plan.parse(text, path=tmp_path / "next-plan.txt", reference=load_reference())
    assert [r.source_targets for r in plan.rows] == [("2.2",), ("1.3",)]
    graph = Graph()
    for triple in joint_work_plan.to_triples(plan):
        graph.add(triple)
    activity = iri(Kind.ACTIVITY, "next-plan", "1.2")
    assert {str(t).split("/target/")[1] for t in graph.objects(activity, MEA.supportsTarget)} == {
        "spms-2024/2.2", "gbf/3", "spms-2024/1.3", "gbf/6"}


def test_a_target_the_scheme_does_not_hold_names_its_numbers(tmp_path: Path) -> None:
    text = NEXT_PLAN.replace("Migratory Species Targets", "SPMS 2024-2032 Targets")
    text = text.replace("Target 10\t", "Target 2.9\t")
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(text, path=tmp_path / "p.txt", reference=load_reference())
    assert (err.value.line, err.value.message) == (3, (
        "expected SPMS 2024-2032 Targets numbered 1.1, 1.2, 1.3, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 4.1, 5.1, 5.2, 5.3, "
        "5.4, 6.1, 6.2, 6.3, 6.4, found 'Target 2.9'"))


def test_a_gbf_headed_plan_builds_beside_the_bundled_documents_and_answers_activities_for_target(tmp_path) -> None:
    plan = tmp_path / "cbd-cms-joint-work-plan-2025-2027.txt"
    plan.write_text(NEXT_PLAN, encoding="utf-8")
    env = {**os.environ, "MEAKG_BUILD_DIR": str(tmp_path / "build")}
    build = subprocess.run([sys.executable, "-m", "meakg", "build", "--quiet", "--source", f"joint-work-plan={plan}"],
                           capture_output=True, text=True, env=env)
    assert build.returncode == 0, build.stderr
    query = subprocess.run([sys.executable, "-m", "meakg", "query", "activities-for-target", "-p", "target=gbf:3",
                            "--format", "csv"], capture_output=True, text=True, env=env)
    assert query.returncode == 0, query.stderr
    rows = list(csv.reader(io.StringIO(query.stdout)))
    assert rows[0] == ["target", "activity", "notation", "label", "plan", "locator"]
    assert [(r[1].rsplit("/", 2)[-2], r[2], r[5]) for r in rows[1:]] == [
        ("cbd-cms-joint-work-plan-2025-2027", "1.1", "Table, row 1, activity 1"),
        ("cbd-cms-joint-work-plan-2025-2027", "1.2", "Table, row 1, activity 2"),
        ("cbd-cms-joint-work-plan-2025-2027", "1.2", "Table, row 2, activity 1")]
    aligned = subprocess.run([sys.executable, "-m", "meakg", "query", "target-alignment", "--format", "csv", "-p",
                              "plan=https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2025-2027"],
                             capture_output=True, text=True, env=env)
    assert [(r[0], r[2], r[4]) for r in csv.reader(io.StringIO(aligned.stdout))][1:] == [
        ("7", "3", "1"), ("7", "6", "1"), ("10", "3", "2")]
    count = subprocess.run([sys.executable, "-m", "meakg", "sparql", "--format", "csv",
                            "SELECT (COUNT(*) AS ?n) { ?t a mea:Target ; skos:inScheme "
                            "<https://w3id.org/meakg/id/scheme/kmgbf> }"],
                           capture_output=True, text=True, env=env)
    assert count.stdout.splitlines()[1:] == ["23"]
