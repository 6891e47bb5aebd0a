"""A valid package's verdict: kept by the build, trusted by publish only for the same bytes
and the same code, never for anything else."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, edit, paused_at, run_cli
from opendata.check import verdict
from opendata.paths import Project


def _validated_in_a_worker(project: Project, *args: str) -> tuple[subprocess.CompletedProcess,
                                                                  bool]:
    """``opendata publish --preview`` in a fresh interpreter, and whether any of its
    processes imported frictionless, which every validation does and nothing else in a
    publish (``-X importtime`` is inherited by the forked workers)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "opendata", "publish",
                          "--project", str(project.root), "--preview", *args],
                         capture_output=True, text=True, check=False)
    imported = [line for line in run.stderr.splitlines() if line.startswith("import time:")]
    return run, any(line.rstrip().endswith(" frictionless") for line in imported)


def _inputs(project: Project) -> list[Path]:
    """Every file validation reads: the descriptor, the files its resources name, and the
    project's catalog, exclusions and package.yaml."""
    descriptor = json.loads(project.descriptor.read_text(encoding="utf-8"))
    return [project.descriptor,
            *(project.root / resource["path"] for resource in descriptor["resources"]),
            project.catalog, project.exclusions, project.package_config]


def test_a_build_commits_the_verdict_of_the_package_it_committed(built):
    kept = (built.root / verdict.KEPT).read_text(encoding="ascii").strip()
    assert kept == verdict.of(built.descriptor, built)
    assert verdict.kept(built)


def test_an_invalid_build_commits_no_verdict(built):
    kept = (built.root / verdict.KEPT).read_bytes()
    edit(built.curated("exclusions"),  # a number of the source then stands uncovered
         "- {context: 一、2024年工作回顾, reason: heading with its year}\n", "")
    assert run_cli("build", "--project", str(built.root)).exit_code == 1
    assert (built.root / verdict.KEPT).read_bytes() == kept  # the last good build's
    assert verdict.kept(built) is None


def test_every_byte_that_validation_reads_is_in_the_verdict(built):
    before = verdict.of(built.descriptor, built)
    inputs = _inputs(built)
    assert len(inputs) == len(set(inputs)) and all(path.is_file() for path in inputs)
    for path in inputs:
        content = path.read_bytes()
        path.write_bytes(content + b"\n")
        assert verdict.of(built.descriptor, built) not in (before, None), path
        path.write_bytes(content)
        assert verdict.of(built.descriptor, built) == before
    built.exclusions.unlink()  # a file that is absent is not one that is empty
    absent = verdict.of(built.descriptor, built)
    built.exclusions.write_bytes(b"")
    assert len({absent, verdict.of(built.descriptor, built), before}) == 3


def test_a_package_with_a_file_missing_gets_no_verdict(built):
    built.table("results").unlink()
    assert verdict.of(built.descriptor, built) is None and verdict.kept(built) is None


def test_a_package_that_refers_to_a_url_or_out_of_itself_gets_no_verdict(built):
    descriptor = json.loads(built.descriptor.read_text(encoding="utf-8"))
    resource = descriptor["resources"][0]
    for key, value in [("schema", "https://example.org/schema.json"),
                       ("dialect", "missing-dialect.json"),
                       ("path", "https://example.org/results.csv"), ("path", "../results.csv"),
                       ("path", "/etc/passwd"), ("$schema", "https://example.org/profile.json"),
                       ("url", "https://example.org/results.csv")]:
        changed = json.loads(json.dumps(descriptor))
        changed["resources"][0] = {**resource, key: value}
        built.descriptor.write_text(json.dumps(changed), encoding="utf-8")
        assert verdict.of(built.descriptor, built) is None, (key, value)
        assert verdict.kept(built) is None


def test_a_schema_given_by_reference_is_in_the_verdict(built):
    descriptor = json.loads(built.descriptor.read_text(encoding="utf-8"))
    resource = descriptor["resources"][0]
    schema = built.root / "schema.json"
    schema.write_text(json.dumps(resource.pop("schema")), encoding="utf-8")
    resource["schema"] = schema.name
    built.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    by_reference = verdict.of(built.descriptor, built)
    assert by_reference is not None
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert verdict.of(built.descriptor, built) not in (by_reference, None)


