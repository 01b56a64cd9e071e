"""sources.yaml and the source files: every mistake is one SourceError naming the file and the line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from meakg import loaders
from meakg.loaders import SOURCES_DIR, SourceError, sources
from meakg.loaders.reference import load_reference

ENTRY = ("- file: plan.txt\n  loader: joint-work-plan\n  title: A plan\n  date: \"2016\"\n"
         "  publisher: Secretariats\n")
PLAN = ("Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018\n"
        "Migratory Species Targets\tAichi Targets\tActivity\n"
        "Target 5\tTarget 4\t Cooperate on energy.\n")


def manifest_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources(tmp_path)
    return str(err.value).removeprefix(f"{tmp_path}/")


def test_the_bundled_manifest_lists_three_sources_of_three_kinds() -> None:
    assert [(s.key, s.loader) for s in sources(SOURCES_DIR)] == [
        ("cbd-cms-joint-work-plan-2016-2018", "joint-work-plan"),
        ("unep-cms-cop11-doc-16-2-common-services", "services-analysis"),
        ("cms-capacity-building-work-plan-2012-2014", "capacity-building")]


def test_an_empty_manifest_is_an_error_at_line_1(tmp_path: Path) -> None:
    assert manifest_error(tmp_path, "") == ("sources.yaml:1: expected a list of sources ('- file: ...'), "
                                            "found an empty file")


def test_a_manifest_that_is_a_mapping_is_an_error_naming_its_line(tmp_path: Path) -> None:
    assert manifest_error(tmp_path, "# sources\nfile: plan.txt\n") == (
        "sources.yaml:2: expected a list of sources ('- file: ...'), found a mapping")


def test_a_list_of_file_names_is_an_error_at_the_first_name(tmp_path: Path) -> None:
    assert manifest_error(tmp_path, ENTRY + "- plan.txt\n") == (
        "sources.yaml:6: expected a source with keys file, loader, title, date, publisher, found a string 'plan.txt'")


def test_an_entry_without_file_or_title_is_an_error_at_the_entry(tmp_path: Path) -> None:
    assert manifest_error(tmp_path, ENTRY + "- loader: joint-work-plan\n  date: 2016\n  publisher: X\n") == (
        "sources.yaml:6: expected a source with keys file, loader, title, date, publisher, found none for file, title")


def test_an_unknown_loader_is_an_error_at_its_entry_not_its_position(tmp_path: Path) -> None:
    text = ENTRY + ENTRY.replace("joint-work-plan", "joint-workplan")
    assert manifest_error(tmp_path, text) == ("sources.yaml:6: expected a loader among ['capacity-building', "
                                              "'joint-work-plan', 'services-analysis'], found 'joint-workplan'")


def test_a_missing_file_is_an_error_at_its_entry(tmp_path: Path) -> None:
    assert manifest_error(tmp_path, ENTRY.replace("plan.txt", "plan-2016.txt")) == (
        "sources.yaml:1: expected a file 'plan-2016.txt' beside sources.yaml, found none")


def test_a_yaml_syntax_error_names_the_line_where_the_broken_value_starts(tmp_path: Path) -> None:
    assert manifest_error(tmp_path, ENTRY + '- file: "plan.txt\n  loader: joint-work-plan\n') == (
        "sources.yaml:6: expected valid YAML: while scanning a quoted scalar, found unexpected end of stream")


def test_a_byte_that_is_not_utf8_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "plan.txt").write_bytes(PLAN.encode("utf-8").replace(b"Cooperate", b"Co\xf6perate"))
    [source] = sources(tmp_path)
    with pytest.raises(SourceError) as err:
        list(loaders.load(source, load_reference()))
    assert str(err.value) == f"{tmp_path}/plan.txt:3: expected UTF-8 text, found the byte 0xf6"


def test_build_reports_a_bad_manifest_in_one_line_with_exit_code_2(tmp_path: Path) -> None:
    shutil.copy(SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt", tmp_path)
    (tmp_path / "sources.yaml").write_text("- cbd-cms-joint-work-plan-2016-2018.txt\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "meakg", "build", "--sources", str(tmp_path), "--out",
                          str(tmp_path / "g.ttl")], capture_output=True, text=True,
                         env={**os.environ, "MEAKG_BUILD_DIR": str(tmp_path / "build")})
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [(
        f"Error: {tmp_path}/sources.yaml:1: expected a source with keys file, loader, title, date, publisher, "
        "found a string 'cbd-cms-joint-work-plan-2016-2018.txt'")]


# ---------------------------------------------------------------- files confined to the folder, never echoed
SECRET = "MEAKG_PUBLISH_TOKEN=s3cr3t-t0ken"


OUTSIDE = "expected a file inside {folder} (beside sources.yaml or below), found '{name}', which is outside it"


@pytest.mark.parametrize("name, found", [
    ("../outside.txt", OUTSIDE), ("{outside}", OUTSIDE), ("link.txt", OUTSIDE), ("/proc/self/environ", OUTSIDE),
    ("fifo.txt", "expected a file 'fifo.txt' beside sources.yaml, found a FIFO"),
    ("zero.txt", OUTSIDE),
    ("sub", "expected a file 'sub' beside sources.yaml, found a folder"),
], ids=["parent", "absolute", "symlink-out", "proc", "fifo", "link-to-device", "folder"])
def test_a_file_outside_the_folder_or_not_a_regular_file_is_refused_without_its_content(tmp_path, name, found):
    folder, outside = tmp_path / "docs", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_text(SECRET + "\n")
    (folder / "link.txt").symlink_to(outside)
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "sub").mkdir()
    name = name.format(outside=outside)
    (folder / "sources.yaml").write_text(ENTRY.replace("plan.txt", name), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources(folder)
    assert str(err.value) == f"{folder}/sources.yaml:1: " + found.format(folder=folder, name=name)
    assert "s3cr3t" not in str(err.value)


def test_a_link_inside_the_folder_to_a_file_inside_it_is_read(tmp_path):
    (tmp_path / "plan-2016.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plan.txt").symlink_to(tmp_path / "plan-2016.txt")
    (tmp_path / "sources.yaml").write_text(ENTRY, encoding="utf-8")
    assert [s.path.name for s in sources(tmp_path)] == ["plan.txt"]


def test_a_document_larger_than_the_bound_is_refused_by_its_size(tmp_path, monkeypatch):
    from meakg.ontology import inputs

    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 100)
    monkeypatch.setattr(inputs.read_input, "__kwdefaults__", {"what": "a text file", "limit": 100})
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        loaders.read_text(tmp_path / "plan.txt")
    size = len(PLAN.encode())
    assert str(err.value) == f"{tmp_path}/plan.txt:1: expected a text file of at most 100 bytes, found {size}"


def test_a_document_name_with_a_space_is_one_line_before_anything_is_built(tmp_path):
    (tmp_path / "my plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(ENTRY.replace("plan.txt", "my plan.txt"), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources(tmp_path)
    assert str(err.value) == (f"{tmp_path}/sources.yaml:1: expected a file name of letters, digits, '.', '_', '-' "
                              "or '~' (it names the document's IRI), found 'my plan.txt'")


def test_a_layout_for_a_kind_that_reads_none_is_one_line(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plan.table.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(ENTRY + "  layout: plan.table.yaml\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources(tmp_path)
    assert str(err.value) == (f"{tmp_path}/sources.yaml:1: expected no layout for a joint-work-plan document "
                              "(its loader reads none), found 'plan.table.yaml'")


def test_two_entries_for_one_document_are_one_line(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(ENTRY + ENTRY, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources(tmp_path)
    assert str(err.value) == (f"{tmp_path}/sources.yaml:6: expected one entry per document, found a second 'plan' "
                              "(the first at line 1)")


def test_a_url_that_is_not_http_is_one_line(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(ENTRY + "  url: file:///etc/passwd\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources(tmp_path)
    assert str(err.value) == f"{tmp_path}/sources.yaml:1: expected url to be an http(s) address, found 'file:///etc/passwd'"


def meakg(*args: str, build: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "meakg", *args], capture_output=True, text=True,
                          env={**os.environ, "MEAKG_BUILD_DIR": str(build)})


@pytest.mark.parametrize("path, found", [("fifo", "a FIFO"), ("/dev/zero", "a character device"),
                                         ("/proc/self/environ", "a file of the proc file system (not data)"),
                                         ("folder", "a folder"), ("missing.txt", "nothing")],
                         ids=["fifo", "device", "proc", "folder", "missing"])
def test_source_naming_anything_but_a_document_file_says_what_it_names(tmp_path, path, found):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    path = path if path.startswith("/") else str(tmp_path / path)
    (tmp_path / "environ").write_text(SECRET)
    run = meakg("build", "--source", f"joint-work-plan={path}", build=tmp_path / "build")
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (f"Error: --source joint-work-plan={path}: expected a document file, found {found} "
                          "(see 'meakg build --help')\n")
    assert "MEAKG_PUBLISH_TOKEN" not in run.stderr


def test_source_with_the_name_of_a_document_already_in_the_build_is_an_error_not_a_merge(tmp_path):
    twin = tmp_path / "cbd-cms-joint-work-plan-2016-2018.txt"
    twin.write_bytes((SOURCES_DIR / twin.name).read_bytes())
    run = meakg("build", "--source", f"joint-work-plan={twin}", build=tmp_path / "build")
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (f"Error: {twin}:1: expected a document whose file name is not already in the build, "
                          "found a second 'cbd-cms-joint-work-plan-2016-2018' "
                          f"(also in {SOURCES_DIR}/sources.yaml); rename one\n")
    assert not (tmp_path / "build" / "manifest.json").exists()
