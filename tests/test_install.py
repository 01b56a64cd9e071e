"""`pip install .` (not editable) puts one name at the top of site-packages, `meakg`, with every
folder of the repository under it and the data files the code reads beside them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_wheel_installs_only_meakg_and_runs_from_it(tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                           str(ROOT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in target.iterdir() if not p.name.endswith(".dist-info") and p.name != "bin") \
        == ["meakg"]
    probe = (
        "import importlib.util, meakg.queries, meakg.graph.cli.main, meakg.loaders\n"
        "from meakg.graph.site.write import TEMPLATES\n"
        "from meakg.ontology.resources import ONTOLOGY_FILE, SHAPES_FILE\n"
        "print(meakg.queries.__file__)\n"
        "print([importlib.util.find_spec(n) is None for n in ('queries', 'graph', 'ontology', 'loaders')])\n"
        "print((meakg.loaders.SOURCES_DIR / 'sources.yaml').is_file(), (TEMPLATES / 'base.html').is_file(),"
        " ONTOLOGY_FILE.is_file(), SHAPES_FILE.is_file())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(target / "meakg" / "queries" / "__init__.py"), "[True, True, True, True]",
                                        "True True True True"]
    listed = subprocess.run([sys.executable, "-m", "meakg", "queries"], cwd=tmp_path, env=env, capture_output=True,
                            text=True)
    assert listed.returncode == 0, listed.stderr
    assert "target-alignment" in listed.stdout
