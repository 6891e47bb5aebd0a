"""The package as a SQLite database, with the Datasette metadata that describes it.

Column types follow the Table Schema: integer → INTEGER, boolean → INTEGER 0/1, string →
TEXT, number → NUMERIC. NUMERIC keeps a whole number as an exact INTEGER and stores a
fraction as REAL, which holds 15 significant digits: every printed figure, not every
conceivable decimal. The CSV files stay the exact record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from opendata.exceptions import OpendataError
from opendata.publish.common import DOWNLOADS
from opendata.publish.facts import Bilingual, PackageFacts
from opendata.publish.tabular import table_resources, unit_note

SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "NUMERIC", "string": "TEXT"}


def database(descriptor: dict, tables: Mapping[str, list[list[Any]]], target: Path) -> None:
    """Write every table of the package, its typed rows ``tables`` by name (see
    ``tabular.typed_tables``), to a new SQLite file at ``target``.

    Tables carry their primary and foreign keys and are created referenced tables first.
    The same package gives the same bytes. Raises OpendataError when a foreign key does not
    hold, naming the table and the referenced table.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(partial, isolation_level=None)) as connection:
            _write(connection, descriptor, tables)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave half a database behind
        raise
    partial.replace(target)


def _write(connection: sqlite3.Connection, descriptor: dict,
           tables: Mapping[str, list[list[Any]]]) -> None:
    referenced = referenced_keys(descriptor)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("BEGIN")
    connection.execute("PRAGMA defer_foreign_keys = ON")  # a table may refer to itself
    for resource in in_dependency_order(table_resources(descriptor)):
        connection.execute(create_table(resource, referenced))
        _insert(connection, resource, tables[resource["name"]])
    _check_foreign_keys(connection)
    connection.execute("COMMIT")
    connection.execute("VACUUM")  # compact, and the same bytes for the same rows


def in_dependency_order(resources: list[dict]) -> list[dict]:
    """``resources`` with every referenced table before the tables referring to it, otherwise
    in their given order. Raises OpendataError on a cycle."""
    ordered: list[dict] = []
    waiting = list(resources)
    while waiting:
        done = {r["name"] for r in ordered}
        ready = next((r for r in waiting if _references(r) <= done), None)
        if ready is None:
            raise OpendataError("the foreign keys of tables "
                                f"{', '.join(r['name'] for r in waiting)} form a cycle")
        ordered.append(ready)
        waiting.remove(ready)
    return ordered


def _references(resource: dict) -> set[str]:
    """The other tables ``resource`` refers to ("" is the table itself)."""
    keys = resource["schema"].get("foreignKeys", [])
    return {k["reference"]["resource"] for k in keys} - {"", resource["name"]}


def referenced_keys(descriptor: dict) -> dict[str, set[tuple[str, ...]]]:
    """The field lists other rows refer to, by table: SQLite needs each one to be unique."""
    keys: dict[str, set[tuple[str, ...]]] = {}
    for resource in table_resources(descriptor):
        for key in resource["schema"].get("foreignKeys", []):
            table = key["reference"]["resource"] or resource["name"]
            keys.setdefault(table, set()).add(tuple(_fields(key["reference"]["fields"])))
    return keys


def create_table(resource: dict, referenced: dict[str, set[tuple[str, ...]]]) -> str:
    """The CREATE TABLE statement of ``resource``: typed columns, NOT NULL for required
    fields, its primary key, UNIQUE for other referenced keys, its foreign keys."""
    schema = resource["schema"]
    lines = [_column(field) for field in schema["fields"]]
    primary = tuple(_fields(schema.get("primaryKey", [])))
    if primary:
        lines.append(f"PRIMARY KEY ({_names(primary)})")
    for unique in sorted(referenced.get(resource["name"], set()) - {primary}):
        lines.append(f"UNIQUE ({_names(unique)})")
    for key in schema.get("foreignKeys", []):
        table = key["reference"]["resource"] or resource["name"]
        lines.append(f"FOREIGN KEY ({_names(_fields(key['fields']))}) REFERENCES "
                     f"{quote(table)} ({_names(_fields(key['reference']['fields']))})")
    return f"CREATE TABLE {quote(resource['name'])} (\n  " + ",\n  ".join(lines) + "\n)"


def _column(field: dict) -> str:
    required = " NOT NULL" if field.get("constraints", {}).get("required") else ""
    return f"{quote(field['name'])} {SQL_TYPES.get(field.get('type', 'any'), 'TEXT')}{required}"


def _fields(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)  # v1 allowed a single name


def _names(fields: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quote(f) for f in fields)


def quote(identifier: str) -> str:
    """``identifier`` as a quoted SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def _insert(connection: sqlite3.Connection, resource: dict, rows: list[list[Any]]) -> None:
    fields = [f["name"] for f in resource["schema"]["fields"]]
    statement = (f"INSERT INTO {quote(resource['name'])} ({_names(fields)}) "
                 f"VALUES ({', '.join('?' for _ in fields)})")
    connection.executemany(statement, [[_sql_value(v) for v in row] for row in rows])


def _sql_value(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)  # Decimal as printed: the NUMERIC column stores it as a number


def _check_foreign_keys(connection: sqlite3.Connection) -> None:
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise OpendataError(f"{len(broken)} row(s) break a foreign key, first table {table} "
                            f"row {rowid} → {parent}; run `opendata validate`")


def database_name(facts: PackageFacts) -> str:
    """The file stem, and so the Datasette database name, of the SQLite export: the package
    name without dots (Datasette 0.65 does not escape a dot in its links), no version (the
    metadata states it)."""
    return facts.name.replace(".", "-")


def datasette_metadata(facts: PackageFacts, database: str) -> dict:
    """Datasette metadata for the database named ``database`` written from the package of
    ``facts``: package title and description in both languages, version, citation, licence and
    source; each table's title and description; each column's description with its unit."""
    tables = {r["name"]: _table_metadata(r) for r in table_resources(facts.descriptor)}
    title = facts.title.en if facts.title.single else f"{facts.title.en} / {facts.title.zh}"
    description = [facts.description.en] + ([] if facts.description.single
                                            else [facts.description.zh])
    description += [f"Version {facts.version}.", facts.citation("en"), facts.citation("zh-Hans")]
    metadata: dict[str, Any] = {
        "title": title,
        "description": "\n\n".join(text for text in description if text),
        "license": facts.licence.title,
        "license_url": facts.licence.url,
        "about": f"{title}, version {facts.version}",
        "about_url": facts.landing_page("en"),
    }
    if facts.source:
        metadata["source"] = facts.source.title.en
        metadata["source_url"] = facts.url(f"{DOWNLOADS}/{facts.source.path}")
    metadata["databases"] = {database: {"tables": tables}}
    return metadata


def _table_metadata(resource: dict) -> dict:
    schema = resource["schema"]
    columns = {}
    for field in schema["fields"]:
        unit = unit_note(resource, field["name"])
        text = " ".join(filter(None, (_both(field, "title", " · "),
                                      _both(field, "description", " "))))
        columns[field["name"]] = f"{text} Unit: {unit}." if unit else text
    return {"title": _both(resource, "title") or resource["name"],
            "description": _both(resource, "description", "\n\n"), "columns": columns}


def _both(facts: dict, key: str, between: str = " / ") -> str:
    """A text of the descriptor in English, then Chinese, as the package title is: Datasette
    shows one string."""
    text = Bilingual.of(facts, key)
    return text.en if text.single else f"{text.en}{between}{text.zh}"
