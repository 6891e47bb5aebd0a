"""The shape of a report: its tables, and which columns of them form quoted figures.

A project declares its shape once, in ``schemas/<table>.json`` (one resource template per
table: name, title, description, Table Schema) and in the ``tables`` list of
``curation/package.yaml`` (which tables, in order). A table that carries quoted figures
says so in the namespaced property ``opendata:quoted`` of its resource template::

    "opendata:quoted": {
      "flags": {"estimate": "预计"},
      "figures": [{"value": "value", "unit": "unit", "base": "value_base",
                   "qualifier": "qualifier", "base_unit_of": "indicator"}]
    }

The build copies the property into ``datapackage.json``, so that everything reading a
built package (checks, site, exports, diff, loader) reads the same declaration from the
descriptor, never from code. The government-work-report table set ships with the toolkit
as the template a new project starts from (:func:`template_schemas`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from opendata.exceptions import InvalidData
from opendata.paths import Project
from opendata.problems import Problem

QUOTED = "opendata:quoted"  # the resource property that declares quotes and figures
QUOTE, LINE = "source_quote", "source_line"  # the columns every quoted table has
UNITS = "units"  # the table of units every figure's unit refers to

# The tables of the government-work-report template, in the order a package lists them.
TEMPLATE = ("results", "targets", "projects", "honors", "indicators", "units")


@dataclass(frozen=True)
class FigureColumns:
    """The columns that publish one figure of a row.

    ``value`` holds the number as printed, in the unit in column ``unit``, and ``base`` the
    same in the unit's base unit. A figure without a unit column is published in its base
    unit only, and ``kind`` says which kind of unit it must be printed in. ``base_unit_of``
    names a column referring to a row whose unit the figure's base unit must be (an
    indicator measured in percent takes only figures in percent).
    """

    value: str
    unit: str | None = None
    base: str | None = None
    qualifier: str | None = None
    kind: str | None = None
    base_unit_of: str | None = None
    inferred: str | None = None  # true when the quote does not print the unit in full
    flags: dict[str, str] = field(default_factory=dict)  # row flag → this figure's own flag

    @classmethod
    def from_declaration(cls, declared: dict[str, Any]) -> FigureColumns:
        flags = declared.get("flags")
        return cls(declared["value"], **{k: declared.get(k) for k in
                                         ("unit", "base", "qualifier", "kind", "base_unit_of",
                                          "inferred")},
                   flags=dict(flags) if isinstance(flags, dict) else {})

    @property
    def named(self) -> list[tuple[str, str]]:
        """Every column of the figure, the value first, with its key in the declaration."""
        return [(key, column) for key, column in (
            ("value", self.value), ("unit", self.unit), ("base", self.base),
            ("qualifier", self.qualifier), ("inferred", self.inferred),
            *((f"flags '{flag}'", column) for flag, column in self.flags.items())) if column]

    @property
    def columns(self) -> list[str]:
        """Every column of the figure, the value first."""
        return [column for _, column in self.named]


@dataclass(frozen=True)
class Table:
    """One table of a report: its resource template and what its figure columns are."""

    resource: dict[str, Any]

    @property
    def name(self) -> str:
        return self.resource["name"]

    @property
    def schema(self) -> dict[str, Any]:
        return self.resource.get("schema", {})

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema.get("fields", [])

    @property
    def field_names(self) -> list[str]:
        """The columns, in order."""
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any] | None:
        return next((f for f in self.fields if f["name"] == name), None)

    @property
    def bilingual_pairs(self) -> list[str]:
        """Stems of the ``<stem>_zh``/``<stem>_en`` column pairs."""
        names = self.field_names
        return [n[:-3] for n in names if n.endswith("_zh") and f"{n[:-3]}_en" in names]

    @property
    def list_fields(self) -> dict[str, str]:
        """The columns that hold several values, with their delimiters.

        They are strings with a ``delimiter`` property: the Data Package v2 profile has no
        list type.
        """
        return {f["name"]: f["delimiter"] for f in self.fields if "delimiter" in f}

    @property
    def quoted(self) -> bool:
        """Whether every row stands on a quote of the source (``source_quote``/``_line``)."""
        return isinstance(self.resource.get(QUOTED), dict)

    @property
    def figures(self) -> list[FigureColumns]:
        """The figures of a row, in the order declared."""
        declared = self.resource.get(QUOTED) or {}
        return [FigureColumns.from_declaration(f) for f in declared.get("figures", [])
                if isinstance(f, dict) and isinstance(f.get("value"), str)]

    @property
    def flags(self) -> dict[str, str]:
        """Boolean columns set when the statement carries a mark (``{"estimate": "预计"}``)."""
        declared = self.resource.get(QUOTED) or {}
        flags = declared.get("flags", {})
        return dict(flags) if isinstance(flags, dict) else {}

    @property
    def context(self) -> dict[str, str]:
        """The columns that publish the words outside the quote a row depends on
        (``{"quote": "context_quote", "line": "context_line"}``); empty when none."""
        declared = (self.resource.get(QUOTED) or {}).get("context")
        return dict(declared) if isinstance(declared, dict) else {}

    @property
    def compare(self) -> dict[str, Any]:
        """The comparison the table declares (``with``, ``by``, ``close``, ``note``); empty
        when none."""
        declared = (self.resource.get(QUOTED) or {}).get("compare")
        return dict(declared) if isinstance(declared, dict) else {}

    @property
    def terms_of(self) -> str | None:
        """The column referring to the row whose ``terms`` every quote (with its context)
        must contain: the words that define what the figure measures."""
        declared = (self.resource.get(QUOTED) or {}).get("terms_of")
        return declared if isinstance(declared, str) else None

    def references(self) -> dict[str, str]:
        """Columns that are a single-field foreign key, with the table they refer to."""
        found = {}
        for key in self.schema.get("foreignKeys", []):
            fields, target = key.get("fields"), key.get("reference", {}).get("resource")
            if isinstance(fields, str):
                fields = [fields]
            if isinstance(fields, list) and len(fields) == 1 and target:
                found[fields[0]] = target
        return found


@dataclass(frozen=True)
class Shape:
    """The tables of one report, in the order its package lists them."""

    tables: dict[str, Table] = field(default_factory=dict)

    @classmethod
    def from_resources(cls, resources_: list[dict[str, Any]]) -> Shape:
        """The shape of the table resources (those with a schema) of a list of resources."""
        return cls({r["name"]: Table(r) for r in resources_
                    if isinstance(r, dict) and isinstance(r.get("name"), str)
                    and isinstance(r.get("schema"), dict)})

    @classmethod
    def from_descriptor(cls, descriptor: dict[str, Any]) -> Shape:
        """The shape a built package declares in its descriptor."""
        listed = descriptor.get("resources") if isinstance(descriptor, dict) else None
        return cls.from_resources(listed if isinstance(listed, list) else [])

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def __iter__(self):
        return iter(self.tables.values())

    @property
    def names(self) -> list[str]:
        return list(self.tables)

    def quoted(self) -> list[Table]:
        """The tables whose rows stand on quotes of the source."""
        return [t for t in self if t.quoted]

    def figures(self, name: str) -> list[FigureColumns]:
        """The figures of table ``name``; none when it is no table of this shape."""
        return self.tables[name].figures if name in self.tables else []


@dataclass(frozen=True)
class Comparison:
    """Two tables whose rows pair up by a shared column (results against targets).

    In the table that column refers to (the indicators), ``close`` names the column that
    links a row to a close measure of another scope (``compare_with``), and ``note`` the
    bilingual pair ``<note>_zh``/``<note>_en`` that says how their scopes differ; either
    may be None.
    """

    results: str
    targets: str
    by: str
    close: str | None = None
    note: str | None = None


def comparison(shape: Shape) -> Comparison | None:
    """The first pair a table declares with ``"compare": {"with": TABLE, "by": COLUMN}``
    (and optionally ``"close": COLUMN, "note": COLUMN``)."""
    for table in shape.quoted():
        declared = table.compare
        if declared.get("with") in shape and declared.get("by"):
            close, note = declared.get("close"), declared.get("note")
            return Comparison(declared["with"], table.name, declared["by"],
                              close if isinstance(close, str) else None,
                              note if isinstance(note, str) else None)
    return None


def template_schemas() -> dict[str, dict[str, Any]]:
    """The resource templates of the government-work-report tables, by name, in order:
    what a new project copies to ``schemas/<table>.json`` and adapts."""
    folder = resources.files(__package__)
    return {name: json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
            for name in TEMPLATE}


def template_english() -> list[tuple[str, str, str]]:
    """(context, Chinese, English) of every text of the template schemas (titles,
    descriptions, code labels): what a new project's catalog starts with."""
    from babel.messages.pofile import read_po

    with resources.files(__package__).joinpath("template.en.po").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    return [(str(m.context), str(m.id), str(m.string)) for m in catalog if m.id and m.string]


