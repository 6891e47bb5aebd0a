"""Building the package: curation → tables and descriptor, validated, then swapped in.

``run`` loads the inputs, processes them into file contents, validates those where they are
staged and only then replaces the published files, all at once (see ``transaction``), so a
failed or killed build changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from opendata import csvfile
from opendata.build.descriptor import describe, dumps
from opendata.build.english import (
    missing_problems,
    placeholder_problems,
    schema_terms,
    table_terms,
    translate,
)
from opendata.check import validate, verdict
from opendata.check.coverage import in_progress
from opendata.config import PackageConfig, read_config
from opendata.curate.catalog import Term, Translations
from opendata.curate.draft.pending import pending
from opendata.curate.reader import Curation, read_curation
from opendata.curate.source import Source
from opendata.exceptions import InvalidData
from opendata.inputs import decode
from opendata.paths import Project
from opendata.problems import Problem, Report
from opendata.shape import Shape, read_shape
from opendata.transaction import Transaction, locked

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
    shape: Shape
    source: bytes
    curation: Curation
    catalog: Translations
    terms: list[Term]


def load(project: Project) -> Inputs:
    """Read the configuration, source, curation and catalog of ``project``."""
    config = read_config(project)
    shape = read_shape(project, config["tables"])
    raw = _read_source(project, config)
    curation = read_curation(project, Source(decode(raw, config.source["path"])), shape)
    catalog = Translations.read(project.catalog, project.relative(project.catalog))
    terms = config.terms()
    for name, rows in curation.tables.items():
        table = shape[name]
        terms += schema_terms(table) + table_terms(table, rows, curation.origins[name])
    return Inputs(config, shape, raw, curation, catalog, terms)


def prepare(project: Project, version: str | None = None) -> Build:
    """Every output file of ``project`` (at ``version`` when given); raises InvalidData
    listing every input problem."""
    inputs = load(project)
    if version is not None:
        inputs.config.data["version"] = version
    config, raw, curation, catalog = inputs.config, inputs.source, inputs.curation, inputs.catalog
    problems = pending(project) + curation.problems + missing_problems(inputs.terms, catalog)
    if not in_progress(project):  # a project in progress may publish its draft's placeholders
        problems += placeholder_problems(inputs.terms, catalog)
    if problems:
        raise InvalidData(problems)
    source_path = config.source["path"]
    files = {source_path: raw}
    for name, rows in curation.tables.items():
        translate(inputs.shape[name], rows, catalog)
        files[f"data/{name}.csv"] = csvfile.render(inputs.shape[name], rows)
    files[DESCRIPTOR] = dumps(describe(config, catalog, files, inputs.shape))
    del files[source_path]
    return Build(files, source_path, raw)


def update_catalog(project: Project) -> tuple[int, int]:
    """Add an empty catalog entry for each untranslated string: (added, still missing)."""
    with locked(project.root):
        return _update_catalog(project)


def _update_catalog(project: Project) -> tuple[int, int]:
    inputs = load(project)
    if inputs.curation.problems:
        raise InvalidData(inputs.curation.problems)
    added = inputs.catalog.add(inputs.terms)
    if added:
        transaction = Transaction(project.root)
        transaction.write(project.relative(project.catalog), inputs.catalog.to_bytes())
        transaction.commit()
    return added, len(inputs.catalog.missing(inputs.terms))


def _read_source(project: Project, config: PackageConfig) -> bytes:
    path = project.root / config.source["path"]
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidData([Problem(config.source["path"], f"cannot be read: {error.strerror}",
                                   "ship the source text at the path package.yaml names",
                                   "no-source")]) from error
    actual = hashlib.sha256(raw).hexdigest()
    if actual != config.source["sha256"]:
        raise InvalidData([Problem(
            config.source["path"], f"sha256 is {actual}, expected {config.source['sha256']}",
            "restore the source byte-identical; corrections belong in the curation",
            "source-changed")])
    return raw


def run(project: Project, announce: Callable[[str], None] | None = None,
        pool: ProcessPoolExecutor | None = None) -> Report:
    """Build, validate the staged result, and publish it only when valid, all at once.

    ``pool`` is a ``check.validator()`` the caller started, whose worker imports
    frictionless while the build is made; without it, a small package is validated in
    this process.
    """
    with locked(project.root, announce=announce):
        build = prepare(project)
        transaction = Transaction(project.root)
        staged = write_staged(transaction, build)
        # the verdict is committed with the files it covers: publish need not validate them
        report, valid = verdict.judged(staged, project,
                                       lambda: validate(staged, project, pool=pool))
        if report.valid:
            verdict.keep(transaction, valid)
            transaction.commit()
        else:
            transaction.abandon()
        return report


def write_staged(transaction: Transaction, build: Build) -> Path:
    """Stage a build's outputs, with the source beside them for validation only (it is
    never replaced); the staged descriptor."""
    for path, content in build.outputs.items():
        transaction.write(path, content)
    source = transaction.staged(build.source_path)
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(build.source)
    return transaction.staged(DESCRIPTOR)


def changed(project: Project) -> list[str]:
    """The published files a build would change (``opendata build --check``)."""
    with locked(project.root):
        build = prepare(project)
        return [path for path, content in build.outputs.items()
                if not (project.root / path).is_file()
                or (project.root / path).read_bytes() != content]
