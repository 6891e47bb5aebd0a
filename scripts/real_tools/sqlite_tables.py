"""Read the SQLite export with sqlite-utils: every table, its row count and foreign keys.

Run with the Python of a venv where sqlite-utils is installed:
``python sqlite_tables.py DATABASE DATAPACKAGE``. Each table of the descriptor must be there
with the columns of its schema, as many rows as its CSV and the foreign keys its schema
declares. Prints one line; exits 1 on a difference.
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.metadata import version
from pathlib import Path

import sqlite_utils


def problems(database: Path, descriptor_path: Path) -> list[str]:
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    db = sqlite_utils.Database(database)
    found = []
    for resource in (r for r in descriptor["resources"] if "schema" in r):
        name, schema = resource["name"], resource["schema"]
        if name not in db.table_names():
            found.append(f"table {name} is missing")
            continue
        table = db[name]
        columns = [c.name for c in table.columns]
        if columns != [f["name"] for f in schema["fields"]]:
            found.append(f"{name}: columns {columns} differ from the schema")
        with open(descriptor_path.parent / resource["path"], encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.DictReader(f))
        if table.count != rows:
            found.append(f"{name}: {table.count} rows, its CSV has {rows}")
        declared = {(column, k["reference"]["resource"] or name, other)
                    for k in schema.get("foreignKeys", [])
                    for column, other in zip(_listed(k["fields"]),
                                             _listed(k["reference"]["fields"]), strict=True)}
        actual = {(key.column, key.other_table, key.other_column) for key in table.foreign_keys}
        if declared != actual:
            found.append(f"{name}: foreign keys {sorted(actual)} differ from the schema's "
                         f"{sorted(declared)}")
    return found


def _listed(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def main(database: str, descriptor: str) -> int:
    found = problems(Path(database), Path(descriptor))
    for problem in found:
        print(f"FAIL sqlite-utils {version('sqlite-utils')}: {problem}")
    if not found:
        db = sqlite_utils.Database(database)
        print(f"ok   sqlite-utils {version('sqlite-utils')}: {len(db.table_names())} tables with "
              f"the schema's columns, every CSV row and every declared foreign key")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
