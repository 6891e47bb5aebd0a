"""schema.org Dataset records: the shape search engines expect, true to the real files."""

from __future__ import annotations

import hashlib

import pytest

from fixtures.publications import BASE, DESCRIPTOR, foreign, published_files, real_publication, urls
from opendata.publish import schemaorg

OTHER = {"zh-Hans": "en", "en": "zh-Hans"}
SUFFIX = {"zh-Hans": "zh", "en": "en"}
ORGANIZATION = {"@type": "Organization", "name": DESCRIPTOR["contributors"][0]["title"]}


@pytest.fixture(scope="module", params=["zh-Hans", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def record(language) -> dict:
    return schemaorg.dataset(real_publication(), language)


def test_a_dataset_in_the_page_language(record, language):
    suffix, other = SUFFIX[language], SUFFIX[OTHER[language]]
    assert (record["@context"], record["@type"]) == ("https://schema.org", "Dataset")
    assert record["name"] == DESCRIPTOR[f"title_{suffix}"]
    assert record["alternateName"] == DESCRIPTOR[f"title_{other}"]
    assert record["description"] == DESCRIPTOR[f"description_{suffix}"]
    assert record["url"] == f"{BASE}{suffix}/"
    assert record["@id"] == f"{BASE}{suffix}/#dataset"
    assert record["sameAs"] == f"{BASE}{other}/#dataset"
    half = len(DESCRIPTOR["keywords"]) // 2
    assert record["keywords"] == (DESCRIPTOR["keywords"][:half] if language == "zh-Hans"
                                  else DESCRIPTOR["keywords"][half:])


def test_the_facts_search_engines_ask_for(record, language):
    assert record["license"] == DESCRIPTOR["licenses"][0]["path"]
    assert record["isAccessibleForFree"] is True
    assert record["inLanguage"] == ["zh-Hans", "en"]
    assert record["version"] == DESCRIPTOR["version"]
    assert record["creator"] == record["publisher"] == ORGANIZATION
    assert record["datePublished"] == "2026-11-27"
    assert record["temporalCoverage"] == "/".join(DESCRIPTOR["temporal"][k] for k in
                                                  ("start", "end"))
    spatial = DESCRIPTOR["spatial"]
    assert record["spatialCoverage"] == {
        "@type": "Place", "identifier": spatial["admin_code"],
        "name": spatial["name_zh"] if language == "zh-Hans" else spatial["name"]}
    source = DESCRIPTOR["sources"][0]
    assert record["isBasedOn"]["@type"] == "Report"
    title = source["title_zh" if language == "zh-Hans" else "title_en"]
    assert record["isBasedOn"]["name"] == title
    assert record["isBasedOn"]["datePublished"] == source["date"]


def test_distribution_describes_the_real_files(record):
    files = published_files()
    assert len(record["distribution"]) == len(files)
    for download, (path, content, media_type, _, _) in zip(record["distribution"],
                                                           files.values(), strict=True):
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"] == BASE + path
        assert download["encodingFormat"] == media_type
        assert download["contentSize"] == f"{len(content)} B"
        assert download["sha256"] == hashlib.sha256(content).hexdigest()
        assert isinstance(download["name"], str) and download["name"]


def test_every_url_is_on_the_site_or_from_a_vocabulary(record):
    assert foreign(urls(record)) == []


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'fr'"):
        schemaorg.dataset(real_publication(), "fr")
