"""A run killed at every fault point of its commit leaves every command working.

The fault points are not sampled: a clean run (of ``build``, ``release`` or ``publish``)
records every point it passes (every rename, every write of the journal, and the renames of
a rollback), and the test then kills a run at each one with SIGKILL. Afterwards, each kind
of command, started on its own copy of the killed project, must see the last good state: it
rolls the killed run back first, and then behaves exactly as it does on an untouched copy of
that state (same exit code, same published files).
"""

import os
import shutil
import signal

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, copy_project, edit, outputs
from opendata.cli import cli
from opendata.paths import Project

pytestmark = pytest.mark.slow

# The catalog too: the translations command writes it.
FOLDERS = ("data", "site", "dist", "releases", "locales")

NEXT_COMMANDS = {
    "validate": ["validate"],
    "coverage": ["coverage"],
    "translations": ["translations"],
    "build --check": ["build", "--check"],
    "release --check": ["release", "--check"],
    "diff": ["diff", "{reference}"],  # the package before, against the project
    "publish": ["publish", "--base-url", "https://example.org/"],
    "build": ["build"],
}


def invoke(project, args, env=None):
    args = [a.replace("{reference}", str(project.root.parent / "reference")) for a in args]
    return CliRunner(env=env).invoke(cli, [args[0], "--project", str(project.root), *args[1:]])


def killed_at(project, point, args=("build",)):
    """Run ``opendata ARGS`` in a forked child that kills itself at ``point``."""
    child = os.fork()
    if child == 0:  # the child: no pytest machinery may run past this block
        code = 1
        try:
            os.environ["OPENDATA_FAULT"] = point
            code = invoke(project, list(args)).exit_code
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def copy(project, target):
    shutil.copytree(project.root, target, symlinks=True)
    return Project.at(target)


# The runs killed: each starts from the tiny report, built (a build finds a corrected
# translation waiting; a release is the project's first; a publish, its first site).
RUNS = {
    "build": ["build"],
    "release": ["release", "--date", "2026-12-01"],
    "publish": ["publish", "--base-url", "https://example.org/"],
}


def record_states(base, run):
    """The project before and after a clean ``opendata RUN``, each command's verdict on
    both, and every fault point the run passes."""
    old = copy_project(FIXTURES / "tiny-report", base / "old")
    assert invoke(old, ["build"]).exit_code == 0
    if run == "build":
        edit(old.catalog, 'msgstr "New urban jobs"', 'msgstr "Urban jobs created"')
    new = copy(old, base / "new")
    log = base / "points.log"
    done = invoke(new, RUNS[run], env={"OPENDATA_FAULT_LOG": str(log)})
    assert done.exit_code == 0, done.output
    points = list(dict.fromkeys(log.read_text().split()))
    verdicts = {}
    for label, state in (("old", old), ("new", new)):
        for kind, args in NEXT_COMMANDS.items():
            copied = copy(state, base / f"{label}-{kind.replace(' ', '')}" / "p")
            shutil.copytree(old.root, copied.root.parent / "reference")
            result = invoke(copied, args)
            verdicts[label, kind] = (result.exit_code, outputs(copied, FOLDERS))
    return old, points, verdicts


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    return record_states(tmp_path_factory.mktemp("faults"), "build")


@pytest.fixture(scope="module", params=["release", "publish"])
def other_run(request, tmp_path_factory):
    """(run, states) of a release and of a publish."""
    run = request.param
    return run, record_states(tmp_path_factory.mktemp(f"faults-{run}"), run)


def test_every_rename_and_journal_write_is_a_fault_point(states):
    _, points, _ = states
    assert points[:4] == ["staged", "journal:half", "journal:written", "journal"]
    renames = [p for p in points if p.startswith("swap:")]
    # six tables, the descriptor and its verdict (check/verdict.py): set aside, swapped in
    assert len(renames) == 2 * 8
    assert points[-1] == "committed"


