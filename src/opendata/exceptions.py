"""The few named errors of the toolkit. Data problems are not exceptions but Problems."""

from __future__ import annotations

from opendata.problems import Problem


class OpendataError(Exception):
    """Base of every error the CLI turns into a one-line message (exit 2)."""


class ProjectNotFound(OpendataError):
    """Raised when a folder has no curation/package.yaml, so it is no opendata project."""


class InvalidData(OpendataError):
    """Raised when inputs hold problems that stop a build; carries them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the inputs")
