"""Writing a draft into the curation files, every proposed row marked ``draft: true``.

The files keep the layout a curator writes by hand (docs/curation.md), one statement to a
block and one row to a line, so that reviewing a draft is reading a diff. English comes
from the vocabularies where the toolkit knows it; any other label gets a visible
``[to translate]`` marker in the catalog for the curator to replace.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from opendata.curate.catalog import PLACEHOLDER, Translations
from opendata.curate.draft.model import Draft, Statement
from opendata.curate.reader import DRAFT
from opendata.curate.script import to_traditional

# The curation files a draft writes: those of the toolkit's government-work-report template.
WRITTEN = ("results", "targets", "projects", "honors", "indicators", "exclusions", "units")
_HEADER = ("# Drafted by `opendata draft`. Review each row against the source, correct it,\n"
           "# then delete its `draft: true`; `opendata build` refuses draft rows.\n")
_TITLES = {"results": "主要成绩 — results of the year under review",
           "targets": "目标任务 — targets of the coming year",
           "projects": "投资项目 — investment projects and programmes",
           "honors": "荣誉 — honours and recognitions",
           "indicators": "指标 — indicators",
           "exclusions": "排除 — numbers that are not figures, each with its reason",
           "units": "计量单位 — units of measure (from the toolkit's vocabulary)"}


def flow(mapping: dict[str, Any]) -> str:
    """One YAML mapping on one line."""
    return yaml.safe_dump(mapping, default_flow_style=True, allow_unicode=True,
                          width=100000, sort_keys=False).strip()


def scalar(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=100000).strip().removesuffix(
        "\n...").removesuffix("...").strip()


def files(draft: Draft, years: dict[str, int | None],
          units: list[dict[str, Any]]) -> dict[str, str]:
    """The text of each curation file, by name (``results`` → curation/results.yaml)."""
    _assign_ids(draft)
    texts = {table: _observations(draft, table, years[table]) for table in ("results", "targets")}
    texts["projects"] = _statements(draft, "projects")
    texts["honors"] = _statements(draft, "honors")
    texts["indicators"] = _head("indicators") + ("".join(
        f"- {flow(_indicator(i))}\n" for i in draft.indicators.values()) or "[]\n")
    texts["exclusions"] = _head("exclusions") + ("".join(
        f"- {flow({'context': e.context, 'reason': e.reason, DRAFT: True})}\n"
        for e in draft.exclusions) or "[]\n")
    texts["units"] = _head("units") + ("".join(
        f"- {flow({k: v for k, v in u.items() if k != 'en'})}\n" for u in units) or "[]\n")
    return texts


def _head(table: str) -> str:
    return f"# {_TITLES[table]}\n" + (_HEADER if table != "units" else "")


def _indicator(entry: dict[str, Any]) -> dict[str, Any]:
    row = {"id": entry["id"], "name": entry["name"], "kind": entry["kind"],
           "unit": entry["unit"]}
    return row if entry["standard"] else row | {DRAFT: True}


def _assign_ids(draft: Draft) -> None:
    taken: dict[str, set[str]] = {}
    for statement in draft.statements:
        for row in statement.rows:
            table = row["_table"]
            if table in ("results", "targets"):
                stem = f"{row['indicator']}-{statement.year}"
            else:
                stem = f"{table[:-1].replace('honor', 'honour')}-{statement.year}-l{statement.line}"
            ids = taken.setdefault(table, set())
            key, n = stem, 2
            while key in ids:
                key, n = f"{stem}-{n}", n + 1
            ids.add(key)
            row["id"] = key


def _observations(draft: Draft, table: str, year: int | None) -> str:
    lines = [_head(table).rstrip("\n"), f"year: {year}", "sections:"]
    section = None
    count = 0
    for statement in draft.statements:
        rows = [r for r in statement.rows if r["_table"] == table]
        if not rows:
            continue
        if statement.section != section:
            section = statement.section
            lines += [f"- section: {scalar(section)}", "  statements:"]
        lines += _statement_lines(statement, "  ")
        lines.append("    rows:")
        for row in rows:
            shown = {"id": row["id"], "indicator": row["indicator"], "figure": row["figure"]}
            if "unit" in row:
                shown["unit"] = to_traditional(row["unit"]) if draft.traditional else row["unit"]
            lines.append(f"    - {flow(shown | {DRAFT: True})}")
        count += 1
    if not count:
        lines[-1] = "sections: []"
    return "\n".join(lines) + "\n"


def _statement_lines(statement: Statement, indent: str) -> list[str]:
    lines = [f"{indent}- line: {statement.line}", f"{indent}  quote: {scalar(statement.quote)}"]
    if statement.sentence_start:
        line, quote = statement.sentence_start
        lines.append(f"{indent}  sentence_start: {flow({'line': line, 'quote': quote})}")
    return lines


def _statements(draft: Draft, table: str) -> str:
    lines = [_head(table).rstrip("\n"), "statements:"]
    count = 0
    for statement in draft.statements:
        rows = [r for r in statement.rows if r["_table"] == table]
        if not rows:
            continue
        lines += _statement_lines(statement, "")
        lines.append("  rows:")
        for row in rows:
            shown = {k: v for k, v in row.items() if not k.startswith("_")}
            shown = {"id": shown.pop("id"), **shown}
            lines.append(f"  - {flow(shown | {DRAFT: True})}")
        count += 1
    if not count:
        lines[-1] = "statements: []"
    return "\n".join(lines) + "\n"


def catalog(existing: Translations, draft: Draft, units: list[dict[str, Any]]) -> bytes:
    """The project's catalog with an entry for every label the draft uses."""
    known: Catalog = existing.catalog
    entries: list[tuple[str, str, str | None]] = []
    for unit in units:
        entries.append(("units.label", unit["label"], unit.get("en")))
    for indicator in draft.indicators.values():
        entries.append(("indicators.name", indicator["name"], indicator["en"]))
    for statement in draft.statements:
        for row in statement.rows:
            table = row["_table"]
            if table in ("results", "targets"):
                entries.append((f"{table}.section", statement.section, None))
            elif table == "projects":
                entries.append(("projects.name", row["name"], None))
            else:
                entries.append(("honors.recipient", row["recipient"], None))
                entries.append(("honors.honor", row["honor"], None))
    for context, zh, en in entries:
        if known.get(zh, context=context) is None:
            known.add(zh, en or f"{PLACEHOLDER}{zh}", context=context,
                      auto_comments=["drafted by opendata draft: review the English"])
    buffer = BytesIO()
    write_po(buffer, known, width=0, omit_header=False, sort_output=False)
    return buffer.getvalue()


def unit_entries(draft: Draft, template: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The units the draft uses and their base units, in the template's order, labelled in
    the script of the source."""
    by_id = {u["id"]: u for u in template.values()}
    used = {template[label]["id"] for label in draft.units}
    used |= {by_id[i]["base"] for i in used}
    entries = [dict(u) for u in template.values() if u["id"] in used]
    if draft.traditional:
        for entry in entries:
            entry["label"] = to_traditional(entry["label"])
    return entries
