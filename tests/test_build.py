"""The build: named graphs per source, byte-identical output, a summary, clear errors."""

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from meakg.graph.build import store
from meakg.graph.build.assemble import build, summarize
from meakg.graph.cli.main import cli
from meakg.graph.export.rdf import serialize
from meakg.loaders import SOURCES_DIR, sources
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import graph_iri


@pytest.fixture(scope="module")
def dataset():
    return build()


def test_build_has_one_named_graph_per_source_plus_reference_ontology_inferred(dataset):
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    expected = {graph_iri(s.key) for s in sources()} | {graph_iri(n) for n in ("reference", "ontology", "inferred")}
    assert expected <= names


def test_build_describes_each_source_document(dataset):
    doc = URIRef("https://w3id.org/meakg/id/document/unep-cms-cop11-doc-16-2-common-services")
    g = dataset.graph(URIRef(graph_iri("unep-cms-cop11-doc-16-2-common-services")))
    assert str(g.value(doc, URIRef("http://purl.org/dc/terms/identifier"))) == "UNEP/CMS/COP11/Doc.16.2"


def test_same_inputs_give_byte_identical_turtle(dataset):
    again = build()
    assert serialize(dataset, fmt="turtle", graphs="asserted+ontology") == serialize(again, fmt="turtle",
                                                                                     graphs="asserted+ontology")


def test_summary_counts_triples_per_graph_and_nodes_per_class(dataset):
    summary = summarize(dataset)
    assert summary.classes["mea:JointActivity"] == 26
    assert summary.classes["mea:AichiTarget"] == 20
    assert summary.classes["mea:MigratorySpeciesTarget"] == 16
    assert summary.triples["cbd-cms-joint-work-plan-2016-2018"] > 0


def _copy_sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in SOURCES_DIR.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_changed_document_changes_the_graph(tmp_path: Path):
    folder = _copy_sources(tmp_path)
    plan = folder / "cbd-cms-joint-work-plan-2016-2018.txt"
    plan.write_text(plan.read_text().replace("Target 12\tTarget 13\t", "Target 12\tTarget 16\t"))
    ds = build(folder, reason=False)
    g = ds.graph(URIRef(graph_iri("cbd-cms-joint-work-plan-2016-2018")))
    aligned = URIRef("https://w3id.org/meakg/id/alignment/cbd-cms-joint-work-plan-2016-2018/ms-12/aichi-16")
    assert (aligned, None, None) in g
    assert (URIRef(str(aligned).replace("aichi-16", "aichi-13")), None, None) not in g


def test_malformed_document_fails_naming_file_and_line(tmp_path: Path):
    folder = _copy_sources(tmp_path)
    plan = folder / "cbd-cms-joint-work-plan-2016-2018.txt"
    plan.write_text(plan.read_text().replace("Target 4\tTarget 3\t", "Target 4\t"))
    with pytest.raises(SourceError) as err:
        build(folder, reason=False)
    assert err.value.path == plan and err.value.line == 14


def test_cli_build_writes_turtle_and_prints_summary(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(tmp_path / "build"))  # not the project's build: it is a folder's
    out = tmp_path / "graph.ttl"
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--sources", str(_copy_sources(tmp_path))])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("@prefix")
    assert "Triples per graph:" in result.output and "mea:JointActivity" in result.output


def test_cli_build_error_is_one_line_and_exits_2(tmp_path: Path):
    folder = _copy_sources(tmp_path)
    plan = folder / "cbd-cms-joint-work-plan-2016-2018.txt"
    plan.write_text(plan.read_text().replace("Target 4\tTarget 3\t", "Target 4\tTarget 33\t"))
    run = subprocess.run([sys.executable, "-m", "meakg", "build", "--out", str(tmp_path / "x.ttl"),
                          "--sources", str(folder)], capture_output=True, text=True,
                         env={**os.environ, "MEAKG_BUILD_DIR": str(tmp_path / "build")})
    assert run.returncode == 2
    assert run.stderr == f"Error: {plan}:14: expected Aichi Targets numbered 1-20, found 'Target 33'\n"
    assert not (tmp_path / "x.ttl").exists()


