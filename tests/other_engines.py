"""Engines of other families than ours, run from the tests: Comunica (SPARQL) and shacl-engine (SHACL).

Both are npm packages locked in ``tests/npm/engines/`` and installed by ``python tests/install_tools.py``;
the small Node scripts beside the lock file read a batch as JSON on stdin and print JSON, so a test
starts one Node process per engine run. Terms cross the boundary in N-Triples syntax.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ENGINES = Path(__file__).resolve().parent / "npm" / "engines"
INSTALL = "run `python tests/install_tools.py` (it installs nodejs and npm, then `npm ci` in tests/npm/engines/)"


def node(script: str, batch: dict) -> list | dict:
    """Return what ``node tests/npm/engines/<script>`` prints for *batch*; fail saying how to install it."""
    if not shutil.which("node") or not (ENGINES / "node_modules" / ".package-lock.json").is_file():
        pytest.fail(f"the npm engines are not installed: {INSTALL}")
    done = subprocess.run(["node", str(ENGINES / script)], input=json.dumps(batch), capture_output=True,
                          text=True, cwd=ENGINES, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"node {script} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def comunica(data: Path, queries: list[dict]) -> dict[str, dict]:
    """Return Comunica's answers, by query id, to *queries* over the N-Quads file *data* (graphs merged).

    Each query is ``{"id", "text", "bindings": {name: term}}`` with terms as ``as_json`` gives them.
    """
    answers = node("sparql.mjs", {"data": str(Path(data).resolve()), "queries": queries})
    return {answer["id"]: answer for answer in answers}


def shacl_engine(shapes: Path, files: dict[str, Path]) -> dict[str, list | dict]:
    """Return shacl-engine's results, by id, for each RDF file of *files* (graphs merged) against *shapes*."""
    data = [{"id": key, "path": str(Path(path).resolve())} for key, path in files.items()]
    return node("shacl.mjs", {"shapes": str(Path(shapes).resolve()), "data": data})


def as_json(term) -> dict:
    """Return a pyoxigraph term as the JSON the Node scripts read."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"termType": "NamedNode", "value": term.value}
    return {"termType": "Literal", "value": term.value, "datatype": term.datatype.value if term.datatype else None,
            "language": term.language}
