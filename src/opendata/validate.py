"""Validating a built package: frictionless, then the project's own checks."""

from __future__ import annotations

import gc
from pathlib import Path

from opendata import coverage
from opendata.catalog import Translations
from opendata.checks import base_values, evidence, files, provenance, schema, translations
from opendata.descriptor import is_opendata_package
from opendata.guard import (NotADescriptor, OutOfTime, UnsafePackage,
                            check_resources, offline, read_descriptor, within_budget)
from opendata.package import PublishedPackage
from opendata.paths import Project
from opendata.problems import Problem, Report, as_error, reading


TO_CURATE = "to curate"  # uncovered numbers of a project whose coverage is in progress


def validate(descriptor: Path, project: Project | None = None, strict: bool = False,
             allow_network: bool = False) -> Report:
    """Everything wrong with the package at ``descriptor`` (JSON or YAML, any name).

    The descriptor and every reference in it are checked before anything is read (see
    ``guard``); raises NotADescriptor when the file is no descriptor at all. frictionless
    decides validity; an opendata package (one that declares the project's profile) is held
    to its own checks as well, and with a ``project``, translations are checked against its
    catalog and every number of the source must be covered by a row or by its exclusions.
    Other packages get the generic file checks as warnings (errors when ``strict``).

    The report lists frictionless first. The project's own checks run before it, though,
    reading each table once, row by row, all checks at a time; what they hold (the indexed
    source above all) is let go before frictionless reads the package, so that the two
    never take memory at the same time. Every read happens within the time budget.
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
    try:
        with offline(allow_network), within_budget(str(descriptor)):
            found = reading(descriptor.name, lambda: _own_checks(
                PublishedPackage.open(descriptor, allow_network), project if own else None, own))
            report.add("frictionless", reading(descriptor.name, lambda: schema.check(
                descriptor, own)))
    except OutOfTime as error:
        report.add("time budget", error.problems)
        return report
    if isinstance(found, list):  # the package could not be read at all
        found = {"files": found}
    for check, problems in found.items():
        if check == TO_CURATE:
            report.to_curate = problems
            continue
        report.add(check, [as_error(p) for p in problems] if strict else problems)
    return report


def _refused(descriptor: Path, error: UnsafePackage) -> Problem:
    return Problem(str(descriptor), str(error).removeprefix(f"{descriptor}: "),
                   "fix the descriptor; a package names files inside its folder",
                   "unsafe-package")


def _own_checks(package: PublishedPackage, project: Project | None,
                own: bool) -> dict[str, list[Problem]]:
    if not own:  # another package: only the generic file checks, as warnings
        return {"files": files.check(package, own=False)}
    # The checks make millions of short-lived objects and no reference cycles: the cyclic
    # garbage collector would only walk the heap again and again (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_own_checks(package, project)
    finally:
        if collecting:
            gc.enable()


def _run_own_checks(package: PublishedPackage,
                    project: Project | None) -> dict[str, list[Problem]]:
    catalog = None
    if project is not None:
        catalog = Translations.read(project.catalog, project.relative(project.catalog))
    found = {"files": files.check(package)}
    tracer = provenance.Tracer(package)
    converted = base_values.Checker(package)
    labels = translations.Checker(package.shape, catalog)
    evident = evidence.Checker(package)
    del catalog  # the checker keeps only the English it looks up, not babel's catalog
    for table in package.shape.names:
        path = package.path_of(table) or table
        found["files"] += reading(path, lambda: _check_table(package, table, path, (
            tracer, converted, labels, evident))) or []
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


def _check_table(package: PublishedPackage, table: str, path: str, checkers) -> None:
    with package.table(table) as columns:
        checks = [check for check in (checker.for_table(table, columns, path)
                                      for checker in checkers) if check]
        _run_rows(columns, checks)


def _run_rows(columns, checks) -> None:
    if not checks:
        return
    if len(checks) == 1:
        [check] = checks
        for number, cells in enumerate(columns, start=2):
            check(number, cells)
        return
    for number, cells in enumerate(columns, start=2):
        for check in checks:
            check(number, cells)
