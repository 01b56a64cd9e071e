"""Exports for partners: four formats, byte-identical, round-tripping, described, written atomically."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, VOID, XSD

from meakg.graph.build.current import ensure_built
from meakg.graph.export import rdf as export_module
from meakg.graph.export.describe import DATASET, DESCRIPTION, data_graphs, statistics
from meakg.graph.export.rdf import (
    CONTEXT_FILE,
    GENID,
    Format,
    choose,
    context_document,
    export,
    new_dataset,
    render,
    skolemise,
)
from meakg.loaders import SOURCES_DIR, sources
from meakg.ontology.errors import MeakgError
from meakg.ontology.vocab import ONTOLOGY, ONTOLOGY_IRI, PREFIXES, graph_iri, thing

ROOT = Path(__file__).resolve().parent.parent
MEA = ONTOLOGY
PLAN = URIRef(thing("plan", "cbd-cms-joint-work-plan-2016-2018"))
OX_FORMATS = {Format.TURTLE: pyoxigraph.RdfFormat.TURTLE, Format.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
              Format.TRIG: pyoxigraph.RdfFormat.TRIG, Format.JSONLD: pyoxigraph.RdfFormat.JSON_LD,
              Format.NQUADS: pyoxigraph.RdfFormat.N_QUADS, Format.RDFXML: pyoxigraph.RdfFormat.RDF_XML}
RDFLIB_FORMATS = {Format.TURTLE: "turtle", Format.NTRIPLES: "nt", Format.TRIG: "trig", Format.JSONLD: "json-ld",
                  Format.NQUADS: "nquads", Format.RDFXML: "xml"}
QUAD_FORMATS = (Format.TRIG, Format.NQUADS)  # keep the named graphs


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """A copy of the stored build, so that every test of this module sees the same data even while the
    working tree changes (a rebuild between two tests would otherwise look like non-determinism)."""
    copy = tmp_path_factory.mktemp("build") / "meakg.nq"
    copy.write_bytes(ensure_built().read_bytes())
    return copy


@pytest.fixture(scope="module")
def stored(store_file) -> Dataset:
    ds = new_dataset()
    ds.parse(store_file, format="nquads")
    return skolemise(ds)


@pytest.fixture(scope="module")
def exported(stored) -> Dataset:
    return choose(stored, "all")


@pytest.fixture(scope="module")
def texts(exported) -> dict[Format, str]:
    return {fmt: render(exported, fmt) for fmt in Format}


def union(ds: Dataset) -> Graph:
    g = Graph()
    for named in ds.graphs():
        for triple in named:
            g.add(triple)
    return g


def named(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def jwp_alignment_pairs() -> int:
    """Count the (MS target, Aichi target) pairs printed in the joint work plan's table rows."""
    pairs = 0
    for line in (SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and re.fullmatch(r"Target \d+", cells[0].strip()):
            pairs += len(re.findall(r"Target \d+", cells[1]))
    return pairs


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_export_is_byte_identical_under_different_hash_seeds(fmt, texts, store_file):
    code = ("import sys; from meakg.graph.export.rdf import *; ds = new_dataset(); "
            "ds.parse(sys.argv[2], format='nquads'); "
            "sys.stdout.write(render(choose(skolemise(ds), 'all'), sys.argv[1]))")
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code, fmt.value, str(store_file)], cwd=ROOT, env=env,
                              capture_output=True, text=True, encoding="utf-8", check=True)
        runs.append(done.stdout)
    assert runs[0] == runs[1] == texts[fmt]


def test_turtle_uses_only_the_fixed_prefixes(texts):
    declared = dict(re.findall(r"^@prefix (\w+): <([^>]+)> \.$", texts[Format.TURTLE], flags=re.M))
    assert declared and all(PREFIXES[prefix] == ns for prefix, ns in declared.items())
    assert {"mea", "aichi", "ms", "void", "dcat", "dcterms"} <= set(declared)


