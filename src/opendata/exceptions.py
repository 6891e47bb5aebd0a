"""The few named errors of the toolkit. Data problems are not exceptions but Problems.

The command line maps them to exit codes in one place (``cli.Opendata``): misuse exits 2
with the usage banner, anything else 1 with one line (or one line per problem).
"""

from __future__ import annotations

from opendata.problems import Problem


class OpendataError(Exception):
    """Base of every error the toolkit raises: a domain operation failed (exit 1)."""


class Misuse(OpendataError):
    """Raised when an argument names nothing the command can use (exit 2)."""


class ProjectNotFound(Misuse):
    """Raised when a folder has no curation/package.yaml, so it is no opendata project."""


class NotBuilt(OpendataError):
    """Raised when a command needs an output (the package, the site) not made yet."""


class InvalidData(OpendataError):
    """Raised when inputs hold problems that stop a build; carries them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the inputs")

    def __reduce__(self):  # so that a worker process can hand it back
        return type(self), (self.problems,)
