"""The VoID/DCAT description finds the files: a distribution per format, the dump, a linkset per link target,
the publisher and a contact point; every figure counted in the data, every file named as it is written."""

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS, VOID

from meakg.graph.check.validate import read_file
from meakg.graph.export.describe import DATASET, DESCRIPTION, IANA, PUBLISHER, VCARD, describe
from meakg.graph.export.exports import export
from meakg.graph.export.formats import EXTENSIONS, FILES, SSSOM, Format, format_for
from meakg.graph.export.rdf import load
from meakg.graph.export.sssom import MAPPING_SET_ID
from meakg.ontology.vocab import ID

SCHEMA_SAMEAS = URIRef("https://schema.org/sameAs")
CBD_TERMS = "https://api.cbd.int/api/v2013/thesaurus/terms/"
INFORMEA_TREATIES = "https://www.informea.org/treaties/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # open: rdflib's closed DCAT trips pytest's collection


@pytest.fixture(scope="module")
def dataset():
    return load()


@pytest.fixture(scope="module")
def description(dataset) -> Graph:
    return describe(dataset)


def distribution(description: Graph, name: str) -> URIRef:
    node = URIRef(f"{DATASET}/distribution/{name}")
    assert (DATASET, DCAT.distribution, node) in description
    return node


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_each_rdf_format_is_a_distribution_with_its_download_url_media_type_and_format(fmt, description):
    node = distribution(description, fmt.value)
    ox = getattr(pyoxigraph.RdfFormat, fmt.oxigraph)
    url = f"https://w3id.org/meakg/export/meakg.{ox.file_extension}"
    assert (node, RDF.type, DCAT.Distribution) in description
    assert description.value(node, DCAT.downloadURL) == URIRef(url) == description.value(node, DCAT.accessURL)
    assert description.value(node, DCAT.mediaType) == URIRef(IANA + ox.media_type)  # the engine's media type too
    assert description.value(node, DCTERMS["format"]) == URIRef(FILES[fmt.value].format_iri)
    assert description.value(node, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert format_for(None, Path(url)) == fmt.value  # the file's name says its format, as `meakg export --out`


def test_format_iris_are_the_w3c_registrys():
    # pyoxigraph names the same IRIs, except JSON-LD's, which the W3C registry gives as .../formats/JSON-LD
    for fmt in Format:
        ox = getattr(pyoxigraph.RdfFormat, fmt.oxigraph)
        expected = "http://www.w3.org/ns/formats/JSON-LD" if fmt is Format.JSONLD else ox.iri
        assert FILES[fmt.value].format_iri == expected


def test_the_sssom_file_is_a_distribution_at_its_mapping_set_id(description):
    node = distribution(description, SSSOM)
    assert description.value(node, DCAT.downloadURL) == URIRef(MAPPING_SET_ID)
    assert description.value(node, DCAT.mediaType) == URIRef(IANA + "text/tab-separated-values")
    assert description.value(node, DCTERMS.conformsTo) == URIRef("https://w3id.org/sssom/schema/")
    assert format_for(None, Path(MAPPING_SET_ID)) == SSSOM


def test_the_data_dump_is_the_n_triples_distribution_alone(description):
    assert list(description.objects(DATASET, VOID.dataDump)) == [URIRef(FILES["ntriples"].download_url)]


def test_there_are_exactly_the_distributions_of_the_formats_and_no_byte_size_is_claimed(description):
    assert len(list(description.objects(DATASET, DCAT.distribution))) == len(Format) + 1
    assert list(description.objects(None, DCAT.byteSize)) == []


def test_values_carry_the_classes_dcat_gives_their_range(description):
    for node in description.objects(DATASET, DCAT.distribution):
        assert (description.value(node, DCAT.mediaType), RDF.type, DCTERMS.MediaType) in description
        assert (description.value(node, DCTERMS.license), RDF.type, DCTERMS.LicenseDocument) in description
    assert (description.value(DATASET, DCTERMS.conformsTo), RDF.type, DCTERMS.Standard) in description


def links(dataset, predicate: URIRef, namespace: str) -> int:
    """Count, in the data graphs, the distinct triples linking one of our things into *namespace* by *predicate*."""
    found = {(s, o) for g in dataset.graphs() if str(g.identifier) != str(DESCRIPTION)
             for s, o in g.subject_objects(predicate) if str(s).startswith(ID) and str(o).startswith(namespace)}
    return len(found)


def test_a_linkset_per_link_target_with_the_triples_counted_in_the_data(dataset, description):
    linksets = {description.value(n, VOID.linkPredicate): n for n in description.subjects(RDF.type, VOID.Linkset)}
    assert set(linksets) == {SKOS.exactMatch, SCHEMA_SAMEAS}
    cbd, informea = linksets[SKOS.exactMatch], linksets[SCHEMA_SAMEAS]
    assert description.value(cbd, VOID.triples) == Literal(links(dataset, SKOS.exactMatch, CBD_TERMS)) == Literal(47)
    assert description.value(informea, VOID.triples) == Literal(links(dataset, SCHEMA_SAMEAS, INFORMEA_TREATIES)) \
        == Literal(29)
    for linkset, space in ((cbd, CBD_TERMS), (informea, INFORMEA_TREATIES)):
        assert (DATASET, VOID.subset, linkset) in description
        assert description.value(linkset, VOID.subjectsTarget) == DATASET
        target = description.value(linkset, VOID.objectsTarget)
        assert (target, RDF.type, VOID.Dataset) in description
        assert description.value(target, VOID.uriSpace) == Literal(space)


def test_no_link_out_escapes_the_linksets(dataset, description):
    mapping = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, SCHEMA_SAMEAS,
               URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")]
    out = {(s, p, o) for g in dataset.graphs() if str(g.identifier) != str(DESCRIPTION) for p in mapping
           for s, o in g.subject_objects(p) if str(s).startswith(ID) and isinstance(o, URIRef)
           and not str(o).startswith("https://w3id.org/meakg/")}
    counted = sum(int(description.value(n, VOID.triples)) for n in description.subjects(RDF.type, VOID.Linkset))
    assert counted == len(out) == 76


def test_publisher_and_contact_point(description):
    assert description.value(DATASET, DCTERMS.publisher) == PUBLISHER == URIRef("https://w3id.org/meakg/id/agent/meakg")
    assert (PUBLISHER, RDF.type, FOAF.Agent) in description
    assert description.value(PUBLISHER, FOAF.name) == Literal("meakg project", lang="en")
    contact = description.value(DATASET, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in description and (contact, RDF.type, VCARD.Organization) in description
    assert description.value(contact, VCARD.fn) == Literal("meakg project", lang="en")
    assert description.value(contact, VCARD.hasURL) == URIRef("https://w3id.org/meakg/")


def test_an_endpoint_is_a_distribution_through_a_data_service(dataset):
    served = describe(dataset, endpoint="http://127.0.0.1:7878/query")
    node = URIRef(f"{DATASET}/distribution/sparql")
    service = served.value(node, DCAT.accessService)
    assert served.value(node, DCAT.accessURL) == URIRef("http://127.0.0.1:7878/query")
    assert served.value(service, DCAT.endpointURL) == URIRef("http://127.0.0.1:7878/query")
    assert served.value(service, DCAT.servesDataset) == DATASET
    assert served.value(service, DCTERMS.conformsTo) == URIRef("https://www.w3.org/TR/sparql11-protocol/")


def test_the_description_parses_in_pyoxigraph_to_the_same_triples(description):
    text = description.serialize(format="nt")
    assert len(list(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))) == len(description)


@pytest.mark.parametrize("suffix", sorted(EXTENSIONS), ids=lambda s: s)
def test_every_extension_export_writes_is_one_validate_reads(suffix, tmp_path):
    out = tmp_path / f"meakg{suffix}"
    exported = export(None, out=out, graphs="ontology")
    assert exported.format == EXTENSIONS[suffix].value
    fmt = getattr(pyoxigraph.RdfFormat, EXTENSIONS[suffix].oxigraph)
    written = {(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(out.read_bytes(), format=fmt)}
    assert len(written) > 600  # the ontology and the description
    assert len({(s, p, o) for s, p, o, _ in read_file(out).quads()}) == len(written)
