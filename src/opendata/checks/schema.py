"""Frictionless validation of the whole package, with no cut-off at an error limit."""

from __future__ import annotations

import sys

from opendata.package import PublishedPackage
from opendata.problems import Problem

_HINTS = {
    "type-error": "write a value of the column's type",
    "constraint-error": "correct the value: it breaks a constraint of the schema",
    "primary-key": "give each row its own id",
    "foreign-key": "use a value that exists in the referenced table",
    "hash-count": "rebuild with `opendata build`: the file changed after the descriptor",
    "byte-count": "rebuild with `opendata build`: the file changed after the descriptor",
    "scheme-error": "check the resource path",
    "encoding-error": "save the file as UTF-8",
}


def check(package: PublishedPackage) -> list[Problem]:
    """Every error frictionless finds in the package, as Problems."""
    from frictionless import Package, system

    with system.use_context(trusted=False):
        report = Package(str(package.root / "datapackage.json")).validate(
            limit_errors=sys.maxsize)
    problems = []
    for error in report.errors:
        problems.append(Problem("datapackage.json", error.message,
                                "fix the descriptor by fixing its inputs and rebuilding",
                                error.type))
    for task in report.tasks:
        path = task.place or task.name
        for error in task.errors:
            problems.append(Problem(
                str(path), error.message, _HINTS.get(error.type, "correct the file"),
                error.type, row=getattr(error, "row_number", None),
                field=getattr(error, "field_name", None)))
    return problems
