"""Reading the curation: each published row declared once, in Chinese, with its quote.

What a curation file may say follows from the shape of its table (``schemas/<table>.json``):
each key of a row names a column, or the Chinese of a ``<key>_zh``/``<key>_en`` pair. The
value, unit and qualifier of every figure are parsed from the row's quote here; the curation
never states them. Anything that disagrees is a Problem naming file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from opendata.config import read_config
from opendata.curate import schemas as curation_schemas
from opendata.curate.figures import Figure, FigureSyntax, format_decimal
from opendata.curate.script import fold
from opendata.curate.source import Source, Span
from opendata.curate.units import Unit, parse_multiplier
from opendata.inputs import LINE, read_yaml
from opendata.paths import Project
from opendata.problems import Problem
from opendata.shape import LINE as LINE_COLUMN
from opendata.shape import QUOTE, UNITS, FigureColumns, Shape, Table, read_shape
from opendata.text import squash

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DRAFT = "draft"  # marks a row proposed by `opendata draft`; the build refuses it
# Keys of a quoted table's curation that are no column: the statement and its figures.
STATEMENT_KEYS = {"quote", "line", "context", "sentence_start", "rows"}
CONTEXT_KEYS = ("context", "sentence_start")  # sentence_start: the older name, still read
FIGURE_KEYS = {"figure", "unit", "figures"}
# The curation keys of the units table, and the columns they fill.
UNIT_COLUMNS = {"id": "id", "label": "label_zh", "base": "base_unit", "multiplier": "multiplier",
                "kind": "quantity_kind", "code": "code", "code_system": "code_system"}

Row = dict[str, Any]


@dataclass
class Curation:
    """Everything the curation declares, ready to translate and write.

    ``origins`` holds, beside the rows of each table and in their order, where each row
    was declared (``curation/results.yaml:12``), for messages.
    """

    tables: dict[str, list[Row]] = field(default_factory=dict)
    origins: dict[str, list[str]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, table: str, row: Row, origin: str) -> None:
        self.tables.setdefault(table, []).append(row)
        self.origins.setdefault(table, []).append(origin)


@dataclass(frozen=True)
class Statement:
    """A verified quote, the figures parsed from it, and the text its flags are read in."""

    quote: str
    line: int
    span: Span
    figures: tuple[Figure, ...]
    marks: str  # the quote, after the words before it that govern it, simplified
    context: tuple[str, int] | None = None  # those words (squashed) and their line

    def governs(self, mark: str, figure: Figure) -> bool:
        """Whether ``mark`` governs ``figure``: in the context, or before it in the quote."""
        mark = fold(mark)
        return (self.context is not None and mark in fold(self.context[0])) or \
            mark in fold(squash(self.quote)[:figure.start])


class Reader:
    """Reads one project's curation against its source, table by table, as its shape says."""

    def __init__(self, project: Project, source: Source, shape: Shape):
        self.project = project
        self.source = source
        self.shape = shape
        self.result = Curation()
        self.syntax = FigureSyntax([])

    def problem(self, shown: str, line: int | None, message: str, hint: str, code: str) -> None:
        self.result.problems.append(Problem(shown, message, hint, code, line=line))

    def read(self) -> Curation:
        """Read the units, then the other unquoted tables, then the quoted ones."""
        if UNITS in self.shape:
            self.read_units()
        self.syntax = FigureSyntax(unit.label for unit in self.result.units.values())
        for table in self.shape:
            if table.name != UNITS and not table.quoted:
                self.read_rows(table)
        for table in self.shape.quoted():
            self.read_statements(table)
        self.result.tables = {name: self.result.tables.get(name, []) for name in self.shape.names}
        self.result.origins = {name: self.result.origins.get(name, [])
                               for name in self.shape.names}
        for table in self.shape:
            self.check_references(table)
            self.check_ids(table.name)
        return self.result

    # -- files ---------------------------------------------------------------------------

    def load(self, name: str, schema: str) -> tuple[str, Any]:
        """The curation file of table ``name``, or None after reporting where it breaks its
        JSON Schema (``schema``, shipped in :mod:`opendata.curate.schemas`)."""
        shown = self.project.relative(self.project.curated(name))
        document = read_yaml(self.project.curated(name), shown)
        found = curation_schemas.problems(document, schema, shown)
        self.result.problems += found
        return shown, None if found else document

    # -- columns -------------------------------------------------------------------------

    @staticmethod
    def stated_columns(table: Table) -> dict[str, str]:
        """The columns a curator states, by the key that states them (``name`` → name_zh).

        The build fills the others: English, figures, flags, quote and line.
        """
        made = {LINE_COLUMN, QUOTE, *table.flags, *table.context.values()}
        for figure in table.figures:
            made.update(figure.columns)
        columns = {}
        for name in table.field_names:
            if name in made or name.endswith("_en"):
                continue
            columns[name[:-3] if name.endswith("_zh") else name] = name
        return columns

    @staticmethod
    def required(table: Table, column: str) -> bool:
        return bool((table.field(column) or {}).get("constraints", {}).get("required"))

    def cells(self, table: Table, shown: str, raw: Row, skip: set[str]) -> Row | None:
        """The columns a mapping states, or None after reporting a key that is no column."""
        stated = self.stated_columns(table)
        row, good = {}, True
        for key, value in raw.items():
            if key in (LINE, DRAFT) or key in skip:
                continue
            if key not in stated:
                allowed = sorted(set(stated) | skip)
                self.problem(shown, raw.get(LINE), f"unknown key '{key}'",
                             f"use only {', '.join(allowed)}", "unknown-key")
                good = False
                continue
            row[stated[key]] = value
        return row if good else None

    def complete(self, table: Table, shown: str, line: int | None, row: Row) -> bool:
        """Whether ``row`` states every required column, reporting each one it lacks."""
        missing = [key for key, column in self.stated_columns(table).items()
                   if self.required(table, column) and row.get(column) is None]
        for key in missing:
            self.problem(shown, line, f"'{key}' is missing", f"add '{key}'", "missing-key")
        return not missing

    # -- units and unquoted tables -------------------------------------------------------

    def read_units(self) -> None:
        shown, document = self.load(UNITS, "units")
        declared = {str(u["id"]) for u in document or []}
        for raw in document or []:
            multiplier = parse_multiplier(raw["multiplier"])
            if multiplier is None:
                self.problem(shown, raw[LINE], f"multiplier {raw['multiplier']!r} is not a "
                             "positive decimal string", 'quote it, e.g. multiplier: "10000"',
                             "bad-multiplier")
                continue
            unit = Unit(str(raw["id"]), str(raw["label"]), str(raw["base"]), multiplier,
                        str(raw["kind"]), raw.get("code"), raw.get("code_system"))
            self.result.units[unit.id] = unit
            row = {column: raw.get(key) for key, column in UNIT_COLUMNS.items()}
            row["multiplier"] = format_decimal(multiplier)
            self.result.add(UNITS, row, f"{shown}:{raw[LINE]}")
            if unit.base not in declared:
                self.problem(shown, raw[LINE], f"base unit '{unit.base}' is not a unit",
                             "declare the base unit in this file", "unknown-unit")
        self.check_codes(shown)

    def check_codes(self, shown: str) -> None:
        """A scaled unit never carries its base unit's code: ISO 4217 has no code for 万元,
        and CNY on it would read as yuan."""
        units = self.result.units
        for row, origin in zip(self.result.tables.get(UNITS, []),
                               self.result.origins.get(UNITS, []), strict=True):
            unit, base = units[row["id"]], units.get(row["base_unit"])
            if base is not None and unit.multiplier != 1 and unit.code is not None and \
                    (unit.code, unit.code_system) == (base.code, base.code_system):
                self.problem(shown, int(origin.rpartition(":")[2]),
                             f"unit '{unit.id}' is {unit.multiplier} × '{base.id}' but carries "
                             f"its base unit's code {unit.code}: a scaled unit coded as its base",
                             "give it its own code (UCUM 10*4.m2) or none; the multiplier "
                             "records the scale", "scaled-unit-code")

    def read_rows(self, table: Table) -> None:
        """An unquoted table (indicators): a list of rows."""
        shown, document = self.load(table.name, "rows")
        for raw in document or []:
            row = self.cells(table, shown, raw, set())
            if row is None or not self.complete(table, shown, raw[LINE], row):
                continue
            if self.base_units_only(table, shown, raw[LINE], row):
                self.result.add(table.name, row, f"{shown}:{raw[LINE]}")
        self.check_links(table)

    def check_links(self, table: Table) -> None:
        """A row linked to another of its table (an indicator part_of or compared with
        another) is of the same unit and kind: a link never joins different measures."""
        rows = self.result.tables.get(table.name, [])
        by_id = {str(r.get("id")): r for r in rows}
        alike = [c for c, target in table.references().items() if target == UNITS]
        alike += [f["name"] for f in table.fields if f.get("constraints", {}).get("enum")]
        links = [key["fields"][0] if isinstance(key["fields"], list) else key["fields"]
                 for key in table.schema.get("foreignKeys", [])
                 if key.get("reference", {}).get("resource") in ("", table.name)]
        for row, origin in zip(rows, self.result.origins.get(table.name, []), strict=True):
            for column in links:
                other = by_id.get(str(row.get(column)))
                if row.get(column) is None or other is None:
                    continue  # an unknown id is reported with the other references
                differ = [c for c in alike if row.get(c) != other.get(c)]
                if differ:
                    shown, _, line = origin.rpartition(":")
                    described = ", ".join(f"{c} {row.get(c)} ≠ {other.get(c)}" for c in differ)
                    self.problem(shown, int(line), f"{column} links '{row.get('id')}' to "
                                 f"'{other.get('id')}' ({described}): a link between "
                                 "different measures", f"link only rows of one "
                                 f"{' and '.join(differ)}", "link-mismatch")

    def base_units_only(self, table: Table, shown: str, line: int, row: Row) -> bool:
        """Whether every unit a row of an unquoted table names is a base unit: it says what
        a measure is counted in, whatever unit a figure prints."""
        for column, target in table.references().items():
            unit = self.result.units.get(str(row.get(column)))
            if target == UNITS and unit is not None and unit.base != unit.id:
                self.problem(shown, line, f"unit '{unit.id}' is not a base unit",
                             f"use its base unit '{unit.base}'", "not-base-unit")
                return False
        return True

    # -- statements ----------------------------------------------------------------------

    def read_statements(self, table: Table) -> None:
        """A quoted table: statements of rows, or sections of them; the keys beside
        ``statements`` and ``sections`` (year, section) hold for every row below them."""
        shown, document = self.load(table.name, "statements")
        if document is None:
            return
        groups = [(document, document.get("statements"))]
        if "sections" in document:
            groups = [({**document, **section}, section["statements"])
                      for section in document["sections"]]
        for context, statements in groups:
            shared = {k: v for k, v in context.items() if k not in {"statements", "sections"}}
            defaults = self.cells(table, shown, {**shared, LINE: context.get(LINE, 1)}, set())
            if defaults is None:
                continue
            for raw in statements:
                self.read_statement(table, shown, raw, defaults)

    def read_statement(self, table: Table, shown: str, raw: Row, defaults: Row) -> None:
        statement = self.statement(shown, raw)
        if statement is None:
            return
        for item in raw["rows"]:
            row = self.cells(table, shown, item, FIGURE_KEYS)
            if row is None:
                continue
            row = {**defaults, **row}
            if not self.complete(table, shown, item[LINE], row):
                continue
            figures = self.figure_cells(table, shown, item, row, statement)
            if figures is None or not self.evident(table, shown, item, row, statement):
                continue
            row.update(figures)
            for flag, mark in table.flags.items():
                # a row flag over figures holds only when it holds for every one of them
                own = [figures[f.flags[flag]] for f in table.figures
                       if f.flags.get(flag) and figures.get(f.flags[flag]) is not None]
                row[flag] = all(own) if own else fold(mark) in statement.marks
            row.update({QUOTE: statement.quote, LINE_COLUMN: statement.line})
            if table.context:
                quote, line = statement.context or (None, None)
                row.update({table.context["quote"]: quote, table.context["line"]: line})
            self.result.add(table.name, row, f"{shown}:{item[LINE]}")

    def evident(self, table: Table, shown: str, raw: Row, row: Row,
                statement: Statement) -> bool:
        """Whether the quote (with its context) holds every word that defines what the row
        measures, the ``terms`` of the row its ``terms_of`` column refers to; so that a row
        never links a different measure. Reports the words it lacks."""
        column = table.terms_of
        target = table.references().get(column) if column else None
        if column is None or target is None or target not in self.shape:
            return True
        referenced = next((r for r in self.result.tables.get(target, [])
                           if str(r.get("id")) == str(row.get(column))), None)
        terms = (referenced or {}).get("terms") or []
        evidence = squash(statement.marks)
        absent = [str(term) for term in terms if str(term) not in evidence]
        if absent:
            where = "quote and context" if statement.context else "quote"
            self.problem(shown, raw[LINE], f"the {where} of '{row.get('id')}' lack "
                         f"{'、'.join(absent)}, which define {column} '{row.get(column)}'",
                         "quote the words that say what the figure measures (with context: "
                         f"when they stand before the quote), or use the {column} it measures",
                         "indicator-without-evidence")
        return not absent

    def statement(self, shown: str, raw: Row) -> Statement | None:
        """The verified quote of a statement, or None after reporting why not."""
        line = raw[LINE]
        located = self.source.locate(raw["quote"], raw["line"])
        if isinstance(located, str):
            self.problem(shown, line, f"{located}: {raw['quote']}",
                         "copy the quote verbatim from the source and give the line it "
                         "starts on", "quote-not-in-source")
            return None
        context = None
        given = next((raw[k] for k in CONTEXT_KEYS if raw.get(k) is not None), None)
        if given is not None:
            context = self.context(shown, line, given, located)
            if context is None:
                return None
        marks = (context[0] if context else "") + raw["quote"]
        return Statement(raw["quote"], raw["line"], located, self.syntax.figures(raw["quote"]),
                         fold(squash(marks)), context)

    def context(self, shown: str, line: int, raw: Any, quote: Span) -> tuple[str, int] | None:
        """The words before the quote that govern it, verified against the source."""
        if not isinstance(raw, dict) or not {"quote", "line"} <= set(raw) - {LINE}:
            self.problem(shown, line, "context needs 'quote' and 'line'",
                         "see docs/curation.md", "missing-key")
            return None
        located = self.source.locate(str(raw["quote"]), raw["line"])
        if isinstance(located, str) or located.start > quote.start:
            why = located if isinstance(located, str) else "it comes after the quote"
            self.problem(shown, raw.get(LINE, line), f"context: {why}",
                         "quote the words before the figure's fragment that govern it",
                         "quote-not-in-source")
            return None
        return squash(str(raw["quote"])), int(raw["line"])

    # -- figures -------------------------------------------------------------------------

    def chosen(self, table: Table, shown: str,
               raw: Row) -> list[tuple[FigureColumns, Any, Any]] | None:
        """The figures a row names, each with its figure number and stated unit label;
        None after reporting a name that is no figure of the table.

        ``figure: N`` (and ``unit: LABEL``) name the table's first figure, which a table of
        one figure takes without them; ``figures: {column: N}`` names any of them.
        """
        declared = table.figures
        stray = sorted(FIGURE_KEYS & set(raw)) if not declared else []
        for key in stray:
            self.problem(shown, raw[LINE], f"unknown key '{key}': table {table.name} declares "
                         "no figures", f"remove '{key}'", "unknown-key")
        if stray:
            return None
        chosen = []
        if declared and ("figure" in raw or "unit" in raw
                         or (len(declared) == 1 and "figures" not in raw)):
            chosen.append((declared[0], raw.get("figure"), raw.get("unit")))
        named = raw.get("figures") or {}
        by_value = {f.value: f for f in declared}
        unknown = sorted(set(named) - set(by_value) - {LINE})
        for column in unknown:
            self.problem(shown, raw[LINE], f"unknown figure column '{column}'",
                         f"use {', '.join(by_value) or 'no figures: this table has none'}",
                         "unknown-key")
        chosen += [(by_value[c], n, None) for c, n in named.items() if c in by_value]
        return None if unknown else chosen

    def figure_cells(self, table: Table, shown: str, raw: Row, row: Row,
                     statement: Statement) -> Row | None:
        """The cells of every figure a row names, or None after reporting why not."""
        line, cells = raw[LINE], {}
        wanted = self.chosen(table, shown, raw)
        if wanted is None:
            return None
        for columns, number, label in wanted:
            if (number is None and label is None and not statement.figures
                    and not self.required(table, columns.value)):
                cells.update(dict.fromkeys(columns.columns))  # a qualitative row
                continue
            figure = self.pick(shown, line, statement, number)
            unit = figure and self.unit_of(shown, line, figure, label)
            if figure is None or unit is None:
                return None
            if not self.fits(table, shown, line, row, columns, figure, unit):
                return None
            cells.update(self.published(table, columns, figure, unit))
            if columns.inferred:
                cells[columns.inferred] = figure.unit != unit.label
            for flag, column in columns.flags.items():
                cells[column] = statement.governs(table.flags.get(flag, ""), figure)
        return cells

    def fits(self, table: Table, shown: str, line: int, row: Row, columns: FigureColumns,
             figure: Figure, unit: Unit) -> bool:
        """Whether a figure may stand in ``columns``, reporting why not."""
        if columns.kind and unit.kind != columns.kind:
            self.problem(shown, line, f"figure {figure.text!r} cannot be {columns.value}: it "
                         f"is a {unit.kind}", "pick another figure", "unit-mismatch")
            return False
        if (table.field(columns.value) or {}).get("type") == "integer":
            whole = unit.to_base(figure.value)
            if whole != whole.to_integral_value():
                self.problem(shown, line, f"{figure.text!r} is not a whole number for "
                             f"{columns.value}", "pick another figure", "unit-mismatch")
                return False
        key = columns.base_unit_of
        measured = self.measured_in(table, key, row) if key else None
        if key and measured is not None and measured != unit.base:
            self.problem(shown, line, f"figure {figure.text!r} is in {unit.label} (base "
                         f"'{unit.base}') but {key} '{row.get(key)}' is measured in "
                         f"'{measured}'", f"pick the right figure or {key}", "unit-mismatch")
            return False
        return True

    def measured_in(self, table: Table, key: str, row: Row) -> str | None:
        """The base unit of the row that column ``key`` (a figure's ``base_unit_of``) refers
        to, if it has one."""
        target = table.references().get(key)
        if target is None or target not in self.shape:
            return None
        referenced = next((r for r in self.result.tables.get(target, [])
                           if str(r.get("id")) == str(row.get(key))), None)
        unit_column = next((c for c, t in self.shape[target].references().items()
                            if t == UNITS), None)
        if referenced is None or unit_column is None:
            return None
        return referenced.get(unit_column)

    @staticmethod
    def published(table: Table, columns: FigureColumns, figure: Figure, unit: Unit) -> Row:
        """The cells of one figure: as printed with its unit, or in its base unit alone."""
        base = unit.to_base(figure.value)
        cells: Row
        if columns.unit:
            cells = {columns.value: str(figure.value), columns.unit: unit.id}
        elif (table.field(columns.value) or {}).get("type") == "integer":
            cells = {columns.value: int(base)}
        else:
            cells = {columns.value: format_decimal(base)}
        if columns.base:
            cells[columns.base] = format_decimal(base)
        if columns.qualifier:
            cells[columns.qualifier] = figure.qualifier.value
        return cells

    def pick(self, shown: str, line: int, statement: Statement, number: Any) -> Figure | None:
        """The figure a row uses: figure N of the quote, or its only one."""
        figures = statement.figures
        if number is None:
            if len(figures) == 1:
                return figures[0]
            listed = ", ".join(f"{i}: {f.text}" for i, f in enumerate(figures, 1)) or "none"
            self.problem(shown, line, f"the quote holds {len(figures)} figures ({listed})",
                         "say which this row uses with figure: N", "figure-ambiguous")
            return None
        if number > len(figures):
            self.problem(shown, line, f"figure {number!r} is not in the quote, which holds "
                         f"{len(figures)} figure(s)", "give a figure number from 1 up",
                         "figure-missing")
            return None
        return figures[number - 1]

    def unit_of(self, shown: str, line: int, figure: Figure, declared: Any) -> Unit | None:
        """The unit a figure is printed in (or the declared one the print abbreviates)."""
        if declared is not None:
            unit = next((u for u in self.result.units.values() if u.label == declared), None)
            if unit is None or not unit.prints_as(figure.unit):
                self.problem(shown, line, f"unit {declared!r} disagrees with the quote, "
                             f"which prints {figure.text!r}", "correct the unit or the quote",
                             "unit-mismatch")
                return None
            return unit
        unit = next((u for u in self.result.units.values() if u.label == figure.unit), None)
        if unit is None:
            printed = f"'{figure.unit}'" if figure.unit else "no unit"
            self.problem(shown, line, f"figure {figure.text!r} has {printed} known to "
                         "curation/units.yaml", "declare the unit in curation/units.yaml, "
                         "or state the unit the source abbreviates with unit: LABEL",
                         "unknown-unit")
        return unit

    # -- whole tables --------------------------------------------------------------------

    def check_references(self, table: Table) -> None:
        """Every stated foreign key names a row of the table it refers to."""
        rows, origins = self.result.tables[table.name], self.result.origins[table.name]
        stated = set(self.stated_columns(table).values())
        for column, target in table.references().items():
            if column not in stated or target not in self.shape:
                continue
            known = {str(r.get("id")) for r in self.result.tables.get(target, [])}
            code = "unknown-unit" if target == UNITS else f"unknown-{column}"
            for row, origin in zip(rows, origins, strict=True):
                value = row.get(column)
                if value is not None and str(value) not in known:
                    shown, _, line = origin.rpartition(":")
                    self.problem(shown, int(line), f"unknown {column} '{value}'",
                                 f"use an id from curation/{target}.yaml, or declare it there",
                                 code)

    def check_ids(self, table: str) -> None:
        seen: dict[str, str] = {}
        for row, origin in zip(self.result.tables[table], self.result.origins[table],
                               strict=True):
            if "id" not in row:
                continue
            shown, _, line = origin.rpartition(":")
            key = str(row["id"])
            if not SLUG.match(key):
                self.problem(shown, int(line), f"id {key!r} is not a lowercase slug",
                             "use a-z, 0-9 and single hyphens", "bad-id")
            if key in seen:
                self.problem(shown, int(line), f"duplicate id '{key}' in {table} (first at "
                             f"{seen[key]})", "give each row its own stable id", "duplicate-id")
            seen.setdefault(key, origin)


def read_curation(project: Project, source: Source, shape: Shape | None = None) -> Curation:
    """Every table of ``shape`` (by default the project's own) as the curation of
    ``project`` declares it, with all problems found."""
    if shape is None:
        shape = read_shape(project, read_config(project)["tables"])
    return Reader(project, source, shape).read()
