"""SHACL validation: the real graph conforms, every shape catches what it is for, the CLI's exit codes."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from meakg.graph.check.validate import SHAPES_FILE, Severity, read_file, render, validate
from meakg.graph.cli import main as cli
from meakg.ontology.errors import DataError

SH = "http://www.w3.org/ns/shacl#"
PREFIXES = """
@prefix mea: <https://w3id.org/meakg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/meakg/id/> .
@prefix inst: <https://w3id.org/meakg/id/instrument/> .
@prefix agent: <https://w3id.org/meakg/id/agent/> .
@prefix aichi: <https://w3id.org/meakg/id/target/aichi/> .
@prefix ms: <https://w3id.org/meakg/id/target/ms/> .
@prefix doc: <https://w3id.org/meakg/id/document/> .
@prefix loc: <https://w3id.org/meakg/id/locator/src/> .
@prefix concept: <https://w3id.org/meakg/id/concept/> .
@prefix scheme: <https://w3id.org/meakg/id/scheme/> .
"""

# One valid node of every class the loaders and the reference data produce: the graph every
# broken case below starts from. It must give no finding at all.
BASE = PREFIXES + """
# ---- reference data
inst:cms a mea:Convention ; mea:acronym "CMS" ; rdfs:label "CMS" ;
    skos:prefLabel "Convention on Migratory Species"@en ; dcterms:source "ref" .
inst:aewa a mea:Agreement ; mea:acronym "AEWA" ; rdfs:label "AEWA" ;
    skos:prefLabel "African-Eurasian Waterbird Agreement"@en ;
    mea:informeaId "aewa" ; dcterms:source "ref" ; mea:typologyCategory concept:cms-instrument-typology\\/bonn .
inst:sharks a mea:MOU ; mea:acronym "Sharks" ; rdfs:label "Sharks" ; skos:prefLabel "Sharks MOU"@en ;
    dcterms:source "ref" .
agent:cms-secretariat a mea:Secretariat ; mea:secretariatOf inst:cms ; mea:acronym "CMS Secretariat" ;
    rdfs:label "CMS Secretariat" ; skos:prefLabel "UNEP/CMS Secretariat"@en ; dcterms:source "ref" .
agent:unep a org:Organization ; rdfs:label "UNEP" ; skos:prefLabel "United Nations Environment Programme"@en .
scheme:aichi-targets a skos:ConceptScheme ; skos:prefLabel "Aichi Biodiversity Targets"@en .
scheme:migratory-species-targets a skos:ConceptScheme ; skos:prefLabel "Migratory Species Targets"@en .
id:goal\\/aichi\\/A a mea:Goal ; skos:inScheme scheme:aichi-targets ; skos:notation "A" ;
    skos:prefLabel "Strategic Goal A"@en ; dcterms:source "ref" .
aichi:1 a mea:AichiTarget ; skos:inScheme scheme:aichi-targets ; skos:notation "1" ; skos:prefLabel "Awareness"@en ;
    skos:altLabel "Aichi Target 1"@en ; skos:broader id:goal\\/aichi\\/A ; dcterms:source "ref" .
aichi:2 a mea:AichiTarget ; skos:inScheme scheme:aichi-targets ; skos:notation "2" ; skos:prefLabel "Values"@en ;
    skos:altLabel "Aichi Target 2"@en ; skos:broader id:goal\\/aichi\\/A ; dcterms:source "ref" .
ms:1 a mea:MigratorySpeciesTarget ; skos:inScheme scheme:migratory-species-targets ; skos:notation "1" ;
    skos:topConceptOf scheme:migratory-species-targets ; skos:prefLabel "Awareness of values"@en ;
    skos:altLabel "Migratory Species Target 1"@en ; dcterms:source "ref" .
ms:2 a mea:MigratorySpeciesTarget ; skos:inScheme scheme:migratory-species-targets ; skos:notation "2" ;
    skos:topConceptOf scheme:migratory-species-targets ; skos:prefLabel "Values integrated"@en ;
    skos:altLabel "Migratory Species Target 2"@en ; dcterms:source "ref" .

# ---- documents and locators
doc:src a mea:Document ; dcterms:title "A source"@en ; dcterms:identifier "UNEP/X/1" ; dcterms:date "2014"^^xsd:gYear ;
    dcterms:source "loaders/sources/src.txt" .
doc:cited a mea:Document ; rdfs:label "UNEP/X/2" ; dcterms:identifier "UNEP/X/2" .
loc:p1 a mea:Locator ; dcterms:isPartOf doc:src ; rdfs:label "paragraph 1" ; mea:line 10 ; mea:paragraph "1" ;
    mea:quote "As decided in Resolution 10.9 and document UNEP/X/2 at COP10 ..."@en ;
    dcterms:references id:decision\\/cms-resolution-10.9 , doc:cited , id:meeting\\/cms-cop-10 .
loc:t1 a mea:Locator ; dcterms:isPartOf doc:src ; rdfs:label "Table 1, row 1, column 1" ; mea:line 20 ;
    mea:table "Table 1" ; mea:row 1 ; mea:column 1 .
id:stated-count\\/src\\/para-1\\/convention a mea:StatedCount ; rdfs:label "no Convention" ;
    mea:countedClass mea:Convention ; mea:instrumentCount 0 ; prov:wasDerivedFrom loc:p1 .

# ---- work plans, sections, activities, alignments
id:plan\\/jwp a mea:WorkPlan ; dcterms:title "Joint work plan"@en ; mea:party agent:cms-secretariat ;
    schema:startDate "2016"^^xsd:gYear ; schema:endDate "2018"^^xsd:gYear ; prov:wasDerivedFrom loc:p1 .
id:activity\\/jwp\\/1.1 a mea:JointActivity ; mea:inPlan id:plan\\/jwp ; rdfs:label "Joint campaign"@en ;
    skos:notation "1.1" ; mea:supportsTarget ms:1 , aichi:1 ; prov:wasDerivedFrom loc:p1 .
