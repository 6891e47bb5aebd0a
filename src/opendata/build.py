"""Building the package: curation → tables and descriptor, validated, then swapped in.

``run`` loads the inputs, processes them into file contents, validates those in a staging
folder and only then replaces the published files, so a failed build changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from opendata import csvfile
from opendata.catalog import Term, Translations
from opendata.config import PackageConfig, read_config
from opendata.curation import Curation, read_curation
from opendata.descriptor import describe, dumps
from opendata.exceptions import InvalidData
from opendata.inputs import decode
from opendata.paths import Project
from opendata.problems import Problem, Report
from opendata.source import Source
from opendata.translation import missing_problems, table_terms, translate
from opendata.validate import validate

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Build:
    """The contents a build publishes (``outputs``) and the source they rest on."""

    outputs: dict[str, bytes]
    source_path: str
    source: bytes


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads."""

    config: PackageConfig
    source: bytes
    curation: Curation
    catalog: Translations
    terms: list[Term]


def load(project: Project) -> Inputs:
    """Read the configuration, source, curation and catalog of ``project``."""
    config = read_config(project)
    raw = _read_source(project, config)
    curation = read_curation(project, Source(decode(raw, config.source["path"])))
    catalog = Translations.read(project.catalog, project.relative(project.catalog))
    terms = config.terms()
    for name, rows in curation.tables.items():
        terms += table_terms(name, rows)
    return Inputs(config, raw, curation, catalog, terms)


def prepare(project: Project) -> Build:
    """Every output file of ``project``; raises InvalidData listing every input problem."""
    inputs = load(project)
    config, raw, curation, catalog = inputs.config, inputs.source, inputs.curation, inputs.catalog
    problems = curation.problems + missing_problems(inputs.terms, catalog)
    if problems:
        raise InvalidData(problems)
    source_path = config.source["path"]
    files = {source_path: raw}
    for name, rows in curation.tables.items():
        translate(name, rows, catalog)
        files[f"data/{name}.csv"] = csvfile.render(name, rows)
    files[DESCRIPTOR] = dumps(describe(config, catalog, files))
    del files[source_path]
    return Build(files, source_path, raw)


def update_catalog(project: Project) -> tuple[int, int]:
    """Add an empty catalog entry for each untranslated string: (added, still missing)."""
    inputs = load(project)
    if inputs.curation.problems:
        raise InvalidData(inputs.curation.problems)
    added = inputs.catalog.add(inputs.terms)
    if added:
        atomic_write(project.catalog, inputs.catalog.to_bytes())
    return added, len(inputs.catalog.missing(inputs.terms))


def _read_source(project: Project, config: PackageConfig) -> bytes:
    path = project.root / config.source["path"]
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidData([Problem(config.source["path"], f"cannot be read: {error.strerror}",
                                   "ship the source text at the path package.yaml names",
                                   "no-source")])
    actual = hashlib.sha256(raw).hexdigest()
    if actual != config.source["sha256"]:
        raise InvalidData([Problem(
            config.source["path"], f"sha256 is {actual}, expected {config.source['sha256']}",
            "restore the source byte-identical; corrections belong in the curation",
            "source-changed")])
    return raw


def run(project: Project) -> Report:
    """Build, validate in a staging folder, and publish only a valid result."""
    build = prepare(project)
    staging = Path(tempfile.mkdtemp(prefix=".opendata-build-", dir=project.root))
    try:
        _write(staging, {**build.outputs, build.source_path: build.source})
        report = validate(staging / DESCRIPTOR, project)
        if report.valid:
            _swap_in(staging, project.root, build.outputs)
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def changed(project: Project) -> list[str]:
    """The published files a build would change (``opendata build --check``)."""
    build = prepare(project)
    stale = []
    for path, content in build.outputs.items():
        target = project.root / path
        if not target.is_file() or target.read_bytes() != content:
            stale.append(path)
    return stale


def atomic_write(target: Path, content: bytes) -> None:
    """Replace ``target`` with ``content`` in one step: readers see the old or the new."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                         delete=False)
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)  # temporary files are private; published ones are not
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _write(root: Path, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())


def _swap_in(staging: Path, root: Path, outputs: dict[str, bytes]) -> None:
    # Tables first, descriptor last: the descriptor's hashes vouch for the tables.
    for path in sorted(outputs, key=lambda p: p == DESCRIPTOR):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / path, target)
