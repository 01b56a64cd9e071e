"""ruff and mypy find nothing, with the configuration in pyproject.toml: ruff (pyflakes, pycodestyle with
lines up to 120 characters, import order, bugbear, pyupgrade, no relative imports) on the code, the tests
and the benchmarks; mypy strict on ``meakg.ontology`` and ``meakg.queries``, every function of the public
API (``meakg``, ``meakg.api``) typed, the rest in mypy's default mode. Both come with the test extra
(``python -m pip install -e '.[test]'``); a missing one fails here saying so, never skips."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF_PATHS = ("ontology", "loaders", "queries", "graph", "meakg", "tests", "benchmarks", "setup.py")
SPEC = importlib.util.spec_from_file_location("typecheck", ROOT / "tests" / "tools" / "typecheck.py")
typecheck = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(typecheck)


def require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: python -m pip install -e '.[test]' (it is in the test extra)")


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    require("ruff")
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    done = ruff(*RUFF_PATHS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing() -> None:
    require("mypy")
    code, report = typecheck.run()
    assert code == 0, report


def test_a_missing_tool_fails_saying_how_to_install_it() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"^no_such_tool is not installed: python -m pip install -e "
                                                    r"'\.\[test\]' \(it is in the test extra\)$"):
        require("no_such_tool")


def test_ruff_reports_a_relative_import_and_a_long_line_by_the_project_configuration(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text("from . import sibling\n\nNAME = sibling.PREFIX + '" + "x" * 120 + "'\n", encoding="utf-8")
    done = ruff("--config", str(ROOT / "pyproject.toml"), "--output-format", "concise", str(source))
    assert done.returncode == 1
    assert [line.split(" ", 2)[1] for line in done.stdout.splitlines() if line.startswith(str(source))] == [
        "TID252", "E501"]


def _project(tmp_path: Path, modules: dict[str, str]) -> Path:
    """A project laid out as ours (the folders beside ``meakg/``), holding *modules* by repository path."""
    for folder in ("meakg", *typecheck.FOLDERS.values()):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    for path, text in modules.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    return tmp_path


def test_mypy_is_strict_where_configured_and_reports_repository_paths(tmp_path: Path) -> None:
    require("mypy")
    untyped = "def double(x):\n    return x * 2\n"
    root = _project(tmp_path, {"ontology/terms.py": untyped, "queries/words.py": untyped, "meakg/api.py": untyped,
                               "graph/page.py": untyped, "loaders/kind.py": untyped})
    code, report = typecheck.run(root)
    assert code == 1
    assert sorted(line.split(": error:")[0] for line in report.splitlines() if ": error:" in line) == [
        "meakg/api.py:1", "ontology/terms.py:1", "queries/words.py:1"]
    assert "Function is missing a type annotation  [no-untyped-def]" in report


def test_mypy_reports_a_type_error_in_default_mode_code(tmp_path: Path) -> None:
    require("mypy")
    root = _project(tmp_path, {"graph/page.py": "def title(number: int) -> str:\n    return number\n"})
    code, report = typecheck.run(root)
    assert code == 1
    assert report.splitlines()[0] == ('graph/page.py:2: error: Incompatible return value type (got "int", '
                                      'expected "str")  [return-value]')
