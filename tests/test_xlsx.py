"""The researcher workbook: typed cells, text that never turns into a formula, reproducible."""

import copy
import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from opendata.tables import Table
from opendata.archive import EPOCH
from opendata.exceptions import OpendataError
from opendata.publish.facts import PackageFacts
from opendata.publish.xlsx import ABOUT, DICTIONARY, FORMULA_STARTS, workbook

HOSTILE_TEXT = ["=1+1", "+cmd", "-2", "@SUM(A1)", "#N/A", '=HYPERLINK("http://x","y")',
                " spaced ", "中文 · text", ""]
AMOUNTS = ["0.10", "7.0", "117.95", "123456789012345", "", "3"]
MULTIPLIERS = {"10k-yuan": "10000", "yuan": "1"}


def hostile_package(folder: Path) -> Path:
    """A package whose text looks like formulas, numbers and errors, with exact decimals, empty
    cells, an enum out of alphabetical order and a unit listed before its base unit."""
    folder.mkdir(parents=True, exist_ok=True)
    units = [[u, "yuan", m] for u, m in MULTIPLIERS.items()]  # 10k-yuan refers to a later row
    notes = []
    for i, text in enumerate(HOSTILE_TEXT):
        amount, unit = AMOUNTS[i % len(AMOUNTS)], list(MULTIPLIERS)[i % 2]
        base = str(Decimal(amount) * Decimal(MULTIPLIERS[unit])) if amount else ""
        notes.append([f"note-{i}", text, amount, unit if amount else "", base,
                      ["", "0", "-5", "2023"][i % 4], ["true", "false", ""][i % 3],
                      ["b", "a", ""][i % 3]])
    _write_csv(folder / "data" / "notes.csv", NOTES_FIELDS, notes)
    _write_csv(folder / "data" / "units.csv", UNITS_FIELDS, units)
    (folder / "source.txt").write_text("no source\n", encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(HOSTILE_DESCRIPTOR, ensure_ascii=False),
                                             encoding="utf-8")
    return folder


NOTES_FIELDS = [
    {"name": "id", "type": "string", "description": "Row id.", "constraints": {"required": True}},
    {"name": "text", "type": "string", "description": "Hostile text.", "title_zh": "文本",
     "title_en": "Text"},
    {"name": "value", "type": "number", "description": "Amount as printed, in `unit`."},
    {"name": "unit", "type": "string", "description": "Unit of value."},
    {"name": "value_base", "type": "number", "description": "Amount in the base unit."},
    {"name": "count", "type": "integer", "description": "A count."},
    {"name": "flag", "type": "boolean", "description": "A flag."},
    {"name": "kind", "type": "string", "description": "A kind.",
     "constraints": {"enum": ["b", "a"]}},
]
UNITS_FIELDS = [
    {"name": "id", "type": "string", "constraints": {"required": True}},
    {"name": "base_unit", "type": "string", "constraints": {"required": True}},
    {"name": "multiplier", "type": "number", "constraints": {"required": True}},
]
HOSTILE_DESCRIPTOR = {
    "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
    "name": "hostile-fixture", "title": "Hostile fixture / 敌意样例", "title_zh": "敌意样例",
    "title_en": "Hostile fixture", "description": "Cells that look like formulas.",
    "version": "0.1.0", "created": "2025-01-02T03:04:05Z",
    "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
    "contributors": [{"title": "fixture author", "roles": ["creator"]}],
    "sources": [{"title": "no source", "path": "source.txt"}],
    "resources": [
        {"name": "notes", "type": "table", "path": "data/notes.csv", "format": "csv",
         "encoding": "utf-8", "title": "Notes", "description": "Hostile notes.",
         "opendata:quoted": {"figures": [{"value": "value", "unit": "unit", "base": "value_base"}]},
         "schema": {"fields": NOTES_FIELDS, "missingValues": [""], "primaryKey": ["id"],
                    "foreignKeys": [{"fields": ["unit"],
                                     "reference": {"resource": "units", "fields": ["id"]}}]}},
        {"name": "units", "type": "table", "path": "data/units.csv", "format": "csv",
         "encoding": "utf-8", "title": "Units", "description": "Units.",
         "schema": {"fields": UNITS_FIELDS, "primaryKey": ["id"],
                    "foreignKeys": [{"fields": ["base_unit"],
                                     "reference": {"resource": "", "fields": ["id"]}}]}},
        {"name": "source", "path": "source.txt", "format": "txt"},
    ],
}


