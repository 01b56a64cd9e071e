"""A fourth kind of document, added by following CONTRIBUTING.md "Add a kind of document": a list of
the resolutions a COP adopted. Its package (``resolution_list/``) has the same files as every loader
and imports itself as ``meakg.loaders.resolution_list``; it registers by being a sub-package of
``meakg.loaders`` (here: this folder added to the package's search path, as if it were in loaders/),
with no other edit anywhere; the build then loads it like the others."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from meakg import loaders
from meakg.graph.build.assemble import build
from meakg.graph.check.validate import validate
from meakg.loaders import SOURCES_DIR, SourceError
from meakg.loaders.rdf import MEA, Kind, iri
from meakg.loaders.reference import load_reference

HERE = Path(__file__).resolve().parent
REFERENCE = load_reference()
TEXT = ("Resolutions adopted by the CMS Conference of the Parties at its 11th Meeting (COP11)\n"
        "\n"
        "11.2\tStrategic Plan for Migratory Species 2015-2023\n"
        "11.10\tSynergies and Partnerships\n"
        "11.27\tRenewable Energy and Migratory Species\n")
MANIFEST = """\
- file: cbd-cms-joint-work-plan-2016-2018.txt
  loader: joint-work-plan
  title: Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018
  date: "2016"
  publisher: Secretariats of the Convention on Biological Diversity and of the Convention on Migratory Species
- file: cms-cop11-resolutions.txt
  loader: resolution-list
  title: Resolutions adopted at CMS COP11
  date: "2014"
  publisher: UNEP/CMS Secretariat
"""


@pytest.fixture
def kind(monkeypatch):
    """Register the fourth kind as the guide says: its package among meakg.loaders' sub-packages, nothing else."""
    monkeypatch.setattr(loaders, "__path__", [*loaders.__path__, str(HERE)])
    yield loaders.loader("resolution-list")
    for name in [name for name in sys.modules if name.startswith("meakg.loaders.resolution_list")]:
        del sys.modules[name]


def parse(kind, text: str, tmp_path: Path):
    return kind.parse(text, path=tmp_path / "cms-cop11-resolutions.txt", reference=REFERENCE)


def test_the_package_has_the_files_every_kind_has(kind) -> None:
    assert kind.KIND == "resolution-list"
    assert sorted(p.name for p in (HERE / "resolution_list").glob("*.py")) == [
        "__init__.py", "parse.py", "records.py", "triples.py"]


def test_parse_reads_the_instrument_the_meeting_and_each_resolution_with_its_line(kind, tmp_path: Path) -> None:
    document = parse(kind, TEXT, tmp_path)
    assert (document.instrument, document.meeting) == ("cms", 11)
    assert [(r.number, r.key, r.title, r.locator.line) for r in document.resolutions] == [
        ("11.2", "cms-resolution-11.2", "Strategic Plan for Migratory Species 2015-2023", 3),
        ("11.10", "cms-resolution-11.10", "Synergies and Partnerships", 4),
        ("11.27", "cms-resolution-11.27", "Renewable Energy and Migratory Species", 5)]


@pytest.mark.parametrize("broken, line, message", [
    ("", 1, "expected a title 'Resolutions adopted by the X Conference of the Parties at its Nth Meeting', "
            "found an empty file"),
    (TEXT.replace("the CMS Conference", "the XYZ Conference"), 1,
     "expected an instrument of ontology/reference/instruments.yaml, found 'XYZ'"),
    (TEXT.replace("11.10\t", "10.10\t"), 4, "expected a resolution of meeting 11 numbered '11.<n>', found '10.10'"),
    (TEXT.replace("11.27\t", "11.27 "), 5, "expected '<number><TAB><title>', found '11.27 Renewable Energy and "
                                            "Migratory Species'"),
])
def test_parse_errors_name_the_line(kind, tmp_path: Path, broken: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as err:
        parse(kind, broken, tmp_path)
    assert (err.value.line, err.value.message) == (line, message)


def test_triples_make_each_resolution_the_decision_citations_name(kind, tmp_path: Path) -> None:
    graph = Graph()
    for triple in kind.to_triples(parse(kind, TEXT, tmp_path)):
        graph.add(triple)
    node = iri(Kind.DECISION, "cms-resolution-11.10")
    assert graph.value(node, RDF.type) == MEA.Decision
    assert graph.value(node, DCTERMS.title) == Literal("Synergies and Partnerships", lang="en")
    assert graph.value(node, MEA.issuedUnder) == iri(Kind.INSTRUMENT, "CMS")
    locator = graph.value(node, PROV.wasDerivedFrom)
    assert locator == URIRef("https://w3id.org/meakg/id/locator/cms-cop11-resolutions/resolution-11.10")
    assert graph.value(locator, MEA.line).toPython() == 4


def test_the_build_loads_the_new_kind_beside_a_joint_work_plan_and_validates(kind, tmp_path: Path) -> None:
    shutil.copy(SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt", tmp_path)
    (tmp_path / "cms-cop11-resolutions.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(MANIFEST, encoding="utf-8")
    ds = build(tmp_path)
    # the joint work plan's first paragraph cites CMS Resolution 11.10; the list gives it its title
    para = URIRef("https://w3id.org/meakg/id/locator/cbd-cms-joint-work-plan-2016-2018/para-1")
    resolution = iri(Kind.DECISION, "cms-resolution-11.10")
    assert list(ds.quads((para, DCTERMS.references, resolution, None)))
    titles = {(o, g) for _, _, o, g in ds.quads((resolution, DCTERMS.title, None, None))}
    assert titles == {(Literal("Synergies and Partnerships", lang="en"),
                       URIRef("https://w3id.org/meakg/graph/cms-cop11-resolutions"))}
    assert validate(ds).conforms


def test_the_kind_is_registered_by_its_package_alone(kind) -> None:
    assert "resolution-list" in loaders.LOADERS
    assert loaders.LOADERS["resolution-list"] == "meakg.loaders.resolution_list"
    assert isinstance(kind, loaders.Loader)
    assert kind.__name__ == "meakg.loaders.resolution_list"


def test_without_its_package_the_kind_is_unknown() -> None:
    assert "resolution-list" not in loaders.LOADERS
    assert sorted(loaders.LOADERS) == ["capacity-building", "joint-work-plan", "services-analysis"]
