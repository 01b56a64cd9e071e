"""The ``meakg`` command line: thin commands over the functions tests and notebooks also call.

Exit codes: 0 done; 1 the data does not conform (validate); 2 bad input or usage.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ontology.errors import MeakgError

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="meakg", message="meakg %(version)s")
def cli() -> None:
    """meakg: a knowledge graph of multilateral environmental agreements.

    \b
    Exit codes: 0 done, 1 data does not conform (validate), 2 bad input or usage.
    """


def _quiet_option(command):
    """--quiet: no progress lines or notes on stderr (errors still print)."""
    def set_quiet(ctx, param, value):
        from graph import progress

        progress.set_quiet(bool(value))
        return value

    return click.option("--quiet", "-q", is_flag=True, expose_value=False, is_eager=True, callback=set_quiet,
                        help="Print no progress on stderr.")(command)


# ---------------------------------------------------------------- saved and ad-hoc queries (queries/)
# Imports stay inside the commands: `meakg query` loads only click, yaml, pyoxigraph and our small
# modules when the stored build is current (see benchmarks/query_cold_start.py).
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown", "turtle", "ntriples", "jsonld")


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "turtle"]), default="table", show_default=True,
              help="A table, a Markdown table, or Turtle (each query a sh:SPARQLSelectExecutable).")
@click.option("--target", default=None, metavar="URL",
              help="The SPARQL endpoint the queries run on, recorded as schema:target (Turtle only).")
def queries_command(fmt: str, target: str | None) -> None:
    """List the saved queries: name, title and parameters (or export the catalogue as RDF).

    \b
    Examples:
        meakg queries
        meakg queries --format turtle --target https://example.org/sparql > queries.ttl
    """
    from queries.catalogue import list_queries
    from queries.render import catalogue

    click.echo(catalogue(list_queries(), fmt, target=target))


@cli.command("query")
@click.argument("name", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Run the query in this .rq file (header optional) instead of a saved one.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable): an IRI or CURIE (aichi:12, inst:aewa), a literal or an integer, "
                   "as the query's header says.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="Rows: table, csv, tsv, json, xml (SPARQL 1.1 results formats), markdown. "
                   "Triples (CONSTRUCT, DESCRIBE): turtle, ntriples, xml (RDF/XML), jsonld.")
@_quiet_option
def query_command(name: str | None, query_file: Path | None, params: tuple[str, ...], fmt: str) -> None:
    """Run a saved query (see `meakg queries`) or a query file, and print its rows.

    \b
    Examples:
        meakg query target-alignment
        meakg query activities-for-target --param target=aichi:12 --format csv
        meakg query --file my-query.rq --format json
    """
    from graph.store import open_store
    from queries import catalogue
    from queries.render import render

    if (name is None) == (query_file is None):
        raise click.UsageError("give the NAME of a saved query or --file F.rq (one of them)")
    values = catalogue.parse_params(params)
    saved = catalogue.load(name) if name else catalogue.load_file(query_file)
    catalogue.bind(saved, values)  # bad parameters fail before the store is loaded
    store = open_store()
    result = catalogue.run(saved, store=store, params=values)
    _echo(render(result, fmt))
    if values:  # a value the graph does not hold: say so, with the closest ones, rather than a silent empty table
        from queries.hints import unknown_values

        for warning in unknown_values(saved, values, store, empty=not result.rows and result.triples is None):
            click.echo(f"Warning: {warning}", err=True)


@cli.command("sparql")
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="Rows: table, csv, tsv, json, xml (SPARQL 1.1 results formats), markdown. "
                   "Triples (CONSTRUCT, DESCRIBE): turtle, ntriples, xml (RDF/XML), jsonld.")
@_quiet_option
def sparql_command(text: str, fmt: str) -> None:
    """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query (TEXT, or - for stdin) over the built graph.

    The default graph is the merge of all named graphs (sources, reference, ontology, inferred);
    the project prefixes (mea:, aichi:, ms:, gbf:, inst:, agent:, doc:, loc:, skos:, ...) are predeclared.
    CONSTRUCT and DESCRIBE answer with RDF: Turtle, or --format ntriples, xml, jsonld.

    \b
    Examples:
        meakg sparql 'SELECT ?n ?title WHERE { ?t a mea:AichiTarget ; skos:notation ?n ; skos:prefLabel ?title }'
        meakg sparql 'DESCRIBE gbf:13' --format ntriples
    """
    from graph.store import open_store
    from queries import catalogue
    from queries.render import render

    if text == "-":
        text = click.get_text_stream("stdin").read()
    _echo(render(catalogue.run_text(text, store=open_store(), where="sparql"), fmt))


def _echo(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def _source_option(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    found = []
    for value in values:
        kind, sep, path = value.partition("=")
        if not sep or not kind or not path:
            raise click.UsageError(f"expected --source KIND=PATH (e.g. joint-work-plan=plan.txt), found {value!r}")
        if not Path(path).is_file():
            raise click.UsageError(f"--source {value}: expected a document file, found "
                                   f"{'a folder' if Path(path).exists() else 'nothing'} at {path}")
        found.append((kind, str(Path(path).resolve())))
    return tuple(found)


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the asserted graph (sources, reference data, ontology) as Turtle to FILE "
                   "(meakg export writes any graphs, in any format, from the build).")
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder with sources.yaml and documents to build from instead of the bundled ones.")
@click.option("--source", "extra", multiple=True, metavar="KIND=PATH",
              help="Add one document of a known kind (joint-work-plan, services-analysis, capacity-building); "
                   "repeatable.")
@_quiet_option
def build(out: Path | None, sources_dir: Path | None, extra: tuple[str, ...]) -> None:
    """Build the graph that every command then uses and print a summary.

    The build goes into the build directory (see `meakg info`): $MEAKG_BUILD_DIR, ./build in a
    meakg checkout, else a per-user data directory.

    \b
    Examples:
        meakg build
        meakg build --sources my-documents/
        meakg build --source joint-work-plan=cbd-cms-joint-work-plan-2019-2020.txt
    """
    import time

    from graph import progress
    from graph.build import summarize
    from graph.export import serialize
    from graph.files import write_atomic
    from graph.store import Sources, build_dir, make, where

    start = time.perf_counter()
    sources = Sources(str(sources_dir.resolve()) if sources_dir else None, _source_option(extra))
    directory = build_dir()
    ds, manifest = make(sources, directory)
    if out is not None:
        with progress.step(f"Writing {out}"):
            write_atomic(out, serialize(ds, fmt="turtle", graphs="asserted+ontology"))
        click.echo(f"Wrote {out}")
    click.echo(str(summarize(ds)))
    progress.note(f"Built {sum(manifest.triples.values())} triples from {sources.describe()} "
                  f"into {where()} in {time.perf_counter() - start:.1f} s")


@cli.command("info")
def info_command() -> None:
    """Say which build the commands read: its directory, documents with their hashes, triple counts, when built.

    \b
    Example:
        meakg info
    """
    from graph.store import problem, read_manifest, where, build_dir

    directory = build_dir()
    manifest = read_manifest(directory)
    click.echo(f"Build directory: {where()}")
    if manifest is None:
        click.echo("No build yet: the next command builds the bundled documents (or run meakg build).")
        return
    state = problem(directory)
    click.echo(f"Built:           {manifest.built}")
    click.echo(f"Sources:         {manifest.sources.describe()}")
    click.echo(f"State:           {'current' if state is None else 'out of date: ' + state + ' (the next command rebuilds)'}")
    click.echo("Documents:")
    for doc in manifest.documents:
        click.echo(f"  {doc['key']}  {doc['kind']}  sha256:{doc['sha256'][:16]}  {doc['path']}")
    click.echo("Triples per graph:")
    for name, count in manifest.triples.items():
        click.echo(f"  {name:<45} {count:>9}")


@cli.command("export")
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help="turtle (ttl), ntriples (nt), nquads (nq), trig, jsonld (json-ld), rdfxml (xml), or sssom "
                   "(the alignments as an SSSOM mapping set). Default: from --out's extension, else turtle.")
@click.option("--graphs", default="all", show_default=True, metavar="asserted|inferred|ontology|all",
              help="Which named graphs to export ('+' joins several); the description graph is always included.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically) instead of stdout; its extension picks the format "
                   "(.ttl .nt .nq .trig .jsonld .rdf .xml .sssom.tsv).")
@click.option("--endpoint", default=None, metavar="URL",
              help="A SPARQL endpoint serving this data, recorded as void:sparqlEndpoint.")
@_quiet_option
def export_command(fmt: str | None, graphs: str, out: Path | None, endpoint: str | None) -> None:
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

    from graph import progress
    from graph.export import export, format_for

    start = time.perf_counter()
    chosen = format_for(fmt, out, extra=("sssom",))
    if chosen == "sssom":
        from graph.sssom import export as export_sssom

        text = export_sssom(out)
    else:
        text = export(chosen, graphs=graphs, out=out, endpoint=endpoint)
    if out is None:
        click.echo(text, nl=False)
    progress.note(f"Exported {graphs} graphs as {chosen} ({len(text.encode('utf-8'))} bytes) to "
                  f"{out or 'stdout'} in {time.perf_counter() - start:.1f} s")


@cli.command("site")
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
    from graph.site import build_site
    from graph.store import build_dir

    # beside the build it shows, never a surprise build/ folder wherever the command runs
    out = out or build_dir() / "site"
    site = build_site(out, endpoint=endpoint)
    click.echo(f"Wrote {site.pages} pages ({len(site.files)} files) to {out}; open {out / 'index.html'}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port; 0 picks a free one.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Stop any query that runs longer than S seconds.")
@click.option("--store", "location", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Oxigraph store directory to (re)load and serve [default: build/oxigraph].")
def serve_command(host: str, port: int, timeout: float | None, location: Path | None) -> None:
    """Serve the built graph as a read-only SPARQL endpoint (Oxigraph) until Ctrl-C.

    Queries see every named graph without GRAPH clauses (their merge is the default graph); updates are refused.

    \b
    Example:
        meakg serve --port 7878
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
             http://127.0.0.1:7878/query
    """
    from graph.serve import run

    run(host, port, timeout=timeout, location=location, echo=lambda line: click.echo(line) or sys.stdout.flush())


@cli.command("publish")
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
    from graph.publish import check_endpoint, publish

    check_endpoint(endpoint)  # first: an endpoint URL holding credentials must not be echoed

    def sent(upload, status):
        click.echo(f"  {upload.triples:>7}  <{upload.graph}>  HTTP {status}")

    if not dry_run:
        click.echo(f"Publishing to {endpoint}:")
    result = publish(endpoint, dry_run=dry_run, sparql_endpoint=sparql_endpoint, progress=sent)
    if dry_run:
        click.echo(f"Would publish {len(result.uploads)} graphs ({result.triples} triples) to {endpoint}:")
        for upload in result.uploads:
            click.echo(f"  {upload.triples:>7}  <{upload.graph}>")
    else:
        click.echo(f"Published {len(result.uploads)} graphs ({result.triples} triples).")


@cli.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True,
              help="A readable report, the sh:ValidationReport as Turtle, or JSON.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on violations.")
@click.option("--no-reason", "no_reason", is_flag=True,
              help="Do not add the OWL-RL closure to a FILE that lacks an 'inferred' graph.")
@click.option("--with-build", "with_build", is_flag=True,
              help="Check FILE together with the stored build, so it may refer to our instruments, targets, "
                   "agents and plans without describing them; report only what FILE adds.")
@_quiet_option
def validate_command(file: Path | None, fmt: str, strict: bool, no_reason: bool, with_build: bool) -> None:
    """Check the stored build, or an RDF FILE (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML), against the shapes.

    The report lists one sorted line per result, grouped by severity and shape, naming each node
    by its label and the source line it was read from.

    \b
    Exit codes: 0 conforms (warnings alone do not fail unless --strict), 1 violations,
    2 unusable input (unreadable file, syntax error with line and column).
    \b
    Examples:
        meakg validate
        meakg validate partner-data.ttl --format json
        meakg validate partner-activities.ttl --with-build
    """
    from graph import progress
    from graph.validate import render, validate

    with progress.step(f"Validating {file or 'the build'} against the shapes"):
        result = validate(file, reason=not no_reason, with_build=with_build and file is not None)
    _echo(render(result, fmt))
    if not result.passes(strict=strict):
        sys.exit(1)  # not click's Exit: main() runs click with standalone_mode=False, which returns it


def main() -> None:
    """Run the CLI, printing expected errors as one line and exiting 2."""
    try:
        cli.main(standalone_mode=False)
    except MeakgError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as err:
        err.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
