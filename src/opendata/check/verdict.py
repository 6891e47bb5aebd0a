"""A valid package's verdict, kept, so that publish need not validate what build just did.

``opendata build`` validates what it stages and commits it only when valid; ``opendata
publish`` must not publish an invalid package, and validating it again was the longest part
of a publish (docs/performance.md, "Publish trusts a verdict for the same bytes"). A
verdict is the SHA-256 of everything that validation reads and of the code that judges:

- the descriptor, and every file it refers to, as the guard finds them before validation
  (the tables and the source text; a schema or profile given by reference);
- the project's catalog, exclusions and package.yaml;
- opendata's files, modules and the data they read, as Python itself tells whether a
  module changed (path, size and modification time), and the installed versions of the
  libraries that check (frictionless, babel, jsonschema, PyYAML) and of Python.

It is kept in ``.opendata/valid``, committed in the same transaction as the files it covers
(by a build, a release, or a publish that validated), and only for a valid package. A
command holds a package valid without validating it only when the verdict of what is there
now is the one kept: any changed byte of the data, the curation or the code makes another
verdict, and the package is validated as before. A package that refers to a URL, or to a
file that is missing, gets no verdict, so it is always validated.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import opendata
from opendata.check.guard import UnsafePackage, check_resources
from opendata.paths import Project
from opendata.problems import Report
from opendata.transaction import WORK, Transaction

KEPT = f"{WORK}/valid"  # the verdict of the package last found valid, relative to the root
# The libraries whose judgement a verdict rests on, by the name of their distribution.
LIBRARIES = {"frictionless": "frictionless", "babel": "babel", "jsonschema": "jsonschema",
             "yaml": "pyyaml"}


def of(descriptor: Path, project: Project, pending: Transaction | None = None) -> str | None:
    """The verdict of the package at ``descriptor`` as ``project`` validates it; None when
    the package refers to a URL or to a file that is missing, or something cannot be read.

    With ``pending``, the project's files are taken as they will be once it is committed:
    staged where it stages them (a release's package.yaml, with its new version)."""
    try:
        judge = code()
        if judge is None:
            return None
        digest = hashlib.sha256(judge.encode())
        raw = descriptor.read_bytes()
        parsed = json.loads(raw)
        # every file the package refers to, as the guard finds them before validation
        named = check_resources(parsed, descriptor.parent, str(descriptor)) \
            if isinstance(parsed, dict) else []
        files = [(name, target) for name, target in named if target is not None]
        if not files or len(files) < len(named):
            return None
        _add(digest, "descriptor", raw)
        for name, target in files:
            _add(digest, name, target.read_bytes())
        for path in (project.catalog, project.exclusions, project.package_config):
            shown = project.relative(path)
            read = path
            if pending is not None and shown in pending.targets:
                read = pending.staged(shown)
            _add(digest, shown, read.read_bytes() if read.exists() else None)
    except (OSError, ValueError, UnsafePackage):  # a file gone or unreadable, or unsafe
        return None
    return digest.hexdigest()


def judged(descriptor: Path, project: Project, validate: Callable[[], Report],
           pending: Transaction | None = None) -> tuple[Report, str | None]:
    """``validate()``'s report on the package at ``descriptor``, with the package's verdict
    when it is valid: taken before and after, and given only when the two agree, so that
    no file changed while it was validated. ``pending``: as for ``of``."""
    before = of(descriptor, project, pending)
    report = validate()
    if not report.valid or before is None:
        return report, None
    return report, before if of(descriptor, project, pending) == before else None


def kept(project: Project) -> str | None:
    """The kept verdict, when it is that of the project's package as it is now."""
    try:
        found = (project.root / KEPT).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return found if found and found == of(project.descriptor, project) else None


def keep(transaction: Transaction, verdict: str | None) -> None:
    """Commit ``verdict`` with the transaction's files (nothing when there is none)."""
    if verdict is not None:
        transaction.write(KEPT, f"{verdict}\n".encode("ascii"))


def _add(digest: hashlib._Hash, name: str, content: bytes | None) -> None:
    """Feed one named file to ``digest``, its name and length first, so that no two sets
    of files feed the same bytes."""
    label = name.encode()
    size = -1 if content is None else len(content)
    digest.update(f"{len(label)}:".encode() + label + f"{size}:".encode())
    digest.update(content or b"")


def code(package: Path | None = None, site: Path | None = None) -> str | None:
    """What identifies the code that validates: Python's version, the libraries' installed
    versions, and each of opendata's files (but its bytecode) as Python tells a changed
    module (path, size, modification time); None when a library's version cannot be told,
    or when opendata is not installed as files (from a zip, say).

    ``package`` is opendata's folder, ``site`` where the libraries' metadata is (by default,
    where each library is installed).
    """
    package = package or Path(opendata.__file__).parent
    if not (package / "__init__.py").is_file():
        return None  # not installed as files (a zip): a change could not be told
    parts = [sys.version]
    for module, distribution in LIBRARIES.items():
        version = _installed(distribution, site or _site_of(module))
        if version is None:
            return None
        parts.append(version)
    for folder, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):  # modules, and the data they read (schemas, vocabularies)
            path = Path(folder, name)
            stat = path.stat()
            parts.append(f"{path.relative_to(package).as_posix()} {stat.st_size} "
                         f"{stat.st_mtime_ns}")
    return "\n".join(parts)


def _site_of(module: str) -> Path | None:
    """The folder a library's package is installed in."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent.parent


def _installed(distribution: str, site: Path | None) -> str | None:
    """The installed distribution, as its metadata folder in ``site`` names it
    (``frictionless-5.21.0.dist-info``); None when there is not exactly one. Read from the
    folder's name: importlib.metadata alone takes longer to import than the whole verdict
    takes to make."""
    if site is None:
        return None
    prefix = f"{distribution.lower()}-"
    try:
        found = [entry.name for entry in os.scandir(site)
                 if entry.name.lower().startswith(prefix) and entry.name.endswith(".dist-info")]
    except OSError:
        return None
    return found[0] if len(found) == 1 else None
