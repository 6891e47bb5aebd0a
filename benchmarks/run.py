"""Time and measure ``opendata`` against plain ``frictionless``, in one run, side by side.

    python -m benchmarks --quick    # 100,000 rows, under 2 minutes; prints the table
    python -m benchmarks            # 100,000 and 1,000,000 rows, about 10 minutes;
                                    # writes the table into docs/performance.md

Every command runs as its own process, measured from outside (``benchmarks.measure``):
wall time, CPU time, and the summed peak memory of the process and its children. Each
measurement is the median of ``--repeat`` runs, the commands taking turns so that a busy
machine slows all of them alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import measure, synth
from benchmarks.measure import Runs, run_once, take_turns
from opendata.check.verdict import KEPT

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OPENDATA, FRICTIONLESS = str(BIN / "opendata"), str(BIN / "frictionless")
FLOOR = [sys.executable, str(REPO / "benchmarks" / "floor.py"), "datapackage.json"]
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
HEAVY = ("frictionless", "pandas", "babel", "yaml", "petl", "numpy")
QUICK, FULL = [100_000], [100_000, 1_000_000]

# The targets, as ratios of opendata to plain frictionless measured in the same run.
HELP_LIMIT = 0.1          # seconds, median of `opendata --help`
EVERYDAY_LIMIT = 1.0      # seconds, median of build, validate and publish of this project
EVERYDAY = ("opendata build", "opendata validate", "opendata publish")
NO_VERDICT = "opendata publish, validating"  # with no verdict kept (check/verdict.py)
WALL_LIMITS = {100_000: 1.0, 1_000_000: 0.8}  # validate wall time
MEMORY_LIMIT = 2.0        # summed peak memory of validate
GROWTH_LIMIT = 11.0       # validate wall time from 100,000 to 1,000,000 rows


@dataclass
class Size:
    rows: int
    generated: float
    validate: dict[str, Runs]  # opendata, frictionless, floor


@dataclass
class Seeded:
    rows: int
    seeded_rows: int
    frictionless_errors: int
    opendata_problems: int
    own_problems: int
    missing: set[tuple]
    extra: set[tuple]
    same_bytes: bool  # opendata's --json alike in the pool and in one process
    validate: dict[str, Runs]

    @property
    def same(self) -> bool:
        return not self.missing and not self.extra


@dataclass
class Target:
    what: str
    measured: str
    held: bool | None  # None: not measured in this run


def copy_project(origin: Path, target: Path) -> Path:
    """What the commands read and write, copied, so that no run touches ``origin``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in ("curation", "schemas", "locales", "data", "releases"):
        if (origin / part).is_dir():
            shutil.copytree(origin / part, target / part)
    for name in ("datapackage.json", "CHANGELOG.md", "README.md", "CITATION.cff"):
        if (origin / name).is_file():
            shutil.copy2(origin / name, target / name)
    return target


