"""The build directory: one build, made by `meakg build` from any documents, read by every command;
announced where it is; rebuilt (saying so) when stale or damaged; one-line errors when unusable."""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from pathlib import Path

import pytest

from meakg.graph import progress
from meakg.graph.build import current, store
from meakg.graph.cli.main import main
from meakg.loaders import SOURCES_DIR

ROOT = Path(__file__).resolve().parent.parent

PLAN = "cbd-cms-joint-work-plan-2016-2018.txt"
ALIGNMENT = "https://w3id.org/meakg/id/alignment/cbd-cms-joint-work-plan-2016-2018/"


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run `meakg ARGS` in process; return exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["meakg", *args])
    progress.set_quiet(False)
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def copy_sources(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in SOURCES_DIR.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def edit_plan(folder: Path, old: str, new: str) -> None:
    plan = folder / PLAN
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1
    plan.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A build made by `meakg build --sources DIR` from a folder whose plan maps MS Target 3 (not 2) to Aichi 2."""
    tmp = tmp_path_factory.mktemp("edited")
    folder = copy_sources(tmp / "sources")
    edit_plan(folder, "Target 2\tTarget 2\t", "Target 3\tTarget 2\t")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEAKG_BUILD_DIR", str(tmp / "build"))
        mp.setattr(sys, "argv", ["meakg", "build", "--quiet", "--sources", str(folder)])
        main()
    return tmp / "build", folder


def test_query_answers_from_the_documents_the_build_was_made_from(edited, monkeypatch, capsys):
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(edited[0]))
    code, out, err = run(monkeypatch, capsys, "query", "target-alignment", "--format", "csv")
    assert code == 0 and err == ""
    pairs = [tuple(line.split(",")[i] for i in (0, 2)) for line in out.splitlines()[1:]]
    assert ("3", "2") in pairs and ("2", "2") not in pairs


def test_validate_checks_the_build_made_from_the_documents(edited, monkeypatch, capsys):
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(edited[0]))
    code, out, err = run(monkeypatch, capsys, "validate", "--quiet", "--format", "json")
    assert code == 0 and err == ""
    unserved = sorted(f["focus"].rsplit("/", 1)[-1] for f in json.loads(out)["findings"]
                      if f["message"] == "no joint activity serves this target" and "/ms/" in f["focus"])
    assert unserved == ["2", "9"]  # the bundled plan leaves 3 and 9 unserved


def test_export_writes_the_build_made_from_the_documents(edited, monkeypatch, capsys):
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(edited[0]))
    code, out, err = run(monkeypatch, capsys, "export", "--quiet", "--format", "ntriples", "--graphs", "asserted")
    assert code == 0 and err == ""
    assert f"<{ALIGNMENT}ms-3/aichi-2>" in out and f"<{ALIGNMENT}ms-2/aichi-2>" not in out


def test_info_names_the_directory_documents_and_counts(edited, monkeypatch, capsys):
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(edited[0]))
    code, out, _ = run(monkeypatch, capsys, "info")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Build directory: {edited[0]} (from $MEAKG_BUILD_DIR)"
    assert f"Sources:         {edited[1]}" in lines
    assert "State:           current" in lines
    plan_hash = store.file_hash(edited[1] / PLAN)[:16]
    assert f"  cbd-cms-joint-work-plan-2016-2018  joint-work-plan  sha256:{plan_hash}  {edited[1] / PLAN}" in lines


def test_a_stale_build_is_rebuilt_from_its_own_documents_and_says_so(tmp_path, monkeypatch, capsys):
    folder = copy_sources(tmp_path / "sources")
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(tmp_path / "build"))
    assert run(monkeypatch, capsys, "build", "--quiet", "--sources", str(folder))[0] == 0
    edit_plan(folder, "Target 2\tTarget 2\t", "Target 3\tTarget 2\t")
    code, out, err = run(monkeypatch, capsys, "query", "target-alignment", "--format", "csv")
    assert code == 0
    assert err.splitlines()[0] == (f"meakg: Rebuilding (a document, the reference data, the ontology or the build code "
                                   f"changed): {folder} into {tmp_path / 'build'}")
    assert "3,Governance arrangements improved,2," in out


def test_build_adds_a_single_document_of_a_known_kind(tmp_path, monkeypatch, capsys):
    extra = tmp_path / "cbd-cms-joint-work-plan-2019-2020.txt"
    text = (SOURCES_DIR / PLAN).read_text(encoding="utf-8")
    text = text.replace("2016-2018", "2019-2020").replace("2016- 2018", "2019-2020")
    extra.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(tmp_path / "build"))
    code, out, err = run(monkeypatch, capsys, "build", "--source", f"joint-work-plan={extra}")
    assert code == 0, err
    lines = err.splitlines()  # progress, then one summary line
    assert lines[0].startswith("meakg: Reading cbd-cms-joint-work-plan-2016-2018.txt (joint-work-plan): ")
    assert re.fullmatch(rf"meakg: Built \d+ triples from the bundled documents \+ joint-work-plan={extra} into "
                        rf"{tmp_path / 'build'} \(from \$MEAKG_BUILD_DIR\) in \d+\.\d s", lines[-1]), lines[-1]
    code, out, err = run(monkeypatch, capsys, "sparql", "SELECT ?plan WHERE { ?plan a mea:WorkPlan ; "
                         "dcterms:title ?t FILTER(CONTAINS(?t, 'Joint Work Plan')) } ORDER BY ?plan", "--format", "csv")
    assert out.split() == ["plan", "https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2016-2018",
                           "https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2019-2020"]


def test_source_of_an_unknown_kind_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    extra = tmp_path / "plan-2019.txt"
    extra.write_text("A plan 2019\n")
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(tmp_path / "build"))
    code, out, err = run(monkeypatch, capsys, "build", "--source", f"work-plan={extra}")
    assert code == 2
    assert err == (f"Error: {extra}:1: expected a kind of document among capacity-building, joint-work-plan, "
                   "services-analysis, found 'work-plan'\n")


def test_outside_a_checkout_the_build_goes_to_the_per_user_directory_and_is_announced(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MEAKG_BUILD_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(monkeypatch, capsys, "query", "typology-summary", "--format", "csv")
    assert code == 0 and out.startswith("paragraph,category,")
    where = tmp_path / "data" / "meakg" / "build"
    assert err.splitlines()[0] == f"meakg: Building: the bundled documents into {where}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing written where the command ran
    code, out, err = run(monkeypatch, capsys, "info")
    assert out.splitlines()[0] == f"Build directory: {where} (per-user data directory; set $MEAKG_BUILD_DIR to choose)"


def test_the_cache_key_covers_documents_and_graph_code_not_help_texts_shapes_or_queries():
    inputs = {name for name, _ in store.graph_inputs()}
    assert {"meakg.graph.build/assemble.py", "meakg.graph.build/reason.py", "meakg.ontology/meakg.ttl",
            "meakg.ontology/vocab.py"} <= inputs
    assert any(name.startswith("meakg.loaders/") and name.endswith(".py") for name in inputs)
    assert any(name.startswith("meakg.ontology/reference/") for name in inputs)
    assert not inputs & {"meakg.graph.build/store.py", "meakg.ontology/shapes.ttl"}
    assert not any(name.startswith(("meakg.queries", "meakg.graph.cli", "meakg.graph.check")) for name in inputs)


# ---------------------------------------------------------------- damaged and unusable build directories
@pytest.fixture
def built(tmp_path, monkeypatch):
    """A current build of the bundled documents in a directory of its own (copied from the project's)."""
    import shutil

    progress.set_quiet(True)
    manifest = current.ensure_current(ROOT / "build")
    progress.set_quiet(False)
    directory = tmp_path / "build"
    directory.mkdir()
    for name in (".meakg", store.MANIFEST_FILE, manifest.generation):
        copy = shutil.copytree if (ROOT / "build" / name).is_dir() else shutil.copy
        copy(ROOT / "build" / name, directory / name)
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(directory))
    return directory


def test_a_corrupt_nquads_file_with_a_current_manifest_is_rebuilt_for_export(built, monkeypatch, capsys):
    nq = built / store.read_manifest(built).nquads
    size = nq.stat().st_size
    nq.write_bytes(b"<broken" + b" " * (size - 7))  # same size: the manifest still matches
    code, out, err = run(monkeypatch, capsys, "export", "--format", "ntriples", "--graphs", "asserted")
    assert code == 0
    assert err.splitlines()[0].startswith(f"meakg: Rebuilding ({store.STORE_FILE} is damaged: ")
    assert "<https://w3id.org/meakg/id/instrument/aewa>" in out


def test_a_damaged_oxigraph_store_is_rebuilt_for_query(built, monkeypatch, capsys):
    manifest = store.read_manifest(built)
    for path in (built / manifest.store).iterdir():
        if path.name.startswith(("CURRENT", "MANIFEST")):
            path.write_bytes(b"garbage")
    code, out, err = run(monkeypatch, capsys, "query", "typology-summary", "--format", "csv")
    assert code == 0 and out.startswith("paragraph,category,")
    assert err.splitlines()[0].startswith("meakg: Rebuilding (its Oxigraph store is damaged: ")


def test_a_truncated_nquads_file_is_noticed_and_rebuilt(built):
    (built / store.read_manifest(built).nquads).write_bytes(b"")
    assert store.problem(built) == f"{store.STORE_FILE} is missing or damaged"


@pytest.fixture
def read_only(monkeypatch):
    """Make a directory read-only: chmod, and (as root, whom modes do not stop) the OS's EACCES on creating files
    in it."""
    made: list[Path] = []
    real_open, real_mkdir = os.open, os.mkdir

    def inside(path) -> bool:
        return any(Path(os.path.abspath(path)).is_relative_to(d) for d in made)

    def fake_open(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):
        if inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)

    def make(directory: Path) -> Path:
        directory.chmod(0o555)
        made.append(directory.resolve())
        return directory

    yield make
    for directory in made:
        directory.chmod(0o755)


