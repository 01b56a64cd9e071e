"""Map a secretariat common-services analysis's records to triples: a mapping with no lookups and no error path."""

from __future__ import annotations

from collections.abc import Iterator

from meakg.loaders.provenance import stated
from meakg.loaders.provisions import post_iri, post_triples, provision_triples
from meakg.loaders.rdf import (
    DCTERMS,
    MEA,
    ORG,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    Kind,
    Literal,
    Triple,
    URIRef,
    citation_triples,
    concept_triples,
    derived,
    document_iri,
    iri,
    locator_iri,
    locator_triples,
    scheme_triples,
    text,
)
from meakg.loaders.records import Printed, Provision
from meakg.loaders.services_analysis.records import (
    Category,
    CostFigure,
    CostShare,
    JointSecretariat,
    PilotUnit,
    Resolution,
    ServiceArea,
    ServicesAnalysis,
    SharedArrangement,
    StatedCount,
    Table,
    key_of,
)


def to_triples(analysis: ServicesAnalysis) -> Iterator[Triple]:
    """Yield the analysis as triples: paragraphs and citations, typology, tables, service areas,
    proposed structure, costs, pilot unit, draft resolution and requested actions."""
    for paragraph in analysis.paragraphs:
        yield from locator_triples(paragraph.locator, quote=paragraph.text)
        yield from citation_triples(locator_iri(paragraph.locator), list(paragraph.citations))
    yield from _typology_triples(analysis.categories, analysis.typology_heading)
    for table in analysis.tables:
        yield from table_triples(table)
    yield from _area_triples(analysis.areas, analysis.areas_heading)
    yield from structure_triples(analysis.joint)
    yield from cost_triples(list(analysis.shares), list(analysis.figures))
    yield from pilot_triples(analysis.pilot)
    yield from resolution_triples(analysis.resolution)
    yield from actions_triples(list(analysis.actions))
    yield from fact_triples(analysis.counts, analysis.arrangements)


def fact_triples(counts: tuple[StatedCount, ...], arrangements: tuple[SharedArrangement, ...]) -> Iterator[Triple]:
    """Yield the counts of instruments the text states (mea:StatedCount) and what instruments already share."""
    for count in counts:
        node = iri(Kind.STATED_COUNT, count.locator.document, *count.locator.ref.split("/"), count.kind)
        yield node, RDF.type, MEA.StatedCount
        yield node, RDFS.label, Literal(count.printed)
        yield node, MEA.countedClass, MEA[count.kind]
        yield node, MEA.instrumentCount, Literal(count.count)
        yield from derived(node, count.locator)
    for shared in arrangements:
        node = iri(Kind.ARRANGEMENT, shared.locator.document, *shared.locator.ref.split("/"), shared.key)
        yield node, RDF.type, MEA.SharedArrangement
        yield node, RDFS.label, Literal(shared.label)
        for key in shared.instruments:
            yield node, MEA.instrument, iri(Kind.INSTRUMENT, key)
        yield from derived(node, shared.locator)


def _typology_triples(categories: tuple[Category, ...], heading: Printed | None) -> Iterator[Triple]:
    yield from scheme_triples("cms-instrument-typology", "Typology of CMS Family instruments")
    if heading is not None:   # the heading introducing the categories names the typology
        yield from derived(iri(Kind.SCHEME, "cms-instrument-typology"), heading.locator, quote=heading.text)
    for category in categories:
        loc = category.locator
        node = iri(Kind.CONCEPT, "cms-instrument-typology", key_of(category.label))
        yield from concept_triples("cms-instrument-typology", key_of(category.label), category.label,
                                   notation=category.number, cls=MEA.TypologyCategory)
        yield from derived(node, loc)
        if category.heading is not None:   # the heading prints the category's name; its paragraph, the rest
            yield from locator_triples(category.heading, quote=category.label)
            yield from stated(category.heading, [(node, SKOS.prefLabel, text(category.label))])
        agent = iri(Kind.AGENT, category.administered_by) if category.administered_by else None
        yield from stated(loc, _member_triples(category, node, agent))


