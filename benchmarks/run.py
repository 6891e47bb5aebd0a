"""Time and measure ``opendata`` against plain ``frictionless``, in one run, side by side.

    python -m benchmarks                      # 10k, 100k and 1M rows; writes docs/performance.md
    python -m benchmarks --sizes 10000 --repeat 1 --output /tmp/perf.md   # a quick look

Every command runs as its own process; its wall time is measured around it and its peak
resident memory read from the kernel (``wait4``'s ru_maxrss), so nothing of the benchmark
itself is counted. Each measurement is the median of ``--repeat`` runs, the commands taking
turns so that a busy machine slows all of them alike. The results go to ``--output``
between two markers, with the command that produced them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import synth

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OPENDATA, FRICTIONLESS = str(BIN / "opendata"), str(BIN / "frictionless")
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
HEAVY = ("frictionless", "pandas", "babel", "yaml", "petl", "numpy")

# The targets of the performance issue.
STARTUP_LIMIT = 0.3      # seconds, median, for --help and --version
RATIO_LIMIT = 1.3        # opendata validate / frictionless validate, time and peak memory
BUILD_LIMIT = 3.0        # seconds, opendata build on this project
GROWTH_LIMIT = 12.0      # time from 100k to 1M rows


@dataclass
class Runs:
    """The runs of one command: wall seconds and peak resident memory (MiB) of each."""

    command: list[str]
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def memory(self) -> float:
        return statistics.median(self.peaks)


# Runs one command and reports its wall time, peak memory and exit code. It runs in a
# fresh, small interpreter: a process started straight from this one would be charged with
# this one's memory (Linux counts the parent's peak when a vforked child calls exec).
_MEASURE = """
import json, os, subprocess, sys, time
out = open(sys.argv[1], "wb") if sys.argv[1] else subprocess.DEVNULL
started = time.perf_counter()
process = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - started
print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def run_once(runs: Runs, cwd: Path, stdout: Path | None = None) -> None:
    """Run the command once in ``cwd``; add its time, peak memory and exit code to ``runs``."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(stdout or ""), *runs.command],
                            cwd=cwd, capture_output=True, text=True, check=True)
    seconds, peak, code = json.loads(result.stdout)
    runs.seconds.append(seconds)
    runs.peaks.append(peak / 1024)  # KiB on Linux
    runs.codes.append(code)


def take_turns(commands: dict[str, list[str]], cwd: Path, repeat: int) -> dict[str, Runs]:
    """Each command ``repeat`` times, in turns."""
    runs = {name: Runs(command) for name, command in commands.items()}
    for _ in range(repeat):
        for one in runs.values():
            run_once(one, cwd)
    return runs


def heavy_imports(*args: str) -> list[str]:
    """The heavy libraries that ``opendata ARGS`` imports."""
    code = ("import sys\nfrom opendata.cli import cli\n"
            f"try: cli({list(args)!r}, prog_name='opendata')\nexcept SystemExit: pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"'))


def copy_project(origin: Path, target: Path) -> Path:
    """What a build reads and writes, copied, so that no run touches ``origin``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in ("curation", "locales", "data"):
        shutil.copytree(origin / part, target / part)
    shutil.copy2(origin / "datapackage.json", target / "datapackage.json")
    return target


def problems_of(report: Path) -> set[tuple]:
    """(file, row, field, code) of every problem in an ``opendata validate --json`` report."""
    problems = json.loads(report.read_text("utf-8"))["problems"]
    return {(p["file"], p["row"], p["field"], p["code"]) for p in problems}


def errors_of(report: Path) -> set[tuple]:
    """(file, row, field, type) of every error in a ``frictionless validate --json`` report."""
    found = json.loads(report.read_text("utf-8"))
    errors = {("datapackage.json", None, None, e["type"]) for e in found["errors"]}
    for task in found["tasks"]:
        errors |= {(task["place"], e.get("rowNumber"), e.get("fieldName"), e["type"])
                   for e in task["errors"]}
    return errors


@dataclass
class Size:
    rows: int
    generated: float
    validate: dict[str, Runs]
    build: Runs


@dataclass
class Seeded:
    rows: int
    seeded_rows: int
    frictionless_errors: int
    opendata_problems: int
    own_problems: int
    missing: set[tuple]
    extra: set[tuple]
    validate: dict[str, Runs]

    @property
    def same(self) -> bool:
        return not self.missing and not self.extra


def measure_size(rows: int, work: Path, repeat: int, log) -> Size:
    root = work / f"synthetic-{rows}"
    started = time.perf_counter()
    synth.generate(root, rows)
    generated = time.perf_counter() - started
    log(f"{rows:>9,} rows: generated in {generated:.1f} s; timing validate")
    validate = take_turns({"opendata": [OPENDATA, "validate"],
                           "frictionless": [FRICTIONLESS, "validate", "datapackage.json"]},
                          root, repeat)
    log(f"{rows:>9,} rows: timing build")
    build = take_turns({"build": [OPENDATA, "build"]}, root, repeat)["build"]
    for runs in (*validate.values(), build):
        if set(runs.codes) != {0}:
            raise SystemExit(f"{shlex.join(runs.command)} failed on {root}: {runs.codes}")
    return Size(rows, generated, validate, build)


