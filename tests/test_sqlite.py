"""The SQLite database and its Datasette metadata, checked against the CSVs they come from."""

import asyncio
import copy
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from datasette.app import Datasette
from markupsafe import escape

from conftest import ROOT
from fixtures.hostile import (
    cell_value,
    csv_rows,
    facts_of,
    hostile_package,
    open_package,
    tables,
    typed,
)
from opendata.exceptions import OpendataError
from opendata.publish.facts import Bilingual
from opendata.publish.sqlite import database, datasette_metadata
from opendata.shape import Table

SQL_TYPES = {"integer": {"integer"}, "boolean": {"integer"}, "number": {"integer", "real"},
             "string": {"text"}}


@pytest.fixture(params=["published", "hostile"])
def package(request, tmp_path) -> Path:
    """The folder of this repository's published package, or of the hostile fixture."""
    return ROOT if request.param == "published" else hostile_package(tmp_path / "hostile")


@pytest.fixture
def db(package, tmp_path) -> sqlite3.Connection:
    target = tmp_path / "package.db"
    database(open_package(package), typed(package), target)
    connection = sqlite3.connect(target)
    yield connection
    connection.close()


def test_every_row_of_every_table_with_its_values(package, db):
    for resource in tables(open_package(package)):
        fields = resource["schema"]["fields"]
        names = ", ".join(f'"{f["name"]}"' for f in fields)
        stored = db.execute(f'SELECT {names} FROM "{resource["name"]}" ORDER BY rowid').fetchall()
        expected = [tuple(cell_value(f, row[f["name"]]) for f in fields)
                    for row in csv_rows(package, resource)]
        assert len(stored) == len(expected)
        assert [tuple(_exact(v) for v in row) for row in stored] == expected


def _exact(value):
    return Decimal(str(value)) if isinstance(value, float) else value


def test_columns_have_the_types_of_their_fields(package, db):
    for resource in tables(open_package(package)):
        for field in resource["schema"]["fields"]:
            types = {t for (t,) in db.execute(
                f'SELECT DISTINCT typeof("{field["name"]}") FROM "{resource["name"]}"')}
            assert types - {"null"} <= SQL_TYPES[field["type"]], (resource["name"], field)


def test_primary_and_foreign_keys_are_declared(package, db):
    for resource in tables(open_package(package)):
        schema, name = resource["schema"], resource["name"]
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        primary = [column for _, column, *_, pk in sorted(info, key=lambda c: c[-1]) if pk]
        assert primary == schema.get("primaryKey", [])
        declared = {(row[2], row[3], row[4])
                    for row in db.execute(f'PRAGMA foreign_key_list("{name}")')}
        assert declared == {(k["reference"]["resource"] or name, field, ref)
                            for k in schema.get("foreignKeys", [])
                            for field, ref in zip(k["fields"], k["reference"]["fields"],
                                                  strict=True)}


