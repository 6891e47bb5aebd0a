"""The researcher workbook: typed cells, text that never turns into a formula, reproducible."""

import copy
import hashlib
import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from fixtures.hostile import (
    HOSTILE_TEXT,
    cell_value,
    csv_rows,
    facts_of,
    hostile_package,
    open_package,
    tables,
    typed,
)
from opendata.exceptions import OpendataError
from opendata.publish.xlsx import ABOUT, DICTIONARY, FORMULA_STARTS, workbook
from opendata.release.archive import EPOCH
from opendata.shape import Table


@pytest.fixture(params=["published", "hostile"])
def package(request, tmp_path) -> Path:
    """The folder of this repository's published package, or of the hostile fixture."""
    return ROOT if request.param == "published" else hostile_package(tmp_path / "hostile")


@pytest.fixture
def book(package) -> openpyxl.Workbook:
    content = workbook(facts_of(open_package(package)), typed(package))
    return openpyxl.load_workbook(io.BytesIO(content))


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
            for field, cell in zip(fields, row, strict=True):
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
    content = workbook(facts_of(open_package(folder)), typed(folder))
    book = openpyxl.load_workbook(io.BytesIO(content))
    column = list(book["notes"]["B"][1:])
    assert [c.value for c in column] == [t or None for t in HOSTILE_TEXT]
    for cell, text in zip(column, HOSTILE_TEXT, strict=True):
        if text:
            assert cell.data_type == "s", text
            assert cell.quotePrefix == text.startswith(FORMULA_STARTS), text
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_dictionary_lists_every_field_of_every_table(package, book):
    descriptor = open_package(package)
    rows = list(book[DICTIONARY].iter_rows(values_only=True))
    assert "字段 Field" in rows[0]
    entries = {(row[0], row[1]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    expected = [(r["name"], f["name"]) for r in tables(descriptor) for f in r["schema"]["fields"]]
    assert list(entries) == expected
    for resource in tables(descriptor):
        for field in resource["schema"]["fields"]:
            entry = entries[(resource["name"], field["name"])]
            assert entry["类型 Type"] == field["type"]
            for language, suffix in (("zh", "中文"), ("en", "英文")):
                label = field.get(f"title_{language}") or field.get("title") or None
                text = field.get(f"description_{language}") or field.get("description") or None
                assert entry[f"{suffix}标签 Label ({language})"] == label
                assert entry[f"{suffix}说明 Description ({language})"] == text


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
    first = workbook(facts_of(descriptor), typed(package))
    assert workbook(facts_of(copy.deepcopy(descriptor)), typed(package)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {EPOCH}
    properties = openpyxl.load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified
    assert properties.created.isoformat() == descriptor["created"].removesuffix("Z")


# The workbook of a package, made in a fresh interpreter that runs FIRST before anything
WORKBOOK = """
import hashlib, sys
from pathlib import Path
{first}
from opendata.check.published import PublishedPackage
from opendata.publish.facts import PackageFacts
from opendata.publish.tabular import typed_tables
from opendata.publish.xlsx import workbook
package = PublishedPackage.open(Path(sys.argv[1]))
facts = PackageFacts.of(package.descriptor, "https://data.example.org/report/", "2026-11-27")
content = workbook(facts, typed_tables(package))
imported = "numpy" in sys.modules
import numpy  # still importable
print(imported, hashlib.sha256(content).hexdigest())
"""


def test_numpy_is_not_imported_for_the_workbook_and_changes_none_of_it(package):
    """openpyxl is imported with numpy hidden (numpy's import is an eighth of a publish's
    CPU): the workbook is the bytes openpyxl writes with numpy, and numpy stays importable."""
    made = [subprocess.run([sys.executable, "-c", WORKBOOK.format(first=first),
                            str(package / "datapackage.json")],
                           capture_output=True, text=True, check=True).stdout.split()
            for first in ("import numpy", "")]
    expected = hashlib.sha256(workbook(facts_of(open_package(package)),
                                       typed(package))).hexdigest()
    assert made == [["True", expected], ["False", expected]]


def test_a_cell_of_the_wrong_type_is_reported(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    table.write_text(table.read_text("utf-8").replace(",2023,", ",20x3,"), encoding="utf-8")
    with pytest.raises(OpendataError, match=r"data/notes.csv: row \d+, field count: '20x3'"):
        workbook(facts_of(open_package(folder)), typed(folder))


def test_a_control_character_is_reported(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    table.write_text(table.read_text("utf-8").replace("+cmd", "bell\x07"), encoding="utf-8")
    with pytest.raises(OpendataError, match="sheet notes, row 3: a text holds a control"):
        workbook(facts_of(open_package(folder)), typed(folder))
