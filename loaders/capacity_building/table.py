"""Recover the four cells of a capacity-building work plan row from PDF-extracted text.

The table has four columns: *Activities undertaken* (the title), *Responsibility*, *Methodology
and expected outcome* and *Budget Estimate*. Extraction lost the column positions: a line holds
pieces of one or more cells in column order, sometimes separated by " | " and sometimes by a
single space; cells wrap over several lines; blank lines fall inside cells; and some rows are
"exploded", one block of lines per column. So the cells are recovered from what each column looks
like (the rows of a plan that show each rule are stated, with the cells they read as, in the
plan's layout file, ``loaders/sources/<key>.table.yaml``, and tested one by one):

- responsibility: agent names of the reference data, in a list ("CMS Sec., NFPs, ScC, StC and
  other relevant partners."), a name possibly wrapped mid-way ("other" / "relevant" / "partners");
- budget: the suffix of a line made of budget phrases ("No additional funds", "required provided
  that", "US$45,000-90,000", "Shall be determined", ...), or, while a budget sentence is
  unfinished, the last " | " cell of the line or what follows its last full stop;
- title and methodology: the rest. The title column is narrow and holds an outcome statement
  ("Needs Assessment conducted"), the methodology column is about twice as wide and holds
  sentences; where a line carries both with nothing between them, the column widths the layout
  states (the widest line printed in each), unfinished phrases and past participles decide the
  boundary (see ``_split_title``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from meakg.loaders.capacity_building.layout import UNKNOWN, TableLayout
from meakg.loaders.reference import Reference, bare
from meakg.ontology.errors import SourceError

TITLE, RESPONSIBILITY, METHODOLOGY, BUDGET = range(4)
COLUMNS = ("Activities undertaken", "Responsibility", "Methodology and expected outcome", "Budget Estimate")
FUNCTION_WORDS = {"a", "an", "the", "of", "and", "or", "for", "to", "on", "in", "with", "by", "from", "at", "as",
                  "be", "is", "are", "into", "that", "around", "respective"}
COORDINATORS = FUNCTION_WORDS - {"is", "are", "be"}
PREPOSITIONS = {"for", "of", "on", "in", "with", "to", "by", "from", "at"}
_PHRASES = (
    r"no additional funds", r"required", r"provided that", r"the (?:cms )?cb unit staff",
    r"(?:staff )?numbers retained", r"shall be determined", r"to be determined", r"according to the needs?",
    r"around|approximately|about|up to", r"us\$\s*\d[\d,]*(?:\s*[-–]\s*\d[\d,]*)?", r"including",
    r"(?:translation )?costs", r"depending on(?: the)?(?: \w+)?",
    r"\d+(?:\s*[-–]\s*\d+)? (?:days|trainees|participants)", r"for \d+(?:\s*[-–]\s*\d+)?", r"trainees|participants",
    r"each", r"per \w+",
)
_PHRASE = re.compile(rf"(?:{'|'.join(_PHRASES)})[.,;]?", re.IGNORECASE)
PHRASE_WORDS = 5          # the most words a phrase above spans ("the CMS CB unit staff"); a test checks it
_PARTICIPLE = re.compile(r"^[a-z]{3,}ed$|^(?:undertaken|carried|held|built|done|taken|given|set)$")


@dataclass
class _Cells:
    """The cells of one row as they are read: fragments per column, with the line of the first."""

    parts: list[list[str]] = field(default_factory=lambda: [[], [], [], []])
    first_line: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def add(self, column: int, words: list[str], line: int) -> None:
        if words:
            self.parts[column].append(" ".join(words))
            self.first_line[column] = self.first_line[column] or line

    def text(self, column: int) -> str:
        out = ""
        for part in self.parts[column]:
            # a word hyphenated at a line end ("tailor-" / "made") is one word again
            out = out + part if out.endswith("-") and out[-2:-1].isalpha() else f"{out} {part}".strip()
        return out

    def last(self, column: int) -> str:
        return self.parts[column][-1] if self.parts[column] else ""


@dataclass(frozen=True)
class RowCells:
    """The four cells of a row, whitespace-normalised, and the line where each starts (0: empty)."""

    title: str
    responsibility: str
    methodology: str
    budget: str
    lines: tuple[int, int, int, int]


_bare = bare


def _open(text: str) -> bool:
    """True when *text* ends mid-phrase: with a function word or a hyphen."""
    words = text.split()
    return bool(words) and (text.endswith("-") or _bare(words[-1]) in FUNCTION_WORDS)


def _sentence_ended(text: str) -> bool:
    return text.rstrip().endswith((".", ";")) and not text.rstrip().endswith(("Sec.", "e.g.", "i.e."))


def is_participle(word: str) -> bool:
    """True for a past participle, the head of an outcome statement ("conducted", "undertaken").

    >>> [is_participle(w) for w in ("conducted", "Tailored", "need", "training", "tailor-made")]
    [True, True, False, False, False]
    """
    return bool(_PARTICIPLE.match(_bare(word)))


def agent_list(text: str, reference: Reference) -> list[str] | None:
    """Return the names listed in a responsibility cell (the last may be unfinished), or None if
    the text is not such a list.

    >>> from meakg.loaders.reference import load_reference
    >>> agent_list("CMS Sec., NFPs, ScC, StC and other relevant partners.", load_reference())
    ['CMS Sec.', 'NFPs', 'ScC', 'StC', 'other relevant partners.']
    >>> agent_list("NFPs, other", load_reference()) is not None, agent_list("CMS Handbook", load_reference())
    (True, None)
    """
    items: list[list[str]] = [[]]
    closed = False                          # the last item was followed by "," or "and": it must be a whole name
    for word in text.split():
        if word.lower() in ("and", "&"):
            if items[-1]:
                items.append([])
            closed = True
            continue
        items[-1].append(word.rstrip(","))
        closed = word.endswith(",")
        if closed:
            items.append([])
    items = [item for item in items if item]
    names, seen = reference.agent_words, set()
    for position, item in enumerate(items):
        key = tuple(_bare(w) for w in item)
        if key in names:
            agent = reference.agents.get(" ".join(item)) or reference.agents.get(" ".join(key))
            if agent is not None and agent.key in seen:
                return None
            seen.add(agent.key if agent else key)
        elif position < len(items) - 1 or closed or not any(name[: len(key)] == key for name in names):
            return None
    return [" ".join(item) for item in items] if items else None


def _budget_runs(words: list[str]) -> list[bool]:
    """Return, for each i (and len(words)), whether words[i:] is a run of budget phrases separated by
    spaces (True at the end). One pass from the end, each phrase tried over at most PHRASE_WORDS
    words: linear in the line, however long.

    >>> _budget_runs("cost US$ 5,000 each".split())
    [False, True, False, True, True]
    """
    runs = [False] * len(words) + [True]
    for i in range(len(words) - 1, -1, -1):
        runs[i] = any(runs[j] and _PHRASE.fullmatch(" ".join(words[i:j]))
                      for j in range(i + 1, min(len(words), i + PHRASE_WORDS) + 1))
    return runs


def _is_budget(text: str) -> bool:
    """True when *text* is made of budget phrases only ("No additional funds required.")."""
    words = text.split()
    return bool(words) and _budget_runs(words)[0]


def _budget_suffix(words: list[str]) -> int:
    """Return where the longest run of budget phrases ending the line starts (len(words): none).
    A run never crosses a full stop inside the line: "participants. 3-4 days" starts at "3-4".

    >>> _budget_suffix("trainees. 3-4 days for 20-40 participants".split())
    1
    """
    # the run starts after the last word (not the line's last) that ends a sentence
    floor = max((i + 1 for i, w in enumerate(words[:-1]) if _sentence_ended(w)), default=0)
    runs = _budget_runs(words[floor:])
    return next((floor + i for i, run in enumerate(runs[:-1]) if run), len(words))


def _segments(text: str) -> list[list[str]]:
    return [seg.split() for seg in text.split("|")]


class _Row:
    """Reads the lines of one row into cells, keeping what each column has said so far."""

    def __init__(self, path: Path, number: str, reference: Reference, layout: TableLayout) -> None:
        self.path, self.number, self.reference, self.layout = path, number, reference, layout
        self.name_words = {word for name in reference.agent_words for word in name}
        self.cells = _Cells()
        self.title_running = True       # the title column had a piece on the last line read: cells are
                                        # top-aligned, so once a line has none the title is over

    # ---------------------------------------------------------------- state of the columns
    def budget_open(self) -> bool:
        return bool(self.cells.parts[BUDGET]) and not _sentence_ended(self.cells.text(BUDGET))

    def budget_unfinished(self) -> bool:
        return self.budget_open() and _open(self.cells.text(BUDGET))

    def responsibility_open(self) -> bool:
        return not self.cells.text(RESPONSIBILITY).endswith(".")   # "CMS Sec." / "NFPs." / "partners." end the list

    def title_forced(self, rest: list[str], later_long: bool) -> bool:
        """True when this line must carry a piece of the title (the title column continues)."""
        if not self.title_running or not rest:
            return False
        title, method = self.cells.text(TITLE), self.cells.text(METHODOLOGY)
        return (_open(title)                                          # "Follow up tailor-" / "made trainings"
                or not any(is_participle(w) for w in title.split())   # no outcome yet: "CMS Handbook" / "designed"
                or len(" ".join(rest)) > self.layout.methodology_width   # too wide for the methodology alone
                or later_long
                or (_sentence_ended(method) and rest[0][:1].islower()))  # "and impact", after "...activity."

    # ---------------------------------------------------------------- one line
    def budget_start(self, words: list[str], segments: list[list[str]], *, first: bool) -> int:
        if not first and self.cells.parts[BUDGET] and not self.budget_open():
            return len(words)                    # the budget cell has ended with a full stop
        start = _budget_suffix(words)
        if self.budget_open() and not _is_budget(self.cells.text(BUDGET)):
            # a budget in free words ("Facilitator to design the ...", "Each regional training
            # of", "... content and number of"): it goes on in the last " | " cell, or after the
            # methodology's full stop on the line ("purposes. books and including")
            last = len(words) - len(segments[-1])
            if len(segments) > 1:
                start = min(start, last)
            elif self.budget_unfinished():
                stops = [i + 1 for i, w in enumerate(words[:-1]) if _sentence_ended(w)]
                if stops and stops[-1] < start:
                    start = stops[-1]
        if start == len(words) and len(segments) > 1 and (first or self.budget_open()):
            start = len(words) - len(segments[-1])   # the last " | " cell
        return start

    def responsibility_span(self, segments: list[list[str]], *, first: bool) -> tuple[int, int] | None:
        """Return the word span of the responsibility piece on this line: the first place where a
        list of agent names (going on from what the column already holds) starts, as long as it goes."""
        if not first and not self.responsibility_open():
            return None
        offset, before = 0, self.cells.text(RESPONSIBILITY)
        for segment in segments:
            # a list holds only words of agent names and "and": a span ends where they do (linear in long lines)
            ends, end = [0] * len(segment), len(segment)
            for i in range(len(segment) - 1, -1, -1):
                if not (_bare(segment[i]) in self.name_words or segment[i].lower() in ("and", "&")):
                    end = i
                ends[i] = end
            for i in range(len(segment)):
                if first and (i + offset == 0 or segment[i].lower() in ("and", "&")):
                    continue   # the title comes first; a list does not open with "and"
                for j in range(ends[i], i, -1):
                    if all(_bare(w) in ("and", "&", "") for w in segment[i:j]):
                        continue
                    if agent_list(f"{before} {' '.join(segment[i:j])}".strip(), self.reference) is not None:
                        return i + offset, j + offset
            offset += len(segment)
        return None

    def read(self, number: int, text: str, *, first: bool = False, later_long: bool = False) -> None:
        segments = [s for s in _segments(text) if s] or [[]]
        words = [w for s in segments for w in s]
        end = self.budget_start(words, segments, first=first)
        self.cells.add(BUDGET, words[end:], number)
        words = words[:end]
        span = self.responsibility_span(self._clip(segments, end), first=first)
        if first and span is None:
            raise SourceError(self.path, number, f"expected the responsible parties (such as 'CMS Sec., NFPs') after "
                                                 f"the title of activity {self.number}, found {' '.join(words)!r}")
        if span:
            title, method = words[: span[0]], words[span[1]:]
            self.cells.add(RESPONSIBILITY, words[span[0]: span[1]], number)
        else:
            title, method = self._split_title(words, self._clip(segments, end), later_long)
        if method and _sentence_ended(self.cells.text(METHODOLOGY)) and method[0][:1].islower() and self.budget_open():
            self.cells.add(BUDGET, method, number)   # not a new sentence of the methodology: the budget goes on
            method = []
        self.cells.add(TITLE, title, number)
        self.cells.add(METHODOLOGY, method, number)
        self.title_running = bool(title)

    @staticmethod
    def _clip(segments: list[list[str]], end: int) -> list[list[str]]:
        out, seen = [], 0
        for segment in segments:
            out.append(segment[: max(0, end - seen)])
            seen += len(segment)
        return [s for s in out if s] or [[]]

    def _split_title(self, words: list[str], segments: list[list[str]],
                     later_long: bool) -> tuple[list[str], list[str]]:
        """Split a line without a responsibility piece into title and methodology pieces."""
        if not words or not self.title_running:
            return [], words
        if len(segments) > 1:                    # "training programme | questionnaires to ..."
            return segments[0], [w for s in segments[1:] for w in s]
        if not self.title_forced(words, later_long):
            return [], words
        method_before = self.cells.text(METHODOLOGY)
        candidates = []
        for s in range(1, len(words) + 1):
            title, method = " ".join(words[:s]), " ".join(words[s:])
            if len(title) > self.layout.title_width or any(c in title for c in ",.;:"):
                break                            # titles are short and carry no sentence punctuation
            if len(method) > self.layout.methodology_width:
                continue
            if method and _sentence_ended(method_before) and method[:1].islower():
                continue                         # after a full stop the methodology starts a sentence
            if not method and _open(method_before):
                continue                         # "... in order to" must go on
            candidates.append(s)
        if not candidates:
            return [], words
        # the methodology goes on with a participle ("NFPs' responses | collected and analyzed" in
        # "workshops are | designed and conducted") after a noun or verb, but not after
        # "and" or "the" ("on the progress and | impact evaluated" is methodology)
        before = method_before.split()[-1] if method_before.split() else ""
        participles = [s for s in candidates if s < len(words) and is_participle(words[s])
                       and _bare(before) not in COORDINATORS]
        if participles:
            s = participles[-1]
        else:
            s = candidates[0]                    # the shortest title piece that leaves a methodology line that fits,
            if (is_participle(words[s - 1]) and s < len(words) and _bare(words[s]) in PREPOSITIONS
                    and s + 1 in candidates):
                s += 1                           # with the preposition its participle governs ("designed for",
                                                 # "conducted for")
        return words[:s], words[s:]


def _chunks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Split the row's lines into runs of non-blank lines."""
    chunks: list[list[tuple[int, str]]] = [[]]
    for number, text in lines:
        if text.strip():
            chunks[-1].append((number, text))
        elif chunks[-1]:
            chunks.append([])
    return [c for c in chunks if c]


