"""Data problems as results: each names the file, the row or line, the field, and a fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from opendata.text import visible

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, and what to do about it.

    ``line`` is a line of a text or YAML file; ``row`` is a CSV row number counted as
    frictionless does (the header is row 1). A ``warning`` is reported but leaves the
    package valid (``opendata validate --strict`` counts it as an error).
    """

    file: str
    message: str
    hint: str = ""
    code: str = "problem"
    line: int | None = None
    row: int | None = None
    field: str | None = None
    severity: str = "error"  # or "warning"

    def location(self) -> str:
        """``file:line`` or ``file row N field F``, for people."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.row is not None:
            where += f" row {self.row}"
        if self.field:
            where += f" field {self.field}"
        return where

    def render(self) -> str:
        """The problem for a terminal, its text's control characters made visible."""
        warning = "warning: " if self.severity == "warning" else ""
        text = visible(f"{self.location()}: {warning}{self.message}")
        return f"{text}\n    → {visible(self.hint)}" if self.hint else text


@dataclass
class Report:
    """Problems found by one run, grouped by the check that found them."""

    checks: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # numbers of the source still to curate, in a project whose coverage is in progress:
    # listed, but they do not make the package invalid
    to_curate: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "warning"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def add(self, check: str, problems: list[Problem]) -> None:
        self.checks.append(check)
        self.problems.extend(problems)

    def to_json(self) -> str:
        return json.dumps(
            {"valid": self.valid, "checks": self.checks, "warnings": len(self.warnings),
             "problems": [asdict(p) for p in self.problems],
             "to_curate": [asdict(p) for p in self.to_curate]},
            ensure_ascii=False, indent=2)

    def render_to_curate(self) -> str:
        """The numbers still to curate, one line each (coverage in progress)."""
        return "\n".join([f"{len(self.to_curate)} number(s) still to curate "
                          "(coverage: in_progress in curation/package.yaml):"]
                         + [f"  {p.location()}: {p.message}" for p in self.to_curate])

    def render(self) -> str:
        lines = [p.render() for p in self.problems]
        if self.to_curate:
            lines.append(self.render_to_curate())
        verdict = "valid" if self.valid else f"invalid: {len(self.errors)} problem(s)"
        if self.warnings:
            verdict += f", {len(self.warnings)} warning(s)"
        lines.append(f"{verdict} ({', '.join(self.checks)})")
        return "\n".join(lines)


def warning(problem: Problem) -> Problem:
    """``problem`` as a warning."""
    from dataclasses import replace

    return replace(problem, severity="warning")


def as_error(problem: Problem) -> Problem:
    """``problem`` as an error (``--strict`` makes every warning one)."""
    from dataclasses import replace

    return replace(problem, severity="error")


def reading(shown: str, run: Callable[[], T]) -> T | list[Problem]:
    """``run()``, or the problems that stopped it: the one boundary every read of a package
    from outside goes through, so no input ends in a traceback. ``shown`` is the file read.
    """
    from opendata.exceptions import InvalidData, OpendataError

    try:
        return run()
    except InvalidData as failure:
        return failure.problems
    except OpendataError as failure:
        return [Problem(shown, str(failure), "correct the file", "unreadable")]
    except Exception as failure:
        reason = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
        return [Problem(shown, f"cannot be read: {reason}",
                        "correct the file so that it is a valid data package",
                        "unreadable")]