def _stale(directory: Path) -> None:
    manifest = json.loads((directory / store.MANIFEST_FILE).read_text())
    manifest["key"] = "0" * 64
    (directory / store.MANIFEST_FILE).write_text(json.dumps(manifest))


@pytest.mark.parametrize("args", [["build"], ["export"], ["query", "typology-summary"], ["serve", "--port", "0"]],
                         ids=lambda a: a[0])
def test_a_read_only_build_directory_is_one_line_and_exit_2(args, built, read_only, monkeypatch, capsys):
    _stale(built)
    read_only(built)
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 2
    lines = err.splitlines()
    assert lines[-1].startswith("Error: ") and "Permission denied" in lines[-1]
    assert sum(line.startswith("Error:") for line in lines) == 1 and "Traceback" not in err


def test_meakg_build_dir_naming_a_file_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    named = tmp_path / "a-file"
    named.write_text("")
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(named))
    code, out, err = run(monkeypatch, capsys, "query", "typology-summary")
    assert code == 2
    assert err == f"Error: MEAKG_BUILD_DIR={named}: expected a directory for the build, found a file\n"


def test_a_build_whose_documents_are_gone_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    folder = copy_sources(tmp_path / "sources")
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(tmp_path / "build"))
    assert run(monkeypatch, capsys, "build", "--quiet", "--sources", str(folder))[0] == 0
    (folder / PLAN).unlink()
    code, out, err = run(monkeypatch, capsys, "query", "typology-summary")
    assert code == 2
    assert err == (f"Error: {folder / PLAN}: expected a document this build was made from, found nothing "
                   "(run meakg build again)\n")
