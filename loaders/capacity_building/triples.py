"""Map a capacity-building work plan's records to triples: a mapping with no lookups and no error path."""

from __future__ import annotations

import re
from collections.abc import Iterator

from meakg.loaders.capacity_building.records import CapacityBuildingPlan
from meakg.loaders.provisions import provision_triples
from meakg.loaders.rdf import (
    DCTERMS,
    MEA,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    Kind,
    Literal,
    Triple,
    citation_triples,
    concept_triples,
    derived,
    document_iri,
    iri,
    locator_iri,
    scheme_triples,
    text,
)

BUDGET_STATUSES = {"estimated": "estimated", "no-additional-funds": "no additional funds",
                   "to-be-determined": "to be determined"}
PHASE_SCHEME = "capacity-building-phases"


def to_triples(plan: CapacityBuildingPlan) -> Iterator[Triple]:
    """Yield the plan, its paragraphs, principles, phases, sections, activities with their budgets,
    and the requested actions, each node linked to its locator by prov:wasDerivedFrom."""
    node = iri(Kind.PLAN, plan.key)
    yield node, RDF.type, MEA.WorkPlan
    yield node, DCTERMS.title, text(plan.title)
    yield node, RDFS.label, text(plan.title)
    yield node, MEA.party, iri(Kind.AGENT, plan.party)
    yield node, SCHEMA.startDate, Literal(str(plan.start), datatype=XSD.gYear)
    yield node, SCHEMA.endDate, Literal(str(plan.end), datatype=XSD.gYear)
    yield from derived(node, plan.title_locator, quote=plan.title)
    for paragraph in plan.paragraphs:
        yield from derived(node, paragraph.locator, quote=paragraph.text)
        yield from citation_triples(locator_iri(paragraph.locator), list(paragraph.citations))
    yield from _principles(plan, node)
    yield from _phases(plan)
    yield from _sections(plan, node)
    yield from _activities(plan, node)
    yield from _actions(plan)


def _principles(plan: CapacityBuildingPlan, node) -> Iterator[Triple]:
    for principle in plan.principles:
        p = iri(Kind.PROVISION, plan.key, *principle.locator.ref.split("/"))
        yield p, RDF.type, MEA.Principle
        yield p, SKOS.notation, Literal(principle.letter)
        yield p, RDFS.label, text(re.sub(r";\s*(?:and|or)?$", "", principle.text))   # the list's punctuation
        yield p, MEA.inPlan, node
        yield p, DCTERMS.isPartOf, document_iri(plan.key)
        yield from derived(p, principle.locator, quote=principle.text)


def _phases(plan: CapacityBuildingPlan) -> Iterator[Triple]:
    if not plan.phases:
        return
    yield from scheme_triples(PHASE_SCHEME, "Phases of action of capacity building")
    yield iri(Kind.SCHEME, PHASE_SCHEME), DCTERMS.source, document_iri(plan.key)
    for phase in plan.phases:
        key = phase.name.removesuffix(" Phase")
        concept = iri(Kind.CONCEPT, PHASE_SCHEME, key)
        yield from concept_triples(PHASE_SCHEME, key, phase.name, notation=str(phase.position), cls=MEA.Phase)
        yield from derived(concept, phase.locator)   # the paragraph; its quote comes with the paragraph


def _sections(plan: CapacityBuildingPlan, node) -> Iterator[Triple]:
    for position, section in enumerate(plan.sections):
        s = iri(Kind.SECTION, plan.key, section.number)
        yield s, RDF.type, MEA.WorkPlanSection
        yield s, SKOS.notation, Literal(section.number)
        yield s, DCTERMS.title, text(section.title)
        yield s, RDFS.label, text(f"{section.number}. {section.title}")
        if section.objective:
            yield s, MEA.objective, text(section.objective)
        yield s, MEA.inPlan, node
        quote = f"{section.number}. {section.title} Objective: {section.objective}".strip()
        yield from derived(s, section.locator, quote=quote)
        if position < len(plan.headings) and len(plan.headings) == len(plan.sections):
            # the narrative introduces the sections under headings of its own, in the same order
            heading = plan.headings[position]
            yield from derived(s, heading.locator, quote=f"{heading.title} Objective: {heading.objective}")


def _activities(plan: CapacityBuildingPlan, node) -> Iterator[Triple]:
    used = sorted({a.budget.status for a in plan.activities})
    if used:
        yield from scheme_triples("budget-status", "Budget estimate statuses")
        header = plan.budget_header   # the statuses are what the column prints: cited by its header, or its cells
        cited_by = [(header.locator, header.text)] if header else [(a.budget.locator, "") for a in plan.activities]
        for loc, quote in cited_by:
            yield from derived(iri(Kind.SCHEME, "budget-status"), loc, quote=quote)
    for status in used:
        yield from concept_triples("budget-status", status, BUDGET_STATUSES[status], notation=status)
        for activity in plan.activities:   # each status by every budget cell it is read from
            if activity.budget.status == status:
                yield from derived(iri(Kind.CONCEPT, "budget-status", status), activity.budget.locator)
    for activity in plan.activities:
        a = iri(Kind.ACTIVITY, plan.key, activity.number)
        yield a, RDF.type, MEA.CapacityBuildingActivity
        yield a, SKOS.notation, Literal(activity.number)
        yield a, DCTERMS.title, text(activity.title)
        yield a, RDFS.label, text(activity.title)
        yield a, MEA.inPlan, node
        yield a, MEA.inSection, iri(Kind.SECTION, plan.key, activity.section)
        for agent in activity.agents:
            yield a, MEA.responsibleParty, iri(Kind.AGENT, agent)
        if activity.methodology:
            yield a, MEA.methodology, text(activity.methodology)
        quote = " | ".join(filter(None, (activity.title, ", ".join(activity.responsibility), activity.methodology,
                                         activity.budget.text)))
        yield from derived(a, activity.locator, quote=quote)
        yield from citation_triples(a, list(activity.citations))
        budget = activity.budget
        b = iri(Kind.BUDGET, plan.key, activity.number)
        yield a, MEA.budgetEstimate, b
        yield b, RDF.type, MEA.BudgetEstimate
        yield b, MEA.budgetStatus, iri(Kind.CONCEPT, "budget-status", budget.status)
        yield b, RDFS.comment, text(budget.text)
        if budget.per:
            yield b, MEA.per, text(budget.per)
        yield b, RDFS.label, text(f"Budget estimate of activity {activity.number}")
        if budget.minimum is not None:
            yield b, SCHEMA.minValue, Literal(budget.minimum, datatype=XSD.decimal)
            yield b, SCHEMA.maxValue, Literal(budget.maximum, datatype=XSD.decimal)
            yield b, SCHEMA.currency, Literal(budget.currency)
        if budget.condition:
            yield b, MEA.condition, text(budget.condition)
        yield from derived(b, budget.locator, quote=budget.text)


def _actions(plan: CapacityBuildingPlan) -> Iterator[Triple]:
    for action in plan.actions:
        yield from provision_triples(action, cls=MEA.RequestedAction, part_of=document_iri(plan.key))
