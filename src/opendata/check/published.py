"""A built package as published: descriptor, tables and source, read once for the checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from opendata import csvfile
from opendata.curate.figures import FigureSyntax
from opendata.curate.source import Source
from opendata.curate.units import Unit
from opendata.profile import SOURCE_RESOURCE
from opendata.shape import Shape


@dataclass
class PublishedPackage:
    """The descriptor at ``root``/datapackage.json with its files."""

    root: Path
    descriptor: dict[str, Any] = field(default_factory=dict)
    descriptor_name: str = "datapackage.json"
    _rows: dict[str, list[dict[str, str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, descriptor_path: Path, allow_network: bool = False) -> PublishedPackage:
        """Read a descriptor (JSON or YAML); raises OpendataError when it is no bounded
        object or a reference in it is unsafe (see ``guard``)."""
        from opendata.check.guard import check_resources, read_descriptor

        descriptor = read_descriptor(descriptor_path)
        check_resources(descriptor, descriptor_path.parent, str(descriptor_path), allow_network)
        return cls(descriptor_path.parent, descriptor, descriptor_path.name)

    def resource(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.descriptor.get("resources", [])
                     if isinstance(r, dict) and r.get("name") == name), None)

    def path_of(self, name: str) -> str | None:
        resource = self.resource(name)
        path = resource.get("path") if resource else None
        return path if isinstance(path, str) else None

    def local_path(self, name: str) -> Path | None:
        """The file of resource ``name``; None when it is not a local file in the package.

        Paths that are URLs, absolute or lead out of the package are never read here
        (frictionless reports them).
        """
        path = self.path_of(name)
        if path is None or "://" in path:
            return None
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None
        return target

    def read_bytes(self, name: str) -> bytes | None:
        """The content of resource ``name``; None when it is not a local file in the package."""
        target = self.local_path(name)
        try:
            return target.read_bytes() if target is not None else None
        except OSError:
            return None  # frictionless reports the missing file

    def open_file(self, name: str) -> BinaryIO | None:
        """Resource ``name`` opened for reading bytes; None when it cannot be read."""
        target = self.local_path(name)
        try:
            return open(target, "rb") if target is not None else None
        except OSError:
            return None  # frictionless reports the missing file

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows of table ``name`` as strings (read once); empty when it is absent."""
        if name not in self._rows:
            self._rows[name] = list(self.iter_rows(name))
        return self._rows[name]

    def iter_rows(self, name: str) -> Iterator[dict[str, str]]:
        """The rows of table ``name`` as strings, streamed from the file (not kept)."""
        if name in self._rows:
            yield from self._rows[name]
            return
        handle = self.open_file(name)
        if handle is None:
            return
        with handle:
            yield from csvfile.stream(handle, self.path_of(name))

    @contextmanager
    def table(self, name: str) -> Iterator[csvfile.Table | None]:
        """The rows of table ``name`` as lists, streamed; None when it cannot be read."""
        handle = self.open_file(name)
        if handle is None:
            yield None
            return
        with handle:
            yield csvfile.Table(handle, self.path_of(name))

    @cached_property
    def shape(self) -> Shape:
        """The tables the descriptor declares, with their quoted figures."""
        return Shape.from_descriptor(self.descriptor)

    @cached_property
    def source(self) -> Source | None:
        target = self.local_path(SOURCE_RESOURCE)
        try:
            if target is None or not target.stat().st_size:
                return None
            with open(target, "rb"):
                pass  # readable
        except OSError:
            return None
        return Source.from_file(target, errors="replace")

    @cached_property
    def units(self) -> dict[str, Unit]:
        units = {}
        for row in self.iter_rows("units"):
            multiplier = decimal(row.get("multiplier"))
            if multiplier is not None and row.get("id"):
                units[row["id"]] = Unit(row["id"], row.get("label_zh", ""),
                                        row.get("base_unit", ""), multiplier,
                                        row.get("quantity_kind", ""))
        return units

    @cached_property
    def syntax(self) -> FigureSyntax:
        return FigureSyntax(unit.label for unit in self.units.values())


def decimal(text: str | None) -> Decimal | None:
    """A cell as an exact Decimal, or None when empty or not a number."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
