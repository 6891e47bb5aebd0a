"""Validating a built package: frictionless, then the project's own checks."""

from __future__ import annotations

import csv
import gc
from pathlib import Path

from opendata import coverage
from opendata.catalog import Translations
from opendata.checks import base_values, files, provenance, schema, translations
from opendata.guard import UnsafePackage, check_resources, read_descriptor
from opendata.package import PublishedPackage
from opendata.paths import Project
from opendata.problems import Problem, Report


TO_CURATE = "to curate"  # uncovered numbers of a project whose coverage is in progress


def validate(descriptor: Path, project: Project | None = None) -> Report:
    """Everything wrong with the package at ``descriptor``.

    With a ``project``, translations are checked against its catalog and every number of
    the source must be covered by a row or by its exclusions.

    The report lists frictionless first. The project's own checks run before it, though,
    reading each table once, row by row, all checks at a time; what they hold (the indexed
    source above all) is let go before frictionless reads the package, so that the two
    never take memory at the same time.
    """
    report = Report()
    try:  # a package from outside is checked before anything in it is read
        check_resources(read_descriptor(descriptor), descriptor.parent, str(descriptor))
    except UnsafePackage as error:
        report.add("package", [Problem(str(descriptor), str(error).removeprefix(
            f"{descriptor}: "), "fix the descriptor; a package names files inside its folder",
            "unsafe-package")])
        return report
    own = _own_checks(PublishedPackage.open(descriptor), project)
    report.add("frictionless", schema.check(PublishedPackage.open(descriptor)))
    for check, problems in own.items():
        if check == TO_CURATE:
            report.to_curate = problems
            continue
        report.add(check, problems)
    return report


def _own_checks(package: PublishedPackage, project: Project | None) -> dict[str, list[Problem]]:
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
    del catalog  # the checker keeps only the English it looks up, not babel's catalog
    for table in package.shape.names:
        path = package.path_of(table) or table
        with package.table(table) as columns:
            checks = [check for check in (tracer.for_table(table, columns, path),
                                          converted.for_table(table, columns, path),
                                          labels.for_table(table, columns, path)) if check]
            try:
                _run_rows(columns, checks)
            except csv.Error as error:  # a NUL byte, a cell over the size limit
                found["files"].append(Problem(path, f"cannot be read as CSV: {error}",
                                              "write it as a plain UTF-8 CSV", "csv-error"))
    found["provenance"] = tracer.result.problems
    found["base values"] = converted.problems
    found["translations"] = labels.problems
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
