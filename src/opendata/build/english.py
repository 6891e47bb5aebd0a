"""Filling every ``*_en`` column from the catalog, and listing what has no English."""

from __future__ import annotations

from opendata.curate.catalog import PLACEHOLDER, Term, Translations
from opendata.curate.reader import Row
from opendata.problems import Problem
from opendata.shape import Table


def table_terms(table: Table, rows: list[Row], origins: list[str]) -> list[Term]:
    """Every Chinese string of ``table`` that needs English, with where it is used
    (``origins``, beside the rows)."""
    terms = []
    for row, origin in zip(rows, origins, strict=True):
        for stem in table.bilingual_pairs:
            values = row.get(f"{stem}_zh")
            for zh in values if isinstance(values, list) else [values]:
                if zh:
                    terms.append(Term(f"{table.name}.{stem}", str(zh), origin))
    return terms


def schema_terms(table: Table) -> list[Term]:
    """Every Chinese text of ``table``'s schema file (its title and description, each
    column's, each category label), with the catalog context it is looked up in."""
    resource, shown = table.resource, f"schemas/{table.name}.json"
    terms = [Term(f"schema.{key}", resource[key], shown)
             for key in ("title", "description") if resource.get(key)]
    for column in table.fields:
        where = f"{shown}, field {column['name']}"
        terms += [Term(f"field.{key}", column[key], where)
                  for key in ("title", "description") if column.get(key)]
        terms += [Term("category.label", c["label"], where)
                  for c in column.get("categories", []) if c.get("label")]
    return terms


def translate(table: Table, rows: list[Row], catalog: Translations) -> None:
    """Set each ``<stem>_en`` of ``rows`` from the catalog (None where it has no English)."""
    for row in rows:
        for stem in table.bilingual_pairs:
            values = row.get(f"{stem}_zh")
            context = f"{table.name}.{stem}"
            if isinstance(values, list):
                row[f"{stem}_en"] = [catalog.english(context, str(v)) for v in values]
            elif values:
                row[f"{stem}_en"] = catalog.english(context, str(values))


def missing_problems(terms: list[Term], catalog: Translations) -> list[Problem]:
    """One problem per Chinese string without a non-fuzzy English translation."""
    return [Problem(catalog.shown, f"no English for 「{t.zh}」 (msgctxt {t.context!r}, used "
                    f"at {t.used_in})", "run `opendata translations` to add the entry, then "
                    "fill its msgstr and remove any fuzzy flag", "missing-translation")
            for t in catalog.missing(terms)]


def placeholder_problems(terms: list[Term], catalog: Translations) -> list[Problem]:
    """One problem per Chinese string whose English is still the placeholder a draft wrote."""
    return [Problem(catalog.shown, f"the English of 「{t.zh}」 (msgctxt {t.context!r}, used at "
                    f"{t.used_in}) is still the placeholder {PLACEHOLDER.strip()!r}",
                    "write its English in the msgstr: a project whose coverage is complete "
                    "publishes no placeholder", "placeholder-translation")
            for t in catalog.placeholders(terms)]
