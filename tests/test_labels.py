"""Every label of the package in both languages: descriptor, XLSX, Datasette metadata, site."""

import copy
import json
import re

import pytest

from conftest import ROOT
from opendata import bilingual
from opendata.check.published import PublishedPackage
from opendata.publish.common import Publication
from opendata.publish.facts import PackageFacts
from opendata.publish.pages import Pages
from opendata.publish.sqlite import datasette_metadata
from opendata.publish.xlsx import DICTIONARY_HEADER, dictionary_rows

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text("utf-8"))
TABLES = [r for r in DESCRIPTOR["resources"] if "schema" in r]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_descriptor_has_every_label_in_both_languages():
    assert bilingual.missing(DESCRIPTOR) == []
    for resource in TABLES:
        for field in resource["schema"]["fields"]:
            title = bilingual.field_label(DESCRIPTOR, resource["name"], field["name"])
            assert CJK.search(title["zh-Hans"]) and not CJK.search(title["en"]), field["name"]
            assert field["title"] == field["title_zh"]  # the standard property is the Chinese
            codes = field.get("constraints", {}).get("enum", [])
            assert [c["value"] for c in field.get("categories", [])] == codes
            for code in codes:
                label = bilingual.category_label(DESCRIPTOR, resource["name"], field["name"], code)
                assert CJK.search(label["zh-Hans"]) or code in ("ISO 4217", "UCUM")
                assert label["en"] and not CJK.search(label["en"])


def test_a_missing_label_in_either_language_is_named():
    broken = copy.deepcopy(DESCRIPTOR)
    results = bilingual.resource(broken, "results")
    del bilingual.field(broken, "results", "qualifier")["categories"][1]["label_en"]
    results["title_zh"] = " "
    assert bilingual.missing(broken) == [
        "resource results: no title_zh",
        "resource results, field qualifier, category about: no label_en"]


def test_labels_come_from_the_schema_and_the_catalog():
    from babel.messages.pofile import read_po

    chinese = json.loads((ROOT / "schemas/results.json").read_text("utf-8"))["title"]
    with (ROOT / "locales/en/LC_MESSAGES/messages.po").open("rb") as handle:
        english = read_po(handle).get(chinese, context="schema.title").string
    assert english and english != chinese
    assert bilingual.table_label(DESCRIPTOR, "results") == {"zh-Hans": chinese, "en": english}
    assert bilingual.category_label(DESCRIPTOR, "projects", "status", "in_progress") == {
        "zh-Hans": "在建", "en": "in progress"}
    units = PublishedPackage.open(ROOT / "datapackage.json").rows("units")
    assert bilingual.unit_label(units, "100m-yuan") == {"zh-Hans": "亿元", "en": "100 million yuan"}


def test_the_xlsx_dictionary_fills_both_label_columns():
    rows = [dict(zip(DICTIONARY_HEADER, row, strict=True)) for row in dictionary_rows(DESCRIPTOR)]
    assert len(rows) == sum(len(r["schema"]["fields"]) for r in TABLES)
    for row in rows:
        for column in ("中文标签 Label (zh)", "英文标签 Label (en)", "中文说明 Description (zh)",
                       "英文说明 Description (en)"):
            assert row[column], (row["字段 Field"], column)
    qualifier = next(r for r in rows
                     if (r["表 Table"], r["字段 Field"]) == ("results", "qualifier"))
    assert "at_least（不低于 / at least）" in qualifier["取值 Allowed values"]


def test_the_datasette_metadata_shows_both_languages():
    facts = PackageFacts.of(DESCRIPTOR, "https://data.example.org/erqi/")
    described = datasette_metadata(facts, "report")["databases"]["report"]["tables"]
    for resource in TABLES:
        table = described[resource["name"]]
        assert resource["title_zh"] in table["title"] and resource["title_en"] in table["title"]
        for field in resource["schema"]["fields"]:
            text = table["columns"][field["name"]]
            assert field["title_zh"] in text and field["title_en"] in text, field["name"]


@pytest.fixture(scope="module")
def pages():
    publication = Publication(DESCRIPTOR, "https://data.example.org/erqi/")
    return Pages(publication, PublishedPackage.open(ROOT / "datapackage.json"))


@pytest.mark.parametrize("language", ["zh-Hans", "en"])
def test_the_site_dictionaries_and_headers_are_in_the_page_language(pages, language):
    for resource in TABLES:
        page = pages.table(resource, language, lambda text: text)
        title = resource[f"title_{'zh' if language == 'zh-Hans' else 'en'}"]
        assert page.title in (title, pages.title(resource["name"], language, lambda t: t))
        assert title in page.title  # with its year where all its rows share one
        for entry in page.dictionary:
            assert entry["label"] and entry["description"], entry["field"]
            assert bool(CJK.search(entry["label"])) == (language == "zh-Hans"), entry["label"]
        for column in page.columns:
            assert bool(CJK.search(column.label)) == (language == "zh-Hans"), column.label
    results = pages.table(bilingual.resource(DESCRIPTOR, "results"), language, lambda text: text)
    qualifier = bilingual.field_label(DESCRIPTOR, "results", "qualifier")[language]
    shown = [c.label for c in results.columns if c.key]  # the row's cells, then its details
    qualifiers = {cell.text for row in results.rows
                  for name, cell in [*zip(shown, row.cells, strict=True), *row.details]
                  if name == qualifier} - {""}
    expected = {"zh-Hans": {"准确值", "约数", "接近", "不低于", "超过"},
                "en": {"exact", "about", "nearly", "at least", "over"}}[language]
    assert qualifiers and qualifiers <= expected  # labels, never the codes (at_least)