def _member_triples(category: Category, node: URIRef, agent: URIRef | None) -> Iterator[Triple]:
    for key in category.members:
        member = iri(Kind.INSTRUMENT, key)
        yield member, MEA.typologyCategory, node
        if agent is not None:
            yield member, MEA.administeredBy, agent
        if category.seat:
            yield member, MEA.secretariatSeat, Literal(category.seat)
    for key, depositary in category.depositary:
        yield iri(Kind.INSTRUMENT, key), MEA.depositary, iri(Kind.AGENT, depositary)
    for key, note in category.notes:
        yield iri(Kind.INSTRUMENT, key), MEA.note, Literal(note)


def _area_triples(areas: tuple[ServiceArea, ...], heading: Printed | None) -> Iterator[Triple]:
    yield from scheme_triples("common-service-areas", "Common service areas")
    scheme = iri(Kind.SCHEME, "common-service-areas")
    if heading is not None:   # "What services could be shared?" introduces the numbered areas
        yield from derived(scheme, heading.locator, quote=heading.text)
    else:                     # no heading over them: the areas' own headings make the list
        for area in areas:
            yield from derived(scheme, area.locator, quote=area.label)
    for area in areas:
        node = iri(Kind.CONCEPT, "common-service-areas", key_of(area.label))
        yield from concept_triples("common-service-areas", key_of(area.label), area.label, notation=area.number,
                                   cls=MEA.ServiceArea)
        yield from derived(node, area.locator, quote=area.label)
        for prop, locators in ((MEA.advantages, area.advantages), (MEA.disadvantages, area.disadvantages),
                               (MEA.implications, area.implications)):
            for loc in locators:
                yield node, prop, locator_iri(loc)


def table_triples(table: Table) -> Iterator[Triple]:
    """Yield the table's function concepts and one mea:FunctionStatus per cell."""
    yield from scheme_triples(table.scheme, table.scheme_label)
    if table.caption_locator is not None:   # the caption names the functions' scheme
        yield from derived(iri(Kind.SCHEME, table.scheme), table.caption_locator,
                           quote=f"Table {table.number}: {table.caption}")
    yield from scheme_triples("function-status", "Function status")
    # the statuses are what the table's cells print: the scheme is cited by the table (its caption), each
    # status by every cell it is read from
    for loc in [table.caption_locator] if table.caption_locator is not None else [c.locator for c in table.cells]:
        yield from derived(iri(Kind.SCHEME, "function-status"), loc)
    for function in table.functions:
        yield from concept_triples(table.scheme, function.key, function.label, notation=str(function.column))
        yield from derived(iri(Kind.CONCEPT, table.scheme, function.key), function.locator, quote=function.label)
    document = table.cells[0].locator.document if table.cells else ""
    for cell in table.cells:
        node = iri(Kind.FUNCTION_STATUS, document, f"table-{cell.table}", cell.instrument, cell.function.key)
        status = iri(Kind.CONCEPT, "function-status", cell.status)
        yield node, RDF.type, MEA.FunctionStatus
        yield node, RDFS.label, Literal(cell.locator.label + f": {cell.value}")
        yield node, MEA.instrument, iri(Kind.INSTRUMENT, cell.instrument)
        yield node, MEA.function, iri(Kind.CONCEPT, table.scheme, cell.function.key)
        yield node, MEA.status, status
        yield from concept_triples("function-status", cell.status, cell.status_label)
        yield from derived(status, cell.locator)
        if cell.note:
            yield node, MEA.note, Literal(cell.note)
        if cell.provider:
            yield node, MEA.providedBy, iri(Kind.AGENT, cell.provider)
        yield from derived(node, cell.locator, quote=cell.value)


