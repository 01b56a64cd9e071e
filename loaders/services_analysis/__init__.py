"""Secretariat common-services analyses (UNEP/CMS/COP11/Doc.16.2 is one): which secretariat
services CMS Family instruments could share, a typology of the instruments, tables of the
functions each provides, a proposed joint secretariat, costs, a pilot unit and a draft resolution.
``parse`` reads the text into a ``records.ServicesAnalysis``; ``to_triples`` maps it to triples,
every node derived from its locator."""

from meakg.loaders.services_analysis.parse import parse
from meakg.loaders.services_analysis.records import Category, ServiceArea, ServicesAnalysis
from meakg.loaders.services_analysis.triples import to_triples

KIND = "services-analysis"

__all__ = ["KIND", "parse", "to_triples", "ServicesAnalysis", "Category", "ServiceArea"]
