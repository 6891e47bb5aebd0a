"""Table files as published: UTF-8 without BOM, LF line endings, a header row."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from opendata import tables


def cell(value: Any, delimiter: str = ",") -> str:
    """The CSV text of one cell: empty for None, true/false, lists joined by ``delimiter``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delimiter.join(cell(v) for v in value)
    return str(value)


def render(name: str, rows: Iterable[dict[str, Any]]) -> bytes:
    """The CSV bytes of table ``name``: its schema's columns, in order."""
    columns = tables.field_names(name)
    delimiters = tables.list_fields(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c), delimiters.get(c, ",")) for c in columns])
    return buffer.getvalue().encode("utf-8")


def read(content: bytes) -> list[dict[str, str]]:
    """Rows of a published CSV as strings keyed by column (encoding checked elsewhere)."""
    text = content.decode("utf-8-sig", errors="replace")  # a BOM is reported by checks.files
    return list(csv.DictReader(io.StringIO(text, newline="")))
