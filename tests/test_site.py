"""`meakg site`: the static site, rendered once and opened in headless Chromium.

The browser is Debian's ``chromium`` driven through ``chromedriver`` (Selenium); ``python
tests/install_tools.py`` installs both. Without them these tests fail and say so; none is skipped.
Screenshots of the main pages go to ``build/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from meakg.graph.build.current import open_store
from meakg.graph.site.links import page_path
from meakg.queries import catalogue

sys.path.insert(0, str(Path(__file__).parent))
from install_tools import DEBIAN, how  # noqa: E402

SCREENSHOTS = Path("build/screenshots")
JWP = "cbd-cms-joint-work-plan-2016-2018"
DOC16 = "unep-cms-cop11-doc-16-2-common-services"
MAIN_PAGES = ("index.html", "matrices.html", "queries/index.html", "queries/shared-functions.html", "id/index.html",
              "id/instrument/aewa.html", "id/target/aichi/16.html", f"sources/{JWP}.html", "ontology.html")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site of the current build, written once by the command a person runs."""
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "meakg", "site", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(rf"Wrote \d+ pages \(\d+ files\) to {re.escape(str(out))}; open .*index.html\n", done.stdout)
    return out


@pytest.fixture(scope="session")
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("the site tests need a headless browser and none was found: "
                    f"{how([DEBIAN['chromium'], DEBIAN['chromedriver']])} (or run: python tests/install_tools.py)",
                    pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()


def _open(browser, site: Path, page: str):
    browser.get((site / page).as_uri() if "#" not in page else (site / page.split("#")[0]).as_uri() + "#" + page.split("#")[1])
    return browser


def _screenshot(browser, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, max(600, min(height, 4000)))
    path = SCREENSHOTS / (name.replace("/", "_").removesuffix(".html") + ".png")
    browser.save_screenshot(str(path))
    browser.set_window_size(1280, 900)
    return path


# ------------------------------------------------------------------------------ in the browser

def test_main_pages_load_with_no_console_errors_and_are_screenshotted(browser, site):
    for page in MAIN_PAGES:
        _open(browser, site, page)
        errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        assert errors == [], page
        assert browser.find_element("css selector", "html").get_attribute("lang") == "en"
        assert browser.title.endswith("· meakg") and browser.find_element("css selector", "h1").text
        assert _screenshot(browser, page).stat().st_size > 10_000


def test_heatmap_has_exactly_the_cells_of_the_target_alignment_query(browser, site):
    _open(browser, site, "matrices.html")
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.heatmap a.cell'))"
        ".map(a => [a.dataset.ms, a.dataset.aichi, a.dataset.count, a.textContent.trim().slice(-3)])")
    result = catalogue.run("target-alignment", store=open_store())
    expected = sorted((ms, aichi, count) for ms, _, aichi, _, count, _, _ in result.values())
    assert sorted((ms, aichi, count) for ms, aichi, count, _ in cells) == expected
    assert all(text.endswith(count) for _, _, count, text in cells)  # the number drawn is the count
    assert len(expected) == 19 and ("5", "4", "4") in expected


def test_heatmap_shows_the_targets_without_joint_activity_as_empty_rows_and_columns(browser, site):
    _open(browser, site, "matrices.html")
    empty = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.heatmap text.label.empty')).map(t => t.lastChild.textContent)")
    assert empty == ["16", "MS 3", "MS 9"]
    answer = browser.find_element("id", "without-activity").text
    assert "Aichi Target 16: Access to and sharing benefits from genetic resources" in answer
    assert "Migratory Species Target 3: Governance arrangements improved" in answer


def test_a_heatmap_cell_leads_to_the_activities_it_counts(browser, site):
    _open(browser, site, "matrices.html")
    browser.find_element("css selector", 'svg.heatmap a.cell[data-ms="5"][data-aichi="7"]').click()
    row = browser.find_element("css selector", "tr:target")
    assert row.get_attribute("id") == "pair-ms-5-aichi-7"
    assert len(row.find_elements("css selector", "ol.acts li")) == 4
    assert row.find_element("css selector", "a.cite").text == f"{JWP}, Table, row 4 (Target 5 / Target 4 and Target 7)"


def test_a_citation_link_lands_on_the_element_with_that_id(browser, site):
    _open(browser, site, "id/instrument/aewa.html")
    link = browser.find_element("css selector", f'a.cite[href$="{DOC16}.html#table-1/aewa/administrative-services"]')
    assert link.text == "UNEP/CMS/COP11/Doc.16.2, Table 1, row AEWA, column Administrative services"
    link.click()
    assert browser.current_url.endswith(f"sources/{DOC16}.html#table-1/aewa/administrative-services")
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.get_attribute("id") == "table-1/aewa/administrative-services"
    line = browser.execute_script("return arguments[0].closest('.line')", target)
    assert line.find_element("css selector", ".text").text == "Shared"
    assert line.value_of_css_property("background-color") == "rgba(255, 243, 176, 1)"  # highlighted


