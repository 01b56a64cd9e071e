"""SSSOM: the alignments and published crosswalks as a mapping set that sssom-py reads back."""

import subprocess
import sys
from pathlib import Path

from sssom.parsers import parse_sssom_table

from meakg.graph.export.sssom import COLUMNS, MAPPING_SET_ID, export

ROOT = Path(__file__).resolve().parent.parent


def test_sssom_file_reads_back_with_sssom_py(tmp_path):
    out = tmp_path / "meakg.sssom.tsv"
    export(out)
    msdf = parse_sssom_table(out)
    assert msdf.metadata["mapping_set_id"] == MAPPING_SET_ID
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert len(msdf.df) == 19 + 16  # the plan's 19 alignments and the 16 published crosswalk rows
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    assert set(msdf.df["predicate_id"]) == {"skos:relatedMatch"}
    assert {"semapv", "skos", "aichi", "ms", "gbf", "loc"} <= set(msdf.converter.prefix_map)


def test_each_mapping_names_where_it_is_stated(tmp_path):
    rows = [dict(zip(COLUMNS, line.split("\t"))) for line in export().splitlines() if not line.startswith("#")][1:]
    ms8 = next(r for r in rows if (r["subject_id"], r["object_id"]) == ("ms:8", "aichi:12"))
    assert ms8["mapping_source"].startswith("loc:cbd-cms-joint-work-plan-2016-2018/")
    dart = next(r for r in rows if (r["subject_id"], r["object_id"]) == ("gbf:6", "aichi:9"))
    assert dart["see_also"] == "https://dart.informea.org/taxonomy/term/5973"
    assert dart["comment"] == "GBF Target 6 page: Mapping with CBD - Aichi Targets: Aichi Target 9"


def test_subjects_sort_numerically():
    subjects = [line.split("\t")[0] for line in export().splitlines() if line.startswith("ms:")]
    assert subjects[:4] == ["ms:1", "ms:2", "ms:4", "ms:5"] and subjects[-1].startswith("ms:1")


def test_cli_writes_sssom_chosen_by_extension(tmp_path):
    out = tmp_path / "x.sssom.tsv"
    done = subprocess.run([sys.executable, "-m", "meakg", "export", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == export()
