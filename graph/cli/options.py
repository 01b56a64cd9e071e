"""Options and argument parsing the commands share, in one place: ``--quiet``, a query's bounds, ``--source``."""

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


def parse_sources(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
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
