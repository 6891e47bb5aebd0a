"""The page models of the site: what each page shows, in the page's language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from opendata.check.published import PublishedPackage, decimal
from opendata.curate.figures import FigureSyntax
from opendata.curate.source import Source, Span
from opendata.publish import formatting
from opendata.publish.chart import Pair
from opendata.publish.common import PackageFacts, Publication
from opendata.publish.facts import Bilingual
from opendata.publish.labels import Labels, label
from opendata.publish.tabular import figure_unit
from opendata.shape import LINE, QUOTE, Comparison, FigureColumns, comparison

Gettext = Callable[[str], str]
LOCALES = {"zh-Hans": "zh_Hans_CN", "en": "en"}
OTHER_SUFFIX = {"zh-Hans": "_en", "en": "_zh"}  # the bilingual column a page leaves out
# Evidence of a row beyond its figure's clause (e.g. the 预计 that starts an interleaved
# sentence), published as a second quote and line.
SECTION = "section"
HEADLINE = 5  # pairs on the landing page when the targets name no sections


@dataclass
class Cell:
    text: str
    sort: str = ""
    href: str | None = None   # the source line of a figure
    lang: str | None = None   # set when the text is not in the page's language
    gloss: str | None = None  # English of a Chinese text, on English pages
    code: bool = False        # an identifier, shown as code
    verbatim: bool = False    # the source's own text (a quote), punctuation and all


@dataclass(frozen=True)
class Close:
    """A result beside the target of a close measure of another scope: each measure's name,
    the two rows, their first figures as shown, and how the scopes differ."""

    result_label: str
    target_label: str
    result: dict[str, str]
    target: dict[str, str]
    result_text: str
    target_text: str
    note: str


@dataclass
class Column:
    name: str
    label: str
    key: bool          # shown in the table; the others are behind the row's disclosure
    numeric: bool = False


@dataclass
class Row:
    id: str
    cells: list[Cell]
    details: list[tuple[str, Cell]]
    facets: dict[str, str]
    source: str | None = None       # href of the row's evidence on the source page
    line: str = ""
    quote: str = ""


@dataclass
class Facet:
    column: str
    label: str
    values: list[tuple[str, str, int]]  # raw value, label, rows


@dataclass
class TablePage:
    name: str
    title: str
    description: str
    dictionary: list[dict[str, str]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    csv_columns: list[str] = field(default_factory=list)

    @property
    def key_columns(self) -> list[Column]:
        return [c for c in self.columns if c.key]


@dataclass(frozen=True)
class Evidence:
    """Where a row stands in the source: (line, first column, end column) pieces."""

    row: str            # "<table>.<row id>"
    pieces: tuple[tuple[int, int, int], ...]


class Pages:
    """Everything the templates show, computed once from the published package."""

    def __init__(self, publication: Publication, package: PublishedPackage):
        self.publication = publication
        self.package = package
        self.syntax: FigureSyntax = package.syntax
        self.units = {row["id"]: row for row in package.rows("units")}
        self.labels = Labels(package.descriptor, self.units.values())
        self._named: dict[str, dict[str, dict[str, str]]] = {}
        self.comparison: Comparison | None = comparison(package.shape)
        # each table's figures, read from its declaration once rather than for every cell
        self.figures: dict[str, list[FigureColumns]] = {
            name: package.shape.figures(name) for name in package.shape.names}

    def unit_label(self, unit_id: str, language: str, count: Decimal | None = None) -> str:
        return self.labels.unit(unit_id, language, count)

    # -- figures -------------------------------------------------------------------------

    def figure(self, table: str, row: dict[str, str], figure: FigureColumns,
               language: str) -> Cell:
        value_column = figure.value
        unit_id = row.get(figure.unit) if figure.unit else None
        qualifier = row.get(figure.qualifier) if figure.qualifier else None
        value = decimal(row.get(value_column))
        if value is None:
            return Cell("", "")
        unit = self.package.units.get(unit_id or "")
        base = unit.to_base(value) if unit else value
        if language == "zh-Hans":
            text = formatting.printed(row.get(QUOTE, ""), value,
                                      unit.label if unit else None, qualifier, self.syntax)
        elif unit is not None:
            words = "" if qualifier in (None, "", "exact") else \
                self.labels.code(table, figure.qualifier or "", qualifier, "en")
            text = formatting.english(value, unit, lambda u, n: self.unit_label(u, "en", n),
                                      words)
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
                     (_("Delivered"), _("{date}, {place}").format(
                         date=self.date(source.date, language), place=source.place(language)))]
        if temporal:
            rows.append((_("Temporal coverage"), _("{start} to {end}").format(
                start=self.date(temporal.start, language), end=self.date(temporal.end, language))))
        if spatial:
            rows.append((_("Spatial coverage"), spatial.name(language)))
        rows += [(_("Licence"), self.licence(language)), (_("Version"), facts.version),
                 (_("Release date"), self.date(facts.released, language)),
                 (_("Maintainer"), facts.publisher or facts.creator)]
        frequency = self.publication.portal.update_frequency
        if frequency:
            rows.append((_("Update frequency"), label("frequency", frequency, language)))
        return rows

    def licence(self, language: str) -> str:
        """The licence's name in ``language``, its English title where the labels have none."""
        licence = self.publication.facts.licence
        return label("licence", licence.id, language) if licence.id else licence.title

    @staticmethod
    def date(text: str | None, language: str) -> str:
        return PackageFacts.date(text, language)

    def citation(self, language: str) -> str:
        return self.publication.facts.citation(language)

    @staticmethod
    def size(count: int, language: str) -> str:
        """A file size in binary units, as the byte counts are: KiB, MiB (CLDR has no
        binary-prefixed units, so babel formats only the number)."""
        if count >= 1024 * 1024:
            return f"{format_decimal(round(count / 1024 / 1024, 1), locale=LOCALES[language])} MiB"
        return f"{format_decimal(round(count / 1024, 1), locale=LOCALES[language])} KiB"

    # -- tables --------------------------------------------------------------------------

    def title(self, name: str, language: str, _: Gettext) -> str:
        """A table's title, with its year when all its rows share one (2023年主要成绩)."""
        years = {row.get("year") for row in self.package.rows(name)}
        title = self.labels.table(name, language)
        if len(years) == 1 and None not in years:
            return _("{title}, {year}").format(title=title, year=years.pop())
        return title

    def table(self, resource: dict[str, Any], language: str, _: Gettext) -> TablePage:
        name = resource["name"]
        schema = resource["schema"]
        fields = schema["fields"]
        shown = [f for f in fields if not f["name"].endswith(OTHER_SUFFIX[language])]
        page = TablePage(name, self.title(name, language, _),
                         marked_codes(Bilingual.of(resource, "description")(language), language))
        page.dictionary = [self.dictionary_row(f, resource, language, _) for f in fields]
        details = self._detail_columns(name, schema)
        page.columns = [Column(f["name"], self.labels.field(name, f["name"], language),
                               f["name"] not in details, f["type"] in ("number", "integer"))
                        for f in shown]
        page.csv_columns = [f["name"] for f in fields]
        rows = self.package.rows(name)
        faceted = [f for f in shown if self._is_facet(f)]
        for row in rows:
            page.rows.append(self.row(name, shown, row, language, _, faceted, details))
        page.facets = [self.facet(name, f, rows, language, _) for f in faceted]
        return page

    @staticmethod
    def _is_facet(field: dict) -> bool:
        name = field["name"]
        return bool(field.get("constraints", {}).get("enum")) or field["type"] == "boolean" \
            or name == "year" or name.split("_")[0] == SECTION

    def _detail_columns(self, table: str, schema: dict) -> set[str]:
        """Columns behind each row's disclosure: ids, base values, units folded into their
        figure, the quote and line, whether the unit was inferred, and qualifiers and flags of
        each figure where a row holds several figures, and notes."""
        figures = self.figures.get(table, [])
        detail = {"id", *(c for pair in self.quoted(table) for c in pair)}
        for columns in figures:
            detail.update(c for c in (columns.base, columns.unit, columns.inferred) if c)
            if len(figures) > 1:
                detail.update(c for c in (columns.qualifier, *columns.flags.values()) if c)
        notes = {f["name"] for f in schema["fields"]  # a note, such as comparability_note_zh
                 if f["name"].removesuffix("_zh").removesuffix("_en").endswith("_note")}
        return {f["name"] for f in schema["fields"] if f["name"] in detail} | notes

    def row(self, table: str, fields: list[dict], raw: dict[str, str], language: str,
            _: Gettext, faceted: list[dict], behind: set[str]) -> Row:
        """The row ``raw`` of ``table`` as shown: the columns ``behind`` (see
        ``_detail_columns``) go behind its disclosure."""
        evidence = self.source_href(table, raw)
        cells, details = [], []
        for f in fields:
            cell = self.cell(table, f, raw, language, _)
            if f["name"] in behind:
                if f["name"] == "id":
                    cell.code = True
                if raw.get(f["name"]):
                    details.append((self.labels.field(table, f["name"], language), cell))
                continue
            if evidence and self._is_figure(table, f["name"]) and cell.text:
                cell.href = evidence
            cells.append(cell)
        facets = {f["name"]: raw.get(f["name"], "") for f in faceted}
        return Row(raw.get("id", ""), cells, details, facets, evidence, raw.get(LINE, ""),
                   raw.get(QUOTE, ""))

    def _is_figure(self, table: str, name: str) -> bool:
        return any(name == c.value for c in self.figures.get(table, []))

    def source_href(self, table: str, raw: dict[str, str]) -> str | None:
        """The row's line on the source page, naming the row so its quote is highlighted."""
        if not raw.get(LINE) or not raw.get(QUOTE):
            return None
        return f"source.html?row={table}.{raw.get('id', '')}#L{raw[LINE]}"

    def facet(self, table: str, field: dict, rows: list[dict[str, str]], language: str,
              _: Gettext) -> Facet:
        name = field["name"]
        counts = Counter(row.get(name, "") for row in rows)
        order = [str(v) for v in field.get("constraints", {}).get("enum", [])]
        values = sorted(counts, key=lambda v: (order.index(v) if v in order else len(order), v))
        return Facet(name, self.labels.field(table, name, language),
                     [(v, self.value_label(table, field, v, language, _), counts[v])
                      for v in values])

    def value_label(self, table: str, field: dict, raw: str, language: str, _: Gettext) -> str:
        if raw == "":
            return _("(empty)")
        if field["type"] == "boolean" or field.get("constraints", {}).get("enum"):
            return self.labels.code(table, field["name"], raw, language)
        return raw

    def dictionary_row(self, field: dict, resource: dict, language: str, _: Gettext) -> dict:
        table = resource["name"]
        unit = figure_unit(resource, field["name"])
        if unit is None:
            text = "—"
        elif unit[0] == "unit":
            text = _("the unit in column {column}").format(
                column=self.labels.field(table, unit[1], language))
        else:
            text = _("the base unit of column {column}").format(
                column=self.labels.field(table, unit[1], language))
        return {"field": field["name"],
                "label": self.labels.field(table, field["name"], language),
                "type": type_name(field["type"], _), "unit": text,
                "description": marked_codes(Bilingual.of(field, "description")(language),
                                            language)}

    def cell(self, table: str, field: dict, row: dict[str, str], language: str,
             _: Gettext) -> Cell:
        name, raw = field["name"], row.get(field["name"], "")
        figure = self.figure_part(table, name, raw, row, language)
        if figure is not None:
            return figure
        if raw and name in (quote for quote, _line in self.quoted(table)):
            return Cell(raw, raw, lang="zh-Hans" if language != "zh-Hans" else None,
                        verbatim=True)
        if field.get("delimiter") and raw:  # a list: joined as the page's language joins one
            raw = _("; ").join(part.strip() for part in raw.split(field["delimiter"]))
        if (field["type"] == "boolean" or field.get("constraints", {}).get("enum")) and raw:
            return Cell(self.labels.code(table, field["name"], raw, language), raw)
        if field["type"] == "number" and raw:
            return Cell(formatting.number(Decimal(raw), language), raw)
        if field["type"] == "integer":
            return Cell(raw, raw)  # years and line numbers take no digit grouping
        if raw:
            named = self.label(table, name, raw, language)
            if named:
                return Cell(named, named)
            if name in ("unit", "base_unit") and raw in self.units:
                return Cell(self.unit_label(raw, language), raw)
        if name.endswith("_zh") and language != "zh-Hans" and raw:
            gloss = row.get(name[:-3] + "_en")
            return Cell(raw, raw, lang="zh-Hans", gloss=gloss or None)
        return Cell(raw, raw)

    def figure_part(self, table: str, name: str, raw: str, row: dict[str, str],
                    language: str) -> Cell | None:
        """The cell of a column that is part of a figure (value, base or unit), else None."""
        for columns in self.figures.get(table, []):
            if name == columns.value:
                return self.figure(table, row, columns, language)
            if name == columns.base and raw:
                unit = self.package.units.get(row.get(columns.unit or "", ""))
                value = Decimal(raw)
                base = self.unit_label(unit.base, language, value) if unit else ""
                return Cell(f"{formatting.number(value, language)} {base}".strip(), raw)
            if name == columns.unit and raw:
                return Cell(self.unit_label(raw, language), raw)
        return None

    # -- the source, with every row's evidence -------------------------------------------

    def quoted(self, table: str) -> list[tuple[str, str]]:
        """The (quote, line) columns of a row's evidence: its quote, and the context the
        table declares (``context_quote``/``context_line``) where it declares one."""
        found = [(QUOTE, LINE)]
        context = self.package.shape[table].context if table in self.package.shape else {}
        if context.get("quote") and context.get("line"):
            found.append((context["quote"], context["line"]))
        return found

    def source_lines(self) -> list[str]:
        source = self.package.source
        return source.text.split("\n") if source is not None else []

    def evidence(self) -> list[Evidence]:
        """For every quoted row, the pieces of source lines its quotes cover."""
        source = self.package.source
        if source is None:
            return []
        lines = source.text.split("\n")
        found = []
        for resource in self.publication.tables:
            names = {f["name"] for f in resource["schema"]["fields"]}
            if QUOTE not in names:
                continue
            for row in self.package.rows(resource["name"]):
                pieces = []
                for quote, line in self.quoted(resource["name"]):
                    if row.get(quote) and row.get(line):
                        pieces += _pieces(source, lines, row[quote], int(row[line]))
                if pieces:
                    found.append(Evidence(f"{resource['name']}.{row.get('id', '')}",
                                          tuple(pieces)))
        return found

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
            texts = [self.figure(table, row, figure, language).text
                     for table, row, figure in ((compared.results, result, result_figure),
                                                (compared.targets, target, target_figure))]
            key = target[compared.by]
            named = self.label(compared.targets, compared.by, key, language) or key
            pairs.append((Pair(named, self.base(result, result_figure),
                               self.base(target, target_figure), *texts), result, target))
        return pairs

    def close_pairs(self, language: str) -> list[Close]:
        """Each result beside the target of a close measure of another scope, where the table
        the shared column refers to links the two (``close``, such as ``compare_with``): the
        first figure of each row, with the note that says how their scopes differ."""
        compared = self.comparison
        if compared is None or compared.close is None:
            return []
        shape = self.package.shape
        result_figure = shape.figures(compared.results)[0]
        target_figure = shape.figures(compared.targets)[0]
        results = self._with_figure(compared.results, result_figure.value)
        targets = self._with_figure(compared.targets, target_figure.value)
        found: dict[tuple[str, str], Close] = {}
        for key, measure in self._measures().items():
            other = measure.get(compared.close)
            if not other:
                continue
            note = self._note(measure, language)
            # the link runs either way: a result of either measure, a target of the other
            # (two measures that name each other give each pair once)
            for reviewed, planned in ((key, other), (other, key)):
                for result in results.get(reviewed, []):
                    for target in targets.get(planned, []):
                        found.setdefault((result.get("id", ""), target.get("id", "")), Close(
                            self.label(compared.results, compared.by, reviewed, language)
                            or reviewed,
                            self.label(compared.targets, compared.by, planned, language)
                            or planned,
                            result, target,
                            self.figure(compared.results, result, result_figure, language).text,
                            self.figure(compared.targets, target, target_figure, language).text,
                            note))
        return list(found.values())

    def scope_note(self, key: str, language: str) -> str:
        """How the scope of a measure (a row the shared column refers to) differs between
        its result and its target, in ``language``; empty when it does not, and when the
        measure links a close one, since its note then compares it with that one."""
        compared = self.comparison
        if compared is None or compared.note is None:
            return ""
        measure = self._measures().get(key)
        if measure is None or (compared.close and measure.get(compared.close)):
            return ""
        return self._note(measure, language)

    def _note(self, measure: dict[str, str], language: str) -> str:
        note = self.comparison.note if self.comparison else None
        if note is None:
            return ""
        return measure.get(f"{note}_zh" if language == "zh-Hans" else f"{note}_en", "")

    def _measures(self) -> dict[str, dict[str, str]]:
        """The rows the compared tables' shared column refers to (the indicators), by id."""
        compared = self.comparison
        table = (self.package.shape[compared.targets].references().get(compared.by)
                 if compared else None)
        return self._rows_of(table) if table else {}

    def _with_figure(self, table: str, value: str) -> dict[str, list[dict[str, str]]]:
        """The rows of ``table`` that have a figure in column ``value``, by the shared column."""
        by = self.comparison.by if self.comparison else ""
        found: dict[str, list[dict[str, str]]] = {}
        for row in self.package.rows(table):
            if row.get(value):
                found.setdefault(row.get(by, ""), []).append(row)
        return found

    def label(self, table: str, column: str, key: str, language: str) -> str | None:
        """The name (``name_zh``/``name_en``) of the row that ``column`` of ``table`` refers
        to, such as an indicator's, in ``language``; None when it refers to no named row."""
        shape = self.package.shape
        target = shape[table].references().get(column) if table in shape else None
        if target is None:
            return None
        row = self._rows_of(target).get(key)
        return row.get("name_zh" if language == "zh-Hans" else "name_en") if row else None

    def _rows_of(self, table: str) -> dict[str, dict[str, str]]:
        if table not in self._named:
            self._named[table] = {row.get("id", ""): row for row in self.package.rows(table)}
        return self._named[table]

    def measured(self, language: str) -> list[tuple[str, str, str]]:
        """What the compared tables measure (the rows their shared column refers to, such as
        the indicators): id, name in ``language`` and unit."""
        return [(row.get("id", ""), row.get("name_zh" if language == "zh-Hans" else "name_en")
                 or row.get("id", ""), row.get("unit", "")) for row in self._measures().values()]

    @staticmethod
    def base(row: dict[str, str], figure: FigureColumns) -> Decimal:
        """A figure of ``row`` in its base unit."""
        return Decimal(row[figure.base] if figure.base else row[figure.value])

    def headline(self, language: str) -> list[tuple[Pair, dict, dict]]:
        """The main figures: the pairs whose target is in the report's first target section
        (主要预期目标), in the order the report gives them; the first few pairs when the
        targets have no sections."""
        pairs = self.pairs(language)
        if not pairs or self.comparison is None:
            return []
        column = f"{SECTION}_zh"
        first = self.package.rows(self.comparison.targets)[0].get(column)
        if first is None:
            return pairs[:HEADLINE]
        return [p for p in pairs if p[2].get(column) == first]


