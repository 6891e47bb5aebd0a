"""Every base value is exactly value × multiplier of its unit."""

from __future__ import annotations

from opendata.checks.provenance import FIGURE_COLUMNS
from opendata.figures import format_decimal
from opendata.package import PublishedPackage, decimal
from opendata.problems import Problem


def check(package: PublishedPackage) -> list[Problem]:
    problems = []
    for table, all_columns in FIGURE_COLUMNS.items():
        path = package.path_of(table) or table
        for number, row in enumerate(package.rows(table), start=2):
            for columns in all_columns:
                if not (columns.unit and columns.base):
                    continue
                value, base = decimal(row.get(columns.value)), decimal(row.get(columns.base))
                unit = package.units.get(row.get(columns.unit, ""))
                if value is None or unit is None:
                    if base is not None and value is None:
                        problems.append(Problem(path, f"{columns.base} is set but "
                                        f"{columns.value} is empty", "rebuild the package",
                                        "base-value", row=number, field=columns.base))
                    continue
                expected = unit.to_base(value)
                if base != expected:
                    problems.append(Problem(
                        path, f"{columns.base} is {row.get(columns.base) or 'empty'}, but "
                        f"{value} {unit.label} is {format_decimal(expected)} {unit.base}",
                        "rebuild with `opendata build`", "base-value", row=number,
                        field=columns.base))
    return problems
