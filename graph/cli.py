"""The ``meakg`` command line: thin commands over the functions tests and notebooks also call.

Exit codes: 0 done; 1 the data does not conform (validate); 2 bad input or usage.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.errors import MeakgError

DEFAULT_OUT = "build/meakg.ttl"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """meakg: a knowledge graph of multilateral environmental agreements.

    \b
    Exit codes: 0 done, 1 data does not conform (validate), 2 bad input or usage.
    """


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Where to write the asserted graph (sources, reference data, ontology) as Turtle.")
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder with sources.yaml and documents to build from instead of the bundled ones.")
def build(out: Path, sources_dir: Path | None) -> None:
    """Build the graph from the source documents, write it as Turtle and print a summary.

    \b
    Example:
        meakg build --out build/meakg.ttl
    """
    from graph.build import build as build_dataset, summarize
    from graph.export import serialize
    from graph.store import save, write_atomic

    ds = build_dataset(sources_dir)
    write_atomic(out, serialize(ds, fmt="turtle", graphs="asserted+ontology"))
    if sources_dir is None:
        save(ds)
    click.echo(f"Wrote {out}")
    click.echo(str(summarize(ds)))


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
