"""The Python API (`import meakg`): typed answers, DataFrames, ad-hoc SPARQL of every form, exports, validation."""

import copy
import pickle
from decimal import Decimal

import pandas
import pyoxigraph
import pytest

import meakg
from meakg.ontology.errors import MeakgError


def test_query_returns_typed_values():
    answer = meakg.query("capacity-building-budget-total")
    row = dict(zip(answer.columns, answer.rows[0], strict=True))
    assert row == {"plan": "https://w3id.org/meakg/id/plan/cms-capacity-building-work-plan-2012-2014",
                   "currencies": "USD", "activities": 14, "activitiesWithAmount": 3, "minTotal": Decimal("145000"),
                   "maxTotal": Decimal("240000"), "noAdditionalFunds": 10, "toBeDetermined": 1}


def test_query_parameters_are_keywords_and_may_be_python_values():
    answer = meakg.query("activities-for-target", target="ms:8")
    assert {row["target"] for row in answer} == {"https://w3id.org/meakg/id/target/ms/8"}


def test_query_can_return_terms():
    answer = meakg.query("activities-for-target", target="ms:8", terms=True)
    assert isinstance(answer.rows[0][0], pyoxigraph.NamedNode)


def test_to_dataframe_keeps_columns_and_types():
    frame = meakg.query("capacity-building-budget-total").to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns)[:3] == ["plan", "currencies", "activities"]
    assert frame.loc[0, "activities"] == 14
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "plan": "object", "currencies": "object", "activities": "Int64", "activitiesWithAmount": "Int64",
        "minTotal": "Float64", "maxTotal": "Float64", "noAdditionalFunds": "Int64", "toBeDetermined": "Int64"}
    assert frame["maxTotal"].sum() == 240000


def test_to_dataframe_types_booleans_amounts_and_missing_values():
    answer = meakg.query("capacity-building-budget")
    frame = answer.to_dataframe()
    assert str(frame.dtypes["noAdditionalFunds"]) == "boolean" and str(frame.dtypes["minAmount"]) == "Float64"
    assert frame["noAdditionalFunds"].sum() == sum(1 for row in answer if row["noAdditionalFunds"]) == 10
    assert frame["minAmount"].isna().sum() == sum(1 for row in answer if row["minAmount"] is None) > 0
    assert isinstance(frame.loc[0, "title"], meakg.LangString)  # text keeps its type in the frame


def test_to_dataframe_keeps_integers_beyond_int64_as_python_ints():
    frame = meakg.sparql("SELECT ?n WHERE { VALUES ?n { 1 9223372036854775808 } } ORDER BY ?n").to_dataframe()
    assert str(frame.dtypes["n"]) == "object" and list(frame["n"]) == [1, 2 ** 63]


def test_to_dataframe_reads_dates_as_datetimes():
    frame = meakg.sparql("SELECT ?d WHERE { VALUES ?d { '2020-01-02'^^xsd:date '2021-03-04'^^xsd:date } } "
                         "ORDER BY ?d").to_dataframe()
    assert str(frame.dtypes["d"]).startswith("datetime64")
    assert list(frame["d"].dt.year) == [2020, 2021]


def test_an_iri_and_a_literal_holding_the_same_url_are_told_apart():
    answer = meakg.sparql('SELECT ?iri ?text WHERE { BIND(aichi:12 AS ?iri) '
                          'BIND("https://w3id.org/meakg/id/target/aichi/12" AS ?text) }')
    iri, text = answer.rows[0]
    assert iri == text == "https://w3id.org/meakg/id/target/aichi/12"  # both usable as plain strings
    assert isinstance(iri, meakg.IRI) and not isinstance(text, meakg.IRI) and type(text) is str
    assert iri.curie == "aichi:12"
    assert str(answer).splitlines()[2].split() == ["aichi:12", "https://w3id.org/meakg/id/target/aichi/12"]


def test_language_tags_are_kept():
    answer = meakg.sparql("SELECT ?title WHERE { aichi:12 skos:prefLabel ?title }")
    (title,) = answer.rows[0]
    assert isinstance(title, meakg.LangString) and title.lang == "en"
    assert title == "Reducing risk of extinction"
    assert repr(title) == "LangString('Reducing risk of extinction', lang='en')"
    assert pickle.loads(pickle.dumps(title)).lang == copy.copy(title).lang == "en"


@pytest.mark.parametrize("term", [
    pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/aichi/12"),
    pyoxigraph.Literal("Reducing risk", language="en"), pyoxigraph.Literal("plain"),
    pyoxigraph.Literal("12", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    pyoxigraph.Literal("45000.50", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    pyoxigraph.Literal("true", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
    pyoxigraph.Literal("2020-01-02", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
], ids=lambda t: str(t)[:40])
def test_values_and_back_give_the_same_term(term):
    from meakg.api import _term

    assert _term(meakg.values(term)) == term


def test_an_ill_typed_decimal_keeps_its_lexical_form():
    assert meakg.sparql('SELECT ?x WHERE { BIND("abc"^^xsd:decimal AS ?x) }').rows == [("abc",)]


def test_to_dataframe_without_pandas_says_how_to_install_it(monkeypatch):
    import builtins

    real_import = builtins.__import__
    monkeypatch.setattr(builtins, "__import__", lambda name, *a, **k: (_ for _ in ()).throw(ImportError(name))
                        if name == "pandas" else real_import(name, *a, **k))
    with pytest.raises(MeakgError, match=r"pip install 'meakg\[pandas\]'"):
        meakg.query("typology-summary").to_dataframe()


def test_sparql_select_ask_and_construct():
    assert meakg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?t a mea:AichiTarget }").rows == [(20,)]
    assert meakg.sparql("ASK { inst:aewa schema:sameAs informea:aewa }").boolean is True
    built = meakg.sparql("CONSTRUCT WHERE { gbf:6 skos:relatedMatch ?x }")
    assert [t.object.value for t in built.triples] == ["https://w3id.org/meakg/id/target/aichi/9"]


def test_export_and_validate():
    assert meakg.export("nq").startswith("<")
    assert meakg.validate().conforms is True


def test_answer_prints_as_a_table():
    assert str(meakg.query("typology-summary")).splitlines()[0].split() == [
        "paragraph", "category", "kind", "instrumentCount", "locator"]


def test_readme_for_partners_documents_links_frameworks_sssom_catalogue_and_the_api():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For partners"):readme.index("## Validation and reasoning")]
    for text in ("skos:exactMatch", "schema:sameAs", "AICHI-TARGET-12", "informea.org/treaties/", "`open`",
                 "gbf-targets-for-joint-activities", "mea:PublishedMapping", "--format sssom", "sssom-py",
                 "semapv:ManualMappingCuration", "https://w3id.org/meakg/graph/queries", "sh:SPARQLExecutable",
                 "--format nquads", "--format rdfxml", "import meakg", "to_dataframe", "meakg[pandas]"):
        assert text in section, text


def test_a_value_the_graph_does_not_hold_warns_with_the_closest_ones():
    expected = r"^parameter 'target': the graph holds no aichi:99; closest: aichi:9, aichi:19, aichi:8$"
    with pytest.warns(UserWarning, match=expected):
        assert meakg.query("activities-for-target", target="aichi:99").rows == []
