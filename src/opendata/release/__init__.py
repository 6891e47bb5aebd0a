"""Releasing a version: bump by the rules, changelog, citation, archive, record.

``release_gate`` is the CI check: a change to the data, schema or metadata since the last
release must come with a large enough version bump and a changelog entry.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from opendata.exceptions import InvalidData, OpendataError
from opendata.paths import Project
from opendata.release import changelog, history
from opendata.release.archive import write_zip
from opendata.release.citation import citation
from opendata.release.diff import PackageDiff, diff_packages
from opendata.transaction import Transaction, locked
from opendata.versions import Bump, Version

if TYPE_CHECKING:
    from opendata.build import Build

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


def changes_since_release(project: Project, root: Path | None = None
                          ) -> tuple[Version, PackageDiff] | None:
    """The last release and what the package at ``root`` (default: the project's) changed
    since; None before any release."""
    last = history.latest(project)
    if last is None:
        return None
    root = root or project.root
    current = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    with history.opened(str(last[0]), project) as old:
        return last[0], diff_packages(old.descriptor, old.root, current, root)


def release(project: Project, bump: Bump = Bump.NONE, summary: str = "",
            day: date | None = None, announce: Callable[[str], None] | None = None) -> Released:
    """Release the package: the version the rules require (or the larger ``bump``).

    Everything a release changes (configuration, tables, descriptor, changelog, citation,
    archive and its record) is committed in one transaction.
    """
    with locked(project.root, announce=announce):
        transaction = Transaction(project.root)
        try:
            return _release(project, transaction, bump, summary, day or date.today())
        finally:
            transaction.abandon()


def _release(project: Project, transaction: Transaction, bump: Bump, summary: str,
             day: date) -> Released:
    from opendata import build  # only a release builds: publish reads the changelog alone
    from opendata.check import verdict

    staged_root = transaction.staged("")
    valid = _stage_build(project, transaction, build.prepare(project))
    current = Version.parse(_descriptor(staged_root).get("version"))
    since = changes_since_release(project, staged_root)
    diff = since[1] if since else None
    version = _next_version(current, since, bump)
    name = _descriptor(staged_root)["name"]
    record = history.record_path(project, name, version)
    if record.exists():
        raise AlreadyReleased(f"{version} is released already ({project.relative(record)}); "
                              "a release is never overwritten")
    if version != current:
        transaction.write(project.relative(project.package_config),
                          _with_version(project, version))
        valid = _stage_build(project, transaction, build.prepare(project, str(version)))
    log = project.root / "CHANGELOG.md"
    text = log.read_text(encoding="utf-8") if log.exists() else "# Changelog\n"
    notes = summary or changelog.unreleased_notes(text)
    transaction.write("CHANGELOG.md", changelog.insert(
        text, changelog.entry(version, day, diff, notes)).encode("utf-8"))
    descriptor = _descriptor(staged_root)
    transaction.write("CITATION.cff", _citation(project, descriptor, day))
    for extra in EXTRA_FILES:  # for the archive only; committed when written above
        if not transaction.staged(extra).exists() and (project.root / extra).is_file():
            shutil.copy2(project.root / extra, transaction.staged(extra))
    content = write_zip(archive_files(staged_root, descriptor))
    archive = Path("dist") / f"{name}-{version}.zip"
    transaction.write(archive.as_posix(), content)
    transaction.write(project.relative(record), content)
    # the verdict is committed with the files it covers, as a build commits it: the
    # publish that follows a release need not validate the package again
    verdict.keep(transaction, valid)
    transaction.commit()
    return Released(version, project.root / archive, record, diff)


def _stage_build(project: Project, transaction: Transaction, built: Build) -> str | None:
    """Stage a build and validate it; its verdict, for the project as the transaction will
    leave it.

    Validation reads package.yaml only for whether coverage is in progress, never for the
    version a release writes into it, so that the staged package.yaml, new version and all,
    is part of the verdict.
    """
    from opendata import build
    from opendata.check import validate, verdict

    staged = build.write_staged(transaction, built)
    report, valid = verdict.judged(staged, project, lambda: validate(staged, project),
                                   transaction)
    if not report.valid:
        raise InvalidData(report.problems)
    return valid


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


def archive_files(root: Path, descriptor: dict) -> dict[str, bytes]:
    """What a release archive holds: the descriptor, every resource, docs and licences."""
    files = {"datapackage.json": (root / "datapackage.json").read_bytes()}
    for resource in descriptor["resources"]:
        files[resource["path"]] = (root / resource["path"]).read_bytes()
    for name in EXTRA_FILES:
        if (root / name).is_file():
            files[name] = (root / name).read_bytes()
    return files


def release_gate(project: Project) -> list[str]:
    """Why the package may not land as it is (empty when it may)."""
    since = changes_since_release(project)
    if since is None:
        return [f"no release is recorded in {history.RELEASES}/: run `opendata release` "
                "to make the first one"]
    last, diff = since
    version = Version.parse(_descriptor(project.root).get("version"))
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


def _citation(project: Project, descriptor: dict, day: date) -> bytes:
    """CITATION.cff with the dataset's URL when the project has a public base URL."""
    from opendata.publish import NoBaseUrl, publish_settings
    from opendata.publish.facts import PackageFacts

    try:
        base_url, public = publish_settings(project).base_url, True
    except NoBaseUrl:
        base_url, public = "http://localhost/", False
    return citation(PackageFacts.of(descriptor, base_url, day.isoformat()), day, url=public)


def _descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def _with_version(project: Project, version: Version) -> bytes:
    text = project.package_config.read_text(encoding="utf-8")
    if not _VERSION_LINE.search(text):
        raise OpendataError(f"{project.relative(project.package_config)} has no 'version:' line")
    return _VERSION_LINE.sub(f"version: {version}", text, count=1).encode("utf-8")
