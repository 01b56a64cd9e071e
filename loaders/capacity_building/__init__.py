"""Capacity-building work plans (the CMS Capacity Building Work Plan 2012-2014 is one): numbered
narrative paragraphs with guiding principles and phases, a four-column work plan table grouped in
numbered sections, and the actions requested of the Conference of the Parties. ``parse`` reads the
text into a ``records.CapacityBuildingPlan`` (``table`` recovers the table's cells); ``to_triples``
maps it to triples."""

from meakg.loaders.capacity_building.layout import read_layout
from meakg.loaders.capacity_building.parse import parse, read_budget
from meakg.loaders.capacity_building.records import (
    Activity,
    Budget,
    CapacityBuildingPlan,
    Heading,
    Phase,
    Principle,
    Section,
)
from meakg.loaders.capacity_building.triples import to_triples

KIND = "capacity-building"

__all__ = ["KIND", "parse", "to_triples", "read_layout", "read_budget", "CapacityBuildingPlan", "Activity", "Budget",
           "Section", "Heading", "Principle", "Phase"]
