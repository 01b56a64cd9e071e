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
    assert manifest_error(tmp_path, "") == "sources.yaml:1: expected a list of sources ('- file: ...'), found an empty file"


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
