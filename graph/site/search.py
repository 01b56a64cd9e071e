"""The search index written with the site: every entity, question, answer page and place of the
documents' text, as the documents MiniSearch (vendored in ``templates/assets/``) indexes in the browser.

The index is a script (``assets/search-index.js`` setting ``window.MEAKG_SEARCH``), not JSON fetched
at run time, so search works from ``file://`` as from any static host, offline. Entries are sorted and
written with sorted keys: the same build gives the same bytes.

>>> entry = Entry("id/instrument/aewa.html", "AEWA", "Instrument", names="AEWA", text="Agreement on ...")
>>> script([entry]).startswith('window.MEAKG_SEARCH = [{"id":0,"kind":"Instrument","names":"AEWA"')
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass

TEXT_LIMIT = 2000     # characters of a place's text indexed (a paragraph is rarely longer)


@dataclass(frozen=True, order=True)
class Entry:
    """One search result: the page (and place) it opens, its title, what kind of thing it is, what is searched."""

    url: str
    title: str
    kind: str
    names: str = ""       # acronyms, numbers, other names: weighted above the text
    text: str = ""


def script(entries: list[Entry]) -> str:
    """Return the index as the script the search page loads."""
    rows = [{"id": n, "url": e.url, "title": e.title, "kind": e.kind, "names": e.names, "text": e.text[:TEXT_LIMIT]}
            for n, e in enumerate(sorted(set(entries)))]
    body = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.MEAKG_SEARCH = {body};\n"


def document_entries(text: str, symbol: str, key: str, places: list[tuple[int, int, str, str]]) -> list[Entry]:
    """Return the entries of one document: each cited place (start, end, fragment, label) with its words,
    and each line no place covers, with its line number.

    >>> [(e.url, e.text) for e in document_entries("Title\\n\\n1. First.\\n", "Doc 1", "doc",
    ...                                         [(7, 16, "para-1", "paragraph 1")])]
    [('sources/doc.html#para-1', '1. First.'), ('sources/doc.html#L1', 'Title')]
    """
    entries, offset = [], 0
    covered: set[int] = set()  # line numbers, from 0
    for start, end, fragment, label in places:
        words = " ".join(text[start:end].split())
        if words:
            entries.append(Entry(f"sources/{key}.html#{fragment}", f"{symbol}, {label}", "Document text", text=words))
    for start, end, _, _ in places:
        covered.update(range(text.count("\n", 0, start), text.count("\n", 0, max(start, end - 1)) + 1))
    for n, line in enumerate(text.split("\n")):
        if line.strip() and n not in covered:
            entries.append(Entry(f"sources/{key}.html#L{n + 1}", f"{symbol}, line {n + 1}", "Document text",
                                 text=" ".join(line.split())))
        offset += len(line) + 1
    return entries
