"""The query catalogue: header parsing, parameter binding, errors, rendering and the CLI commands."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from meakg.graph.build.current import open_store
from meakg.graph.cli.main import main
from meakg.ontology.errors import QueryError
from meakg.queries import catalogue, header
from meakg.queries.catalogue import Result
from meakg.queries.header import Param, ParamType, QueryFileError
from meakg.queries.render import catalogue as render_catalogue
from meakg.queries.render import markdown, render, table, to_csv, to_json, turtle

ROOT = Path(__file__).resolve().parent.parent
PLAN = "https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2016-2018"

HEADER = """\
#+ title: Aichi targets by number
#+ description: Every Aichi Target with its number.
#+ params:
#+   n: {type: literal, default: null, doc: "a target number as printed, e.g. '12'"}
#+ columns: [n, target]
#+ tags: [targets]
"""
BODY = """\
PREFIX mea: <https://w3id.org/meakg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n ?target WHERE { ?target a mea:AichiTarget ; skos:notation ?n . }
ORDER BY ?n
"""


@pytest.fixture(scope="module")
def store():
    return open_store()


def write(tmp_path: Path, text: str, name: str = "aichi-by-number") -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text)
    return path


# ------------------------------------------------------------------------------------------------ headers

def test_parse_reads_title_description_params_columns_and_tags(tmp_path):
    query = catalogue.load_file(write(tmp_path, HEADER + BODY))
    assert query.name == "aichi-by-number"
    assert query.title == "Aichi targets by number"
    assert query.description == "Every Aichi Target with its number."
    assert query.params == (Param("n", ParamType.LITERAL, "a target number as printed, e.g. '12'", None, False),)
    assert query.columns == ("n", "target")
    assert query.tags == ("targets",)
    assert query.iri == "https://w3id.org/meakg/query/aichi-by-number"
    assert query.sparql == BODY


def test_parse_rejects_unknown_header_key_naming_file_and_line(tmp_path):
    path = write(tmp_path, HEADER.replace("#+ tags:", "#+ titel: x\n#+ tags:") + BODY)
    with pytest.raises(QueryFileError) as err:
        catalogue.load_file(path)
    assert err.value.line == 6
    assert err.value.message == ("unknown header key 'titel' "
                                 "(expected one of: title, description, params, columns, tags)")
    assert str(err.value).endswith(f"{path.name}:6: {err.value.message}")


def test_parse_rejects_unknown_parameter_key(tmp_path):
    path = write(tmp_path, HEADER.replace("doc:", "dflt: 1, doc:") + BODY)
    with pytest.raises(QueryFileError) as err:
        catalogue.load_file(path)
    assert err.value.line == 4
    assert err.value.message == "unknown key 'dflt' of parameter 'n' (expected one of: type, default, doc)"


def test_parse_rejects_columns_that_differ_from_the_select_list(tmp_path):
    path = write(tmp_path, HEADER.replace("[n, target]", "[target, n]") + BODY)
    with pytest.raises(QueryFileError) as err:
        catalogue.load_file(path)
    assert err.value.line == 5
    assert err.value.message == "columns ['target', 'n'] differ from the SELECT list ['n', 'target']"


def test_parse_rejects_query_without_order_by(tmp_path):
    with pytest.raises(QueryFileError, match="expected ORDER BY"):
        catalogue.load_file(write(tmp_path, HEADER + BODY.replace("ORDER BY ?n\n", "")))


def test_order_by_in_a_comment_does_not_count(tmp_path):
    with pytest.raises(QueryFileError, match="expected ORDER BY"):
        catalogue.load_file(write(tmp_path, HEADER + BODY.replace("ORDER BY ?n", "# ORDER BY ?n")))


def test_order_by_after_an_iri_with_a_hash_counts(tmp_path):
    body = BODY.replace("ORDER BY ?n", "ORDER BY ?n # <https://w3id.org/meakg/ontology#x>")
    body = body.replace("?target a mea:AichiTarget ;", "?target a <https://w3id.org/meakg/ontology#AichiTarget> ;")
    assert catalogue.load_file(write(tmp_path, HEADER + body)).columns == ("n", "target")


def test_parse_rejects_parameter_that_is_not_a_column(tmp_path):
    text = HEADER.replace("  n: {type: literal", "  x: {type: literal") + BODY
    with pytest.raises(QueryFileError, match="parameter 'x' must be a column of the SELECT list"):
        catalogue.load_file(write(tmp_path, text))


def test_parse_rejects_unknown_parameter_type(tmp_path):
    with pytest.raises(QueryFileError) as err:
        catalogue.load_file(write(tmp_path, HEADER.replace("type: literal", "type: string") + BODY))
    assert err.value.message == "expected the type of parameter 'n' to be one of: iri, literal, integer; found 'string'"


def test_parse_rejects_missing_title(tmp_path):
    with pytest.raises(QueryFileError, match="missing header key 'title'"):
        catalogue.load_file(write(tmp_path, HEADER.replace("#+ title: Aichi targets by number\n", "") + BODY))


def test_parse_reports_yaml_error_line(tmp_path):
    with pytest.raises(QueryFileError) as err:
        catalogue.load_file(write(tmp_path, HEADER.replace("#+ columns: [n, target]", "#+ columns: [n, target") + BODY))
    assert err.value.line in (5, 6)


def test_parse_reports_sparql_syntax_error_with_file_line(tmp_path):
    path = write(tmp_path, HEADER + BODY.replace("skos:notation ?n .", "skos:notation ?n . ?target ?"))
    with pytest.raises(QueryError) as err:
        catalogue.load_file(path)
    assert f"{path.name}:9: SPARQL syntax error" in str(err.value)


def test_file_without_header_is_an_ad_hoc_query(tmp_path, store):
    query = catalogue.load_file(write(tmp_path, BODY, name="anything"))
    assert query.params == () and query.columns == ("n", "target")
    assert len(catalogue.run(query, store=store).rows) == 20


def test_unknown_query_suggests_the_close_name():
    with pytest.raises(QueryError) as err:
        catalogue.load("target-alignmnt")
    assert str(err.value).startswith("unknown query 'target-alignmnt'; did you mean 'target-alignment'?")


def test_query_names_are_kebab_case_file_stems():
    assert catalogue.names() and all(catalogue.NAME.match(name) for name in catalogue.names())


# ------------------------------------------------------------------------------------------------ binding

def test_expand_reads_curies_full_iris_and_angle_brackets():
    assert header.expand("ms:8") == "https://w3id.org/meakg/id/target/ms/8"
    assert header.expand("inst:aewa") == "https://w3id.org/meakg/id/instrument/aewa"
    assert header.expand(PLAN) == PLAN
    assert header.expand(f"<{PLAN}>") == PLAN


@pytest.mark.parametrize("kind, value, term", [
    (ParamType.IRI, "aichi:12", pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/aichi/12")),
    (ParamType.LITERAL, "AEWA", pyoxigraph.Literal("AEWA")),
    (ParamType.INTEGER, "12", pyoxigraph.Literal("12", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
])
def test_values_are_bound_as_typed_terms(kind, value, term):
    assert header.to_term(Param("p", kind), value) == term


@pytest.mark.parametrize("kind, value, message", [
    (ParamType.INTEGER, "12a", "parameter 'p' expects an integer, found '12a'"),
    (ParamType.IRI, "foo:1", "parameter 'p' expects an IRI: expected a full IRI or a CURIE with a project prefix"),
    (ParamType.IRI, "aichi 12", "parameter 'p' expects an IRI"),
    (ParamType.IRI, "x' } ; DROP ALL", "parameter 'p' expects an IRI"),
])
def test_malformed_values_are_one_line_errors(kind, value, message):
    with pytest.raises(QueryError) as err:
        header.to_term(Param("p", kind), value)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_default_is_bound_when_no_value_is_given():
    bound = catalogue.bind(catalogue.load("target-alignment"), {})
    assert bound == {"plan": pyoxigraph.NamedNode(PLAN)}


def test_unknown_parameter_names_the_expected_ones():
    with pytest.raises(QueryError) as err:
        catalogue.bind(catalogue.load("activities-for-target"), {"tagret": "aichi:12"})
    assert str(err.value) == "unknown parameter 'tagret' for query activities-for-target (expected: target)"


def test_missing_required_parameter_is_an_error():
    with pytest.raises(QueryError, match=r"^missing parameter 'node' for query where-from \(give --param node=VALUE"):
        catalogue.bind(catalogue.load("where-from"), {})


@pytest.mark.parametrize("pairs, message", [
    (["target"], "expected a parameter as NAME=VALUE, found 'target'"),
    (["=x"], "expected a parameter as NAME=VALUE, found '=x'"),
    (["a=1", "a=2"], "parameter 'a' given twice"),
])
def test_parse_params_rejects_bad_pairs(pairs, message):
    with pytest.raises(QueryError) as err:
        catalogue.parse_params(pairs)
    assert str(err.value) == message


def test_parse_params_keeps_everything_after_the_first_equals_sign():
    assert catalogue.parse_params(["q=a=b"]) == {"q": "a=b"}


def test_a_value_that_tries_to_break_out_is_just_a_value(store):
    before = len(store)
    result = catalogue.run("instrument-profile", store=store, params={"instrument": "x' } ; DROP ALL"})
    assert result.rows == ()
    result = catalogue.run("instrument-profile", store=store,
                           params={"instrument": 'AEWA" } } DELETE WHERE { ?s ?p ?o } #'})
    assert result.rows == ()
    assert len(store) == before


def test_parameter_restricts_the_answer(store):
    everything = catalogue.run("activities-for-target", store=store, params={})
    one = catalogue.run("activities-for-target", store=store, params={"target": "aichi:12"})
    assert {row[0] for row in one.values()} == {"https://w3id.org/meakg/id/target/aichi/12"}
    assert len(everything.rows) > len(one.rows) > 0


def test_ad_hoc_queries_have_the_project_prefixes(store):
    result = catalogue.run_text("SELECT ?n WHERE { aichi:12 skos:notation ?n }", store=store)
    assert result.values() == [("12",)]


def test_ad_hoc_ask_returns_a_boolean(store):
    assert catalogue.run_text("ASK { ms:8 skos:relatedMatch aichi:12 }", store=store).boolean is True


def test_ad_hoc_construct_returns_the_triples_sorted(store):
    result = catalogue.run_text(
        "CONSTRUCT WHERE { ?s a mea:Goal ; skos:inScheme <https://w3id.org/meakg/id/scheme/kmgbf> }", store=store)
    assert [str(t.subject.value).rsplit("/", 1)[-1] for t in result.triples if t.predicate.value.endswith("#type")] == [
        "a", "b", "c", "d"]


def test_updates_are_syntax_errors_not_writes(store):
    before = len(store)
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        catalogue.run_text("DELETE WHERE { ?s ?p ?o }", store=store)
    assert len(store) == before


# ------------------------------------------------------------------------------------------------ rendering

NN, L = pyoxigraph.NamedNode, pyoxigraph.Literal
DECIMAL = NN("http://www.w3.org/2001/XMLSchema#decimal")
SAMPLE = Result(("target", "title", "amount"), (
    (NN("https://w3id.org/meakg/id/target/aichi/12"), L("Reducing risk | extinction", language="en"),
     L("45000", datatype=DECIMAL)),
    (NN("https://example.org/x"), L('say "hi", then\nleave'), None),
))


def test_json_is_sparql_results_json_that_round_trips():
    text = to_json(SAMPLE)
    data = json.loads(text)
    assert data["head"]["vars"] == ["target", "title", "amount"]
    assert data["results"]["bindings"][0]["title"] == {"type": "literal", "value": "Reducing risk | extinction",
                                                       "xml:lang": "en"}
    assert data["results"]["bindings"][0]["amount"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert "amount" not in data["results"]["bindings"][1]
    parsed = pyoxigraph.parse_query_results(text.encode(), format=pyoxigraph.QueryResultsFormat.JSON)
    assert [tuple(s[v] for v in SAMPLE.variables) for s in parsed] == list(SAMPLE.rows)


def test_csv_is_sparql_results_csv():
    text = to_csv(SAMPLE)
    assert text.startswith("target,title,amount\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["https://w3id.org/meakg/id/target/aichi/12", "Reducing risk | extinction", "45000"]
    assert rows[2] == ["https://example.org/x", 'say "hi", then\nleave', ""]


def test_markdown_escapes_pipes_and_shows_curies():
    lines = markdown(SAMPLE).splitlines()
    assert lines[0] == "| target | title | amount |"
    assert lines[2] == "| aichi:12 | Reducing risk \\| extinction | 45000 |"


def test_table_fits_the_width_wrapping_long_cells_and_counts_rows():
    long = Result(("n", "text"), ((L("7"), L("word " * 40)),))
    lines = table(long, width=40).splitlines()
    assert max(len(line) for line in lines) == 40
    assert lines[2] == "7  " + ("word " * 7).strip()
    assert " ".join(" ".join(line[3:].split()) for line in lines[2:-1]) == ("word " * 40).strip()  # nothing cut
    assert lines[-1] == "(1 row)"
    assert table(SAMPLE).splitlines()[-1] == "(2 rows)"


def test_table_takes_the_terminal_width_from_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    assert max(len(line) for line in table(Result(("text",), ((L("x " * 100),),))).splitlines()) == 30


def test_render_rejects_unknown_format():
    with pytest.raises(ValueError):
        render(SAMPLE, "yaml")


def test_catalogue_turtle_describes_every_query_as_a_sparql_select_executable():
    queries = catalogue.list_queries()
    text = turtle(queries, target="https://example.org/sparql")
    store = pyoxigraph.Store()
    store.load(text.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX schema: <https://schema.org/>
        SELECT ?q ?label ?select ?target WHERE {
          ?q a sh:SPARQLExecutable , sh:SPARQLSelectExecutable ; rdfs:label ?label ; rdfs:comment ?c ;
             sh:select ?select ; schema:keywords ?k ; schema:target ?target }"""))
    by_iri = {r["q"].value: r for r in rows}
    assert set(by_iri) == {q.iri for q in queries if q.form == "select"}
    constructs = {r["q"].value for r in store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?q WHERE { "
        "?q a sh:SPARQLExecutable , sh:SPARQLConstructExecutable ; sh:construct ?c }")}
    assert constructs == {"https://w3id.org/meakg/query/published-mappings-as-skos"}
    first = queries[0]
    assert by_iri[first.iri]["label"].value == first.title
    assert by_iri[first.iri]["select"].value == first.sparql
    assert not by_iri[first.iri]["select"].value.startswith("#+")