def test_exports_contain_no_blank_nodes(texts):
    assert "_:" not in texts[Format.NTRIPLES]


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", [Format.TURTLE, Format.NTRIPLES, Format.JSONLD, Format.RDFXML], ids=lambda f: f.value)
def test_triple_formats_round_trip_isomorphic_with_rdflib(fmt, exported, texts):
    back = Graph().parse(data=texts[fmt], format=RDFLIB_FORMATS[fmt])
    assert len(back) == len(union(exported))
    assert isomorphic(back, union(exported))


@pytest.mark.parametrize("fmt", QUAD_FORMATS, ids=lambda f: f.value)
def test_quad_formats_round_trip_graph_by_graph_with_rdflib(fmt, exported, texts):
    back = Dataset().parse(data=texts[fmt], format=RDFLIB_FORMATS[fmt])
    got, want = named(back), named(exported)
    assert sorted(got) == sorted(want)
    for name, graph in want.items():
        assert isomorphic(got[name], graph), name


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_pyoxigraph_parses_every_format_to_the_same_quads(fmt, exported, texts):
    quads = list(pyoxigraph.parse(texts[fmt].encode("utf-8"), format=OX_FORMATS[fmt]))
    back = Dataset().parse(data=pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS), format="nquads")
    if fmt in QUAD_FORMATS:
        got, want = named(back), named(exported)
        assert sorted(got) == sorted(want)
        assert all(isomorphic(got[name], graph) for name, graph in want.items())
    else:
        assert {q.graph_name for q in quads} == {pyoxigraph.DefaultGraph()}
        assert isomorphic(union(back), union(exported))


def test_trig_keeps_one_named_graph_per_source_plus_reference_provenance_ontology_inferred_description(texts):
    back = Dataset().parse(data=texts[Format.TRIG], format="trig")
    expected = {graph_iri(s.key) for s in sources()} | {
        graph_iri(n) for n in ("reference", "provenance", "ontology", "inferred", "description")}
    assert set(named(back)) == expected


def test_exported_graphs_equal_the_stored_build(stored, exported):
    for name, graph in named(stored).items():
        assert set(named(exported)[name]) == set(graph), name


# ------------------------------------------------------------------ content and description


def test_export_has_the_19_target_alignments_the_plan_prints(texts):
    assert jwp_alignment_pairs() == 19
    g = Graph().parse(data=texts[Format.TURTLE], format="turtle")
    alignments = set(g.subjects(URIRef(MEA + "inPlan"), PLAN)) \
        & set(g.subjects(RDF.type, URIRef(MEA + "TargetAlignment")))
    assert len(alignments) == 19


def test_description_counts_are_those_of_the_data_graphs(stored):
    description = choose(stored, "all").graph(DESCRIPTION)
    triples = {t for g in data_graphs(stored) for t in g}
    assert description.value(DATASET, VOID.triples) == Literal(len(triples))
    assert description.value(DATASET, VOID.distinctSubjects) == Literal(len({s for s, _, _ in triples}))
    entities = {s for s, _, _ in triples if str(s).startswith("https://w3id.org/meakg/id/")}
    assert description.value(DATASET, VOID.entities) == Literal(len(entities))
    assert description.value(DATASET, VOID.uriSpace) == Literal("https://w3id.org/meakg/id/")
    for g in data_graphs(stored):
        assert description.value(g.identifier, VOID.triples) == Literal(len(g))


def test_description_partitions_count_target_alignments_and_titles(stored):
    description = choose(stored, "all").graph(DESCRIPTION)
    by_class = {description.value(p, VOID["class"]): description.value(p, VOID.entities)
                for p in description.objects(DATASET, VOID.classPartition)}
    assert by_class[URIRef(MEA + "TargetAlignment")] == Literal(19)
    by_property = {description.value(p, VOID.property): description.value(p, VOID.triples)
                   for p in description.objects(DATASET, VOID.propertyPartition)}
    titles = {t for g in data_graphs(stored) for t in g.triples((None, DCTERMS.title, None))}
    assert by_property[DCTERMS.title] == Literal(len(titles))
    assert sum(int(v) for v in by_property.values()) == statistics(stored).triples


