"""Filling every ``*_en`` column from the catalog, and listing what has no English."""

from __future__ import annotations

from opendata import tables
from opendata.catalog import Term, Translations
from opendata.curation import ORIGIN, Row
from opendata.problems import Problem


def table_terms(name: str, rows: list[Row]) -> list[Term]:
    """Every Chinese string of table ``name`` that needs English, with where it is used."""
    terms = []
    for row in rows:
        for stem in tables.bilingual_pairs(name):
            values = row.get(f"{stem}_zh")
            for zh in values if isinstance(values, list) else [values]:
                if zh:
                    terms.append(Term(f"{name}.{stem}", str(zh), row.get(ORIGIN, "")))
    return terms


def translate(name: str, rows: list[Row], catalog: Translations) -> None:
    """Set each ``<stem>_en`` of ``rows`` from the catalog (None where it has no English)."""
    for row in rows:
        for stem in tables.bilingual_pairs(name):
            values = row.get(f"{stem}_zh")
            context = f"{name}.{stem}"
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
