"""`meakg site`: the files it writes, read without a browser (tests/test_site_browser.py opens them in one).

The site is rendered once (the ``site`` fixture of tests/conftest.py, by the command a person runs).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import markupsafe
import pytest
from conftest import NEXT_PLAN, NEXT_PLAN_KEY  # the plan the next_plan_site fixture adds

from meakg.graph.build.current import open_store
from meakg.graph.site.links import page_path
from meakg.ontology.vocab import PREFIXES
from meakg.queries import catalogue
from meakg.queries.render import to_csv

JWP = "cbd-cms-joint-work-plan-2016-2018"
DOC16 = "unep-cms-cop11-doc-16-2-common-services"
JWP_TITLE = "Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018"   # cited by title: no symbol


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


@pytest.mark.parametrize("which", ["site", "next_plan_site"])
def test_every_link_within_the_site_resolves_to_a_file_and_an_id(which, request):
    site = request.getfixturevalue(which)
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
    # its statements cite the words of row 1's first activity, which carry its locator's id on the source page
    assert f'href="../../../sources/{JWP}.html#row-1/activity-1">{JWP_TITLE}, Table, row 1, activity 1</a>' in page
    assert '<span class="sel" id="row-1/activity-1">' in (site / f"sources/{JWP}.html").read_text(encoding="utf-8")
    assert len(list((site / "id/target/aichi").glob("*.html"))) == 20
    assert len(list((site / "queries").glob("*.html"))) == len(catalogue.names()) + 1


def test_query_pages_offer_csv_json_and_the_sparql(site):
    page = (site / "queries/target-alignment.html").read_text(encoding="utf-8")
    assert '<a href="target-alignment.csv" download>CSV</a>' in page and "SELECT ?msTarget" in page
    assert (site / "queries/target-alignment.csv").read_bytes().startswith(
        b"msTarget,msLabel,aichiTarget,aichiLabel,activityCount,locator,plan\r\n1,")
    assert "run it at the endpoint" not in page.lower()


@pytest.fixture(scope="module")
def again(tmp_path_factory):
    """The same build's site written again, for an endpoint."""
    from meakg.graph.site.write import build_site

    return build_site(tmp_path_factory.mktemp("again"), endpoint="http://localhost:7878/query")


def test_the_same_build_gives_byte_identical_files_and_an_endpoint_adds_run_links(site, again):
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p: (again.out / p).read_bytes() for p in again.files}
    assert sorted(first) == sorted(second)
    differ = sorted(p for p in first if first[p] != second[p])
    value_pages = sorted(p for p in first if p.startswith("queries/") and p.count("/") == 2 and p.endswith(".html"))
    # only the run-at-endpoint links: on every question's page and on each page of a question for one value
    assert differ == sorted([f"queries/{name}.html" for name in catalogue.names()] + value_pages)
    run_link = re.compile(rb'<p><a class="button" href="http://localhost:7878/query\?query=([^"]+)" rel="external">'
                          rb'Run it at the endpoint</a></p>')
    assert [p for p in differ if len(run_link.findall(second[p])) != 1
            or run_link.sub(b"", second[p]) != first[p]] == []
    assert ('href="http://localhost:7878/query?query=PREFIX+mea%3A+%3Chttps%3A%2F%2Fw3id.org%2Fmeakg%2Fontology%23%3E'
            in second["queries/target-alignment.html"].decode())


def _run_link(page: bytes) -> str:
    """The query text a page's "run it at the endpoint" link sends."""
    found = re.search(rb'href="http://localhost:7878/query\?query=([^"]+)"', page)
    return parse_qs("query=" + html.unescape(found[1].decode()))["query"][0]


def test_a_run_link_sends_the_question_as_its_page_answers_it(again):
    store = open_store()
    profile = _run_link((again.out / "queries/instrument-profile.html").read_bytes())
    assert profile.endswith('\nVALUES ?instrument { "AEWA" }\n')   # the default, as meakg query answers
    gorilla = _run_link((again.out / "queries/instrument-profile/gorilla-agreement.html").read_bytes())
    assert gorilla.endswith('\nVALUES ?instrument { "Gorilla Agreement" }\n')
    # run as sent, the text answers for that one instrument, exactly as the page's own answer
    expected = catalogue.run("instrument-profile", store=store, params={"instrument": "Gorilla Agreement"})
    assert catalogue.run_text(gorilla, store=store).rows == expected.rows and len(expected.rows) > 3
    assert {r["instrument"] for r in catalogue.run_text(gorilla, store=store).records()} == {"Gorilla Agreement"}
    target = _run_link((again.out / "queries/activities-for-target/aichi-12.html").read_bytes())
    assert target.endswith("\nVALUES ?target { <https://w3id.org/meakg/id/target/aichi/12> }\n")
    assert len(catalogue.run_text(target, store=store).rows) == 3
    everything = _run_link((again.out / "queries/activities-for-target.html").read_bytes())
    assert "VALUES" not in everything   # no default: the page answers for every target, and so does the link


