"""Every Chinese label has its English, and the English is the catalog's."""

from __future__ import annotations

from opendata import tables
from opendata.catalog import Translations
from opendata.checks.provenance import Row
from opendata.csvfile import Table
from opendata.paths import TABLES
from opendata.problems import Problem

_UNKNOWN = object()


class Checker:
    """Checks rows one at a time, so that no table need be held in memory."""

    def __init__(self, catalog: Translations | None):
        self.catalog = catalog
        self.problems: list[Problem] = []
        self._english: dict[tuple[str, str], str | None] = {}  # labels repeat across rows

    def english(self, context: str, zh: str) -> str | None:
        key = (context, zh)
        if key not in self._english:
            self._english[key] = self.catalog.english(context, zh)
        return self._english[key]

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None:
        """The function that checks one row of ``table`` (the file at ``path``)."""
        if table not in TABLES or columns is None or not tables.bilingual_pairs(table):
            return None
        at, problems, catalog, english = (columns.position, self.problems, self.catalog,
                                          self.english)
        delimiters = tables.list_fields(table)
        pairs = [(stem, at(f"{stem}_zh"), at(f"{stem}_en"), f"{table}.{stem}",
                  delimiters.get(f"{stem}_zh")) for stem in tables.bilingual_pairs(table)]

        def row(number: int, cells: list) -> None:
            for stem, zh_at, en_at, context, delimiter in pairs:
                zh, en = cells[zh_at] or "", cells[en_at] or ""
                if not zh:
                    continue
                if not delimiter and en and catalog is not None:  # the common case, quickly
                    known = self._english.get((context, zh), _UNKNOWN)
                    if known == en:
                        continue
                if not en or (delimiter and len(zh.split(delimiter)) != len(en.split(delimiter))):
                    problems.append(Problem(path, f"{stem}_en is missing for 「{zh}」",
                                            "add the English to the catalog and rebuild",
                                            "missing-translation", row=number,
                                            field=f"{stem}_en"))
                    continue
                if catalog is None:
                    continue
                pairs_ = zip(zh.split(delimiter), en.split(delimiter)) if delimiter else [(zh, en)]
                for one_zh, one_en in pairs_:
                    expected = english(context, one_zh)
                    if expected != one_en:
                        problems.append(Problem(
                            path, f"{stem}_en {one_en!r} is not the catalog's English for "
                            f"「{one_zh}」 ({expected!r})", "edit English only in the catalog, "
                            "then rebuild", "translation-mismatch", row=number,
                            field=f"{stem}_en"))
        return row
