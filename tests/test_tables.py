"""The shape of a report is data of the project: a report of another shape needs no new code.

The fixture ``other-shape-report`` has no honours and no targets, a seventh kind of table
(livelihood pledges, 民生实事, with three figures of its own) and a projects table with
one more figure (floor area) than the template's.
"""

import json
import sqlite3

import openpyxl
import pytest

from conftest import FIXTURES, copy_project, edit, run_cli
from opendata.shape import QUOTED, TEMPLATE, Shape, template_schemas, undeclared


@pytest.fixture
def other_shape(tmp_path):
    return copy_project(FIXTURES / "other-shape-report", tmp_path / "other")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The other-shape report built, validated, released and published, once."""
    project = copy_project(FIXTURES / "other-shape-report",
                           tmp_path_factory.mktemp("published") / "other")
    for args in (["build"], ["validate"], ["release", "--date", "2026-01-02"], ["publish"]):
        result = run_cli(*args, "--project", str(project.root))
        assert result.exit_code == 0, (args, result.output)
    return project


def resource(project, name):
    descriptor = json.loads(project.descriptor.read_text("utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == name)


def test_the_package_lists_the_tables_the_project_declares(published):
    descriptor = json.loads(published.descriptor.read_text("utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [
        "results", "pledges", "projects", "indicators", "units", "source"]
    declared = json.loads(published.schema("pledges").read_text("utf-8"))
    assert resource(published, "pledges")[QUOTED] == declared[QUOTED]
    assert monolingual(resource(published, "pledges")["schema"]) == declared["schema"]


def test_the_figures_of_the_new_table_are_parsed_from_their_quotes(published):
    rows = {r["id"]: r for r in
            __import__("csv").DictReader(published.table("pledges").open(encoding="utf-8"))}
    childcare, neighbourhoods = rows["childcare-places-2025"], rows["old-neighbourhoods-2025"]
    assert (childcare["delivered"], childcare["delivered_unit"]) == ("800", "unit")
    assert (childcare["budget"], childcare["budget_unit"], childcare["budget_base"]) == (
        "1200", "10k-yuan", "12000000")
    assert (neighbourhoods["beneficiaries"], neighbourhoods["beneficiaries_qualifier"]) == (
        "3000", "about")
    assert (childcare["aspirational"], neighbourhoods["aspirational"]) == ("false", "true")


def test_the_site_shows_the_new_table_and_column_and_no_absent_one(published):
    site = published.root / "site"
    pledges = (site / "en/tables/pledges.html").read_text("utf-8")
    assert "Livelihood pledges" in pledges and "beneficiaries" in pledges
    assert "12,000,000" in pledges  # the budget's base value, formatted
    assert "floor_area" in (site / "en/tables/projects.html").read_text("utf-8")
    assert not (site / "en/tables/honors.html").exists()
    assert not (site / "en/compare.html").exists()  # no table declares a comparison
    assert "compare.html" not in (site / "en/index.html").read_text("utf-8")


def test_the_xlsx_shows_the_new_table_and_column(published):
    [path] = (published.root / "dist").glob("*.xlsx")
    book = openpyxl.load_workbook(path)
    assert {"pledges", "projects"} <= set(book.sheetnames) and "honors" not in book.sheetnames
    header = [c.value for c in next(book["projects"].iter_rows(max_row=1))]
    assert header[header.index("floor_area"):header.index("floor_area") + 4] == [
        "floor_area", "floor_area_unit", "floor_area_base", "floor_area_qualifier"]
    notes = {(r[0], r[1]): r[3] for r in book["数据字典 Data dictionary"].iter_rows(
        min_row=2, values_only=True)}
    assert "`floor_area_unit`" in notes[("projects", "floor_area")]
    assert "`budget_unit`" in notes[("pledges", "budget_base")]


def test_the_sqlite_database_shows_the_new_table_and_column(published):
    [path] = (published.root / "dist").glob("*.sqlite")
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master "
                                                   "WHERE type = 'table'")}
        area = connection.execute("SELECT floor_area, floor_area_base FROM projects").fetchall()
        budget = connection.execute(
            "SELECT budget_base FROM pledges WHERE id = 'childcare-places-2025'").fetchone()
    assert "pledges" in tables and "honors" not in tables
    assert [(float(a), float(b)) for a, b in area] == [(45.0, 450000.0)]
    assert float(budget[0]) == 12000000


def test_a_figure_that_disagrees_with_its_quote_is_found_in_the_new_table(published,
                                                                           tmp_path):
    copy = copy_project(published.root, tmp_path / "edited")
    path = copy.table("pledges")
    path.write_text(path.read_text("utf-8").replace(",800,unit,800,", ",900,unit,900,"), "utf-8")
    result = run_cli("validate", "--project", str(copy.root))
    assert result.exit_code == 1
    assert ("data/pledges.csv row 2 field delivered: delivered 900 unit disagrees with its "
            "quote, which prints 800个, 1200万元") in result.output


def test_a_row_key_that_is_no_column_of_the_shape_is_named(other_shape):
    edit(other_shape.curated("pledges"), "figures: {delivered: 1, budget: 2}",
         "figures: {delivered: 1, floor_area: 2}")
    result = run_cli("build", "--project", str(other_shape.root))
    assert result.exit_code == 1
    assert "curation/pledges.yaml:8: unknown figure column 'floor_area'" in result.output
    assert "use delivered, budget, beneficiaries" in result.output


def test_a_table_without_its_schema_fails_naming_the_file(other_shape):
    other_shape.schema("pledges").unlink()
    result = run_cli("build", "--project", str(other_shape.root))
    assert result.exit_code == 1
    assert result.output.startswith("schemas/pledges.json: cannot be read")


def _names_declared(declared: dict) -> list[tuple]:
    """Where the declaration of a quoted table names a column or a table (docs/curation.md):
    each flag (a key), each figure's columns and figure flags, the context, terms_of, and
    compare's by, with, close and note."""
    paths = [("flags", {flag}) for flag in declared.get("flags", {})]
    for number, figure in enumerate(declared.get("figures", [])):
        paths += [("figures", number, key) for key in ("value", "unit", "base", "qualifier",
                                                       "inferred", "base_unit_of")
                  if key in figure]
        paths += [("figures", number, "flags", flag) for flag in figure.get("flags", {})]
    paths += [("context", key) for key in declared.get("context", {})]
    paths += [("terms_of",)] if "terms_of" in declared else []
    return paths + [("compare", key) for key in declared.get("compare", {})]


