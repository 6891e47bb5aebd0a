"""Worker processes that never outlive the run that started them."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import wait
from threading import Thread


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, each of which ends when this process ends.

    A worker of ``concurrent.futures`` waits for its next task on a pipe that it holds open
    itself, so when the process that started it is killed (SIGKILL, or the system out of
    memory) nothing ever wakes it, and it stays behind for good. Each worker of this pool
    therefore watches its parent's sentinel, which the operating system makes ready when
    the parent ends, and ends with it.
    """
    return ProcessPoolExecutor(max_workers=workers, initializer=_end_with_parent)


def _end_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        Thread(target=_exit_when_ended, args=(parent.sentinel,), daemon=True).start()


def _exit_when_ended(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)  # the run this worker served is gone: nothing is left to report to
