"""Exact words: where in a document's text a citation points, and the source page that marks them.

A locator's position selector gives the words it stands for (a table cell's "Shared", a paragraph
wrapped over lines); a mention selector the words naming a node. A citation of a statement about a
node points at the node's own words inside the locator where the graph has them (its mention
selector), else where the locator's words print one of the node's names (its acronym, symbol or
label), else at the locator's words. Every range gets an element of its own on the source page, so
the browser's ``:target`` marks exactly those words:

- a locator: id = its ref (``table-1/aewa/administrative-services``), the rule of ``links.page_path``;
- a node's words inside a locator: id = ``at-<start>-<end>``, the offsets into the text.

>>> html = source_html("1.\\tShared services.\\n", [Span(3, 9, "at-3-9"), Span(0, 19, "para-1")], {})
>>> '<span class="sel" id="at-3-9">Shared</span>' in html, 'class="sel block" id="para-1"' in html
(True, True)
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

import markupsafe

from meakg.graph.site.data import Data, Locator


def escape(text: str) -> str:
    """Return *text* escaped for HTML as the templates escape it (markupsafe: ``'`` as ``&#39;``), so a
    document's words read the same bytes on its source page as anywhere else on the site."""
    return str(markupsafe.escape(text))


@dataclass(frozen=True, order=True)
class Span:
    """A range of a document's text with the id of the element that holds it."""

    start: int
    end: int
    id: str


class Words:
    """Finds the words a citation points at, and remembers every range a page links to, per document."""

    def __init__(self, data: Data, texts: dict[str, str]) -> None:
        self.data, self.texts = data, texts
        self.spans: dict[str, set[Span]] = defaultdict(set)   # document -> ranges linked to
        self._found: dict[tuple[str, str], Span | None] = {}
        self._starts: dict[str, list[int]] = {}

    def of(self, locator: Locator, *candidates: str) -> Span | None:
        """Return the words of the first of *candidates* (nodes, or printed values) that *locator*'s words
        print, else the locator's own words; register the range for its source page."""
        if locator.start is None or locator.end is None:
            return None
        span = next((found for found in (self._words(locator, c) for c in candidates) if found), None)
        if span is None:
            span = Span(locator.start, locator.end, locator.ref)
        self.spans[locator.document].add(span)
        return span

    def _words(self, locator: Locator, candidate: str) -> Span | None:
        key = (locator.iri, candidate)
        if key not in self._found:
            self._found[key] = self._search(locator, candidate)
        return self._found[key]

    def _search(self, locator: Locator, candidate: str) -> Span | None:
        for mention in self.data.mentions.get(candidate, ()):
            if mention.locator == locator.iri:
                return Span(mention.start, mention.end, f"at-{mention.start}-{mention.end}")
        if candidate in self.data.by_subject:
            names = self.data.printed(candidate)
        else:   # a printed value: a name, a title; a number only when it cannot be any figure
            names = [candidate] if len(candidate) >= 3 and not candidate.startswith("http") else []
        if locator.start is None:
            return None  # no words to search (``of`` asks only of a locator with a selector)
        text = self.texts.get(locator.document, "")[locator.start:self.region_end(locator)]
        for name in names:
            found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
            if found and found.end() - found.start() < len(text.strip()):
                start, end = locator.start + found.start(), locator.start + found.end()
                return Span(start, end, f"at-{start}-{end}")
        return None

    def region_end(self, locator: Locator) -> int:
        """Return where the words read as *locator* end: its selector's end, or, for a paragraph whose selector
        stops at the blank line before its bullet points ("Advantages: ... · Closer programming ..."), the
        end of those bullets, up to the next place of the document."""
        text = self.texts.get(locator.document, "")
        if locator.end is None or text[locator.end:locator.end + 2] != "\n\n":
            return locator.end or 0
        if locator.document not in self._starts:
            self._starts[locator.document] = sorted({loc.start for loc in self.data.locators.values()
                                                     if loc.document == locator.document and loc.start is not None})
        starts = self._starts[locator.document]
        at = bisect.bisect_left(starts, locator.end)
        end = starts[at] if at < len(starts) else len(text)
        lines = [line.strip() for line in text[locator.end:end].split("\n") if line.strip()]
        bullets = 0
        for line in lines:   # only the bullets right after it are part of it
            if not line.startswith(BULLETS):
                break
            bullets += 1
        if not bullets:
            return locator.end
        last = lines[bullets - 1]
        return text.index(last, locator.end) + len(last)


BULLETS = ("·", "•", "-", "–", "*", "(")


def source_html(text: str, spans: list[Span], margin: dict[int, list[tuple[str, str, bool]]]) -> str:
    """Return *text* as source-page HTML: one block per line, each range of *spans* in an element with its id.

    *margin* maps a 1-based line to the labels shown beside it: (label, fragment, whether the label holds
    the id itself, for a locator with no words to mark). A range over several lines, or a whole line,
    wraps the lines; a range inside a line wraps its words. Ranges nest (a cell inside a row, a name
    inside a paragraph); one that would cross another is left as a point at its start.
    """
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1

    def line_of(position: int) -> int:
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= position:
                low = middle
            else:
                high = middle - 1
        return low

    blocks: list[tuple[int, int, Span]] = []
    inline: dict[int, list[Span]] = defaultdict(list)
    for span in sorted(set(spans), key=lambda s: (s.start, -s.end, s.id)):
        first, last = line_of(span.start), line_of(max(span.start, span.end - 1))
        whole = text[starts[first]:starts[first] + len(lines[first])].strip() == text[span.start:span.end].strip()
        if first != last or whole:
            blocks.append((first, last, span))
        else:
            inline[first].append(span)
    blocks = _nested(blocks, inline)
    cited = {n for first, last, _ in blocks for n in range(first, last + 1)} | set(inline)
    opening = defaultdict(list)
    closing: dict[int, int] = defaultdict(int)
    outside: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for first, last, span in blocks:
        opening[first].append(span)
        closing[last] += 1
        begin = starts[first]
        if span.start > begin + len(lines[first]) - len(lines[first].lstrip()):
            outside[first].append((0, span.start - begin))
    out = []
    for n, line in enumerate(lines):
        for span in opening[n]:
            out.append(f'<div class="sel block" id="{escape(span.id)}">')
        if line.strip():
            out.append(_line(n + 1, line, starts[n], inline[n], outside[n], margin.get(n + 1, ()), n in cited))
        out.extend("</div>" for _ in range(closing[n]))
    return "\n".join(out) + "\n"


def _nested(blocks: list[tuple[int, int, Span]], inline: dict[int, list[Span]]) -> list[tuple[int, int, Span]]:
    """Keep the line ranges that nest; one that crosses an open range becomes a point in its first line."""
    kept = []
    open_: list[int] = []  # the last lines of the ranges open at this one
    for first, last, span in blocks:
        while open_ and open_[-1] < first:
            open_.pop()
        if open_ and last > open_[-1]:
            inline[first].append(Span(span.start, span.start, span.id))
            continue
        kept.append((first, last, span))
        open_.append(last)
    return kept


def _layout(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Return how a line is shown (table row, numbered paragraph or plain) and its parts as (start, end, class)."""
    if "\t" not in line:
        return "plain", []
    cells, position = [], 0
    for cell in line.split("\t"):
        cells.append((position, position + len(cell)))
        position += len(cell) + 1
    number = line[:cells[0][1]].strip()
    if len(cells) >= 2 and 0 < len(number) <= 5 and number[-1] in ".):":
        parts = [(cells[0][0], cells[0][1], "pnum")] + [(s, e, "part") for s, e in cells[2:]]
        return "numbered", parts
    return "row", [(s, e, "cell") for s, e in cells]


def _line(number: int, line: str, begin: int, spans: list[Span], outside: list[tuple[int, int]],
          margin, cited: bool) -> str:
    kind, parts = _layout(line)
    elements = [(s, e, 0, f'<span class="{css}">', "</span>") for s, e, css in parts]
    elements += [(s, e, 1, '<span class="outside">', "</span>") for s, e in outside]
    elements += [(span.start - begin, span.end - begin, 2, f'<span class="sel" id="{escape(span.id)}">', "</span>")
                 for span in spans]
    style = ""
    if kind == "row":
        style = f' style="grid-template-columns: repeat({len(parts) - 1}, minmax(5rem, 11rem)) 1fr"'
    marks = "".join(f'<a class="anchor" id="{escape(fragment)}" href="#{escape(fragment)}">{escape(label)}</a>'
                    if holds_id else f'<a class="anchor" href="#{escape(fragment)}">{escape(label)}</a>'
                    for label, fragment, holds_id in margin)
    css = "line" + (" cited" if cited else "") + (" row" if kind == "row" else "")
    return (f'<div class="{css}" id="L{number}"><a class="ln" href="#L{number}" aria-label="line {number}">{number}</a>'
            f'<span class="marks">{marks}</span><div class="text"{style}>{_nest(line, elements)}</div></div>')


def _nest(line: str, elements: list[tuple[int, int, int, str, str]]) -> str:
    """Return *line* escaped with *elements* (start, end, rank, open, close) wrapped round their ranges.

    At equal ranges the lower rank is outside (a table cell holds the mark of its words). An element
    that would cross one already open is dropped, except that a mark keeps its id as an empty point.
    """
    out, position = [], 0
    stack: list[tuple[int, str]] = []  # (end, closing tag) of the elements open here
    for start, end, _rank, opening, closing in sorted(elements, key=lambda e: (e[0], -e[1], e[2])):
        while stack and stack[-1][0] <= start:
            stop, close = stack.pop()
            out.append(escape(line[position:stop]) + close)
            position = stop
        out.append(escape(line[position:start]))
        position = start
        if stack and end > stack[-1][0]:
            if 'class="sel"' in opening:
                out.append(opening + closing)
            continue
        out.append(opening)
        stack.append((end, closing))
    while stack:
        stop, close = stack.pop()
        out.append(escape(line[position:stop]) + close)
        position = stop
    out.append(escape(line[position:]))
    return "".join(out)
