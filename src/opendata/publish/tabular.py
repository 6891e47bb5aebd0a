"""Published tables as typed rows, and how the unit of each figure column is given.

Shared by the exports and the site; everything is read from the Table Schema and the
figure declaration of the resource (``opendata:quoted``), no column names are written here.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from frictionless import Package

from opendata.exceptions import OpendataError
from opendata.shape import Table


def table_resources(descriptor: dict) -> list[dict]:
    """The resources with a Table Schema, in descriptor order."""
    return [r for r in descriptor.get("resources", []) if "schema" in r]


def typed_rows(descriptor: dict, root: Path, name: str) -> list[list[Any]]:
    """The rows of table ``name`` as values of its fields' types, in schema order.

    integer → int, number → exact Decimal as printed, boolean → bool, a missing value → None.
    Raises OpendataError when the header or a cell does not match the schema: the package
    must pass ``opendata validate`` first.
    """
    resource = Package(copy.deepcopy(descriptor),
                       basepath=str(root)).get_table_resource(name)
    with resource:
        if not resource.header.valid:
            raise OpendataError(f"{resource.path}: the header {resource.header.to_list()} does "
                                f"not match the schema; run `opendata validate`")
        rows = list(resource.row_stream)
    for row in rows:
        for error in row.errors:
            if error.type == "type-error":
                raise OpendataError(
                    f"{resource.path}: row {error.row_number}, field {error.field_name}: "
                    f"{error.cell!r} is not of its type ({error.note}); run `opendata validate`")
    return [row.to_list() for row in rows]


def figure_unit(resource: dict, name: str) -> tuple[str, str] | None:
    """How the unit of column ``name`` is given: ``("unit", column)`` when ``column`` holds it,
    ``("base", column)`` when ``name`` is in the base unit of the unit in ``column``; None when
    ``name`` is no figure with a unit column.
    """
    for figure in Table(resource).figures:
        if figure.unit and name == figure.value:
            return ("unit", figure.unit)
        if figure.unit and name == figure.base:
            return ("base", figure.unit)
    return None


def unit_note(resource: dict, name: str) -> str:
    """The unit of column ``name`` in both languages; empty when it is no figure."""
    unit = figure_unit(resource, name)
    if unit is None:
        return ""
    kind, column = unit
    if kind == "unit":
        return f"in the unit given by `{column}` · 单位见 `{column}` 列"
    return f"in the base unit of the unit in `{column}` · 以 `{column}` 列单位的基本单位计"
