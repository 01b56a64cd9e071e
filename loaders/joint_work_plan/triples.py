"""Map a joint work plan's records to triples: a mapping with no lookups and no error path."""

from __future__ import annotations

from collections.abc import Iterator

from meakg.loaders.joint_work_plan.records import JointWorkPlan
from meakg.loaders.provenance import stated
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
    derived,
    iri,
    locator_iri,
    locator_triples,
    text,
)
from meakg.loaders.schemes import TargetScheme


def _target(scheme: TargetScheme, number: str):
    return iri(Kind.TARGET, scheme.prefix, number)


def _printed(scheme: TargetScheme, numbers: tuple[str, ...]) -> str:
    """'MS Target 7', 'MS Targets 3 and 4' (the scheme's short name, with "Migratory Species" as 'MS')."""
    short = scheme.short.replace("Migratory Species", "MS")
    if len(numbers) == 1:
        return f"{short} {numbers[0]}"
    return f"{short}s {', '.join(numbers[:-1])} and {numbers[-1]}"


def to_triples(plan: JointWorkPlan) -> Iterator[Triple]:
    """Yield the plan, its target alignments and its activities, each linked to its locator."""
    node = iri(Kind.PLAN, plan.key)
    first, second = plan.source_scheme, plan.aligned_scheme
    yield from stated(plan.title_locator, [
        (node, RDF.type, MEA.WorkPlan),
        (node, DCTERMS.title, text(plan.title)),
        (node, RDFS.label, text(plan.title)),
        (node, SCHEMA.startDate, Literal(str(plan.start), datatype=XSD.gYear)),
        (node, SCHEMA.endDate, Literal(str(plan.end), datatype=XSD.gYear)),
        *((node, MEA.party, iri(Kind.AGENT, agent)) for agent in plan.party_agents)])
    yield from derived(node, plan.title_locator, quote=plan.title)
    for paragraph in plan.paragraphs:
        yield from derived(node, paragraph.locator, quote=paragraph.text)
        yield from citation_triples(locator_iri(paragraph.locator), list(paragraph.citations))
    for note in plan.footnotes:   # the footnote to the table's header: where the targets' mapping is published
        yield from locator_triples(note.locator, quote=note.text)
        yield from citation_triples(locator_iri(note.locator), list(note.citations))
    for row in plan.rows:
        for a in row.source_targets:
            for b in row.aligned_targets:
                alignment = iri(Kind.ALIGNMENT, plan.key, f"{first.prefix}-{a}", f"{second.prefix}-{b}")
                yield alignment, RDF.type, MEA.TargetAlignment
                yield alignment, MEA.inPlan, node
                yield alignment, MEA.sourceTarget, _target(first, a)
                yield alignment, MEA.alignedTarget, _target(second, b)
                yield alignment, RDFS.label, Literal(f"{first.short} {a} aligned with {second.short} {b}")
                yield from stated(row.locator, [(_target(first, a), SKOS.relatedMatch, _target(second, b))])
                yield from derived(alignment, row.locator)
    for activity in plan.activities:
        a = iri(Kind.ACTIVITY, plan.key, activity.key)
        yield a, RDF.type, MEA.JointActivity
        yield a, MEA.inPlan, node
        yield a, RDFS.label, text(activity.text)
        yield a, SKOS.notation, Literal(activity.key)
        # the key a reader can cite: the targets the row prints, then the activity's place in it
        row = activity.rows[0]
        yield a, DCTERMS.identifier, Literal(f"{first.prefix}-{'-'.join(row.source_targets)}/{activity.position}")
        yield a, SKOS.altLabel, text(f"{_printed(first, row.source_targets)} row, activity {activity.position}")
        # the listing in each row states that row's targets
        for row, listing in zip(activity.rows, activity.locators, strict=True):
            yield from stated(listing, [*((a, MEA.supportsTarget, _target(first, n)) for n in row.source_targets),
                                        *((a, MEA.supportsTarget, _target(second, n)) for n in row.aligned_targets)])
        for locator in activity.locators:
            yield from derived(a, locator, quote=activity.text)
            yield from citation_triples(locator_iri(locator), list(activity.citations))
        yield from citation_triples(a, list(activity.citations))