def measure_seeded(rows: int, work: Path, repeat: int, log) -> Seeded:
    """Both validators on a copy of the ``rows`` package with errors frictionless finds."""
    origin = work / f"synthetic-{rows}"
    if not origin.exists():
        synth.generate(origin, rows)
    root = copy_project(origin, work / f"synthetic-{rows}-errors")
    changed = synth.seed_errors(root)
    log(f"{rows:>9,} rows with {len(changed)} broken rows: validating")
    reports = {"opendata": work / "opendata.json", "frictionless": work / "frictionless.json"}
    commands = {"opendata": [OPENDATA, "validate", "--json"],
                "frictionless": [FRICTIONLESS, "validate", "--json", "datapackage.json"]}
    validate = {name: Runs(command) for name, command in commands.items()}
    for _ in range(repeat):
        for name, runs in validate.items():
            run_once(runs, root, reports[name])
    found, problems = errors_of(reports["frictionless"]), problems_of(reports["opendata"])
    kinds = {error[3] for error in found}
    mine = {p for p in problems if p[3] in kinds}
    return Seeded(rows, len(changed), len(found), len(problems), len(problems - mine),
                  found - mine, mine - found, validate)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def verdict(ok: bool) -> str:
    return "holds" if ok else "**not met**"


def report(args, startup, heavy, project, sizes, seeded, seconds) -> tuple[str, list[bool]]:
    """The markdown of the results, and whether each target held."""
    held: list[bool] = []
    lines = [f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} "
             f"min with:", "", "```sh", f"{args.command}", "```", "",
             f"Machine: {os.cpu_count()} cores ({_cpu()}), Linux {platform.release()}, "
             f"Python {platform.python_version()}, frictionless {_version('frictionless')}. "
             f"Median of {args.repeat} runs each; peak memory is the peak resident set of the "
             "process. Ratios are opendata ÷ frictionless.", ""]

    lines += ["### Start-up", "", "| command | median | target | |", "|---|---:|---:|---|"]
    for name, runs in startup.items():
        ok = runs.time <= STARTUP_LIMIT
        held.append(ok)
        lines.append(f"| `opendata {name}` | {runs.time:.3f} s | ≤ {STARTUP_LIMIT} s | "
                     f"{verdict(ok)} |")
    held.append(not heavy)
    lines += ["", f"Heavy libraries imported by `opendata --help`: "
              f"{', '.join(heavy) or 'none'} (of {', '.join(HEAVY)}).", ""]

    validate, build = project
    od, fl = validate["opendata"], validate["frictionless"]
    time_ratio = ratio(od.time, fl.time)
    held += [time_ratio <= RATIO_LIMIT, build.time < BUILD_LIMIT]
    lines += ["### This project", "",
              "| measure | opendata | frictionless | ratio | target | |",
              "|---|---:|---:|---:|---:|---|",
              f"| validate time | {od.time:.2f} s | {fl.time:.2f} s | {time_ratio:.2f}× | "
              f"≤ {RATIO_LIMIT}× | {verdict(time_ratio <= RATIO_LIMIT)} |",
              f"| validate peak memory | {od.memory:.0f} MiB | {fl.memory:.0f} MiB | "
              f"{ratio(od.memory, fl.memory):.2f}× | | |",
              f"| `opendata build` time | {build.time:.2f} s | | | < {BUILD_LIMIT:.0f} s | "
              f"{verdict(build.time < BUILD_LIMIT)} |", ""]

    lines += ["### Synthetic packages", "",
              "| rows | opendata validate | frictionless validate | time ratio | opendata "
              "peak | frictionless peak | memory ratio | opendata build | build peak |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        od, fl = size.validate["opendata"], size.validate["frictionless"]
        lines.append(f"| {size.rows:,} | {od.time:.2f} s | {fl.time:.2f} s | "
                     f"{ratio(od.time, fl.time):.2f}× | {od.memory:.0f} MiB | "
                     f"{fl.memory:.0f} MiB | {ratio(od.memory, fl.memory):.2f}× | "
                     f"{size.build.time:.2f} s | {size.build.memory:.0f} MiB |")
    largest = max(sizes, key=lambda s: s.rows)
    od, fl = largest.validate["opendata"], largest.validate["frictionless"]
    for what, value in (("time", ratio(od.time, fl.time)),
                        ("peak memory", ratio(od.memory, fl.memory))):
        ok = value <= RATIO_LIMIT
        held.append(ok)
        lines.append(f"\nAt {largest.rows:,} rows, `opendata validate` takes {value:.2f}× the "
                     f"{what} of `frictionless validate` (target ≤ {RATIO_LIMIT}×): "
                     f"{verdict(ok)}.")
    by_rows = {s.rows: s for s in sizes}
    if 100_000 in by_rows and 1_000_000 in by_rows:
        small, big = by_rows[100_000], by_rows[1_000_000]
        lines += ["", "Growth from 100,000 to 1,000,000 rows (10× the rows):", "",
                  "| command | time | peak memory | target (time) | |",
                  "|---|---:|---:|---:|---|"]
        for name, a, b in (("opendata validate", small.validate["opendata"],
                            big.validate["opendata"]),
                           ("frictionless validate", small.validate["frictionless"],
                            big.validate["frictionless"]),
                           ("opendata build", small.build, big.build)):
            grows = ratio(b.time, a.time)
            ok = grows <= GROWTH_LIMIT
            if name.startswith("opendata"):
                held.append(ok)
            lines.append(f"| `{name}` | {grows:.1f}× | {ratio(b.memory, a.memory):.1f}× | "
                         f"≤ {GROWTH_LIMIT:.0f}× | {verdict(ok) if 'opendata' in name else ''} |")
    lines += ["", "Generating the synthetic packages took "
              + ", ".join(f"{s.generated:.1f} s ({s.rows:,} rows)" for s in sizes) + "."]

    if seeded is not None:
        od, fl = seeded.validate["opendata"], seeded.validate["frictionless"]
        held.append(seeded.same)
        lines += ["", f"### Seeded errors ({seeded.rows:,} rows)", "",
                  f"{seeded.seeded_rows} rows of a copy were broken with errors frictionless "
                  "finds (type errors, constraint errors, duplicate ids, dangling foreign "
                  f"keys). frictionless reports {seeded.frictionless_errors} errors; opendata "
                  f"reports {seeded.opendata_problems} problems: the same "
                  f"{seeded.opendata_problems - seeded.own_problems} (file, row, field, code) "
                  f"— {'identical sets' if seeded.same else 'NOT the same set'}"
                  f"{_difference(seeded)} — and {seeded.own_problems} more from its own checks "
                  "(base values, figures and coverage of the broken rows).", "",
                  "| measure | opendata | frictionless | ratio |", "|---|---:|---:|---:|",
                  f"| validate time | {od.time:.2f} s | {fl.time:.2f} s | "
                  f"{ratio(od.time, fl.time):.2f}× |",
                  f"| validate peak memory | {od.memory:.0f} MiB | {fl.memory:.0f} MiB | "
                  f"{ratio(od.memory, fl.memory):.2f}× |"]
    lines += ["", f"Targets: {sum(held)} of {len(held)} hold."]
    return "\n".join(lines) + "\n", held


def _difference(seeded: Seeded) -> str:
    parts = []
    if seeded.missing:
        parts.append(f"missed by opendata: {sorted(seeded.missing, key=str)[:5]}")
    if seeded.extra:
        parts.append(f"not found by frictionless: {sorted(seeded.extra, key=str)[:5]}")
    return f" ({'; '.join(parts)})" if parts else ""


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def write(output: Path, results: str) -> None:
    """Put ``results`` between the markers of ``output`` (added at its end if missing)."""
    text = output.read_text("utf-8") if output.exists() else "# Performance\n"
    block = f"{BEGIN}\n{results}{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="row counts of the synthetic packages")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command")
    parser.add_argument("--startup-repeat", type=int, default=11,
                        help="runs of --help and --version")
    parser.add_argument("--errors-size", type=int,
                        help="rows of the package with seeded errors (default: the largest)")
    parser.add_argument("--work", type=Path, help="folder for the packages (default: temporary)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "performance.md",
                        help="markdown file to put the results in")
    args = parser.parse_args(argv)
    args.command = shlex.join(["python", "-m", "benchmarks", *(argv if argv is not None
                                                                 else sys.argv[1:])])
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="opendata-benchmark-"))
    try:
        log("start-up")
        startup = take_turns({"--help": [OPENDATA, "--help"],
                              "--version": [OPENDATA, "--version"]}, REPO, args.startup_repeat)
        heavy = heavy_imports("--help")
        log("this project")
        real = copy_project(REPO, work / "project")
        validate = take_turns({"opendata": [OPENDATA, "validate"],
                               "frictionless": [FRICTIONLESS, "validate", "datapackage.json"]},
                              real, max(args.repeat, 5))
        build = take_turns({"build": [OPENDATA, "build"]}, real, max(args.repeat, 5))["build"]
        sizes = [measure_size(rows, work, args.repeat, log) for rows in sorted(args.sizes)]
        seeded = measure_seeded(args.errors_size or max(args.sizes), work, args.repeat, log)
        results, held = report(args, startup, heavy, (validate, build), sizes, seeded,
                               time.perf_counter() - started)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(results)
    write(args.output, results)
    log(f"written to {args.output}; {sum(held)} of {len(held)} targets hold")
    return 0
