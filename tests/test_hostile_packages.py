"""Packages and archives given from outside are checked before anything in them is read.

Each case runs the command as a separate process with its memory capped and a time limit,
and must end in a clear message naming the file, never a traceback.
"""

import contextlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

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
                          env=dict(os.environ), check=False)


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
    ("[1, 2]", "must be a JSON or YAML object"),
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


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_an_archive_that_would_unpack_huge_is_refused_without_unpacking(tmp_path, good):
    # 1 GiB of zeros compresses to about 1 MiB: the declared size is refused up front.
    path = tmp_path / "bomb.zip"
    with (zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
          archive.open("p-1.0.0/data/zeros.csv", "w", force_zip64=True) as member):
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


# Round two: every reference, any descriptor name, no hang, no traceback.

HOSTILE = FIXTURES / "hostile"


@pytest.fixture
def counting_server():
    """An HTTP server on 127.0.0.1 that serves a permissive JSON document and counts
    requests."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = b'{"fields": [{"name": "id", "type": "integer"}, ' \
                   b'{"name": "value", "type": "integer"}]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], requests
    server.shutdown()


def fixture_copy(case, tmp_path, port=None):
    folder = shutil.copytree(HOSTILE / case, tmp_path / case)
    for path in folder.iterdir():
        if port and path.suffix == ".json":
            path.write_text(path.read_text("utf-8").replace("PORT", str(port)), "utf-8")
    return folder


def no_traceback(result):
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


URL_CASES = ["schema-url", "dialect-url", "package-profile-url", "resource-profile-url",
             "local-profile-with-remote-ref", "extrapaths-url"]


@pytest.mark.parametrize("case", URL_CASES)
def test_a_reference_given_as_a_url_is_refused_without_a_request(counting_server, tmp_path,
                                                                  case):
    port, requests = counting_server
    folder = fixture_copy(case, tmp_path, port)
    result = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "URL" in result.stdout and "--allow-network" in result.stdout
    diffed = opendata("diff", str(folder), str(folder), cwd=tmp_path)
    assert diffed.returncode == 1 and "URL" in diffed.stderr
    no_traceback(result), no_traceback(diffed)
    assert requests == []


def test_a_schema_url_is_fetched_only_with_allow_network(counting_server, tmp_path):
    port, requests = counting_server
    folder = fixture_copy("schema-url", tmp_path, port)
    result = opendata("validate", "--allow-network", str(folder / "datapackage.json"),
                      cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert requests


def test_publish_refuses_a_schema_url_in_the_project_without_a_request(counting_server,
                                                                       good, tmp_path):
    port, requests = counting_server
    project = copy_project(good.root, tmp_path / "p")
    descriptor = json.loads(project.descriptor.read_text("utf-8"))
    descriptor["resources"][0]["schema"] = f"http://127.0.0.1:{port}/schema.json"
    project.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    for command in (["publish", "--base-url", "https://example.org/"], ["validate"],
                    ["diff", str(good.root)]):
        result = opendata(*command, cwd=project.root)
        assert result.returncode in (1, 2) and "is a URL" in result.stdout + result.stderr
        no_traceback(result)
    assert requests == []


def test_the_descriptor_given_is_validated_whatever_its_name(tmp_path):
    folder = fixture_copy("not-named-datapackage", tmp_path)
    beside = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    assert beside.returncode == 0, beside.stdout
    result = opendata("validate", "--json", str(folder / "mypkg.json"), cwd=tmp_path)
    assert result.returncode == 1
    problems = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
    assert [(p["file"], p["row"], p["field"], p["code"]) for p in problems] == [
        ("numbers.csv", 2, "value", "type-error"), ("numbers.csv", 3, "value", "type-error")]
    (folder / "datapackage.json").unlink()  # no datapackage.json beside it: the same verdict
    alone = opendata("validate", "--json", str(folder / "mypkg.json"), cwd=tmp_path)
    assert alone.returncode == 1
    assert [p for p in json.loads(alone.stdout)["problems"] if p["severity"] == "error"] \
        == problems


@pytest.mark.parametrize("case, code", [("yaml-descriptor", 0), ("yaml-descriptor-invalid", 1)])
def test_a_yaml_descriptor_is_read_as_frictionless_reads_it(tmp_path, case, code):
    folder = fixture_copy(case, tmp_path)
    result = opendata("validate", str(folder / "datapackage.yaml"), cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    no_traceback(result)


def test_a_file_that_is_no_descriptor_is_misuse(tmp_path):
    folder = fixture_copy("csv-given-as-descriptor", tmp_path)
    result = opendata("validate", str(folder / "numbers.csv"), cwd=tmp_path)
    assert result.returncode == 2
    assert "not a data package descriptor" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("case, message", [
    ("resource-without-name", "name"),
    ("duplicate-resource-names", "not unique"),
    ("unknown-field-type", "numberish"),
    ("schema-as-path", None),
    ("dialect-as-path", None),
    ("nul-byte-in-path", "NUL byte"),
    ("component-over-255", "longer than 255 bytes"),
])
def test_descriptors_frictionless_rejects_or_that_name_odd_paths_fail_clearly(tmp_path, case,
                                                                              message):
    folder = fixture_copy(case, tmp_path)
    result = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    no_traceback(result)
    if message is None:  # a local schema or dialect file: read, and the package is valid
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        assert result.returncode == 1 and message in result.stdout, result.stdout
    diffed = opendata("diff", str(folder), str(folder), cwd=tmp_path)
    no_traceback(diffed)
    assert diffed.returncode in (0, 1)


def test_a_symlink_loop_in_a_resource_path_is_refused(tmp_path):
    folder = fixture_copy("schema-as-path", tmp_path)
    (folder / "loop").symlink_to(folder / "loop")
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    descriptor["resources"][0]["path"] = "loop/numbers.csv"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    result = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    assert result.returncode == 1 and "cannot be followed" in result.stdout
    no_traceback(result)


def fifo(folder):
    os.mkfifo(folder / "data/stream.csv")
    return "data/stream.csv"


def device(folder):
    import stat

    os.mknod(folder / "data/device.csv", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    return "data/device.csv"


@pytest.mark.parametrize("special", [fifo, device], ids=["fifo", "character-device"])
def test_a_fifo_or_device_is_refused_before_opening_and_the_lock_is_free(good, tmp_path,
                                                                        special):
    project = copy_project(good.root, tmp_path / "p")
    shutil.rmtree(project.root / "data" / "source", ignore_errors=True)
    project = copy_project(good.root, tmp_path / "q")
    descriptor = json.loads(project.descriptor.read_text("utf-8"))
    descriptor["resources"][0]["path"] = special(project.root)
    project.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    started = time.monotonic()
    result = opendata("validate", cwd=project.root)
    assert result.returncode == 1 and "is not a regular file" in result.stdout
    diffed = opendata("diff", str(good.root), cwd=project.root)
    assert diffed.returncode == 1 and "is not a regular file" in diffed.stderr
    assert opendata("build", cwd=project.root).returncode == 0  # the lock was released
    assert time.monotonic() - started < 55


def sparse(path, size):
    with open(path, "wb") as handle:
        handle.truncate(size)


def test_the_size_limit_is_inclusive(tmp_path):
    from opendata.check.guard import MAX_RESOURCE_BYTES, UnsafePackage, check_resources

    descriptor = {"resources": [{"name": "big", "path": "big.csv"}]}
    sparse(tmp_path / "big.csv", MAX_RESOURCE_BYTES)
    check_resources(descriptor, tmp_path, "datapackage.json")  # exactly the limit: read
    sparse(tmp_path / "big.csv", MAX_RESOURCE_BYTES + 1)
    with pytest.raises(UnsafePackage, match=f"more than the {MAX_RESOURCE_BYTES} bytes"):
        check_resources(descriptor, tmp_path, "datapackage.json")


def test_a_sparse_2_gib_resource_is_refused_at_once(good, tmp_path):
    project = copy_project(good.root, tmp_path / "p")
    sparse(project.table("honors"), 2 * 1024 ** 3)
    started = time.monotonic()
    for command in (["validate"], ["diff", str(good.root)]):
        result = opendata(*command, cwd=project.root)
        assert "more than the 1073741824 bytes" in result.stdout + result.stderr
        no_traceback(result)
    assert time.monotonic() - started < 55


def test_reading_stops_at_the_time_budget_and_frees_the_lock(good, tmp_path):
    project = copy_project(good.root, tmp_path / "p")
    env = {**os.environ, "OPENDATA_TIME_BUDGET": "0.001"}
    result = subprocess.run([sys.executable, "-m", "opendata", "validate"], cwd=project.root,
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "reading took longer than the time budget of 0.001 s" in result.stdout + result.stderr
    no_traceback(result)
    assert opendata("validate", cwd=project.root).returncode == 0  # nothing is left locked


class _Prompt(threading.Timer):
    """A timer on a busy machine: it fires before start() has returned."""

    def start(self):
        self.function()


class _Held(threading.Timer):
    """A timer that fires only when the test calls it (``fire``)."""

    fired: ClassVar[list] = []

    def start(self):
        _Held.fired.append(self.function)


def test_a_budget_that_runs_out_as_its_timer_starts_is_the_budget_spent(monkeypatch):
    """The budget's interrupt comes at the main thread's next step, here before the block
    begins: it is the budget, not the user's Ctrl+C (under load this gave "Aborted!")."""
    from opendata.check import guard

    monkeypatch.setattr(guard.threading, "Timer", _Prompt)
    try:
        with pytest.raises(guard.OutOfTime) as spent, guard.within_budget("datapackage.json", 1):
            pass
    except KeyboardInterrupt:
        pytest.fail("the budget's interrupt escaped as the user's Ctrl+C")
    assert [p.code for p in spent.value.problems] == ["out-of-time"]
    assert "time budget of 1 s" in spent.value.problems[0].message