def read_shape(project: Project, names: list[str]) -> Shape:
    """The tables ``names`` as ``project`` declares them in ``schemas/<table>.json``.

    Raises InvalidData naming each schema file that is missing, not JSON, or not the
    resource template of its table.
    """
    tables, problems = {}, []
    for name in names:
        path = project.schema(name)
        shown = project.relative(path)
        try:
            resource = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            problems.append(Problem(shown, f"cannot be read: {error.strerror}",
                                    f"declare table '{name}' in {shown} (start from the "
                                    "template the toolkit ships), or drop it from 'tables' "
                                    "in curation/package.yaml", "no-schema"))
            continue
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(Problem(shown, f"is not UTF-8 JSON: {error}",
                                    "fix the JSON syntax", "bad-schema"))
            continue
        if (not isinstance(resource, dict) or resource.get("name") != name
                or not isinstance(resource.get("schema"), dict)
                or not isinstance(resource["schema"].get("fields"), list)):
            problems.append(Problem(shown, f"must be the resource template of table '{name}': "
                                    f"an object with \"name\": \"{name}\" and a \"schema\" "
                                    "with \"fields\"", "see docs/curation.md", "bad-schema"))
            continue
        tables[name] = Table(resource)
    if UNITS not in tables and not problems:
        problems.append(Problem(project.relative(project.package_config),
                                f"'tables' must list '{UNITS}': every figure has a unit",
                                f"add '{UNITS}' to 'tables'", "no-units"))
    shape = Shape(tables)
    problems += misnamed(shape, lambda table: (project.relative(project.schema(table.name)),
                                               ""),
                         "name a field of the schema, or add the field")
    if problems:
        raise InvalidData(problems)
    return shape


