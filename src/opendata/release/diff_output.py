"""Showing a package diff: a terminal view, Markdown for a pull request, or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from opendata.release.diff import Change, PackageDiff, counts

_ROW_KINDS = {"row-added", "row-removed", "value-changed"}


def as_json(diff: PackageDiff, old: str, new: str) -> str:
    return json.dumps({
        "old": {"label": old, "version": diff.old_version},
        "new": {"label": new, "version": diff.new_version},
        "bump": diff.required.label,
        "reasons": diff.reasons(limit=1000),
        "tables": [{"resource": t.resource, "added": t.added, "removed": t.removed,
                    "changed": {k: [{"field": f, "before": _text(a), "after": _text(b)}
                                    for f, a, b in cells] for k, cells in t.changed.items()}}
                   for t in diff.tables if not t.empty],
        "changes": [{**asdict(c), "bump": c.bump.label,
                     "before": _text(c.before), "after": _text(c.after)} for c in diff.changes],
    }, ensure_ascii=False, indent=2, default=str)


def as_text(diff: PackageDiff, old: str, new: str) -> str:
    lines = [f"{old} ({diff.old_version}) → {new} ({diff.new_version})", diff.summary()]
    for table in diff.tables:
        if table.empty:
            continue
        lines.append(f"\n{table.resource}: {len(table.added)} added, {len(table.removed)} "
                     f"removed, {len(table.changed)} changed")
        lines += [f"  + {key}" for key in table.added]
        lines += [f"  - {key}" for key in table.removed]
        shared, single = _shared_changes(table.changed)
        for (column, a, b), keys in shared.items():
            lines.append(f"  ~ {len(keys)} rows ({', '.join(keys)})")
            lines.append(f"      {column}: {_shown(a)} → {_shown(b)}")
        for key, cells in single.items():
            lines.append(f"  ~ {key}")
            lines += [f"      {column}: {_shown(a)} → {_shown(b)}" for column, a, b in cells]
    others = [c for c in diff.changes if c.kind not in _ROW_KINDS]
    if others:
        lines.append("\nschema and metadata:")
        lines += [f"  [{bump}] {what}" for bump, what in schema_lines(others)]
    return "\n".join(lines)


# Schema and metadata changes that are listed together, one line per table and kind.
_GROUPED = {"field-added": "fields added", "field-removed": "fields removed",
            "field-metadata-changed": "titles, descriptions or code labels changed of",
            "metadata-changed": "descriptive metadata changed",
            "constraint-loosened": "constraints loosened on",
            "constraint-tightened": "constraints tightened on"}
SHARED_FROM = 3  # a cell change made in this many rows or more is shown once


def row_lines(changes: list[Change], code: bool = False) -> list[str]:
    """Rows added or removed: one line per table and kind, naming every row (as Markdown
    code with ``code``)."""
    rows: dict[tuple[str, str | None], list[str]] = {}
    for change in changes:
        if change.kind in ("row-added", "row-removed"):
            rows.setdefault((change.kind, change.resource), []).append(
                f"`{change.key}`" if code else str(change.key))
    return [f"{table}: {len(keys)} row(s) {kind.removeprefix('row-')}: {', '.join(keys)}"
            for (kind, table), keys in rows.items()]


def schema_lines(changes: list[Change], code: bool = False) -> list[tuple[str, str]]:
    """(bump, text) of the schema and metadata changes: those of one kind, table and bump
    on one line, naming the fields (or properties) they touch (as Markdown code with
    ``code``)."""
    groups: dict[tuple, list[Change]] = {}
    for change in changes:
        groups.setdefault((change.bump, change.kind, change.resource), []).append(change)
    lines = []
    for (bump, kind, resource), group in groups.items():
        if len(group) == 1 or kind not in _GROUPED:
            lines += [(bump.label, c.what) for c in group]
            continue
        names = list(dict.fromkeys(f"`{c.field}`" if code else str(c.field) for c in group))
        where = f"{resource}: " if resource else ""
        lines.append((bump.label, f"{where}{_GROUPED[kind]}: {', '.join(names)}"))
    return lines


def _shared_changes(changed: dict) -> tuple[dict, dict]:
    """The cell changes several rows share ({(column, before, after): keys}), and the rest
    by row ({key: cells})."""
    rows_of: dict[tuple, list[str]] = {}
    for key, cells in changed.items():
        for column, a, b in cells:
            rows_of.setdefault((column, _text(a), _text(b)), []).append(key)
    shared = {change: keys for change, keys in rows_of.items() if len(keys) >= SHARED_FROM}
    single = {}
    for key, cells in changed.items():
        rest = [(c, a, b) for c, a, b in cells if (c, _text(a), _text(b)) not in shared]
        if rest:
            single[key] = rest
    return shared, single


def as_markdown(diff: PackageDiff, old: str, new: str) -> str:
    lines = [f"### Data changes: `{old}` ({diff.old_version}) → `{new}` ({diff.new_version})",
             "", f"**Required version bump: {diff.required.label}**", ""]
    lines += [f"- {reason}" for reason in diff.reasons()] + [""]
    table_counts = list(counts(diff))
    if table_counts:
        lines += ["| table | added | removed | changed |", "|---|---:|---:|---:|"]
        lines += [f"| {t} | {a} | {r} | {c} |" for t, a, r, c in table_counts] + [""]
    changed = [t for t in diff.tables if t.changed]
    if changed:
        lines += ["| table | row | field | before | after |", "|---|---|---|---|---|"]
        for table in changed:
            shared, single = _shared_changes(table.changed)
            lines += [f"| {table.resource} | {len(keys)} rows: "
                      f"{', '.join(f'`{k}`' for k in keys)} | {column} | {_cell(a)} | "
                      f"{_cell(b)} |" for (column, a, b), keys in shared.items()]
            lines += [f"| {table.resource} | `{key}` | {column} | {_cell(a)} | {_cell(b)} |"
                      for key, cells in single.items() for column, a, b in cells]
        lines.append("")
    lines += [f"- {line}" for line in row_lines(diff.changes)]
    others = [c for c in diff.changes if c.kind not in _ROW_KINDS]
    if others:
        lines += ["", "| change | bump |", "|---|---|"]
        lines += [f"| {_cell(what)} | {bump} |" for bump, what in schema_lines(others)]
    return "\n".join(lines).rstrip() + "\n"


def _text(value: Any) -> str:
    from opendata.release.diff import display

    return value if isinstance(value, str) else display(value) if value is not None else ""


def _shown(value: Any) -> str:
    return _text(value) or "(empty)"


def _cell(value: Any) -> str:
    return _text(value).replace("|", "\\|").replace("\n", " ") or "∅"
