"""Options and argument parsing the commands share, in one place: ``--quiet``, a query's bounds and output
format, ``--source``."""

from __future__ import annotations

from pathlib import Path

import click


def quiet_option(command):
    """--quiet: no progress lines or notes on stderr (errors still print)."""
    def set_quiet(ctx, param, value):
        from meakg.graph import progress

        progress.set_quiet(bool(value))
        return value

    return click.option("--quiet", "-q", is_flag=True, expose_value=False, is_eager=True, callback=set_quiet,
                        help="Print no progress on stderr.")(command)


def query_bounds(command):
    """The options every command running a query shares: its time and row limits, and federation."""
    from meakg.queries.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

    command = click.option("--allow-federation", "allow_service", is_flag=True,
                           help="Allow SERVICE clauses (federated queries that contact other endpoints).")(command)
    command = click.option("--max-rows", type=click.IntRange(min=1), default=DEFAULT_MAX_ROWS, show_default=True,
                           metavar="N", help="Fail if the answer has more than N rows.")(command)
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT,
                        show_default=True, metavar="S", help="Stop the query after S seconds (exit 2).")(command)


# what meakg query and meakg sparql print (queries.render.OutputFormat, spelt out: render is not imported here)
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown", "turtle", "ntriples", "jsonld")


def query_format(command):
    """--format of the commands that print an answer."""
    return click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
                        help="Rows: table, csv, tsv, json, xml (SPARQL 1.1 results formats), markdown. "
                             "Triples (CONSTRUCT, DESCRIBE): turtle, ntriples, xml (RDF/XML), jsonld.")(command)


def parse_sources(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Return ``--source KIND=PATH`` values as (kind, absolute path) pairs; a path naming anything but a regular
    file (a folder, a FIFO, a device, a file of /proc) is a usage error saying what it names.

    >>> parse_sources(("joint-work-plan=/dev/null",))
    Traceback (most recent call last):
    ...
    click.exceptions.UsageError: --source joint-work-plan=/dev/null: expected a document file, found a character device
    """
    from meakg.ontology.inputs import kind_of, virtual_mount

    found = []
    for value in values:
        kind, sep, path = value.partition("=")
        if not sep or not kind or not path:
            raise click.UsageError(f"expected --source KIND=PATH (e.g. joint-work-plan=plan.txt), found {value!r}")
        what = kind_of(Path(path))
        mount = virtual_mount(Path(path)) if what == "a regular file" else None
        if mount is not None:
            what = f"a file of the {mount[1]} file system (not data)"
        if what != "a regular file":
            raise click.UsageError(f"--source {value}: expected a document file, found {what}")
        found.append((kind, str(Path(path).resolve())))
    return tuple(found)
