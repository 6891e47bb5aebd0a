"""Labels in both languages, read from a built descriptor: one way for every output.

Every object of the descriptor with a text (the package, a source, a resource, a field, a
category of a field) carries it as ``<key>_zh`` and ``<key>_en`` beside the standard
``<key>``, which holds the Chinese (see docs/bilingual.md). These functions return
``{"zh-Hans": ..., "en": ...}``, so that the XLSX dictionary, the Datasette metadata, the
site, DCAT and schema.org never pick a language property by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

LANGUAGES = ("zh-Hans", "en")
SUFFIXES = {"zh-Hans": "zh", "en": "en"}
TEXT_KEYS = ("title", "description")

Bilingual = dict[str, str]


def pair(facts: dict[str, Any], key: str = "title") -> Bilingual:
    """``key`` of one descriptor object in both languages ('' where a language is missing)."""
    return {language: str(facts.get(f"{key}_{suffix}") or "")
            for language, suffix in SUFFIXES.items()}


def bilingual(zh: str, en: str, key: str = "title") -> dict[str, str]:
    """The properties of one text in the descriptor: the standard one in Chinese, the pair."""
    return {key: zh, f"{key}_zh": zh, f"{key}_en": en}


def resource(descriptor: dict, name: str) -> dict[str, Any]:
    for candidate in descriptor.get("resources", []):
        if candidate.get("name") == name:
            return candidate
    raise KeyError(f"no resource {name!r} in the descriptor")


def field(descriptor: dict, table: str, name: str) -> dict[str, Any]:
    for candidate in resource(descriptor, table).get("schema", {}).get("fields", []):
        if candidate.get("name") == name:
            return candidate
    raise KeyError(f"no field {name!r} in table {table!r}")


def package_label(descriptor: dict, key: str = "title") -> Bilingual:
    """The package's title (or description) in both languages."""
    return pair(descriptor, key)


def table_label(descriptor: dict, table: str, key: str = "title") -> Bilingual:
    """A table's title (or description) in both languages."""
    return pair(resource(descriptor, table), key)


def field_label(descriptor: dict, table: str, name: str, key: str = "title") -> Bilingual:
    """A column's title (or description) in both languages."""
    return pair(field(descriptor, table, name), key)


def category_label(descriptor: dict, table: str, name: str, value: str) -> Bilingual:
    """The label of an enumerated code (``exact``, ``in_progress``) in both languages; the
    code itself in both when the field declares no label for it."""
    for category in field(descriptor, table, name).get("categories", []):
        if isinstance(category, dict) and category.get("value") == value:
            return pair(category, "label")
    return dict.fromkeys(LANGUAGES, value)


def unit_label(units: Iterable[dict[str, str]], unit_id: str) -> Bilingual:
    """A unit's label in both languages, from the rows of the units table."""
    for row in units:
        if row.get("id") == unit_id:
            return {"zh-Hans": row.get("label_zh", ""), "en": row.get("label_en", "")}
    raise KeyError(f"no unit {unit_id!r}")


def missing(descriptor: dict) -> list[str]:
    """Where a title, description or category label lacks a language: one line each."""
    return [f"{where}: no {key}_{SUFFIXES[language]}"
            for where, facts, key in _texts(descriptor)
            for language, text in pair(facts, key).items() if not text.strip()]


def _texts(descriptor: dict) -> Iterator[tuple[str, dict, str]]:
    for key in TEXT_KEYS:
        yield "package", descriptor, key
    for source in descriptor.get("sources", []):
        yield "source", source, "title"
    for table in descriptor.get("resources", []):
        name = table.get("name", "?")
        for key in TEXT_KEYS:
            yield f"resource {name}", table, key
        for column in table.get("schema", {}).get("fields", []):
            where = f"resource {name}, field {column.get('name', '?')}"
            for key in TEXT_KEYS:
                yield where, column, key
            for category in column.get("categories", []):
                yield f"{where}, category {category.get('value', '?')}", category, "label"
