"""Resolution lists: the resolutions a Conference of the Parties adopted at one meeting, one per line,
``<number><TAB><title>``. A fourth kind of document, built by following CONTRIBUTING.md ("Add a
kind of document"): the same files as every loader, registered under KIND."""

from meakg.loaders.resolution_list.parse import parse
from meakg.loaders.resolution_list.records import Resolution, ResolutionList
from meakg.loaders.resolution_list.triples import to_triples

KIND = "resolution-list"

__all__ = ["KIND", "parse", "to_triples", "ResolutionList", "Resolution"]
