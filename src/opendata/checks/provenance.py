"""Every quote is in the source at its line, and every figure is the one the quote prints."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from opendata.figures import Figure
from opendata.package import PublishedPackage, decimal
from opendata.problems import Problem
from opendata.source import Span

HONORS = "honors"  # an honour's quote covers the numbers in it (四个百强区, 五星级)


@dataclass(frozen=True)
class FigureColumns:
    """The columns that publish one figure of a row."""

    value: str
    unit: str | None = None
    base: str | None = None
    qualifier: str | None = None
    kind: str | None = None  # the unit kind, when the table has no unit column


FIGURE_COLUMNS: dict[str, list[FigureColumns]] = {
    "results": [FigureColumns("value", "unit", "value_base", "qualifier")],
    "targets": [FigureColumns("value", "unit", "value_base", "qualifier")],
    "projects": [
        FigureColumns("project_count", qualifier="project_count_qualifier", kind="count"),
        *(FigureColumns(m, f"{m}_unit", f"{m}_base", f"{m}_qualifier")
          for m in ("total_investment", "annual_investment", "threshold_investment")),
    ],
}
QUOTED_TABLES = (*FIGURE_COLUMNS, HONORS)


@dataclass(frozen=True)
class Use:
    """A stretch of the source that a published row uses."""

    table: str
    row_id: str
    column: str
    span: Span


@dataclass
class Trace:
    uses: list[Use]
    problems: list[Problem]

    def claimed(self, span: Span) -> bool:
        return any(use.span == span for use in self.uses)


def trace(package: PublishedPackage) -> Trace:
    """Where each published figure and honour stands in the source, and what does not."""
    result = Trace([], [])
    source = package.source
    if source is None:
        result.problems.append(Problem("datapackage.json", "the package has no 'source' "
                                       "resource to check quotes against",
                                       "add the source text as resource 'source'", "no-source"))
        return result
    for table in QUOTED_TABLES:
        path = package.path_of(table) or table
        for number, row in enumerate(package.rows(table), start=2):
            _trace_row(package, table, path, number, row, result)
    return result


def _trace_row(package: PublishedPackage, table: str, path: str, number: int,
               row: dict[str, str], result: Trace) -> None:
    quote, line = row.get("source_quote") or "", row.get("source_line") or ""
    located = package.source.locate(quote, int(line)) if line.isdigit() else "no line"
    if isinstance(located, str):
        result.problems.append(Problem(
            path, f"{located}: {quote}", "correct the quote or line in the curation and "
            "rebuild", "quote-not-in-source", row=number, field="source_quote"))
        return
    row_id = row.get("id", "")
    if table == HONORS:
        result.uses.append(Use(table, row_id, "source_quote", located))
        return
    figures = package.syntax.figures(quote)
    for columns in FIGURE_COLUMNS[table]:
        value = decimal(row.get(columns.value))
        if value is None:
            continue
        matching = [f for f in figures if _matches(package, f, columns, row, value)]
        spans = [Span(located.start + f.start, located.start + f.end) for f in matching]
        # Two rows may print the same value in one quote (公园1个、微公园游园1个): each
        # takes the first such figure no earlier row has taken.
        free = [span for span in spans if not result.claimed(span)]
        if not spans:
            printed = ", ".join(f.text for f in figures) or "no figure"
            stated = " ".join(filter(None, (row.get(columns.value), row.get(columns.unit or ""))))
            result.problems.append(Problem(
                path, f"{columns.value} {stated} disagrees with its quote, which prints {printed}",
                "correct the curation (the value is parsed from the quote) and rebuild",
                "figure-mismatch", row=number, field=columns.value))
            continue
        result.uses.append(Use(table, row_id, columns.value, (free or spans)[0]))


def _matches(package: PublishedPackage, figure: Figure, columns: FigureColumns,
             row: dict[str, str], value: Decimal) -> bool:
    """Whether ``figure`` is the one the row's ``columns`` publish."""
    if columns.qualifier and row.get(columns.qualifier) != figure.qualifier.value:
        return False
    if columns.unit:
        unit = package.units.get(row.get(columns.unit, ""))
        return unit is not None and unit.matches(figure, value)
    unit = next((u for u in package.units.values() if u.prints_as(figure.unit)), None)
    return unit is not None and unit.kind == columns.kind and unit.to_base(figure.value) == value


def check(package: PublishedPackage) -> list[Problem]:
    """Problems with quotes and figures."""
    return trace(package).problems
