"""What a build is made from: a folder of documents with its sources.yaml (or the bundled one), plus
single documents of a known kind; and the documents (``loaders.Source``) that names.

The query path reads a manifest's sources to check the build is current, so this module imports
the loaders only when documents are read.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from meakg.ontology.errors import BuildError, SourceError


def package_dir(name: str) -> Path:
    """Return the folder of our package *name* without importing it (the cold query path imports no loader).

    >>> package_dir("meakg.loaders").name in ("loaders",)
    True
    """
    spec = importlib.util.find_spec(name)
    return Path(spec.submodule_search_locations[0]).resolve()


BUNDLED_SOURCES = package_dir("meakg.loaders") / "sources"


@dataclass(frozen=True)
class Sources:
    """What a build is made from: a folder with sources.yaml (None: the bundled documents), plus single
    documents of a known kind, as (kind, path) pairs.

    >>> Sources().describe()
    'the bundled documents'
    >>> Sources(extra=(("joint-work-plan", "/tmp/plan.txt"),)).describe()
    'the bundled documents + joint-work-plan=/tmp/plan.txt'
    """

    directory: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        base = self.directory or "the bundled documents"
        return " + ".join([base, *(f"{kind}={path}" for kind, path in self.extra)])

    def files(self) -> list[Path]:
        """Return the files whose bytes make the documents: every file of the folder (but notes), and each extra."""
        folder = Path(self.directory) if self.directory else BUNDLED_SOURCES
        if not folder.is_dir():
            raise BuildError(f"{folder}: expected the folder of documents this build was made from, found "
                             f"{'nothing' if not folder.exists() else 'a file'} (run meakg build again)")
        found = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".md")
        for kind, path in self.extra:
            if not Path(path).is_file():
                raise BuildError(f"{path}: expected the {kind} document this build was made from, found nothing"
                                 " (run meakg build again)")
            found.append(Path(path))
        return found


def documents(sources: Sources = Sources()) -> list:
    """Return the documents (``loaders.Source``) *sources* names: its folder's sources.yaml, then each extra."""
    from meakg import loaders

    listed = loaders.sources(Path(sources.directory) if sources.directory else loaders.SOURCES_DIR)
    return [*listed, *(document(kind, Path(path)) for kind, path in sources.extra)]


def document(kind: str, path: Path):
    """Return a single document of a known *kind* to add to a build (``meakg build --source KIND=PATH``).

    Its title is its first non-blank line, its year the first year (19xx or 20xx) in that line or
    the file name; it has no symbol, so its key (the file stem) identifies it.
    """
    from meakg import loaders

    path = Path(path)
    if kind not in loaders.LOADERS:
        raise SourceError(path, 1, f"expected a kind of document among {', '.join(sorted(loaders.LOADERS))}, found {kind!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, 1, f"expected a readable UTF-8 text file ({err})") from None
    title = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    year = re.search(r"\b(19|20)\d\d\b", title) or re.search(r"(?<!\d)(19|20)\d\d(?!\d)", path.stem)
    if not title or year is None:
        raise SourceError(path, 1, f"expected a title line with the document's year (or a year in the file name), found {title[:60]!r}")
    return loaders.Source(path.resolve(), kind, title[:200], year.group(0), "", "")
