"""The typed rows every export reads: each cell as frictionless reads it by its field."""

from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Schema

from conftest import ROOT
from fixtures.hostile import csv_rows, hostile_package, open_package, tables
from opendata.check.published import PublishedPackage
from opendata.exceptions import OpendataError
from opendata.publish.tabular import typed_tables


@pytest.fixture(params=["published", "hostile"])
def package(request, tmp_path) -> Path:
    """The folder of this repository's published package, or of the hostile fixture."""
    return ROOT if request.param == "published" else hostile_package(tmp_path / "hostile")


def test_every_cell_is_the_value_frictionless_reads(package):
    typed = typed_tables(PublishedPackage.open(package / "datapackage.json"))
    descriptor = open_package(package)
    assert list(typed) == [r["name"] for r in tables(descriptor)]
    for resource in tables(descriptor):
        schema = Schema.from_descriptor(resource["schema"])
        expected = [[field.read_cell(row[field.name])[0] for field in schema.fields]
                    for row in csv_rows(package, resource)]
        assert typed[resource["name"]] == expected, resource["name"]
    # every kind of value is compared: numbers, integers, booleans, text and missing values
    kinds = {type(value) for rows in typed.values() for row in rows for value in row}
    assert kinds == {Decimal, int, bool, str, type(None)}


def test_a_header_that_is_not_the_schema_is_reported(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    text = table.read_text("utf-8")
    table.write_text("renamed" + text[text.index(","):], encoding="utf-8")
    with pytest.raises(OpendataError, match=r"data/notes.csv: the header \['renamed'"):
        typed_tables(PublishedPackage.open(folder / "datapackage.json"))
