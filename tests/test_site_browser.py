"""`meakg site` in a real browser: headless Chromium (Selenium, Debian's chromium-driver).

The site is rendered once and Chromium started once (tests/conftest.py). Pages are opened from
``file://``, as a reader who downloaded the site would. Screenshots of the main pages, at 1366 and
390 px wide, go to ``build/screenshots/`` for a person to look at. axe-core runs inside the page
from ``tests/npm/axe/`` (``python tests/install_tools.py`` installs it with ``npm ci``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from meakg.graph.build.current import open_store
from meakg.queries import catalogue

SCREENSHOTS = Path("build/screenshots")
AXE = Path(__file__).parent / "npm/axe/node_modules/axe-core/axe.min.js"
JWP = "cbd-cms-joint-work-plan-2016-2018"
DOC16 = "unep-cms-cop11-doc-16-2-common-services"
MATRIX = f"matrices/{JWP}.html"
MAIN_PAGES = ("index.html", "search.html", "matrices.html", MATRIX, "queries/index.html",
              "queries/shared-functions.html", "queries/instrument-profile.html",
              "queries/instrument-profile/aewa.html", "id/index.html",
              "id/instrument/aewa.html", "id/target/aichi/16.html", "id/agent/blg.html", "id/target/gbf/12.html",
              "id/scheme/spms-2024-2032.html", "id/instrument/cites.html",
              "id/decision/aewa-resolution-5.5.html",
              f"sources/{JWP}.html", f"sources/{DOC16}.html", "ontology.html")
NEXT_PLAN_KEY = "cbd-cms-joint-work-plan-2025-2027"   # the plan tests/conftest.py adds (next_plan_site)
NEXT_MATRIX = f"matrices/{NEXT_PLAN_KEY}.html"
MARK = "rgba(255, 243, 176, 1)"     # the background of marked words (as Selenium reports it)
MARK_CSS = "rgb(255, 243, 176)"     # (as getComputedStyle does)
JWP_TITLE = "Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018"   # it prints no symbol


def _open(browser, site: Path, page: str):
    path, _, fragment = page.partition("#")
    browser.get((site / path.partition("?")[0]).as_uri() + (f"?{path.partition('?')[2]}" if "?" in path else "")
                + (f"#{fragment}" if fragment else ""))
    return browser


def _width(browser, width: int) -> None:
    browser.set_window_size(width, 900)
    assert browser.execute_script("return window.innerWidth") == width


def _screenshot(browser, name: str, width: int) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, max(600, min(height, 4000)))
    path = SCREENSHOTS / f"{name.replace('/', '_').removesuffix('.html')}-{width}.png"
    browser.save_screenshot(str(path))
    browser.set_window_size(width, 900)
    return path


# ------------------------------------------------------------------------------ every page type

def test_main_pages_load_with_no_console_errors_and_are_screenshotted_at_both_widths(browser, site):
    for width in (1366, 390):
        _width(browser, width)
        for page in MAIN_PAGES:
            browser.get_log("browser")  # this page's messages only: the browser is the suite's, shared by other tests
            _open(browser, site, page)
            errors = [e["message"] for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
            assert errors == [], page
            assert browser.find_element("css selector", "html").get_attribute("lang") == "en"
            title = browser.title
            assert title.count("meakg") == 1 and browser.find_element("css selector", "h1").text, page
            assert title == browser.find_element("css selector", "h1").text + " · meakg" or page in (
                "index.html", "queries/instrument-profile/aewa.html"), title
            assert _screenshot(browser, page, width).stat().st_size > 5_000
    _width(browser, 1366)


def _sample(site: Path) -> list[str]:
    """Every page that is one of a kind, and of each kind of page (a question's values, an entity kind,
    a document) the first, the last and the two largest files."""
    kinds: dict[str, list[Path]] = defaultdict(list)
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site)
        grouped = rel.parts[0] in ("id", "queries") and len(rel.parts) > 2
        kinds["/".join(rel.parts[:2]) if grouped else str(rel)].append(page)
    chosen = set()
    for pages in kinds.values():
        largest = sorted(pages, key=lambda p: p.stat().st_size)[-2:]
        chosen |= {pages[0], pages[-1], *largest}
    return sorted(str(p.relative_to(site)) for p in chosen)


def test_no_page_is_wider_than_the_window_at_1366_or_390_pixels(browser, site):
    sample = _sample(site)
    assert len(sample) > 100 and "id/target/aichi/1.html" in sample   # once 2,544 px wide
    wide = []
    for width in (1366, 390):
        _width(browser, width)
        for page in sample:
            _open(browser, site, page)
            scroll = browser.execute_script("return document.documentElement.scrollWidth")
            if scroll > width:
                wide.append((width, page, scroll))
    _width(browser, 1366)
    assert wide == []


def _axe(browser) -> list:
    """Run axe-core in the page open in *browser*; return its serious and critical violations (id, nodes, first)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed in {AXE.parent.parent.parent}: run python tests/install_tools.py",
                    pytrace=False)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'best-practice']}, rules: {'target-size': {enabled: true}}}).then(r => done(JSON.stringify("
        "r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => [v.id, v.nodes.length, v.nodes[0].target.join(' ')])))).catch(e => done(String(e)));")
    return json.loads(result)


def test_axe_finds_no_serious_or_critical_violation_on_the_main_pages(browser, site):
    found = {}
    for width in (1366, 390):
        _width(browser, width)
        for page in MAIN_PAGES + ("search.html?q=AEWA",):
            _open(browser, site, page)
            violations = _axe(browser)
            if violations:
                found[f"{page} @{width}"] = violations
    _width(browser, 1366)
    assert found == {}


def test_a_plan_headed_by_other_schemes_gets_a_matrix_that_fits_both_widths_and_passes_axe(browser, next_plan_site):
    found, wide = {}, []
    for width in (1366, 390):
        _width(browser, width)
        for page in (NEXT_MATRIX, MATRIX, "matrices.html", "index.html", f"sources/{NEXT_PLAN_KEY}.html"):
            _open(browser, next_plan_site, page)
            scroll = browser.execute_script("return document.documentElement.scrollWidth")
            if scroll > width:
                wide.append((width, page, scroll))
            violations = _axe(browser)
            if violations:
                found[f"{page} @{width}"] = violations
        _open(browser, next_plan_site, NEXT_MATRIX)
        assert _screenshot(browser, "next-plan-matrix", width).stat().st_size > 5_000
    _width(browser, 1366)
    assert (wide, found) == ([], {})
    _open(browser, next_plan_site, "index.html")
    browser.find_element("link text", "Migratory Species Targets × GBF Targets").click()
    assert browser.find_element("css selector", "h1").text == ("Migratory Species Targets × GBF Targets: Joint Work "
                                                               "Plan for the CBD and CMS Secretariats for the period "
                                                               "2025-2027")
    browser.find_element("css selector", 'svg.heatmap a.cell[data-row="7"][data-column="22"]').click()
    row = browser.find_element("css selector", "tr:target")
    assert row.get_attribute("id") == "pair-ms-7-gbf-22"
    assert [li.text for li in row.find_elements("css selector", "ol.acts li")] == ["Report on connectivity jointly."]


def test_no_curie_or_iri_is_visible_outside_the_technical_details(browser, site):
    pattern = r"\b(mea|aichi|ms|gbf|inst|agent|doc|loc|skos|rdf|rdfs|dcterms|owl|prov|org|schema|oa|xsd):[A-Za-z0-9]|https?://"
    for page in MAIN_PAGES:
        _open(browser, site, page)
        hidden = browser.execute_script(   # closed <details> are not rendered, so not in innerText
            "document.querySelectorAll('.source, q.words').forEach(e => e.remove());"
            "return document.body.innerText.match(new RegExp(arguments[0], 'g'))", pattern)
        assert hidden is None, page
        assert browser.execute_script("return Array.from(document.querySelectorAll('details.technical'))"
                                      ".every(d => !d.open)"), page


# ------------------------------------------------------------------------------ search

def _search(browser, site: Path, words: str) -> list[str]:
    _open(browser, site, "index.html")
    box = browser.find_element("id", "site-search")
    box.send_keys(words)
    box.send_keys(Keys.ENTER)
    # Enter navigates to search.html, which renders the results once its index script has run; on a busy
    # machine that is after find_element's first look, so wait for them (a bound on waiting, not on speed)
    WebDriverWait(browser, 60).until(lambda b: b.current_url.split("?")[0].endswith("search.html")
                                     and b.find_elements("css selector", "#results li a"))
    return browser.execute_script("return Array.from(document.querySelectorAll('#results li a'))"
                                  ".map(a => a.getAttribute('href'))")


def test_search_finds_an_instrument_by_its_acronym_a_target_by_number_and_a_phrase_of_a_document(browser, site):
    assert _search(browser, site, "AEWA")[0] == "id/instrument/aewa.html"
    assert browser.current_url.endswith("search.html?q=AEWA")
    assert _search(browser, site, "Aichi Target 12")[0] == "id/target/aichi/12.html"
    assert _search(browser, site, "Gorilla Agreement")[0] == "id/instrument/gorilla-agreement.html"
    # words of paragraph 31 of Doc.16.2, typed as a reader would remember them
    found = _search(browser, site, "establishing a joint secretariat for CMS, AEWA and EUROBATS")
    assert found[0] == f"sources/{DOC16}.html#annex-1/para-31"
    browser.find_element("css selector", "#results li a").click()
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.get_attribute("id") == "annex-1/para-31"
    assert "joint secretariat for CMS, AEWA and EUROBATS" in target.text


def test_search_as_you_type_on_the_search_page(browser, site):
    _open(browser, site, "search.html")
    box = browser.find_element("id", "q")
    box.send_keys("Migratory Species of Wild Animals")
    status = browser.find_element("id", "search-status").text
    assert status.endswith("for “Migratory Species of Wild Animals”.") and status[0].isdigit()
    assert browser.execute_script("return document.querySelector('#results li a').getAttribute('href')") == \
        "id/instrument/cms.html"


def test_a_long_list_and_a_table_filter_as_you_type(browser, site):
    _open(browser, site, "id/index.html")
    box = browser.find_element("css selector", "#instrument .filter input")
    box.send_keys("gorilla")
    shown = browser.execute_script("return Array.from(document.querySelectorAll('#instrument li'))"
                                   ".filter(li => !li.hidden).map(li => li.textContent)")
    assert shown == ["Gorilla Agreement"]
    _open(browser, site, "queries/instrument-profile.html")
    assert browser.find_element("css selector", "form.go").is_displayed()


# ------------------------------------------------------------------------------ questions for every value

def test_a_question_form_opens_the_page_of_the_value_chosen(browser, site):
    _open(browser, site, "queries/activities-for-target.html")
    from selenium.webdriver.support.ui import Select

    choice = Select(browser.find_element("id", "go-target"))
    choice.select_by_visible_text("Aichi Target 12: Reducing risk of extinction")
    browser.find_element("css selector", "form.go button").click()
    assert browser.current_url.endswith("queries/activities-for-target/aichi-12.html")
    rows = browser.execute_script(
        "const t = document.querySelector('table.sortable');"
        "const n = Array.from(t.tHead.rows[0].cells).findIndex(c => c.textContent === 'Number');"
        "return Array.from(t.tBodies[0].rows).map(r => r.cells[n].textContent)")
    result = catalogue.run("activities-for-target", store=open_store(), params={"target": "aichi:12"})
    assert rows == [n for _, _, n, _, _, _ in result.values()]


# ------------------------------------------------------------------------------ exact words

def _marked(browser) -> list[str]:
    """The words a reader sees marked on a source page: each run of text drawn on the mark colour."""
    return browser.execute_script(
        "const walker = document.createTreeWalker(document.querySelector('.source'), NodeFilter.SHOW_TEXT);"
        "const runs = []; let run = '';"
        "while (walker.nextNode()) { const node = walker.currentNode; let e = node.parentElement, bg = '';"
        "  while (e) { bg = getComputedStyle(e).backgroundColor; if (bg !== 'rgba(0, 0, 0, 0)') break;"
        "              e = e.parentElement; }"
        "  if (bg === arguments[0]) { run += node.textContent; } else if (run) { runs.push(run); run = ''; } }"
        "if (run) runs.push(run);"
        "return runs.map(r => r.replace(/\\s+/g, ' ').trim()).filter(r => r);", MARK_CSS)


def _exact(document: str, ref: str) -> str:
    """The words a locator's position selector selects, read from the graph and the document's text."""
    from meakg.graph.site import data as site_data

    data = site_data.load(open_store())
    loc = data.locators[f"https://w3id.org/meakg/id/locator/{document}/{ref}"]
    return " ".join(site_data.source_text(data, document)[loc.start:loc.end].split())


def test_a_citation_opens_the_source_with_exactly_the_quoted_words_marked(browser, site):
    _open(browser, site, "id/decision/aewa-resolution-5.5.html")
    first = browser.find_element("css selector", "#where-from ol.places li")
    assert first.find_element("css selector", "q.words mark").text == "AEWA Resolution 5.5"
    first.find_element("css selector", "a.cite").click()
    assert f"sources/{DOC16}.html#at-" in browser.current_url
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.text == "AEWA Resolution 5.5"        # the sentence after paragraph 33, not its first line
    assert _marked(browser) == ["AEWA Resolution 5.5"]
    assert target.value_of_css_property("background-color") == MARK


def test_a_place_an_organisation_is_named_opens_on_its_name(browser, site):
    _open(browser, site, "id/agent/blg.html")
    places = browser.find_elements("css selector", "#named-in ol.places li")
    mentions = catalogue.run("mentions", store=open_store(), params={"named": "agent:blg"}).records()
    assert len(places) == len(mentions) >= 5     # every place the question lists, in both documents that name it
    assert len({p.find_element("css selector", "a.cite").text.split(",")[0] for p in places}) == 2
    marks = [p.find_element("css selector", "q.words mark").text for p in places]
    assert set(marks) == {"BLG", "Biodiversity Liaison Group"}     # the name as printed, acronym or in full
    places[0].find_element("css selector", "a.cite").click()
    assert _marked(browser) == ["BLG"]


def test_a_table_cell_citation_marks_the_cell(browser, site):
    _open(browser, site, "id/instrument/aewa.html")
    link = browser.find_element("css selector", f'a.cite[href$="{DOC16}.html#table-1/aewa/administrative-services"]')
    assert link.text == "UNEP/CMS/COP11/Doc.16.2, Table 1, row AEWA, column Administrative services"
    link.click()
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.get_attribute("id") == "table-1/aewa/administrative-services"
    assert _marked(browser) == ["Shared"] == [_exact(DOC16, "table-1/aewa/administrative-services")]


def test_a_paragraph_citation_marks_its_words_over_every_line_but_not_its_number(browser, site):
    _open(browser, site, f"sources/{DOC16}.html#annex-1/para-31")
    assert _marked(browser) == [_exact(DOC16, "annex-1/para-31")]
    assert _marked(browser)[0].startswith("By subsuming the ES functions under a JES")   # "31." stays unmarked
    _open(browser, site, f"sources/{DOC16}.html#figure-2/unit-1")     # a box of Figure 2, printed over three lines
    marked = _marked(browser)
    assert len(marked) == 3 and " ".join(marked) == _exact(DOC16, "figure-2/unit-1")
    assert marked[0].startswith("This unit would focus on the terrestrial agreements")


# ------------------------------------------------------------------------------ the matrices

def test_heatmap_has_exactly_the_cells_of_the_target_alignment_query(browser, site):
    _open(browser, site, MATRIX)
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.heatmap a.cell'))"
        ".map(a => [a.dataset.row, a.dataset.column, a.dataset.count, a.textContent.trim().slice(-3)])")
    result = catalogue.run("target-alignment", store=open_store())
    expected = sorted((ms, aichi, count) for ms, _, aichi, _, count, _, _ in result.values())
    assert sorted((ms, aichi, count) for ms, aichi, count, _ in cells) == expected
    assert all(text.endswith(count) for _, _, count, text in cells)  # the number drawn is the count
    assert len(expected) == 19 and ("5", "4", "4") in expected
    totals = browser.execute_script("return Array.from(document.querySelectorAll('svg.heatmap text.total'))"
                                    ".map(t => t.textContent)")
    assert sum(int(t) for t in totals) == 2 * sum(int(c) for _, _, c in expected)   # rows and columns
    axes = browser.execute_script("return Array.from(document.querySelectorAll('svg.heatmap text.axis'))"
                                  ".map(t => t.textContent)")
    assert axes[:2] == ["Aichi Targets →", "Migratory Species Targets ↓"]


def test_heatmap_shows_the_targets_without_joint_activity_as_empty_rows_and_columns(browser, site):
    _open(browser, site, MATRIX)
    empty = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.heatmap text.label.empty'))"
        ".map(t => t.firstChild.textContent.split(':')[0])")
    assert empty == ["Aichi Target 16", "Migratory Species Target 3", "Migratory Species Target 9"]
    answer = browser.find_element("id", "without-activity").text
    assert "Aichi Target 16: Access to and sharing benefits from genetic resources" in answer
    assert "Migratory Species Target 3: Governance arrangements improved" in answer


