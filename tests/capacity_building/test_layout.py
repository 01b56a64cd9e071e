"""The table layout stated beside the 2012-2014 plan (its .table.yaml), checked entry by entry against the text."""

from __future__ import annotations

import pytest
import yaml

from meakg.loaders import SOURCES_DIR, SourceError, capacity_building, sources
from meakg.loaders.capacity_building.layout import read_layout
from meakg.loaders.reference import load_reference

SOURCE = SOURCES_DIR / "cms-capacity-building-work-plan-2012-2014.txt"
LAYOUT_FILE = SOURCE.with_suffix(".table.yaml")
LAYOUT = read_layout(LAYOUT_FILE)
REFERENCE = load_reference()
TEXT = SOURCE.read_text(encoding="utf-8")


def parse(layout):
    plan = capacity_building.parse(TEXT, path=SOURCE, reference=REFERENCE, layout=layout)
    return {a.number: a for a in plan.activities}


@pytest.fixture(scope="module")
def activities():
    return parse(LAYOUT)


def test_sources_yaml_names_the_layout_beside_the_plan() -> None:
    [plan] = [s for s in sources() if s.loader == "capacity-building"]
    assert plan.layout == LAYOUT_FILE


@pytest.mark.parametrize("column", ["title", "methodology"])
def test_each_stated_width_is_the_widest_line_the_text_prints_in_that_column(column: str) -> None:
    stated = LAYOUT["columns"][column]
    # printed on a line of its own (a row laid out column by column) or between " | " and a line end
    lines = [line.strip(" |") for line in TEXT.splitlines() if stated["widest"] in line]
    assert any(line == stated["widest"] or line.startswith(stated["widest"] + " |") or
               line.endswith("| " + stated["widest"]) or f"| {stated['widest']} |" in line for line in lines)
    assert len(stated["widest"]) == stated["width"]


@pytest.mark.parametrize("column", ["title", "methodology"])
def test_one_character_narrower_misreads_the_table(activities, column: str) -> None:
    narrower = yaml.safe_load(yaml.safe_dump(LAYOUT))
    narrower["columns"][column]["width"] -= 1
    assert parse(narrower) != activities


def test_without_a_layout_the_widths_are_unknown_and_the_table_is_misread(activities) -> None:
    changed = [n for n, a in parse(None).items() if a != activities[n]]
    assert changed == ["1.2", "1.3", "1.5", "2.4", "2.6", "3.1"]


@pytest.mark.parametrize("quirk", LAYOUT["quirks"], ids=[q["row"] for q in LAYOUT["quirks"]])
def test_each_quirk_reads_as_stated(activities, quirk: dict) -> None:
    activity = activities[quirk["row"]]
    read = {"title": activity.title, "methodology": activity.methodology, "budget": activity.budget.text}
    assert {cell: read[cell] for cell in quirk["cells"]} == quirk["cells"]


def test_a_layout_with_an_unknown_column_is_an_error_naming_its_line(tmp_path) -> None:
    broken = tmp_path / "p.table.yaml"
    broken.write_text("columns:\n  title: {width: 23}\n  budget: {width: 30}\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_layout(broken)
    assert (err.value.line, err.value.message) == (3, "expected 'title' or 'methodology' with an integer width, "
                                                      "found 'budget': {'width': 30}")