def test_a_budget_interrupt_that_arrives_after_its_block_is_the_budget_spent(
        good, tmp_path, monkeypatch):
    """Python may raise the budget's interrupt in the exit of the ``with`` statement, after
    the block has ended, where no ``except`` of the block sees it: the command reports the
    budget spent, and only a Ctrl+C of the user aborts. That moment cannot be hit on
    purpose, so the validation here takes the interrupt inside its block, and the command
    then receives it after the block, as it would."""
    from opendata import check
    from opendata.check import guard

    monkeypatch.setattr(guard.threading, "Timer", _Held)
    project = copy_project(good.root, tmp_path / "p")

    def late(*args, **kwargs):
        _Held.fired.clear()
        # the timer fires as the block ends, and Python delivers its interrupt later
        with guard.within_budget("datapackage.json", 1), contextlib.suppress(KeyboardInterrupt):
            _Held.fired[0]()
        raise KeyboardInterrupt

    monkeypatch.setattr(check, "validate", late)
    result = run_cli("validate", "--project", str(project.root))
    assert result.exit_code == 1
    assert "reading took longer than the time budget of 1 s" in result.output
    assert "Aborted" not in result.output

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # the user's Ctrl+C, no budget spent

    monkeypatch.setattr(check, "validate", interrupted)
    result = run_cli("validate", "--project", str(project.root))
    assert result.exit_code == 1 and "Aborted!" in result.output
    assert "time budget" not in result.output


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_a_10_mb_cell_in_units_is_reported_as_a_problem_of_units(good, tmp_path):
    folder = package_copy(good, tmp_path, lambda descriptor, folder: None)
    path = folder / "data/units.csv"
    lines = path.read_text("utf-8").split("\n")
    lines[1] = lines[1].replace(",", ',"' + "x" * 10_000_000 + '",', 1)
    path.write_text("\n".join(lines), "utf-8")
    result = opendata("validate", str(folder / "datapackage.json"), cwd=tmp_path)
    assert result.returncode == 1
    assert any(line.startswith("data/units.csv") and "field larger than field limit" in line
               for line in result.stdout.splitlines()), result.stdout
    no_traceback(result)