def read_row(lines: list[tuple[int, str]], *, path: Path, number: str, reference: Reference,
             layout: TableLayout = UNKNOWN) -> RowCells:
    """Return the four cells of a row from its lines (the first without its activity number).

    >>> from meakg.loaders.reference import load_reference
    >>> cells = read_row([(1, "Needs Assessment | CMS Sec., Tools, such as surveys and | No additional funds"),
    ...                   (2, "conducted NFPs questionnaires designed. | required.")], path=Path("p.txt"), number="1.1",
    ...                  reference=load_reference())
    >>> cells.title, cells.responsibility, cells.budget
    ('Needs Assessment conducted', 'CMS Sec., NFPs', 'No additional funds required.')
    """
    row = _Row(path, number, reference, layout)
    chunks = _chunks(lines)
    # some rows print one or two lines row-wise, then one blank-separated block per column;
    # in such an "exploded" row, `exploded` is the last column read as a block of its own
    exploded = None
    for index, chunk in enumerate(chunks):
        if index:
            column = _block_column(row, chunk, exploded)
            if column is not None:
                for line_no, text in chunk:
                    row.cells.add(column, text.replace("|", " ").split(), line_no)
                row.title_running = row.title_running or column == TITLE
                exploded = column if column != BUDGET else None
                continue
            exploded = None
        widths = [len(" ".join(_strip_budget(text))) for _, text in chunk]
        for position, (line_no, text) in enumerate(chunk):
            later_long = any(w > layout.methodology_width for w in widths[position + 1:])
            row.read(line_no, text, first=index == 0 and position == 0, later_long=later_long)
    cells, first = row.cells, row.cells.first_line
    return RowCells(cells.text(TITLE), cells.text(RESPONSIBILITY), cells.text(METHODOLOGY), cells.text(BUDGET),
                    (first[TITLE], first[RESPONSIBILITY], first[METHODOLOGY], first[BUDGET]))


