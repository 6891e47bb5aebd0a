"""Published tables as typed rows, and how the unit of each figure column is given.

Shared by the exports and the site; everything is read from the Table Schema and the
figure declaration of the resource (``opendata:quoted``), no column names are written here.
"""

from __future__ import annotations

import re
from typing import Any

from opendata.check.published import PublishedPackage, decimal
from opendata.exceptions import OpendataError
from opendata.shape import Table

# Table Schema's defaults
TRUE_VALUES, FALSE_VALUES = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")
INTEGER = re.compile(r"[+-]?[0-9]+")


def table_resources(descriptor: dict) -> list[dict]:
    """The resources with a Table Schema, in descriptor order."""
    return [r for r in descriptor.get("resources", []) if "schema" in r]


def typed_tables(package: PublishedPackage) -> dict[str, list[list[Any]]]:
    """Every table of the package as rows of typed values, by name: read once, for every
    export (XLSX, SQLite). See ``typed_rows``."""
    return {resource["name"]: typed_rows(package, resource)
            for resource in table_resources(package.descriptor)}


def typed_rows(package: PublishedPackage, resource: dict) -> list[list[Any]]:
    """The rows of table ``resource`` as values of its fields' types, in schema order.

    integer → int, number → exact Decimal as printed, boolean → bool, a missing value → None,
    any other type → its text. Raises OpendataError when the header or a cell does not match
    the schema: the package must pass ``opendata validate`` first, which checks every cell
    as frictionless reads it (publish does), and constraints and keys as well.
    """
    path = resource.get("path", resource["name"])
    schema = resource["schema"]
    fields = schema["fields"]
    names = [field["name"] for field in fields]
    missing = _missing_values(schema)
    rows = package.rows(resource["name"])
    header = [name for name in rows[0] if name is not None] if rows else []
    if rows and header != names:
        raise OpendataError(f"{path}: the header {header} does not match the schema; "
                            "run `opendata validate`")
    typed = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values: list[Any] = []
        for field in fields:
            text = row[field["name"]]
            if text is None or text in missing:
                values.append(None)
                continue
            value = typed_value(field, text)
            if value is None:
                raise OpendataError(
                    f"{path}: row {number}, field {field['name']}: {text!r} is not of its "
                    f"type ({field.get('type', 'any')}); run `opendata validate`")
            values.append(value)
        typed.append(values)
    return typed


def typed_value(field: dict, text: str) -> Any:
    """A cell's text as a value of its field's type, as the build writes each type (see
    ``csvfile.cell``); None when it is not of that type."""
    kind = field.get("type", "any")
    if kind == "integer":
        return int(text) if INTEGER.fullmatch(text) else None
    if kind == "number":
        return decimal(text)
    if kind == "boolean":
        if text in field.get("trueValues", TRUE_VALUES):
            return True
        return False if text in field.get("falseValues", FALSE_VALUES) else None
    return text


def _missing_values(schema: dict) -> set[str]:
    """The texts that stand for a missing value (Table Schema v2 also allows them as objects
    with a label)."""
    declared = schema.get("missingValues", [""])
    return {str(v["value"]) if isinstance(v, dict) else str(v) for v in declared}


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