def test_a_zip_path_that_is_both_file_and_folder_is_refused(good, tmp_path):
    path = tmp_path / "both.zip"
    path.write_bytes(zip_of([("p-1.0.0/data/units.csv", b"x"),
                             ("p-1.0.0/data/units.csv/inner", b"y")]))
    result = opendata("diff", str(path), str(good.root), cwd=tmp_path)
    assert result.returncode == 1
    assert "'data/units.csv' is both a file and a folder" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"resources": 5}'],
                         ids=["empty", "not-json", "array", "resources-not-a-list"])
def test_project_commands_on_a_broken_descriptor_end_without_traceback(good, tmp_path,
                                                                       content):
    project = copy_project(good.root, tmp_path / "p")
    project.descriptor.write_text(content, encoding="utf-8")
    for command in (["coverage"], ["release", "--check"], ["validate"],
                    ["publish", "--base-url", "https://example.org/"]):
        result = opendata(*command, cwd=project.root)
        assert result.returncode in (1, 2), (command, result.stdout + result.stderr)
        no_traceback(result)


def test_diff_on_a_descriptor_whose_schema_is_a_string(good, tmp_path):
    folder = fixture_copy("schema-as-path", tmp_path)
    result = opendata("diff", str(folder), str(HOSTILE / "schema-url"), cwd=tmp_path)
    no_traceback(result)


