"""Table files as published: UTF-8 without BOM, LF line endings, a header row.

Every table is read through ``stream`` or ``Table``, which turn anything the csv module
cannot read (a NUL byte, a cell over its field limit) into InvalidData naming the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, cast

from opendata import shape
from opendata.exceptions import InvalidData
from opendata.problems import Problem


def unreadable(handle: BinaryIO, shown: str | None, error: csv.Error,
               line: int | None = None) -> InvalidData:
    """The csv module's ``error`` on ``handle`` as a problem of its file (``shown``)."""
    name = shown or str(getattr(handle, "name", "table"))
    return InvalidData([Problem(name, f"cannot be read as CSV: {error}",
                                "write it as a plain UTF-8 CSV", "csv-error", line=line)])


def cell(value: Any, delimiter: str = ",") -> str:
    """The CSV text of one cell: empty for None, true/false, lists joined by ``delimiter``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delimiter.join(cell(v) for v in value)
    return str(value)


def render(table: shape.Table, rows: Iterable[dict[str, Any]]) -> bytes:
    """The CSV bytes of ``table``: its schema's columns, in order."""
    columns = table.field_names
    delimiters = table.list_fields
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c), delimiters.get(c, ",")) for c in columns])
    return buffer.getvalue().encode("utf-8")


def stream(handle: BinaryIO, shown: str | None = None) -> Iterator[dict[str, str]]:
    """The rows of a published CSV file, one at a time, as :func:`read` gives them."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(text)
    try:
        yield from reader
    except csv.Error as error:
        raise unreadable(handle, shown, error, reader.line_num) from None
    finally:
        text.detach()  # the caller closes ``handle``


class Table:
    """The rows of a CSV file as lists: what ``csv.DictReader`` reads, without the dicts.

    ``position(name)`` is where column ``name`` stands in every row (the last of equal
    names, as in DictReader's dicts). Each row is a list of ``width + 1`` cells: a short
    row is filled up with None, a long row is cut (DictReader keeps the extra cells
    apart), and the last cell is None, where the columns the header lacks point. Blank
    lines are skipped, as DictReader skips them.
    """

    def __init__(self, handle: BinaryIO, shown: str | None = None):
        self._text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace",
                                      newline="")
        self._handle, self._shown = handle, shown
        self._reader = csv.reader(self._text)
        try:
            self.header: list[str] | None = next(self._reader, None)
        except csv.Error as error:
            self._text.detach()
            raise unreadable(handle, shown, error, 1) from None
        self.width = len(self.header or [])
        self._index = {name: i for i, name in enumerate(self.header or [])}

    def position(self, name: str) -> int:
        return self._index.get(name, self.width)

    def __iter__(self) -> Iterator[list[str | None]]:
        if self.header is None:
            return
        width = self.width
        try:
            for read in self._reader:
                # the csv module's own list, padded with None in place (no copy per row)
                cells = cast("list[str | None]", read)
                size = len(cells)
                if not size:
                    continue
                if size == width:
                    cells.append(None)
                elif size < width:
                    cells.extend([None] * (width + 1 - size))
                else:
                    del cells[width:]
                    cells.append(None)
                yield cells
        except csv.Error as error:
            raise unreadable(self._handle, self._shown, error, self._reader.line_num) from None
        finally:
            self._text.detach()  # the caller closes the file