def _misspelt(resource: dict, path: tuple) -> tuple[dict, str]:
    """A copy of ``resource`` with the name at ``path`` of its declaration misspelt."""
    copied = json.loads(json.dumps(resource))
    *parents, last = (QUOTED, *path)
    node = copied
    for key in parents:
        node = node[key]
    if isinstance(last, set):  # a key of the declaration names the column
        [old] = last
        node[old + "x"] = node.pop(old)
        return copied, old + "x"
    node[last] += "x"
    return copied, node[last]


def test_every_name_the_declaration_gives_must_be_in_the_shape():
    """A misspelt column in ``opendata:quoted`` is named as such, not reported as every row
    disagreeing with its quote; the template as shipped names none."""
    shape = Shape.from_resources(list(template_schemas().values()))
    assert [found for table in shape.quoted() for found in undeclared(table, shape)] == []
    kinds = set()
    for table in shape.quoted():
        for path in _names_declared(table.resource[QUOTED]):
            resource, wrong = _misspelt(table.resource, path)
            changed = Shape({**shape.tables, table.name: type(table)(resource)})
            names = {name for _, name, _ in undeclared(changed[table.name], changed)}
            expected = ({f"{wrong}_zh", f"{wrong}_en"} if path == ("compare", "note")
                        else {wrong})
            assert expected <= names, (table.name, path, names)
            kinds.add(path[0] if path[0] != "figures" else "figure " + path[2])
    assert kinds == {"flags", "figure value", "figure unit", "figure base", "figure qualifier",
                     "figure inferred", "figure base_unit_of", "figure flags", "context",
                     "terms_of", "compare"}  # every kind of name the template declares


def test_a_misspelt_column_in_the_declaration_fails_the_build_naming_it(tiny):
    edit(tiny.schema("targets"), '"qualifier": "qualifier"', '"qualifier": "qualifer"')
    result = run_cli("build", "--project", str(tiny.root))
    assert result.exit_code == 1
    assert result.output.startswith("schemas/targets.json: opendata:quoted: figure 1 "
                                    "qualifier 'qualifer' is no column of table 'targets'")
    assert "failed: 1 problem(s)" in result.output


def test_validate_names_a_misspelt_column_in_a_descriptor_edited_by_hand(built):
    """The build refuses such a declaration; a descriptor edited afterwards is checked too."""
    assert run_cli("validate", "--project", str(built.root)).exit_code == 0
    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    resource = next(r for r in descriptor["resources"]
                    if any("qualifier" in f for f in r.get(QUOTED, {}).get("figures", [])))
    number, figure = next((n, f) for n, f in enumerate(resource[QUOTED]["figures"], start=1)
                          if "qualifier" in f)
    figure["qualifier"] += "-misspelt"
    built.descriptor.write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    result = run_cli("validate", "--project", str(built.root))
    assert result.exit_code == 1
    assert (f"datapackage.json: resource '{resource['name']}' {QUOTED}: figure {number} "
            f"qualifier '{figure['qualifier']}' is no column of table '{resource['name']}'"
            in result.output)


def test_the_tiny_report_is_the_template_as_shipped(built):
    """A project started from the template builds (the ``built`` fixture) as it is."""
    for name, template in template_schemas().items():
        assert json.loads(built.schema(name).read_text("utf-8")) == template, name
    shape = Shape.from_descriptor(json.loads(built.descriptor.read_text("utf-8")))
    assert shape.names == list(TEMPLATE)


def test_the_loader_gives_each_table_its_declared_figures(published):
    import opendata

    tables = opendata.load(path=str(published.descriptor))
    budget = next(f for f in tables["pledges"].attrs["figures"] if f["value"] == "budget")
    assert budget == {"value": "budget", "unit": "budget_unit", "base": "budget_base",
                      "qualifier": "budget_qualifier", "kind": "currency"}
    assert sum(tables["pledges"][budget["base"]].dropna()) == 12000000
    assert tables["indicators"].attrs["figures"] == []


def monolingual(schema):
    """A published schema without the <key>_zh/<key>_en pairs the build adds to its texts."""
    return {**schema, "fields": [{k: v for k, v in field.items()
                                  if not k.endswith(("_zh", "_en"))}
                                 for field in schema["fields"]]}