def test_coverage_without_a_source_fails(good, tmp_path):
    project = copy_project(good.root, tmp_path / "p")
    descriptor = json.loads(project.descriptor.read_text("utf-8"))
    source = next(r for r in descriptor["resources"] if r["name"] == "source")
    (project.root / source["path"]).write_bytes(b"")
    result = opendata("coverage", cwd=project.root)
    assert result.returncode == 1
    assert "no readable source text" in result.stderr


def test_a_diff_of_an_archive_does_not_unpack_what_it_does_not_compare(tmp_path):
    from opendata.release.archive import sums_file, unpack_package

    table = b"id\n1\n"
    descriptor = json.dumps({"resources": [
        {"name": "t", "path": "data/t.csv", "schema": {"fields": [{"name": "id"}]}},
        {"name": "blob", "path": "data/blob.bin"}]}).encode()
    files = {"datapackage.json": descriptor, "data/t.csv": table,
             "data/blob.bin": bytes(64 * 1024 * 1024)}
    path = tmp_path / "p.zip"
    path.write_bytes(zip_of([*files.items(), ("SHA256SUMS", sums_file(files))]))
    assert path.stat().st_size < 1024 * 1024  # a small zip
    target = tmp_path / "unpacked"
    target.mkdir()
    unpack_package(path, target, wanted=lambda r: "schema" in r)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) \
        == ["data/t.csv", "datapackage.json"]


def released_archive():
    from conftest import ROOT

    return str(sorted((ROOT / "releases").glob("*.zip"))[0])


@pytest.mark.parametrize("command", [
    ["publish", "--base-url", "https://example.org/"],
    ["diff", "{archive}"],
], ids=["publish", "diff"])
def test_temporary_files_of_a_killed_run_stay_in_the_project_and_are_cleaned(good, tmp_path,
                                                                             command):
    project = copy_project(good.root, tmp_path / "p")
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    env = {**os.environ, "OPENDATA_FAULT": "scratch", "TMPDIR": str(system_temp)}
    args = [a.replace("{archive}", released_archive()) for a in command]
    killed = subprocess.run([sys.executable, "-m", "opendata", *args], cwd=project.root,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode < 0  # killed in the middle, its temporary folder made
    assert list((project.root / ".opendata/tmp").iterdir())
    assert list(system_temp.iterdir()) == []
    assert opendata("validate", cwd=project.root).returncode == 0
    assert not (project.root / ".opendata/tmp").exists()
