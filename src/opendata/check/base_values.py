"""Every base value is exactly value × multiplier of its unit."""

from __future__ import annotations

from opendata.check.provenance import Row
from opendata.check.published import PublishedPackage, decimal
from opendata.csvfile import Table
from opendata.curate.figures import format_decimal
from opendata.problems import Problem


class Checker:
    """Checks rows one at a time, so that no table need be held in memory."""

    def __init__(self, package: PublishedPackage):
        self.units = package.units
        self.shape = package.shape
        self.problems: list[Problem] = []

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None:
        """The function that checks one row of ``table`` (the file at ``path``)."""
        if table == "units" and columns is not None:
            return self._multipliers(columns, path)
        converted = [c for c in self.shape.figures(table) if c.unit and c.base]
        if not converted or columns is None:
            return None
        at, units, problems = columns.position, self.units, self.problems
        specs = [(c, at(c.value), at(c.base), at(c.unit)) for c in converted
                 if c.unit and c.base]

        def row(number: int, cells: list) -> None:
            for figure, value_at, base_at, unit_at in specs:
                value_text, base_text = cells[value_at], cells[base_at]
                if not value_text and not base_text:
                    continue  # nothing published
                unit = units.get(cells[unit_at])
                value, base = decimal(value_text), decimal(base_text)
                if value is None or unit is None:
                    if base is not None and value is None:
                        problems.append(Problem(
                            path, f"{figure.base} is set but {figure.value} is empty",
                            "rebuild the package", "base-value", row=number,
                            field=figure.base))
                    continue
                expected = unit.to_base(value)
                if base != expected:
                    problems.append(Problem(
                        path, f"{figure.base} is {base_text or 'empty'}, but "
                        f"{value} {unit.label} is {format_decimal(expected)} {unit.base}",
                        "rebuild with `opendata build`", "base-value", row=number,
                        field=figure.base))
        return row

    def _multipliers(self, columns: Table, path: str) -> Row | None:
        """A multiplier is greater than 0. The schema says only ``minimum: 0``, because
        frictionless 4 does not know ``exclusiveMinimum``; this check keeps the stricter rule."""
        if "multiplier" not in (columns.header or []):
            return None
        multiplier_at, id_at = columns.position("multiplier"), columns.position("id")
        problems = self.problems

        def row(number: int, cells: list) -> None:
            multiplier = decimal(cells[multiplier_at])
            if multiplier is not None and multiplier <= 0:
                unit = cells[id_at]
                problems.append(Problem(
                    path, f"multiplier {cells[multiplier_at]} of unit {unit!r} is not greater "
                    "than 0", "give the unit's exact positive factor to its base unit in "
                    "curation/units.yaml and rebuild", "constraint-error", row=number,
                    field="multiplier"))
        return row