def structure_triples(joint: JointSecretariat) -> Iterator[Triple]:
    """Yield the proposed joint secretariat, its units, what they cover and who heads them."""
    node = iri(Kind.AGENT, "joint-cms-family-secretariat")
    figure = joint.locators[-1]        # Figure 2 draws the structure; the paragraph before it names what it covers
    yield from stated(figure, [
        (node, RDF.type, ORG.Organization),
        (node, RDFS.label, Literal("Proposed joint CMS Family Secretariat")),
        (node, SKOS.editorialNote, text("Label is editorial: the document describes the structure (Figure 2) "
                                        "without naming it."))])
    yield from stated(joint.locators[0], [(node, MEA.covers, iri(Kind.INSTRUMENT, key)) for key in joint.covers])
    for loc in joint.locators:
        yield from derived(node, loc)
    for unit in joint.units:
        u = iri(Kind.AGENT, f"proposed {unit.label.removesuffix(' unit')} unit")
        yield u, RDF.type, MEA.ProposedUnit
        yield u, RDFS.label, Literal(unit.label)
        yield from stated(unit.locator, [(u, ORG.unitOf, node), (node, ORG.hasUnit, u)])
        yield u, MEA.focus, text(unit.focus)
        if unit.editorial:
            yield u, SKOS.editorialNote, text("Label is editorial: the figure's box titles are not in the extracted "
                                              "text.")
        for key in unit.covers:
            yield u, MEA.covers, iri(Kind.INSTRUMENT, key)
        for key in unit.collaborates:
            yield u, MEA.collaboratesWith, iri(Kind.INSTRUMENT, key)
        for note in unit.notes:
            yield u, MEA.note, Literal(note)
        for task in unit.tasks:
            yield u, MEA.task, text(task)
        if unit.head is not None:
            yield u, MEA.headedBy, post_iri(unit.head)
            yield from post_triples(unit.head)
        yield from derived(u, unit.locator, quote=" ".join([unit.focus, *(f"-{t}" for t in unit.tasks)]))


def cost_triples(shares: list[CostShare], figures: list[CostFigure]) -> Iterator[Triple]:
    """Yield the shared posts with their mea:CostShare nodes, and the mea:CostFigure nodes."""
    for share in shares:
        post = iri(Kind.POST, "-".join(share.arrangement + (share.grade,)))
        yield post, RDF.type, ORG.Post
        yield post, MEA.grade, Literal(share.grade)
        yield post, RDFS.label, Literal(f"{share.grade} post shared by {' and '.join(share.arrangement)}")
        yield from derived(post, share.locator)
        node = iri(Kind.COST_SHARE, share.locator.document, "-".join((*share.arrangement, share.grade)),
                   share.instrument)
        yield node, RDF.type, MEA.CostShare
        yield node, RDFS.label, Literal(f"{share.grade} post: {share.percent}% paid by {share.instrument}")
        yield node, MEA.post, post
        yield node, MEA.instrument, iri(Kind.INSTRUMENT, share.instrument)
        yield node, MEA.percent, Literal(share.percent, datatype=XSD.decimal)
        yield from derived(node, share.locator)
    for figure in figures:
        node = iri(Kind.COST_FIGURE, figure.locator.document, *figure.locator.ref.split("/"), figure.key)
        yield node, RDF.type, MEA.Saving if figure.saving else MEA.CostFigure
        yield node, RDFS.label, Literal(f"{figure.printed} {figure.kind}")
        if figure.minimum == figure.maximum:
            yield node, SCHEMA.value, Literal(figure.maximum, datatype=XSD.decimal)
        else:
            if figure.minimum is not None:
                yield node, SCHEMA.minValue, Literal(figure.minimum, datatype=XSD.decimal)
            yield node, SCHEMA.maxValue, Literal(figure.maximum, datatype=XSD.decimal)
        yield node, SCHEMA.currency, Literal(figure.currency)
        yield node, MEA.costKind, Literal(figure.kind)
        if figure.year:
            yield node, MEA.year, Literal(figure.year, datatype=XSD.gYear)
        for key in figure.concerns:
            yield node, MEA.concerns, iri(Kind.INSTRUMENT, key)
        yield from derived(node, figure.locator)


def pilot_iri(pilot: PilotUnit) -> URIRef:
    return iri(Kind.AGENT, pilot.key)