id:activity\\/jwp\\/2.1 a mea:JointActivity ; mea:inPlan id:plan\\/jwp ; rdfs:label "Joint study"@en ;
    skos:notation "2.1" ; mea:supportsTarget ms:1 , ms:2 ; prov:wasDerivedFrom loc:p1 .
id:alignment\\/jwp\\/ms-1\\/aichi-1 a mea:TargetAlignment ; mea:inPlan id:plan\\/jwp ; mea:sourceTarget ms:1 ;
    mea:alignedTarget aichi:1 ; prov:wasDerivedFrom loc:p1 .
ms:1 skos:relatedMatch aichi:1 .
id:plan\\/cb a mea:WorkPlan ; dcterms:title "Capacity building work plan"@en ; mea:party agent:cms-secretariat ;
    schema:startDate "2012"^^xsd:gYear ; schema:endDate "2014"^^xsd:gYear ; prov:wasDerivedFrom loc:p1 .
id:section\\/cb\\/1 a mea:WorkPlanSection ; mea:inPlan id:plan\\/cb ; skos:notation "1" ; dcterms:title "Training"@en ;
    mea:objective "Train focal points"@en ; prov:wasDerivedFrom loc:p1 .
id:activity\\/cb\\/1.1 a mea:CapacityBuildingActivity ; mea:inPlan id:plan\\/cb ; mea:inSection id:section\\/cb\\/1 ;
    skos:notation "1.1" ; dcterms:title "Workshops"@en ; mea:responsibleParty agent:cms-secretariat ;
    mea:budgetEstimate id:budget\\/cb\\/1.1 ; prov:wasDerivedFrom loc:p1 .
id:budget\\/cb\\/1.1 a mea:BudgetEstimate ; mea:budgetStatus concept:budget-status\\/estimated ;
    schema:minValue 45000.0 ; schema:maxValue 90000.0 ; schema:currency "USD" ; rdfs:comment "US$45,000-90,000" ;
    prov:wasDerivedFrom loc:p1 .
concept:budget-status\\/estimated a skos:Concept ; skos:inScheme scheme:budget-status ; skos:prefLabel "estimated"@en .
scheme:budget-status a skos:ConceptScheme ; skos:prefLabel "Budget status"@en .
id:principle\\/cb\\/a a mea:Principle ; skos:notation "a" ; rdfs:label "Build on what exists"@en ;
    prov:wasDerivedFrom loc:p1 .
id:phase\\/cb\\/1 a mea:Phase ; skos:inScheme scheme:capacity-building-phases ; skos:notation "1" ;
    skos:prefLabel "Preparation"@en ; prov:wasDerivedFrom loc:p1 .
scheme:capacity-building-phases a skos:ConceptScheme ; skos:prefLabel "Capacity-building phases"@en .

# ---- common services
scheme:function-status a skos:ConceptScheme ; skos:prefLabel "Function status"@en .
concept:function-status\\/shared a skos:Concept ; skos:inScheme scheme:function-status ; skos:prefLabel "Shared"@en .
scheme:secretariat-functions a skos:ConceptScheme ; skos:prefLabel "Secretariat functions"@en .
concept:secretariat-functions\\/conference-service a skos:Concept ; skos:inScheme scheme:secretariat-functions ;
    skos:prefLabel "Conference service"@en .
id:function-status\\/src\\/table-1\\/aewa\\/conference-service a mea:FunctionStatus ; mea:instrument inst:aewa ;
    mea:function concept:secretariat-functions\\/conference-service ; mea:status concept:function-status\\/shared ;
    mea:note "CMS AEWA unit" ; mea:providedBy agent:unep ; prov:wasDerivedFrom loc:t1 .
scheme:common-service-areas a skos:ConceptScheme ; skos:prefLabel "Common service areas"@en .
concept:common-service-areas\\/conference-services a mea:ServiceArea ; skos:inScheme scheme:common-service-areas ;
    skos:notation "1" ; skos:prefLabel "Conference services"@en ; mea:advantages loc:p1 ; prov:wasDerivedFrom loc:p1 .
scheme:cms-instrument-typology a skos:ConceptScheme ; skos:prefLabel "CMS instrument typology"@en .
concept:cms-instrument-typology\\/bonn a mea:TypologyCategory ; skos:inScheme scheme:cms-instrument-typology ;
    skos:notation "47" ; skos:prefLabel "Bonn-based instruments"@en ; prov:wasDerivedFrom loc:p1 .
agent:joint-secretariat a org:Organization ; rdfs:label "Joint CMS Family Secretariat" .
agent:proposed-science-unit a mea:ProposedUnit ; rdfs:label "Science unit" ; org:unitOf agent:joint-secretariat ;
    mea:focus "Scientific advice"@en ; mea:covers inst:cms ; mea:collaboratesWith inst:sharks ;
    mea:headedBy id:post\\/aewa-executive-secretary ; prov:wasDerivedFrom loc:p1 .
id:post\\/aewa-executive-secretary a org:Post ; rdfs:label "AEWA Executive Secretary" ; mea:grade "D1" ;
    prov:wasDerivedFrom loc:p1 .
agent:pilot-unit a mea:PilotUnit ; rdfs:label "CMS/AEWA communications unit" ; org:unitOf agent:cms-secretariat ;
    schema:foundingDate "2014-01"^^xsd:gYearMonth ; org:hasPost id:post\\/shared-p2 ; prov:wasDerivedFrom loc:p1 .
id:post\\/shared-p2 a org:Post ; rdfs:label "Shared P2 post" ; mea:grade "P2" ; prov:wasDerivedFrom loc:p1 .
id:cost-share\\/cms a mea:CostShare ; mea:post id:post\\/shared-p2 ; mea:instrument inst:cms ;
    mea:percent "60"^^xsd:decimal ; prov:wasDerivedFrom loc:p1 .