def misnamed(shape: Shape, where: Callable[[Table], tuple[str, str]],
             hint: str) -> list[Problem]:
    """A problem for each name that a table's ``opendata:quoted`` declaration gives and its
    shape lacks (see ``undeclared``); ``where`` tells the file that declares a table, and
    what to say of the table before the declaration."""
    problems = []
    for table in shape.quoted():
        file, which = where(table)
        problems += [Problem(file, f"{which}{QUOTED}: {place} '{name}' is {missing}", hint,
                             "unknown-column")
                     for place, name, missing in undeclared(table, shape)]
    return problems


def undeclared(table: Table, shape: Shape) -> list[tuple[str, str, str]]:
    """What the ``opendata:quoted`` declaration of ``table`` names that its shape lacks:
    (where in the declaration, the name, what it is not), so that a misspelt column is
    reported as such, not as every row disagreeing with its quote."""
    named = [("the quote column", QUOTE), ("the line column", LINE)]
    named += [("flag", flag) for flag in table.flags]
    for number, figure in enumerate(table.figures, start=1):
        named += [(f"figure {number} {key}", column) for key, column in figure.named]
        if figure.base_unit_of:
            named.append((f"figure {number} base_unit_of", figure.base_unit_of))
    named += [(f"context {key}", column) for key, column in table.context.items()]
    if table.terms_of:
        named.append(("terms_of", table.terms_of))
    compare = table.compare
    by = compare.get("by") if isinstance(compare.get("by"), str) else None
    if by is not None:
        named.append(("compare by", by))
    found = [(where, name, f"no column of table '{table.name}'")
             for where, name in named if name not in table.field_names]
    if isinstance(compare.get("with"), str) and compare["with"] not in shape:
        found.append(("compare with", compare["with"], "no table of the project"))
    measures = shape.tables.get(table.references().get(by or "", ""))
    close, note = compare.get("close"), compare.get("note")
    columns = [("compare close", close)] if isinstance(close, str) else []
    if isinstance(note, str):
        columns += [("compare note", f"{note}_zh"), ("compare note", f"{note}_en")]
    for where, name in columns:
        if measures is None:
            found.append((where, name, f"in no table: compare by '{by}' refers to none"))
        elif name not in measures.field_names:
            found.append((where, name, f"no column of table '{measures.name}'"))
    return found
