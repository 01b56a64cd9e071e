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


class BuildError(MeakgError):
    """The build directory cannot be used: unwritable, a file, or its documents are gone."""


def first_line(err: BaseException) -> str:
    """Return the first line of *err*'s message, its whitespace collapsed (pyoxigraph's run over several).

    >>> first_line(ValueError("bad  IRI\\n  at column 3"))
    'bad IRI'
    """
    text = str(err.args[0] if err.args else err).strip()
    return " ".join(text.split("\n", 1)[0].split())


def printable(text: str) -> str:
    """Return *text* with control characters (C0, DEL, C1) and bidirectional overrides escaped, so
    that text from someone else's file cannot move the cursor, recolour a terminal or split a line.

    >>> printable("Gorilla\\x1b[2J\\nAgreement\\u202e")
    'Gorilla\\\\x1b[2J\\\\nAgreement\\\\u202e'
    """
    return "".join(_ESCAPES.get(c) or (_escape(c) if _unsafe(c) else c) for c in str(text))


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def _unsafe(char: str) -> bool:
    import unicodedata

    return char in _BIDI or unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
