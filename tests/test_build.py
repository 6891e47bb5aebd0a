import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import (
    FIXTURES,
    ROOT,
    cli_in_a_fresh_interpreter,
    edit,
    needs_proc,
    needs_two_cores,
    run_cli,
    snapshot,
    workers_left_by_a_killed_run,
)
from opendata.check import verdict
from opendata.curate.catalog import PLACEHOLDER


def rows(project, table):
    return list(csv.DictReader(io.StringIO(project.table(table).read_text("utf-8"))))


def test_build_writes_every_table_and_the_descriptor(built):
    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert names == ["results", "targets", "projects", "honors", "indicators", "units", "source"]
    for name in names[:-1]:
        content = built.table(name).read_bytes()
        assert not content.startswith(b"\xef\xbb\xbf") and b"\r" not in content


def test_values_are_parsed_from_quotes_and_base_values_are_exact(built):
    units = {u["id"]: Decimal(u["multiplier"]) for u in rows(built, "units")}
    for row in rows(built, "results") + rows(built, "targets"):
        if row["value"]:
            assert row["value"] in row["source_quote"]
            assert Decimal(row["value_base"]) == Decimal(row["value"]) * units[row["unit"]]


def test_modality_repeat_and_qualitative_targets(built):
    targets = {r["id"]: r for r in rows(built, "targets")}
    assert targets["new-urban-jobs-2025"]["aspirational"] == "true"  # 力争 in its context
    assert targets["gdp-growth-2025"]["aspirational"] == "false"
    qualitative = targets["income-growth-in-step-2025"]
    assert (qualitative["value"], qualitative["unit"], qualitative["qualifier"]) == ("", "", "")
    [honor] = rows(built, "honors")
    assert honor["repeat"] == "true"  # 再次
    [project] = rows(built, "projects")
    assert (project["total_investment_qualifier"], project["project_count"]) == ("about", "8")


def test_english_comes_from_the_catalog(built):
    from opendata.curate.catalog import Translations

    catalog = Translations.read(built.catalog, "catalog")
    for row in rows(built, "indicators"):
        assert row["name_en"] == catalog.english("indicators.name", row["name_zh"])


def test_build_check_is_clean_after_a_build_and_names_stale_files(built):
    assert run_cli("build", "--check", "--project", str(built.root)).exit_code == 0
    edit(built.table("results"), "5.5", "5.6")
    result = run_cli("build", "--check", "--project", str(built.root))
    assert result.exit_code == 1
    assert "data/results.csv: out of date" in result.output


def test_build_check_changes_nothing(built):
    before = snapshot(built)
    edit(built.curated("results"), "新增城镇就业1.2万人", "新增城镇就业1.2万人。建成口袋公园3个")
    run_cli("build", "--check", "--project", str(built.root))
    assert snapshot(built) == before


