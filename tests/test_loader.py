"""Loading the published tables into pandas, typed by their schema, from a folder or a URL."""

import functools
import subprocess
import sys
import threading
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

import opendata
from conftest import ROOT
from fixtures.hostile import cell_value, csv_rows, hostile_package, open_package, tables
from opendata import loader
from opendata.exceptions import OpendataError


@pytest.fixture(params=["published", "hostile"])
def package(request, tmp_path) -> Path:
    """The folder of this repository's published package, or of the hostile fixture."""
    return ROOT if request.param == "published" else hostile_package(tmp_path / "hostile")


def expected_dtype(field: dict):
    enum = field.get("constraints", {}).get("enum")
    if field["type"] == "string" and enum:
        return pd.CategoricalDtype(enum)
    return {"integer": pd.Int64Dtype(), "boolean": pd.BooleanDtype(), "number": object,
            "string": pd.StringDtype()}[field["type"]]


def test_every_field_has_the_dtype_of_its_schema_type(package):
    frames = opendata.load(path=package)
    descriptor = open_package(package)
    assert list(frames) == [r["name"] for r in tables(descriptor)]
    for resource in tables(descriptor):
        frame = frames[resource["name"]]
        fields = resource["schema"]["fields"]
        assert list(frame.columns) == [f["name"] for f in fields]
        for field in fields:
            assert frame[field["name"]].dtype == expected_dtype(field), field["name"]
            if field["type"] == "string" and "enum" in field.get("constraints", {}):
                assert list(frame[field["name"]].cat.categories) == field["constraints"]["enum"]


def test_values_are_the_csv_cells_and_numbers_are_exact(package):
    frames = opendata.load(path=package)
    for resource in tables(open_package(package)):
        frame, fields = frames[resource["name"]], resource["schema"]["fields"]
        rows = csv_rows(package, resource)
        assert len(frame) == len(rows)
        for (_, loaded), row in zip(frame.iterrows(), rows, strict=True):
            for field in fields:
                value, expected = loaded[field["name"]], cell_value(field, row[field["name"]])
                if expected is None:
                    assert pd.isna(value), (field["name"], value)
                else:
                    assert value == expected, (field["name"], value)
                    if field["type"] == "number":
                        assert type(value) is Decimal and str(value) == row[field["name"]]


def test_one_table_is_the_same_as_in_all_tables(package):
    everything = opendata.load(path=package)
    for name, frame in everything.items():
        pd.testing.assert_frame_equal(opendata.load(name, path=package), frame)


def test_a_folder_a_descriptor_path_and_a_string_give_the_same_tables(package):
    descriptor = package / "datapackage.json"
    for path in (descriptor, str(descriptor), str(package)):
        pd.testing.assert_frame_equal(loader.load("units", path=path),
                                      loader.load("units", path=package))


def test_without_a_path_the_package_of_this_checkout_is_loaded(monkeypatch):
    monkeypatch.delenv(loader.ENV, raising=False)
    pd.testing.assert_frame_equal(opendata.load("results"), opendata.load("results", path=ROOT))


def test_the_environment_names_another_package(monkeypatch, tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    monkeypatch.setenv(loader.ENV, str(folder))
    assert list(opendata.load()) == [r["name"] for r in tables(open_package(folder))]


def test_without_any_package_the_error_says_to_pass_one(monkeypatch, tmp_path):
    monkeypatch.delenv(loader.ENV, raising=False)
    monkeypatch.setattr(opendata, "__file__", str(tmp_path / "site-packages" / "opendata" / "x.py"))
    with pytest.raises(OpendataError, match="Pass a path or URL"):
        opendata.load("results")


def test_an_unknown_table_names_the_tables_there_are(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    with pytest.raises(OpendataError, match="no table 'nope'; it has notes, units"):
        opendata.load("nope", path=folder)


def test_a_cell_of_the_wrong_type_is_reported(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    table.write_text(table.read_text("utf-8").replace("0.10", "0.1O", 1), encoding="utf-8")
    with pytest.raises(OpendataError, match=r"notes.csv: row 2, field value: '0.1O' is not a"):
        opendata.load("notes", path=folder)


def test_a_value_outside_its_enum_is_reported_not_dropped(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    table = folder / "data" / "notes.csv"
    table.write_text(table.read_text("utf-8").replace(",true,b\n", ",true,c\n", 1),
                     encoding="utf-8")
    with pytest.raises(OpendataError, match=r"field kind: \['c'\] not in its enum"):
        opendata.load("notes", path=folder)


def test_a_table_outside_the_package_folder_is_refused(tmp_path):
    folder = hostile_package(tmp_path / "hostile")
    descriptor = folder / "datapackage.json"
    descriptor.write_text(descriptor.read_text("utf-8").replace("data/units.csv",
                                                                "../units.csv"), "utf-8")
    with pytest.raises(OpendataError, match=r"path '\.\./units.csv' climbs out of the package"):
        opendata.load("units", path=folder)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """The hostile package served over HTTP on 127.0.0.1, stopped after the test."""
    folder = hostile_package(tmp_path / "hostile")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_package_is_loaded_from_a_url(served):
    folder, url = served
    local = opendata.load(path=folder)
    for remote in (opendata.load(path=url + "datapackage.json"), opendata.load(path=url)):
        assert list(remote) == list(local)
        for name, frame in local.items():
            pd.testing.assert_frame_equal(remote[name], frame)


def test_a_missing_url_is_reported(served):
    _, url = served
    with pytest.raises(OpendataError, match=r"nothing\.json: cannot be read"):
        opendata.load(path=url + "nothing.json")


def test_importing_the_toolkit_does_not_import_pandas():
    code = "import sys, opendata; opendata.load; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
