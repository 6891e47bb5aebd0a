"""Generating ``datapackage.json`` (Data Package v2). Nobody edits it by hand."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any

from opendata.curate.catalog import Translations
from opendata.config import PackageConfig
from opendata.bilingual import bilingual
from opendata.profile import OPENDATA_PROFILE, OPENDATA_PROFILE_KEY, SOURCE_RESOURCE
from opendata.shape import QUOTED, Shape, Table

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LANGUAGES = ["zh-Hans", "en"]


# The English of a Chinese text in a catalog context: en(context, zh).
English = Callable[[str, str], str]


def file_facts(content: bytes) -> dict[str, Any]:
    """``bytes`` and a lowercase ``sha256:`` hash, the only form frictionless checks."""
    return {"bytes": len(content), "hash": f"sha256:{hashlib.sha256(content).hexdigest()}"}


def describe(config: PackageConfig, english: Translations, files: dict[str, bytes],
             shape: Shape) -> dict:
    """The package descriptor for the tables of ``shape`` (data/<name>.csv) and the source,
    whose contents are in ``files``."""
    en = _english(english)
    title_en = en("package.title", config["title"])
    description_en = en("package.description", config["description"])
    source = config.source
    descriptor = {
        "$schema": PROFILE,
        OPENDATA_PROFILE_KEY: OPENDATA_PROFILE,
        "name": config["name"],
        **bilingual(config["title"], title_en, "title"),
        **bilingual(config["description"], description_en, "description"),
        "version": str(config["version"]),
        "created": str(config["created"]),
        "languages": LANGUAGES,
        "keywords": [*config.get("keywords", []),
                     *(en("package.keyword", k) for k in config.get("keywords", []))],
        "licenses": config["licenses"],
        "contributors": config.get("contributors", []),
        "sources": [_source(source, en)],
        "temporal": config["temporal"],
        "spatial": {**config["spatial"],
                    "name_zh": config["spatial"]["name"],
                    "name": en("spatial.name", config["spatial"]["name"])},
        "resources": [_table(table, files, en) for table in shape],
    }
    descriptor["resources"].append(_source_resource(source, en, files))
    return descriptor


def _english(catalog: Translations) -> English:
    def en(context: str, zh: str) -> str:
        text = catalog.english(context, zh)
        if text is None:  # the build checks translations before describing
            raise KeyError(f"{context}: {zh}")
        return text
    return en


def _source(source: dict[str, Any], en: English) -> dict[str, Any]:
    facts: dict[str, Any] = {"path": source["path"], "date": str(source["date"])}
    for key, context in (("title", "source.title"), ("publisher", "source.publisher"),
                         ("place", "source.place"), ("author", "source.author")):
        if source.get(key):
            facts.update(bilingual(source[key], en(context, source[key]), key))
    return facts


def _table(table: Table, files: dict[str, bytes], en: English) -> dict[str, Any]:
    """The resource of a table file: the project's template with the file's facts, its
    texts in both languages, and the declaration of its quoted figures
    (:data:`opendata.shape.QUOTED`) when it has any."""
    path = f"data/{table.name}.csv"
    declared = {key: table.resource[key] for key in (QUOTED,) if key in table.resource}
    schema = copy.deepcopy(table.schema)
    schema["fields"] = [_field(f, en) for f in schema.get("fields", [])]
    return {"name": table.name, "type": "table", "path": path, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            **(_texts(table.resource, "schema", en) or {"title": table.name}),
            **file_facts(files[path]), **copy.deepcopy(declared), "schema": schema}


def _texts(facts: dict[str, Any], context: str, en: English) -> dict[str, str]:
    """The title and description of a schema object: Chinese as written, English from the
    catalog (contexts ``schema.title``, ``field.description``, ...)."""
    texts: dict[str, str] = {}
    for key in ("title", "description"):
        if facts.get(key):
            texts.update(bilingual(facts[key], en(f"{context}.{key}", facts[key]), key))
    return texts


def _field(field: dict[str, Any], en: English) -> dict[str, Any]:
    """A field of a schema file with its texts in both languages, in a stable key order."""
    described = {"name": field["name"], "type": field["type"], **_texts(field, "field", en)}
    if field.get("categories"):
        described["categories"] = [
            {"value": c["value"], **bilingual(c["label"], en("category.label", c["label"]),
                                              "label")}
            for c in field["categories"]]
    rest = {k: v for k, v in field.items() if k not in described and k not in
            ("title", "description", "categories")}
    return described | rest


def _source_resource(source: dict[str, Any], en: English,
                     files: dict[str, bytes]) -> dict[str, Any]:
    texts = bilingual(source["title"], en("source.title", source["title"]), "title")
    if source.get("note"):
        texts.update(bilingual(source["note"], en("source.note", source["note"]),
                               "description"))
    return {"name": SOURCE_RESOURCE, "path": source["path"], "format": "txt",
            "mediatype": "text/plain", "encoding": "utf-8", **texts,
            **file_facts(files[source["path"]])}


def dumps(descriptor: dict[str, Any]) -> bytes:
    """The descriptor as written to disk: stable, readable, UTF-8, final newline."""
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