id:cost-share\\/aewa a mea:CostShare ; mea:post id:post\\/shared-p2 ; mea:instrument inst:aewa ;
    mea:percent "40"^^xsd:decimal ; prov:wasDerivedFrom loc:p1 .
id:cost-figure\\/staff a mea:CostFigure ; rdfs:label "US$564,851 staff costs" ; schema:value 564851.0 ;
    schema:currency "USD" ; mea:costKind "staff costs" ; mea:year "2013"^^xsd:gYear ; mea:concerns inst:cms ;
    prov:wasDerivedFrom loc:p1 .

# ---- links out, a current framework, a published mapping
aichi:1 skos:exactMatch <https://api.cbd.int/api/v2013/thesaurus/terms/AICHI-TARGET-01> .
inst:aewa schema:sameAs <https://www.informea.org/treaties/aewa> .
scheme:kmgbf a skos:ConceptScheme ; skos:prefLabel "Kunming-Montreal Global Biodiversity Framework"@en .
id:target\\/gbf\\/16 a skos:Concept ; skos:inScheme scheme:kmgbf ;
    skos:prefLabel "Enable Sustainable Consumption Choices"@en .
id:mapping\\/aichi-gbf\\/gbf-16-aichi-1 a mea:PublishedMapping ; mea:mapsFrom id:target\\/gbf\\/16 ;
    mea:mapsTo aichi:1 ; dcterms:source "https://dart.informea.org/taxonomy/term/5985" .

# ---- provisions, decisions, meetings
id:decision\\/draft a mea:Decision ; rdfs:label "Draft resolution" ; dcterms:identifier "Draft resolution" ;
    mea:issuedUnder inst:cms ; prov:wasDerivedFrom loc:p1 .
id:provision\\/draft\\/1 a mea:OperativeParagraph ; skos:notation "1" ; mea:verb "Requests" ;
    mea:addressee agent:cms-secretariat ; mea:addresseeText "the Secretariat" ; mea:request "to report"@en ;
    dcterms:isPartOf id:decision\\/draft ; prov:wasDerivedFrom loc:p1 .
id:provision\\/src\\/a a mea:RequestedAction ; skos:notation "(a)" ; mea:verb "Take note" ;
    mea:request "of the analysis"@en ; dcterms:isPartOf doc:src ; prov:wasDerivedFrom loc:p1 .
id:decision\\/cms-resolution-10.9 a mea:Decision ; rdfs:label "Resolution 10.9" ; dcterms:identifier "Resolution 10.9" ;
    mea:issuedUnder inst:cms .