def test_foreign_keys_hold_and_referenced_tables_come_first(package, db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    order = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert sorted(order) == sorted(r["name"] for r in tables(open_package(package)))
    for position, name in enumerate(order):
        for parent in {row[2] for row in db.execute(f'PRAGMA foreign_key_list("{name}")')}:
            assert parent == name or order.index(parent) < position, (name, parent)


def test_same_package_same_bytes(package, tmp_path):
    descriptor = open_package(package)
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    database(descriptor, typed(package), first)
    second.write_bytes(b"an older database")
    database(copy.deepcopy(descriptor), typed(package), second)
    assert second.read_bytes() == first.read_bytes()


def test_a_broken_foreign_key_is_reported_and_no_file_is_left(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    units = folder / "data" / "units.csv"
    units.write_text(units.read_text("utf-8").replace("10k-yuan,yuan", "10k-yuan,dollar"),
                     encoding="utf-8")
    target = tmp_path / "out" / "package.db"
    target.parent.mkdir()
    with pytest.raises(OpendataError, match="break a foreign key, first table units"):
        database(open_package(folder), typed(folder), target)
    assert list(target.parent.iterdir()) == []


def test_datasette_metadata_describes_every_table_and_column(package):
    descriptor = open_package(package)
    metadata = datasette_metadata(facts_of(descriptor), "report")
    facts = facts_of(descriptor)
    assert descriptor["title_en"] in metadata["title"]
    assert metadata["license_url"] == descriptor["licenses"][0]["path"]
    source = descriptor["sources"][0]
    assert metadata["source"] == source.get("title_en", source["title"])
    assert metadata["source_url"] == facts.url(f"downloads/{source['path']}")
    assert facts.citation("zh-Hans") in metadata["description"]
    assert descriptor["version"] in metadata["about"]
    described = metadata["databases"]["report"]["tables"]
    assert list(described) == [r["name"] for r in tables(descriptor)]
    for resource in tables(descriptor):
        table = described[resource["name"]]
        description = Bilingual.of(resource, "description")
        assert description.en in table["description"] and description.zh in table["description"]
        fields = resource["schema"]["fields"]
        assert list(table["columns"]) == [f["name"] for f in fields]
        for field in fields:
            text = Bilingual.of(field, "description")
            assert text.en in table["columns"][field["name"]]
            assert text.zh in table["columns"][field["name"]]


def test_datasette_column_descriptions_name_the_unit_column(package):
    descriptor = open_package(package)
    described = datasette_metadata(facts_of(descriptor), "report")["databases"]["report"]["tables"]
    for resource in tables(descriptor):
        for figure in Table(resource).figures:  # as the descriptor declares them
            for name in (figure.value, figure.base) if figure.unit else ():
                unit = described[resource["name"]]["columns"][name].partition("Unit:")[2]
                assert f"`{figure.unit}`" in unit, name


def test_datasette_serves_the_database_with_its_metadata(package, tmp_path):
    descriptor = open_package(package)
    target = tmp_path / "report.db"
    database(descriptor, typed(package), target)
    metadata = datasette_metadata(facts_of(descriptor), target.stem)
    first = tables(descriptor)[0]
    expected_rows = len(csv_rows(package, first))

    async def visit():
        datasette = Datasette(files=[str(target)], metadata=metadata)
        await datasette.invoke_startup()
        data = await datasette.client.get(f"/report/{first['name']}.json?_size=max")
        page = await datasette.client.get(f"/report/{first['name']}")
        served = await datasette.client.get("/-/metadata.json")
        return data, page, served

    data, page, served = asyncio.run(visit())
    assert data.status_code == 200 and page.status_code == 200
    body = data.json()
    assert len(body["rows"]) == expected_rows and body["truncated"] is False
    assert body["columns"] == [f["name"] for f in first["schema"]["fields"]]
    assert body["license"] == metadata["license"] and body["source"] == metadata["source"]
    assert served.json() == json.loads(json.dumps(metadata))
    column = first["schema"]["fields"][-1]["name"]
    described = metadata["databases"]["report"]["tables"][first["name"]]
    assert str(escape(described["description"])) in page.text
    assert str(escape(described["columns"][column])) in page.text


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_datasette_follows_every_foreign_key_link_of_the_export(tmp_path):
    """The export as publish names it, served by the installed Datasette: every link to a row
    of another table answers 200 and enum columns facet (scripts/real-tools-check.sh runs the
    same on Datasette 0.65 and 1.0a)."""
    import subprocess
    import sys

    from opendata.publish.sqlite import database_name

    descriptor = open_package(ROOT)
    facts = facts_of(descriptor)
    name = database_name(facts)
    assert "." not in name
    target = tmp_path / f"{name}.sqlite"
    database(descriptor, typed(ROOT), target)
    metadata = tmp_path / "metadata.json"
    metadata.write_text(json.dumps(datasette_metadata(facts, name)), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts/real_tools/datasette_links.py"),
                             str(target), str(metadata), str(ROOT / "datapackage.json")],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok ") and " 0 foreign-key links" not in result.stdout