def test_the_code_that_judges_is_in_the_verdict(tmp_path):
    package = tmp_path / "opendata"
    (package / "check").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "check" / "schema.py"
    module.write_text("x = 1\n")
    (package / "check" / "__pycache__").mkdir()
    (package / "check" / "__pycache__" / "schema.cpython-311.pyc").write_bytes(b"\0")
    site = tmp_path / "site"
    for name in ("frictionless-5.21.0.dist-info", "babel-2.19.0.dist-info",
                 "jsonschema-4.26.0.dist-info", "jsonschema_specifications-2025.9.1.dist-info",
                 "PyYAML-6.0.4.dist-info"):
        (site / name).mkdir(parents=True)
    first = verdict.code(package, site)
    assert first is not None and "frictionless-5.21.0" in first and "PyYAML-6.0.4" in first
    (package / "check" / "__pycache__" / "schema.cpython-311.pyc").write_bytes(b"\1")
    assert verdict.code(package, site) == first  # bytecode is not the code
    os.utime(module, ns=(1, 1))
    assert verdict.code(package, site) != first
    touched = verdict.code(package, site)
    module.write_text("x = 22\n")
    os.utime(module, ns=(1, 1))
    assert verdict.code(package, site) != touched
    edited = verdict.code(package, site)
    vocabulary = package / "units.yaml"  # data that the checks read is code too
    vocabulary.write_text("- 个\n")
    with_data = verdict.code(package, site)
    assert with_data != edited
    vocabulary.write_text("- 万个\n")
    assert verdict.code(package, site) != with_data
    (site / "frictionless-5.21.0.dist-info").rename(site / "frictionless-5.22.0.dist-info")
    upgraded = verdict.code(package, site)
    assert upgraded is not None and "frictionless-5.22.0" in upgraded
    (site / "frictionless-5.21.0.dist-info").mkdir()  # two versions: which one runs is unknown
    assert verdict.code(package, site) is None
    (site / "frictionless-5.21.0.dist-info").rmdir()
    assert verdict.code(package, site) == upgraded
    (package / "__init__.py").unlink()  # no package of files to tell a change by
    assert verdict.code(package, site) is None


def test_the_installed_code_is_told_by_its_libraries_versions():
    import frictionless

    code = verdict.code()
    assert code is not None and f"frictionless-{frictionless.__version__}.dist-info" in code


def test_publish_validates_only_what_no_verdict_covers(built):
    published, validated = _validated_in_a_worker(built)
    assert published.returncode == 0, published.stderr
    assert not validated  # the build's verdict holds: nothing to validate again
    edit(built.catalog, "\nmsgid ", "\n# a translator's comment\nmsgid ")
    published, validated = _validated_in_a_worker(built)
    assert published.returncode == 0, published.stderr
    assert validated
    assert verdict.kept(built)  # the publish kept the verdict it found
    published, validated = _validated_in_a_worker(built)
    assert published.returncode == 0 and not validated


@pytest.mark.parametrize("first", [True, False])
def test_a_release_commits_the_verdict_of_what_it_released(request, first):
    """A first release leaves package.yaml as it is; a later one writes its new version
    into it, in the same transaction as the verdict that covers it."""
    project = request.getfixturevalue("built" if first else "released")
    bump = [] if first else ["--bump", "patch"]
    (project.root / verdict.KEPT).unlink(missing_ok=True)  # only the release's may hold
    config = project.package_config.read_bytes()
    result = run_cli("release", *bump, "--date", "2026-02-01", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert (project.package_config.read_bytes() == config) == first
    assert verdict.kept(project)
    published, validated = _validated_in_a_worker(project)
    assert published.returncode == 0, published.stderr
    assert not validated  # publish after a release: nothing to validate again


def test_a_package_changed_after_its_build_is_validated_and_refused(built):
    csv = built.table("results")
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text("".join(lines[:-1]), encoding="utf-8")  # a row lost after the build
    published, validated = _validated_in_a_worker(built)
    assert validated and published.returncode == 1
    assert "data/results.csv" in published.stdout + published.stderr
    assert not (built.root / "site").exists()
    assert verdict.kept(built) is None


# publish waits 3 s at its pause point for the edit: 4 to 5 s each, so with the slow tests
@pytest.mark.slow
@pytest.mark.parametrize("trusted", [True, False])
def test_a_package_edited_while_it_is_published_is_not_published(built, tmp_path, trusted):
    """The outputs are made from the package as validated, or as the kept verdict covers
    it, only if it is the same once they are made: a row removed meanwhile stops the run."""
    if not trusted:  # the verdict no longer holds: publish validates
        edit(built.catalog, "\nmsgid ", "\n# a translator's comment\nmsgid ")
    kept = (built.root / verdict.KEPT).read_bytes()
    publishing = paused_at("outputs", ["publish", "--preview", "--project", str(built.root)],
                           tmp_path / "points.log", 3)  # paused once the outputs are made
    csv = built.table("results")
    csv.write_text("".join(csv.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]),
                   encoding="utf-8")
    out, err = publishing.communicate(timeout=60)
    assert publishing.returncode == 1, out + err
    assert "changed while it was being published" in out + err and "Traceback" not in err
    assert not (built.root / "site").exists()
    assert (built.root / verdict.KEPT).read_bytes() == kept


@pytest.mark.parametrize("kept", [b"", b"not a verdict\n", b"\xff\xfe"])
def test_a_kept_verdict_that_is_not_the_packages_is_not_trusted(built, kept):
    (built.root / verdict.KEPT).write_bytes(kept)
    assert verdict.kept(built) is None


def test_a_verdict_is_of_contents_not_of_where_they_are(built, tmp_path):
    copy = copy_project(built.root, tmp_path / "copy")
    (copy.root / ".opendata").mkdir()
    (copy.root / verdict.KEPT).write_bytes((built.root / verdict.KEPT).read_bytes())
    assert verdict.kept(copy)
