"""The commands that hand the build to others: files (export), a website (site), an endpoint (serve),
a partner's triple store (publish).

Plain ``click`` commands that ``meakg.graph.cli.main`` adds to the ``meakg`` group when one of them is run or
listed, so ``meakg query`` never imports this module.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from meakg.graph.cli.options import quiet_option


@click.command("export")
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help="turtle (ttl), ntriples (nt), nquads (nq), trig, jsonld (json-ld), rdfxml (xml), or sssom "
                   "(the alignments as an SSSOM mapping set). Default: from --out's extension, else turtle.")
@click.option("--graphs", default=None, metavar="asserted|inferred|ontology|all",
              help="Which named graphs to export ('+' joins several; RDF formats only); the description graph is "
                   "always included.  [default: all]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically) instead of stdout; its extension picks the format "
                   "(.ttl .nt .nq .trig .jsonld .rdf .xml .sssom.tsv).")
@click.option("--endpoint", default=None, metavar="URL",
              help="A SPARQL endpoint serving this data, recorded as void:sparqlEndpoint.")
@quiet_option
def export_command(fmt: str | None, graphs: str | None, out: Path | None, endpoint: str | None) -> None:
    """Export the built graph with its VoID/DCAT description; byte-identical for the same build.

    A --format that contradicts --out's extension is refused (exit 2).

    \b
    Examples:
        meakg export --out build/meakg.ttl
        meakg export --out build/meakg.nq                 # N-Quads, from the extension
        meakg export --format trig --out build/meakg.trig
        meakg export --format jsonld --graphs asserted > meakg.jsonld
        meakg export --format sssom --out build/meakg.sssom.tsv
    """
    import time

    from meakg.graph import progress
    from meakg.graph.export.exports import export

    start = time.perf_counter()
    exported = export(fmt, out=out, graphs=graphs, endpoint=endpoint)
    if out is None:
        click.echo(exported.text, nl=False)
    what = "the mappings" if exported.format == "sssom" else f"{graphs or 'all'} graphs"
    progress.note(f"Exported {what} as {exported.format} ({len(exported.text.encode('utf-8'))} bytes)"
                  f" to {out or 'stdout'} in {time.perf_counter() - start:.1f} s")


@click.command("site")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the site into (created if missing)  [default: site/ in the build directory]")
@click.option("--endpoint", default=None, metavar="URL",
              help="A SPARQL endpoint serving this data: each query page links to run its query there.")
def site_command(out: Path | None, endpoint: str | None) -> None:
    """Write the build as a static website: matrices, saved queries, entities, sources, ontology.

    Plain files with relative links (open OUT/index.html from disk or any static host); the same
    build gives byte-identical files.

    \b
    Example:
        meakg site --out build/site
    """
    from meakg.graph.build.store import build_dir
    from meakg.graph.site.write import build_site

    # beside the build it shows, never a surprise build/ folder wherever the command runs
    out = out or build_dir() / "site"
    site = build_site(out, endpoint=endpoint)
    click.echo(f"Wrote {site.pages} pages ({len(site.files)} files) to {out}; open {out / 'index.html'}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port; 0 picks a free one.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True, metavar="S",
              help="Answer HTTP 503 to any query not answered in full within S seconds.")
@click.option("--max-concurrent", type=click.IntRange(min=1), default=4, show_default=True, metavar="N",
              help="Run at most N queries at once; others wait their turn (up to the timeout).")
@click.option("--allow-federation", "allow_service", is_flag=True,
              help="Let SERVICE clauses through (the endpoint then sends requests to other addresses).")
@click.option("--store", "location", type=click.Path(path_type=Path), default=None,
              help="Folder for the endpoint's Oxigraph store: new, empty, or one meakg serve made (anything else "
                   "is refused and left untouched) [default: endpoint/ in the build directory].")
@click.option("--site", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="The folder `meakg site` wrote, whose pages answer browsers at the IRIs "
                   "[default: site/ in the build directory, written if missing or made from another build].")
def serve_command(host: str, port: int, timeout: float, max_concurrent: int, allow_service: bool,
                  location: Path | None, site: Path | None) -> None:
    """Serve the built graph as a read-only SPARQL endpoint until Ctrl-C.

    Queries see every named graph without GRAPH clauses (their merge is the default graph); updates are refused.
    Each IRI (/id/..., /ontology, /query/NAME) answers with its page for a browser and its triples for an
    RDF client; GET /query without a query is the service description, /.well-known/void the VoID.

    \b
    Example:
        meakg serve --port 7878
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
             http://127.0.0.1:7878/query
    """
    from meakg.graph.serve.endpoint import run

    def echo(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()

    run(host, port, timeout=timeout, location=location, max_concurrent=max_concurrent, allow_service=allow_service,
        site=site, echo=echo)


@click.command("publish")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
                   "http://localhost:3030/meakg/data (Fuseki).")
@click.option("--dry-run", is_flag=True, help="List the graphs and their triple counts; send nothing.")
@click.option("--sparql-endpoint", default=None, metavar="URL",
              help="The store's SPARQL query URL, recorded in the description as void:sparqlEndpoint.")
def publish_command(endpoint: str, dry_run: bool, sparql_endpoint: str | None) -> None:
    """Push every named graph to a triple store (SPARQL 1.1 Graph Store Protocol, one PUT per graph).

    A PUT replaces its graph, so publishing again does not duplicate anything. Credentials come
    from the environment and are never printed: MEAKG_PUBLISH_TOKEN (Bearer), or
    MEAKG_PUBLISH_USER and MEAKG_PUBLISH_PASSWORD (Basic). If the store refuses a graph, the
    error names the graphs that made it and the exit code is 2.

    \b
    Examples:
        meakg publish --endpoint http://localhost:7878/store --dry-run
        MEAKG_PUBLISH_USER=admin MEAKG_PUBLISH_PASSWORD=... meakg publish --endpoint http://localhost:3030/meakg/data
    """
    from meakg.graph.serve.publish import check_endpoint, publish

    check_endpoint(endpoint)  # first: an endpoint URL holding credentials must not be echoed

    def sent(upload, status):
        click.echo(f"  {upload.triples:>7}  <{upload.graph}>  HTTP {status}")

    if not dry_run:
        click.echo(f"Publishing to {endpoint}:")
    result = publish(endpoint, dry_run=dry_run, sparql_endpoint=sparql_endpoint, progress=sent,
                     warn=lambda message: click.echo(f"Warning: {message}", err=True))
    if dry_run:
        click.echo(f"Would publish {len(result.uploads)} graphs ({result.triples} triples) to {endpoint}:")
        for upload in result.uploads:
            click.echo(f"  {upload.triples:>7}  <{upload.graph}>")
    else:
        click.echo(f"Published {len(result.uploads)} graphs ({result.triples} triples).")