def test_shared_administrative_services_are_one_click_from_home(browser, site):
    _open(browser, site, "index.html")
    browser.find_element("link text", "Which instruments already share administrative services?").click()
    shared = browser.execute_script(
        "const t = document.querySelector('#table-1 table'); const col = Array.from(t.tHead.rows[0].cells)"
        ".findIndex(c => c.textContent.startsWith('Administrative'));"
        "return Array.from(t.tBodies[0].rows).filter(r => r.cells[col].classList.contains('shared'))"
        ".map(r => r.cells[0].textContent.trim())")
    assert shared == ["CMS", "AEWA", "ASCOBANS", "EUROBATS"]


def test_home_answers_both_questions_and_each_name_leads_to_its_cell(browser, site):
    _open(browser, site, "index.html")
    cards = [c.text for c in browser.find_elements("css selector", ".cards li")]
    assert "Answer: Aichi Target 16 (Access to and sharing benefits from genetic resources)." in cards[0]
    assert ("Administrative services (finance, personnel, procurement, travel etc.): AEWA (Shared), ASCOBANS (Shared), "
            "CMS (Shared), EUROBATS (Shared), Gorilla Agreement (Interim Shared).") in cards[1]
    browser.find_element("css selector", ".cards li:nth-child(2) a[title='Table 1, row EUROBATS, column Administrative services']").click()
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.text == "Table 1, row EUROBATS, column Administrative services"
    assert browser.execute_script("return arguments[0].closest('.line').querySelector('.text').textContent.trim()", target) == "Shared"


def test_each_typology_number_leads_to_the_instruments_it_counts(browser, site):
    _open(browser, site, "matrices.html")
    counted = browser.execute_script(
        "return Array.from(document.querySelectorAll('#typology td.count > a[data-count]')).map(a => [a.dataset.count,"
        " document.getElementById(a.hash.slice(1)).nextElementSibling.querySelectorAll('a').length,"
        " document.getElementById(a.hash.slice(1)).textContent.split(' (')[0]])")
    assert [(int(n), listed) for n, listed, _ in counted] == [(1, 1), (4, 4), (3, 3), (12, 12), (3, 3), (4, 4)]
    assert counted[0][2] == "CMS family instruments geographically located together and administered by UNEP: Convention"


# ------------------------------------------------------------------------------ the files

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.duplicate_ids.append(attrs["id"])
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.sources.append(attrs.get("href") or attrs.get("src"))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_within_the_site_resolves_to_a_file_and_an_id(site):
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    broken, checked = [], 0
    for page, parsed in pages.items():
        for href in parsed.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # external: the licence, reference sources, an endpoint
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            fragment = unquote(parts.fragment)
            checked += 1
            if not target.is_file() or (fragment and target.suffix == ".html" and fragment not in pages[target].ids):
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []
    assert checked > 10_000
    assert {str(p.relative_to(site)): parsed.duplicate_ids for p, parsed in pages.items() if parsed.duplicate_ids} == {}


def test_the_site_loads_nothing_from_the_network(site):
    for page in site.rglob("*.html"):
        assert [s for s in _parse(page).sources if urlsplit(s).scheme not in ("", "data")] == [], page


def test_every_entity_page_follows_the_iri_rule_and_cites_its_statements(site):
    assert page_path("https://w3id.org/meakg/id/activity/cbd-cms-joint-work-plan-2016-2018/1.1") == \
        "id/activity/cbd-cms-joint-work-plan-2016-2018/1.1.html"
    page = (site / "id/activity/cbd-cms-joint-work-plan-2016-2018/1.1.html").read_text(encoding="utf-8")
    assert "<code>https://w3id.org/meakg/id/activity/cbd-cms-joint-work-plan-2016-2018/1.1</code>" in page
    assert f'href="../../../sources/{JWP}.html#row-1/activity-1"' in page
    assert len(list((site / "id/target/aichi").glob("*.html"))) == 20
    assert len(list((site / "queries").glob("*.html"))) == len(catalogue.names()) + 1


def test_query_pages_offer_csv_json_and_the_sparql(site):
    page = (site / "queries/target-alignment.html").read_text(encoding="utf-8")
    assert '<a href="target-alignment.csv" download>CSV</a>' in page and "SELECT ?msTarget" in page
    assert (site / "queries/target-alignment.csv").read_bytes().startswith(
        b"msTarget,msLabel,aichiTarget,aichiLabel,activityCount,locator,plan\r\n1,")
    assert "run it at the endpoint" not in page.lower()


