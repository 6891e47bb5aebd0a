"""DCAT-AP output, validated with pySHACL against the official DCAT-AP 3.0.1 shapes.

The real package, offered for download as the site will offer it, comes from
``fixtures/publications.py``, shared with the CKAN and schema.org tests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SH, SKOS

from conftest import ROOT, STANDARDS, shared
from fixtures.publications import (
    BASE,
    DESCRIPTOR,
    LICENCE,
    XSD,
    foreign,
    published_files,
    real_publication,
    urls,
)
from opendata.config import read_config
from opendata.exceptions import OpendataError
from opendata.paths import Project
from opendata.publish import dcat
from opendata.publish.common import Portal, Publication
from opendata.publish.dcat import DCAT, SPDX

SHAPES = STANDARDS / "dcat-ap-3.0.1"

def shapes() -> Graph:
    """The DCAT-AP 3.0.1 shapes and range shapes, as released.

    The release references five property shapes it never defines (SEMICeu/DCAT-AP#448), which
    pySHACL refuses; such a reference constrains nothing, so it is dropped here."""
    graph = Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        graph.parse(shared(SHAPES / name))
    for shape, reference in list(graph.subject_objects(SH.property)):
        if (reference, None, None) not in graph:
            graph.remove((shape, SH.property, reference))
    return graph


def validate(data: Graph, shape_graph: Graph) -> tuple[bool, set[URIRef], str]:
    """Whether ``data`` conforms, the paths of the violations and the report as text."""
    conforms, report, text = pyshacl.validate(data, shacl_graph=shape_graph, inference="none")
    return conforms, set(report.objects(None, SH.resultPath)), text


@pytest.fixture(scope="module")
def shape_graph() -> Graph:
    return shapes()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return dcat.graph(real_publication())


def test_graph_conforms_to_the_dcat_ap_shapes(graph, shape_graph):
    conforms, _, text = validate(graph, shape_graph)
    assert conforms, text


def _without_access_url(g: Graph) -> Graph:
    g.remove((next(g.subjects(RDF.type, DCAT.Distribution)), DCAT.accessURL, None))
    return g


def _untyped_licence(g: Graph) -> Graph:
    g.remove((URIRef(LICENCE), RDF.type, DCTERMS.LicenseDocument))
    return g


def _checksum_as_plain_text(g: Graph) -> Graph:
    checksum = next(g.subjects(RDF.type, SPDX.Checksum))
    value = g.value(checksum, SPDX.checksumValue)
    g.set((checksum, SPDX.checksumValue, Literal(str(value))))
    return g


@pytest.mark.parametrize("break_graph, path", [
    (_without_access_url, DCAT.accessURL),
    (_untyped_licence, DCTERMS.license),
    (_checksum_as_plain_text, SPDX.checksumValue),
])
def test_the_shapes_reject_a_broken_graph(graph, shape_graph, break_graph, path):
    broken = break_graph(Graph().parse(data=graph.serialize(format="turtle"), format="turtle"))
    conforms, paths, text = validate(broken, shape_graph)
    assert not conforms
    assert paths == {path}, text


def test_titles_and_descriptions_are_in_both_languages(graph):
    def texts(node, predicate):
        return {o.language: str(o) for o in graph.objects(node, predicate)}

    for kind in (DCAT.Catalog, DCAT.Dataset):
        node = next(graph.subjects(RDF.type, kind))
        assert texts(node, DCTERMS.title) == {"zh-Hans": DESCRIPTOR["title_zh"],
                                              "en": DESCRIPTOR["title_en"]}
        assert texts(node, DCTERMS.description) == {"zh-Hans": DESCRIPTOR["description_zh"],
                                                    "en": DESCRIPTOR["description_en"]}
    for download in real_publication().downloads:
        node = graph.value(predicate=DCAT.downloadURL, object=URIRef(BASE + download.path))
        assert texts(node, DCTERMS.title) == {"zh-Hans": download.title_zh,
                                              "en": download.title_en}


def test_distributions_describe_the_real_files(graph):
    files = published_files()
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == len(files)
    for path, content, media_type, format, _ in files.values():
        url = URIRef(BASE + path)
        node = graph.value(predicate=DCAT.downloadURL, object=url)
        assert graph.value(node, DCAT.accessURL) == url
        assert graph.value(node, DCAT.byteSize) == Literal(len(content),
                                                           datatype=XSD.nonNegativeInteger)
        checksum = graph.value(node, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert graph.value(checksum, SPDX.checksumValue) == Literal(
            hashlib.sha256(content).hexdigest(), datatype=XSD.hexBinary)
        assert str(graph.value(node, DCAT.mediaType)).endswith("/media-types/" + media_type)
        file_type = graph.value(node, DCTERMS.format)
        expected = None if format == "SQLite" else dcat.EU_FILE_TYPES + format.upper()
        assert (file_type and str(file_type)) == expected
        assert graph.value(node, DCTERMS.license) == URIRef(LICENCE)


def test_dataset_facts_come_from_the_descriptor(graph):
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert str(graph.value(dataset, DCAT.version)) == DESCRIPTOR["version"]
    assert graph.value(dataset, DCTERMS.modified).toPython() == datetime.fromisoformat(
        DESCRIPTOR["created"])
    assert graph.value(dataset, DCTERMS.issued) == Literal("2026-11-27", datatype=XSD.date)
    period = graph.value(dataset, DCTERMS.temporal)
    assert [graph.value(period, p) for p in (DCAT.startDate, DCAT.endDate)] == [
        Literal(DESCRIPTOR["temporal"][k], datatype=XSD.date) for k in ("start", "end")]
    place = graph.value(dataset, DCTERMS.spatial)
    assert {str(o) for o in graph.objects(place, SKOS.prefLabel)} == {
        DESCRIPTOR["spatial"]["name"], DESCRIPTOR["spatial"]["name_zh"]}
    assert str(graph.value(place, DCTERMS.identifier)) == DESCRIPTOR["spatial"]["admin_code"]
    half = len(DESCRIPTOR["keywords"]) // 2
    assert {(str(o), o.language) for o in graph.objects(dataset, DCAT.keyword)} == {
        *((k, "zh-Hans") for k in DESCRIPTOR["keywords"][:half]),
        *((k, "en") for k in DESCRIPTOR["keywords"][half:])}
    assert {str(o) for o in graph.objects(dataset, DCTERMS.language)} == {
        dcat.EU_LANGUAGES + "ZHO", dcat.EU_LANGUAGES + "ENG"}
    assert {str(o) for o in graph.objects(dataset, DCAT.landingPage)} == {BASE + "zh/",
                                                                          BASE + "en/"}


def test_the_package_publisher_publishes_and_the_government_published_the_source(graph):
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    publishers = [c["title"] for c in DESCRIPTOR["contributors"] if "publisher" in c["roles"]]
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert [str(o) for o in graph.objects(publisher, FOAF.name)] == publishers
    report = graph.value(dataset, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    government = graph.value(report, DCTERMS.publisher)
    source = DESCRIPTOR["sources"][0]
    assert {(o.language, str(o)) for o in graph.objects(government, FOAF.name)} == {
        ("en", source["publisher_en"]), ("zh-Hans", source["publisher_zh"])}


CONFIG = read_config(Project.at(ROOT)).data


def test_themes_frequency_and_contact_come_from_the_package_config(graph):
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    themes = {str(o) for o in graph.objects(dataset, DCAT.theme)}
    assert themes == {f"{dcat.EU_THEMES}/{code}" for code in CONFIG["themes"]} != set()
    assert {str(graph.value(URIRef(theme), SKOS.prefLabel)) for theme in themes} == {
        dcat.THEMES[code] for code in CONFIG["themes"]}
    assert str(graph.value(catalog, DCAT.themeTaxonomy)) == dcat.EU_THEMES
    frequency = graph.value(dataset, DCTERMS.accrualPeriodicity)
    assert str(frequency).rpartition("/")[2] == dcat.FREQUENCIES[CONFIG["update_frequency"]]
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, dcat.VCARD.Kind) in graph
    assert str(graph.value(contact, dcat.VCARD.hasURL)) == CONFIG["contact"]
    assert str(graph.value(catalog, FOAF.homepage)) == BASE + "zh/"
    assert graph.value(catalog, DCTERMS.spatial) == graph.value(dataset, DCTERMS.spatial)
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert str(graph.value(distribution, dcat.DCATAP.availability)) == dcat.STABLE


def test_an_email_contact_is_a_mailto_and_no_config_adds_nothing():
    emailed = dataclasses.replace(real_publication(), portal=Portal(contact="data@example.org"))
    g = dcat.graph(emailed)
    contact = next(g.subjects(RDF.type, dcat.VCARD.Kind))
    assert str(g.value(contact, dcat.VCARD.hasEmail)) == "mailto:data@example.org"
    bare = dcat.graph(dataclasses.replace(real_publication(), portal=Portal()))
    dataset = next(bare.subjects(RDF.type, DCAT.Dataset))
    for absent in (DCAT.theme, DCTERMS.accrualPeriodicity, DCAT.contactPoint):
        assert bare.value(dataset, absent) is None


def test_the_config_schema_offers_the_codes_dcat_knows():
    schema = json.loads((ROOT / "src/opendata/curate/schemas/package.schema.json").read_text())
    assert set(schema["properties"]["themes"]["items"]["enum"]) == set(dcat.THEMES)
    assert set(schema["properties"]["update_frequency"]["enum"]) == set(dcat.FREQUENCIES)


def test_descriptor_readings():
    from opendata.publish.facts import Bilingual, PackageFacts

    assert Bilingual.of({"name_zh": "二七区", "name_en": "Erqi", "name": "x"}, "name") == \
        Bilingual("二七区", "Erqi")
    assert Bilingual.of({"name": "TCP / IP"}, "name").single
    with pytest.raises(OpendataError, match="3 keywords"):
        PackageFacts.of({**DESCRIPTOR, "keywords": ["统计", "statistics", "extra"]}, BASE)
    creators_only = PackageFacts.of(
        {**DESCRIPTOR, "contributors": [{"title": "A", "roles": ["creator"]}]}, BASE)
    with pytest.raises(OpendataError, match="no contributor with role 'publisher'"):
        dcat.graph(Publication(creators_only.descriptor, BASE))
    twice = real_publication().downloads[0]
    with pytest.raises(OpendataError, match="downloads share a name"):
        dcat.graph(Publication(DESCRIPTOR, BASE, downloads=[twice, twice]))


def test_the_licence_maps_to_ckan_by_its_title(graph):
    """ckanext-dcat finds CKAN's licence id by the licence IRI or its dct:title."""
    from opendata.publish.facts import CKAN_LICENCES

    licence = URIRef(LICENCE)
    ckan_id, ckan_title = CKAN_LICENCES[DESCRIPTOR["licenses"][0]["name"]]
    assert ckan_id == "cc-by"
    assert [str(t) for t in graph.objects(licence, DCTERMS.title)] == [ckan_title]
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph


def test_every_url_is_on_the_site_or_from_a_vocabulary(graph):
    nodes = [str(n) for s, p, o in graph if p != RDF.type for n in (s, o)
             if isinstance(n, URIRef)]
    assert foreign(nodes) == []
    data = json.loads(dcat.jsonld(real_publication()))
    assert foreign(urls(data["@graph"])) == []
    assert BASE in nodes


def test_jsonld_holds_the_same_graph(graph):
    assert isomorphic(Graph().parse(data=dcat.jsonld(real_publication()), format="json-ld"),
                      graph)
    assert isomorphic(Graph().parse(data=dcat.turtle(real_publication()), format="turtle"),
                      graph)


def test_serialisations_are_byte_stable_across_processes():
    """Same publication, other hash seeds (set and dict orders): the same bytes."""
    script = ("import hashlib, json, sys\n"
              "from opendata.publish import dcat\n"
              "from opendata.publish.common import Download, Portal, Publication\n"
              "data = json.load(sys.stdin)\n"
              "data['downloads'] = [Download(**d) for d in data['downloads']]\n"
              "portal = data['portal']\n"
              "data['portal'] = Portal(**{**portal, 'themes': tuple(portal['themes'])})\n"
              "p = Publication(**data)\n"
              "print(hashlib.sha256(dcat.turtle(p) + dcat.jsonld(p)).hexdigest())\n")
    publication = real_publication()
    given = json.dumps(dataclasses.asdict(publication))
    digests = {subprocess.run([sys.executable, "-c", script], input=given, check=True, text=True,
                              capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
                              ).stdout.strip() for seed in ("1", "2")}
    assert digests == {hashlib.sha256(dcat.turtle(publication)
                                      + dcat.jsonld(publication)).hexdigest()}
