"""Shared fixtures: the real project, a tiny fixture report of another county, and copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opendata.cli import cli
from opendata.paths import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
STANDARDS = ROOT.parent / "shared" / "standards"
SHARED_SOURCE = ROOT.parent / "shared" / "source"


def required(path: Path, why: str) -> Path:
    """``path``, which a test needs from outside the repository (``why`` says where from).

    Outside CI a missing file skips the test with that reason; in CI (``CI=true``), where
    .ci/run provides everything, it fails the test.
    """
    if path.exists():
        return path
    reason = f"{path} is missing: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def chromium() -> str:
    """Debian's chromium, which the browser tests drive with Playwright."""
    return str(required(Path(shutil.which("chromium") or "/usr/bin/chromium"),
                        "install Debian's chromium (.ci/run does)"))


# Headless, and nothing reached beyond the site under test.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@contextmanager
def browsing(site: Path) -> Iterator[tuple[Any, str]]:
    """Debian's chromium (a Playwright browser) and the base URL of ``site``, served on
    localhost for the time of the block."""
    from playwright.sync_api import sync_playwright

    from opendata.publish.serve import server

    executable = chromium()
    httpd = server(site, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable,
                                                 args=CHROMIUM_FLAGS)
            try:
                yield browser, f"http://127.0.0.1:{httpd.server_address[1]}/"
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


# What a run publishes besides its folders: the descriptor and what a release writes.
PUBLISHED_FILES = ("datapackage.json", "CHANGELOG.md", "CITATION.cff", "curation/package.yaml")


def outputs(project: Project, folders: tuple[str, ...] = ("data", "site", "dist", "releases")
            ) -> dict[str, bytes]:
    """Every published file of ``project`` by relative path: the files of ``folders``
    (tables, site, exports, recorded releases) and PUBLISHED_FILES."""
    found = {}
    for folder in folders:
        for path in sorted((project.root / folder).rglob("*")):
            if path.is_file():
                found[project.relative(path)] = path.read_bytes()
    for name in PUBLISHED_FILES:
        if (project.root / name).exists():
            found[name] = (project.root / name).read_bytes()
    return found


def shared(path: Path) -> Path:
    """``path`` inside ../shared (official standards, the original source): a clone of the
    repository alone has none, CI puts it beside the repository."""
    return required(path, "../shared (standards and source) must sit beside the repository")


def pytest_configure(config) -> None:
    """Compile opendata's modules to bytecode once, before any test starts a command, as pip
    does for an installed package. An editable install is not compiled, and where Python may
    not write bytecode (``PYTHONDONTWRITEBYTECODE``, set on some machines, CI's among them)
    every ``opendata`` a test runs would compile them all again: the default run took 190 s
    without this and 162 s with it, in the same fresh clone."""
    if not hasattr(config, "workerinput"):  # in the process that starts the test workers
        sys.path.insert(0, str(ROOT))
        from benchmarks.measure import compile_modules  # as the benchmark does

        compile_modules()


def pytest_addoption(parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files of tests/golden/ from this run's outputs "
                          "(then review their diff).")