# case: (curation file edited, text replaced, replacement, file the error names,
#        text on the line it must name, words of the message)
BAD_INPUTS = {
    "quote-not-in-source": ("results", "建成口袋公园3个", "建成口袋公园4个", "results", "- line: 4",
                            "not in the source"),
    "figure-wrong-unit": ("results", "indicator: pocket-parks}", "indicator: gdp-growth}",
                          "results", "id: pocket-parks-2024", "is measured in 'percent'"),
    "unknown-unit": ("units",
                     "- {id: unit, label: 个, base: unit, multiplier: \"1\", kind: count}\n",
                     "", "projects", "id: key-projects-2024", "figure '8' has no unit known to"),
    "duplicate-id": ("results", "id: pocket-parks-2024", "id: gdp-growth-2024", "results",
                     "indicator: pocket-parks", "duplicate id 'gdp-growth-2024'"),
    "unknown-indicator": ("results", "indicator: pocket-parks}", "indicator: parks}",
                          "results", "indicator: parks}", "unknown indicator 'parks'"),
    "figure-ambiguous": ("results", ", figure: 2}", "}", "results", "id: new-urban-jobs-2024",
                         "the quote holds 2 figures"),
    "scaled-unit-code": ("units", 'multiplier: "100000000", kind: currency}',
                         'multiplier: "100000000", kind: currency, code: CNY, '
                         'code_system: ISO 4217}', "units", "id: 100m-yuan",
                         "a scaled unit coded as its base"),
    "link-between-different-measures": (
        "indicators", "terms: [建成, 口袋公园]}",
        "terms: [建成, 口袋公园], compare_with: new-urban-jobs, comparability_note: 口径不同}",
        "indicators", "id: pocket-parks", "a link between different measures"),
    "indicator-without-evidence": ("indicators", "terms: [建成, 口袋公园]",
                                   "terms: [新建, 口袋公园]", "results", "id: pocket-parks-2024",
                                   "lack 新建, which define indicator 'pocket-parks'"),
    "context-after-quote": ("targets", "context: {line: 8, quote: 力争}",
                            "context: {line: 9, quote: 城乡居民}", "targets",
                            "context: {line: 9", "context: it comes after the quote"),
    "wrong-line": ("targets", "- line: 9", "- line: 8", "targets", "quote: 城乡居民收入",
                   "starts on line 9, not on line 8"),
    "figure-without-figures": ("honors", "level: provincial}", "level: provincial, figure: 1}",
                               "honors", "id: civilised-unit-2024",
                               "unknown key 'figure': table honors declares no figures"),
}


def leftovers(project):
    """Files a run left in the project's working folder, besides its lock and the verdict
    of the package last found valid."""
    work = project.root / ".opendata"
    kept = {"lock", Path(verdict.KEPT).name}
    return sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.name not in kept)


def line_of(path, text):
    content = path.read_text("utf-8")
    return content[: content.index(text)].count("\n") + 1


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_curation_fails_naming_file_and_line_and_changes_nothing(built, case):
    table, old, new, reported, anchor, message = BAD_INPUTS[case]
    before = snapshot(built)
    edit(built.curated(table), old, new)
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    line = next(out for out in result.output.splitlines() if message in out)
    where = built.curated(reported)
    number = line_of(where, anchor)
    if anchor.startswith("quote:"):
        number -= 1  # a statement's errors name the line its mapping starts on
    assert line.startswith(f"{built.relative(where)}:{number}: ")
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_missing_translation_lists_each_string(built):
    edit(built.catalog, 'msgstr "New urban jobs"', 'msgstr ""')
    edit(built.catalog, 'msgstr "Key projects"', '#, fuzzy\nmsgstr "Key projects"')
    before = snapshot(built)
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    assert "no English for 「新增城镇就业」 (msgctxt 'indicators.name'" in result.output
    assert "no English for 「重点项目」 (msgctxt 'projects.name'" in result.output
    assert snapshot(built) == before


def test_a_drafts_placeholder_english_is_refused_once_coverage_is_complete(built):
    placeholder = f"{PLACEHOLDER}新增城镇就业"
    edit(built.catalog, 'msgstr "New urban jobs"', f'msgstr "{placeholder}"')
    before = snapshot(built)
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    assert ("the English of 「新增城镇就业」 (msgctxt 'indicators.name', used at "
            "curation/indicators.yaml:") in result.output
    assert snapshot(built) == before
    with built.package_config.open("a", encoding="utf-8") as config:
        config.write("coverage: in_progress\n")  # as `opendata init` starts a project
    assert run_cli("build", "--project", str(built.root)).exit_code == 0
    assert placeholder in built.table("indicators").read_text("utf-8")


@pytest.mark.parametrize("case, encode, message", [
    ("gbk", lambda text: text.encode("gbk"), "is not UTF-8"),
    ("bom", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "byte-order mark"),
    ("crlf", lambda text: text.replace("\n", "\r\n").encode("utf-8"), "CRLF"),
])
def test_badly_saved_curation_fails_clearly(built, case, encode, message):
    path = built.curated("results")
    path.write_bytes(encode(path.read_text("utf-8")))
    before = snapshot(built)
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    assert result.output.startswith("curation/results.yaml")
    assert message in result.output
    assert snapshot(built) == before