id:meeting\\/cms-cop-10 a mea:Meeting ; rdfs:label "COP10" ; dcterms:identifier "COP10" ; mea:issuedUnder inst:cms .
"""

J = "<https://w3id.org/meakg/id/"


def _set(node: str, prop: str, value: str) -> str:
    """Return an update that gives *node* the one *value* of *prop*, in place of what it had."""
    return f"DELETE WHERE {{ {node} {prop} ?old }} ; INSERT DATA {{ {node} {prop} {value} }}"
# (shape, severity, message, SPARQL Update that breaks the base graph in exactly that way)
CASES = [
    ("DisjointClassesShape", "Violation",
     "https://w3id.org/meakg/id/instrument/aewa is both agreement and memorandum of understanding, "
     "which exclude each other "
     "(e.g. an instrument cannot be both an Agreement and an MOU)",
     "INSERT DATA { inst:aewa a mea:MOU }"),
    ("ProvenanceShape", "Violation",
     "does not say where it comes from: it needs prov:wasDerivedFrom a locator that is part of a source document",
     f"DELETE WHERE {{ {J}section/cb/1> prov:wasDerivedFrom ?l }}"),
    ("UndeclaredClassShape", "Violation",
     "is used as a class (rdf:type) but the meakg ontology does not define it (a typo?)",
     f"INSERT DATA {{ {J}activity/jwp/1.1> a mea:JointActivty }}"),
    ("ReferenceSourceShape", "Info", "reference fact cites no source (dcterms:source) in ontology/reference",
     "DELETE WHERE { inst:sharks dcterms:source ?s }"),
    ("NotationShape", "Violation",
     "gives two concepts the number 1: https://w3id.org/meakg/id/target/aichi/1 and "
     "https://w3id.org/meakg/id/target/aichi/2",
     'DELETE { aichi:2 skos:notation "2" } INSERT { aichi:2 skos:notation "1" } WHERE {}'),
    ("InstrumentShape", "Violation", "needs exactly one short name (mea:acronym), as the sources print it",
     "DELETE WHERE { inst:sharks mea:acronym ?a }"),
    ("AgentShape", "Violation",
     "is used as an organisation but has no name: is its IRI in ontology/reference/instruments.yaml?",
     "INSERT DATA { agent:nobody a org:Organization }"),
    ("ReferenceAgentShape", "Violation", "needs exactly one full name (skos:prefLabel)",
     "DELETE WHERE { agent:cms-secretariat skos:prefLabel ?l }"),
    ("SecretariatShape", "Violation", "must be the secretariat of exactly one instrument (mea:secretariatOf)",
     "DELETE WHERE { agent:cms-secretariat mea:secretariatOf ?i }"),
    ("TargetShape", "Violation", 'needs its usual short name (skos:altLabel, e.g. "Aichi Target 12")',
     "DELETE WHERE { aichi:1 skos:altLabel ?l }"),
    ("TargetShape", "Violation",
     "is not a known target: its scheme neither lists it as a top concept nor under a goal (is its number right?)",
     'INSERT DATA { aichi:99 a mea:Target ; skos:inScheme scheme:aichi-targets ; skos:notation "99" ; '
     'skos:prefLabel "No such target"@en ; skos:altLabel "Aichi Target 99"@en ; dcterms:source "ref" }'),
    ("AichiTargetShape", "Violation", "must belong to exactly one Aichi strategic goal (skos:broader)",
     "DELETE WHERE { aichi:1 skos:broader ?g } ; INSERT DATA { aichi:1 skos:topConceptOf scheme:aichi-targets }"),
    ("MigratorySpeciesTargetShape", "Warning", "no joint activity serves this target",
     f"DELETE DATA {{ {J}activity/jwp/2.1> mea:supportsTarget ms:2 }}"),
    ("GoalShape", "Violation", "needs exactly one goal letter (skos:notation)",
     f"DELETE WHERE {{ {J}goal/aichi/A> skos:notation ?n }}"),
    ("ConceptSchemeShape", "Violation", "code list has no name (skos:prefLabel)",
     "DELETE WHERE { scheme:function-status skos:prefLabel ?l }"),
    ("ConceptShape", "Violation", "is a code with no name (skos:prefLabel)",
     f"DELETE WHERE {{ {J}concept/function-status/shared> skos:prefLabel ?l }}"),
    ("WorkPlanShape", "Violation", "work plan ends (2010) before it starts (2016)",
     _set(f"{J}plan/jwp>", "schema:endDate", '"2010"^^xsd:gYear')),
    ("WorkPlanSectionShape", "Violation", "section belongs to no work plan (mea:inPlan)",
     f"DELETE WHERE {{ {J}section/cb/1> mea:inPlan ?p }}"),
    ("ActivityTextShape", "Violation", "activity has no text (rdfs:label or dcterms:title)",
     f'INSERT DATA {{ {J}activity/jwp/9> a mea:Activity ; mea:inPlan {J}plan/jwp> ; skos:notation "9" ; '
     f"prov:wasDerivedFrom loc:p1 }}"),
    ("ActivityShape", "Violation", "activity belongs to no work plan (mea:inPlan)",
     f"DELETE WHERE {{ {J}activity/jwp/1.1> mea:inPlan ?p }}"),
    ("JointActivityShape", "Violation", "joint activity supports no target (mea:supportsTarget)",
     f"DELETE WHERE {{ {J}activity/jwp/1.1> mea:supportsTarget ?t }}"),
    ("CapacityBuildingActivityShape", "Violation", "activity is in no section of its work plan (mea:inSection)",
     f"DELETE WHERE {{ {J}activity/cb/1.1> mea:inSection ?s }}"),
    ("TargetAlignmentSchemesShape", "Violation",
     "aligns two targets of the same scheme (https://w3id.org/meakg/id/target/ms/1 and "
     "https://w3id.org/meakg/id/target/ms/2): an alignment links targets of two different plans",
     f"DELETE WHERE {{ {J}alignment/jwp/ms-1/aichi-1> mea:alignedTarget ?t }} ; "
     f"INSERT DATA {{ {J}alignment/jwp/ms-1/aichi-1> mea:alignedTarget ms:2 . ms:1 skos:relatedMatch ms:2 }}"),
    ("TargetAlignmentShape", "Violation",
     "the aligned targets https://w3id.org/meakg/id/target/ms/1 and https://w3id.org/meakg/id/target/aichi/1 are "
     "not linked by skos:relatedMatch",
     "DELETE DATA { ms:1 skos:relatedMatch aichi:1 }"),
    ("BudgetShape", "Violation", "minimum above maximum",
     _set(f"{J}budget/cb/1.1>", "schema:minValue", "95000.0")),
    ("BudgetAmountShape", "Violation", "estimated budget gives no amount with its currency",
     f"DELETE WHERE {{ {J}budget/cb/1.1> schema:currency ?c }}"),
    ("BudgetStatusShape", "Violation", "budget gives an amount but its status is not estimated",
     _set(f"{J}budget/cb/1.1>", "mea:budgetStatus", f"{J}concept/budget-status/no-additional-funds>")),
    ("ActivityNumberShape", "Violation",
     "work plan gives two activities the number 1.1: https://w3id.org/meakg/id/activity/jwp/1.1 and "
     "https://w3id.org/meakg/id/activity/jwp/2.1",
     _set(f"{J}activity/jwp/2.1>", "skos:notation", '"1.1"')),
    ("WorkPlanSectionShape", "Violation",
     "holds https://w3id.org/meakg/id/activity/cb/1.1, an activity of another work plan",
     _set(f"{J}section/cb/1>", "mea:inPlan", f"{J}plan/jwp>")),
    ("WorkPlanSectionShape", "Warning", "section states no objective (mea:objective): check the document",
     f"DELETE WHERE {{ {J}section/cb/1> mea:objective ?o }}"),
    ("CostFigureAmountShape", "Violation",
     "cost figure gives no amount (schema:value, or schema:minValue/schema:maxValue)",
     f"DELETE WHERE {{ {J}cost-figure/staff> schema:value ?v }}"),
    ("StatedCountShape", "Violation", "the document counts 2 but the typology places 0 instruments of that class",
     _set(f"{J}stated-count/src/para-1/convention>", "mea:instrumentCount", "2")),
    ("CostFigureShape", "Violation", 'cost figure needs exactly one ISO 4217 currency code such as "USD" or "EUR"',
     _set(f"{J}cost-figure/staff>", "schema:currency", '"US$"')),
    ("FunctionStatusShape", "Violation",
     "table cell needs exactly one value: Yes, Shared, Interim Shared, Currently no funds, or To be coordinated by "
     "GRASP",
     _set(f"{J}function-status/src/table-1/aewa/conference-service>", "mea:status",
          f"{J}concept/function-status/maybe>")),
    ("ServiceAreaShape", "Violation", "service area needs exactly one number from 1 to 6",
     _set(f"{J}concept/common-service-areas/conference-services>", "skos:notation", '"7"')),
    ("TypologyCategoryShape", "Warning", "typology category has no instrument in it",
     "DELETE WHERE { ?i mea:typologyCategory ?c }"),
    ("ProposedUnitShape", "Violation", "proposed unit both covers and only collaborates with an instrument",
     "INSERT DATA { agent:proposed-science-unit mea:collaboratesWith inst:cms }"),
    ("PilotUnitShape", "Violation", "pilot unit's founding date must be one date, month or year",
     _set("agent:pilot-unit", "schema:foundingDate", '"soon"')),
    ("PostShape", "Violation", 'post grade must be one UN grade such as "P4" or "D1"',
     _set(f"{J}post/shared-p2>", "mea:grade", '"senior"')),
    ("CostShareShape", "Violation",
     "the same instrument pays two shares of this post (https://w3id.org/meakg/id/cost-share/cms)",
     _set(f"{J}cost-share/cms>", "mea:instrument", "inst:aewa")),
    ("CostShareTotalShape", "Violation", "the cost shares of this post add up to 90 per cent, not 100",
     _set(f"{J}cost-share/cms>", "mea:percent", '"50"^^xsd:decimal')),
    ("ProvisionShape", "Violation", "provision needs exactly one number or letter as printed (skos:notation)",
     f"DELETE WHERE {{ {J}principle/cb/a> skos:notation ?n }}"),
    ("OperativeProvisionShape", "Violation", 'provision needs exactly one operative verb (mea:verb, e.g. "Requests")',
     f"DELETE WHERE {{ {J}provision/draft/1> mea:verb ?v }}"),
    ("PrincipleShape", "Violation", 'guiding principle must be lettered "a" to "z"',
     _set(f"{J}principle/cb/a>", "skos:notation", '"1"')),
    ("PhaseShape", "Violation", "phase needs exactly one number from 1 to 4",
     _set(f"{J}phase/cb/1>", "skos:notation", '"9"')),
    ("CitedShape", "Violation",
     "decision or meeting is cited by no paragraph or activity and stated by no source paragraph",
     f"DELETE DATA {{ loc:p1 dcterms:references {J}meeting/cms-cop-10> }}"),
    ("DocumentTitleShape", "Violation", "document has no title (dcterms:title or rdfs:label)",
     "DELETE WHERE { doc:cited rdfs:label ?l }"),
    ("DocumentShape", "Violation", "document needs exactly one identifier: its symbol, or its key when it prints none",
     "DELETE WHERE { doc:src dcterms:identifier ?i }"),
    ("LinkShape", "Violation",
     "links to something that is not a CBD thesaurus target or goal code (AICHI-TARGET-nn, GBF-TARGET-nn, GBF-GOAL-X)",
     "INSERT DATA { aichi:1 skos:exactMatch <https://api.cbd.int/api/v2013/thesaurus/terms/AICHI-TARGET-1> }"),
    ("LinkShape", "Violation", "links to something that is neither an InforMEA treaty page nor a Wikidata item",
     "INSERT DATA { inst:aewa schema:sameAs <https://en.wikipedia.org/wiki/AEWA> }"),
    ("PublishedMappingShape", "Violation",
     "mapping cites no source (dcterms:source): publish a mapping only where a source states it",
     f"DELETE WHERE {{ {J}mapping/aichi-gbf/gbf-16-aichi-1> dcterms:source ?s }}"),
    ("PublishedMappingShape", "Violation", "mapping needs exactly one concept it maps to (mea:mapsTo)",
     f"INSERT DATA {{ {J}mapping/aichi-gbf/gbf-16-aichi-1> mea:mapsTo aichi:2 }}"),
    ("LocatorShape", "Violation", "locator needs exactly one line number (mea:line, from 1)",
     _set("loc:t1", "mea:line", "0")),
]


def _graph(update: str = "") -> Graph:
    graph = Graph().parse(data=BASE, format="turtle")
    if update:
        graph.update(PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + update)
    return graph


@pytest.fixture(scope="module")
def real():
    return validate()


def test_real_graph_conforms(real) -> None:
    violations = [f.line() for f in real.findings if f.severity is Severity.VIOLATION]
    assert violations == []
    assert real.conforms


def test_real_graph_warns_of_migratory_species_targets_3_and_9(real) -> None:
    unserved = [f.focus for f in real.findings if f.shape == "MigratorySpeciesTargetShape"]
    assert unserved == ["https://w3id.org/meakg/id/target/ms/3", "https://w3id.org/meakg/id/target/ms/9"]
    assert {f.severity for f in real.findings if f.shape == "MigratorySpeciesTargetShape"} == {Severity.WARNING}


def test_base_graph_gives_no_finding() -> None:
    assert [f.line() for f in validate(_graph(), reason=False).findings] == []


def test_base_graph_gives_no_finding_with_reasoning() -> None:
    assert [f.line() for f in validate(_graph(), reason=True).findings] == []


@pytest.mark.parametrize(("shape", "severity", "message", "update"), CASES, ids=[c[0] for c in CASES])
def test_shape_catches_its_error(shape: str, severity: str, message: str, update: str) -> None:
    result = validate(_graph(update), reason=False)
    assert {(f.shape, f.severity.value) for f in result.findings} == {(shape, severity)}
    assert message in {f.message for f in result.findings}
    assert result.conforms is (severity != "Violation")


def test_every_shape_with_a_target_has_a_case() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    targets = [URIRef(SH + t) for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")]
    targeted = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, URIRef(SH + "NodeShape"))
                if any((s, t, None) in shapes for t in targets)}
    assert targeted == {c[0] for c in CASES}
    assert len(CASES) > len(targeted)  # some shapes check more than one rule, each with its case


def test_every_class_of_the_ontology_is_checked_for_provenance_or_is_reference_data() -> None:
    # ProvenanceShape lists the classes of extracted nodes as core targets (portable, unlike a SPARQL
    # target): a class added to the ontology must join them, or be named here as reference data
    from meakg.ontology.resources import ONTOLOGY_FILE

    mea = "https://w3id.org/meakg/ontology#"
    reference = {"Instrument", "Convention", "Agreement", "MOU", "Target", "AichiTarget", "MigratorySpeciesTarget",
                 "Goal", "Secretariat", "Group", "Initiative", "PublishedMapping", "Document", "Locator", "Decision",
                 "Meeting"}
    ontology, shapes = Graph().parse(ONTOLOGY_FILE), Graph().parse(SHAPES_FILE)
    targets = set(shapes.objects(URIRef("https://w3id.org/meakg/shapes#ProvenanceShape"), URIRef(SH + "targetClass")))
    subclass = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    checked = {c for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
               if str(c).startswith(mea) and set(ontology.transitive_objects(c, subclass)) & targets}
    classes = {str(c)[len(mea):] for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
               if str(c).startswith(mea)}
    assert classes - {str(c)[len(mea):] for c in checked} == reference
    assert {str(c)[len(mea):] for c in checked} & reference == set()


def test_every_shape_has_a_message() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    constraints = set(shapes.objects(None, URIRef(SH + "property"))) | set(shapes.objects(None, URIRef(SH + "sparql")))
    lacking = [str(c) for c in constraints if (c, URIRef(SH + "message"), None) not in shapes
               and (None, URIRef(SH + "qualifiedValueShape"), c) not in shapes]
    lacking += [str(s) for s in shapes.subjects(URIRef(SH + "or"), None)
                if (s, URIRef(SH + "message"), None) not in shapes]
    assert lacking == []


def _shacl_shacl(shapes: Graph) -> tuple[bool, str]:
    """Validate a shapes graph against SHACL-for-SHACL (the shacl-shacl graph pySHACL ships)."""
    import pyshacl

    shacl_shacl = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl, inference="none")
    return conforms, text


def test_shapes_graph_is_valid_shacl() -> None:
    conforms, text = _shacl_shacl(Graph().parse(SHAPES_FILE))
    assert conforms, text


def test_shacl_for_shacl_catches_a_broken_shape() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    shapes.parse(data=PREFIXES + """@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://w3id.org/meakg/shapes#Broken> a sh:NodeShape ; sh:targetClass mea:Activity ;
            sh:property [ sh:path mea:inPlan ; sh:minCount "one" ] .""", format="turtle")
    assert _shacl_shacl(shapes)[0] is False


def test_pyshacl_meta_shacl_accepts_the_shapes() -> None:
    import pyshacl

    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=Graph().parse(SHAPES_FILE), meta_shacl=True,
                                         advanced=True)
    assert conforms, text


def test_report_line_shows_the_offending_value() -> None:
    update = _set(f"{J}cost-figure/staff>", "schema:currency", '"US$"')
    [finding] = validate(_graph(update), reason=False).findings
    assert finding.line() == ('Violation  CostFigureShape  cost figure needs exactly one ISO 4217 currency code '
                              'such as "USD" or "EUR" (found "US$")  <https://w3id.org/meakg/id/cost-figure/staff> '
                              '"US$564,851 staff costs"  (src.txt:10)')


def test_disjoint_types_are_reported_with_reasoning_too() -> None:
    result = validate(_graph("INSERT DATA { inst:aewa a mea:MOU }"), reason=True)
    assert [(f.shape, f.focus, f.value) for f in result.findings] == [
        ("DisjointClassesShape", "https://w3id.org/meakg/ontology#Agreement",
         "<https://w3id.org/meakg/id/instrument/aewa>")]


def test_typo_in_an_instrument_iri_is_caught_through_the_range() -> None:
    # mea:instrument has range mea:Instrument: the closure types the misspelt node, and
    # InstrumentShape then says it is no known instrument.
    update = _set(f"{J}cost-share/cms>", "mea:instrument", "inst:cmss")
    result = validate(_graph(update), reason=True)
    assert {(f.shape, f.focus) for f in result.findings if f.severity is Severity.VIOLATION} == {
        ("InstrumentShape", "https://w3id.org/meakg/id/instrument/cmss")}


def test_text_report_names_label_and_source_line(tmp_path: Path) -> None:
    graph = _graph(_set(f"{J}budget/cb/1.1>", "schema:minValue", "95000.0"))
    text = render(validate(graph, reason=False))
    assert text.splitlines() == [
        'Violation  BudgetShape  minimum above maximum (found "95000.0")  '
        '<https://w3id.org/meakg/id/budget/cb/1.1>  (src.txt:10)',
        "",
        "1 violation, 0 warnings, 0 infos: does not conform (" + text.rsplit("(", 1)[1],
    ]


def test_text_report_lists_findings_sorted_by_severity_then_shape() -> None:
    update = ("DELETE WHERE { inst:sharks dcterms:source ?s } ; DELETE WHERE { inst:sharks mea:acronym ?a } ; "
              f"DELETE DATA {{ {J}activity/jwp/2.1> mea:supportsTarget ms:2 }}")
    lines = [line for line in render(validate(_graph(update), reason=False)).splitlines() if line][:-1]
    assert [line.split("  ")[:2] for line in lines] == [
        ["Violation", "InstrumentShape"], ["Warning", "MigratorySpeciesTargetShape"], ["Info", "ReferenceSourceShape"]]
    assert lines[0].endswith('<https://w3id.org/meakg/id/instrument/sharks> "Sharks"')


def test_json_report_has_counts_and_findings() -> None:
    result = validate(_graph("DELETE WHERE { inst:sharks mea:acronym ?a }"), reason=False)
    data = json.loads(render(result, "json"))
    assert data["conforms"] is False
    assert data["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    assert data["findings"][0]["shape"] == "InstrumentShape"
    assert data["findings"][0]["path"] == "mea:acronym"


def test_turtle_report_is_a_shacl_validation_report() -> None:
    result = validate(_graph("DELETE WHERE { inst:sharks mea:acronym ?a }"), reason=False)
    report = Graph().parse(data=render(result, "turtle"), format="turtle")
    assert len(list(report.subjects(RDF.type, URIRef(SH + "ValidationResult")))) == 1


def test_validate_returns_a_frozen_dataclass_not_a_tuple() -> None:
    import dataclasses

    result = validate(_graph(), reason=False)
    assert dataclasses.is_dataclass(result) and not isinstance(result, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.conforms = False  # type: ignore[misc]


# ---------------------------------------------------------------- files and the command line

def test_read_file_reports_line_and_column_of_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "partner.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    with pytest.raises(DataError) as err:
        read_file(path)
    assert str(err.value) == f"{path}:3:11: Unexpected end of file"


def test_read_file_rejects_an_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "partner.xlsx"
    path.write_text("x")
    with pytest.raises(DataError) as err:
        read_file(path)
    assert str(err.value) == (f"{path}: expected a Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML file "
                              "(.json, .jsonld, .nq, .nquads, .nt, .ntriples, .owl, .rdf, .trig, .ttl, .turtle, .xml), "
                              "found suffix '.xlsx'")


def test_read_file_rejects_a_file_without_statements(tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n# nothing yet\n")
    with pytest.raises(DataError) as err:
        read_file(path)
    assert str(err.value) == f"{path}: expected RDF statements, found none"


def test_read_file_reads_json_ld(tmp_path: Path) -> None:
    path = tmp_path / "partner.jsonld"
    path.write_text('{"@id": "https://w3id.org/meakg/id/instrument/aewa", '
                    '"http://www.w3.org/2000/01/rdf-schema#label": "AEWA"}')
    assert len(read_file(path)) == 1


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["meakg", "validate", *args])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def _write(tmp_path: Path, name: str, graph: Graph, fmt: str) -> Path:
    if fmt in ("nquads", "trig"):  # put the data in a named graph, as the build does
        from rdflib import Dataset

        dataset = Dataset()
        named = dataset.graph(URIRef("https://w3id.org/meakg/graph/partner"))
        for triple in graph:
            named.add(triple)
        graph = dataset
    path = tmp_path / name
    path.write_text(graph.serialize(format=fmt))
    return path


def test_cli_exits_0_for_a_conforming_file(tmp_path, monkeypatch, capsys) -> None:
    path = _write(tmp_path, "ok.nt", _graph(), "nt")
    code, out, _ = _run(monkeypatch, capsys, str(path))
    assert code == 0
    assert out.strip().endswith(": conforms (" + out.strip().rsplit("(", 1)[1])


def test_cli_exits_1_for_violations(tmp_path, monkeypatch, capsys) -> None:
    path = _write(tmp_path, "bad.ttl", _graph("DELETE WHERE { inst:sharks mea:acronym ?a }"), "turtle")
    code, out, _ = _run(monkeypatch, capsys, str(path))
    assert code == 1
    assert out.startswith("Violation  InstrumentShape  needs exactly one short name")


def test_cli_warnings_fail_only_when_strict(tmp_path, monkeypatch, capsys) -> None:
    graph = _graph(f"DELETE DATA {{ {J}activity/jwp/2.1> mea:supportsTarget ms:2 }}")
    path = _write(tmp_path, "warn.trig", graph, "trig")
    assert _run(monkeypatch, capsys, str(path))[0] == 0
    assert _run(monkeypatch, capsys, str(path), "--strict")[0] == 1


def test_cli_exits_2_with_line_for_a_syntax_error(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    code, out, err = _run(monkeypatch, capsys, str(path))
    assert code == 2
    assert err == f"Error: {path}:3:11: Unexpected end of file\n"
    assert "Traceback" not in out + err


def test_cli_exits_2_for_a_missing_file(tmp_path, monkeypatch, capsys) -> None:
    code, _, err = _run(monkeypatch, capsys, str(tmp_path / "nothing.ttl"))
    assert code == 2
    assert err.startswith("Error: ") and "cannot read the file" in err


def test_cli_json_format(tmp_path, monkeypatch, capsys) -> None:
    path = _write(tmp_path, "ok.nq", _graph(), "nquads")
    code, out, _ = _run(monkeypatch, capsys, str(path), "--format", "json")
    assert code == 0
    assert json.loads(out)["counts"] == {"Violation": 0, "Warning": 0, "Info": 0}


def test_cli_validates_the_stored_build(monkeypatch, capsys) -> None:
    code, out, _ = _run(monkeypatch, capsys)
    assert code == 0
    assert "MigratorySpeciesTargetShape  no joint activity serves this target" in out


# ---------------------------------------------------------------- a partner's file, checked with the build

PARTNER = """
@prefix mea: <https://w3id.org/meakg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/meakg/id/activity/cbd-cms-joint-work-plan-2016-2018/9.9> a mea:JointActivity ;
    mea:inPlan <https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2016-2018> ;
    rdfs:label "Joint webinar on migratory species"@en ; skos:notation "9.9" ;
    mea:supportsTarget <https://w3id.org/meakg/id/target/ms/3> , <https://w3id.org/meakg/id/target/aichi/TARGET> ;
    prov:wasDerivedFrom <https://w3id.org/meakg/id/locator/cbd-cms-joint-work-plan-2016-2018/row-1/activity-1> .
