"""Joint work plans between any two target schemes: the header names the schemes (looked up in the
reference data), the title names the parties. Built here from a few lines of text and a small reference."""

from __future__ import annotations

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
    instruments["organisations"].append({"acronym": "Ramsar Secretariat", "name": "Secretariat of the Ramsar Convention",
                                         "kind": "secretariat", "secretariat_of": "Ramsar"})
    (folder / "instruments.yaml").write_text(yaml.safe_dump(instruments), encoding="utf-8")
    (folder / "targets.yaml").write_text(yaml.safe_dump(SCHEMES), encoding="utf-8")
    return load_reference(folder)


def test_a_plan_between_two_other_schemes_reads_them_from_the_header(reference, tmp_path: Path) -> None:
    plan = joint_work_plan.parse(TITLE + TABLE, path=tmp_path / "ramsar-cms.txt", reference=reference)
    assert (plan.source_scheme.prefix, plan.aligned_scheme.prefix) == ("ramsar", "gbf")
    assert plan.party_agents == ("ramsar-secretariat", "cms-secretariat")
    assert [(r.source_targets, r.aligned_targets) for r in plan.rows] == [((2,), (3,)), ((8,), (3, 11))]
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
        joint_work_plan.parse(TITLE.replace("Ramsar", "CBD") + TABLE, path=tmp_path / "p.txt", reference=load_reference())
    assert (err.value.line, err.value.message) == (2, (
        "expected a header cell naming a target scheme of ontology/reference/targets.yaml (Aichi Targets, "
        "Aichi Biodiversity Targets, Migratory Species Targets, SPMS Targets), found 'Ramsar Strategic Plan Targets'"))


def test_a_target_beyond_the_scheme_is_an_error_naming_the_scheme_as_printed(reference, tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(TITLE + TABLE.replace("Target 3 and Target 11", "Target 24"), path=tmp_path / "p.txt",
                              reference=reference)
    assert (err.value.line, err.value.message) == (5, "expected Kunming-Montreal GBF Targets numbered 1-23, found 'Target 24'")


def test_a_repeated_header_must_name_the_same_schemes(reference, tmp_path: Path) -> None:
    swapped = "Kunming-Montreal GBF Targets\tRamsar Targets\tActivity\n"
    with pytest.raises(SourceError) as err:
        joint_work_plan.parse(TITLE + TABLE + swapped, path=tmp_path / "p.txt", reference=reference)
    assert (err.value.line, err.value.message) == (6, (
        "expected the header repeated as 'Ramsar Strategic Plan Targets', 'Kunming-Montreal GBF Targets', "
        "found 'Kunming-Montreal GBF Targets', 'Ramsar Targets'"))
