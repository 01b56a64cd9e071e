"""The ``>>>`` examples in every module's docstrings run, each module imported by its installed name
(``meakg.graph.build.store``), so a doctest sees the same module the code imports."""

import doctest
import importlib
import pkgutil

import pytest

import meakg

PACKAGES = ("meakg", "meakg.ontology", "meakg.loaders", "meakg.queries", "meakg.graph")


def module_names() -> list[str]:
    names = set(PACKAGES)
    for package in PACKAGES:
        module = importlib.import_module(package)
        names |= {info.name for info in pkgutil.walk_packages(module.__path__, package + ".")
                  if not info.name.endswith("__main__")}
    return sorted(names)


def test_every_package_is_found() -> None:
    names = module_names()
    assert {"meakg.api", "meakg.graph.build.store", "meakg.loaders.joint_work_plan.parse",
            "meakg.queries.catalogue", "meakg.ontology.vocab"} <= set(names)
    assert meakg.__name__ in names


@pytest.mark.parametrize("name", module_names())
def test_doctests_pass(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