def test_catalogue_table_lists_name_title_and_parameters():
    text = render_catalogue(catalogue.list_queries(), width=200)
    line = next(row for row in text.splitlines() if row.startswith("activities-for-target "))
    assert "Joint activities serving a target" in line and line.endswith("target (iri, optional)")


def test_catalogue_table_fits_a_narrow_terminal():
    text = render_catalogue(catalogue.list_queries(), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.splitlines()[0].split() == ["NAME", "TITLE", "PARAMETERS"]


# ------------------------------------------------------------------------------------------------ CLI

def run_cli(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["meakg", *args])
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_format_choices_are_the_output_formats_render_writes():
    from meakg.graph.cli.options import QUERY_FORMATS
    from meakg.queries.render import OutputFormat

    assert QUERY_FORMATS == tuple(f.value for f in OutputFormat)


def test_cli_queries_lists_every_saved_query(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "queries")
    assert code == 0
    # one line per query, its name first; long titles continue on indented lines
    assert {line.split()[0] for line in out.splitlines()[1:] if not line.startswith(" ")} == set(catalogue.names())


def test_cli_queries_turtle(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "queries", "--format", "turtle")
    assert code == 0 and "sh:SPARQLSelectExecutable" in out


def test_cli_query_with_param_as_csv(monkeypatch, capsys, store):
    code, out, _ = run_cli(monkeypatch, capsys, "query", "activities-for-target", "--param", "target=aichi:12",
                           "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == 3 and {r["target"] for r in rows} == {"https://w3id.org/meakg/id/target/aichi/12"}


def test_cli_query_json(monkeypatch, capsys, store):
    code, out, _ = run_cli(monkeypatch, capsys, "query", "aichi-targets-without-joint-activity", "--format", "json")
    assert code == 0
    assert json.loads(out)["head"]["vars"] == ["aichiTarget", "title"]


def test_cli_query_file(monkeypatch, capsys, tmp_path, store):
    path = write(tmp_path, HEADER + BODY)
    code, out, _ = run_cli(monkeypatch, capsys, "query", "--file", str(path), "-p", "n=12", "--format", "markdown")
    assert code == 0
    assert out.splitlines()[2] == "| 12 | aichi:12 |"


def test_cli_sparql(monkeypatch, capsys, store):
    code, out, _ = run_cli(monkeypatch, capsys, "sparql", "SELECT ?n WHERE { ms:8 skos:notation ?n } ORDER BY ?n")
    assert code == 0 and out.splitlines()[2] == "8"


@pytest.mark.parametrize("args, message", [
    (["query", "nope"], "Error: unknown query 'nope'"),
    (["query", "activities-for-target", "-p", "tgt=aichi:12"],
     "Error: unknown parameter 'tgt' for query activities-for-target (expected: target)"),
    (["query", "where-from"], "Error: missing parameter 'node' for query where-from"),
    (["query", "activities-for-target", "-p", "target=aichi 12"], "Error: parameter 'target' expects an IRI"),
    (["sparql", "SELECT ?x WHERE { ?x ?y }"], "Error: sparql:1: SPARQL syntax error"),
    (["query"], "Error: give the NAME of a saved query or --file F.rq"),
])
def test_cli_errors_are_one_line_and_exit_2(monkeypatch, capsys, args, message):
    code, out, err = run_cli(monkeypatch, capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""
    assert len([line for line in err.splitlines() if line.startswith("Error:")]) == 1


def test_meakg_query_imports_neither_rdflib_nor_loaders_nor_other_commands(store):
    code = ("import sys; sys.argv = ['meakg', 'query', 'target-alignment', '--format', 'csv']\n"
            "from meakg.graph.cli.main import main\nmain()\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'owlrl', 'pyshacl')\n"
            "               or m.startswith('meakg.loaders') or m == 'meakg.graph.cli.partners')\n"
            "print('HEAVY', heavy)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "HEAVY []"
    assert done.stdout.startswith("msTarget,msLabel,aichiTarget,aichiLabel,activityCount,locator,plan")


def test_readme_documents_every_saved_query_and_command():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Saved queries"):]
    for name in catalogue.names():
        assert f"`{name}`" in section, name
    for command in ("meakg queries", "meakg query", "meakg sparql", "--param", "--format"):
        assert command in section