"""


def test_partner_file_referring_to_the_build_conforms_with_the_build(tmp_path: Path) -> None:
    path = tmp_path / "partner.ttl"
    path.write_text(PARTNER.replace("TARGET", "12"))
    result = validate(path, with_build=True)
    assert [f.line() for f in result.findings] == []  # the build's own warnings are not the partner's
    alone = validate(path)
    assert {f.shape for f in alone.findings if f.severity is Severity.VIOLATION} >= {"WorkPlanShape", "ProvenanceShape"}


def test_partner_file_with_a_misspelt_target_is_caught_with_the_build(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "partner.ttl"
    path.write_text(PARTNER.replace("TARGET", "99"))
    code, out, _ = _run(monkeypatch, capsys, str(path), "--with-build")
    assert code == 1
    assert ("Violation  TargetShape  is not a known target: its scheme neither lists it as a top concept nor under a "
            "goal (is its number right?)  <https://w3id.org/meakg/id/target/aichi/99>") in out
    assert "MigratorySpeciesTargetShape" not in out


def test_a_budget_broken_in_the_real_graph_is_reported_with_its_source_line() -> None:
    from rdflib import XSD, Literal

    from meakg.graph.build.current import ensure_built

    built = read_file(ensure_built())
    budget = URIRef("https://w3id.org/meakg/id/budget/cms-capacity-building-work-plan-2012-2014/1.4")
    plan = built.graph(URIRef("https://w3id.org/meakg/graph/cms-capacity-building-work-plan-2012-2014"))
    plan.remove((budget, URIRef("https://schema.org/minValue"), None))
    plan.add((budget, URIRef("https://schema.org/minValue"), Literal("95000", datatype=XSD.decimal)))
    [finding] = [f for f in validate(built).findings if f.severity is Severity.VIOLATION]
    assert finding.line().startswith(
        'Violation  BudgetShape  minimum above maximum (found "95000")  '
        '<https://w3id.org/meakg/id/budget/cms-capacity-building-work-plan-2012-2014/1.4> '
        '"Budget estimate of activity 1.4"  '
        "(cms-capacity-building-work-plan-2012-2014.txt:")


def test_control_and_escape_characters_from_a_partners_file_are_escaped_in_the_report(tmp_path, monkeypatch, capsys):
    data = tmp_path / "evil.ttl"
    data.write_text('@prefix mea: <https://w3id.org/meakg/ontology#> .\n'
                    '<https://w3id.org/meakg/id/instrument/evil> a mea:Agreement ;\n'
                    '  <http://www.w3.org/2004/02/skos/core#prefLabel> "Evil\\u001B[2J\\u0007\\u202Eeman" .\n')
    code, out, _ = _run(monkeypatch, capsys, str(data))
    assert code == 1
    line = next(row for row in out.splitlines() if "needs exactly one label" in row)
    assert line == ('Violation  InstrumentShape  needs exactly one label (rdfs:label)  '
                    '<https://w3id.org/meakg/id/instrument/evil> "Evil\\x1b[2J\\x07\\u202eeman"')
    assert not [c for c in out if ord(c) < 0x20 and c != "\n"]


def test_an_error_quoting_a_partners_file_escapes_its_control_characters(tmp_path, monkeypatch, capsys):
    data = tmp_path / "bad\x1b[31m.ttl"
    data.write_text("<a> <b> .\n")
    code, _, err = _run(monkeypatch, capsys, str(data))
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err
    assert err.startswith(f"Error: {tmp_path}/bad\\x1b[31m.ttl:1:")


def test_no_sparql_constraint_groups_by_or_projects_this_next_to_an_aggregate() -> None:
    # SHACL pre-binds $this (5.3.1): engines other than pySHACL and Jena reject a query that
    # groups by it or projects it beside an aggregate, so the shapes would not run there.
    import re

    from rdflib import URIRef as U

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    selects = [str(o) for o in shapes.objects(None, U("http://www.w3.org/ns/shacl#select"))]
    aggregate = re.compile(r"\b(SUM|COUNT|AVG|MIN|MAX|GROUP_CONCAT|SAMPLE)\s*\(", re.IGNORECASE)
    offending = [q for q in selects if aggregate.search(q) and (
        re.search(r"GROUP\s+BY[^}]*[$?]this\b", q, re.IGNORECASE)
        or re.search(r"SELECT\s[^{]*[$?]this\b", q.split("WHERE", 1)[0], re.IGNORECASE))]
    assert len([q for q in selects if aggregate.search(q)]) == 2  # the cost-share total, the stated counts
    assert offending == []


def test_a_blank_node_where_a_budget_minimum_belongs_is_reported_not_a_traceback(tmp_path, monkeypatch, capsys):
    # SHACL: values that cannot be compared under sh:lessThanOrEquals are a result (pySHACL raised an error here)
    path = tmp_path / "partner.ttl"
    path.write_text(PREFIXES + '<https://x/b> a mea:BudgetEstimate ; schema:minValue [ schema:value 3 ] ; '
                    'schema:maxValue 5.0 ; schema:currency "USD" .\n')
    code, out, err = _run(monkeypatch, capsys, str(path))
    assert code == 1 and "Traceback" not in err
    assert "Violation  BudgetShape  minimum above maximum  <https://x/b>" in out.splitlines()


def test_an_ill_typed_literal_is_a_finding_without_rdflibs_tracebacks(tmp_path) -> None:
    import subprocess

    path = tmp_path / "partner.ttl"
    path.write_text(PREFIXES + '<https://x/b> a mea:BudgetEstimate ; schema:minValue "lots"^^xsd:decimal ; '
                    'schema:maxValue 5.0 ; schema:currency "USD" .\n')
    # a fresh process: rdflib logs through the logging module's own handler there, not pytest's
    done = subprocess.run([sys.executable, "-m", "meakg", "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "Failed to convert" not in done.stderr
    assert ('Violation  BudgetShape  budget minimum must be one amount (xsd:decimal, not negative) (found "lots")  '
            '<https://x/b>') in done.stdout.splitlines()


def test_the_same_file_gives_the_same_report_in_every_format(tmp_path) -> None:
    # blank nodes in the file, in the shapes and in the report are named in order, not at random
    path = tmp_path / "partner.ttl"
    path.write_text(PREFIXES + '<https://x/b> a mea:BudgetEstimate ; schema:minValue [ schema:value 3 ] ; '
                    'schema:maxValue 5.0 ; schema:currency "USD" .\n[] a mea:CostShare ; mea:percent 101.0 .\n')
    first, second = validate(path), validate(path)
    for fmt in ("text", "turtle", "json"):
        assert render(first, fmt) == render(second, fmt)
    assert '"focus": "_:b1"' in render(first, "json")
    labels = re.findall(r"_:(\w+)", render(first, "turtle"))
    assert "b0" in labels and all(re.fullmatch(r"b\d+|result\d+|report", label) for label in labels)
