"""Bounds on queries and clean errors at the command line: depth, SERVICE, rows, time, odd input."""

import subprocess
import sys
from pathlib import Path

import pytest

from meakg.ontology.errors import QueryError
from meakg.queries import catalogue, limits

ROOT = Path(__file__).resolve().parent.parent
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP = "ASK {" + "{" * 5000 + "}" * 5000 + "}"
DEPTH_ERROR = ("the query nests more than 64 levels deep at column 69 "
               "(expected at most that many levels of {}, () and [] together)")
SERVICE_ERROR = ("SERVICE (a federated query) is refused at column 18: meakg does not send queries to other "
                 "endpoints unless federation is allowed (--allow-federation)")
FEDERATED = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
HEADER = "#+ title: t\n#+ description: d\n"


def meakg(*args, stdin=None):
    """Run meakg in a fresh process: (exit code, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "meakg", *args], cwd=ROOT, input=stdin, capture_output=True,
                          timeout=120)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def one_line_error(code, err):
    return code == 2 and err.count("\n") == 1 and err.startswith("Error: ") and "Traceback" not in err


# ------------------------------------------------------------------ the checks themselves


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?x <http://example.org/SERVICE> ?service }",
    'SELECT * WHERE { ?x ?p "SERVICE <http://a/> { {{{{" } # SERVICE <http://b/>',
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?x service:p ?service FILTER(?x < ?service) }",
], ids=["iri", "string-and-comment", "prefix-and-variable"])
def test_the_word_service_in_iris_strings_comments_and_names_is_not_a_service_clause(text):
    limits.check(text)


def test_depth_counts_braces_parentheses_and_brackets_together():
    limits.check("ASK " + "{" * 32 + "FILTER" + "(" * 31 + "1" + ")" * 31 + "}" * 32)
    with pytest.raises(QueryError, match="nests more than 64 levels deep at column 75"):
        limits.check("ASK " + "{" * 32 + "FILTER" + "(" * 33 + "1" + ")" * 33 + "}" * 32)


def test_every_saved_query_passes_the_checks():
    for path in sorted((ROOT / "queries").glob("*.rq")):
        limits.check(path.read_text(encoding="utf-8"), where=path.name)


def test_an_answer_longer_than_max_rows_is_an_error_not_a_cut_table():
    import pyoxigraph

    text = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"
    assert len(catalogue.run_text(text, store=pyoxigraph.Store(), max_rows=3).rows) == 3
    with pytest.raises(QueryError) as err:
        catalogue.run_text(text, store=pyoxigraph.Store(), max_rows=2, where="sparql")
    assert str(err.value) == ("sparql: the answer has more than 2 rows (the limit; add LIMIT to the query "
                              "or raise it with --max-rows N)")


# ------------------------------------------------------------------ meakg sparql / meakg query


def test_an_over_deep_query_on_stdin_is_one_line_not_a_segmentation_fault():
    code, _, err = meakg("sparql", "-", stdin=DEEP.encode())
    assert (code, err) == (2, f"Error: stdin:1: {DEPTH_ERROR}\n")


def test_binary_stdin_is_one_line_naming_the_byte():
    code, _, err = meakg("sparql", "-", stdin=b"ASK {}\n\x00\xff\xfe binary")
    assert (code, err) == (2, "Error: stdin:2: expected a SPARQL query in UTF-8 text, found the byte 0xff (binary data?)\n")


def test_service_is_refused_in_sparql_and_in_query_files_unless_allowed(tmp_path):
    code, _, err = meakg("sparql", FEDERATED)
    assert (code, err) == (2, f"Error: sparql:1: {SERVICE_ERROR}\n")
    query = tmp_path / "fed.rq"
    query.write_text(FEDERATED + " ORDER BY ?s\n")
    code, _, err = meakg("query", "--file", str(query))
    assert (code, err) == (2, f"Error: fed:1: {SERVICE_ERROR}\n")
    # allowed, the engine tries, and its refusal of that address is one line too
    code, _, err = meakg("sparql", "--allow-federation", FEDERATED)
    assert (code, err) == (2, "Error: sparql: The port 9 is not allowed for HTTP(S) because it is dedicated to "
                              "an other use\n")


def test_a_query_over_the_timeout_stops_with_one_line_and_no_rows():
    code, out, err = meakg("sparql", "--timeout", "1", CROSS_JOIN)
    assert (code, out, err) == (2, "", "Error: sparql: the query ran longer than 1 s (the limit; raise it with --timeout S)\n")


def test_a_query_file_over_max_rows_is_one_line(tmp_path):
    query = tmp_path / "all.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\n")
    code, out, err = meakg("query", "--file", str(query), "--max-rows", "10")
    assert (code, out) == (2, "")
    assert err == "Error: all: the answer has more than 10 rows (the limit; add LIMIT to the query or raise it with --max-rows N)\n"


def test_an_integer_parameter_of_5000_digits_is_bound_not_a_traceback(tmp_path):
    query = tmp_path / "n.rq"
    query.write_text(HEADER + "#+ params:\n#+   n: {type: integer}\n#+ columns: [n]\nSELECT ?n WHERE {} ORDER BY ?n\n")
    code, out, err = meakg("query", "--file", str(query), "--param", "n=" + "0" + "9" * 5000, "--format", "csv")
    assert (code, err) == (0, "")
    assert out == "n\r\n" + "9" * 5000 + "\r\n"


def test_a_yaml_tag_in_a_query_header_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    query = tmp_path / "tag.rq"
    query.write_text(f"#+ title: !!python/object/apply:os.system ['touch {marker}']\n#+ description: d\n"
                     "#+ columns: [n]\nSELECT ?n WHERE {} ORDER BY ?n\n")
    code, _, err = meakg("query", "--file", str(query))
    assert (code, err) == (2, f"Error: {query}:1: refused the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system': "
                              "a header holds plain values (text, lists, mappings), never objects; nothing was run\n")
    assert not marker.exists()


@pytest.mark.parametrize("args, message", [
    (("sparql",), "Error: Missing argument 'TEXT'. (see 'meakg sparql --help')\n"),
    (("query", "--bogus"), "Error: No such option '--bogus'. (see 'meakg query --help')\n"),
    (("validate", "--format", "yaml"), "Error: Invalid value for '--format': 'yaml' is not one of 'text', 'turtle', "
                                       "'json'. (see 'meakg validate --help')\n"),
    (("frobnicate",), "Error: No such command 'frobnicate'. (see 'meakg --help')\n"),
], ids=["missing-argument", "unknown-option", "bad-choice", "unknown-command"])
def test_usage_errors_are_one_line(args, message):
    assert meakg(*args)[::2] == (2, message)


def test_an_empty_query_name_is_an_unknown_query_not_a_traceback():
    code, _, err = meakg("query", "")
    assert code == 2
    assert err.startswith("Error: unknown query '' ('meakg queries' lists the ") and err.count("\n") == 1
