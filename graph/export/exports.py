"""One entry point for every file meakg exports: an RDF syntax (``rdf``) or the SSSOM mapping set (``sssom``).

``meakg export`` and ``meakg.export`` both call ``export``: the format comes from its name or the
file's extension (``formats.format_for``), and only here is it decided which writer makes it.

>>> export("sssom", graphs="asserted")
Traceback (most recent call last):
...
meakg.ontology.errors.MeakgError: --graphs asserted does not apply to sssom (the mapping set is always every mapping)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meakg.graph.export import rdf, sssom
from meakg.graph.export.formats import SSSOM, format_for
from meakg.ontology.errors import MeakgError


@dataclass(frozen=True)
class Exported:
    """What an export made: the format chosen and the text (also written to the file, if one was named)."""

    format: str
    text: str


def export(fmt: str | None = None, *, out: Path | None = None, graphs: str | None = None,
           endpoint: str | None = None, directory: Path | None = None) -> Exported:
    """Export the stored build as *fmt* (or the format *out*'s extension implies; Turtle if neither says).

    *graphs* (RDF only; default 'all') picks the named graphs, *endpoint* is recorded as the
    ``void:sparqlEndpoint``; both are refused for SSSOM rather than silently ignored.
    """
    chosen = format_for(fmt, Path(out) if out is not None else None)
    if chosen == SSSOM:
        for option, value in (("--graphs", graphs), ("--endpoint", endpoint)):
            if value is not None:
                raise MeakgError(f"{option} {value} does not apply to sssom (the mapping set is always every mapping)")
        return Exported(chosen, sssom.export(out, directory))
    return Exported(chosen, rdf.export(chosen, graphs=graphs or "all", out=out, directory=directory,
                                       endpoint=endpoint))