def test_description_is_dcat_with_version_license_sources_and_document_dates(stored):
    description = choose(stored, "all").graph(DESCRIPTION)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert (DATASET, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in description
    assert description.value(DATASET, URIRef("http://www.w3.org/ns/dcat#version")) == Literal(version)
    assert description.value(DATASET, DCTERMS.conformsTo) == URIRef(ONTOLOGY_IRI)
    assert description.value(DATASET, DCTERMS.license) is not None
    docs = {URIRef(thing("document", s.key)): s for s in sources()}
    assert set(description.objects(DATASET, DCTERMS.source)) == set(docs)
    for doc, source in docs.items():
        assert str(description.value(doc, DCTERMS.identifier)) == (source.symbol or source.key)
        assert str(description.value(doc, DCTERMS.title)) == source.title
    latest = Literal(max(s.date for s in sources()), datatype=XSD.gYear)
    assert description.value(DATASET, DCTERMS.issued) == latest
    assert description.value(DATASET, DCTERMS.created) == latest
    assert description.value(DATASET, VOID.sparqlEndpoint) is None


def test_description_names_the_endpoint_when_given_one(stored):
    description = choose(stored, "all", endpoint="http://127.0.0.1:7878/query").graph(DESCRIPTION)
    assert description.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")


@pytest.mark.parametrize("graphs", ["asserted", "inferred", "ontology", "all"])
@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_every_export_includes_the_description(fmt, graphs, stored):
    text = render(choose(stored, graphs), fmt)
    if fmt in QUAD_FORMATS:
        back = Dataset().parse(data=text, format=RDFLIB_FORMATS[fmt])
        assert (DATASET, RDF.type, VOID.Dataset) in back.graph(DESCRIPTION)
    else:
        assert (DATASET, RDF.type, VOID.Dataset) in Graph().parse(data=text, format=RDFLIB_FORMATS[fmt])


def test_graph_selection_keeps_only_the_chosen_graphs(stored):
    def names(graphs):
        return set(named(choose(stored, graphs))) - {str(DESCRIPTION)}

    assert names("ontology") == {graph_iri("ontology")}
    assert names("inferred") == {graph_iri("inferred")}
    assert names("asserted") == ({graph_iri(s.key) for s in sources()}
                                 | {graph_iri("reference"), graph_iri("provenance")})
    assert names("asserted+ontology") == names("asserted") | names("ontology")
    assert names("all") == names("asserted") | names("ontology") | names("inferred")


def test_unknown_graph_selection_is_an_error(stored):
    with pytest.raises(MeakgError) as err:
        choose(stored, "asserted+everything")
    assert str(err.value) == ("unknown graph selection 'everything' (expected one of: asserted, inferred, ontology,"
                              " all, or a '+'-joined combination)")


# ------------------------------------------------------------------ JSON-LD context


def test_jsonld_embeds_the_published_context_and_uses_short_keys(texts):
    data = json.loads(texts[Format.JSONLD])
    assert data["@context"] == json.loads(CONTEXT_FILE.read_text())["@context"]
    alignment = next(n for n in data["@graph"] if n.get("@type") == "TargetAlignment")
    assert {"sourceTarget", "alignedTarget", "inPlan", "wasDerivedFrom"} <= set(alignment)
    assert alignment["sourceTarget"].startswith("ms:")


def test_published_context_is_generated_from_the_ontology(stored):
    """If this fails after an ontology change, run: python -m graph.export --write-context"""
    ontology = stored.graph(URIRef(graph_iri("ontology")))
    assert json.loads(CONTEXT_FILE.read_text()) == context_document(ontology)


def test_context_maps_prefixes_and_every_ontology_term(stored):
    context = json.loads(CONTEXT_FILE.read_text())["@context"]
    assert all(context[prefix] == ns for prefix, ns in PREFIXES.items())
    assert context["TargetAlignment"] == "mea:TargetAlignment"
    assert context["sourceTarget"] == {"@id": "mea:sourceTarget", "@type": "@id"}
    ontology = stored.graph(URIRef(graph_iri("ontology")))
    terms = {str(s) for s in ontology.subjects() if str(s).startswith(MEA)}
    assert {MEA + local for local in context if (context[local] if isinstance(context[local], str)
            else context[local]["@id"]).startswith("mea:")} == terms


# ------------------------------------------------------------------ writing


def test_export_writes_the_file_it_returns(tmp_path):
    out = tmp_path / "meakg.ttl"
    text = export(Format.TURTLE, out=out)
    assert out.read_text(encoding="utf-8") == text
    assert out.stat().st_mode & 0o044  # readable by others, unlike mkstemp's 0600


def test_failing_serialiser_leaves_no_file_and_an_existing_file_untouched(tmp_path, monkeypatch):
    def broken(ds):
        raise RuntimeError("serialiser failed midway")

    monkeypatch.setattr(export_module, "_trig", broken)
    fresh, existing = tmp_path / "fresh.trig", tmp_path / "existing.trig"
    existing.write_text("previous export\n")
    for out in (fresh, existing):
        with pytest.raises(RuntimeError):
            export(Format.TRIG, out=out)
    assert not fresh.exists()
    assert existing.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.trig"]


def test_write_interrupted_midway_leaves_no_partial_file(tmp_path, monkeypatch):
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    existing = tmp_path / "meakg.nt"
    existing.write_text("previous export\n")
    with pytest.raises(OSError):
        export(Format.NTRIPLES, out=existing)
    monkeypatch.undo()
    assert existing.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meakg.nt"]


# ------------------------------------------------------------------ blank nodes


def test_skolemise_gives_the_same_iris_whatever_the_blank_node_labels():
    def dataset(a, b):
        ds = Dataset()
        g = ds.graph(URIRef(graph_iri("test")))
        g.add((URIRef("https://w3id.org/meakg/id/x"), URIRef(MEA + "budget"), BNode(a)))
        g.add((BNode(a), URIRef(MEA + "min"), Literal(1)))
        g.add((BNode(a), URIRef(MEA + "next"), BNode(b)))
        g.add((BNode(b), URIRef(MEA + "max"), Literal(2)))
        return ds

    first, second = skolemise(dataset("a1", "b1")), skolemise(dataset("zz", "yy"))
    assert set(first.quads()) == set(second.quads())
    assert render(first, Format.NTRIPLES) == render(second, Format.NTRIPLES)
    assert GENID in render(first, Format.NTRIPLES)


def test_skolemise_refuses_blank_nodes_it_cannot_tell_apart():
    ds = Dataset()
    g = ds.graph(URIRef(graph_iri("test")))
    for label in ("a", "b"):
        g.add((URIRef("https://w3id.org/meakg/id/x"), URIRef(MEA + "part"), BNode(label)))
    with pytest.raises(MeakgError, match="blank nodes include some with identical surroundings"):
        skolemise(ds)


def test_render_refuses_blank_nodes():
    ds = Dataset()
    ds.graph(URIRef(graph_iri("test"))).add((BNode("a"), RDF.type, URIRef(MEA + "Thing")))
    with pytest.raises(MeakgError, match="cannot export a blank node in graph <https://w3id.org/meakg/graph/test>"):
        render(ds, Format.TURTLE)


# ------------------------------------------------------------------ command line


def run_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "meakg", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", **kwargs)


def test_cli_export_prints_turtle_to_stdout():
    done = run_cli("export")
    assert done.returncode == 0, done.stderr
    assert done.stdout == export(Format.TURTLE)


def test_cli_export_writes_trig_to_a_file(tmp_path):
    out = tmp_path / "meakg.trig"
    done = run_cli("export", "--format", "trig", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert out.read_text(encoding="utf-8") == export(Format.TRIG)


def test_cli_export_unknown_graphs_exits_2_without_traceback():
    done = run_cli("export", "--graphs", "everything")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: unknown graph selection 'everything'")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_literals_keep_their_lexical_form(fmt):
    ds = Dataset()
    g = ds.graph(URIRef(graph_iri("test")))
    node = URIRef("https://w3id.org/meakg/id/cost-figure/x")
    literals = [Literal("332040", datatype=XSD.decimal), Literal("0.5", datatype=XSD.decimal),
                Literal("12", datatype=XSD.integer), Literal("1", datatype=XSD.boolean),
                Literal("2016", datatype=XSD.gYear)]
    for number, literal in enumerate(literals):
        g.add((node, URIRef(f"{MEA}value{number}"), literal))
    text = render(ds, fmt)
    back = Dataset().parse(data=text, format=RDFLIB_FORMATS[fmt])
    assert set(union(back).objects(node, None)) == set(literals)
    quads = pyoxigraph.parse(text.encode("utf-8"), format=OX_FORMATS[fmt])
    assert sorted(q.object.value for q in quads) == sorted(str(lit) for lit in literals)


def test_readme_for_partners_documents_formats_endpoint_and_publishing():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For partners"):]
    section = section[: section.index("\n## ", 1)] if "\n## " in section[1:] else section
    for text in ("meakg export", *(f"--format {f.value}" for f in Format if f is not Format.TURTLE), "--graphs",
                 "meakg serve", "/query", "meakg publish", "--dry-run", "MEAKG_PUBLISH_TOKEN", "MEAKG_PUBLISH_USER",
                 "MEAKG_PUBLISH_PASSWORD", "https://w3id.org/meakg/context.jsonld", "https://w3id.org/meakg/graph/description"):
        assert text in section, text


# ------------------------------------------------------------------ formats chosen by name or by extension


@pytest.mark.parametrize("name, fmt", [("ttl", "turtle"), ("nt", "ntriples"), ("nq", "nquads"), ("trig", "trig"),
                                       ("jsonld", "jsonld"), ("json-ld", "jsonld"), ("xml", "rdfxml"),
                                       ("rdfxml", "rdfxml")])
def test_usual_format_names_are_accepted(name, fmt):
    assert export_module.format_for(name) == fmt


@pytest.mark.parametrize("suffix, fmt", [(".ttl", "turtle"), (".nt", "ntriples"), (".nq", "nquads"), (".trig", "trig"),
                                         (".jsonld", "jsonld"), (".rdf", "rdfxml"), (".xml", "rdfxml")])
def test_cli_export_takes_the_format_from_the_extension_and_round_trips(suffix, fmt, tmp_path):
    out = tmp_path / f"meakg{suffix}"
    done = run_cli("export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text == export(fmt)
    quads = list(pyoxigraph.parse(text.encode("utf-8"), format=OX_FORMATS[Format(fmt)]))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(union(Dataset().parse(
        data=text, format=RDFLIB_FORMATS[Format(fmt)])))


def test_cli_export_refuses_a_format_that_contradicts_the_extension(tmp_path):
    done = run_cli("export", "--format", "turtle", "--out", str(tmp_path / "x.nt"))
    assert done.returncode == 2
    assert done.stderr == ("Error: --format turtle does not match x.nt (its extension means ntriples);"
                           " give one, or make them agree\n")
    assert not (tmp_path / "x.nt").exists()


def test_cli_export_refuses_an_extension_it_cannot_read_without_format(tmp_path):
    done = run_cli("export", "--out", str(tmp_path / "x.dat"))
    assert done.returncode == 2
    assert done.stderr.startswith("Error: cannot tell the format of x.dat from its extension")


def test_turtle_lists_targets_in_numeric_order(texts):
    turtle = texts[Format.TURTLE]
    starts = [turtle.index(f"\naichi:{n} a ") for n in range(1, 21)]
    assert starts == sorted(starts)
    assert turtle.index("\nms:9 a ") < turtle.index("\nms:10 a ")
