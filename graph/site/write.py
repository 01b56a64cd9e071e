"""``meakg site``: the build as a static website: home, search, matrices, questions, entities, sources, ontology.

Plain files (Jinja2 templates and the assets in ``templates/`` beside this module, SVG charts drawn here), no
server, no network, relative links only, so the site opens from ``file://`` or any static host;
the same build gives byte-identical files.
Where each page is and how pages link: ``meakg.graph.site.links``. Beside the pages, ``build.json`` records
the key of the build they were made from (``made_from``), so ``meakg serve`` can tell a site of another build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jinja2

from meakg.graph.build.current import ensure_current, open_store
from meakg.graph.files import write_tree
from meakg.graph.site import pages as site_pages
from meakg.graph.site.links import check_endpoint
from meakg.ontology.vocab import curie

TEMPLATES = Path(str(files(__package__))) / "templates"
RECORD = "build.json"   # {"build": the key of the build the pages were made from}
ASSETS = ("site.css", "site.js", "search.js", "minisearch.js", "minisearch.LICENSE.txt")   # MiniSearch: vendored, MIT


@dataclass(frozen=True)
class Site:
    """What ``build_site`` wrote: the folder and the files, relative paths sorted."""

    out: Path
    files: tuple[str, ...]

    @property
    def pages(self) -> int:
        return sum(1 for f in self.files if f.endswith(".html"))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["curie"] = lambda iri: curie(iri) or iri
    return env


def build_site(out: Path, *, endpoint: str | None = None, directory: Path | None = None) -> Site:
    """Write the static site of the current build (built first if stale) into *out*; return what was written.

    *endpoint* is a SPARQL endpoint URL: each query page then links to run the query there.
    """
    check_endpoint(endpoint)
    key = ensure_current(directory).key   # read before the store: a build switched in between makes the record stale
    store = open_store(directory)
    files = site_pages.render_all(store, env=environment(), endpoint=endpoint, directory=directory)
    for asset in ASSETS:
        files[f"assets/{asset}"] = (TEMPLATES / "assets" / asset).read_bytes()
    out = Path(out)
    # the record goes first and comes back last: pages left half-written never pass for a site of any build
    if (out / RECORD).is_symlink() or (out / RECORD).is_file():
        (out / RECORD).unlink()
    write_tree(out, files)  # never through a link planted inside out
    write_tree(out, {RECORD: json.dumps({"build": key}) + "\n"})
    return Site(out, tuple(sorted([*files, RECORD])))


def made_from(out: Path) -> str | None:
    """Return the key of the build whose pages the site in *out* holds, or None if it records none.

    >>> made_from(Path("/nonexistent"))
    """
    try:
        found = json.loads((Path(out) / RECORD).read_text(encoding="utf-8")).get("build")
    except (OSError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


