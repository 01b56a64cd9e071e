"""Loaders: one module per kind of source document, each with ``parse`` (text -> records) and
``to_triples`` (records -> triples). The builder knows them by name only and imports them when
used, so the query path never imports a loader."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ontology.errors import SourceError

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
LOADERS = {
    "joint-work-plan": "loaders.joint_work_plan",
    "services-analysis": "loaders.services_analysis",
    "capacity-building": "loaders.capacity_building",
}


@dataclass(frozen=True)
class Source:
    """One source document and what sources.yaml says of it."""

    path: Path
    loader: str
    title: str
    date: str
    publisher: str
    symbol: str = ""

    @property
    def key(self) -> str:
        return self.path.stem


def sources(directory: Path = SOURCES_DIR) -> list[Source]:
    """Return the sources listed in *directory*/sources.yaml, in the order listed."""
    manifest = directory / "sources.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    found = []
    for number, entry in enumerate(entries, start=1):
        if entry.get("loader") not in LOADERS:
            raise SourceError(manifest, number, f"expected a loader among {sorted(LOADERS)}, found {entry.get('loader')!r}")
        found.append(Source(directory / entry["file"], entry["loader"], entry["title"], str(entry["date"]),
                            entry["publisher"], entry.get("symbol", "")))
    return found


def loader(name: str):
    """Import and return the loader module registered as *name*."""
    return importlib.import_module(LOADERS[name])
