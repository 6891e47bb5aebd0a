"""The published tables as pandas DataFrames, typed by their Table Schema.

Column dtypes follow the schema in the descriptor, the single source of truth:

- integer → ``Int64`` (nullable);
- number → ``decimal.Decimal`` objects in an ``object`` column, exact as printed: ``117.95``
  stays ``Decimal("117.95")``, with no binary rounding. Convert with ``.astype(float)`` when
  exactness does not matter;
- boolean → ``boolean`` (nullable);
- string with an ``enum`` → ``Categorical`` with exactly the enum, in schema order;
- other string → ``string``;
- missing values (the schema's ``missingValues``) → NA.
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urljoin
from urllib.request import urlopen

import pandas as pd
from frictionless import Field, FrictionlessException, Package, Schema

import opendata
from opendata.check.guard import check_resources, read_descriptor
from opendata.exceptions import OpendataError
from opendata.paths import Project
from opendata.shape import Table

ENV = "OPENDATA_PACKAGE"  # a datapackage.json, a package folder or a URL
DESCRIPTOR = "datapackage.json"
TIMEOUT = 60  # seconds for each download
MAX_DOWNLOAD = 512 * 1024 * 1024


def load(table: str | None = None,
         path: str | os.PathLike | None = None) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Table ``table`` of the package as a DataFrame, or every table by name when ``table`` is
    None.

    ``path`` is a datapackage.json, a package folder or an http(s) URL of a datapackage.json.
    Without it: the package named by $OPENDATA_PACKAGE, else the one of the project checkout
    this toolkit is installed from. Raises OpendataError when there is no package, a file
    cannot be read or a cell does not have its field's type.
    """
    location = descriptor_location(path)
    descriptor = _descriptor(location)
    schemas = _schemas(descriptor, location)
    resources = {r["name"]: r for r in descriptor.get("resources", []) if r["name"] in schemas}
    if table is None:
        return {name: frame(r, schemas[name], location) for name, r in resources.items()}
    if table not in resources:
        raise OpendataError(f"{location} has no table {table!r}; it has "
                            f"{', '.join(resources) or 'none'}")
    return frame(resources[table], schemas[table], location)


def descriptor_location(path: str | os.PathLike | None) -> str:
    """The URL or absolute file path of the datapackage.json meant by ``path``."""
    if path is None:
        path = os.environ.get(ENV) or installed_package()
    text = os.fspath(path)
    if _is_url(text):
        return urljoin(text, DESCRIPTOR) if text.endswith("/") else text
    local = Path(text).expanduser().resolve()
    if local.is_dir():
        local = local / DESCRIPTOR
    if not local.is_file():
        raise OpendataError(f"{local}: no such data package descriptor")
    return str(local)


def _descriptor(location: str) -> dict:
    """The descriptor at ``location``, checked before any of its files is read."""
    if _is_url(location):
        with tempfile.TemporaryDirectory() as temporary:
            copy_path = Path(temporary) / DESCRIPTOR
            copy_path.write_bytes(_read(location))
            descriptor = read_descriptor(copy_path)
            check_resources(descriptor, Path(temporary), location)
        return descriptor
    descriptor = read_descriptor(Path(location))
    check_resources(descriptor, Path(location).parent, location)
    return descriptor


def installed_package() -> Path:
    """The datapackage.json of the project checkout this toolkit is installed from."""
    for folder in Path(opendata.__file__).resolve().parents:
        project = Project(folder)
        if project.descriptor.is_file() and project.package_config.is_file():
            return project.descriptor
    raise OpendataError(
        f"no data package found: this toolkit is not installed from a project checkout and "
        f"{ENV} is not set. Pass a path or URL, e.g. load('results', path='datapackage.json').")


def _schemas(descriptor: dict, location: str) -> dict[str, Schema]:
    """The Table Schemas of the package, read as the standard its descriptor declares."""
    try:
        package = Package(copy.deepcopy(descriptor))
    except FrictionlessException as error:
        raise OpendataError(f"{location}: not a valid data package descriptor ({error})") from error
    tables = [r["name"] for r in descriptor.get("resources", []) if "schema" in r]
    return {name: package.get_resource(name).schema for name in tables}


def frame(resource: dict, schema: Schema, location: str) -> pd.DataFrame:
    """The table of ``resource`` (from the descriptor at ``location``) typed by ``schema``,
    the frictionless reading of its Table Schema.

    ``attrs["figures"]`` lists the table's quoted figures as the package declares them
    (``{"value": "value", "unit": "unit", "base": "value_base", ...}``), so that code can
    find, say, every value in its base unit without knowing the column names.
    """
    where = _resource_location(resource, location)
    try:
        raw = pd.read_csv(io.BytesIO(_read(where)), dtype=str, encoding="utf-8",
                          keep_default_na=False, na_filter=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise OpendataError(f"{where}: not a UTF-8 CSV table of its schema ({error})") from error
    if list(raw.columns) != schema.field_names:
        raise OpendataError(f"{where}: the columns {list(raw.columns)} are not the schema's "
                            f"{schema.field_names}")
    table = pd.DataFrame({f.name: column(f, raw[f.name], where) for f in schema.fields})
    table.attrs["figures"] = [{k: v for k, v in vars(figure).items() if v not in (None, {})}
                              for figure in Table(resource).figures]
    return table


def column(field: Field, texts: pd.Series, where: str) -> Any:
    """The cells ``texts`` of ``field`` as the array its type asks for."""
    values = []
    for number, text in enumerate(texts, start=2):  # row 1 is the header
        value, notes = field.read_cell(text)
        if notes and "type" in notes:
            raise OpendataError(f"{where}: row {number}, field {field.name}: {text!r} is "
                                f"not a {field.type}")
        values.append(value)
    return typed(field, values, where)


def typed(field: Field, values: list[Any], where: str) -> Any:
    """``values`` (None where missing) in the pandas dtype of ``field``."""
    enum = field.constraints.get("enum")
    if field.type == "integer":
        return pd.array(values, dtype="Int64")
    if field.type == "boolean":
        return pd.array(values, dtype="boolean")
    if field.type == "string" and enum:
        outside = sorted({v for v in values if v is not None} - set(enum))
        if outside:  # a Categorical would turn them into NA without a word
            raise OpendataError(f"{where}: field {field.name}: {outside} not in its enum")
        return pd.Categorical(values, categories=enum)
    if field.type == "string":
        return pd.array(values, dtype="string")
    return pd.Series([pd.NA if v is None else v for v in values], dtype=object)


def _resource_location(resource: dict, location: str) -> str:
    """Where the file of ``resource`` is: relative paths are relative to the descriptor (the
    descriptor was refused already when one leads out of the package)."""
    path = resource.get("path")
    if not isinstance(path, str):
        raise OpendataError(f"{location}: table {resource['name']} has no single file path")
    if _is_url(path):
        return path
    if _is_url(location):
        return urljoin(location, path)
    return str(Path(location).parent / path)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _read(location: str) -> bytes:
    try:
        if _is_url(location):
            with urlopen(location, timeout=TIMEOUT) as response:
                content = response.read(MAX_DOWNLOAD + 1)  # bounded memory
            if len(content) > MAX_DOWNLOAD:
                raise OpendataError(f"{location}: larger than {MAX_DOWNLOAD} bytes; refusing")
            return content
        return Path(location).read_bytes()
    except (OSError, URLError) as error:
        raise OpendataError(f"{location}: cannot be read ({error})") from error