def _strip_budget(text: str) -> list[str]:
    words = text.replace("|", " ").split()
    return words[: _budget_suffix(words)]


def _block_column(row: _Row, chunk: list[tuple[int, str]], exploded: int | None) -> int | None:
    """Return the one column a run of lines belongs to when the row is laid out column by column
    (a block of title lines, then of responsibility, methodology, budget), or None for lines read
    row-wise."""
    texts = [" ".join(text.replace("|", " ").split()) for _, text in chunk]
    whole = " ".join(texts)
    if all(_is_budget(t) for t in texts) and (row.budget_open() or not row.cells.parts[BUDGET]):
        return BUDGET
    if row.responsibility_open() \
            and agent_list(f"{row.cells.text(RESPONSIBILITY)} {whole}", row.reference) is not None \
            and any(_bare(w) not in ("and", "&") for w in whole.split()):
        return RESPONSIBILITY
    if exploded is None:
        # a block of short lines where the title must go on: "on the items to be" / "included in
        # the CMS" / "Handbook", "Tailored training of" / "trainers (ToT)", "The progress and" / ...
        if all(len(t) <= row.layout.title_width for t in texts) and row.title_forced(texts[0].split(), False) \
                and not any(c in whole for c in ",;:") and not whole.rstrip().endswith("."):
            return TITLE
        return None
    return METHODOLOGY if exploded <= METHODOLOGY else None
