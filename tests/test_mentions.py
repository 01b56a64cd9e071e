"""Mentions as nodes (loaders.mentions, ontology/reference/mentions.yaml): organisations, initiatives,
events and targets the documents name are nodes, linked to each locator whose text names them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import URIRef

from meakg import loaders
from meakg.graph.build.current import open_store
from meakg.loaders.mentions import read_names
from meakg.loaders.reference import REFERENCE_DIR, load_reference
from meakg.loaders.text import normalise
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import ID
from meakg.queries import catalogue

JWP, DOC, CB = ("cbd-cms-joint-work-plan-2016-2018", "UNEP/CMS/COP11/Doc.16.2",
                "cms-capacity-building-work-plan-2012-2014")
ALL_THREE = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
SELECT ?organisation WHERE {
  ?organisation a org:Organization .
  ?locator schema:mentions ?organisation ; dcterms:isPartOf ?document .
} GROUP BY ?organisation HAVING (COUNT(DISTINCT ?document) = 3) ORDER BY ?organisation
"""


@pytest.fixture(scope="module")
def store():
    return open_store()


def mentions(store, named: str) -> set[tuple[str, str]]:
    result = catalogue.run("mentions", store=store, params={"named": ID + named})
    return {(row[3], row[4]) for row in result.values()}


def test_blg_csab_and_gef_are_named_where_the_plans_print_them(store) -> None:
    assert mentions(store, "agent/blg") == {
        (JWP, "Introduction, paragraph 1"), (JWP, "Table, row 1, activity 2"), (CB, "paragraph 12"),
        (CB, "Work plan table, activity 3.2"), (CB, "Action requested, item d")}
    assert mentions(store, "agent/csab") == {(JWP, "Introduction, paragraph 1")}
    assert mentions(store, "agent/gef") == {(JWP, "Table, row 14, activity 1")}


def test_unep_is_named_by_the_jwp_project_and_the_capacity_building_plan_not_only_as_administrator(store) -> None:
    named = mentions(store, "agent/unep")
    assert {(JWP, "Table, row 2, activity 1"), (CB, "paragraph 12"), (CB, "Work plan table, activity 3.2")} <= named
    assert (DOC, "Annex 1, paragraph 1") in named


def test_campaigns_and_days_are_events_named_where_printed(store) -> None:
    assert mentions(store, "event/world-migratory-bird-day") >= {(JWP, "Table, row 1, activity 1")}
    assert {d for d, _ in mentions(store, "event/world-migratory-bird-day")} == {JWP, DOC}
    assert mentions(store, "event/international-day-for-biological-diversity") == {(JWP, "Table, row 1, activity 1")}
    assert {d for d, _ in mentions(store, "event/world-wildlife-day")} == {DOC}


def test_aichi_target_1_is_linked_from_the_paragraph_that_names_it(store) -> None:
    assert mentions(store, "target/aichi/1") == {(DOC, "Annex to Annex 2, paragraph 15")}


def test_the_organisations_named_in_all_three_documents_are_a_plain_query(store) -> None:
    rows = [str(r[0].value) for r in store.query(ALL_THREE)]
    assert rows == [ID + "agent/unep"]
    # read against the texts: UNEP (not as a symbol's "UNEP/") in each, BLG not in Doc.16.2
    texts = [normalise(s.path.read_text(encoding="utf-8")) for s in loaders.sources()]
    assert all(re.search(r"(?<![\w/])UNEP(?![\w/])", t) for t in texts)
    assert [bool(re.search(r"\bBLG\b", t)) for t in texts] == [True, False, True]


def test_every_mention_slices_its_source_to_the_name_it_found() -> None:
    reference = load_reference()
    for source in loaders.sources():
        text = normalise(source.path.read_text(encoding="utf-8"))
        triples = list(loaders.load(source, reference))
        found = {s: {} for s, p, o in triples if "/mention-" in str(s)}
        for s, p, o in triples:
            if s in found:
                found[s][str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]] = o
        assert found
        for facts in found.values():
            assert text[int(facts["start"]):int(facts["end"])] == str(facts["exact"])


def test_a_mentions_entry_without_a_source_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mentions.yaml"
    path.write_text("- agent: unep\n  printed: [UNEP]\n  source: x\n- key: gef\n  class: organisation\n"
                    "  name: Global Environment Facility\n  printed: [GEF]\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_names(path)
    assert err.value.line == 4
    assert err.value.message.startswith("expected an entry with 'printed' names and a 'source'")


def test_the_bundled_names_all_cite_a_source() -> None:
    names = read_names(REFERENCE_DIR / "mentions.yaml")
    assert len(names) == 17 and all(n.source for n in names)
    assert URIRef(ID + "agent/gef") in {n.node for n in names}


# ------------------------------------------------------------ the most specific place that holds the words

def test_a_name_in_a_capacity_building_table_cell_is_cited_by_its_activity_not_a_bare_line(store) -> None:
    # "NBSAP processes" is printed on line 261, in the methodology cell of activity 3.2 (its row runs over 255-267)
    assert mentions(store, "initiative/nbsaps") >= {(CB, "Work plan table, activity 3.2")}
    assert not {where for _, where in mentions(store, "initiative/nbsaps") if where.startswith("Line ")}


def test_a_name_in_an_activity_is_cited_by_the_activity_not_also_by_its_row(store) -> None:
    for named in ("agent/unep", "agent/blg", "agent/gef", "event/world-migratory-bird-day"):
        assert not {where for document, where in mentions(store, named)
                    if document == JWP and where.startswith("Table, row") and "activity" not in where}, named


def test_a_name_in_a_caption_or_a_heading_is_cited_by_it(store) -> None:
    named = mentions(store, "agent/unep")
    assert {(DOC, "Table 1, caption"), (DOC, "Annex 1, typology heading (CMS family instruments geographically "
                                             "located together and administered by UNEP)")} <= named
    # what the loaders do not read (a figure's note, Annex 2's table of Future Shape activities) keeps its line
    assert {where for document, where in named if where.startswith("Line ")} == {"Line 325"}


def test_a_row_running_over_several_lines_selects_them_all() -> None:
    from meakg.loaders import capacity_building
    from meakg.loaders.provenance import selector_span

    source = next(s for s in loaders.sources() if s.key == CB)
    text = normalise(source.path.read_text(encoding="utf-8"))
    plan = capacity_building.parse(text, path=source.path, reference=load_reference(),
                                   layout=capacity_building.read_layout(source.layout))
    row = next(a for a in plan.activities if a.number == "3.2").locator
    assert (row.line, row.last_line) == (255, 269)   # its budget cell ends "required" on line 269
    start, end = selector_span(text, row.line, "", last_line=row.last_line)
    assert text[start:end].startswith("3.2 The progress and CMS Sec. Liaising with UNEP")
    assert "NBSAP processes" in text[start:end] and text[start:end].endswith("activities\n\nrequired")
