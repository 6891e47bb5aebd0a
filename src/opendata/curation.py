"""Reading the curation: each published row declared once, in Chinese, with its quote.

The value, unit and qualifier of every figure are parsed from the row's quote here; the
curation never states them. Anything that disagrees is a Problem naming file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from opendata.figures import Figure, FigureSyntax, format_decimal, modality
from opendata.inputs import LINE, read_yaml
from opendata.paths import Project
from opendata.problems import Problem
from opendata.source import Source, Span
from opendata.units import Unit, parse_multiplier

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REPEAT_MARK = "再次"
ORIGIN = "__origin__"  # where a row was declared, for messages; never written out

Row = dict[str, Any]


@dataclass
class Curation:
    """Everything the curation declares, ready to translate and write."""

    tables: dict[str, list[Row]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """A verified quote and the figures parsed from it."""

    quote: str
    line: int
    span: Span
    figures: list[Figure]
    estimate: bool
    aspirational: bool


class Reader:
    """Reads one project's curation against its source."""

    def __init__(self, project: Project, source: Source):
        self.project = project
        self.source = source
        self.result = Curation()
        self.syntax = FigureSyntax([])
        self.indicators: dict[str, Row] = {}

    def problem(self, shown: str, line: int | None, message: str, hint: str, code: str) -> None:
        self.result.problems.append(Problem(shown, message, hint, code, line=line))

    def read(self) -> Curation:
        """Read units, indicators and every table of the curation."""
        self.result.tables["units"] = self.read_units()
        self.syntax = FigureSyntax(unit.label for unit in self.result.units.values())
        self.result.tables["indicators"] = self.read_indicators()
        for table in ("results", "targets"):
            self.result.tables[table] = self.read_observations(table)
        self.result.tables["projects"] = self.read_statements("projects", self.project_row)
        self.result.tables["honors"] = self.read_statements("honors", self.honor_row)
        for table, rows in self.result.tables.items():
            self.check_ids(table, rows)
        return self.result

    # -- files ---------------------------------------------------------------------------

    def load(self, name: str, shape: type) -> tuple[str, Any]:
        shown = self.project.relative(self.project.curated(name))
        document = read_yaml(self.project.curated(name), shown)
        if not isinstance(document, shape):
            self.problem(shown, None, f"must hold a YAML {shape.__name__}",
                         "see docs/curation.md for the layout of this file", "curation-shape")
            return shown, shape()
        return shown, document

    def entries(self, shown: str, items: Any, what: str) -> list[Row]:
        """The mappings of a YAML list, reporting anything else."""
        if not isinstance(items, list):
            self.problem(shown, None, f"'{what}' must be a list", "see docs/curation.md",
                         "curation-shape")
            return []
        good = [item for item in items if isinstance(item, dict)]
        if len(good) != len(items):
            self.problem(shown, None, f"every entry of '{what}' must be a mapping",
                         "see docs/curation.md", "curation-shape")
        return good

    def keys(self, shown: str, raw: Row, required: set[str], optional: set[str] = set()) -> bool:
        line = raw.get(LINE)
        present = set(raw) - {LINE}
        for key in sorted(present - required - optional):
            self.problem(shown, line, f"unknown key '{key}'",
                         f"use only {', '.join(sorted(required | optional))}", "unknown-key")
        for key in sorted(required - present):
            self.problem(shown, line, f"'{key}' is missing", f"add '{key}'", "missing-key")
        return required <= present

    # -- units and indicators ------------------------------------------------------------

    def read_units(self) -> list[Row]:
        shown, document = self.load("units", list)
        rows = []
        for raw in self.entries(shown, document, "units"):
            if not self.keys(shown, raw, {"id", "label", "base", "multiplier", "kind"},
                             {"code", "code_system"}):
                continue
            multiplier = parse_multiplier(raw["multiplier"])
            if multiplier is None:
                self.problem(shown, raw[LINE], f"multiplier {raw['multiplier']!r} is not a "
                             "positive decimal string", 'quote it, e.g. multiplier: "10000"',
                             "bad-multiplier")
                continue
            unit = Unit(str(raw["id"]), str(raw["label"]), str(raw["base"]), multiplier,
                        str(raw["kind"]), raw.get("code"), raw.get("code_system"))
            self.result.units[unit.id] = unit
            rows.append({"id": unit.id, "label_zh": unit.label, "base_unit": unit.base,
                         "multiplier": format_decimal(multiplier), "quantity_kind": unit.kind,
                         "code": unit.code, "code_system": unit.code_system,
                         ORIGIN: f"{shown}:{raw[LINE]}"})
            if unit.base not in {u["id"] for u in document if isinstance(u, dict)}:
                self.problem(shown, raw[LINE], f"base unit '{unit.base}' is not a unit",
                             "declare the base unit in this file", "unknown-unit")
        return rows

    def read_indicators(self) -> list[Row]:
        shown, document = self.load("indicators", list)
        rows = []
        for raw in self.entries(shown, document, "indicators"):
            if not self.keys(shown, raw, {"id", "name", "kind"}, {"unit"}):
                continue
            unit = raw.get("unit")
            if unit is not None and self.base_unit(shown, raw[LINE], unit) is None:
                continue
            row = {"id": raw["id"], "name_zh": raw["name"], "kind": raw["kind"], "unit": unit,
                   ORIGIN: f"{shown}:{raw[LINE]}"}
            self.indicators[str(raw["id"])] = row
            rows.append(row)
        return rows

    def base_unit(self, shown: str, line: int, unit_id: Any) -> Unit | None:
        unit = self.result.units.get(str(unit_id))
        if unit is None:
            self.problem(shown, line, f"unknown unit '{unit_id}'",
                         "use a unit id from curation/units.yaml, or declare it there",
                         "unknown-unit")
        elif unit.base != unit.id:
            self.problem(shown, line, f"unit '{unit_id}' is not a base unit",
                         f"use its base unit '{unit.base}'", "not-base-unit")
            return None
        return unit

    # -- statements ----------------------------------------------------------------------

    def statement(self, shown: str, raw: Row) -> Statement | None:
        """The verified quote of a statement, or None after reporting why not."""
        line = raw.get(LINE)
        if not isinstance(raw.get("quote"), str) or not isinstance(raw.get("line"), int):
            self.problem(shown, line, "a statement needs a 'quote' (text) and a 'line' (number)",
                         "copy the quote from the source and give the line it starts on",
                         "missing-key")
            return None
        located = self.source.locate(raw["quote"], raw["line"])
        if isinstance(located, str):
            self.problem(shown, line, f"{located}: {raw['quote']}",
                         "copy the quote verbatim from the source and give the line it "
                         "starts on", "quote-not-in-source")
            return None
        marks = raw["quote"]
        start = raw.get("sentence_start")
        if start is not None:
            lead = self.sentence_start(shown, line, start, located)
            if lead is None:
                return None
            marks = lead + marks
        estimate, aspirational = modality(marks)
        return Statement(raw["quote"], raw["line"], located, self.syntax.figures(raw["quote"]),
                         estimate, aspirational)

    def sentence_start(self, shown: str, line: int, raw: Any, quote: Span) -> str | None:
        if not isinstance(raw, dict) or not {"quote", "line"} <= set(raw):
            self.problem(shown, line, "sentence_start needs 'quote' and 'line'",
                         "see docs/curation.md", "missing-key")
            return None
        located = self.source.locate(str(raw["quote"]), raw["line"])
        if isinstance(located, str) or located.start > quote.start:
            why = located if isinstance(located, str) else "it comes after the quote"
            self.problem(shown, raw.get(LINE, line), f"sentence_start: {why}",
                         "quote the start of the sentence, before the figure's fragment",
                         "quote-not-in-source")
            return None
        return str(raw["quote"])

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
        if not isinstance(number, int) or not 1 <= number <= len(figures):
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

    # -- tables --------------------------------------------------------------------------

    def read_observations(self, table: str) -> list[Row]:
        """results.yaml or targets.yaml: sections of statements of rows."""
        shown, document = self.load(table, dict)
        if not self.keys(shown, {**document, LINE: 1}, {"year", "sections"}):
            return []
        flag = "estimate" if table == "results" else "aspirational"
        rows = []
        for section in self.entries(shown, document["sections"], "sections"):
            if not self.keys(shown, section, {"section", "statements"}):
                continue
            for raw in self.entries(shown, section["statements"], "statements"):
                if not self.keys(shown, raw, {"quote", "line", "rows"}, {"sentence_start"}):
                    continue
                statement = self.statement(shown, raw)
                for row in self.entries(shown, raw["rows"], "rows") if statement else []:
                    made = self.observation(shown, row, statement, table == "targets")
                    if made:
                        made.update(year=document["year"], section_zh=section["section"],
                                    **{flag: getattr(statement, flag)})
                        rows.append(made)
        return rows

    def observation(self, shown: str, raw: Row, statement: Statement,
                    qualitative_allowed: bool) -> Row | None:
        line = raw[LINE]
        if not self.keys(shown, raw, {"id", "indicator"}, {"figure", "unit"}):
            return None
        indicator = self.indicators.get(str(raw["indicator"]))
        if indicator is None:
            self.problem(shown, line, f"unknown indicator '{raw['indicator']}'",
                         "use an id from curation/indicators.yaml, or declare it there",
                         "unknown-indicator")
            return None
        row = {"id": raw["id"], "indicator": raw["indicator"], "source_quote": statement.quote,
               "source_line": statement.line, ORIGIN: f"{shown}:{line}"}
        if not statement.figures and raw.get("figure") is None and qualitative_allowed:
            return row | {"value": None, "unit": None, "value_base": None, "qualifier": None}
        figure = self.pick(shown, line, statement, raw.get("figure"))
        unit = figure and self.unit_of(shown, line, figure, raw.get("unit"))
        if figure is None or unit is None:
            return None
        if indicator["unit"] != unit.base:
            self.problem(shown, line, f"figure {figure.text!r} is in {unit.label} (base "
                         f"'{unit.base}') but indicator '{raw['indicator']}' is measured in "
                         f"'{indicator['unit']}'", "pick the right figure or indicator",
                         "unit-mismatch")
            return None
        return row | self.figure_cells(figure, unit)

    @staticmethod
    def figure_cells(figure: Figure, unit: Unit) -> Row:
        return {"value": str(figure.value), "unit": unit.id,
                "value_base": format_decimal(unit.to_base(figure.value)),
                "qualifier": figure.qualifier.value}

    def read_statements(self, table: str, make: Any) -> list[Row]:
        """projects.yaml or honors.yaml: statements of rows."""
        shown, document = self.load(table, dict)
        if not self.keys(shown, {**document, LINE: 1}, {"statements"}):
            return []
        rows = []
        for raw in self.entries(shown, document["statements"], "statements"):
            if not self.keys(shown, raw, {"quote", "line", "rows"}, {"sentence_start"}):
                continue
            statement = self.statement(shown, raw)
            for row in self.entries(shown, raw["rows"], "rows") if statement else []:
                made = make(shown, row, statement)
                if made:
                    rows.append(made | {"source_quote": statement.quote,
                                        "source_line": statement.line,
                                        ORIGIN: f"{shown}:{row[LINE]}"})
        return rows

    def honor_row(self, shown: str, raw: Row, statement: Statement) -> Row | None:
        if not self.keys(shown, raw, {"id", "year", "recipient", "honor", "level"}):
            return None
        return {"id": raw["id"], "year": raw["year"], "recipient_zh": raw["recipient"],
                "honor_zh": raw["honor"], "level": raw["level"],
                "repeat": REPEAT_MARK in statement.quote}

    def project_row(self, shown: str, raw: Row, statement: Statement) -> Row | None:
        if not self.keys(shown, raw, {"id", "year", "status", "name"}, {"places", "figures"}):
            return None
        places = raw.get("places") or []
        row = {"id": raw["id"], "year": raw["year"], "status": raw["status"],
               "name_zh": raw["name"], "places_zh": places,
               "aspirational": statement.aspirational}
        figures = raw.get("figures") or {}
        if not isinstance(figures, dict):
            self.problem(shown, raw[LINE], "'figures' must map columns to figure numbers",
                         "e.g. figures: {project_count: 1, annual_investment: 2}",
                         "curation-shape")
            return None
        figures = {k: v for k, v in figures.items() if k != LINE}
        for column, number in figures.items():
            cells = self.project_figure(shown, raw[LINE], statement, column, number)
            if cells is None:
                return None
            row.update(cells)
        return row

    def project_figure(self, shown: str, line: int, statement: Statement, column: str,
                       number: Any) -> Row | None:
        if column not in PROJECT_FIGURES:
            self.problem(shown, line, f"unknown figure column '{column}'",
                         f"use {', '.join(PROJECT_FIGURES)}", "unknown-key")
            return None
        figure = self.pick(shown, line, statement, number)
        unit = figure and self.unit_of(shown, line, figure, None)
        if figure is None or unit is None:
            return None
        if unit.kind != PROJECT_FIGURES[column]:
            self.problem(shown, line, f"figure {figure.text!r} cannot be {column}: it is a "
                         f"{unit.kind}", "pick another figure", "unit-mismatch")
            return None
        if column == "project_count":
            if figure.value != figure.value.to_integral_value():
                self.problem(shown, line, f"{figure.text!r} is not a whole number of projects",
                             "pick another figure", "unit-mismatch")
                return None
            return {column: int(unit.to_base(figure.value)),
                    f"{column}_qualifier": figure.qualifier.value}
        return {column: str(figure.value), f"{column}_unit": unit.id,
                f"{column}_base": format_decimal(unit.to_base(figure.value)),
                f"{column}_qualifier": figure.qualifier.value}

    def check_ids(self, table: str, rows: list[Row]) -> None:
        seen: dict[str, str] = {}
        for row in rows:
            shown, _, line = row[ORIGIN].rpartition(":")
            key = str(row["id"])
            if not SLUG.match(key):
                self.problem(shown, int(line), f"id {key!r} is not a lowercase slug",
                             "use a-z, 0-9 and single hyphens", "bad-id")
            if key in seen:
                self.problem(shown, int(line), f"duplicate id '{key}' in {table} (first at "
                             f"{seen[key]})", "give each row its own stable id", "duplicate-id")
            seen.setdefault(key, row[ORIGIN])


# The figure columns of projects, with the kind of unit each must be printed in.
PROJECT_FIGURES = {"project_count": "count", "total_investment": "currency",
                   "annual_investment": "currency", "threshold_investment": "currency"}


def read_curation(project: Project, source: Source) -> Curation:
    """Every table the curation of ``project`` declares, with all problems found."""
    return Reader(project, source).read()
