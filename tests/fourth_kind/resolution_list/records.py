"""What a resolution list states, as plain records: the issuing instrument already resolved to its key."""

from __future__ import annotations

from dataclasses import dataclass

from meakg.loaders.text import Locator


@dataclass(frozen=True)
class Resolution:
    number: str                # as printed: "11.10"
    title: str
    key: str                   # the decision's IRI slug, as citations name it: "cms-resolution-11.10"
    label: str                 # "CMS Resolution 11.10", as citations label it
    locator: Locator


@dataclass(frozen=True)
class ResolutionList:
    key: str                   # the document's key
    title: str
    instrument: str            # key of the convention whose COP adopted them: "cms"
    meeting: int               # 11 for COP11
    title_locator: Locator
    resolutions: tuple[Resolution, ...]
