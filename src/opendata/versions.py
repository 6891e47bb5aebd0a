"""Semantic versions of the data package, and the bumps between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from opendata.exceptions import OpendataError

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class NotSemver(OpendataError):
    """Raised when a version string is not MAJOR.MINOR.PATCH."""


class Bump(IntEnum):
    """How much a change moves the version, by the data-package-version rules."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: object) -> Version:
        match = _SEMVER.match(str(text))
        if not match:
            raise NotSemver(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)")
        return cls(*(int(part) for part in match.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def bumped(self, bump: Bump) -> Version:
        if bump is Bump.MAJOR:
            return Version(self.major + 1, 0, 0)
        if bump is Bump.MINOR:
            return Version(self.major, self.minor + 1, 0)
        if bump is Bump.PATCH:
            return Version(self.major, self.minor, self.patch + 1)
        return self

    def bump_to(self, later: Version) -> Bump:
        """The bump that ``later`` is from this version (NONE when not later)."""
        if later <= self:
            return Bump.NONE
        if later.major > self.major:
            return Bump.MAJOR
        if later.minor > self.minor:
            return Bump.MINOR
        return Bump.PATCH


def is_semver(text: str) -> bool:
    return bool(_SEMVER.match(text))
