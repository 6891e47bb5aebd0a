"""Replacing a project's outputs all at once or not at all, one run at a time.

Every command that writes stages its outputs under ``.opendata/``, then commits them with a
rollback journal, as SQLite does: the journal lists each target and where its old version
was moved; it is written before the first target changes and deleted once the last has
changed. Deleting it is the commit point. A run killed before that point is rolled back by
the next command that opens the project, so the previous outputs come back whole; a run
killed after it has published everything. ``OPENDATA_FAULT`` names a point at which a run
kills itself, so tests can prove both.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from opendata.exceptions import InvalidData
from opendata.problems import Problem

WORK = ".opendata"        # the project's working folder: lock, staged outputs, journal
JOURNAL = "journal.json"
SCRATCH = "tmp"           # temporary files of runs, under .opendata/
FAULT = "OPENDATA_FAULT"  # fault injection: a point named by ``fault`` below
FAULT_LOG = "OPENDATA_FAULT_LOG"  # a file every fault point passed is appended to (tests)


def work(root: Path) -> Path:
    return root / WORK


class DamagedJournal(InvalidData):
    """Raised when a rollback journal cannot be read and files may already have moved."""


@contextmanager
def locked(root: Path, announce: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's lock, then roll back any run killed before its commit point.

    A second run waits for the first (saying so through ``announce``) rather than mixing its
    outputs with the first's. The lock is released on every way out of the block, and goes
    with the process when it is killed. filelock uses the operating system's lock (fcntl on
    POSIX, msvcrt on Windows), so every command works wherever Python does.
    """
    with warnings.catch_warnings():  # where fcntl is missing, filelock's own lock is used
        warnings.simplefilter("ignore")
        from filelock import FileLock, SoftFileLock, Timeout

    folder = work(root)
    folder.mkdir(exist_ok=True)
    # A soft lock is a file that exists while held: it must not take the OS lock's file,
    # which stays behind after every run.
    lock = FileLock(str(folder / ("soft-lock" if FileLock is SoftFileLock else "lock")))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if announce:
            announce("waiting for another opendata run on this project to finish")
        lock.acquire()
    try:
        recover(root)
        yield
    finally:
        lock.release()


def recover(root: Path) -> bool:
    """Roll back a run that was killed before its commit point; True when one was.

    A journal is written whole before any published file moves (see ``_write_journal``),
    so one that cannot be read means nothing moved, unless old versions were set aside.
    """
    folder = work(root) / "run"
    journal = folder / JOURNAL
    rolled_back = journal.exists()
    if rolled_back:
        for count, entry in enumerate(_read_journal(root, journal), start=1):
            target, old = root / entry["path"], folder / "old" / entry["path"]
            if old.exists() or old.is_symlink():
                _remove(target)
                os.replace(old, target)
            elif not entry["existed"]:
                _remove(target)
            fault(f"recover:{count}")
        journal.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(work(root) / SCRATCH, ignore_errors=True)  # left by a killed run
    return rolled_back


def _read_journal(root: Path, journal: Path) -> list[dict]:
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
        if not all(isinstance(e, dict) and isinstance(e.get("path"), str) and e["path"]
                   and ".." not in Path(e["path"]).parts and not Path(e["path"]).is_absolute()
                   and isinstance(e.get("existed"), bool) for e in entries):
            raise ValueError("not a list of {path, existed} entries")
        return entries
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as error:
        old = journal.parent / "old"
        if not old.exists() or not any(old.iterdir()):
            return []  # written before anything moved: nothing to roll back
        shown = journal.relative_to(root).as_posix()
        raise DamagedJournal([Problem(
            shown, f"is not a rollback journal opendata can read ({error}), and a killed "
            "run had set old files aside", f"restore the files under {shown[:-len(JOURNAL)]}old/ "
            f"to their places by hand, then delete {shown[:-len(JOURNAL) - 1]}",
            "damaged-journal")]) from error