def pilot_triples(pilot: PilotUnit) -> Iterator[Triple]:
    """Yield the pilot unit, its parent secretariats, founding date, location, posts and report."""
    node, first = pilot_iri(pilot), pilot.locators[0]
    yield node, RDF.type, MEA.PilotUnit
    yield node, RDFS.label, Literal(f"{'/'.join(pilot.parents)} {pilot.short}")
    yield node, SKOS.prefLabel, text(f"{'/'.join(pilot.parents)} {pilot.name}")
    for agent in pilot.parent_agents:
        parent = iri(Kind.AGENT, agent)
        yield node, ORG.unitOf, parent
        yield parent, ORG.hasUnit, node
    founded = (node, SCHEMA.foundingDate, Literal(pilot.founded, datatype=XSD.gYearMonth))
    if pilot.founded_locators or pilot.areas:   # Annex 2 and Annex 1 both say since when: each cites itself
        for loc in (*pilot.founded_locators, *(loc for _, loc in pilot.areas)):
            yield from stated(loc, [founded])
    else:
        yield founded
    if pilot.focus_locator is not None:   # what the unit runs: the table columns its focus names
        yield from stated(pilot.focus_locator, [(node, ORG.purpose, iri(Kind.CONCEPT, scheme, key))
                                                for scheme, key in pilot.functions])
    for area, loc in pilot.areas:         # Annex 1 says the pilot runs this service area
        yield from stated(loc, [(node, ORG.purpose, iri(Kind.CONCEPT, "common-service-areas", area))])
    if pilot.focus:
        yield node, MEA.focus, text(pilot.focus)
    if pilot.location:
        yield node, SCHEMA.location, Literal(pilot.location)
    roles_at = pilot.roles_locator or pilot.locators[-1]   # the paragraph listing the roles
    if pilot.roles:
        yield from scheme_triples("staff-roles", "Staff roles")
        yield from derived(iri(Kind.SCHEME, "staff-roles"), roles_at)
    for role in pilot.roles:
        post, concept = iri(Kind.POST, f"{pilot.key} {role}"), iri(Kind.CONCEPT, "staff-roles", role)
        yield post, RDF.type, ORG.Post
        yield post, RDFS.label, Literal(f"{role[0].upper()}{role[1:]}, {'/'.join(pilot.parents)} {pilot.short}")
        yield post, ORG.postIn, node
        yield node, ORG.hasPost, post
        yield post, ORG.role, concept
        yield from concept_triples("staff-roles", role, role)
        yield from derived(concept, roles_at)
        yield from derived(post, roles_at)
    for loc in pilot.locators:
        yield from derived(node, loc)
    report = iri(Kind.DOCUMENT, first.document, first.section)
    yield report, RDF.type, MEA.Document
    yield report, DCTERMS.title, text(pilot.report_title)
    yield report, DCTERMS.identifier, Literal(f"{pilot.symbol or first.document}, {first.section}")
    yield report, DCTERMS.date, Literal(pilot.report_date, datatype=XSD.gYearMonth)
    yield report, DCTERMS.isPartOf, document_iri(first.document)
    yield report, DCTERMS.subject, node
    yield from derived(report, first, quote=pilot.report_title)


def resolution_triples(resolution: Resolution) -> Iterator[Triple]:
    """Yield the draft resolution, its preambular paragraphs (as locators) and its operative paragraphs."""
    node = iri(Kind.DECISION, f"draft resolution {resolution.title}")
    yield node, RDF.type, MEA.Decision
    yield node, DCTERMS.title, text(resolution.title)
    yield node, RDFS.label, Literal(f"Draft resolution: {resolution.title}")
    yield node, DCTERMS.identifier, Literal(resolution.identifier)
    yield node, MEA.issuedUnder, iri(Kind.INSTRUMENT, resolution.issuer)
    yield node, DCTERMS.isPartOf, document_iri(resolution.locator.document)
    yield from derived(node, resolution.locator, quote=f"DRAFT RESOLUTION {resolution.title}")
    for paragraph in resolution.preamble:
        yield from derived(node, paragraph.locator, quote=paragraph.text)
        yield from citation_triples(locator_iri(paragraph.locator), list(paragraph.citations))
    for provision in resolution.operative:
        yield from provision_triples(provision, cls=MEA.OperativeParagraph, part_of=node)


def actions_triples(actions: list[Provision]) -> Iterator[Triple]:
    """Yield the cover note's requested actions, each addressed to the body its introduction names."""
    for action in actions:
        yield from provision_triples(action, cls=MEA.RequestedAction, part_of=document_iri(action.locator.document))