def test_readme_test_command_installs_the_browser_and_ci_runs_it_exactly():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Quick start"):].split("```")[1].strip().splitlines()
    assert block[1] == "python -m pip install -e '.[test]' && python tests/install_tools.py && python -m pytest"
    ci = (root / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert ci[ci.index(". .venv/bin/activate") + 2] == block[1]
    assert "meakg site --out build/site" in readme and "docs/site-home.png" in readme
    for shot in ("site-home.png", "site-home-390.png", "site-source-390.png"):
        assert (root / "docs" / shot).stat().st_size < 150_000, shot


def test_install_tools_without_root_or_apt_says_how_to_install(monkeypatch, capsys):
    import install_tools

    monkeypatch.setattr(install_tools.shutil, "which", lambda command: None)
    monkeypatch.setattr(install_tools.os, "geteuid", lambda: 1000)
    assert install_tools.main() == 1
    assert capsys.readouterr().err == (
        "install_tools: missing chromium, chromium-driver, nodejs, npm; "
        "as root: apt-get update && apt-get install -y chromium chromium-driver nodejs npm\n")


def test_the_budget_chart_shows_a_maximum_without_a_minimum_as_a_ceiling():
    from meakg.graph.site.matrices import Budget, budget_svg

    ceiling = Budget("9.9", "Only a ceiling", None, 5000.0, "USD", "estimated", "up to US$5,000", "x", None)
    pair = Budget("1.4", "A range", 45000.0, 90000.0, "USD", "estimated", "US$45,000-90,000", "y", None)
    svg = budget_svg((ceiling, pair), lambda iri: f"#{iri}")
    assert "<title>Activity 9.9: Only a ceiling: up to 5,000 USD</title>" in svg
    assert '<rect x="60.0" y="28" width="31.1" height="22"/>' in svg  # from 0 to 5,000 of 90,000
    assert "<title>Activity 1.4: A range: 45,000-90,000 USD</title>" in svg


def test_statements_cite_the_place_their_document_states_them():
    from meakg.graph.site import data as site_data

    data = site_data.load(open_store())
    aewa = {(s.predicate.rpartition("#")[2], s.value.rpartition("/")[2]): s.citations
            for s in data.statements("https://w3id.org/meakg/id/instrument/aewa")}
    category = "cms-family-instruments-geographically-located-together-and-administered-by-unep"
    typology = aewa[("typologyCategory", category)]
    assert [(c.kind, c.locator.document, c.locator.label) for c in typology] == \
        [("locator", DOC16, "Annex 1, paragraph 47")]
    assert [c.kind for c in aewa[("type", "ontology#Instrument")]] == ["inferred"]
    # a reference fact cites the sources the reference data gives its node (a place in a document, as a place)
    cited = {c.source or c.locator.iri for c in aewa[("acronym", "AEWA")]}
    sources = set(data.values("https://w3id.org/meakg/id/instrument/aewa", "http://purl.org/dc/terms/source"))
    assert cited == sources == {
        "https://w3id.org/meakg/id/locator/unep-cms-cop11-doc-16-2-common-services/annex-1/para-47",
        "https://www.informea.org/en/treaties/aewa/print"}
    assert cited and all(c.kind in ("source", "locator") for c in aewa[("acronym", "AEWA")])
    cells = [s for s in data.statements("https://w3id.org/meakg/id/instrument/aewa", incoming=True)
             if s.subject.endswith("/table-1/aewa/administrative-services")]
    assert [(c.locator.label, c.locator.line, c.locator.quote) for c in cells[0].citations] == \
        [("Table 1, row AEWA, column Administrative services", 103, "Shared")]


def test_cli_site_with_an_endpoint_that_is_not_a_url_exits_2_with_one_line(tmp_path):
    command = [sys.executable, "-m", "meakg", "site", "--out", str(tmp_path), "--endpoint", "localhost:7878"]
    done = subprocess.run(command,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == ("Error: expected the SPARQL endpoint as an http(s) URL such as http://localhost:7878/query, "
                           "found 'localhost:7878'\n")
    assert list(tmp_path.iterdir()) == []


def test_an_entity_page_cites_each_statement_to_the_locator_that_states_it():
    from meakg.graph.site import data as site_data

    data = site_data.load(open_store())
    joint = {(s.predicate.rpartition("#")[2], s.value.rpartition("/")[2]):
             [c.locator.label for c in s.citations if c.locator]
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


# ------------------------------------------------------------------------------ questions for every value

def _count(sparql: str) -> int:
    return int(catalogue.run_text(sparql, store=open_store()).values()[0][0])


def test_every_parameterised_question_has_a_page_per_value_the_graph_holds(site):
    expected = {  # counted here from the graph, apart from the site's own lists
        ("instrument-profile", "instrument"): _count(
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?i a mea:Instrument ; mea:acronym ?a }"),
        ("activities-for-target", "target"): _count("SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a mea:Target }"),
        ("mentions", "named"): _count("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?p schema:mentions ?x }"),
        ("target-alignment", "plan"): _count("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a mea:WorkPlan }"),
        ("gbf-targets-for-joint-activities", "gbfTarget"): _count(
            "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t skos:inScheme <https://w3id.org/meakg/id/scheme/kmgbf> "
            "FILTER NOT EXISTS { ?t a mea:Goal } }"),
    }
    parameterised = {(q.name, p.name) for q in catalogue.list_queries() for p in q.params}
    assert parameterised == set(expected) | {("where-from", "node")}
    assert expected[("instrument-profile", "instrument")] == 34
    for (name, _), count in expected.items():
        pages = sorted((site / "queries" / name).glob("*.html"))
        assert len(pages) == count, name
        assert len(list((site / "queries" / name).glob("*.csv"))) == count, name
    # where-from is answered on every entity page
    entity_pages = [p for p in (site / "id").rglob("*.html") if p.name != "index.html"]
    assert entity_pages and all('id="where-from"' in p.read_text(encoding="utf-8") for p in entity_pages)


def test_a_value_page_shows_the_answer_of_the_query_for_that_value(site):
    result = catalogue.run("activities-for-target", store=open_store(), params={"target": "aichi:12"})
    assert (site / "queries/activities-for-target/aichi-12.csv").read_bytes() == to_csv(result).encode("utf-8")
    page = (site / "queries/activities-for-target/aichi-12.html").read_text(encoding="utf-8")
    answer = page[page.index('id="answer"'):page.index('class="technical"')]
    assert answer.count("<tr><td>") == len(result.rows) == 3
    assert "<h1>Aichi Target 12: Reducing risk of extinction</h1>" in page
    assert '<p class="answer-line">3 joint activities serve Aichi Target 12: Reducing risk of extinction.</p>' in page
    profile = (site / "queries/instrument-profile/gorilla-agreement.html").read_text(encoding="utf-8")
    assert "<h1>Gorilla Agreement</h1>" in profile
    aewa = (site / "id/instrument/aewa.html").read_text(encoding="utf-8")
    assert '<a href="../../queries/instrument-profile/aewa.html">' in aewa   # the profile, one click from its page


# ------------------------------------------------------------------------------ plain words

class _Visible(HTMLParser):
    """The text a reader sees without opening a "technical details" part, without the documents' own words."""

    SKIP = {"script", "style", "title", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.stack: list[bool] = []       # per open element: does it hide its content?

    def handle_starttag(self, tag, attrs):
        css = dict(attrs).get("class") or ""
        hidden = tag in self.SKIP or (tag == "details" and "technical" in css) or "source" == css or \
            (tag == "q" and "words" in css)
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.append(hidden)

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.text.append(data)


JARGON = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in PREFIXES) + r"):[A-Za-z0-9_]|https?://")


def test_no_page_shows_a_curie_or_an_iri_outside_its_technical_details(site):
    found = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Visible()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(parser.text)
        hits = sorted({m.group(0) for m in JARGON.finditer(text)})
        if hits:
            found[str(page.relative_to(site))] = hits[:5]
    assert found == {}
    aewa = (site / "id/instrument/aewa.html").read_text(encoding="utf-8")
    assert "<th scope=\"row\">Administered by</th>" in aewa and "mea:administeredBy" not in aewa.split("technical")[0]


def test_query_tables_have_worded_headers_and_formatted_amounts(site):
    page = (site / "queries/capacity-building-budget-total.html").read_text(encoding="utf-8")
    assert "<th scope=\"col\">Activities with amount</th>" in page and "activitiesWithAmount</th>" not in page
    assert '<td class="num">145,000 USD</td>' in page and '<td class="num">240,000 USD</td>' in page
    assert "Minimum total: 145,000" in page       # the one-line answer above the table


# ------------------------------------------------------------------------------ search

def test_the_search_index_holds_entities_questions_answers_and_the_documents_words(site):
    script = (site / "assets/search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.MEAKG_SEARCH = [") and script.endswith("];\n")
    entries = json.loads(script[len("window.MEAKG_SEARCH = "):-2])
    by_url = {e["url"]: e for e in entries}
    assert by_url["id/instrument/aewa.html"]["title"] == "AEWA"
    full_name = "Agreement on the Conservation of African-Eurasian Migratory Waterbirds"
    assert full_name in by_url["id/instrument/aewa.html"]["names"]
    assert by_url["queries/instrument-profile.html"]["kind"] == "Question"
    assert by_url["queries/instrument-profile/aewa.html"]["kind"] == "Answer"
    para = by_url[f"sources/{DOC16}.html#annex-1/para-31"]
    assert para["title"] == "UNEP/CMS/COP11/Doc.16.2, Annex 1, paragraph 31"
    assert "a move towards establishing a joint secretariat for CMS, AEWA and EUROBATS" in para["text"]
    assert [e["id"] for e in entries] == list(range(len(entries)))


# ------------------------------------------------------------------------------ a plan headed by other schemes



def test_a_plan_headed_by_gbf_targets_gets_its_own_matrix_linked_from_home(next_plan_site):
    page = (next_plan_site / f"matrices/{NEXT_PLAN_KEY}.html").read_text(encoding="utf-8")
    assert ("<h1>Migratory Species Targets × GBF Targets: Joint Work Plan for the CBD and CMS Secretariats for the "
            "period 2025-2027</h1>") in page
    assert '>Kunming-Montreal Global Biodiversity Framework</a></dd>' in page   # the scheme by its name
    cells = re.findall(r'data-row="([^"]+)" data-column="([^"]+)" data-count="(\d+)"', page)
    store = open_store(next_plan_site.parent / "build")
    answer = catalogue.run("target-alignment", store=store,
                           params={"plan": f"<https://w3id.org/meakg/id/plan/{NEXT_PLAN_KEY}>"})
    assert cells == [(r[0], r[2], r[4]) for r in answer.values()]
    assert cells == [("3", "3", "2"), ("7", "3", "1"), ("7", "22", "1")]
    assert ('<p class="answer-line">3 pairs of targets, served by 2 joint activities in 4 listings; '
            '14 Migratory Species Targets and 21 GBF Targets without any.</p>') in page
    assert len(re.findall(r'<text [^>]*class="label empty">', page)) == 14 + 21
    home = (next_plan_site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="matrices/{NEXT_PLAN_KEY}.html">Migratory Species Targets × GBF Targets</a>' in home
    assert f'<a href="matrices/{JWP}.html">Migratory Species Targets × Aichi Targets</a>' in home
    plan = (next_plan_site / f"id/plan/{NEXT_PLAN_KEY}.html").read_text(encoding="utf-8")   # and from the plan's page
    assert f'<a href="../../matrices/{NEXT_PLAN_KEY}.html">Migratory Species Targets × GBF Targets</a>' in plan


def test_each_plan_s_matrix_shows_the_targets_that_plan_leaves_without_activity(next_plan_site):
    page = (next_plan_site / f"matrices/{JWP}.html").read_text(encoding="utf-8")
    empty = re.findall(r'class="label empty"><title>([^:]+):', page)
    assert empty == ["Aichi Target 16", "Migratory Species Target 3", "Migratory Species Target 9"]
    # the question across every plan: the next plan serves MS Target 3, so only 9 is left there
    assert (next_plan_site / "queries/ms-targets-without-joint-activity.csv").read_text().splitlines()[1:] == [
        "9,Migration-systems approach to cooperation"]


# ------------------------------------------------------------------------------ sources a reader can check

def test_a_source_page_names_the_document_its_symbol_date_and_official_address(site, next_plan_site):
    doc16 = (site / f"sources/{DOC16}.html").read_text(encoding="utf-8")
    assert "<dt>Symbol</dt><dd>UNEP/CMS/COP11/Doc.16.2</dd>" in doc16 and "<dt>Date</dt><dd>2014</dd>" in doc16
    jwp = (site / f"sources/{JWP}.html").read_text(encoding="utf-8")
    assert "<dt>Symbol</dt><dd>none printed</dd>" in jwp
    for key in (JWP, DOC16, "cms-capacity-building-work-plan-2012-2014"):   # sources.yaml gives none a url
        page = (site / f"sources/{key}.html").read_text(encoding="utf-8")
        assert "<dt>Official copy</dt><dd>no official address recorded</dd>" in page, key
    url = "https://www.example.org/documents/cbd-cms-joint-work-plan-2025-2027.pdf"   # as tests/conftest.py gives it
    page = (next_plan_site / f"sources/{NEXT_PLAN_KEY}.html").read_text(encoding="utf-8")
    assert f'<dt>Official copy</dt><dd><a href="{url}" rel="external">example.org</a></dd>' in page


def test_every_fact_no_primary_source_confirmed_shows_its_notice(site):
    store = open_store()
    unverified = catalogue.run_text("SELECT ?s ?what WHERE { ?s mea:unverified ?what } ORDER BY ?s", store=store)
    notes: dict[str, list[str]] = {}
    for node, what in unverified.values():
        notes.setdefault(node, []).append(what)
    assert len(notes) >= 17 and "https://w3id.org/meakg/id/target/gbf/12" in notes
    for node, found in notes.items():
        page = (site / page_path(node)).read_text(encoding="utf-8")
        notice = markupsafe.escape("; ".join(sorted(found)))   # as the templates escape it
        assert f'<p class="unverified"><strong>Not confirmed by a primary source:</strong> {notice}</p>' in page, node
    shown = {str(p.relative_to(site)) for p in (site / "id").rglob("*.html") if 'class="unverified"' in p.read_text()}
    assert shown == {page_path(node) for node in notes}


# ------------------------------------------------------------------------------ the site meakg serve shows

def test_serve_writes_the_site_again_when_it_was_made_from_another_build(tmp_path, capsys):
    from meakg.graph.build.store import read_manifest
    from meakg.graph.serve.endpoint import site_of_build
    from meakg.graph.site.write import made_from

    directory, said = tmp_path / "build", []
    env = {**os.environ, "MEAKG_BUILD_DIR": str(directory)}
    for command in (["build", "--quiet"], ["site"]):
        assert subprocess.run([sys.executable, "-m", "meakg", *command], env=env, capture_output=True).returncode == 0
    folder = directory / "site"
    assert made_from(folder) == read_manifest(directory).key
    before = (folder / "index.html").stat().st_mtime_ns
    assert site_of_build(folder, said.append, directory=directory) == folder and said == []   # current: kept
    assert (folder / "index.html").stat().st_mtime_ns == before
    plan = tmp_path / f"{NEXT_PLAN_KEY}.txt"
    plan.write_text(NEXT_PLAN, encoding="utf-8")
    build = ["build", "--quiet", "--source", f"joint-work-plan={plan}"]
    assert subprocess.run([sys.executable, "-m", "meakg", *build], env=env, capture_output=True).returncode == 0
    # beside it, a folder given with --site is the user's: left as it is, and said to be stale
    assert site_of_build(folder, said.append, write=False, directory=directory) == folder and said == []
    assert capsys.readouterr().err == (f"Warning: the pages in {folder} were not made from the current build (they "
                                       f"stay as they are; 'meakg site --out {folder}' writes them again)\n")
    assert f"matrices/{NEXT_PLAN_KEY}.html" not in (folder / "index.html").read_text(encoding="utf-8")
    site_of_build(folder, said.append, directory=directory)
    assert said == [f"Wrote the site (the pages of the IRIs) to {folder}: its pages were made from another build"]
    assert made_from(folder) == read_manifest(directory).key
    assert f"matrices/{NEXT_PLAN_KEY}.html" in (folder / "index.html").read_text(encoding="utf-8")
