"""The page models of the site: what each page shows, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from babel.units import format_unit

from opendata.figures import FigureSyntax
from opendata.package import PublishedPackage, decimal
from opendata.publish import formatting
from opendata.publish.chart import Pair
from opendata.publish.common import PackageFacts, Publication
from opendata.publish.facts import Bilingual
from opendata.publish.formatting import UnitLabels
from opendata.publish.tabular import figure_unit
from opendata.tables import Comparison, comparison

Gettext = Callable[[str], str]
LOCALES = {"zh-Hans": "zh_Hans_CN", "en": "en"}


@dataclass
class Cell:
    text: str
    sort: str = ""


@dataclass
class TablePage:
    name: str
    title: str
    description: str
    dictionary: list[dict[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)


class Pages:
    """Everything the templates show, computed once from the published package."""

    def __init__(self, publication: Publication, package: PublishedPackage):
        self.publication = publication
        self.package = package
        self.syntax: FigureSyntax = package.syntax
        self.units = {row["id"]: row for row in package.rows("units")}
        self._named: dict[str, dict[str, dict[str, str]]] = {}
        self.comparison: Comparison | None = comparison(package.shape)

    def labels(self, unit_id: str) -> UnitLabels:
        return UnitLabels(self.package.units[unit_id], self.units[unit_id]["label_en"])

    def unit_label(self, unit_id: str, language: str) -> str:
        row = self.units.get(unit_id, {})
        return row.get("label_zh" if language == "zh-Hans" else "label_en", unit_id)

    # -- figures -------------------------------------------------------------------------

    def figure(self, row: dict[str, str], value_column: str, unit_id: str | None,
               qualifier: str | None, language: str) -> Cell:
        value = decimal(row.get(value_column))
        if value is None:
            return Cell("—" if language == "en" else "—", "")
        unit = self.package.units.get(unit_id or "")
        base = unit.to_base(value) if unit else value
        if language == "zh-Hans":
            text = formatting.printed(row.get("source_quote", ""), value,
                                      unit.label if unit else None, qualifier, self.syntax)
        elif unit is not None:
            text = formatting.english(value, self.labels(unit.id), self.labels(unit.base),
                                      qualifier)
        else:
            text = formatting.english_number(value)
        return Cell(text, str(base))

    # -- landing -------------------------------------------------------------------------

    def facts(self, language: str, _: Gettext) -> list[tuple[str, str]]:
        facts = self.publication.facts
        source, temporal, spatial = facts.source, facts.temporal, facts.spatial
        rows = []
        if source:
            rows += [(_("Publisher of the source"), source.publisher(language)),
                     (_("Source"), source.title(language)),
                     (_("Delivered"), f"{self.date(source.date, language)}, "
                                      f"{source.place(language)}")]
        if temporal:
            rows.append((_("Temporal coverage"), f"{self.date(temporal.start, language)} – "
                                                 f"{self.date(temporal.end, language)}"))
        if spatial:
            rows.append((_("Spatial coverage"), spatial.name(language)))
        return rows + [(_("Licence"), facts.licence.title), (_("Version"), facts.version),
                       (_("Release date"), self.date(facts.released, language))]

    @staticmethod
    def date(text: str | None, language: str) -> str:
        return PackageFacts.date(text, language)

    def citation(self, language: str) -> str:
        return self.publication.facts.citation(language)

    @staticmethod
    def size(count: int, language: str) -> str:
        if count >= 1024 * 1024:
            return format_unit(round(count / 1024 / 1024, 1), "digital-megabyte", "short",
                               locale=LOCALES[language])
        return format_unit(round(count / 1024, 1), "digital-kilobyte", "short",
                           locale=LOCALES[language])

    # -- tables --------------------------------------------------------------------------

    def table(self, resource: dict[str, Any], language: str, _: Gettext) -> TablePage:
        name = resource["name"]
        fields = resource["schema"]["fields"]
        hidden = "_en" if language == "zh-Hans" else "_zh"
        shown = [f for f in fields if not f["name"].endswith(hidden)]
        page = TablePage(name, Bilingual.of(resource, "title")(language) or name,
                         Bilingual.of(resource, "description")(language))
        page.dictionary = [self.dictionary_row(name, f, resource, _, language) for f in fields]
        page.columns = [Bilingual.of(f, "title")(language) or f["name"] for f in shown]
        for row in self.package.rows(name):
            page.rows.append([self.cell(name, f, row, language, _) for f in shown])
        return page

    def dictionary_row(self, table: str, field: dict, resource: dict, _: Gettext,
                       language: str) -> dict:
        unit = figure_unit(resource, field["name"])
        if unit is None:
            text = "—"
        elif unit[0] == "unit":
            text = _("the unit in column {column}").format(column=unit[1])
        else:
            text = _("the base unit of column {column}").format(column=unit[1])
        return {"field": field["name"], "label": Bilingual.of(field, "title")(language),
                "type": field["type"], "unit": text,
                "description": Bilingual.of(field, "description")(language)}

    def cell(self, table: str, field: dict, row: dict[str, str], language: str,
             _: Gettext) -> Cell:
        name, raw = field["name"], row.get(field["name"], "")
        for columns in self.package.shape.figures(table):
            if name == columns.value:
                return self.figure(row, name, row.get(columns.unit) if columns.unit else None,
                                   row.get(columns.qualifier) if columns.qualifier else None,
                                   language)
            if name == columns.base and raw:
                unit = self.package.units.get(row.get(columns.unit, ""))
                base = self.unit_label(unit.base, language) if unit else ""
                return Cell(f"{formatting.number(Decimal(raw), language)} {base}".strip(), raw)
            if name in {columns.unit} and raw:
                return Cell(self.unit_label(raw, language), raw)
        if field["type"] == "boolean" and raw:
            return Cell(_("yes") if raw == "true" else _("no"), raw)
        if field.get("constraints", {}).get("enum") and raw:
            labels = {c["value"]: Bilingual.of(c, "label") for c in field.get("categories", [])}
            return Cell(labels[raw](language) if raw in labels else raw, raw)
        if field["type"] == "number" and raw:
            return Cell(formatting.number(Decimal(raw), language), raw)
        if field["type"] == "integer":
            return Cell(raw, raw)  # years and line numbers take no digit grouping
        label = self.label(table, name, raw, language)
        if label:
            return Cell(label, label)
        return Cell(raw, raw)

    # -- results against targets ---------------------------------------------------------

    def pairs(self, language: str) -> list[tuple[Pair, dict, dict]]:
        """Each result beside its target, when the package declares such a comparison: the
        first figure of each row, paired by the shared column (the indicator)."""
        compared = self.comparison
        if compared is None:
            return []
        shape = self.package.shape
        result_figure = shape.figures(compared.results)[0]
        target_figure = shape.figures(compared.targets)[0]
        results = {r[compared.by]: r for r in self.package.rows(compared.results)
                   if r.get(result_figure.value)}
        pairs = []
        for target in self.package.rows(compared.targets):
            result = results.get(target[compared.by])
            if not (result and target.get(target_figure.value)):
                continue
            texts = [self.figure(row, figure.value, row.get(figure.unit or ""),
                                 row.get(figure.qualifier or ""), language).text
                     for row, figure in ((result, result_figure), (target, target_figure))]
            key = target[compared.by]
            label = self.label(compared.targets, compared.by, key, language) or key
            pairs.append((Pair(label, self.base(result, result_figure),
                               self.base(target, target_figure), *texts), result, target))
        return pairs

    def label(self, table: str, column: str, key: str, language: str) -> str | None:
        """The name (``name_zh``/``name_en``) of the row that ``column`` of ``table`` refers
        to, such as an indicator's, in ``language``; None when it refers to no named row."""
        shape = self.package.shape
        target = shape[table].references().get(column) if table in shape else None
        if target is None:
            return None
        if target not in self._named:
            self._named[target] = {row.get("id", ""): row for row in self.package.rows(target)}
        row = self._named[target].get(key)
        return row.get("name_zh" if language == "zh-Hans" else "name_en") if row else None

    def base(self, row: dict[str, str], figure) -> Decimal:
        """A figure of ``row`` in its base unit."""
        return Decimal(row[figure.base] if figure.base else row[figure.value])