def heavy_imports(*args: str) -> list[str]:
    """The heavy libraries that ``opendata ARGS`` imports."""
    code = ("import sys\nfrom opendata.cli import cli\n"
            f"try: cli({list(args)!r}, prog_name='opendata')\nexcept SystemExit: pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"'))


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


def validators() -> dict[str, list[str]]:
    return {"opendata": [OPENDATA, "validate"],
            "frictionless": [FRICTIONLESS, "validate", "datapackage.json"], "floor": FLOOR}


def measure_project(work: Path, repeat: int) -> dict[str, Runs]:
    """Everyday commands on a copy of this repository's package."""
    real = copy_project(REPO, work / "project")
    commands = {"opendata build": [OPENDATA, "build"], **{
        f"{name} validate" if name != "floor" else "pyarrow floor": command
        for name, command in validators().items()}, "opendata publish": [OPENDATA, "publish"],
        # publish as it runs where no verdict covers the package: it validates it as well
        NO_VERDICT: ["sh", "-c", f'rm -f {KEPT} && exec "$0" publish', OPENDATA]}
    runs = take_turns(commands, real, repeat)
    _succeeded(runs.values(), real)
    return runs


def measure_size(rows: int, work: Path, repeat: int, log) -> Size:
    root = work / f"synthetic-{rows}"
    started = time.perf_counter()
    synth.generate(root, rows)
    generated = time.perf_counter() - started
    log(f"{rows:>9,} rows: generated in {generated:.1f} s; validating {repeat} times")
    validate = take_turns(validators(), root, repeat)
    _succeeded(validate.values(), root)
    return Size(rows, generated, validate)


def measure_seeded(rows: int, work: Path, log) -> Seeded:
    """Both validators, once, on a copy of the ``rows`` package with seeded errors."""
    origin = work / f"synthetic-{rows}"
    if not origin.exists():
        synth.generate(origin, rows)
    root = copy_project(origin, work / f"synthetic-{rows}-errors")
    changed = synth.seed_errors(root)
    log(f"{rows:>9,} rows with {len(changed)} broken rows: validating")
    workers = str(max(2, os.cpu_count() or 1))  # the pool, even for a small package
    commands = {"opendata": [OPENDATA, "validate", "--json", "--jobs", workers],
                "opendata --jobs 1": [OPENDATA, "validate", "--json", "--jobs", "1"],
                "frictionless": [FRICTIONLESS, "validate", "--json", "datapackage.json"]}
    reports = {name: work / f"{name.replace(' ', '')}.json" for name in commands}
    validate = {name: Runs(command) for name, command in commands.items()}
    for name, runs in validate.items():
        run_once(runs, root, reports[name])
    found, problems = errors_of(reports["frictionless"]), problems_of(reports["opendata"])
    kinds = {error[3] for error in found}
    mine = {p for p in problems if p[3] in kinds}
    same_bytes = reports["opendata"].read_bytes() == reports["opendata --jobs 1"].read_bytes()
    return Seeded(rows, len(changed), len(found), len(problems), len(problems - mine),
                  found - mine, mine - found, same_bytes, validate)


def _succeeded(runs, root: Path) -> None:
    for one in runs:
        if set(one.codes) != {0}:
            raise SystemExit(f"{shlex.join(one.command)} failed in {root}: {one.codes}")


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def verdict(held: bool | None) -> str:
    return {True: "holds", False: "**not met**", None: "not measured"}[held]


def report(args, startup, heavy, project, sizes, seeded, seconds) -> tuple[str, list[Target]]:
    """The markdown of the results, and each target with what was measured."""
    targets: list[Target] = []
    lines = [f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} "
             "min with:", "", "```sh", args.command, "```", "",
             f"Machine: {os.cpu_count()} cores ({_cpu()}), Linux {platform.release()}, "
             f"Python {platform.python_version()}, frictionless {_version('frictionless')}, "
             f"pyarrow {_version('pyarrow')}. Load average before the run: {args.load}. "
             f"Median of {args.repeat} runs. Wall and CPU time are of the command and its "
             "children; peak memory is the sum of the peak resident sets of all its processes "
             "(MiB). Ratios are to plain frictionless in the same run. The project's modules "
             "are compiled to bytecode first, as the libraries are when pip installs them.",
             ""]

    lines += ["### Start-up and everyday commands on this project", "",
              "| command | wall | CPU | peak memory | target | |", "|---|---:|---:|---:|---:|---|"]
    help_held = startup["--help"].time <= HELP_LIMIT and not heavy
    targets.append(Target("`opendata --help` ≤ 0.1 s, no heavy import",
                          f"{startup['--help'].time:.3f} s; imports "
                          f"{', '.join(heavy) or 'none'}", help_held))
    for name, runs in startup.items():
        limit = f"≤ {HELP_LIMIT} s" if name == "--help" else ""
        held = verdict(runs.time <= HELP_LIMIT) if name == "--help" else ""
        lines.append(f"| `opendata {name}` | {runs.time:.3f} s | {runs.cpu_time:.3f} s | "
                     f"{runs.memory:.0f} MiB | {limit} | {held} |")
    for name, runs in project.items():
        everyday = name in EVERYDAY
        held = runs.time < EVERYDAY_LIMIT
        if everyday:
            targets.append(Target(f"`{name}` on this project < 1 s", f"{runs.time:.2f} s", held))
        command, *note = name.split(", ")
        lines.append(f"| `{command}`{''.join(f', {n}' for n in note)} | {runs.time:.2f} s | "
                     f"{runs.cpu_time:.2f} s | "
                     f"{runs.memory:.0f} MiB | {'< 1 s' if everyday else ''} | "
                     f"{verdict(held) if everyday else ''} |")
    lines += ["", f"Heavy libraries imported by `opendata --help`: {', '.join(heavy) or 'none'} "
              f"(of {', '.join(HEAVY)}).", ""]

    lines += ["### Synthetic packages", "",
              "| rows | command | wall | CPU | peak memory | processes | wall ratio | "
              "memory ratio |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        plain = size.validate["frictionless"]
        for name, runs in (("opendata validate", size.validate["opendata"]),
                           ("frictionless validate", plain),
                           ("pyarrow floor", size.validate["floor"])):
            lines.append(f"| {size.rows:,} | {name} | {runs.time:.2f} s | {runs.cpu_time:.2f} s"
                         f" | {runs.memory:.0f} MiB | {max(runs.processes)} | "
                         f"{ratio(runs.time, plain.time):.2f}× | "
                         f"{ratio(runs.memory, plain.memory):.2f}× |")
    by_rows = {s.rows: s for s in sizes}
    for rows, limit in WALL_LIMITS.items():
        size = by_rows.get(rows)
        if size is None:
            targets += [Target(f"validate wall at {rows:,} rows ≤ {limit}× frictionless", "",
                               None),
                        Target(f"validate summed peak memory at {rows:,} rows ≤ "
                               f"{MEMORY_LIMIT}× frictionless", "", None)]
            continue
        od, fl = size.validate["opendata"], size.validate["frictionless"]
        wall, memory = ratio(od.time, fl.time), ratio(od.memory, fl.memory)
        targets.append(Target(f"validate wall at {rows:,} rows ≤ {limit}× frictionless",
                              f"{wall:.2f}×", wall <= limit))
        targets.append(Target(f"validate summed peak memory at {rows:,} rows ≤ "
                              f"{MEMORY_LIMIT}× frictionless", f"{memory:.2f}×",
                              memory <= MEMORY_LIMIT))
    lines += ["", "Generating the synthetic packages took "
              + ", ".join(f"{s.generated:.1f} s ({s.rows:,} rows)" for s in sizes) + "."]

    small, big = by_rows.get(100_000), by_rows.get(1_000_000)
    lines += ["", "Growth from 100,000 to 1,000,000 rows (10× the rows):", "",
              "| command | wall | peak memory |", "|---|---:|---:|"]
    for name, key in (("opendata validate", "opendata"),
                      ("frictionless validate", "frictionless"), ("pyarrow floor", "floor")):
        if small and big:
            a, b = small.validate[key], big.validate[key]
            lines.append(f"| {name} | {ratio(b.time, a.time):.1f}× | "
                         f"{ratio(b.memory, a.memory):.1f}× |")
        else:
            lines.append(f"| {name} | — | — |")
    growth = ratio(big.validate["opendata"].time, small.validate["opendata"].time) \
        if small and big else None
    targets.append(Target(f"validate wall growth 100k → 1M ≤ {GROWTH_LIMIT:.0f}×",
                          f"{growth:.1f}×" if growth else "",
                          growth <= GROWTH_LIMIT if growth else None))

    od, fl = seeded.validate["opendata"], seeded.validate["frictionless"]
    lines += ["", f"### Seeded errors ({seeded.rows:,} rows, one run)", "",
              f"{seeded.seeded_rows} rows of a copy were broken with errors frictionless finds "
              "(type errors, constraint errors, duplicate ids, dangling foreign keys). "
              f"frictionless reports {seeded.frictionless_errors} errors; opendata reports "
              f"{seeded.opendata_problems} problems: the same "
              f"{seeded.opendata_problems - seeded.own_problems} (file, row, field, code) — "
              f"{'identical sets' if seeded.same else 'NOT the same set'}{_difference(seeded)}"
              f" — and {seeded.own_problems} more from its own checks (base values, figures "
              "and coverage of the broken rows). opendata's `--json` report is "
              f"{'byte for byte the same' if seeded.same_bytes else 'NOT the same'} with the "
              "worker processes and with `--jobs 1`.", "",
              "| command | wall | CPU | peak memory | wall ratio |", "|---|---:|---:|---:|---:|"]
    for runs in seeded.validate.values():
        shown = shlex.join([Path(runs.command[0]).name, *runs.command[1:]])
        lines.append(f"| `{shown}` | {runs.time:.2f} s | {runs.cpu_time:.2f} s | "
                     f"{runs.memory:.0f} MiB | {ratio(runs.time, fl.time):.2f}× |")
    targets.append(Target("identical error sets on the seeded copy, and the same `--json` "
                          "with and without workers", f"{seeded.rows:,} rows",
                          seeded.same and seeded.same_bytes))

    lines += ["", "### Targets", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {t.what} | {t.measured} | {verdict(t.held)} |" for t in targets]
    measured = [t for t in targets if t.held is not None]
    lines += ["", f"Targets: {sum(bool(t.held) for t in measured)} of {len(measured)} measured "
              "hold."]
    return "\n".join(lines) + "\n", targets


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
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


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
    parser.add_argument("--quick", action="store_true",
                        help="100,000 rows only, and print the table without writing it")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="row counts of the synthetic packages (default: 100,000 and "
                        "1,000,000; 100,000 with --quick)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command")
    parser.add_argument("--startup-repeat", type=int, default=11, help="runs of --help")
    parser.add_argument("--work", type=Path, help="folder for the packages (default: temporary)")
    parser.add_argument("--output", type=Path,
                        help="markdown file to put the results in (default: "
                        "docs/performance.md, or none with --quick)")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("pyarrow") is None:
        parser.error("pyarrow is missing; install it with: .venv/bin/pip install -e '.[benchmark]'")
    args.command = shlex.join(["python", "-m", "benchmarks", *(argv if argv is not None
                                                                 else sys.argv[1:])])
    args.load = " ".join(f"{load:.1f}" for load in os.getloadavg())
    sizes = args.sizes or (QUICK if args.quick else FULL)
    output = args.output or (None if args.quick else REPO / "docs" / "performance.md")
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="opendata-benchmark-"))
    measure.compile_modules()
    try:
        log("start-up")
        startup = take_turns({"--help": [OPENDATA, "--help"],
                              "--version": [OPENDATA, "--version"]}, REPO, args.startup_repeat)
        heavy = heavy_imports("--help")
        log("this project")
        project = measure_project(work, max(args.repeat, 5))
        measured = [measure_size(rows, work, args.repeat, log) for rows in sorted(sizes)]
        seeded = measure_seeded(max(sizes), work, log)
        results, targets = report(args, startup, heavy, project, measured, seeded,
                                  time.perf_counter() - started)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(results)
    if output is not None:
        write(output, results)
        log(f"written to {output}")
    held = [t for t in targets if t.held is not None]
    log(f"{sum(bool(t.held) for t in held)} of {len(held)} measured targets hold")
    return 0
