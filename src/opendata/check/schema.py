"""Frictionless validation of the whole package, with no cut-off at an error limit.

The package is validated as ``frictionless validate DESCRIPTOR`` validates it: the
descriptor file itself, whatever its name, JSON or YAML. A descriptor frictionless cannot
even load is its verdict too: invalid, with frictionless's reason.

The resources can be checked in separate processes: each part reads the descriptor and
validates some of its resources, and ``merge`` puts the parts together in frictionless's
order, so that the problems are those of one validation of the whole package.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from opendata.problems import Problem


class Checked(NamedTuple):
    """Problems of the package as a whole, and of some resources' rows, as frictionless finds
    them; ``invalid_descriptor`` when the descriptor failed, so nothing else was checked."""

    descriptor: list[Problem]
    resource: list[Problem]
    invalid_descriptor: bool = False


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


def prepare() -> None:
    """Import frictionless, for a validation to come in this process."""
    import frictionless  # noqa: F401


def check_resources(descriptor: Path, indices: Sequence[int], own: bool = False) -> Checked:
    """What frictionless finds wrong with ``descriptor``, and with its resources ``indices``.

    The same validation as ``frictionless validate DESCRIPTOR`` of the whole package, for
    some of its resources, so that resources can be checked in separate processes. ``own``
    (an opendata package) gives hints that name the project's build.
    """
    from frictionless import Checklist, FrictionlessException, Resource, system

    shown = descriptor.name
    hints = {**_HINTS, **_OWN_HINTS} if own else _HINTS

    def whole(errors: Iterable[Any]) -> list[Problem]:
        return [Problem(shown, error.message, "fix the descriptor", error.type)
                for error in errors]

    try:
        with system.use_context(trusted=False):
            # as frictionless's own CLI does: load the package, validate its metadata, then
            # each resource (Package.validate, one resource at a time)
            try:
                # Resource(datatype="package") makes a Package: frictionless's own factory
                package = Resource(str(descriptor),  # type: ignore[attr-defined]
                                   datatype="package").read_metadata()
                package.to_descriptor(validate=True)
            except FrictionlessException as exception:
                return Checked(whole(exception.to_errors()), [], True)
            reports = [package.resources[index].validate(checklist=Checklist(),
                                                         limit_errors=sys.maxsize)
                       for index in indices]
    except FrictionlessException as error:  # what frictionless's own CLI reports and fails on
        return Checked(whole([error.error]), [], True)
    return Checked(whole(error for report in reports for error in report.errors),
                   [Problem(str(task.place or task.name), error.message,
                            hints.get(error.type, "correct the file"), error.type,
                            row=getattr(error, "row_number", None),
                            field=getattr(error, "field_name", None))
                    for report in reports for task in report.tasks for error in task.errors])


def merge(checked: list[Checked]) -> list[Problem]:
    """The problems of a whole package from those of its parts, in their order.

    When the descriptor itself is invalid, frictionless reports only that (every part finds
    it alike); when a part could not be checked at all, the first such part's problems are
    the verdict, as they would be had the parts run as one.
    """
    for one in checked:
        if one.invalid_descriptor:
            return one.descriptor
    return ([problem for one in checked for problem in one.descriptor]
            + [problem for one in checked for problem in one.resource])
