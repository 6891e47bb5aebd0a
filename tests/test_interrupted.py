"""Runs killed partway through, and runs started together, never damage the outputs.

Each run is a subprocess that kills itself with SIGKILL at a named point of its commit
(OPENDATA_FAULT); afterwards the previous outputs are whole and valid once any opendata
command has opened the project, and the next run succeeds.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_project, edit, outputs, paused_at
from opendata.check.verdict import KEPT

pytestmark = pytest.mark.slow  # every case kills a subprocess run; CI runs them with -m slow

POINTS = ["staged", "journal", "swap:1", "swap:2", "committed"]


def opendata(project, *args, fault=None):
    env = {**os.environ, "OPENDATA_FAULT": fault or ""}
    return subprocess.run([sys.executable, "-m", "opendata", *args], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def leftovers(project):
    """Files a run left in the project's working folder, besides its lock and the verdict
    of the package last found valid."""
    work = project.root / ".opendata"
    return sorted(p.name for p in work.rglob("*") if p.name not in {"lock", Path(KEPT).name})


def assert_whole_and_valid(project, expected):
    # Opening the project rolls back a killed run; the package is checked as published (the
    # curation may have moved on since).
    result = opendata(project, "validate", "datapackage.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs(project) == expected
    assert leftovers(project) == []


@pytest.fixture
def tiny_built(tmp_path):
    project = copy_project(FIXTURES / "tiny-report", tmp_path / "tiny")
    assert opendata(project, "build").returncode == 0
    return project


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_build_leaves_the_old_or_the_new_package(tiny_built, point):
    before = outputs(tiny_built)
    edit(tiny_built.catalog, 'msgstr "New urban jobs"', 'msgstr "Urban jobs created"')
    result = opendata(tiny_built, "build", fault=point)
    assert result.returncode == -signal.SIGKILL
    if point == "committed":  # the killed run had published everything
        assert "Urban jobs created" in tiny_built.table("indicators").read_text("utf-8")
        before = outputs(tiny_built)
    assert_whole_and_valid(tiny_built, before)
    assert opendata(tiny_built, "build").returncode == 0
    assert opendata(tiny_built, "build", "--check").returncode == 0


@pytest.fixture(scope="module")
def released_copy(tmp_path_factory):
    """This project, published, with a corrected value waiting to be released."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("interrupted") / "base")
    assert opendata(project, "publish").returncode == 0
    return project


def fresh(released_copy, tmp_path):
    import shutil

    shutil.copytree(released_copy.root, tmp_path / "project", symlinks=True)
    from opendata.paths import Project

    return Project.at(tmp_path / "project")


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_release_leaves_the_previous_release_whole(released_copy, tmp_path, point):
    project = fresh(released_copy, tmp_path)
    edit(project.catalog, 'msgstr "New urban jobs"', 'msgstr "Urban jobs created"')
    before = outputs(project)
    result = opendata(project, "release", "--date", "2026-12-01", fault=point)
    assert result.returncode == -signal.SIGKILL
    if point == "committed":
        assert_whole_and_valid(project, outputs(project))
        assert opendata(project, "release", "--check").returncode == 0
        return
    assert_whole_and_valid(project, before)
    assert opendata(project, "release", "--date", "2026-12-01").returncode == 0
    assert opendata(project, "release", "--check").returncode == 0


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_publish_leaves_the_previous_site_and_exports(released_copy, tmp_path, point):
    project = fresh(released_copy, tmp_path)
    before = outputs(project)
    result = opendata(project, "publish", "--base-url", "https://example.org/new/", fault=point)
    assert result.returncode == -signal.SIGKILL
    expected = before if point != "committed" else outputs(project)
    assert_whole_and_valid(project, expected)
    assert opendata(project, "publish").returncode == 0


def test_two_builds_at_once_never_mix(tiny_built, tmp_path):
    # the first run holds the lock, validated, its journal written, mid-commit
    first = paused_at("journal", ["build", "--project", str(tiny_built.root)],
                      tmp_path / "points.log", 5)
    edit(tiny_built.catalog, 'msgstr "New urban jobs"', 'msgstr "Urban jobs created"')
    second = opendata(tiny_built, "build")
    assert first.wait(timeout=60) == 0
    assert second.returncode == 0
    assert "waiting for another opendata run on this project to finish" in second.stderr
    reference = copy_project(tiny_built.root, tmp_path / "reference")
    assert opendata(reference, "build").returncode == 0
    assert outputs(tiny_built) == outputs(reference)
    assert leftovers(tiny_built) == []
