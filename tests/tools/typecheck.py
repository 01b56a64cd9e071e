"""Run mypy on the project as it installs (``meakg.ontology``, ``meakg.queries``, ...) and print what it finds
at the repository's paths.

    python tests/tools/typecheck.py

The folders stay at the repository's top level and setup.py maps them to ``meakg.*``; mypy cannot follow
setuptools' editable finder, so this builds a tree of links named as installed (``meakg/ontology`` ->
``ontology/``, ``meakg/api.py`` -> ``meakg/api.py``, ...) in a temporary folder, runs ``mypy -p meakg``
there with the configuration in pyproject.toml, and maps each reported path back (``meakg/ontology/vocab.py``
-> ``ontology/vocab.py``). Exit code: mypy's (0 when it finds nothing).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# installed name under meakg/ -> folder of the repository (setup.py's FOLDERS)
FOLDERS = {"ontology": "ontology", "loaders": "loaders", "queries": "queries", "graph": "graph"}


def link_tree(root: Path, into: Path) -> Path:
    """Make ``into/meakg``: the files of ``root/meakg`` and a link per mapped folder; return it."""
    package = into / "meakg"
    package.mkdir()
    for path in sorted((root / "meakg").glob("*.py")):
        (package / path.name).symlink_to(path)
    for name, folder in FOLDERS.items():
        (package / name).symlink_to(root / folder, target_is_directory=True)
    return package


def repository_path(line: str) -> str:
    """Return mypy's *line* with the installed path of its file replaced by the repository's.

    >>> repository_path("meakg/ontology/vocab.py:3: error: x")
    'ontology/vocab.py:3: error: x'
    >>> repository_path("meakg/api.py:9: note: y")
    'meakg/api.py:9: note: y'
    """
    for name, folder in FOLDERS.items():
        if line.startswith(f"meakg/{name}/"):
            return folder + line[len(f"meakg/{name}"):]
    return line


def run(root: Path = ROOT) -> tuple[int, str]:
    """Return mypy's exit code and its report (repository paths) on the project in *root*."""
    with tempfile.TemporaryDirectory(prefix="meakg-mypy-") as work:
        link_tree(root, Path(work))
        done = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(root / "pyproject.toml"),
                               "--cache-dir", str(Path(work) / ".mypy_cache"), "-p", "meakg"],
                              cwd=work, capture_output=True, text=True)
    report = "".join(repository_path(line) + "\n" for line in done.stdout.splitlines()) + done.stderr
    return done.returncode, report


if __name__ == "__main__":
    code, text = run()
    print(text, end="")
    sys.exit(code)
