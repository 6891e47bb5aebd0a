"""The benchmark harness measures honestly: what it times and weighs is the command's.

No timing of opendata is asserted here (a test machine's speed is not the code's); the
targets are measured by ``python -m benchmarks`` and recorded in docs/performance.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from opendata.curate.source import Source

sys.path.insert(0, str(ROOT))
from benchmarks import corpora, measure, run, synth

ROWS = 2_000  # the fewest that every table and kind of row needs
# A parent holding 60 MiB while a child it forked holds 80 MiB more and spins for 0.3 s;
# the child is forked after {delay} s (the watcher reads less often after the first second).
# The parent writes the CPU time that it and its child used, as the kernel tells it.
FAMILY = """
import os, pathlib, time
held = b"x" * (60 << 20)
time.sleep({delay})
child = os.fork()
if child == 0:
    more = b"y" * (80 << 20)
    started = time.process_time()
    while time.process_time() - started < 0.3:
        pass
    time.sleep(0.2)
    os._exit(0)
os.waitpid(child, 0)
times = os.times()
used = times.user + times.system + times.children_user + times.children_system
pathlib.Path({report!r}).write_text(str(used))
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synth.generate(tmp_path_factory.mktemp("synthetic") / "p", ROWS).root


@pytest.mark.parametrize("delay", [0, 1.2])
def test_children_count_in_cpu_time_and_in_summed_peak_memory(tmp_path, delay):
    report = tmp_path / "used"
    family = FAMILY.format(delay=delay, report=str(report))
    runs = measure.Runs([sys.executable, "-c", family])
    measure.run_once(runs, tmp_path)
    assert runs.codes == [0] and runs.processes == [2]
    assert runs.seconds[0] >= delay + 0.5
    # the child's CPU counts, once: what the command used by its own account, plus its exit
    used = float(report.read_text())
    assert used >= 0.3 and used <= runs.cpu[0] < used + 0.15
    # 60 + 80 MiB of data; a fork's shared pages count in each process that maps them
    assert 60 + 60 + 80 <= runs.peaks[0] < 60 + 60 + 80 + 80


def test_a_measured_process_is_not_charged_with_the_benchmarks_memory(tmp_path):
    ballast = b"x" * (300 << 20)  # the benchmark holding a large package in memory
    runs = measure.Runs([sys.executable, "-c", "pass"])
    measure.run_once(runs, tmp_path)
    assert len(ballast) and runs.codes == [0]
    assert runs.peaks[0] < 100  # MiB: a bare interpreter, not this process's 300 MiB more


def test_every_module_is_measured_compiled_as_pip_installs_it(tmp_path):
    """Where Python may not write bytecode, opendata would compile itself on every run while
    frictionless, installed by pip, would not: the harness compiles the modules first."""
    import importlib.util
    import shutil

    installed = importlib.util.find_spec("opendata").submodule_search_locations[0]
    package = tmp_path / "opendata"  # a copy with no bytecode at all
    shutil.copytree(installed, package, ignore=shutil.ignore_patterns("__pycache__"))
    modules = sorted(package.rglob("*.py"))
    assert modules and not list(package.rglob("*.pyc"))
    assert measure.compile_modules(package) == package
    assert [m for m in modules
            if not Path(importlib.util.cache_from_source(str(m))).is_file()] == []


def test_synthetic_quotes_stand_in_the_source_at_their_line(synthetic):
    [path] = (synthetic / "data/source").glob("*.txt")
    source = Source.read(path)
    for table in ("results", "targets", "projects", "honors"):
        rows = (synthetic / f"data/{table}.csv").read_text("utf-8").count("\n") - 1
        assert rows > 0, table
    assert not synth_problems(synthetic, source)


