"""Packages and archives given from outside are checked before anything in them is read.

Each case runs the command as a separate process with its memory capped and a time limit,
and must end in a clear message naming the file, never a traceback.
"""

import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile

import pytest

import opendata as opendata_package
from conftest import FIXTURES, copy_project, run_cli
from opendata.exceptions import OpendataError

MEMORY = 2 * 1024 ** 3  # bytes of address space each command may use


def opendata(*args, cwd):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run([sys.executable, "-m", "opendata", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60, preexec_fn=cap,
                          env=dict(os.environ))


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    project = copy_project(FIXTURES / "tiny-report", tmp_path_factory.mktemp("good") / "p")
    assert run_cli("build", "--project", str(project.root)).exit_code == 0
    return project


def package_copy(good, tmp_path, change):
    """A copy of the built package with ``change(descriptor, folder)`` applied."""
    import shutil

    folder = tmp_path / "package"
    shutil.copytree(good.root / "data", folder / "data")
    descriptor = json.loads(good.descriptor.read_text("utf-8"))
    change(descriptor, folder)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def set_path(path):
    def change(descriptor, folder):
        descriptor["resources"][0]["path"] = path
    return change


def symlink_out(descriptor, folder):
    (folder / "data/outside.csv").symlink_to("/etc/hostname")
    descriptor["resources"][0]["path"] = "data/outside.csv"


CASES = {
    "absolute": (set_path("/etc/hostname"), "is absolute"),
    "dot-dot": (set_path("data/../../secret.csv"), "climbs out of the package with '..'"),
    "symlink": (symlink_out, "leads out of the package through a symbolic link"),
    "url": (set_path("http://example.com/results.csv"), "is a URL"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsafe_resource_paths_are_refused_by_diff_and_loader(good, tmp_path, case):
    change, message = CASES[case]
    folder = package_copy(good, tmp_path, change)
    result = opendata("diff", str(folder), str(good.root), cwd=tmp_path)
    assert result.returncode == 1  # a domain failure: one line, no usage banner
    assert message in result.stderr and str(folder / "datapackage.json") in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(OpendataError, match=re.escape(message)):
        opendata_package.load(path=folder)


@pytest.mark.parametrize("content, message", [
    ("{not json", "not JSON"),
    ("[" * 200_000 + "]" * 200_000, "nested"),
    ('{"resources": ' + "[" * 100 + "]" * 100 + "}", "nested more than"),
    ("[1, 2]", "must be a JSON object"),
])
def test_malformed_descriptors_are_refused(tmp_path, good, content, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "datapackage.json").write_text(content, encoding="utf-8")
    result = opendata("diff", str(folder), str(good.root), cwd=tmp_path)
    assert result.returncode == 1 and message in result.stderr  # a domain failure
    assert "Traceback" not in result.stderr


def zip_of(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_archive_that_would_unpack_huge_is_refused_without_unpacking(tmp_path, good):
    # 1 GiB of zeros compresses to about 1 MiB: the declared size is refused up front.
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("p-1.0.0/data/zeros.csv", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(1024):
                member.write(block)
    result = opendata("diff", str(path), str(good.root), cwd=tmp_path)
    assert result.returncode == 1  # a domain failure: one line, no usage banner
    assert f"{path}: would unpack to more than" in result.stderr


def test_an_archive_with_thousands_of_files_is_refused(tmp_path, good):
    path = tmp_path / "many.zip"
    path.write_bytes(zip_of([(f"p-1.0.0/f{i}.txt", b"x") for i in range(5000)]))
    result = opendata("diff", str(path), str(good.root), cwd=tmp_path)
    assert result.returncode == 1  # a domain failure: one line, no usage banner
    assert f"{path}: holds 5000 files" in result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsafe_resource_paths_are_refused_by_validate(good, tmp_path, case):
    change, message = CASES[case]
    folder = package_copy(good, tmp_path, change)
    result = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{folder / 'datapackage.json'}: resource 'results' path" in result.stdout
    assert message in result.stdout and "Traceback" not in result.stdout + result.stderr


def big_cell(text):
    return text.replace("省级文明单位", "省" * 10_000_000, 1).encode("utf-8")


def ragged(text):
    lines = text.split("\n")
    lines[1] += ",extra,cells"
    lines[2] = lines[2].split(",", 1)[0]
    return "\n".join(lines).encode("utf-8")


def nul_bytes(text):
    return text.replace("省级", "省\x00级", 1).encode("utf-8")


def mixed_encodings(text):
    head, _, tail = text.partition("\n")
    return head.encode("utf-8") + b"\n" + tail.encode("gbk")


@pytest.mark.parametrize("damage", [big_cell, ragged, nul_bytes, mixed_encodings],
                         ids=lambda f: f.__name__)
def test_hostile_csv_files_are_reported_clearly(good, tmp_path, damage):
    folder = package_copy(good, tmp_path, lambda descriptor, folder: None)
    path = folder / "data/honors.csv"
    path.write_bytes(damage(path.read_text("utf-8")))
    result = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert any(line.startswith("data/honors.csv") for line in problems), result.stdout