def _write_csv(path: Path, fields: list[dict], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[f["name"] for f in fields], *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def facts_of(descriptor: dict) -> PackageFacts:
    return PackageFacts.of(descriptor, "https://data.example.org/report/", "2026-11-27")


def open_package(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def tables(descriptor: dict) -> list[dict]:
    return [r for r in descriptor["resources"] if "schema" in r]


def csv_rows(folder: Path, resource: dict) -> list[dict[str, str]]:
    with open(folder / resource["path"], encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def cell_value(field: dict, text: str):
    """What a CSV cell means by the Table Schema type of its field (None when empty)."""
    if text == "":
        return None
    return {"integer": int, "number": Decimal,
            "boolean": {"true": True, "false": False}.get}.get(field["type"], str)(text)


@pytest.fixture(params=["published", "hostile"])
def package(request, tmp_path) -> Path:
    """The folder of this repository's published package, or of the hostile fixture."""
    return ROOT if request.param == "published" else hostile_package(tmp_path / "hostile")


@pytest.fixture
def book(package) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook(facts_of(open_package(package)), package)))


def test_every_table_is_a_sheet_with_every_row(package, book):
    descriptor = open_package(package)
    names = [r["name"] for r in tables(descriptor)]
    assert book.sheetnames == [ABOUT, DICTIONARY, *names]
    for resource in tables(descriptor):
        sheet, fields = book[resource["name"]], resource["schema"]["fields"]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [f["name"] for f in fields]
        expected = [[cell_value(f, row[f["name"]]) for f in fields]
                    for row in csv_rows(package, resource)]
        assert [_exact(list(row)) for row in rows[1:]] == expected


def _exact(values: list) -> list:
    """Read-back numbers as Decimals, so that they compare with the CSV text exactly."""
    return [Decimal(str(v)) if isinstance(v, float) else v for v in values]


def test_cells_have_the_schema_types(package, book):
    for resource in tables(open_package(package)):
        fields = resource["schema"]["fields"]
        for row in book[resource["name"]].iter_rows(min_row=2):
            for field, cell in zip(fields, row):
                if cell.value is None:
                    continue
                kind = {"integer": "n", "number": "n", "boolean": "b"}.get(field["type"], "s")
                assert cell.data_type == kind, (resource["name"], field["name"], cell.value)


def test_numbers_show_the_decimal_places_printed(package, book):
    for resource in tables(open_package(package)):
        fields = resource["schema"]["fields"]
        sheet = book[resource["name"]]
        for number, row in enumerate(csv_rows(package, resource), start=2):
            for index, field in enumerate(fields, start=1):
                text = row[field["name"]]
                if field["type"] == "number" and text:
                    cell = sheet.cell(number, index)
                    places = len(cell.number_format.partition(".")[2])
                    assert f"{Decimal(str(cell.value)):.{places}f}" == text


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    book = openpyxl.load_workbook(io.BytesIO(workbook(facts_of(open_package(folder)), folder)))
    column = [c for c in book["notes"]["B"][1:]]
    assert [c.value for c in column] == [t or None for t in HOSTILE_TEXT]
    for cell, text in zip(column, HOSTILE_TEXT):
        if text:
            assert cell.data_type == "s", text
            assert cell.quotePrefix == text.startswith(FORMULA_STARTS), text
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_dictionary_lists_every_field_of_every_table(package, book):
    descriptor = open_package(package)
    rows = list(book[DICTIONARY].iter_rows(values_only=True))
    assert "字段 Field" in rows[0]
    entries = {(row[0], row[1]): dict(zip(rows[0], row)) for row in rows[1:]}
    expected = [(r["name"], f["name"]) for r in tables(descriptor) for f in r["schema"]["fields"]]
    assert list(entries) == expected
    for resource in tables(descriptor):
        for field in resource["schema"]["fields"]:
            entry = entries[(resource["name"], field["name"])]
            assert entry["类型 Type"] == field["type"]
            assert entry["说明 Description"] == (field.get("description") or None)
            assert entry["中文标签 Label (zh)"] == field.get("title_zh")


def test_dictionary_says_which_column_holds_the_unit_of_each_figure(package, book):
    units = {(row[0], row[1]): row[3]
             for row in book[DICTIONARY].iter_rows(min_row=2, values_only=True)}
    for resource in tables(open_package(package)):
        names = [f["name"] for f in resource["schema"]["fields"]]
        declared = [f for f in Table(resource).figures if f.unit]  # the declaration, not names
        in_unit = {f.value: f.unit for f in declared} | {f.base: f.unit for f in declared}
        for name in names:
            unit = units[(resource["name"], name)]
            if name in in_unit:
                named = {c for c in names if f"`{c}`" in unit}
                assert named == {in_unit[name]}, (name, unit)
                assert ("base unit" in unit) == (name not in {f.value for f in declared})
            else:
                assert unit is None, name


def test_about_sheet_gives_title_licence_and_citation(package, book):
    descriptor = open_package(package)
    about = dict(book[ABOUT].iter_rows(min_row=2, values_only=True))
    text = "\n".join(v or "" for v in about.values())
    licence = descriptor["licenses"][0]
    for value in (descriptor["title_zh"], descriptor["title_en"], descriptor["version"],
                  descriptor["created"], licence["name"], licence["path"],
                  descriptor["sources"][0].get("title_zh") or descriptor["sources"][0]["title"],
                  descriptor["sources"][0].get("title_en") or descriptor["sources"][0]["title"],
                  *(c["title"] for c in descriptor["contributors"])):
        assert value in text
    zh = next(v for k, v in about.items() if "citation (zh)" in k)
    en = next(v for k, v in about.items() if "citation (en)" in k)
    facts = facts_of(descriptor)
    assert (zh, en) == (facts.citation("zh-Hans"), facts.citation("en"))  # the site's citation
    assert descriptor["title_zh"] in zh and descriptor["title_en"] in en


def test_headers_are_bold_and_frozen_with_a_filter_over_every_row(book):
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        last = sheet.cell(sheet.max_row, sheet.max_column).coordinate
        assert sheet.auto_filter.ref == f"A1:{last}", sheet.title
        assert all(cell.font.b for cell in sheet[1])
        assert all(sheet.column_dimensions[c.column_letter].width > 0 for c in sheet[1])


def test_same_package_same_bytes(package):
    descriptor = open_package(package)
    first = workbook(facts_of(descriptor), package)
    assert workbook(facts_of(copy.deepcopy(descriptor)), package) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {EPOCH}
    properties = openpyxl.load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified
    assert properties.created.isoformat() == descriptor["created"].removesuffix("Z")


def test_a_cell_of_the_wrong_type_is_reported(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    table.write_text(table.read_text("utf-8").replace(",2023,", ",20x3,"), encoding="utf-8")
    with pytest.raises(OpendataError, match=r"data/notes.csv: row \d+, field count: '20x3'"):
        workbook(facts_of(open_package(folder)), folder)


def test_a_control_character_is_reported(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    table.write_text(table.read_text("utf-8").replace("+cmd", "bell\x07"), encoding="utf-8")
    with pytest.raises(OpendataError, match="sheet notes, row 3: a text holds a control"):
        workbook(facts_of(open_package(folder)), folder)
