"""Validating a package: frictionless, then the project's own checks.

The work is split into tasks: the project's checks, and frictionless's validation of the
resources, all at once for a small package and one task per resource for a large one. The
tasks run on every core (a small package's when asked to, as the commands do): this
process takes the project's checks, worker processes take frictionless's, and this
process takes what is left of them when its own task is done. The report merges their
problems in the order of the tasks, never in the order they finish. Every task runs
offline (unless the network is allowed) and within the time budget of the whole run, in a
worker as in this process.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from functools import partial
from pathlib import Path
from threading import Lock, Thread
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from opendata.check import schema
from opendata.check.guard import (
    NotADescriptor,
    OutOfTime,
    UnsafePackage,
    check_resources,
    offline,
    read_descriptor,
    spent_budget,
    time_budget,
    within_budget,
)
from opendata.paths import Project
from opendata.problems import Problem, Report, as_error, reading
from opendata.profile import is_opendata_package
from opendata.workers import pool as worker_pool

if TYPE_CHECKING:
    from opendata.check.provenance import Row
    from opendata.check.published import PublishedPackage
    from opendata.csvfile import Table


class TableChecker(Protocol):
    """A check that runs row by row: the function for one row of a table, if any."""

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None: ...

# From this many table rows on, frictionless validates each resource as a task of its own;
# below, all of them in one task, so that one process alone imports frictionless
# (docs/performance.md, "Small packages: frictionless in one task, in one worker").
ROWS_BY_RESOURCE = 20_000
TO_CURATE = "to curate"  # uncovered numbers of a project whose coverage is in progress


class Limits(NamedTuple):
    """What every task runs within, in this process or in a worker: the network (off unless
    allowed) and the time budget of the whole run, ``seconds`` from ``started`` (a
    ``time.monotonic()``, one clock for every process of the machine)."""

    what: str
    allow_network: bool
    seconds: float | None
    started: float

    @contextmanager
    def held(self) -> Iterator[None]:
        try:
            with offline(self.allow_network), within_budget(self.what, self.seconds,
                                                            self.started):
                yield
        except KeyboardInterrupt:  # the budget's interrupt, come just after its block ended
            spent = spent_budget()
            if spent is None:
                raise
            raise spent from None


def validate(descriptor: Path, project: Project | None = None, strict: bool = False,
             allow_network: bool = False, jobs: int | None = None,
             pool: ProcessPoolExecutor | None = None) -> Report:
    """Everything wrong with the package at ``descriptor`` (JSON or YAML, any name).

    The descriptor and every reference in it are checked before anything is read (see
    ``guard``); raises NotADescriptor when the file is no descriptor at all. frictionless
    decides validity; an opendata package (one that declares the project's profile) is held
    to its own checks as well, and with a ``project``, translations are checked against its
    catalog and every number of the source must be covered by a row or by its exclusions.
    Other packages get the generic file checks as warnings (errors when ``strict``).

    ``jobs`` is how many processes to use, this one included: by default one per core for
    a large package, and this process alone for a small one (a program that validates
    again and again validates warm), unless given ``pool``, a worker the caller started
    ahead with ``validator()``. With more than one job, a small package's frictionless
    task goes to a worker while this process runs the project's checks. The report is the
    same however many processes there are. It lists frictionless first; in one process the
    project's own checks run before it, though, and what they hold (the indexed source
    above all) is let go before frictionless reads the package, so that the two never take
    memory at the same time. Every read happens within the time budget, and with no
    network unless ``allow_network``.
    """
    report = Report()
    try:  # a package from outside is checked before anything in it is read
        raw = read_descriptor(descriptor)
        check_resources(raw, descriptor.parent, str(descriptor), allow_network)
    except NotADescriptor:
        raise
    except UnsafePackage as error:
        report.add("package", [_refused(descriptor, error)])
        return report
    own = is_opendata_package(raw)
    limits = Limits(str(descriptor), allow_network, time_budget(), time.monotonic())
    try:
        with limits.held():
            frictionless, found = _checks(descriptor, raw["resources"], project if own else None,
                                          own, jobs, limits, pool)
    except OutOfTime as error:
        report.add("time budget", error.problems)
        return report
    report.add("frictionless", schema.merge(frictionless))
    for check, problems in found.items():
        if check == TO_CURATE:
            report.to_curate = problems
            continue
        report.add(check, [as_error(p) for p in problems] if strict else problems)
    return report


@contextmanager
def validator() -> Iterator[ProcessPoolExecutor | None]:
    """A worker for a validation to come, which imports frictionless while the caller
    makes what it will validate (None on a single core, or where frictionless is imported
    already: the validation runs here).

    Give it to ``validate`` as its ``pool``.
    """
    if (os.cpu_count() or 1) < 2 or _frictionless_here():
        yield None
        return
    with worker_pool(1) as pool:
        pool.submit(schema.prepare)
        yield pool


def _frictionless_here() -> bool:
    """Whether this process has imported frictionless already (a program that validates
    again and again, or a test session). The worker started ahead pays for itself by taking
    frictionless's import and its first, cold validation off this process's path; forked
    from a process that has them behind it, it would only validate cold what this process
    validates warm (0.45 to 0.6 s against 0.2 to 0.3 s on the tiny fixture report, eight
    builds and validations in one process)."""
    return "frictionless" in sys.modules


def _refused(descriptor: Path, error: UnsafePackage) -> Problem:
    return Problem(str(descriptor), str(error).removeprefix(f"{descriptor}: "),
                   "fix the descriptor; a package names files inside its folder",
                   "unsafe-package")


def _checks(descriptor: Path, resources: list[dict], project: Project | None, own: bool,
            jobs: int | None, limits: Limits,
            pool: ProcessPoolExecutor | None = None) -> tuple[list[schema.Checked], dict]:
    """frictionless's findings, part by part, and the project's checks, by name."""
    large = _rows(descriptor.parent, resources) >= ROWS_BY_RESOURCE
    if jobs is None:  # a small package uses the worker it is given, if any
        jobs = (os.cpu_count() or 1) if large or pool is not None else 1
    # ours, then frictionless: a large package's resources one by one; a small one's all at
    # once, so that one process alone imports frictionless and reads the descriptor
    split = large and jobs > 1
    parts = [[index] for index in range(len(resources))] if split else [range(len(resources))]
    tasks: list[Callable[[], Any]] = [partial(own_checks, descriptor, project, own,
                                              limits.allow_network)]
    tasks += [partial(frictionless_checks, descriptor, part, own) for part in parts or [[]]]
    largest = [1 + index for index in _largest_first(descriptor.parent, resources)] \
        if split else []
    # ``pool`` has the one worker a small package's frictionless task needs; a large
    # package's resources are spread over a worker per core
    found, *frictionless = run(tasks, jobs, limits, first=[0, *largest],
                               pool=None if split else pool)
    return frictionless, found


def run(tasks: list[Callable[[], Any]], jobs: int, limits: Limits,
        first: list[int] | None = None, pool: ProcessPoolExecutor | None = None) -> list[Any]:
    """The result of each task, in the order of ``tasks``, on up to ``jobs`` processes:
    this one and ``jobs - 1`` workers.

    The tasks wait in one queue, ``first`` first (the longest, so that no process is left
    with a long task at the end). This process takes the first task itself; each worker
    takes the next one waiting, and the next when it is done; so does this process once
    its own is done. The workers are forked before this process reads anything, so that
    none of them carries what its tasks read; or they are those of ``pool``, started
    earlier by the caller. The caller holds ``limits``; each worker holds them too, so
    that a worker fetches nothing and stops at the deadline of the whole run.
    """
    order = (first or []) + [i for i in range(len(tasks)) if i not in (first or [])]
    if jobs <= 1 or len(tasks) <= 1:
        done = {index: tasks[index]() for index in order}
        return [done[index] for index in range(len(tasks))]
    workers = min(jobs - 1, len(tasks) - 1)
    here, *started = order[:1 + workers]
    waiting = _Waiting(order[1 + workers:])
    with worker_pool(workers) if pool is None else nullcontext(pool) as executor:
        futures: dict[int, Future] = {}
        try:
            feeders = []
            for index in started:  # the first submit forks the workers
                futures[index] = executor.submit(_within, limits, tasks[index])
                feeders.append(Thread(target=_feed, daemon=True,
                                      args=(executor, futures[index], waiting, tasks, limits,
                                            futures)))
            for feeder in feeders:
                feeder.start()
            done = {here: tasks[here]()}
            while (taken := waiting.take()) is not None:
                done[taken] = tasks[taken]()
            for feeder in feeders:
                feeder.join()
            for index in sorted(futures):
                done[index] = futures[index].result()
            return [done[index] for index in range(len(tasks))]
        except BaseException:  # out of time, above all: start no task that is waiting
            waiting.clear()
            executor.shutdown(cancel_futures=True)
            raise


class _Waiting:
    """The tasks that no process has taken yet, in order, taken one at a time by this
    process and by the threads that feed the workers."""

    def __init__(self, order: list[int]):
        self._order = deque(order)
        self._lock = Lock()

    def take(self) -> int | None:
        with self._lock:
            return self._order.popleft() if self._order else None

    def clear(self) -> None:
        with self._lock:
            self._order.clear()


def _feed(pool: ProcessPoolExecutor, future: Future, waiting: _Waiting,
          tasks: list[Callable[[], Any]], limits: Limits, futures: dict[int, Future]) -> None:
    """Keep one worker busy: when its task is done, give it the next one waiting."""
    while True:
        wait([future])
        if future.cancelled() or future.exception() is not None:
            return  # the run is stopping, or reports the failure when it reads the results
        index = waiting.take()
        if index is None:
            return
        try:
            future = futures[index] = pool.submit(_within, limits, tasks[index])
        except RuntimeError:  # the pool was shut down: the run is stopping
            return


def _within(limits: Limits, task: Callable[[], Any]) -> Any:
    """``task()`` in a worker process, within ``limits``."""
    with limits.held():
        return task()


def frictionless_checks(descriptor: Path, indices: Sequence[int],
                        own: bool) -> schema.Checked:
    """What frictionless finds in the package and its resources ``indices``."""
    checked = reading(descriptor.name, lambda: schema.check_resources(descriptor, indices, own))
    if isinstance(checked, schema.Checked):
        return checked
    return schema.Checked(checked, [], invalid_descriptor=True)  # it could not check at all


def own_checks(descriptor: Path, project: Project | None, own: bool,
               allow_network: bool) -> dict[str, list[Problem]]:
    """The project's checks, by name; on another package, only the generic file checks
    (as warnings)."""
    from opendata.check import files
    from opendata.check.published import PublishedPackage

    def checks() -> dict[str, list[Problem]]:
        package = PublishedPackage.open(descriptor, allow_network)
        if not own:
            return {"files": files.check(package, own=False)}
        return _opendata_checks(package, project)

    found = reading(descriptor.name, checks)
    return {"files": found} if isinstance(found, list) else found  # a list: unreadable


def _opendata_checks(package: PublishedPackage,
                     project: Project | None) -> dict[str, list[Problem]]:
    """Each table is read once, row by row, all checks at a time."""
    from opendata.check import base_values, coverage, english, evidence, files, provenance
    from opendata.curate.catalog import Translations
    from opendata.shape import misnamed

    catalog = None
    if project is not None:
        catalog = Translations.read(project.catalog, project.relative(project.catalog))
    labels = english.Checker(package.shape, catalog)
    # the checker keeps only the English it looks up: babel's catalog is let go before
    # the source is indexed, so that the two never take memory at the same time
    del catalog
    # a descriptor edited by hand may name columns its tables lack, as the build refuses
    found = {"files": files.check(package) + misnamed(
        package.shape, lambda table: (package.descriptor_name, f"resource '{table.name}' "),
        "name a field of the resource's schema, or rebuild with `opendata build`")}
    tracer = provenance.Tracer(package)
    converted = base_values.Checker(package)
    evident = evidence.Checker(package)
    for table in package.shape.names:
        path = package.path_of(table) or table
        stopped = reading(path, partial(_check_table, package, table, path,
                                        (tracer, converted, labels, evident)))
        found["files"] += stopped or []
    found["provenance"] = tracer.result.problems
    found["base values"] = converted.problems
    found["translations"] = labels.problems
    found["evidence"] = evident.problems
    if project is not None:
        shown = project.relative(project.exclusions)
        exclusions, problems = coverage.read_exclusions(project.exclusions, shown)
        uncovered = coverage.check(package, exclusions, shown, tracer.result.claims)
        found["coverage"] = problems
        if coverage.in_progress(project):
            found[TO_CURATE] = uncovered
        else:
            found["coverage"] += uncovered
    return found


def _check_table(package: PublishedPackage, table: str, path: str,
                 checkers: Iterable[TableChecker]) -> None:
    with package.table(table) as columns:
        checks = [check for check in (checker.for_table(table, columns, path)
                                      for checker in checkers) if check]
        if not checks or columns is None:
            return
        for number, cells in enumerate(columns, start=2):
            for check in checks:
                check(number, cells)


def _tables(root: Path, resources: list[dict]) -> list[tuple[int, Path]]:
    """(index, file) of each resource that is a local CSV file."""
    return [(index, root / resource["path"]) for index, resource in enumerate(resources)
            if isinstance(resource.get("path"), str) and resource["path"].endswith(".csv")
            and (root / resource["path"]).is_file()]


def _rows(root: Path, resources: list[dict]) -> int:
    """The lines of the package's tables, counted up to ROWS_BY_RESOURCE at most."""
    rows = 0
    for _, path in _tables(root, resources):
        with open(path, "rb") as handle:
            while rows < ROWS_BY_RESOURCE and (chunk := handle.read(1 << 16)):
                rows += chunk.count(b"\n")
    return rows


def _largest_first(root: Path, resources: list[dict]) -> list[int]:
    """The resources with tables, largest file first."""
    return [index for index, path in sorted(_tables(root, resources),
                                            key=lambda table: -table[1].stat().st_size)]
