"""The w3id.org redirect rules (w3id/.htaccess): read as mod_rewrite reads them, applied to requests with the Accept
headers browsers, curl and RDF tools send, and each target asked of a running endpoint."""

import re
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from meakg.graph.serve.endpoint import start

ROOT = Path(__file__).resolve().parent.parent
HTACCESS = ROOT / "w3id" / ".htaccess"
HOST = "https://meakg.example.org"
BROWSER = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
           "application/signed-exchange;v=b3;q=0.7")
CURL = "*/*"


def rules(text: str) -> list[tuple[list[tuple[str, str, set[str]]], str, str, set[str]]]:
    """Return each RewriteRule with the RewriteCond lines before it: (conditions, pattern, target, flags)."""
    found, conditions = [], []
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#") or parts[0] in ("Options", "RewriteEngine"):
            continue
        flags = set(parts[3].strip("[]").split(",")) if len(parts) > 3 else set()
        if parts[0] == "RewriteCond":
            conditions.append((parts[1], parts[2], flags))
        elif parts[0] == "RewriteRule":
            found.append((conditions, parts[1], parts[2], flags))
            conditions = []
        else:
            raise AssertionError(f"unexpected line in .htaccess: {line!r}")
    return found


def apply(path: str, accept: str) -> tuple[int, str] | None:
    """Return (status, Location) for a request of /meakg/*path* with *accept*, as mod_rewrite would in the folder."""
    for conditions, pattern, target, flags in rules(HTACCESS.read_text(encoding="utf-8")):
        if not _conditions_hold(conditions, {"%{HTTP_ACCEPT}": accept}):
            continue
        match = re.search(pattern, path)
        if match:
            status = int(next(f for f in flags if f.startswith("R=")).split("=")[1])
            assert "L" in flags
            return status, re.sub(r"\$(\d)", lambda m, found=match: found[int(m[1])], target)
    return None


def _conditions_hold(conditions, variables) -> bool:
    result, pending_or = True, False
    for test, pattern, flags in conditions:
        found = re.search(pattern, variables[test], re.I if "NC" in flags else 0) is not None
        result = (result or found) if pending_or else (result and found)
        pending_or = "OR" in flags
    return result


@pytest.mark.parametrize("path, accept, expected", [
    ("id/instrument/aewa", "text/turtle", (303, f"{HOST}/id/instrument/aewa.ttl")),
    ("id/instrument/aewa", "application/ld+json", (303, f"{HOST}/id/instrument/aewa.jsonld")),
    ("id/instrument/aewa", "application/n-triples", (303, f"{HOST}/id/instrument/aewa.nt")),
    ("id/instrument/aewa", "application/rdf+xml", (303, f"{HOST}/id/instrument/aewa.rdf")),
    ("id/instrument/aewa", BROWSER, (303, f"{HOST}/id/instrument/aewa")),
    ("id/instrument/aewa", CURL, (303, f"{HOST}/id/instrument/aewa")),
    ("id/target/aichi/12", "text/turtle;q=1.0, */*;q=0.1", (303, f"{HOST}/id/target/aichi/12.ttl")),
    ("ontology", "TEXT/TURTLE", (303, f"{HOST}/ontology.ttl")),
    ("ontology", BROWSER, (303, f"{HOST}/ontology")),
    ("query/target-alignment", "text/turtle", (303, f"{HOST}/query/target-alignment.ttl")),
    ("query/target-alignment", BROWSER, (303, f"{HOST}/query/target-alignment")),
    ("graph/reference", CURL, (303, f"{HOST}/store?graph=https://w3id.org/meakg/graph/reference")),
    ("context.jsonld", CURL, (302, f"{HOST}/context.jsonld")),
    ("mappings/meakg.sssom.tsv", CURL, (302, f"{HOST}/mappings/meakg.sssom.tsv")),
    ("", BROWSER, (302, f"{HOST}/")),
    ("query/../../etc", BROWSER, None),
    ("idx", BROWSER, None),
])
def test_each_iri_is_redirected_by_the_accept_header(path, accept, expected):
    assert apply(path, accept) == expected


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from meakg.graph.site.write import build_site

    site = tmp_path_factory.mktemp("site") / "site"
    build_site(site)
    handle = start(port=0, location=tmp_path_factory.mktemp("store") / "store", site=site, max_concurrent=2)
    yield handle
    handle.stop()


def test_every_download_url_of_the_description_reaches_its_file_at_the_endpoint(server):
    from meakg.graph.export.formats import FILES

    for published in FILES.values():
        path = published.download_url.removeprefix("https://w3id.org/meakg/")
        status, target = apply(path, CURL)
        assert status == 302, path
        with urllib.request.urlopen(target.replace(HOST, server.url), timeout=120) as response:
            assert response.headers["Content-Type"].split(";")[0] == published.media_type
            body = response.read()
        if published.format_iri:   # an RDF file: it parses, and names this endpoint in its description
            graph = pyoxigraph.Dataset(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.from_media_type(
                published.media_type)))
            assert len(graph) > 10000
            assert server.query_url.encode() in body
        else:
            assert body.startswith(b"#") and b"mapping_set_id" in body


@pytest.mark.parametrize("path, accept, media", [
    ("id/instrument/aewa", "text/turtle", "text/turtle"),
    ("id/instrument/aewa", "application/ld+json", "application/ld+json"),
    ("id/instrument/aewa", "application/n-triples", "application/n-triples"),
    ("id/instrument/aewa", "application/rdf+xml", "application/rdf+xml"),
    ("id/instrument/aewa", BROWSER, "text/html"),
    ("ontology", "text/turtle", "text/turtle"),
    ("ontology", BROWSER, "text/html"),
    ("query/target-alignment", "application/ld+json", "application/ld+json"),
    ("query/target-alignment", BROWSER, "text/html"),
    ("graph/reference", CURL, "text/turtle"),
    ("context.jsonld", CURL, "application/ld+json"),
    ("mappings/meakg.sssom.tsv", CURL, "text/tab-separated-values"),
])
def test_the_endpoint_answers_each_redirect_target_in_the_format_asked_for(server, path, accept, media):
    _, target = apply(path, accept)
    request = urllib.request.Request(target.replace(HOST, server.url), headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].split(";")[0] == media
        assert response.read()
