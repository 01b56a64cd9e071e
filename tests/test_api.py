"""The Python API (`import meakg`): typed answers, DataFrames, ad-hoc SPARQL of every form, exports, validation."""

from decimal import Decimal

import pandas
import pyoxigraph
import pytest

import meakg
from meakg.ontology.errors import MeakgError


def test_query_returns_typed_values():
    answer = meakg.query("capacity-building-budget-total")
    row = dict(zip(answer.columns, answer.rows[0]))
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
    assert str(meakg.query("typology-summary")).splitlines()[0].split() == ["paragraph", "category", "kind", "instrumentCount", "locator"]


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
    with pytest.warns(UserWarning, match=r"^parameter 'target': the graph holds no aichi:99; closest: aichi:9, aichi:19, aichi:8$"):
        assert meakg.query("activities-for-target", target="aichi:99").rows == []
