"""Release scenarios, each end to end on a released copy of the tiny fixture report.

The mechanics are tested on a fixture, not on this project's own curation, so that a data
correction can never break them.
"""

import hashlib
import json

import pytest

from conftest import edit, run_cli
from opendata.release import archive_files
from opendata.release.archive import read_zip, unpack, write_zip
from opendata.release.history import latest
from opendata.versions import Bump


def release(project, *args):
    return run_cli("release", "--project", str(project.root), "--date", "2026-12-01", *args)


def check(project):
    return run_cli("release", "--check", "--project", str(project.root))


def version_of(project):
    return json.loads(project.descriptor.read_text("utf-8"))["version"]


def correct_pocket_parks(project):
    """The source is corrected (a misread 3 is a 4), and the curation quotes it anew."""
    source = project.root / "data/source/qinghe-2025.zh.txt"
    old_hash = hashlib.sha256(source.read_bytes()).hexdigest()
    edit(source, "口袋公园 3个", "口袋公园 4个")
    edit(project.package_config, old_hash, hashlib.sha256(source.read_bytes()).hexdigest())
    edit(project.curated("results"), "建成口袋公园3个", "建成口袋公园4个")


def test_an_unchanged_tree_passes_the_gate(released):
    result = check(released)
    assert result.exit_code == 0, result.output
    assert str(latest(released)[0]) == version_of(released)


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_correcting_a_value_needs_a_patch(released):
    last = latest(released)[0]
    correct_pocket_parks(released)
    assert run_cli("build", "--project", str(released.root)).exit_code == 0
    result = check(released)
    assert result.exit_code == 1
    assert (f"the package differs from release {last} and needs a patch bump "
            f"(to {last.bumped(Bump.PATCH)}) because content of 'source' changed; results: "
            "values corrected (pocket-parks-2024)") in result.output
    result = release(released)
    assert result.exit_code == 0, result.output
    assert version_of(released) == str(last.bumped(Bump.PATCH))
    assert check(released).exit_code == 0
    shown = run_cli("diff", str(last), version_of(released), "--project", str(released.root))
    assert "  ~ pocket-parks-2024\n      value: 3 → 4\n      value_base: 3 → 4" in shown.output


def test_adding_a_row_needs_a_minor(released):
    last = latest(released)[0]
    edit(released.curated("honors"), "  - {id: civilised-unit-2024,",
         "  - {id: civilised-unit-again-2024, year: 2024, recipient: 县人民医院,"
         " honor: 省级文明单位, level: provincial}\n  - {id: civilised-unit-2024,")
    result = release(released)
    assert result.exit_code == 0, result.output
    assert version_of(released) == f"{last.major}.{last.minor + 1}.0"
    entry = released.root.joinpath("CHANGELOG.md").read_text("utf-8")
    assert f"## [{last.major}.{last.minor + 1}.0] - 2026-12-01" in entry
    assert "- honors: 1 row(s) added: `civilised-unit-again-2024`" in entry


def test_renaming_a_field_needs_a_major(released):
    last = latest(released)[0]
    descriptor = json.loads(released.descriptor.read_text("utf-8"))
    results = next(r for r in descriptor["resources"] if r["name"] == "results")
    next(f for f in results["schema"]["fields"] if f["name"] == "source_line")["name"] = "line"
    released.descriptor.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    path = released.table("results")
    path.write_text(path.read_text("utf-8").replace(",source_line,", ",line,", 1), "utf-8")
    result = check(released)
    assert result.exit_code == 1
    assert (f"needs a major bump (to {last.major + 1}.0.0) because results: field "
            "'source_line' renamed to 'line'") in result.output
    shown = json.loads(run_cli("diff", str(last), str(released.root), "--format", "json",
                               "--project", str(released.root)).output)
    assert shown["bump"] == "major"


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_changing_only_an_english_translation_needs_a_patch(released):
    last = latest(released)[0]
    edit(released.catalog, 'msgstr "New urban jobs"', 'msgstr "Urban jobs created"')
    edit(released.root / "CHANGELOG.md", "## [Unreleased]\n",
         "## [Unreleased]\n\nClearer English for new urban jobs.\n")
    result = release(released)
    assert result.exit_code == 0, result.output
    assert "patch bump needed: indicators: values corrected (new-urban-jobs)" in result.output
    entry = released.root.joinpath("CHANGELOG.md").read_text("utf-8")
    assert ("## [Unreleased]\n\n## [" f"{last.bumped(Bump.PATCH)}"
            "] - 2026-12-01\n\nClearer English for new urban jobs.\n") in entry
    assert "`indicators/new-urban-jobs` name_en: New urban jobs → Urban jobs created" in entry


def test_a_data_change_without_a_version_bump_fails_the_gate(released):
    correct_pocket_parks(released)
    assert run_cli("build", "--project", str(released.root)).exit_code == 0
    result = check(released)
    assert result.exit_code == 1
    assert result.output.startswith("release check: the package differs from release")
    assert "needs a patch bump" in result.output


def test_a_bump_without_a_changelog_entry_fails_the_gate(released):
    last = latest(released)[0]
    correct_pocket_parks(released)
    edit(released.package_config, f"version: {last}", f"version: {last.major + 1}.0.0")
    assert run_cli("build", "--project", str(released.root)).exit_code == 0
    result = check(released)
    assert result.exit_code == 1
    assert f"CHANGELOG.md has no entry for {last.major + 1}.0.0" in result.output


def test_nothing_released_is_overwritten(released):
    before = {p.name: p.read_bytes() for p in (released.root / "releases").iterdir()}
    result = release(released)
    assert (result.exit_code, result.output) == (
        1, "Error: nothing changed since 1.0.0; pass --bump to release anyway\n")
    assert {p.name: p.read_bytes() for p in (released.root / "releases").iterdir()} == before


def test_a_version_that_is_not_semver_is_refused(released):
    edit(released.package_config, f"version: {latest(released)[0]}", "version: 1.0")
    lines = released.package_config.read_text("utf-8").splitlines()
    line = lines.index("version: 1.0") + 1
    result = run_cli("build", "--project", str(released.root))
    assert result.exit_code == 1
    assert f"curation/package.yaml:{line}: version 1.0 is not a semantic version" in result.output


def test_release_archives_are_reproducible(released, tmp_path):
    descriptor = json.loads(released.descriptor.read_text("utf-8"))
    first = write_zip(archive_files(released.root, descriptor))
    (released.root / "CHANGELOG.md").touch()  # a new mtime must not change the archive
    assert write_zip(archive_files(released.root, descriptor)) == first
    # The recorded release, rebuilt from its own files, is byte-identical.
    _, record = latest(released)
    unpack(read_zip(record), tmp_path / "unpacked")
    recorded = json.loads((tmp_path / "unpacked/datapackage.json").read_text("utf-8"))
    rebuilt = tmp_path / "rebuilt.zip"
    rebuilt.write_bytes(write_zip(archive_files(tmp_path / "unpacked", recorded)))
    assert read_zip(rebuilt) == read_zip(record)
