"""Releasing a version: bump by the rules, changelog, citation, archive, record.

``release_gate`` is the CI check: a change to the data, schema or metadata since the last
release must come with a large enough version bump and a changelog entry.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opendata import build, changelog, releases
from opendata.archive import write_zip
from opendata.citation import citation
from opendata.diff import PackageDiff, diff_packages
from opendata.exceptions import InvalidData, OpendataError
from opendata.paths import Project
from opendata.versions import Bump, Version

EXTRA_FILES = ("README.md", "LICENSE", "LICENSE-DATA", "CHANGELOG.md", "CITATION.cff")
_VERSION_LINE = re.compile(r"^version:.*$", re.MULTILINE)


class NothingToRelease(OpendataError):
    """Raised when the package is the same as its last release."""


class AlreadyReleased(OpendataError):
    """Raised when the version to release is recorded already; releases are never overwritten."""


@dataclass(frozen=True)
class Released:
    version: Version
    archive: Path
    record: Path
    diff: PackageDiff | None


def changes_since_release(project: Project) -> tuple[Version, PackageDiff] | None:
    """The last release and what the project's package changed since; None before any."""
    last = releases.latest(project)
    if last is None:
        return None
    current = _descriptor(project)
    with releases.opened(str(last[0]), project) as old:
        return last[0], diff_packages(old.descriptor, old.root, current, project.root)


def release(project: Project, bump: Bump = Bump.NONE, summary: str = "",
            day: date | None = None) -> Released:
    """Release the package: the version the rules require (or the larger ``bump``)."""
    day = day or date.today()
    _build(project)
    current = Version.parse(_descriptor(project).get("version"))
    since = changes_since_release(project)
    diff = since[1] if since else None
    version = _next_version(current, since, bump)
    name = _descriptor(project)["name"]
    if releases.record_path(project, name, version).exists():
        raise AlreadyReleased(f"{version} is released already "
                              f"({project.relative(releases.record_path(project, name, version))}); "
                              "a release is never overwritten")
    _set_version(project, version)
    _build(project)
    log = project.root / "CHANGELOG.md"
    text = log.read_text(encoding="utf-8") if log.exists() else "# Changelog\n"
    notes = summary or changelog.unreleased_notes(text)
    build.atomic_write(log, changelog.insert(text, changelog.entry(version, day, diff, notes))
                       .encode("utf-8"))
    descriptor = _descriptor(project)
    build.atomic_write(project.root / "CITATION.cff", citation(descriptor, day))
    content = write_zip(archive_files(project, descriptor), f"{name}-{version}")
    archive = project.root / "dist" / f"{name}-{version}.zip"
    build.atomic_write(archive, content)
    record = releases.record_path(project, name, version)
    _record(record, content)
    return Released(version, archive, record, diff)


def _record(record: Path, content: bytes) -> None:
    """Write a release record once: linking fails, rather than overwrite, if it exists."""
    record.parent.mkdir(parents=True, exist_ok=True)
    staged = record.with_name(f".{record.name}.tmp")
    build.atomic_write(staged, content)
    try:
        os.link(staged, record)
    except FileExistsError:
        raise AlreadyReleased(f"{record.name} exists already; a release is never overwritten")
    finally:
        staged.unlink(missing_ok=True)


def _next_version(current: Version, since: tuple[Version, PackageDiff] | None,
                  bump: Bump) -> Version:
    if since is None:
        return current  # the first release is the version the configuration states
    last, diff = since
    if diff.empty and current == last and bump is Bump.NONE:
        raise NothingToRelease(f"nothing changed since {last}; pass --bump to release anyway")
    wanted = max(diff.required, bump)
    if last.bump_to(current) >= max(wanted, Bump.PATCH):
        return current  # the curator already set a large enough version
    return last.bumped(max(wanted, Bump.PATCH))


def archive_files(project: Project, descriptor: dict) -> dict[str, bytes]:
    """What a release archive holds: the descriptor, every resource, docs and licences."""
    files = {"datapackage.json": project.descriptor.read_bytes()}
    for resource in descriptor["resources"]:
        files[resource["path"]] = (project.root / resource["path"]).read_bytes()
    for name in EXTRA_FILES:
        if (project.root / name).is_file():
            files[name] = (project.root / name).read_bytes()
    return files


def release_gate(project: Project) -> list[str]:
    """Why the package may not land as it is (empty when it may)."""
    since = changes_since_release(project)
    if since is None:
        return [f"no release is recorded in {releases.RELEASES}/: run `opendata release` "
                "to make the first one"]
    last, diff = since
    version = Version.parse(_descriptor(project).get("version"))
    actual, needed = last.bump_to(version), diff.required
    problems = []
    if version < last:
        problems.append(f"version {version} is lower than the last release {last}")
    elif actual < needed:
        problems.append(
            f"the package differs from release {last} and needs a {needed.label} bump "
            f"(to {last.bumped(needed)}) because {'; '.join(diff.reasons())}; its version "
            f"is {version}" + (f", only a {actual.label} bump" if actual else ", unchanged")
            + ". Run `opendata release`.")
    log = project.root / "CHANGELOG.md"
    if version != last and not changelog.has_entry(
            log.read_text(encoding="utf-8") if log.exists() else "", version):
        problems.append(f"CHANGELOG.md has no entry for {version}: run `opendata release` "
                        "or add a '## [" f"{version}] - YYYY-MM-DD' section")
    return problems


def _build(project: Project) -> None:
    report = build.run(project)
    if not report.valid:
        raise InvalidData(report.problems)


def _descriptor(project: Project) -> dict:
    return json.loads(project.descriptor.read_text(encoding="utf-8"))


def _set_version(project: Project, version: Version) -> None:
    text = project.package_config.read_text(encoding="utf-8")
    if not _VERSION_LINE.search(text):
        raise OpendataError(f"{project.relative(project.package_config)} has no 'version:' line")
    build.atomic_write(project.package_config,
                       _VERSION_LINE.sub(f"version: {version}", text, count=1).encode("utf-8"))