def test_changed_paragraph_changes_the_typology(tmp_path: Path):
    folder = _copy_sources(tmp_path)
    doc = folder / "unep-cms-cop11-doc-16-2-common-services.txt"
    text = doc.read_text()
    para_47 = "include CMS, AEWA, EUROBATS, ASCOBANS, and Gorilla Agreement."
    assert text.count(para_47) == 1
    doc.write_text(text.replace(para_47, "include CMS, AEWA, ASCOBANS, and Gorilla Agreement."))
    g = build(folder, reason=False).graph(URIRef(graph_iri("unep-cms-cop11-doc-16-2-common-services")))
    category = URIRef("https://w3id.org/meakg/ontology#typologyCategory")
    members = {str(s).rsplit("/", 1)[1] for s, o in g.subject_objects(category)
               if str(o).endswith("administered-by-unep")}
    assert members == {"cms", "aewa", "ascobans", "gorilla-agreement"}


# ---------------------------------------------------------------- where each document came from
def _meakg(directory: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "meakg", *args], capture_output=True, text=True,
                          env={**os.environ, "MEAKG_BUILD_DIR": str(directory)}, timeout=600)


def test_the_site_shows_a_document_added_from_anywhere_from_the_text_the_build_read(tmp_path: Path):
    elsewhere = tmp_path / "elsewhere" / "next-plan-2019.txt"
    elsewhere.parent.mkdir()
    text = (SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt").read_text(encoding="utf-8")
    elsewhere.write_text(text.replace("2016-2018", "2019-2020").replace("Support each other's", "Back each other's"),
                         encoding="utf-8")
    assert _meakg(tmp_path / "build", "build", "--quiet", "--source", f"joint-work-plan={elsewhere}").returncode == 0
    manifest = store.read_manifest(tmp_path / "build")
    origins = {d["key"]: d["origin"] for d in manifest.documents}
    assert origins["next-plan-2019"] == str(elsewhere)
    kept = tmp_path / "build" / manifest.generation / "documents" / "next-plan-2019.txt"
    assert kept.read_text(encoding="utf-8").startswith("Joint Work Plan for the CBD and CMS Secretariats for the "
                                                       "period 2019-2020\n")
    run = _meakg(tmp_path / "build", "site", "--out", str(tmp_path / "site"))
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "sources" / "next-plan-2019.html").read_text(encoding="utf-8")
    assert "Back each other&#39;s awareness campaigns" in page and "Support each other" not in page


def test_a_document_named_like_a_bundled_one_shows_its_own_text(tmp_path: Path):
    folder = _copy_sources(tmp_path)
    plan = folder / "cbd-cms-joint-work-plan-2016-2018.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Support each other's", "Back each other's"),
                    encoding="utf-8")
    assert _meakg(tmp_path / "build", "build", "--quiet", "--sources", str(folder)).returncode == 0
    assert _meakg(tmp_path / "build", "site", "--out", str(tmp_path / "site")).returncode == 0
    page = (tmp_path / "site" / "sources" / "cbd-cms-joint-work-plan-2016-2018.html").read_text(encoding="utf-8")
    assert "Back each other&#39;s awareness campaigns" in page and "Support each other" not in page


def test_the_graph_names_a_document_by_the_digest_of_its_text_never_a_path(dataset):
    node = URIRef("https://w3id.org/meakg/id/document/cbd-cms-joint-work-plan-2016-2018")
    text = (SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt").read_text(encoding="utf-8")
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).decode().rstrip("=")
    assert [o for _, _, o, _ in dataset.quads((node, DCTERMS.source, None, None))] == [URIRef(f"ni:///sha-256;{digest}")]
    sources = [o for _, _, o, _ in dataset.quads((None, DCTERMS.source, None, None))]
    assert not [o for o in sources if "/loaders/" in str(o) or str(o).startswith("/")]


