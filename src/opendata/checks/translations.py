"""Every Chinese label has its English, and the English is the catalog's."""

from __future__ import annotations

from opendata import tables
from opendata.catalog import Translations
from opendata.package import PublishedPackage
from opendata.paths import TABLES
from opendata.problems import Problem


def check(package: PublishedPackage, catalog: Translations | None) -> list[Problem]:
    problems = []
    for table in TABLES:
        path = package.path_of(table) or table
        delimiters = tables.list_fields(table)
        for number, row in enumerate(package.rows(table), start=2):
            for stem in tables.bilingual_pairs(table):
                zh, en = row.get(f"{stem}_zh") or "", row.get(f"{stem}_en") or ""
                if not zh:
                    continue
                delimiter = delimiters.get(f"{stem}_zh")
                pairs = zip(zh.split(delimiter), en.split(delimiter)) if delimiter else [(zh, en)]
                if not en or (delimiter and len(zh.split(delimiter)) != len(en.split(delimiter))):
                    problems.append(Problem(path, f"{stem}_en is missing for 「{zh}」",
                                            "add the English to the catalog and rebuild",
                                            "missing-translation", row=number,
                                            field=f"{stem}_en"))
                    continue
                if catalog is None:
                    continue
                for one_zh, one_en in pairs:
                    expected = catalog.english(f"{table}.{stem}", one_zh)
                    if expected != one_en:
                        problems.append(Problem(
                            path, f"{stem}_en {one_en!r} is not the catalog's English for "
                            f"「{one_zh}」 ({expected!r})", "edit English only in the catalog, "
                            "then rebuild", "translation-mismatch", row=number,
                            field=f"{stem}_en"))
    return problems
