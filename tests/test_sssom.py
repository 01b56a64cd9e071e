"""SSSOM: the alignments and published crosswalks as a mapping set that sssom-py reads back and validates."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sssom.parsers import parse_sssom_table
from sssom.validators import validate

from meakg.graph.build.current import open_store
from meakg.graph.build.store import read_manifest
from meakg.graph.export.sssom import COLUMNS, CURIE_MAP, MAPPING_SET_ID, export, rows, tsv

ROOT = Path(__file__).resolve().parent.parent
PLAN_AUTHORS = "agent:cbd-secretariat|agent:cms-secretariat"


@pytest.fixture(scope="module")
def text() -> str:
    return export()


@pytest.fixture(scope="module")
def table(text) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines[0].split("\t") == list(COLUMNS)
    return [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]


def problems(path: Path) -> list[str]:
    """Return every finding of sssom-py's validators (JSON schema, prefix map completeness, strict CURIEs)."""
    return [result.message for report in validate(parse_sssom_table(path), fail_on_error=False).values()
            for result in report.results]


def test_sssom_py_reads_the_file_back_and_finds_nothing_to_report(tmp_path, text):
    out = tmp_path / "meakg.sssom.tsv"
    out.write_text(text, encoding="utf-8")
    msdf = parse_sssom_table(out)
    assert msdf.metadata["mapping_set_id"] == MAPPING_SET_ID
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert msdf.metadata["creator_id"] == ["agent:meakg"]
    assert len(msdf.df) == 19 + 16  # the plan's 19 alignments and the 16 published crosswalk rows
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    assert set(msdf.df["predicate_id"]) == {"skos:relatedMatch"}
    assert problems(out) == []


def test_the_validators_do_find_a_broken_file(tmp_path, text):
    out = tmp_path / "broken.sssom.tsv"
    out.write_text(text.replace("#   alignment: https://w3id.org/meakg/id/alignment/\n", ""), encoding="utf-8")
    assert problems(out) == ["Missing prefix: alignment"]


def test_sssom_version_is_the_one_the_slots_need(tmp_path, text):
    out = tmp_path / "meakg.sssom.tsv"
    out.write_text(text, encoding="utf-8")
    msdf = parse_sssom_table(out)
    assert msdf.metadata["sssom_version"] == "1.1" == msdf.get_compatible_version()  # record_id is SSSOM 1.1


def test_publication_date_is_the_builds_date_not_the_clock(text):
    assert f"\n# publication_date: {read_manifest().built[:10]}\n" in text
    assert "# publication_date: 2001-02-03\n" in tsv([], version="1", date="2001-02-03")


def test_no_row_claims_a_mapping_source(table):
    assert "mapping_source" not in COLUMNS and "mapping_source" not in export()


def test_a_plan_alignment_cites_its_table_row_and_its_authors(table):
    ms8 = next(r for r in table if (r["subject_id"], r["object_id"]) == ("ms:8", "aichi:12"))
    assert ms8 == {
        "record_id": "alignment:cbd-cms-joint-work-plan-2016-2018/ms-8/aichi-12", "subject_id": "ms:8",
        "subject_label": ms8["subject_label"], "predicate_id": "skos:relatedMatch", "object_id": "aichi:12",
        "object_label": ms8["object_label"], "mapping_justification": "semapv:ManualMappingCuration",
        "subject_source": "scheme:migratory-species-targets", "object_source": "scheme:aichi-targets",
        "author_id": PLAN_AUTHORS, "creator_id": "agent:meakg", "mapping_provider": "",
        "see_also": "https://w3id.org/meakg/id/locator/cbd-cms-joint-work-plan-2016-2018/row-7",
        "comment": "Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018: Table, row 7 "
                   "(Target 8 / Target 12)"}
    plan_rows = [r for r in table if r["record_id"].startswith("alignment:")]
    assert len(plan_rows) == 19
    assert {r["author_id"] for r in plan_rows} == {PLAN_AUTHORS}
    assert all(re.fullmatch(r"https://w3id.org/meakg/id/locator/cbd-cms-joint-work-plan-2016-2018/row-\d+",
                            r["see_also"]) for r in plan_rows)


def test_a_published_mapping_names_its_page_and_the_site_that_publishes_it(table):
    dart = next(r for r in table if (r["subject_id"], r["object_id"]) == ("gbf:6", "aichi:9"))
    assert dart["record_id"] == "mapping:aichi-gbf/gbf-6-aichi-9"
    assert dart["see_also"] == "https://dart.informea.org/taxonomy/term/5973"
    assert dart["mapping_provider"] == "https://dart.informea.org/"
    assert dart["comment"] == "GBF Target 6 page: Mapping with CBD - Aichi Targets: Aichi Target 9"
    assert dart["author_id"] == "" and dart["creator_id"] == "agent:meakg"
    published = [r for r in table if r["record_id"].startswith("mapping:")]
    assert {r["mapping_provider"] for r in published} == {"https://dart.informea.org/", "https://www.informea.org/"}


def test_every_record_id_is_a_distinct_mapping_node_of_the_graph(table):
    store = open_store()
    expanded = [CURIE_MAP[r["record_id"].split(":", 1)[0]] + r["record_id"].split(":", 1)[1] for r in table]
    assert len(set(expanded)) == len(table)
    kinds = {iri: next(iter(store.query(f"SELECT ?c WHERE {{ <{iri}> a ?c FILTER(STRENDS(STR(?c), 'Mapping')"
                                        f" || STRENDS(STR(?c), 'Alignment')) }}")))["c"].value.rsplit("#", 1)[1]
             for iri in expanded}
    assert sorted(set(kinds.values())) == ["PublishedMapping", "TargetAlignment"]


def test_every_declared_prefix_is_used_and_every_curie_declared(text, table):
    free_text = ("subject_label", "object_label", "mapping_provider", "see_also", "comment")  # labels and URLs
    used = {cell.split(":", 1)[0] for r in table for column, value in r.items() if column not in free_text
            for cell in value.split("|") if cell}
    used |= {"agent"}  # the set's creator_id
    assert used == set(CURIE_MAP)


def test_rows_sort_numerically_by_subject(table):
    subjects = [r["subject_id"] for r in table if r["subject_id"].startswith("ms:")]
    assert subjects[:4] == ["ms:1", "ms:2", "ms:4", "ms:5"] and subjects[-1].startswith("ms:1")
    assert len(rows(open_store())) == len(table)


def test_the_same_build_gives_the_same_bytes_under_other_hash_seeds(text):
    code = "import sys; from meakg.graph.export.sssom import export; sys.stdout.write(export())"
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, encoding="utf-8", check=True)
        assert done.stdout == text


def test_cli_writes_sssom_chosen_by_extension(tmp_path, text):
    out = tmp_path / "x.sssom.tsv"
    done = subprocess.run([sys.executable, "-m", "meakg", "export", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == text
