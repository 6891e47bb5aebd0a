"""A built package as published: descriptor, tables and source, read once for the checks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from opendata import csvfile
from opendata.descriptor import SOURCE_RESOURCE
from opendata.exceptions import OpendataError
from opendata.figures import FigureSyntax
from opendata.source import Source
from opendata.units import Unit


@dataclass
class PublishedPackage:
    """The descriptor at ``root``/datapackage.json with its files."""

    root: Path
    descriptor: dict[str, Any] = field(default_factory=dict)
    _rows: dict[str, list[dict[str, str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, descriptor_path: Path) -> PublishedPackage:
        """Read a descriptor; raises OpendataError when it is not a JSON object."""
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise OpendataError(f"{descriptor_path}: not a readable JSON descriptor ({error})")
        if not isinstance(descriptor, dict):
            raise OpendataError(f"{descriptor_path}: the descriptor must be a JSON object")
        return cls(descriptor_path.parent, descriptor)

    def resource(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.descriptor.get("resources", [])
                     if isinstance(r, dict) and r.get("name") == name), None)

    def path_of(self, name: str) -> str | None:
        resource = self.resource(name)
        path = resource.get("path") if resource else None
        return path if isinstance(path, str) else None

    def read_bytes(self, name: str) -> bytes | None:
        """The content of resource ``name``; None when it is not a local file in the package.

        Paths that are URLs, absolute or lead out of the package are never read here
        (frictionless reports them).
        """
        path = self.path_of(name)
        if path is None or "://" in path:
            return None
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None
        try:
            return target.read_bytes()
        except OSError:
            return None  # frictionless reports the missing file

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows of table ``name`` as strings (read once); empty when it is absent."""
        if name not in self._rows:
            content = self.read_bytes(name)
            self._rows[name] = csvfile.read(content) if content is not None else []
        return self._rows[name]

    @cached_property
    def source(self) -> Source | None:
        content = self.read_bytes(SOURCE_RESOURCE)
        return Source(content.decode("utf-8", errors="replace")) if content else None

    @cached_property
    def units(self) -> dict[str, Unit]:
        units = {}
        for row in self.rows("units"):
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