@contextmanager
def scratch(root: Path | None) -> Iterator[Path]:
    """A temporary folder for one run: under the project's run folder, which the next run
    cleans after a kill, or in the system's temporary folder when there is no project."""
    if root is None:
        with tempfile.TemporaryDirectory(prefix="opendata-") as temporary:
            yield Path(temporary)
        return
    base = work(root) / SCRATCH
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=base))
    try:
        fault("scratch")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):  # another block of this run may still use it
            base.rmdir()


class Transaction:
    """Files and folders staged under .opendata/run/new, committed together."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = work(root) / "run"
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.folder / "new").mkdir(parents=True)
        self.targets: list[str] = []

    def staged(self, path: str) -> Path:
        """Where the new version of ``path`` is staged (write a folder's files under it)."""
        return self.folder / "new" / path

    def write(self, path: str, content: bytes) -> None:
        """Stage the new content of file ``path`` (relative to the project root)."""
        self._stage(path, content)
        self.add(path)

    def write_folder(self, path: str, files: dict[str, bytes]) -> None:
        """Stage folder ``path`` as ``files`` (paths inside it, and their content): it
        replaces the whole folder, so that no file of the old one is left in it."""
        for name, content in files.items():
            self._stage(f"{path}/{name}", content)
        self.add(path)

    def _stage(self, path: str, content: bytes) -> None:
        """Write the staged ``path`` and sync it, so that a commit never swaps in a file
        whose content is still only in memory."""
        target = self.staged(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(target, 0o644)

    def add(self, path: str) -> None:
        """Commit ``path`` (a file or a whole folder) as staged with ``staged(path)``."""
        if path not in self.targets:
            self.targets.append(path)

    def commit(self) -> None:
        """Swap every staged target in; on any failure before the end, roll back.

        A fault point follows every rename and every write of the journal, so tests can
        kill the run at each one (``OPENDATA_FAULT``).
        """
        fault("staged")
        entries: list[dict[str, Any]] = [{"path": p, "existed": (self.root / p).exists()}
                                         for p in self.targets]
        journal = self.folder / JOURNAL
        _write_journal(journal, entries)
        try:
            for count, entry in enumerate(entries, start=1):
                self._swap(entry["path"], count)
            journal.unlink()  # the commit point
            _sync_folder(self.folder)
        except BaseException:
            recover(self.root)
            raise
        fault("committed")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _swap(self, path: str, count: int) -> None:
        target, old = self.root / path, self.folder / "old" / path
        if target.exists() or target.is_symlink():
            old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, old)
            fault(f"swap:{count}:old")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.staged(path), target)
        fault(f"swap:{count}")

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write_journal(journal: Path, entries: list[dict]) -> None:
    """Write the journal whole or not at all: a temporary file, synced, then renamed."""
    partial = journal.with_name(journal.name + ".partial")
    content = json.dumps(entries, ensure_ascii=False).encode("utf-8")
    with open(partial, "wb") as handle:
        handle.write(content[: len(content) // 2])
        fault("journal:half")  # a kill mid-write leaves a truncated, unused file
        handle.write(content[len(content) // 2:])
        handle.flush()
        os.fsync(handle.fileno())
    fault("journal:written")
    os.replace(partial, journal)
    _sync_folder(journal.parent)
    fault("journal")


def fault(point: str) -> None:
    """Kill this process at ``point`` when OPENDATA_FAULT names it, or pause there for S
    seconds when it says ``point:sleep=S`` (fault-injection and concurrency tests).

    With OPENDATA_FAULT_LOG set, every point passed is appended to that file, so a test can
    enumerate all the points of a run before killing it at each.
    """
    log = os.environ.get(FAULT_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(point + "\n")
    wanted, _, action = os.environ.get(FAULT, "").partition(":sleep=")
    if wanted != point:
        return
    if action:
        time.sleep(float(action))
        return
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _sync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to sync it; its renames are journaled by NTFS
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
