"""The export comparison used to check that a refactoring keeps the graph (tests/tools/compare_exports.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location("compare_exports", Path(__file__).with_name("compare_exports.py"))
compare_exports = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(compare_exports)

BEFORE = """@prefix ex: <https://example.org/> .
ex:g1 { ex:a ex:p [ ex:q "1" ] . }
ex:g2 { ex:b ex:p ex:c . }
"""


def test_blank_node_names_do_not_matter_but_a_changed_iri_does(tmp_path: Path, capsys) -> None:
    before, renamed, changed = tmp_path / "a.trig", tmp_path / "b.trig", tmp_path / "c.trig"
    before.write_text(BEFORE, encoding="utf-8")
    renamed.write_text(BEFORE.replace('[ ex:q "1" ]', "_:x . _:x ex:q \"1\""), encoding="utf-8")
    changed.write_text(BEFORE.replace("ex:c", "ex:d"), encoding="utf-8")
    assert compare_exports.compare(str(before), str(renamed))
    assert not compare_exports.compare(str(before), str(changed))
    out = capsys.readouterr().out.splitlines()
    assert out[-3:] == ["https://example.org/g2: 1 / 1 triples, DIFFERENT",
                        "  - https://example.org/b https://example.org/p https://example.org/c",
                        "  + https://example.org/b https://example.org/p https://example.org/d"]