def test_a_url_in_sources_yaml_is_the_documents_source_as_an_iri(tmp_path: Path):
    folder = _copy_sources(tmp_path)
    manifest = (folder / "sources.yaml").read_text(encoding="utf-8")
    (folder / "sources.yaml").write_text(manifest.replace(
        "  symbol: UNEP/CMS/COP11/Doc.16.2\n", "  symbol: UNEP/CMS/COP11/Doc.16.2\n  url: https://example.org/doc-16-2.pdf\n"),
        encoding="utf-8")
    ds = build(folder, reason=False)
    node = URIRef("https://w3id.org/meakg/id/document/unep-cms-cop11-doc-16-2-common-services")
    sources = {o for _, _, o, _ in ds.quads((node, DCTERMS.source, None, None))}
    assert URIRef("https://example.org/doc-16-2.pdf") in sources


# ---------------------------------------------------------------- incremental builds
def _build_lines(folder: Path, directory: Path, capsys) -> tuple[bytes, list[str]]:
    from meakg.graph import progress
    from meakg.graph.build.current import make
    from meakg.graph.build.sources import Sources

    progress.set_quiet(False)
    capsys.readouterr()
    manifest = make(Sources(str(folder)), directory)
    notes = capsys.readouterr().err.splitlines()
    return (directory / manifest.nquads).read_bytes(), notes


def test_a_build_reads_only_new_or_changed_documents_and_equals_a_full_rebuild_byte_for_byte(tmp_path, capsys):
    import yaml

    from meakg.loaders import sources as listed

    folder = _copy_sources(tmp_path)
    entries = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    (folder / "sources.yaml").write_text(yaml.safe_dump(entries[:2], sort_keys=False), encoding="utf-8")
    _build_lines(folder, tmp_path / "build", capsys)

    (folder / "sources.yaml").write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")  # a new one
    added, notes = _build_lines(folder, tmp_path / "build", capsys)
    assert [n.split(":")[1] for n in notes if n.startswith("meakg: Reading")] == [
        " Reading cms-capacity-building-work-plan-2012-2014.txt (capacity-building)"]
    assert "meakg: Reused 2 unchanged documents" in notes
    assert added == _build_lines(folder, tmp_path / "full-1", capsys)[0]

    plan = folder / "cbd-cms-joint-work-plan-2016-2018.txt"  # a changed one
    plan.write_text(plan.read_text(encoding="utf-8").replace("Target 12\tTarget 13\t", "Target 12\tTarget 16\t"),
                    encoding="utf-8")
    changed, notes = _build_lines(folder, tmp_path / "build", capsys)
    assert [n.split(":")[1] for n in notes if n.startswith("meakg: Reading")] == [
        " Reading cbd-cms-joint-work-plan-2016-2018.txt (joint-work-plan)"]
    full, _ = _build_lines(folder, tmp_path / "full-2", capsys)
    assert changed == full and changed != added
    assert b"/ms-12/aichi-16>" in changed and b"/ms-12/aichi-13>" not in changed
    assert len(listed(folder)) == 3
    # the store was copied from the previous one and changed; it holds what a store loaded whole holds
    assert _store_quads(tmp_path / "build") == _store_quads(tmp_path / "full-2")


def _store_quads(directory: Path) -> list[bytes]:
    import pyoxigraph

    found = pyoxigraph.Store.read_only(str(directory / store.read_manifest(directory).store))
    lines = sorted(found.dump(format=pyoxigraph.RdfFormat.N_QUADS).splitlines())
    assert len(lines) > 20000 and any(b"<https://w3id.org/meakg/graph/" not in line for line in lines)
    return lines


def test_documents_read_in_two_processes_give_the_same_lines_as_read_in_turn():
    from meakg.graph import progress
    from meakg.graph.build.assemble import assemble
    from meakg.graph.build.sources import documents, read

    progress.set_quiet(True)
    docs = read(documents())
    alone, shared = assemble(docs, jobs=1).lines, assemble(docs, jobs=2).lines
    assert alone == shared and len(alone) > 13000