def type_name(kind: str, _: Gettext) -> str:
    """A Table Schema type in the page's language (the site's own words for them)."""
    names = {"string": _("string"), "integer": _("integer"), "number": _("number"),
             "boolean": _("boolean")}
    return names.get(kind, kind)


_BACKTICKED = re.compile(r"`([^`]+)`")
_WILDCARD = r"(?<![\w.])\*_[a-z0-9_]+|"  # a family of columns: *_aspirational
_CODE_WORDS = {"zh-Hans": re.compile(_WILDCARD + r"(?<![\w.])[A-Za-z][\w.]*\w|"
                                     r"(?<![\w.])[A-Za-z](?![\w])"),
               "en": re.compile(_WILDCARD + r"(?<![\w.])[a-z]+(?:[_.][a-z0-9]+)+(?![\w])")}


def marked_codes(text: str, language: str) -> Markup:
    """A description with the codes it names (column names, enum values) marked as code:
    backticked ones, and on Chinese pages every Latin word, on English pages every word
    with an underscore or a dot (``in_progress``, ``units.id``)."""
    html = str(escape(text))
    html = _BACKTICKED.sub(lambda m: f"\x00{m[1]}\x01", html)
    html = _CODE_WORDS[language].sub(lambda m: f"\x00{m[0]}\x01", html)
    html = re.sub("\x00+", "\x00", re.sub("\x01+", "\x01", html))
    return Markup(html.replace("\x00", '<code translate="no">').replace("\x01", "</code>"))


def _pieces(source: Source, lines: list[str], quote: str, line: int) -> list[tuple[int, int, int]]:
    """The (line, start, end) columns of the source text that ``quote`` covers, from ``line``
    on: a quote may run across line breaks and the stray spaces of the OCR text."""
    span = source.locate(quote, line)
    if not isinstance(span, Span):
        return []
    pieces = []
    while line <= len(lines):
        low, high = source.line_span(line)
        start, end = max(span.start, low), min(span.end, high)
        if start < end:
            visible = [i for i, ch in enumerate(lines[line - 1]) if not ch.isspace()]
            pieces.append((line, visible[start - low], visible[end - 1 - low] + 1))
        if high >= span.end:
            break
        line += 1
    return pieces
