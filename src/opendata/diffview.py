"""Showing a package diff: a terminal view, Markdown for a pull request, or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from opendata.diff import PackageDiff, counts

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
        for key, cells in table.changed.items():
            lines.append(f"  ~ {key}")
            lines += [f"      {column}: {_text(a)!s} → {_text(b)!s}" for column, a, b in cells]
    others = [c for c in diff.changes if c.kind not in _ROW_KINDS]
    if others:
        lines.append("\nschema and metadata:")
        lines += [f"  [{c.bump.label}] {c.what}" for c in others]
    return "\n".join(lines)


def as_markdown(diff: PackageDiff, old: str, new: str) -> str:
    lines = [f"### Data changes: `{old}` ({diff.old_version}) → `{new}` ({diff.new_version})",
             "", f"**Required version bump: {diff.required.label}**", ""]
    lines += [f"- {reason}" for reason in diff.reasons()] + [""]
    table_counts = list(counts(diff))
    if table_counts:
        lines += ["| table | added | removed | changed |", "|---|---:|---:|---:|"]
        lines += [f"| {t} | {a} | {r} | {c} |" for t, a, r, c in table_counts] + [""]
    cells = [c for c in diff.changes if c.kind == "value-changed"]
    if cells:
        lines += ["| table | row | field | before | after |", "|---|---|---|---|---|"]
        lines += [f"| {c.resource} | `{c.key}` | {c.field} | {_cell(c.before)} | "
                  f"{_cell(c.after)} |" for c in cells] + [""]
    rows = [c for c in diff.changes if c.kind in {"row-added", "row-removed"}]
    lines += [f"- {c.what}" for c in rows]
    others = [c for c in diff.changes if c.kind not in _ROW_KINDS]
    if others:
        lines += ["", "| change | bump |", "|---|---|"]
        lines += [f"| {_cell(c.what)} | {c.bump.label} |" for c in others]
    return "\n".join(lines).rstrip() + "\n"


def _text(value) -> str:
    from opendata.diff import display

    return value if isinstance(value, str) else display(value) if value is not None else ""


def _cell(value) -> str:
    return _text(value).replace("|", "\\|").replace("\n", " ") or "∅"
