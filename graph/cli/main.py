"""The ``meakg`` command line: thin commands over the functions tests and notebooks also call.

Exit codes: 0 done; 1 the data does not conform (validate); 2 bad input or usage.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from pathlib import Path

import click

from meakg.graph.cli.options import parse_sources, query_bounds, query_format, quiet_option
from meakg.ontology.errors import MeakgError, printable

# Commands kept in other modules (by concern), imported only when one of them is run or the commands
# are listed (`meakg --help`): `meakg query` stays as light as before. Name -> module, function.
ELSEWHERE = {name: ("meakg.graph.cli.partners", f"{name}_command") for name in ("export", "site", "serve", "publish")}


class Commands(click.Group):
    """The meakg group: its own commands, and those of ELSEWHERE imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *ELSEWHERE})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in ELSEWHERE and name not in self.commands:
            module, function = ELSEWHERE[name]
            self.add_command(getattr(importlib.import_module(module), function), name)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands and args[0] not in ELSEWHERE:
            for name in ELSEWHERE:  # an unknown name: click's "Did you mean ...?" then considers every command
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="meakg", message="meakg %(version)s")
def cli() -> None:
    """meakg: a knowledge graph of multilateral environmental agreements.

    \b
    Exit codes: 0 done, 1 data does not conform (validate), 2 bad input or usage.
    """


# ---------------------------------------------------------------- saved and ad-hoc queries (queries/)
# Imports stay inside the commands: `meakg query` loads only click, yaml, pyoxigraph and our small
# modules when the stored build is current (see benchmarks/query_cold_start.py).


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
    from meakg.queries.catalogue import list_queries
    from meakg.queries.render import catalogue

    click.echo(catalogue(list_queries(), fmt, target=target))


@cli.command("query")
@click.argument("name", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Run the query in this .rq file (header optional) instead of a saved one.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable): an IRI or CURIE (aichi:12, inst:aewa), a literal or an integer, "
                   "as the query's header says.")
@query_format
@query_bounds
@quiet_option
def query_command(name: str | None, query_file: Path | None, params: tuple[str, ...], fmt: str,
                  timeout: float, max_rows: int, allow_service: bool) -> None:
    """Run a saved query (see `meakg queries`) or a query file, and print its rows.

    \b
    Examples:
        meakg query target-alignment
        meakg query activities-for-target --param target=aichi:12 --format csv
        meakg query --file my-query.rq --format json
    """
    from meakg.graph.build.current import run_on_build
    from meakg.queries import catalogue
    from meakg.queries.render import render

    if (name is None) == (query_file is None):
        raise click.UsageError("give the NAME of a saved query or --file F.rq (one of them)")
    values = catalogue.parse_params(params)
    saved = catalogue.load_file(query_file) if query_file is not None else catalogue.load(name or "")
    catalogue.bind(saved, values)  # bad parameters fail before the store is loaded
    result = run_on_build(lambda engine: catalogue.run(saved, store=engine, params=values, max_rows=max_rows,
                                                       timeout=timeout, allow_service=allow_service))
    _echo(render(result, fmt))
    if values:  # a value the graph does not hold: say so, with the closest ones, rather than a silent empty table
        from meakg.graph.build.current import open_store
        from meakg.queries.hints import unknown_values

        for warning in unknown_values(saved, values, open_store(), empty=not result.rows and result.triples is None):
            click.echo(f"Warning: {warning}", err=True)


@cli.command("sparql")
@click.argument("text")
@query_format
@query_bounds
@quiet_option
def sparql_command(text: str, fmt: str, timeout: float, max_rows: int, allow_service: bool) -> None:
    """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query (TEXT, or - for stdin) over the built graph.

    The default graph is the merge of all named graphs (sources, reference, ontology, inferred);
    the project prefixes (mea:, aichi:, ms:, gbf:, inst:, agent:, doc:, loc:, skos:, ...) are predeclared.
    CONSTRUCT and DESCRIBE answer with RDF: Turtle, or --format ntriples, xml, jsonld.

    \b
    Examples:
        meakg sparql 'SELECT ?n ?title WHERE { ?t a mea:AichiTarget ; skos:notation ?n ; skos:prefLabel ?title }'
        meakg sparql 'DESCRIBE gbf:13' --format ntriples
    """
    from meakg.graph.build.current import run_on_build
    from meakg.queries import catalogue
    from meakg.queries.limits import check_size
    from meakg.queries.render import render

    where = "sparql"
    if text == "-":
        text, where = _read_stdin(), "stdin"
    check_size(text, where=where)  # before the store is loaded
    result = run_on_build(lambda engine: catalogue.run_text(text, store=engine, where=where, max_rows=max_rows,
                                                            timeout=timeout, allow_service=allow_service))
    _echo(render(result, fmt))


