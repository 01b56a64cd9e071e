"""Errors that mean bad input or usage: the CLI prints them as one line and exits 2."""

from pathlib import Path


class MeakgError(Exception):
    """An expected error: bad input, bad usage. Anything else is a bug and keeps its traceback."""


class SourceError(MeakgError, ValueError):
    """A source document (or data file) does not have the shape its loader expects.

    >>> str(SourceError(Path("plan.txt"), 3, "expected 3 cells, found 2"))
    'plan.txt:3: expected 3 cells, found 2'
    """

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = Path(path), line, message


class QueryError(MeakgError, ValueError):
    """A saved query, its header or its parameters are wrong."""


class DataError(MeakgError, ValueError):
    """An RDF file given to meakg cannot be read (syntax error, unknown format)."""