def test_a_heatmap_cell_leads_to_the_activities_it_counts(browser, site):
    _open(browser, site, "index.html")
    browser.find_element("link text", "Migratory Species Targets × Aichi Targets").click()   # one click from home
    browser.find_element("css selector", 'svg.heatmap a.cell[data-row="5"][data-column="7"]').click()
    row = browser.find_element("css selector", "tr:target")
    assert row.get_attribute("id") == "pair-ms-5-aichi-7"
    assert len(row.find_elements("css selector", "ol.acts li")) == 4
    assert row.find_element("css selector", "a.cite").text == \
        f"{JWP_TITLE}, Table, row 4 (Target 5 / Target 4 and Target 7)"


def test_shared_administrative_services_are_one_click_from_home(browser, site):
    _open(browser, site, "index.html")
    browser.find_element("link text", "Which instruments already share administrative services?").click()
    shared = browser.execute_script(
        "const t = document.querySelector('#table-1 table'); const col = Array.from(t.tHead.rows[0].cells)"
        ".findIndex(c => c.textContent.startsWith('Administrative'));"
        "return Array.from(t.tBodies[0].rows).filter(r => r.cells[col].classList.contains('shared'))"
        ".map(r => r.cells[0].textContent.trim())")
    assert shared == ["CMS", "AEWA", "ASCOBANS", "EUROBATS"]