def test_a_changed_source_is_refused(built):
    path = built.root / "data/source/qinghe-2025.zh.txt"
    path.write_bytes(path.read_bytes().replace(b"5.5", b"5.6"))
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    assert "data/source/qinghe-2025.zh.txt: sha256 is" in result.output


def test_an_invalid_build_is_never_swapped_in(built):
    """A curation that reads well but builds a package validation refuses changes nothing."""
    before = snapshot(built)
    edit(built.curated("honors"), "level: provincial}", "level: galactic}")  # not in the enum
    edit(built.catalog, 'msgstr "New urban jobs"', 'msgstr "Jobs"')  # a change that would ship
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    assert "data/honors.csv row 2 field level" in result.output
    assert "galactic" in result.output
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_translations_adds_missing_entries_untranslated(built):
    edit(built.curated("indicators"), "name: 建成口袋公园", "name: 建成街心公园")
    result = run_cli("translations", "--project", str(built.root))
    assert result.exit_code == 0
    assert "1 entr(y/ies) added, 1 string(s) still without English" in result.output
    assert 'msgid "建成街心公园"\nmsgstr ""' in built.catalog.read_text("utf-8")


CURATION_FILES = sorted(p for root in (ROOT, FIXTURES / "tiny-report",
                                      FIXTURES / "other-shape-report")
                        for p in (root / "curation").glob("*.yaml"))


@pytest.mark.parametrize("path", CURATION_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_curation_file_names_its_shipped_schema_and_passes_it(path):
    from opendata.curate.schemas import problems
    from opendata.inputs import read_yaml

    first = path.read_text("utf-8").splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert reference != first, f"{path} names no schema for editors"
    schema = (path.parent / reference).resolve()
    assert schema.parent == ROOT / "src/opendata/curate/schemas" and schema.is_file()
    assert problems(read_yaml(path, path.name), schema.name.removesuffix(".schema.json"),
                    path.name) == []


@pytest.mark.parametrize("table, old, new, anchor, message", [
    ("results", "  - line: 4\n", "  - lines: 4\n", "- lines: 4",
     "sections[0].statements[1]: 'line' is a required property"),
    ("units", "kind: count}", "kind: count, size: 1}", "{id: person,",
     "[1]: Additional properties are not allowed ('size' was unexpected)"),
    ("projects", "figures: {total_investment: 1", "figures: {total_investment: first",
     "figures: {total_investment: first", "statements[0].rows[0].figures.total_investment: "
     "'first' is not "
     "of type 'integer'"),
    ("exclusions", "reason: title of the report}", "why: title of the report}", "清河县2025",
     "[0]: 'reason' is a required property"),
])
def test_a_curation_file_that_breaks_its_schema_is_named_with_its_line(built, table, old, new,
                                                                        anchor, message):
    edit(built.curated(table), old, new)
    before = snapshot(built)
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    line = line_of(built.curated(table), anchor)
    assert f"curation/{table}.yaml:{line}: {message}" in result.output
    assert snapshot(built) == before


_WORKERS_WHEN_THE_BUILD_BEGINS = """
import multiprocessing
from opendata import build

def prepare(project, _prepare=build.prepare):
    print("workers when the build began:", len(multiprocessing.active_children()))
    return _prepare(project)

build.prepare = prepare
"""


@needs_two_cores
def test_build_is_validated_by_a_worker_that_imported_frictionless_meanwhile(built):
    """The worker is started before the build is made, and validates what it stages."""
    edit(built.catalog, 'msgstr "New urban jobs"', 'msgstr "Urban jobs created"')
    ran = cli_in_a_fresh_interpreter("build", "--project", str(built.root),
                                     setup=_WORKERS_WHEN_THE_BUILD_BEGINS)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("workers when the build began: 1\n")
    assert "built datapackage.json: valid (frictionless, files" in ran.stdout
    assert ran.stdout.endswith("frictionless imported here: False\n")
    assert "Urban jobs created" in built.table("indicators").read_text("utf-8")


@needs_proc
def test_no_worker_outlives_a_killed_build(built):
    assert workers_left_by_a_killed_run(["build", "--project", str(built.root)],
                                        built.root) == set()
