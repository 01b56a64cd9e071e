"""Read a resolution list: a title naming the instrument and the meeting, then one resolution per line."""

from __future__ import annotations

import re
from pathlib import Path

from meakg.loaders.reference import Reference
from meakg.loaders.resolution_list.records import Resolution, ResolutionList
from meakg.loaders.text import Locator, numbered_lines, squash, tab_cells
from meakg.ontology.errors import SourceError

TITLE = re.compile(r"^Resolutions adopted by the (?P<acronym>\w+) Conference of the Parties at its "
                   r"(?P<meeting>\d+)(?:st|nd|rd|th) [Mm]eeting")
NUMBER = re.compile(r"^(?P<meeting>\d+)\.(?P<n>\d+)$")


def parse(text: str, *, path: Path, reference: Reference) -> ResolutionList:
    lines = [(n, line) for n, line in numbered_lines(text) if line.strip()]
    if not lines:
        raise SourceError(path, 1, "expected a title 'Resolutions adopted by the X Conference of the Parties at its "
                                   "Nth Meeting', found an empty file")
    title_no, title = lines[0]
    match = TITLE.match(title)
    if not match:
        raise SourceError(path, title_no, "expected a title 'Resolutions adopted by the X Conference of the Parties "
                                          f"at its Nth Meeting', found {title!r}")
    instrument = reference.instrument(match["acronym"], path=path, line=title_no)
    meeting = int(match["meeting"])
    resolutions = []
    for number, line in lines[1:]:
        cells = tab_cells(line)
        if len(cells) != 2 or not cells[1]:
            raise SourceError(path, number, f"expected '<number><TAB><title>', found {line!r}")
        printed, name = cells
        found = NUMBER.match(printed)
        if not found or int(found["meeting"]) != meeting:
            raise SourceError(path, number, f"expected a resolution of meeting {meeting} numbered '{meeting}.<n>', "
                                            f"found {printed!r}")
        ref = f"resolution-{printed}"
        resolutions.append(Resolution(printed, squash(name), f"{instrument.acronym}-resolution-{printed}".lower(),
                                      f"{instrument.acronym} Resolution {printed}",
                                      Locator(path, number, ref, f"Resolution {printed}")))
    if not resolutions:
        raise SourceError(path, title_no, "expected resolutions after the title, found none")
    return ResolutionList(path.stem, squash(title), instrument.key, meeting, Locator(path, title_no, "title", "Title"),
                          tuple(resolutions))
