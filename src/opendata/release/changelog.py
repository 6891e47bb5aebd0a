"""CHANGELOG.md in the Keep a Changelog format: entries generated from a diff."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from opendata.release.diff import Change, PackageDiff
from opendata.versions import Version

UNRELEASED = "## [Unreleased]"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\]", re.MULTILINE)
_ENTRY = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})\n"
                    r"(?P<body>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_SECTIONS = {"Added": ("row-added", "resource-added", "field-added"),
             "Removed": ("row-removed", "resource-removed", "field-removed")}
NOTABLE = 12  # changed values listed one by one; beyond that only counted


def has_entry(text: str, version: Version) -> bool:
    return any(m["version"] == str(version) for m in _HEADING.finditer(text))


def unreleased_notes(text: str) -> str:
    """The human notes written under [Unreleased], to become the new entry's summary."""
    start = text.find(UNRELEASED)
    if start < 0:
        return ""
    body = text[start + len(UNRELEASED):]
    following = _HEADING.search(body)
    return (body[: following.start()] if following else body).strip()


def entry(version: Version, day: date, diff: PackageDiff | None, summary: str) -> str:
    """The entry for ``version``: the human summary, then what the diff found."""
    lines = [f"## [{version}] - {day.isoformat()}", ""]
    if summary:
        lines += [summary.strip(), ""]
    else:
        lines += ["<!-- Summary: say in a sentence or two what this release changes and why. -->",
                  ""]
    if diff is None:
        lines += ["### Added", "", "- First release.", ""]
        return "\n".join(lines)
    reasons = re.sub(r"'([^']+)'", r"`\1`", "; ".join(diff.reasons(3)))  # names as code
    lines += [f"Version bump: {diff.required.label} ({reasons}).", ""]
    for title, kinds in _SECTIONS.items():
        items = _grouped([c for c in diff.changes if c.kind in kinds])
        if items:
            lines += [f"### {title}", "", *[f"- {item}" for item in items], ""]
    changed = [c for c in diff.changes if not any(c.kind in k for k in _SECTIONS.values())]
    if changed:
        values = [c for c in changed if c.kind == "value-changed"]
        others = _grouped([c for c in changed if c.kind != "value-changed"])
        lines += ["### Changed", ""]
        for table, count in _per_table(values):
            lines.append(f"- {table}: {count} cell(s) changed")
        lines += [f"  - `{c.resource}/{c.key}` {c.field}: {c.before or '∅'} → {c.after or '∅'}"
                  for c in values[:NOTABLE]]
        if len(values) > NOTABLE:
            lines.append(f"  - … and {len(values) - NOTABLE} more")
        lines += [*[f"- {item}" for item in others], ""]
    return "\n".join(lines)


def _grouped(changes: list) -> list[str]:
    """The changes as lines, as the diff shows them: rows added or removed one line per
    table, and schema and metadata changes of one kind one line per table."""
    from opendata.release.diff_output import row_lines, schema_lines

    rows = {"row-added", "row-removed"}
    return row_lines(changes, code=True) + [what for _, what in schema_lines(
        [c for c in changes if c.kind not in rows], code=True)]


def _per_table(values: Iterable[Change]) -> list[tuple[str | None, int]]:
    tables: dict[str | None, int] = {}
    for change in values:
        tables[change.resource] = tables.get(change.resource, 0) + 1
    return list(tables.items())


def insert(text: str, new_entry: str) -> str:
    """``text`` with ``new_entry`` after an emptied [Unreleased] section."""
    start = text.find(UNRELEASED)
    if start < 0:
        head, _, rest = text.partition("\n## ")
        return f"{head.rstrip()}\n\n{UNRELEASED}\n\n{new_entry}\n" + (f"## {rest}" if rest else "")
    body = text[start + len(UNRELEASED):]
    following = _HEADING.search(body)
    rest = body[following.start():] if following else ""
    return f"{text[:start]}{UNRELEASED}\n\n{new_entry}\n{rest}"


@dataclass(frozen=True)
class Entry:
    """One released version as the changelog tells it."""

    version: str
    date: str
    summary: list[str]
    sections: list[tuple[str, list[str]]]


def entries(text: str) -> list[Entry]:
    """The released entries of a Keep a Changelog file, newest first, as plain text."""
    found = []
    for match in _ENTRY.finditer(text):
        summary: list[str] = []
        sections: list[tuple[str, list[str]]] = []
        items: list[str] | None = None
        for raw in re.split(r"\n\s*\n", match["body"].strip()):
            block = re.sub(r"<!--.*?-->", "", raw, flags=re.DOTALL).strip()
            if block.startswith("### "):
                items = []
                sections.append((block[4:].strip(), items))
            elif block.startswith("- ") and items is not None:
                items += [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]
            elif block:
                summary.append(" ".join(block.split()))
        found.append(Entry(match["version"], match["date"], summary, sections))
    return found


def release_date(text: str, version: str) -> str | None:
    return next((e.date for e in entries(text) if e.version == version), None)
