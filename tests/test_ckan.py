"""The CKAN payload: valid for CKAN's default package schema, and true to the real files."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from fixtures.publications import BASE, DESCRIPTOR, foreign, published_files, real_publication, urls
from opendata.exceptions import OpendataError
from opendata.publish import ckan
from opendata.publish.common import Publication

# CKAN's own rules (ckan/logic/validators.py): package names and tags.
NAME = re.compile(r"[a-z0-9_-]{2,100}")
TAG = re.compile(r"[\w .-]{2,100}")
CORE_FIELDS = {"id", "name", "title", "author", "author_email", "maintainer", "maintainer_email",
               "license_id", "notes", "url", "version", "state", "type", "resources", "tags",
               "extras", "groups", "owner_org", "private", "relationships_as_object",
               "relationships_as_subject"}


@pytest.fixture(scope="module")
def payload() -> dict:
    return ckan.package_create(real_publication())


def test_core_fields_are_valid_and_english(payload):
    assert NAME.fullmatch(payload["name"])
    assert payload["name"] == DESCRIPTOR["name"]
    assert payload["title"] == DESCRIPTOR["title_en"]
    assert payload["notes"] == DESCRIPTOR["description_en"]
    assert payload["version"] == DESCRIPTOR["version"]
    assert payload["license_id"] == "cc-by"


def test_tags_are_the_keywords_in_both_languages(payload):
    assert [tag["name"] for tag in payload["tags"]] == DESCRIPTOR["keywords"]
    assert any(re.search(r"[\u4e00-\u9fff]", tag["name"]) for tag in payload["tags"])
    assert all(TAG.fullmatch(tag["name"]) for tag in payload["tags"])


def test_owner_org_is_set_when_given():
    assert "owner_org" not in ckan.package_create(real_publication())
    assert ckan.package_create(real_publication(), "erqi-opendata")["owner_org"] == "erqi-opendata"


def test_extras_are_unique_strings_beside_the_core_fields(payload):
    keys = [extra["key"] for extra in payload["extras"]]
    assert len(keys) == len(set(keys)) and not set(keys) & CORE_FIELDS
    assert all(isinstance(extra["value"], str) and extra["value"] for extra in payload["extras"])
    extras = {extra["key"]: extra["value"] for extra in payload["extras"]}
    assert extras["title_zh"] == DESCRIPTOR["title_zh"]
    assert extras["notes_zh"] == DESCRIPTOR["description_zh"]
    assert (extras["temporal_start"], extras["temporal_end"]) == (
        DESCRIPTOR["temporal"]["start"], DESCRIPTOR["temporal"]["end"])
    assert extras["spatial_text"] == DESCRIPTOR["spatial"]["name"]
    assert extras["spatial_text_zh"] == DESCRIPTOR["spatial"]["name_zh"]
    assert extras["source_title"] == DESCRIPTOR["sources"][0]["title_en"]
    assert extras["citation_zh"] == real_publication().facts.citation("zh-Hans")


def test_extras_state_what_the_dcat_graph_states(payload):
    """The languages, dataset IRI and dates of the payload are those of dcat.ttl."""
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    from opendata.publish import dcat

    graph = dcat.graph(real_publication())
    dataset = URIRef(BASE + "#dataset")
    extras = {extra["key"]: extra["value"] for extra in payload["extras"]}
    assert sorted(json.loads(extras["language_iris"])) == sorted(
        str(o) for o in graph.objects(dataset, DCTERMS.language))
    assert extras["dataset_iri"] == str(dataset)
    assert extras["release_date"] == str(graph.value(dataset, DCTERMS.issued))
    assert extras["build_date"][:19] == str(graph.value(dataset, DCTERMS.modified))[:19]
    assert sorted(json.loads(extras["theme_iris"])) == sorted(
        str(o) for o in graph.objects(dataset, dcat.DCAT.theme))
    assert extras["frequency_iri"] == str(graph.value(dataset, DCTERMS.accrualPeriodicity))
    contact = graph.value(dataset, dcat.DCAT.contactPoint)
    assert extras["contact_uri"] == str(graph.value(contact, dcat.VCARD.hasURL))


def test_an_email_contact_is_the_maintainers():
    import dataclasses

    from opendata.publish.common import Portal

    emailed = dataclasses.replace(real_publication(), portal=Portal(contact="data@example.org"))
    payload = ckan.package_create(emailed)
    assert (payload["maintainer"], payload["maintainer_email"]) == (
        emailed.facts.agent("publisher"), "data@example.org")
    assert "contact_uri" not in {extra["key"] for extra in payload["extras"]}


def test_resources_describe_the_real_files(payload):
    files = published_files()
    assert len(payload["resources"]) == len(files)
    for resource, (path, content, media_type, format, _) in zip(payload["resources"],
                                                                 files.values(), strict=True):
        assert resource["url"] == BASE + path
        assert (resource["size"], resource["hash"]) == (len(content),
                                                         hashlib.sha256(content).hexdigest())
        assert (resource["mimetype"], resource["format"]) == (media_type, format)
        assert resource["name"]


def test_every_url_is_on_the_site_or_from_a_vocabulary(payload):
    assert foreign(urls(payload)) == []
    assert payload["url"] == BASE


@pytest.mark.parametrize("name, expected", [
    ("Erqi 2024 Report!", "erqi-2024-report"),
    ("a" * 120, "a" * 100),
])
def test_package_names_are_made_valid(name, expected):
    assert ckan.package_name(name) == expected


def test_a_name_with_nothing_usable_is_refused():
    with pytest.raises(OpendataError, match="no CKAN package name"):
        ckan.package_name("二七")


@pytest.mark.parametrize("keyword, expected", [
    ("government work report", "government work report"),
    ("GDP, growth", "GDP growth"),
    ("R&D (2024)", "R D 2024"),
    ("x", ""),
])
def test_keywords_become_valid_tags(keyword, expected):
    assert ckan.tag_name(keyword) == expected


def test_a_licence_without_ckan_id_is_refused():
    descriptor = {**DESCRIPTOR, "licenses": [{"name": "Proprietary", "path": BASE + "licence"}]}
    with pytest.raises(OpendataError, match="'Proprietary' is not in CKAN's default licence"):
        ckan.package_create(Publication(descriptor, BASE))


def test_a_harvest_of_the_dcat_graph_by_ckanext_dcat_rules_gives_the_payload(payload):
    """What ckanext-dcat's DCAT-AP profile reads from the graph, by its rules (English literal
    first; the licence by IRI or dct:title in CKAN's register; the place from rdfs:label),
    equals the payload. scripts/real-tools-check.sh runs ckanext-dcat itself."""
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS, RDFS

    from opendata.publish import dcat
    from opendata.publish.facts import CKAN_LICENCES

    graph = dcat.graph(real_publication())
    dataset = URIRef(BASE + "#dataset")

    def english(subject, predicate):
        values = list(graph.objects(subject, predicate))
        return str(next((v for v in values if v.language == "en"), values[0]))

    titles = {title: ckan_id for ckan_id, title in CKAN_LICENCES.values()}
    licences = {titles.get(str(graph.value(graph.value(d, DCTERMS.license), DCTERMS.title)))
                for d in graph.objects(dataset, dcat.DCAT.distribution)}
    extras = {extra["key"]: extra["value"] for extra in payload["extras"]}
    period = graph.value(dataset, DCTERMS.temporal)
    assert english(dataset, DCTERMS.title) == payload["title"]
    assert english(dataset, DCTERMS.description) == payload["notes"]
    assert licences == {payload["license_id"]}
    assert sorted(str(k) for k in graph.objects(dataset, dcat.DCAT.keyword)) == sorted(
        tag["name"] for tag in payload["tags"])
    assert str(graph.value(graph.value(dataset, DCTERMS.spatial), RDFS.label)) == \
        extras["spatial_text"]
    assert (str(graph.value(period, dcat.DCAT.startDate)),
            str(graph.value(period, dcat.DCAT.endDate))) == (extras["temporal_start"],
                                                             extras["temporal_end"])
    assert sorted(str(graph.value(d, dcat.DCAT.downloadURL))
                  for d in graph.objects(dataset, dcat.DCAT.distribution)) == sorted(
        resource["url"] for resource in payload["resources"])
