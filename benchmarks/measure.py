"""Measuring one command from outside: wall time, CPU time and summed peak memory.

The command runs under a small watcher (``_WATCH``), itself a fresh interpreter, so that
nothing of the benchmark is charged to the command (Linux counts a parent's peak in a
child's ``ru_maxrss`` when a vforked child calls exec).

- Wall time: around the command, from start to exit.
- CPU time: user + system seconds of the command and every child it waited for, as
  ``wait4`` reports them (the kernel adds a waited-for child's times to its parent's).
- Peak memory: the sum, over the command and all its descendants, of each one's peak
  resident set. The kernel keeps each process's peak (``VmHWM`` in /proc/PID/status); the
  watcher looks for new processes of the tree every 50 ms (reading the parent of each
  process started since its last look), reads the peak of each every 10 ms in the first
  second and every 50 ms after, and keeps the last value each showed. ``wait4``'s
  ``ru_maxrss`` is the largest single peak; the result is never below it. So the sum is
  exact but for what a process grows in its last 10 ms (50 ms after the first second), or
  what a process living less than 50 ms holds.

The watcher's own CPU time is not the command's, but it takes a share of the machine's
cores, which a command with a process per core would otherwise have: about 5 % of a core
when it read the peaks every 10 ms and read the parent of every process at each look,
about 1 % now (measured around ``sleep 10``).
"""

from __future__ import annotations

import compileall
import importlib.util
import json
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

INTERVAL = 0.01  # seconds between two readings of the peaks in a command's first second
SCAN = 0.05  # seconds between two looks for new processes, and two readings after that

_WATCH = r"""
import json, os, subprocess, sys, threading, time

def parent(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None  # the process has gone

def peak(pid):
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def watch(root, peaks, done, interval, scan):
    tree, running, began, looked = {root}, set(), time.perf_counter(), None
    while not done.is_set():
        now = time.perf_counter()
        if looked is None or now - looked >= scan:
            # only a process that started since the last look can be new to the tree: the
            # parent of each is read once, not that of every process of the machine
            alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
            started = {pid: parent(pid) for pid in alive - running}
            running, looked = alive, now
            while grown := {pid for pid, up in started.items() if up in tree} - tree:
                tree |= grown
        for pid in tree:
            peaks[pid] = max(peaks.get(pid, 0), peak(pid))
        # often while a command starts; then as often as the look for new processes
        done.wait(interval if now - began < 1 else scan)

out = open(sys.argv[3], "wb") if sys.argv[3] else subprocess.DEVNULL
peaks, done = {}, threading.Event()
started = time.perf_counter()
process = subprocess.Popen(sys.argv[4:], stdout=out, stderr=subprocess.DEVNULL)
watcher = threading.Thread(target=watch, args=(process.pid, peaks, done, float(sys.argv[1]),
                                                float(sys.argv[2])))
watcher.start()
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - started
done.set()
watcher.join()
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak": max(sum(peaks.values()), usage.ru_maxrss),
                  "processes": len(peaks), "code": os.waitstatus_to_exitcode(status)}))
"""


@dataclass
class Runs:
    """The runs of one command: wall and CPU seconds, summed peak memory (MiB), exit codes."""

    command: list[str]
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    processes: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_time(self) -> float:
        return statistics.median(self.cpu)

    @property
    def memory(self) -> float:
        return statistics.median(self.peaks)


def run_once(runs: Runs, cwd: Path, stdout: Path | None = None) -> None:
    """Run the command once in ``cwd`` and add what it took to ``runs``."""
    result = subprocess.run([sys.executable, "-c", _WATCH, str(INTERVAL), str(SCAN),
                             str(stdout or ""),
                             *runs.command], cwd=cwd, capture_output=True, text=True,
                            check=True)
    measured = json.loads(result.stdout)
    runs.seconds.append(measured["seconds"])
    runs.cpu.append(measured["cpu"])
    runs.peaks.append(measured["peak"] / 1024)  # KiB on Linux
    runs.processes.append(measured["processes"])
    runs.codes.append(measured["code"])


def take_turns(commands: dict[str, list[str]], cwd: Path, repeat: int) -> dict[str, Runs]:
    """Each command ``repeat`` times, in turns, so that a busy machine slows them alike."""
    runs = {name: Runs(command) for name, command in commands.items()}
    for _ in range(repeat):
        for one in runs.values():
            run_once(one, cwd)
    return runs


def compile_modules(folder: Path | None = None) -> Path:
    """Compile this project's modules (those in ``folder``, by default the installed
    package's) to bytecode, as pip does when it installs a package.

    The libraries are installed compiled; an editable install of this project is not, and
    where Python may not write bytecode (``PYTHONDONTWRITEBYTECODE``, as on some CI
    machines) every command would compile every module of ``opendata`` again, some 0.4 s,
    charged to opendata and not to frictionless. Returns the folder.
    """
    if folder is None:
        spec = importlib.util.find_spec("opendata")
        assert spec is not None and spec.submodule_search_locations
        folder = Path(next(iter(spec.submodule_search_locations)))
    if not compileall.compile_dir(folder, quiet=1):
        raise SystemExit(f"could not compile the modules in {folder}")
    return folder
