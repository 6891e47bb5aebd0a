import copy
import json

import pytest

from conftest import edit, run_cli
from opendata.release.diff import diff_packages, schema_changes
from opendata.versions import Bump

SCHEMA = {"fields": [{"name": "id", "type": "string", "constraints": {"required": True}},
                     {"name": "value", "type": "number",
                      "constraints": {"minimum": 0, "enum": [1, 2, 3]}}],
          "primaryKey": ["id"]}


def changed(mutate):
    new = copy.deepcopy(SCHEMA)
    mutate(new)
    return [(c.kind, c.bump) for c in schema_changes("t", SCHEMA, new)]


@pytest.mark.parametrize("mutate, expected", [
    (lambda s: s["fields"][1].update(name="amount"), [("field-renamed", Bump.MAJOR)]),
    (lambda s: s["fields"].append({"name": "x", "type": "string"}), [("field-added", Bump.MAJOR)]),
    (lambda s: s["fields"].pop(), [("field-removed", Bump.MAJOR)]),
    (lambda s: s["fields"].reverse(), [("fields-reordered", Bump.MAJOR)]),
    (lambda s: s["fields"][1].update(type="integer"), [("type-changed", Bump.MAJOR)]),
    (lambda s: s["fields"][1]["constraints"].update(minimum=1),
     [("constraint-tightened", Bump.MAJOR)]),
    (lambda s: s["fields"][1]["constraints"].update(minimum=-1),
     [("constraint-loosened", Bump.MINOR)]),
    (lambda s: s["fields"][1]["constraints"].update(minimum=-1, exclusiveMinimum=0) or
     s["fields"][1]["constraints"].pop("minimum"), [("constraint-tightened", Bump.MAJOR)]),
    (lambda s: s["fields"][1]["constraints"].update(exclusiveMinimum=-1) or
     s["fields"][1]["constraints"].pop("minimum"), [("constraint-loosened", Bump.MINOR)]),
    (lambda s: s["fields"][1]["constraints"].update(enum=[1, 2]),
     [("constraint-tightened", Bump.MAJOR)]),
    (lambda s: s["fields"][1]["constraints"].update(enum=[1, 2, 3, 4]),
     [("constraint-loosened", Bump.MINOR)]),
    (lambda s: s["fields"][1]["constraints"].update(required=True),
     [("constraint-tightened", Bump.MAJOR)]),
    (lambda s: s["fields"][0]["constraints"].pop("required"),
     [("constraint-loosened", Bump.MINOR)]),
    (lambda s: s.update(primaryKey=["value"]), [("schema-changed", Bump.MAJOR)]),
    (lambda s: s["fields"][1].update(description="the amount"),
     [("field-metadata-changed", Bump.PATCH)]),
])
def test_schema_changes_and_their_bumps(mutate, expected):
    assert changed(mutate) == expected


def test_a_package_diffed_with_itself_is_empty(built):
    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    diff = diff_packages(descriptor, built.root, descriptor, built.root)
    assert diff.empty and diff.required is Bump.NONE


# Diffing two packages needs no project: each diff below is run from a folder that is none,
# so that it never waits for the lock of the repository the tests run in.


def test_diff_shows_each_changed_cell_between_two_folders(built, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(built.root, old)
    edit(built.catalog, 'msgstr "New urban jobs"', 'msgstr "Newly created urban jobs"')
    assert run_cli("build", "--project", str(built.root)).exit_code == 0
    result = run_cli("diff", str(old), str(built.root), "--format", "json",
                     "--project", str(tmp_path))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["bump"] == "patch"
    [indicators] = [t for t in report["tables"] if t["resource"] == "indicators"]
    assert indicators["changed"] == {"new-urban-jobs": [
        {"field": "name_en", "before": "New urban jobs", "after": "Newly created urban jobs"}]}


def test_diff_counts_added_and_removed_rows(built, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(built.root, old)
    edit(built.curated("results"), "    - {id: pocket-parks-2024, indicator: pocket-parks}",
         "    - {id: pocket-parks-2024, indicator: pocket-parks}\n"
         "    - {id: pocket-parks-again-2024, indicator: pocket-parks}")
    assert run_cli("build", "--project", str(built.root)).exit_code == 0
    text = run_cli("diff", str(old), str(built.root), "--project", str(tmp_path)).output
    assert "minor bump needed: results: rows added (pocket-parks-again-2024)" in text
    assert "  + pocket-parks-again-2024" in text
    back = json.loads(run_cli("diff", str(built.root), str(old), "--format", "json",
                              "--project", str(tmp_path)).output)
    assert (back["bump"], back["tables"][0]["removed"]) == ("major", ["pocket-parks-again-2024"])


def test_markdown_is_a_pull_request_comment(built, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(built.root, old)
    edit(built.catalog, 'msgstr "New urban jobs"', 'msgstr "Newly created urban jobs"')
    assert run_cli("build", "--project", str(built.root)).exit_code == 0
    text = run_cli("diff", str(old), str(built.root), "--format", "markdown",
                   "--project", str(tmp_path)).output
    assert "**Required version bump: patch**" in text
    assert ("| indicators | `new-urban-jobs` | name_en | New urban jobs | "
            "Newly created urban jobs |") in text


def test_an_unknown_operand_is_misuse(tmp_path):
    result = run_cli("diff", "1.0", str(tmp_path), "--project", str(tmp_path))
    assert result.exit_code == 2
    assert "1.0: not a datapackage.json, a package folder, a release archive" in result.output