def test_home_answers_its_questions_and_each_name_leads_to_its_cell(browser, site):
    _open(browser, site, "index.html")
    cards = {c.find_element("css selector", "strong").text: c.text
             for c in browser.find_elements("css selector", ".cards li")}
    assert "Answer: Aichi Target 16 (Access to and sharing benefits from genetic resources)." in \
        cards["Which Aichi Targets does the joint work plan leave without activity?"]
    assert ("Administrative services (finance, personnel, procurement, travel etc.): AEWA (Shared), ASCOBANS (Shared), "
            "CMS (Shared), EUROBATS (Shared), Gorilla Agreement (Interim Shared).") in \
        cards["Which instruments already share administrative services?"]
    assert "Answer: 145,000 to 240,000 USD for the 3 of 14 activities that give an amount" in \
        cards["What will capacity building cost?"]
    cell = "Table 1, row EUROBATS, column Administrative services"
    browser.find_element("css selector", f".cards a[title='{cell}']").click()
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.get_attribute("id") == "table-1/eurobats/administrative-services"
    assert target.find_element("css selector", ".text").text == "Shared"


def test_each_typology_number_leads_to_the_instruments_it_counts(browser, site):
    _open(browser, site, "matrices.html")
    counted = browser.execute_script(
        "return Array.from(document.querySelectorAll('#typology td.count > a[data-count]')).map(a => [a.dataset.count,"
        " document.getElementById(a.hash.slice(1)).nextElementSibling.querySelectorAll('a').length,"
        " document.getElementById(a.hash.slice(1)).textContent.split(' (')[0]])")
    assert [(int(n), listed) for n, listed, _ in counted] == [(1, 1), (4, 4), (3, 3), (12, 12), (3, 3), (4, 4)]
    category = "CMS family instruments geographically located together and administered by UNEP"
    assert counted[0][2] == f"{category}: Convention"


def test_the_document_by_organisation_table_counts_the_places_each_is_named(browser, site):
    _open(browser, site, "matrices.html")
    rows = browser.execute_script("return Array.from(document.querySelectorAll('#named tbody tr'))"
                                  ".map(r => Array.from(r.cells).map(c => c.textContent.trim()))")
    blg = next(r for r in rows if r[0] == "BLG")
    mentions = catalogue.run("mentions", store=open_store(), params={"named": "agent:blg"}).records()
    per_document = [sum(1 for m in mentions if m["document"] == d) for d in sorted({m["document"] for m in mentions})]
    assert blg[-1] == str(len(mentions)) and sorted(c for c in blg[1:-1] if c) == sorted(str(n) for n in per_document)
    assert len(per_document) == 2


def test_print_shows_the_whole_of_table_1(browser, site):
    _open(browser, site, "matrices.html")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        width = browser.execute_script("return document.querySelector('#table-1 table').getBoundingClientRect().width")
        page = browser.execute_script("return document.querySelector('main').getBoundingClientRect().width")
        hidden = browser.execute_script("return getComputedStyle(document.querySelector('header.top')).display")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert width <= page and hidden == "none"
