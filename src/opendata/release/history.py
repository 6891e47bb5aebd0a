"""Where releases are recorded, and opening any package a diff may be given.

Each release is recorded as its own archive, ``releases/<name>-<version>.zip``, committed
with the repository: the exact bytes that were published, verified by their SHA256SUMS.
So ``opendata diff 1.0.0 1.1.0`` works in any clone, with no tags or network needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from opendata.check.guard import check_resources, read_descriptor
from opendata.exceptions import Misuse, OpendataError
from opendata.paths import Project
from opendata.release.archive import unpack_package
from opendata.transaction import scratch
from opendata.versions import Version, is_semver

RELEASES = "releases"
_RECORD = re.compile(r"^(?P<name>.+)-(?P<version>\d+\.\d+\.\d+)\.zip$")


@dataclass(frozen=True)
class Opened:
    """A package ready to compare: its descriptor, the folder its paths start from, a label."""

    descriptor: dict
    root: Path
    label: str


def folder(project: Project) -> Path:
    return project.root / RELEASES


def record_path(project: Project, name: str, version: Version) -> Path:
    return folder(project) / f"{name}-{version}.zip"


def recorded(project: Project) -> dict[Version, Path]:
    """Every recorded release of the project, by version."""
    found = {}
    for path in sorted(folder(project).glob("*.zip")):
        match = _RECORD.match(path.name)
        if match:
            found[Version.parse(match["version"])] = path
    return found


def latest(project: Project) -> tuple[Version, Path] | None:
    records = recorded(project)
    if not records:
        return None
    version = max(records)
    return version, records[version]


@contextmanager
def opened(spec: str, project: Project | None) -> Iterator[Opened]:
    """The package ``spec`` names: a descriptor, a folder, a release archive or a version."""
    path = Path(spec)
    if path.is_dir():
        path = path / "datapackage.json"
    if path.is_file() and path.suffix == ".zip":
        with _unpacked(path, spec, project) as result:
            yield result
    elif path.is_file():
        yield Opened(_descriptor(path), path.parent, spec)
    elif is_semver(spec.removeprefix("v")):
        version = Version.parse(spec.removeprefix("v"))
        archive = recorded(project).get(version) if project else None
        if archive is None:
            raise OpendataError(f"{spec}: no release {version} is recorded in {RELEASES}/")
        with _unpacked(archive, str(version), project) as result:
            yield result
    else:
        raise Misuse(f"{spec}: not a datapackage.json, a package folder, a release "
                            "archive or a released version (MAJOR.MINOR.PATCH)")


@contextmanager
def _unpacked(archive: Path, label: str, project: Project | None) -> Iterator[Opened]:
    """The archive's descriptor and the tables a diff compares (the rest is compared by
    hash and never unpacked), in the project's run folder, which the next run cleans if
    this one is killed."""
    with scratch(project.root if project else None) as temporary:
        unpack_package(archive, temporary, wanted=lambda r: isinstance(r.get("schema"), dict))
        yield Opened(_descriptor(temporary / "datapackage.json"), temporary, label)


def _descriptor(path: Path) -> dict:
    """A descriptor from outside, checked before any of its files is read."""
    descriptor = read_descriptor(path)
    check_resources(descriptor, path.parent, str(path))
    return descriptor
