"""The project's own profile, declared in every descriptor it builds.

A package that declares it is held to the project's checks (provenance, units,
translations), any other only to frictionless's. A custom property, so frictionless fetches
nothing for it. A module of its own, so that telling the two apart imports nothing else.
"""

from __future__ import annotations

from typing import Any

OPENDATA_PROFILE_KEY = "opendata:profile"
OPENDATA_PROFILE = "work-report/1"
# The resource that holds the source text every quote is taken from.
SOURCE_RESOURCE = "source"


def is_opendata_package(descriptor: dict[str, Any]) -> bool:
    """Whether ``descriptor`` declares the project's profile."""
    return descriptor.get(OPENDATA_PROFILE_KEY) == OPENDATA_PROFILE
