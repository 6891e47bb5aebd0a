"""Data problems as results: each names the file, the row or line, the field, and a fix."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from opendata.text import visible


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, and what to do about it.

    ``line`` is a line of a text or YAML file; ``row`` is a CSV row number counted as
    frictionless does (the header is row 1).
    """

    file: str
    message: str
    hint: str = ""
    code: str = "problem"
    line: int | None = None
    row: int | None = None
    field: str | None = None

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
        text = visible(f"{self.location()}: {self.message}")
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
        return not self.problems

    def add(self, check: str, problems: list[Problem]) -> None:
        self.checks.append(check)
        self.problems.extend(problems)

    def to_json(self) -> str:
        return json.dumps(
            {"valid": self.valid, "checks": self.checks,
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
        verdict = "valid" if self.valid else f"invalid: {len(self.problems)} problem(s)"
        lines.append(f"{verdict} ({', '.join(self.checks)})")
        return "\n".join(lines)
