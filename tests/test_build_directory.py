"""The build directory is safe by construction: meakg writes only where it made the folder, one build at a
time (an OS lock), a new build beside the old one switched in by one rename; tried with real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from meakg.graph.build import store
from meakg.loaders import SOURCES_DIR

ROOT = Path(__file__).resolve().parent.parent
PLAN = "cbd-cms-joint-work-plan-2016-2018.txt"
# `meakg ARGS` in a fresh interpreter, after the Python lines of PATCH (a slow or full disk)
RUN = "import sys\n{patch}\nfrom meakg.graph.cli.main import main\nsys.argv = ['meakg', *sys.argv[1:]]\nmain()\n"


def meakg(directory: Path, *args: str, patch: str = "", wait: bool = True):
    command = [sys.executable, "-c", RUN.format(patch=patch), *args]
    env = {**os.environ, "MEAKG_BUILD_DIR": str(directory)}
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def edited_sources(folder: Path, old: str, new: str) -> Path:
    """A copy of the bundled documents whose joint work plan has *old* replaced by *new*."""
    folder.mkdir(parents=True)
    for path in SOURCES_DIR.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    text = (folder / PLAN).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (folder / PLAN).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def generations(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if (p / ".meakg").is_file())


def alignments(directory: Path) -> list[tuple[str, str]]:
    code, out, err = meakg(directory, "query", "target-alignment", "--format", "csv")
    assert code == 0, err
    return [tuple(line.split(",")[i] for i in (0, 2)) for line in out.splitlines()[1:]]


# ---------------------------------------------------------------- only what meakg made
def test_a_build_directory_holding_someone_elses_files_is_refused_and_they_survive(tmp_path):
    receipts = tmp_path / "mine" / "store-receipts"
    receipts.mkdir(parents=True)
    (receipts / "march.pdf").write_text("receipt")
    code, out, err = meakg(tmp_path / "mine", "build", "--quiet")
    assert code == 2
    assert err == (f"Error: cannot use {tmp_path / 'mine'} for the build: expected an empty folder or one meakg made, "
                   "found 1 entry it did not make (meakg writes, replaces and deletes only in folders holding its "
                   ".meakg file: choose an empty or new folder); point $MEAKG_BUILD_DIR elsewhere\n")
    assert sorted(p.name for p in (tmp_path / "mine").rglob("*")) == ["march.pdf", "store-receipts"]


def test_a_users_folder_put_in_a_build_directory_is_never_deleted_by_builds(tmp_path):
    directory = tmp_path / "build"
    assert meakg(directory, "build", "--quiet")[0] == 0
    (directory / "store-receipts").mkdir()
    (directory / "store-receipts" / "march.pdf").write_text("receipt")
    (directory / "build-notes").mkdir()  # named like a generation, but no marker
    assert meakg(directory, "build", "--quiet")[0] == 0
    assert (directory / "store-receipts" / "march.pdf").read_text() == "receipt"
    assert (directory / "build-notes").is_dir()
    assert len(generations(directory)) == 1


def test_a_build_directory_from_before_markers_is_adopted_and_only_its_named_files_go(tmp_path):
    directory = tmp_path / "build"
    (directory / "store-ab12").mkdir(parents=True)
    (directory / "store-ab12" / "CURRENT").write_text("x")
    (directory / "store-receipts").mkdir()
    (directory / "meakg.nq").write_text("")
    (directory / "site").mkdir()
    (directory / "manifest.json").write_text(json.dumps({"format": 2, "store": "store-ab12"}))
    assert meakg(directory, "build", "--quiet")[0] == 0
    names = sorted(p.name for p in directory.iterdir())
    assert names == [".meakg", *generations(directory), "manifest.json", "site", "store-receipts"]


# ---------------------------------------------------------------- one writer, readers never rebuild over it
def test_two_builds_at_once_leave_one_complete_current_build(tmp_path):
    directory = tmp_path / "build"
    other = edited_sources(tmp_path / "other", "Target 2\tTarget 2\t", "Target 3\tTarget 2\t")
    runs = [meakg(directory, "build", "--quiet", wait=False),
            meakg(directory, "build", "--quiet", "--sources", str(other), wait=False)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    manifest = store.read_manifest(directory)
    assert store.problem(directory, manifest) is None
    assert generations(directory) == [manifest.generation]
    pairs = alignments(directory)
    assert (("3", "2") in pairs) == (manifest.sources.directory == str(other))  # the answers of the build named


def test_queries_during_a_build_read_the_previous_build_and_never_rebuild_older_sources(tmp_path):
    directory = tmp_path / "build"
    assert meakg(directory, "build", "--quiet")[0] == 0
    other = edited_sources(tmp_path / "other", "Target 2\tTarget 2\t", "Target 3\tTarget 2\t")
    slow = ("import time, meakg.graph.build.save as s\nsave = s.save_generation\n"
            "s.save_generation = lambda *a, **k: (time.sleep(4), save(*a, **k))[1]")
    build = meakg(directory, "build", "--quiet", "--sources", str(other), patch=slow, wait=False)
    answers, stderr = [], []
    while build.poll() is None:
        code, out, err = meakg(directory, "query", "target-alignment", "--format", "csv")
        answers.append((code, ("3", "2") in [tuple(line.split(",")[i] for i in (0, 2)) for line in out.splitlines()]))
        stderr.append(err)
    assert build.wait() == 0, build.stderr.read()
    assert len(answers) >= 2 and all(code == 0 for code, _ in answers)
    assert stderr == [""] * len(stderr)  # no "Rebuilding", no error
    assert not answers[0][1]  # the previous build (bundled documents) answered while the new one was written
    assert store.read_manifest(directory).sources.directory == str(other)
    assert ("3", "2") in alignments(directory)
    code, out, _ = meakg(directory, "info")
    assert f"Sources:         {other}" in out.splitlines() and "State:           current" in out.splitlines()


@pytest.mark.parametrize("where", ["store", "nquads"])
def test_a_full_disk_during_a_build_leaves_the_previous_build_current(tmp_path, where):
    directory = tmp_path / "build"
    assert meakg(directory, "build", "--quiet")[0] == 0
    before = (directory / "manifest.json").read_text()
    other = edited_sources(tmp_path / "other", "Target 2\tTarget 2\t", "Target 3\tTarget 2\t")
    full = {"store": "import errno, pyoxigraph\n"  # whether loaded whole or changed from the previous one
                     "def full(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')\n"
                     "pyoxigraph.Store.flush = full",
            "nquads": "import errno, os, meakg.graph.files as f\n"
                      "def full(fd): raise OSError(errno.ENOSPC, 'No space left on device')\n"
                      "f.os.fsync = full"}[where]
    code, out, err = meakg(directory, "build", "--quiet", "--sources", str(other), patch=full)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"Error: {directory}: cannot write the build (") and "the disk is full" in err
    assert err.endswith("; the previous build, if any, is kept\n")
    assert (directory / "manifest.json").read_text() == before
    assert len(generations(directory)) == 1
    code, out, err = meakg(directory, "query", "target-alignment", "--format", "csv")
    assert code == 0 and err == "" and "Target 2" not in err  # read as it was, no rebuild


def test_a_reader_that_found_no_build_uses_the_one_another_process_made_meanwhile(tmp_path, monkeypatch, capsys):
    # the reader reads no manifest, then another process's build becomes current before the reader checks it:
    # the check must not read the new manifest behind the reader's back (it then pinned None and crashed)
    from meakg.graph.build import current

    directory = tmp_path / "build"
    made = current.make(directory=directory)
    capsys.readouterr()
    real, reads = current.read_manifest, []

    def read_manifest(directory=None):  # the first read is from before the other build switched in
        reads.append(directory)
        return real(directory) if len(reads) > 1 else None

    monkeypatch.setattr(current, "read_manifest", read_manifest)
    found = current.ensure_current(directory)
    assert found == made and generations(directory) == [made.generation]
    assert capsys.readouterr().err == ""  # not rebuilt


def test_an_old_generation_a_reader_holds_is_kept_until_a_later_build(tmp_path):
    directory = tmp_path / "build"
    assert meakg(directory, "build", "--quiet")[0] == 0
    [first] = generations(directory)
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys; from meakg.graph.build.current import open_store; "
         f"s = open_store({str(directory)!r}); print('open', flush=True); sys.stdin.readline()"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline() == "open\n"
    assert meakg(directory, "build", "--quiet")[0] == 0
    assert first in generations(directory) and len(generations(directory)) == 2
    reader.communicate("\n", timeout=60)
    assert meakg(directory, "build", "--quiet")[0] == 0
    assert first not in generations(directory) and len(generations(directory)) == 1


def test_a_changed_document_added_from_elsewhere_makes_info_say_out_of_date(tmp_path):
    directory = tmp_path / "build"
    extra = tmp_path / "elsewhere" / "cbd-cms-joint-work-plan-2019-2020.txt"
    extra.parent.mkdir()
    extra.write_text((SOURCES_DIR / PLAN).read_text(encoding="utf-8").replace("2016-2018", "2019-2020"),
                     encoding="utf-8")
    assert meakg(directory, "build", "--quiet", "--source", f"joint-work-plan={extra}")[0] == 0
    assert "State:           current" in meakg(directory, "info")[1].splitlines()
    time.sleep(0.01)
    extra.write_text(extra.read_text(encoding="utf-8").replace("Target 4\tTarget 3\t", "Target 4\tTarget 5\t"),
                     encoding="utf-8")
    assert ("State:           out of date: a document, the reference data, the ontology or the build code changed "
            "(the next command rebuilds)") in meakg(directory, "info")[1].splitlines()


def test_build_of_a_checkout_is_shared_with_setuptools_and_only_the_env_folder_must_be_empty(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "meakg"\n')
    (tmp_path / "graph").mkdir()
    (tmp_path / "build" / "lib").mkdir(parents=True)  # what `pip install .` leaves in a checkout
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEAKG_BUILD_DIR", raising=False)
    assert store.claim(Path("build")) == Path("build")
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [".meakg", "lib"]
    monkeypatch.setenv("MEAKG_BUILD_DIR", str(tmp_path / "graph" / ".." / "build2"))
    (tmp_path / "build2" / "lib").mkdir(parents=True)
    with pytest.raises(Exception, match="expected an empty folder or one meakg made"):
        store.claim(tmp_path / "build2")
