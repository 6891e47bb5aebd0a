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

import json
import os
import shutil
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

WORK = ".opendata"        # the project's working folder: lock, staged outputs, journal
JOURNAL = "journal.json"
FAULT = "OPENDATA_FAULT"  # fault injection: staged | journal | swap:N | committed


def work(root: Path) -> Path:
    return root / WORK


@contextmanager
def locked(root: Path, exclusive: bool = True, announce=None) -> Iterator[None]:
    """Hold the project's lock: writers exclude everyone, readers only writers.

    A second run waits for the first (saying so through ``announce``) rather than mixing its
    outputs with the first's; the lock goes with the process, even when it is killed.
    """
    import fcntl

    folder = work(root)
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "a+") as handle:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if announce:
                announce("waiting for another opendata run on this project to finish")
            fcntl.flock(handle, mode)
        if exclusive:
            recover(root)
        yield


def recover(root: Path) -> bool:
    """Roll back a run that was killed before its commit point; True when one was."""
    folder = work(root) / "run"
    journal = folder / JOURNAL
    rolled_back = journal.exists()
    if rolled_back:
        for entry in json.loads(journal.read_text(encoding="utf-8")):
            target, old = root / entry["path"], folder / "old" / entry["path"]
            if old.exists() or old.is_symlink():
                _remove(target)
                os.replace(old, target)
            elif not entry["existed"]:
                _remove(target)
    shutil.rmtree(folder, ignore_errors=True)
    return rolled_back


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
        target = self.staged(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(target, 0o644)
        self.add(path)

    def add(self, path: str) -> None:
        """Commit ``path`` (a file or a whole folder) as staged with ``staged(path)``."""
        if path not in self.targets:
            self.targets.append(path)

    def commit(self) -> None:
        """Swap every staged target in; on any failure before the end, roll back."""
        fault("staged")
        entries = [{"path": p, "existed": (self.root / p).exists()} for p in self.targets]
        journal = self.folder / JOURNAL
        journal.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        _sync(journal)
        fault("journal")
        try:
            for count, entry in enumerate(entries, start=1):
                self._swap(entry["path"])
                fault(f"swap:{count}")
            journal.unlink()  # the commit point
            _sync_folder(self.folder)
        except BaseException:
            recover(self.root)
            raise
        fault("committed")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _swap(self, path: str) -> None:
        target, old = self.root / path, self.folder / "old" / path
        if target.exists():
            old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, old)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.staged(path), target)

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def fault(point: str) -> None:
    """Kill this process at ``point`` when OPENDATA_FAULT names it, or pause there for S
    seconds when it says ``point:sleep=S`` (fault-injection and concurrency tests)."""
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
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
