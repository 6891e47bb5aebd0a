"""Release scenarios, each end to end on a temporary copy of this project."""

import json
import re


from conftest import edit, run_cli
from opendata.release import archive_files
from opendata.releases import latest
from opendata.versions import Bump


def release(project, *args):
    return run_cli("release", "--project", str(project.root), "--date", "2026-12-01", *args)


def check(project):
    return run_cli("release", "--check", "--project", str(project.root))


def version_of(project):
    return json.loads(project.descriptor.read_text("utf-8"))["version"]


def test_an_unchanged_tree_passes_the_gate(real_copy):
    result = check(real_copy)
    assert result.exit_code == 0, result.output
    assert str(latest(real_copy)[0]) == version_of(real_copy)


def swap_park_figures(project):
    path = project.curated("targets")
    edit(path, "indicator: pocket-parks-new, figure: 2}", "indicator: pocket-parks-new, figure: 9}")
    edit(path, "indicator: parks-renovated, figure: 3}", "indicator: parks-renovated, figure: 2}")
    edit(path, "indicator: pocket-parks-new, figure: 9}", "indicator: pocket-parks-new, figure: 3}")


def test_correcting_a_value_needs_a_patch(real_copy):
    last = latest(real_copy)[0]
    swap_park_figures(real_copy)
    assert run_cli("build", "--project", str(real_copy.root)).exit_code == 0
    result = check(real_copy)
    assert result.exit_code == 1
    assert (f"the package differs from release {last} and needs a patch bump "
            f"(to {last.bumped(Bump.PATCH)}) because targets: values "
            "corrected (pocket-parks-new-2024, parks-renovated-2024); its version is "
            f"{last}, unchanged. Run `opendata release`.") in result.output
    result = release(real_copy)
    assert result.exit_code == 0, result.output
    assert version_of(real_copy) == str(last.bumped(Bump.PATCH))
    assert check(real_copy).exit_code == 0
    shown = run_cli("diff", str(last), version_of(real_copy), "--project", str(real_copy.root))
    assert "  ~ pocket-parks-new-2024\n      value: 1 → 2\n      value_base: 1 → 2" in shown.output


def test_adding_a_row_needs_a_minor(real_copy):
    last = latest(real_copy)[0]
    edit(real_copy.curated("honors"), "  - {id: national-incubator-xingchuanggu-2023,",
         "  - {id: national-incubator-xingchuanggu-copy-2023, year: 2023, recipient: 星创谷科技企业孵化器,"
         " honor: 国家级科技企业孵化器, level: national}\n"
         "  - {id: national-incubator-xingchuanggu-2023,")
    result = release(real_copy)
    assert result.exit_code == 0, result.output
    assert version_of(real_copy) == f"{last.major}.{last.minor + 1}.0"
    entry = real_copy.root.joinpath("CHANGELOG.md").read_text("utf-8")
    assert f"## [{last.major}.{last.minor + 1}.0] - 2026-12-01" in entry
    assert "- honors: row national-incubator-xingchuanggu-copy-2023 added" in entry


def test_renaming_a_field_needs_a_major(real_copy):
    last = latest(real_copy)[0]
    descriptor = json.loads(real_copy.descriptor.read_text("utf-8"))
    results = next(r for r in descriptor["resources"] if r["name"] == "results")
    results["schema"]["fields"][-1]["name"] = "line"
    real_copy.descriptor.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    path = real_copy.table("results")
    path.write_text(path.read_text("utf-8").replace(",source_line\n", ",line\n", 1), "utf-8")
    result = check(real_copy)
    assert result.exit_code == 1
    assert (f"needs a major bump (to {last.major + 1}.0.0) because results: field "
            "'source_line' renamed to 'line'") in result.output
    shown = json.loads(run_cli("diff", str(last), str(real_copy.root), "--format", "json",
                               "--project", str(real_copy.root)).output)
    assert shown["bump"] == "major"


def test_changing_only_an_english_translation_needs_a_patch(real_copy):
    last = latest(real_copy)[0]
    catalog = real_copy.catalog.read_text("utf-8")
    [english] = re.findall(r'msgctxt "indicators.name"\nmsgid "新增城镇就业"\nmsgstr "(.*)"', catalog)
    edit(real_copy.catalog, f'msgstr "{english}"', 'msgstr "Urban jobs created"')
    edit(real_copy.root / "CHANGELOG.md", "## [Unreleased]\n",
         "## [Unreleased]\n\nClearer English for new urban jobs.\n")
    result = release(real_copy)
    assert result.exit_code == 0, result.output
    assert "patch bump needed: indicators: values corrected (new-urban-jobs)" in result.output
    entry = real_copy.root.joinpath("CHANGELOG.md").read_text("utf-8")
    assert ("## [Unreleased]\n\n## [" f"{last.bumped(Bump.PATCH)}"
            "] - 2026-12-01\n\nClearer English for new urban jobs.\n") in entry
    assert f"`indicators/new-urban-jobs` name_en: {english} → Urban jobs created" in entry


def test_a_data_change_without_a_version_bump_fails_the_gate(real_copy):
    swap_park_figures(real_copy)
    assert run_cli("build", "--project", str(real_copy.root)).exit_code == 0
    result = check(real_copy)
    assert result.exit_code == 1
    assert result.output.startswith("release check: the package differs from release")
    assert "needs a patch bump" in result.output


def test_a_bump_without_a_changelog_entry_fails_the_gate(real_copy):
    last = latest(real_copy)[0]
    swap_park_figures(real_copy)
    edit(real_copy.package_config, f"version: {last}", f"version: {last.major + 1}.0.0")
    assert run_cli("build", "--project", str(real_copy.root)).exit_code == 0
    result = check(real_copy)
    assert result.exit_code == 1
    assert f"CHANGELOG.md has no entry for {last.major + 1}.0.0" in result.output


def test_nothing_released_is_overwritten(real_copy):
    before = {p.name: p.read_bytes() for p in (real_copy.root / "releases").iterdir()}
    result = release(real_copy)
    assert result.exit_code == 2
    assert "nothing changed since" in result.output
    assert {p.name: p.read_bytes() for p in (real_copy.root / "releases").iterdir()} == before


def test_a_version_that_is_not_semver_is_refused(real_copy):
    edit(real_copy.package_config, f"version: {latest(real_copy)[0]}", "version: 1.0")
    lines = real_copy.package_config.read_text("utf-8").splitlines()
    line = lines.index("version: 1.0") + 1
    result = run_cli("build", "--project", str(real_copy.root))
    assert result.exit_code == 1
    assert f"curation/package.yaml:{line}: version 1.0 is not a semantic version" in result.output


def test_release_archives_are_reproducible(real_copy, tmp_path):
    from opendata.archive import read_zip, unpack, write_zip

    descriptor = json.loads(real_copy.descriptor.read_text("utf-8"))
    first = write_zip(archive_files(real_copy.root, descriptor))
    (real_copy.root / "README.md").touch()  # a new mtime must not change the archive
    assert write_zip(archive_files(real_copy.root, descriptor)) == first
    # The recorded release, rebuilt from its own files, is byte-identical.
    version, record = latest(real_copy)
    unpack(read_zip(record), tmp_path / "unpacked")
    recorded = json.loads((tmp_path / "unpacked/datapackage.json").read_text("utf-8"))
    rebuilt = tmp_path / "rebuilt.zip"
    rebuilt.write_bytes(write_zip(archive_files(tmp_path / "unpacked", recorded)))
    assert read_zip(rebuilt) == read_zip(record)
