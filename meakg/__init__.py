"""meakg for notebooks and scripts: the public face over ``graph``, ``queries``, ``loaders`` and ``ontology``.

Every function reads (and, if needed, first builds) the stored build in ``./build`` or
``$MEAKG_BUILD_DIR``. Answers carry typed Python values: integers as ``int``, decimals as
``Decimal``, booleans as ``bool``, IRIs as ``meakg.IRI`` and language-tagged text as
``meakg.LangString`` (both ``str``), or pyoxigraph terms with ``terms=True``.

>>> import meakg
>>> answer = meakg.query("activities-for-target", target="aichi:12")
>>> answer.columns
('target', 'activity', 'notation', 'label', 'plan', 'locator')
>>> answer.rows[0][:3]
(IRI('https://w3id.org/meakg/id/target/aichi/12'),
 IRI('https://w3id.org/meakg/id/activity/cbd-cms-joint-work-plan-2016-2018/4.4'), '4.4')
>>> answer.rows[0][0].curie
'aichi:12'
>>> meakg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?t a mea:AichiTarget }").rows
[(20,)]
>>> meakg.sparql("ASK { aichi:12 skos:exactMatch cbdterm:AICHI-TARGET-12 }").boolean
True
"""

from __future__ import annotations

from meakg.api import IRI, Answer, LangString, build, export, queries, query, sparql, validate, values

__all__ = ["IRI", "Answer", "LangString", "build", "export", "queries", "query", "sparql", "validate", "values",
           "__version__"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("meakg")
    raise AttributeError(f"module 'meakg' has no attribute {name!r}")
