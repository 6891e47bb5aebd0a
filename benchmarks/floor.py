"""The floor: what reading and checking a package's tables costs at the least.

    python -m benchmarks.floor datapackage.json

pyarrow (C++, several threads) reads every table of the descriptor with its schema's types
and checks what frictionless checks of each: the file's hash, types, required cells, enums,
patterns and minimums, the primary key and the foreign keys. It prints the number of rows
and of failed checks, and exits 1 when a check fails. It is no validator (it says neither
row nor field); it shows how far any Python validator stands from the limit. pyarrow is
installed by the ``benchmark`` extra only.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

TYPES = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
         "string": pa.string(), "year": pa.int64()}


def read(root: Path, resource: dict) -> tuple[pa.Table, int]:
    """The table with its schema's types, and 1 when a cell is not of its type (0 if not).

    A table with a cell of the wrong type is read again as text, so its other checks run.
    """
    fields = resource["schema"]["fields"]
    types = {f["name"]: TYPES.get(f["type"], pa.string()) for f in fields}
    for failed, typed in ((0, types), (1, dict.fromkeys(types, pa.string()))):
        try:
            return csv.read_csv(root / resource["path"], convert_options=csv.ConvertOptions(
                column_types=typed, strings_can_be_null=True, true_values=["true"],
                false_values=["false"])), failed
        except pa.ArrowInvalid:
            continue
    raise AssertionError("every cell can be read as text")


def holds(condition: pa.Array) -> bool:
    """Whether every value of ``condition`` is true; an empty column breaks no rule (pyarrow's
    ``all`` gives null for no values unless told that none is enough)."""
    return bool(pc.all(condition, min_count=0).as_py())


def failures(table: pa.Table, resource: dict, tables: dict[str, pa.Table]) -> int:
    """How many checks of ``resource`` fail (a count, not a report)."""
    failed = 0
    schema = resource["schema"]
    for field in schema["fields"]:
        column, constraints = table[field["name"]], field.get("constraints", {})
        present = pc.drop_null(column)
        failed += bool(constraints.get("required")) and column.null_count > 0
        if "enum" in constraints:
            failed += not holds(pc.is_in(present, pa.array(constraints["enum"])))
        if "pattern" in constraints:
            failed += not holds(pc.match_substring_regex(
                present, f"^(?:{constraints['pattern']})$"))
        numeric = pa.types.is_integer(present.type) or pa.types.is_floating(present.type)
        if "minimum" in constraints and numeric and len(present):
            failed += pc.min(present).as_py() < constraints["minimum"]
    key = schema.get("primaryKey", [])
    if key:
        failed += pc.count_distinct(table[key[0]]).as_py() != table.num_rows
    for foreign in schema.get("foreignKeys", []):
        target = tables[foreign["reference"]["resource"] or resource["name"]]
        values = pc.drop_null(table[foreign["fields"][0]])
        known = target[foreign["reference"]["fields"][0]]
        failed += not holds(pc.is_in(values, known))
    return failed


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "datapackage.json")
    root = path.parent
    descriptor = json.loads(path.read_text("utf-8"))
    resources = descriptor["resources"]
    failed = 0
    for resource in resources:
        expected = resource.get("hash", "").removeprefix("sha256:")
        failed += hashlib.sha256((root / resource["path"]).read_bytes()).hexdigest() != expected
    tables = {}
    for resource in resources:
        if resource.get("schema"):
            tables[resource["name"]], mistyped = read(root, resource)
            failed += mistyped
    for resource in resources:
        if resource.get("schema"):
            failed += failures(tables[resource["name"]], resource, tables)
    rows = sum(t.num_rows for t in tables.values())
    print(f"{rows} rows, {failed} failed check(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
