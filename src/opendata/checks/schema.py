"""Frictionless validation of the whole package, with no cut-off at an error limit.

The package is validated as ``frictionless validate DESCRIPTOR`` validates it: the
descriptor file itself, whatever its name, JSON or YAML. A descriptor frictionless cannot
even load is its verdict too: invalid, with frictionless's reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

from opendata.problems import Problem

_HINTS = {
    "type-error": "write a value of the column's type",
    "constraint-error": "correct the value: it breaks a constraint of the schema",
    "primary-key": "give each row its own id",
    "foreign-key": "use a value that exists in the referenced table",
    "hash-count": "the file changed after the descriptor: correct the file or its hash",
    "byte-count": "the file changed after the descriptor: correct the file or its bytes",
    "scheme-error": "check the resource path",
    "encoding-error": "save the file as UTF-8",
}
_OWN_HINTS = {"hash-count": "rebuild with `opendata build`: the file changed after the "
                            "descriptor",
              "byte-count": "rebuild with `opendata build`: the file changed after the "
                            "descriptor"}


def check(descriptor: Path, own: bool = False) -> list[Problem]:
    """Every error frictionless finds in the package described by ``descriptor``."""
    from frictionless import FrictionlessException, Resource, system

    shown = descriptor.name
    hints = {**_HINTS, **_OWN_HINTS} if own else _HINTS
    try:
        with system.use_context(trusted=False):
            report = Resource(str(descriptor), datatype="package").validate(
                limit_errors=sys.maxsize)
    except FrictionlessException as error:  # what frictionless's own CLI reports and fails on
        return [Problem(shown, error.error.message, "fix the descriptor", error.error.type)]
    problems = []
    for error in report.errors:
        problems.append(Problem(shown, error.message, "fix the descriptor", error.type))
    for task in report.tasks:
        path = task.place or task.name
        for error in task.errors:
            problems.append(Problem(
                str(path), error.message, hints.get(error.type, "correct the file"),
                error.type, row=getattr(error, "row_number", None),
                field=getattr(error, "field_name", None)))
    return problems