def synth_problems(root: Path, source: Source) -> list:
    import csv

    wrong = []
    for table in ("results", "targets", "projects", "honors"):
        with open(root / f"data/{table}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if isinstance(source.locate(row["source_quote"], int(row["source_line"])), str):
                    wrong.append((table, row["id"]))
    return wrong


def test_the_synthetic_package_is_what_opendata_build_makes_of_its_curation(synthetic):
    checked = subprocess.run([run.OPENDATA, "build", "--check"], cwd=synthetic,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr[-2000:]


# Three validations, one after another, as the benchmark times them: about 4 to 6 s, most
# of the harness tests' time in the default run, so it runs with the slow tests (CI runs
# both). test_validate checks the same report with and without workers in the default run.
@pytest.mark.slow
def test_seeded_errors_are_found_alike_by_both(synthetic, tmp_path):
    run.copy_project(synthetic, tmp_path / f"synthetic-{ROWS}")
    seeded = run.measure_seeded(ROWS, tmp_path, lambda message: None)
    assert seeded.seeded_rows >= 20
    assert seeded.same, (sorted(seeded.missing, key=str)[:5], sorted(seeded.extra, key=str)[:5])
    assert seeded.same_bytes  # with workers and without
    assert seeded.own_problems > 0  # base values and coverage of the broken rows
    assert all(runs.codes == [1] for runs in seeded.validate.values())


def test_the_quick_and_the_full_run_print_the_same_table(tmp_path):
    def runs(seconds: float, peak: float = 50.0) -> measure.Runs:
        return measure.Runs(["x"], [seconds] * 3, [seconds] * 3, [peak] * 3, [1] * 3, [0] * 3)

    def size(rows: int, opendata: float) -> run.Size:
        return run.Size(rows, 1.0, {"opendata": runs(opendata), "frictionless": runs(10.0),
                                    "floor": runs(1.0)})

    seeded = run.Seeded(100_000, 400, 437, 596, 159, set(), set(), True,
                        {"opendata": runs(7.0), "opendata --jobs 1": runs(13.0),
                         "frictionless": runs(10.0)})
    startup = {"--help": runs(0.05), "--version": runs(0.05)}
    project = {"opendata build": runs(0.5), "opendata validate": runs(0.5),
               "frictionless validate": runs(0.4), "pyarrow floor": runs(0.1),
               "opendata publish": runs(0.9), run.NO_VERDICT: runs(1.2)}
    args = type("Args", (), {"command": "python -m benchmarks", "repeat": 3, "load": "0.1"})
    quick, quick_targets = run.report(args, startup, [], project, [size(100_000, 7.0)],
                                      seeded, 60)
    full, full_targets = run.report(args, startup, [], project,
                                    [size(100_000, 7.0), size(1_000_000, 90.0)], seeded, 600)
    heading = [line for line in quick.splitlines() if line.startswith(("#", "|---", "| rows"))]
    assert heading == [line for line in full.splitlines()
                       if line.startswith(("#", "|---", "| rows"))]
    assert [t.what for t in quick_targets] == [t.what for t in full_targets]
    # publish with no verdict kept is shown beside the target, and is none
    assert "| `opendata publish`, validating | 1.20 s |" in full
    assert [t.what for t in full_targets if "on this project" in t.what] == [
        f"`{name}` on this project < 1 s" for name in run.EVERYDAY]
    assert "| validate wall growth 100k → 1M ≤ 11× |  | not measured |" in quick
    assert "| validate wall at 1,000,000 rows ≤ 0.8× frictionless | 9.00× | **not met** |" in full
    assert "| validate wall at 100,000 rows ≤ 1.0× frictionless | 0.70× | holds |" in full


def test_the_results_replace_the_old_between_the_markers(tmp_path):
    output = tmp_path / "performance.md"
    output.write_text(f"# Performance\n\nBefore.\n\n{run.BEGIN}\nstale\n{run.END}\n\nAfter.\n",
                      encoding="utf-8")
    run.write(output, "| new | table |\n")
    assert output.read_text("utf-8") == (f"# Performance\n\nBefore.\n\n{run.BEGIN}\n"
                                         f"| new | table |\n{run.END}\n\nAfter.\n")


def test_the_corpora_comparison_names_every_report_that_changed(tmp_path):
    """Reports recorded before a change and after it, with any --jobs, are compared byte
    for byte, with their exit code and error output."""
    before, after = tmp_path / "before", tmp_path / "after"
    for folder in (before, after):
        folder.mkdir()
    for name, report, exit_code in (("a-jobsauto", b'{"valid": true}', b"exit 0\n"),
                                    ("b-jobsauto", b'{"valid": false}', b"exit 1\n")):
        (before / f"{name}.json").write_bytes(report)
        (before / f"{name}.txt").write_bytes(exit_code)
    for jobs in ("1", "2"):
        (after / f"a-jobs{jobs}.json").write_bytes(b'{"valid": true}')
        (after / f"a-jobs{jobs}.txt").write_bytes(b"exit 0\n")
    assert corpora.compare(before, after) == []
    (after / "b-jobs2.json").write_bytes(b'{"valid": false }')
    (after / "b-jobs2.txt").write_bytes(b"exit 0\n")
    (after / "c-jobs1.json").write_bytes(b"{}")
    assert corpora.compare(before, after) == [
        "b-jobs2.json: --json differs from b-jobsauto.json",
        "b-jobs2.json: exit code or error output differs",
        "c-jobs1.json: nothing recorded before"]