@pytest.fixture
def golden(request):
    """Compare an output with its golden file in tests/golden/, or rewrite it with
    ``--update-golden``."""
    update = request.config.getoption("--update-golden")

    def check(name: str, content: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            return
        assert path.is_file(), f"{path} is missing: run pytest --update-golden and review it"
        assert content.decode("utf-8") == path.read_text("utf-8"), (
            f"{name} differs from {path}: if the change is intended, run pytest "
            "--update-golden and review the diff")
    return check


def copy_project(origin: Path, target: Path) -> Project:
    """A copy of the project at ``origin`` with only what a build reads and writes."""
    for part in ("curation", "schemas", "locales", "data", "releases"):
        if (origin / part).exists():
            shutil.copytree(origin / part, target / part)
    for part in ("datapackage.json", "README.md", "LICENSE", "LICENSE-DATA", "CHANGELOG.md",
                 "CITATION.cff"):
        if (origin / part).exists():
            shutil.copy2(origin / part, target / part)
    return Project.at(target)


@pytest.fixture
def tiny(tmp_path: Path) -> Project:
    """The tiny fixture report, unbuilt, in a temporary folder."""
    return copy_project(FIXTURES / "tiny-report", tmp_path / "tiny")


@pytest.fixture
def built(tiny: Project) -> Project:
    """The tiny fixture report, built."""
    result = run_cli("build", "--project", str(tiny.root))
    assert result.exit_code == 0, result.output
    return tiny


@pytest.fixture(scope="session")
def _released_tiny(tmp_path_factory) -> Path:
    """The tiny fixture report, built and released once as 1.0.0 (copied for each test)."""
    project = copy_project(FIXTURES / "tiny-report", tmp_path_factory.mktemp("released") / "tiny")
    for args in (["build"], ["release", "--date", "2026-01-01"]):
        result = run_cli(*args, "--project", str(project.root))
        assert result.exit_code == 0, result.output
    shutil.rmtree(project.root / "dist")
    return project.root


@pytest.fixture
def released(_released_tiny: Path, tmp_path: Path) -> Project:
    """The tiny fixture report with its first release recorded, in a temporary folder."""
    shutil.copytree(_released_tiny, tmp_path / "released")
    return Project.at(tmp_path / "released")


@pytest.fixture
def real_copy(tmp_path: Path) -> Project:
    """A copy of this project's own curation and package."""
    return copy_project(ROOT, tmp_path / "real")


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(project: Project) -> dict[str, bytes]:
    """Every published file of a project, by relative path."""
    files = [*sorted(project.data.glob("*.csv")), project.descriptor]
    return {project.relative(f): f.read_bytes() for f in files if f.exists()}


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a UTF-8 file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def paused_at(point: str, args: list[str], log: Path, seconds: float) -> subprocess.Popen:
    """``opendata ARGS`` started in a subprocess that pauses ``seconds`` at fault point
    ``point``, returned once it is there (its fault log ``log`` says so), however long a
    slow machine takes to get there."""
    process = subprocess.Popen([sys.executable, "-m", "opendata", *args],
                               env={**os.environ, "OPENDATA_FAULT": f"{point}:sleep={seconds}",
                                    "OPENDATA_FAULT_LOG": str(log)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while point not in (log.read_text().split() if log.exists() else []):
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    return process


def _state_and_parent(pid: int | str) -> tuple[bytes, int] | None:
    """A process's state (b"Z" for a zombie) and its parent, from /proc; None once gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def _children(pid: int) -> set[int]:
    """The running processes whose parent is ``pid``."""
    return {int(name) for name in os.listdir("/proc")
            if name.isdigit() and (found := _state_and_parent(name)) is not None
            and found[0] != b"Z" and found[1] == pid}


def _running(pid: int) -> bool:
    found = _state_and_parent(pid)
    return found is not None and found[0] != b"Z"


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds a command's worker processes in /proc (Linux)")


def workers_left_by_a_killed_run(args: list[str], cwd: Path, seconds: float = 10) -> set[int]:
    """Run ``opendata ARGS`` in ``cwd``, kill it (SIGKILL) as soon as it has started worker
    processes, and return those of them still running ``seconds`` later."""
    process = subprocess.Popen([sys.executable, "-m", "opendata", *args], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (workers := _children(process.pid)) and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.005)
    process.kill()
    process.wait()
    assert workers, "the command ended before it started a worker process"
    deadline = time.monotonic() + seconds
    while (alive := {pid for pid in workers if _running(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2,
                                     reason="on one core everything runs in this process")

_CLI = """
import atexit, sys
{setup}
from opendata.cli import main
atexit.register(lambda: print("frictionless imported here:", "frictionless" in sys.modules))
sys.argv = ["opendata", *sys.argv[1:]]
main()
"""


def cli_in_a_fresh_interpreter(*args: str, setup: str = "") -> subprocess.CompletedProcess:
    """``opendata ARGS`` in a new interpreter (after the Python code ``setup``), as a user
    runs it; its output ends with whether that process imported frictionless."""
    return subprocess.run([sys.executable, "-c", _CLI.format(setup=setup), *args],
                          capture_output=True, text=True, check=False)