def test_the_same_build_gives_byte_identical_files_and_an_endpoint_adds_run_links(site, tmp_path):
    from meakg.graph.site.write import build_site

    again = build_site(tmp_path / "again", endpoint="http://localhost:7878/query")
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p: (again.out / p).read_bytes() for p in again.files}
    assert sorted(first) == sorted(second)
    differ = sorted(p for p in first if first[p] != second[p])
    assert differ == sorted(f"queries/{name}.html" for name in catalogue.names())  # only the run-at-endpoint links
    run_link = re.compile(rb'<p><a class="button" href="http://localhost:7878/query\?query=[^"]+" rel="external">'
                          rb'Run it at the endpoint</a></p>')
    assert [p for p in differ if len(run_link.findall(second[p])) != 1
            or run_link.sub(b"", second[p]).replace(b" or at the endpoint below", b"") != first[p]] == []
    assert ('href="http://localhost:7878/query?query=PREFIX+mea%3A+%3Chttps%3A%2F%2Fw3id.org%2Fmeakg%2Fontology%23%3E'
            in second["queries/target-alignment.html"].decode())


def test_readme_test_command_installs_the_browser_and_ci_runs_it_exactly():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Quick start"):].split("```")[1].strip().splitlines()
    assert block[1] == "python -m pip install -e '.[test]' && python tests/install_tools.py && python -m pytest"
    ci = (root / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert ci[ci.index(". .venv/bin/activate") + 2] == block[1]
    assert "meakg site --out build/site" in readme and "docs/site-home.png" in readme
    assert (root / "docs/site-home.png").stat().st_size < 150_000


def test_install_tools_without_root_or_apt_says_how_to_install(monkeypatch, capsys):
    import install_tools

    monkeypatch.setattr(install_tools.shutil, "which", lambda command: None)
    monkeypatch.setattr(install_tools.os, "geteuid", lambda: 1000)
    assert install_tools.main() == 1
    assert capsys.readouterr().err == (
        "install_tools: missing chromium, chromium-driver, nodejs, npm; "
        "as root: apt-get update && apt-get install -y chromium chromium-driver nodejs npm\n")


def test_statements_cite_the_place_their_document_states_them():
    from meakg.graph.site import data as site_data

    data = site_data.load(open_store())
    aewa = {(s.predicate.rpartition("#")[2], s.value.rpartition("/")[2]): s.citations
            for s in data.statements("https://w3id.org/meakg/id/instrument/aewa")}
    typology = aewa[("typologyCategory", "cms-family-instruments-geographically-located-together-and-administered-by-unep")]
    assert [(c.kind, c.locator.document, c.locator.label) for c in typology] == \
        [("locator", DOC16, "Annex 1, paragraph 47")]
    assert [c.kind for c in aewa[("type", "ontology#Instrument")]] == ["inferred"]
    assert [c.source for c in aewa[("acronym", "AEWA")]] == [
        "https://w3id.org/meakg/id/locator/unep-cms-cop11-doc-16-2-common-services/annex-1/para-47",
        "https://www.informea.org/en/treaties/aewa/print"]
    cells = [s for s in data.statements("https://w3id.org/meakg/id/instrument/aewa", incoming=True)
             if s.subject.endswith("/table-1/aewa/administrative-services")]
    assert [(c.locator.label, c.locator.line, c.locator.quote) for c in cells[0].citations] == \
        [("Table 1, row AEWA, column Administrative services", 103, "Shared")]


def test_cli_site_with_an_endpoint_that_is_not_a_url_exits_2_with_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "meakg", "site", "--out", str(tmp_path), "--endpoint", "localhost:7878"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == ("Error: expected the SPARQL endpoint as an http(s) URL such as http://localhost:7878/query, "
                           "found 'localhost:7878'\n")
    assert list(tmp_path.iterdir()) == []


def test_an_entity_page_cites_each_statement_to_the_locator_that_states_it():
    from meakg.graph.site import data as site_data

    data = site_data.load(open_store())
    joint = {(s.predicate.rpartition("#")[2], s.value.rpartition("/")[2]): [c.locator.label for c in s.citations if c.locator]
             for s in data.statements("https://w3id.org/meakg/id/agent/joint-cms-family-secretariat")}
    assert joint[("covers", "eurobats")] == ["Annex 1, paragraph 31"]          # Figure 2 never names EUROBATS
    assert joint[("type", "org#Organization")] == ["Figure 2"]
    assert not any(e.startswith(("https://w3id.org/meakg/id/statement/", "https://w3id.org/meakg/id/selector/"))
                   for e in data.entities())


def test_site_goes_beside_the_build_by_default_not_into_the_current_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "MEAKG_BUILD_DIR": str(tmp_path / "b"), "PYTHONPATH": str(Path.cwd())}
    done = subprocess.run([sys.executable, "-m", "meakg", "site"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "b" / "site" / "index.html").is_file()
    assert list(elsewhere.iterdir()) == []
