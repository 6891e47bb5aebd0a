"""Every flag and inferred unit of a published row rests on words the row publishes.

A reader holds only the row: its ``source_quote`` and, where the words that govern it stand
outside the figure's clause, the context its table declares (``context_quote``). So the
mark of a flag (预计, 力争) must be in one of them when the flag is true, and absent when
false; a figure's own flag follows the mark only where the mark comes before the figure;
a row flag over figures must not claim more than they do (a statement that mixes firm and
力争 figures is not 力争 as a whole); and a unit the quote does not print in full is marked
as inferred. What is declared where comes from the table's ``opendata:quoted``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from opendata.check.provenance import Row
from opendata.check.published import PublishedPackage
from opendata.csvfile import Table
from opendata.curate.figures import Figure
from opendata.curate.script import fold
from opendata.curate.units import Unit
from opendata.problems import Problem

# Reports a problem of one row: (field, message, hint, code).
AddProblem = Callable[[str, str, str, str], None]

TRUE = "true"


class Checker:
    """Checks the evidence of rows one at a time."""

    def __init__(self, package: PublishedPackage):
        self.package = package
        self.problems: list[Problem] = []
        # the first unit of each printed label, for figures of a column without units
        self.unit_printed_as: dict[str, Unit] = {}
        for unit in package.units.values():
            self.unit_printed_as.setdefault(unit.label, unit)

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None:
        """The function that checks one row of ``table``; None when it quotes nothing."""
        declared = self.package.shape.tables.get(table)
        if columns is None or declared is None or not declared.quoted or not columns.header:
            return None
        header = columns.header
        at = columns.position
        quote_at = at("source_quote")
        context = declared.context.get("quote")
        context_at = at(context) if context in header else None
        flags = [(name, mark) for name, mark in declared.flags.items() if name in header]
        # marks are read in simplified script, as the build reads them (力爭 is 力争)
        folded_marks = {flag: fold(mark) for flag, mark in declared.flags.items()}
        # each figure's columns, where the row has them: value, unit, inferred, flags
        figures = [(f, at(f.value), at(f.unit) if f.unit in header else None,
                    at(f.inferred) if f.inferred in header else None,
                    [(flag, column, at(column), folded_marks.get(flag, ""))
                     for flag, column in f.flags.items() if column in header])
                   for f in declared.figures if f.value in header]

        def row(number: int, cells: list) -> None:
            quote = cells[quote_at] or ""
            words = fold(cells[context_at] or "") if context_at is not None else ""
            folded = fold(quote)
            problem = self._problem(path, number)
            governed: dict[str, list[bool]] = {}
            # parsed once for every figure column (the syntax remembers it from provenance)
            printed = self.package.syntax.figures(quote) if figures else ()
            for figure_columns, value_at, unit_at, inferred_at, figure_flags in figures:
                value = cells[value_at]
                unit = self.package.units.get(cells[unit_at]) if unit_at is not None else None
                figure = self.find(printed, value, unit) if value else None
                if figure is None:
                    continue  # no figure, or provenance reports one its quote does not print
                if figure_columns.inferred and inferred_at is not None and unit is not None:
                    self.check_unit(cells[inferred_at], figure, unit, figure_columns.inferred,
                                    problem)
                for flag, column, column_at, mark in figure_flags:
                    expected = mark in words or mark in folded[:figure.start]  # quotes are squashed
                    governed.setdefault(flag, []).append(expected)
                    if (cells[column_at] == TRUE) != expected:
                        problem(column, f"{column} is {cells[column_at]} but {mark} "
                                f"{'governs' if expected else 'does not govern'} "
                                f"{figure.text!r} in the published quote and context",
                                "flag each figure by the words before it, and rebuild",
                                "flag-without-evidence")
            for name, mark in flags:
                stated = cells[at(name)] == TRUE
                if governed.get(name):
                    if stated and not all(governed[name]):
                        problem(name, f"{name} is true for the whole row, but only some of "
                                f"its figures are {mark}", f"flag the row by its figures: "
                                f"{name} only when every figure is {mark}", "mixed-flag")
                    continue
                expected = folded_marks[name] in folded or folded_marks[name] in words
                if stated != expected:
                    problem(name, f"{name} is {cells[at(name)]} but {mark} is "
                            f"{'' if expected else 'not '}in the published quote"
                            f"{' or context' if context_at is not None else ''}",
                            "publish the words that govern the row as its context, and "
                            "rebuild", "flag-without-evidence")
        return row

    @staticmethod
    def check_unit(stated: str, figure: Figure, unit: Unit, column: str,
                   problem: AddProblem) -> None:
        printed_in_full = figure.unit == unit.label
        if (stated == TRUE) == printed_in_full:
            problem(column, f"{column} is {stated} but the quote prints {figure.text!r} for "
                    f"unit {unit.label}", "mark a unit the quote does not print in full as "
                    "inferred, and rebuild", "unit-inference-unmarked")

    def find(self, figures: tuple[Figure, ...], value: str, unit: Unit | None) -> Figure | None:
        """The first of a quote's ``figures`` that prints ``value`` in ``unit`` (a count in
        base units, when the figure has no unit column)."""
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        for figure in figures:
            if unit is not None:
                if figure.value == number and unit.prints_as(figure.unit):
                    return figure
                continue
            printed = self.unit_printed_as.get(figure.unit) if figure.unit else None
            if printed is not None and printed.to_base(figure.value) == number:
                return figure
        return None

    def _problem(self, path: str, number: int) -> AddProblem:
        def add(field: str, message: str, hint: str, code: str) -> None:
            self.problems.append(Problem(path, message, hint, code, row=number, field=field))
        return add
