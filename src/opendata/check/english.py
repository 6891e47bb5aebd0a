"""Every Chinese label has its English, and the English is the catalog's."""

from __future__ import annotations

from opendata.check.provenance import Row
from opendata.csvfile import Table
from opendata.curate.catalog import Translations
from opendata.problems import Problem
from opendata.shape import Shape


class Checker:
    """Checks rows one at a time, so that no table need be held in memory."""

    def __init__(self, shape: Shape, catalog: Translations | None):
        self.shape = shape
        # {context: {Chinese: English}} of the usable English (neither empty nor fuzzy),
        # read once: a dictionary lookup per cell, and nothing kept from the rows
        self.english = catalog.by_context() if catalog is not None else None
        self.problems: list[Problem] = []

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None:
        """The function that checks one row of ``table`` (the file at ``path``)."""
        if table not in self.shape or columns is None:
            return None
        shape = self.shape[table]
        if not shape.bilingual_pairs:
            return None
        at, problems, english = columns.position, self.problems, self.english
        delimiters = shape.list_fields
        pairs = [(stem, at(f"{stem}_zh"), at(f"{stem}_en"),
                  english.get(f"{table}.{stem}", {}) if english is not None else None,
                  delimiters.get(f"{stem}_zh")) for stem in shape.bilingual_pairs]

        def row(number: int, cells: list) -> None:
            for stem, zh_at, en_at, known, delimiter in pairs:
                zh = cells[zh_at]
                if not zh:
                    continue
                en = cells[en_at] or ""
                if not en or (delimiter and len(zh.split(delimiter)) != len(en.split(delimiter))):
                    problems.append(Problem(path, f"{stem}_en is missing for 「{zh}」",
                                            "add the English to the catalog and rebuild",
                                            "missing-translation", row=number,
                                            field=f"{stem}_en"))
                    continue
                if known is None:
                    continue
                pairs_ = (zip(zh.split(delimiter), en.split(delimiter), strict=True)
                          if delimiter else [(zh, en)])
                for one_zh, one_en in pairs_:
                    expected = known.get(one_zh)
                    if expected != one_en:
                        catalog_says = (f"the catalog has {expected!r}" if expected is not None
                                        else "the catalog has no English for it")
                        problems.append(Problem(
                            path, f"{stem}_en {one_en!r} is not the catalog's English for "
                            f"「{one_zh}」 ({catalog_says})", "edit English only in the "
                            "catalog, then rebuild", "translation-mismatch", row=number,
                            field=f"{stem}_en"))
        return row
