"""What changed between two data packages, and the semver bump that change needs.

The rules are the Frictionless data-package-version recipe:
MAJOR for a field renamed, added, removed or reordered, a type changed, a constraint
tightened, a primary key changed (and rows or resources removed, which break references);
MINOR for resources or rows added (and constraints loosened); PATCH for corrected values,
translations and descriptive metadata.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opendata.exceptions import OpendataError
from opendata.versions import Bump

# Properties that describe the build rather than the data; never a change in themselves.
# (The project's profile names the tool's checks, not a property of the data.)
_IGNORED_PACKAGE_KEYS = {"resources", "version", "created", "opendata:profile"}
_IGNORED_RESOURCE_KEYS = {"schema", "hash", "bytes"}
# Field properties that describe a field without constraining its values. ``categories``
# labels codes (frictionless does not enforce it: ``constraints.enum`` does); ``<key>_zh`` and
# ``<key>_en`` are a descriptive property in each language (docs/bilingual.md).
_DESCRIPTIVE_FIELD_KEYS = {"title", "description", "example", "rdfType", "categories"}
_LANGUAGE_SUFFIXES = ("_zh", "_en")
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
V2_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
_ROW_PHRASES = {"value-changed": "values corrected", "row-added": "rows added",
                "row-removed": "rows removed"}


@dataclass(frozen=True)
class Change:
    """One difference between the packages, with the bump it needs."""

    bump: Bump
    kind: str
    what: str
    resource: str | None = None
    key: str | None = None
    field: str | None = None
    before: Any = None
    after: Any = None


@dataclass
class TableDiff:
    """Rows of one table, matched on its primary key."""

    resource: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, Any, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class PackageDiff:
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)

    @property
    def required(self) -> Bump:
        return max((c.bump for c in self.changes), default=Bump.NONE)

    @property
    def empty(self) -> bool:
        return not self.changes

    def reasons(self, limit: int = 5) -> list[str]:
        """Why the required bump is needed: the changes that demand it, rows grouped."""
        deciding = [c for c in self.changes if c.bump == self.required]
        grouped: dict[tuple[str, str | None], list[str]] = {}
        reasons = []
        for change in deciding:
            if change.kind in _ROW_PHRASES:
                keys = grouped.setdefault((change.kind, change.resource), [])
                if change.key is not None and change.key not in keys:
                    keys.append(change.key)
            else:
                reasons.append(change.what)
        for (kind, resource), keys in grouped.items():
            shown = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
            reasons.append(f"{resource}: {_ROW_PHRASES[kind]} ({shown})")
        more = len(reasons) - limit
        return reasons[:limit] + ([f"and {more} more"] if more > 0 else [])

    def summary(self) -> str:
        if self.empty:
            return "no changes"
        return f"{self.required.label} bump needed: {'; '.join(self.reasons(3))}"


def diff_packages(old: dict, old_root: Path, new: dict, new_root: Path) -> PackageDiff:
    """Compare two package descriptors with their files; raises OpendataError when either
    is too malformed to compare (a descriptor from outside can hold anything)."""
    try:
        return _diff_packages(old, old_root, new, new_root)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as error:
        raise OpendataError(f"cannot compare the packages: a descriptor is malformed "
                            f"({type(error).__name__}: {error}); run `opendata validate` "
                            "on each to see what is wrong") from error


def _diff_packages(old: dict, old_root: Path, new: dict, new_root: Path) -> PackageDiff:
    result = PackageDiff(str(old.get("version", "")), str(new.get("version", "")))
    result.changes += _package_metadata(old, new)
    # A package from outside may leave a resource unnamed: its changes then name None.
    old_resources: dict[Any, dict] = {r.get("name"): r for r in old.get("resources", [])
                                      if isinstance(r, dict)}
    new_resources: dict[Any, dict] = {r.get("name"): r for r in new.get("resources", [])
                                      if isinstance(r, dict)}
    for name in old_resources.keys() - new_resources.keys():
        result.changes.append(Change(Bump.MAJOR, "resource-removed",
                                     f"resource {name!r} removed", name))
    for name in new_resources.keys() - old_resources.keys():
        result.changes.append(Change(Bump.MINOR, "resource-added",
                                     f"resource {name!r} added", name))
    for name in [n for n in new_resources if n in old_resources]:
        before, after = old_resources[name], new_resources[name]
        result.changes += _resource_metadata(name, before, after)
        if isinstance(before.get("schema"), dict) and isinstance(after.get("schema"), dict):
            result.changes += schema_changes(name, before["schema"], after["schema"])
            table = _table_diff(name, before, old_root, after, new_root)
            result.tables.append(table)
            result.changes += _row_changes(table)
        elif before.get("hash") != after.get("hash"):
            result.changes.append(Change(Bump.PATCH, "content-changed",
                                         f"content of {name!r} changed", name))
    return result


def _package_metadata(old: dict, new: dict) -> list[Change]:
    changes = []
    if old.get("name") != new.get("name"):
        changes.append(Change(Bump.MAJOR, "package-renamed",
                              f"package renamed {old.get('name')!r} → {new.get('name')!r}",
                              before=old.get("name"), after=new.get("name")))
    for key in sorted((old.keys() | new.keys()) - _IGNORED_PACKAGE_KEYS - {"name"}):
        if old.get(key) != new.get(key):
            changes.append(Change(Bump.PATCH, "metadata-changed", f"metadata {key!r} changed",
                                  field=key, before=old.get(key), after=new.get(key)))
    return changes


def _resource_metadata(name: str, old: dict, new: dict) -> list[Change]:
    return [Change(Bump.PATCH, "metadata-changed", f"{name}: metadata {key!r} changed", name,
                   field=key, before=old.get(key), after=new.get(key))
            for key in sorted((old.keys() | new.keys()) - _IGNORED_RESOURCE_KEYS)
            if old.get(key) != new.get(key)]


def schema_changes(resource: str, old: dict, new: dict) -> list[Change]:
    """Changes of one Table Schema: fields, types, constraints and keys."""
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    changes = _field_set_changes(resource, list(old_fields), list(new_fields))
    for name in [n for n in new_fields if n in old_fields]:
        changes += _field_changes(resource, old_fields[name], new_fields[name])
    for key in ("primaryKey", "foreignKeys", "missingValues"):
        if _as_list(old.get(key)) != _as_list(new.get(key)):
            bump = Bump.MINOR if key == "foreignKeys" and not new.get(key) else Bump.MAJOR
            changes.append(Change(bump, "schema-changed", f"{resource}: {key} changed",
                                  resource, field=key, before=old.get(key), after=new.get(key)))
    return changes


def _field_set_changes(resource: str, old: list[str], new: list[str]) -> list[Change]:
    removed = [n for n in old if n not in new]
    added = [n for n in new if n not in old]
    changes = []
    # A field removed and one added at the same place is a rename; the rest stay unpaired.
    for before, after in zip(removed, added, strict=False):
        if old.index(before) == new.index(after):
            changes.append(Change(Bump.MAJOR, "field-renamed",
                                  f"{resource}: field {before!r} renamed to {after!r}",
                                  resource, field=after, before=before, after=after))
    renamed = {c.before for c in changes} | {c.after for c in changes}
    changes += [Change(Bump.MAJOR, "field-removed", f"{resource}: field {n!r} removed",
                       resource, field=n) for n in removed if n not in renamed]
    changes += [Change(Bump.MAJOR, "field-added", f"{resource}: field {n!r} added",
                       resource, field=n) for n in added if n not in renamed]
    common_old = [n for n in old if n in new]
    common_new = [n for n in new if n in old]
    if common_old != common_new:
        changes.append(Change(Bump.MAJOR, "fields-reordered", f"{resource}: fields reordered",
                              resource, before=common_old, after=common_new))
    return changes


def _field_changes(resource: str, old: dict, new: dict) -> list[Change]:
    name = new["name"]
    where = f"{resource}.{name}"
    changes = []
    for key in ("type", "format"):
        if old.get(key) != new.get(key):
            changes.append(Change(Bump.MAJOR, "type-changed", f"{where}: {key} changed "
                                  f"{old.get(key)!r} → {new.get(key)!r}", resource, field=name,
                                  before=old.get(key), after=new.get(key)))
    before, after = old.get("constraints", {}), new.get("constraints", {})
    bounds = _bound_change(where, resource, name, before, after)
    if bounds:  # minimum ↔ exclusiveMinimum: one lower bound, compared as one
        changes.append(bounds)
        before, after = ({k: v for k, v in c.items() if k not in _MINIMA}
                         for c in (before, after))
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) == after.get(key):
            continue
        tightened = _tightens(key, before.get(key), after.get(key))
        changes.append(Change(Bump.MAJOR if tightened else Bump.MINOR,
                              "constraint-tightened" if tightened else "constraint-loosened",
                              f"{where}: constraint {key} "
                              f"{'tightened' if tightened else 'loosened'}"
                              f" ({before.get(key)!r} → {after.get(key)!r})", resource,
                              field=name, before=before.get(key), after=after.get(key)))
    for key in sorted((old.keys() | new.keys()) - {"name", "type", "format", "constraints"}):
        if old.get(key) != new.get(key):
            bump = Bump.PATCH if _descriptive(key) else Bump.MAJOR
            changes.append(Change(bump, "field-metadata-changed", f"{where}: {key} changed",
                                  resource, field=name, before=old.get(key), after=new.get(key)))
    return changes


_MINIMA = ("minimum", "exclusiveMinimum")


def _bound_change(where: str, resource: str, name: str, before: dict,
                  after: dict) -> Change | None:
    """The change of a lower bound written with the other keyword (``exclusiveMinimum: 0`` →
    ``minimum: 0`` admits 0: loosened), as one change; None when no keyword was swapped."""
    old, new = _lower_bound(before), _lower_bound(after)
    if old is None or new is None or old == new or \
            {k for k in _MINIMA if k in before} == {k for k in _MINIMA if k in after}:
        return None
    try:  # (bound, exclusive): a larger bound, or the same one made exclusive, admits less
        tightened = new > old
    except TypeError:
        tightened = True
    return Change(Bump.MAJOR if tightened else Bump.MINOR,
                  "constraint-tightened" if tightened else "constraint-loosened",
                  f"{where}: lower bound {'tightened' if tightened else 'loosened'} "
                  f"({_shown(before)} → {_shown(after)})", resource, field=name,
                  before=_shown(before), after=_shown(after))


def _lower_bound(constraints: dict) -> tuple[Any, bool] | None:
    found = [(constraints[k], k == "exclusiveMinimum") for k in _MINIMA if k in constraints]
    return max(found) if found else None


def _shown(constraints: dict) -> str:
    return ", ".join(f"{k} {constraints[k]!r}" for k in _MINIMA if k in constraints)


def _descriptive(key: str) -> bool:
    """Whether field property ``key`` only describes the field (in any language)."""
    for suffix in _LANGUAGE_SUFFIXES:
        key = key.removesuffix(suffix)
    return key in _DESCRIPTIVE_FIELD_KEYS


def _tightens(key: str, before: Any, after: Any) -> bool:
    """Whether changing constraint ``key`` from ``before`` to ``after`` rejects more values."""
    if after is None:
        return False
    if before is None:
        return key != "required" or bool(after)
    if key == "required":
        return bool(after) and not before
    if key == "enum":
        return not set(map(str, before)) <= set(map(str, after))
    try:
        if key in _LOWER_BOUNDS:
            return after > before
        if key in _UPPER_BOUNDS:
            return after < before
    except TypeError:
        return True
    return True  # pattern, unique, ...: any change may reject values that passed


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _table_diff(name: str, old: dict, old_root: Path, new: dict, new_root: Path) -> TableDiff:
    key = _as_list(new["schema"].get("primaryKey")) or []
    if key != (_as_list(old["schema"].get("primaryKey")) or []):
        key = []
    before, after = _keyed_rows(old, old_root, key), _keyed_rows(new, new_root, key)
    table = TableDiff(name)
    table.added = [k for k in after if k not in before]
    table.removed = [k for k in before if k not in after]
    for row_key in [k for k in after if k in before]:
        cells = [(column, before[row_key].get(column), value)
                 for column, value in after[row_key].items()
                 if column in before[row_key] and before[row_key][column] != value]
        if cells:
            table.changed[row_key] = cells
    return table


def _row_changes(table: TableDiff) -> list[Change]:
    name = table.resource
    changes = [Change(Bump.MINOR, "row-added", f"{name}: row {k} added", name, key=k)
               for k in table.added]
    changes += [Change(Bump.MAJOR, "row-removed", f"{name}: row {k} removed", name, key=k)
                for k in table.removed]
    for row_key, cells in table.changed.items():
        changes += [Change(Bump.PATCH, "value-changed",
                           f"{name}: {row_key} {column} {display(a)} → {display(b)}", name,
                           key=row_key, field=column, before=display(a), after=display(b))
                    for column, a, b in cells]
    return changes


def _keyed_rows(resource: dict, root: Path, key: list[str]) -> dict[str, dict[str, Any]]:
    """Rows of a tabular resource by primary key (by whole row when there is none)."""
    from frictionless import FrictionlessException, Package

    # Read through a one-resource v2 package (v2 constraints need it); foreign keys are for
    # validation, and reading one table alone must not resolve them.
    schema = {k: v for k, v in resource["schema"].items() if k != "foreignKeys"}
    rows: dict[str, dict[str, Any]] = {}
    try:
        package = Package({"$schema": V2_PROFILE, "resources": [{**resource, "schema": schema}]},
                          basepath=str(root))
        with package.resources[0] as table:
            for row in table.row_stream:
                cells = row.to_dict()
                identity = "/".join(display(cells.get(k)) for k in key) if key else _whole(cells)
                rows[identity] = cells
    except FrictionlessException as error:
        raise OpendataError(f"cannot read table {resource.get('name')!r} under {root}: "
                            f"{error.error.message}") from error
    except (OSError, ValueError, TypeError, LookupError) as error:  # any table, any damage
        raise OpendataError(f"cannot read table {resource.get('name')!r} under {root}: "
                            f"{error}") from error
    return rows


def _whole(cells: dict[str, Any]) -> str:
    return "|".join(display(v) for v in cells.values())


def display(value: Any) -> str:
    """A cell as people read it: empty for missing, plain decimals, true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(display(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    from decimal import Decimal

    if isinstance(value, Decimal):
        from opendata.curate.figures import format_decimal

        return format_decimal(value)
    return str(value)


def counts(diff: PackageDiff) -> Iterable[tuple[str, int, int, int]]:
    """(table, added, removed, changed) for each table that changed."""
    return [(t.resource, len(t.added), len(t.removed), len(t.changed))
            for t in diff.tables if not t.empty]