def _read_stdin() -> str:
    """Return the query on stdin; bytes that are not UTF-8 are an error naming the line, not a traceback."""
    from meakg.queries.limits import MAX_QUERY_FILE_BYTES

    data = sys.stdin.buffer.read(MAX_QUERY_FILE_BYTES + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise MeakgError(f"stdin:{line}: expected a SPARQL query in UTF-8 text, found the byte "
                         f"{data[err.start]:#04x} (binary data?)") from None


def _echo(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the asserted graph (sources, reference data, ontology) as Turtle to FILE "
                   "(meakg export writes any graphs, in any format, from the build).")
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder with sources.yaml and documents to build from instead of the bundled ones.")
@click.option("--source", "extra", multiple=True, metavar="KIND=PATH",
              help="Add one document of a kind meakg reads (a package of meakg.loaders, e.g. joint-work-plan); "
                   "repeatable.")
@quiet_option
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

    from meakg.graph import progress
    from meakg.graph.build.assemble import Summary
    from meakg.graph.build.current import make, write_turtle
    from meakg.graph.build.sources import Sources
    from meakg.graph.build.store import build_dir, where
    from meakg.graph.files import check_target

    start = time.perf_counter()
    sources = Sources(str(sources_dir.resolve()) if sources_dir else None, parse_sources(extra))
    if out is not None:
        check_target(out)  # before the build, not after it
    directory = build_dir()
    manifest = make(sources, directory)
    if out is not None:
        with progress.step(f"Writing {out}"):
            write_turtle(out, directory)
        click.echo(f"Wrote {out}")
    click.echo(str(Summary(manifest.triples, manifest.classes)))
    progress.note(f"Built {sum(manifest.triples.values())} triples from {sources.describe()} "
                  f"into {where()} in {time.perf_counter() - start:.1f} s")


@cli.command("info")
def info_command() -> None:
    """Say which build the commands read: its directory, documents with their hashes, triple counts, when built.

    \b
    Example:
        meakg info
    """
    from meakg.graph.build.store import build_dir, problem, read_manifest, where
    from meakg.ontology.errors import BuildError

    directory = build_dir()
    manifest = read_manifest(directory)
    click.echo(f"Build directory: {where()}")
    if manifest is None:
        click.echo("No build yet: the next command builds the bundled documents (or run meakg build).")
        return
    try:
        state = problem(directory, manifest)
    except BuildError as err:  # its documents are gone: say so here, as every other command would
        state = str(err)
    click.echo(f"Built:           {manifest.built}")
    click.echo(f"Sources:         {manifest.sources.describe()}")
    shown = "current" if state is None else f"out of date: {state} (the next command rebuilds)"
    click.echo(f"State:           {shown}")
    click.echo("Documents:")
    for doc in manifest.documents:
        click.echo(f"  {doc['key']}  {doc['kind']}  sha256:{doc['sha256'][:16]}  {doc['origin']}")
    click.echo("Triples per graph:")
    for name, count in manifest.triples.items():
        click.echo(f"  {name:<45} {count:>9}")


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
@quiet_option
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
    from meakg.graph import progress
    from meakg.graph.check.validate import render, validate

    with progress.step(f"Validating {file or 'the build'} against the shapes"):
        result = validate(file, reason=not no_reason, with_build=with_build and file is not None)
    _echo(render(result, fmt))
    if not result.passes(strict=strict):
        sys.exit(1)  # not click's Exit: main() runs click with standalone_mode=False, which returns it


def main() -> None:
    """Run the CLI, printing expected errors as one line and exiting 2."""
    try:
        cli.main(standalone_mode=False, prog_name="meakg")
        _flush_stdout()
    except MeakgError as err:
        click.echo(f"Error: {printable(str(err))}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as err:
        click.echo(f"Error: {printable(_one_line(err))}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except OSError as err:
        if not _writing_output(err):
            raise
        # stdout is a full disk, /dev/full or a closed pipe: say so once; what is still buffered goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        hint = " (the disk is full)" if err.errno == errno.ENOSPC else ""
        click.echo(f"Error: cannot write the output: {err.strerror or err}{hint}", err=True)
        sys.exit(2)


def _flush_stdout() -> None:
    sys.stdout.flush()


def _writing_output(err: OSError) -> bool:
    """Whether *err* came from writing standard output (click.echo, or the final flush)."""
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and frames[-1].name in ("echo", "_flush_stdout") and not isinstance(err, MeakgError)


def _one_line(err: click.ClickException) -> str:
    """Return a usage error as one line, with the command to ask for help (click prints 3-4 lines)."""
    message = " ".join(err.format_message().split())
    context = getattr(err, "ctx", None)
    if isinstance(err, click.UsageError) and context is not None:
        message += f" (see '{context.command_path} --help')"
    return message


if __name__ == "__main__":
    main()