def check_every_command(states, killed, expected, tmp_path):
    old, _, verdicts = states
    for kind, args in NEXT_COMMANDS.items():
        run = copy(killed, tmp_path / kind.replace(" ", "") / "p")
        shutil.copytree(old.root, run.root.parent / "reference")  # a good package to compare
        result = invoke(run, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (kind, result.output)
        assert (result.exit_code, outputs(run, FOLDERS)) == verdicts[expected, kind], \
            (kind, result.output)
        assert not (run.root / ".opendata/run").exists() and \
            not (run.root / ".opendata/tmp").exists()


def kill_at_every_point(states, run, tmp_path):
    old, points, _ = states
    for point in points:
        killed = copy(old, tmp_path / point.replace(":", "-") / "p")
        assert killed_at(killed, point, RUNS[run]), point
        expected = "new" if point == "committed" else "old"
        check_every_command(states, killed, expected, tmp_path / point.replace(":", "-"))


def test_a_build_killed_at_every_fault_point_leaves_every_command_working(states, tmp_path):
    kill_at_every_point(states, "build", tmp_path)


def test_a_release_or_publish_killed_at_every_fault_point_leaves_every_command_working(
        other_run, tmp_path):
    run, states = other_run
    _, points, verdicts = states
    assert "committed" in points and len([p for p in points if p.startswith("swap:")]) > 2
    # the run changed what some command sees, so "the last good state" is a real claim
    assert any(verdicts["old", kind] != verdicts["new", kind] for kind in NEXT_COMMANDS)
    kill_at_every_point(states, run, tmp_path)


def test_a_rollback_killed_at_every_rename_is_finished_by_the_next_command(states, tmp_path):
    old, points, verdicts = states
    renames = [p for p in points if p.startswith("swap:")]
    last_swap = renames[-2]  # the last target set aside, every other one swapped in
    probe = copy(old, tmp_path / "probe" / "p")
    assert killed_at(probe, last_swap)
    log = tmp_path / "recover.log"
    result = invoke(probe, ["validate"], env={"OPENDATA_FAULT_LOG": str(log)})
    assert result.exit_code == verdicts["old", "validate"][0]
    recovery = [p for p in log.read_text().split() if p.startswith("recover:")]
    assert len(recovery) == len(renames) // 2  # each target of the build put back
    for point in recovery:
        killed = copy(old, tmp_path / point.replace(":", "-") / "p")
        assert killed_at(killed, last_swap)
        assert killed_at(killed, point, ("validate",)), point
        check_every_command(states, killed, "old", tmp_path / point.replace(":", "-"))


@pytest.mark.parametrize("journal", [b"", b'[{"path": "data/res', b'{"not": "a journal"}',
                                     b"\xff\xfe garbage"],
                         ids=["empty", "truncated", "foreign", "undecodable"])
def test_a_damaged_journal_written_before_anything_moved_is_recovered(states, tmp_path,
                                                                      journal):
    old, _, _ = states
    killed = copy(old, tmp_path / "damaged" / "p")
    (killed.root / ".opendata/run").mkdir(parents=True)
    (killed.root / ".opendata/run/journal.json").write_bytes(journal)
    check_every_command(states, killed, "old", tmp_path / "damaged")


def test_a_damaged_journal_after_files_moved_is_reported_in_one_line(states, tmp_path):
    old, _, _ = states
    killed = copy(old, tmp_path / "moved" / "p")
    assert killed_at(killed, "swap:2:old")
    (killed.root / ".opendata/run/journal.json").write_bytes(b"")
    for kind, args in NEXT_COMMANDS.items():
        result = invoke(killed, args)
        assert result.exit_code == 1, (kind, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        first = result.output.splitlines()[0]
        assert first.startswith(".opendata/run/journal.json: is not a rollback journal"), first
        assert "restore the files under .opendata/run/old/" in result.output
