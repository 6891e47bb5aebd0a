"""Validating a built package: frictionless, then the project's own checks."""

from __future__ import annotations

from pathlib import Path

from opendata import coverage
from opendata.catalog import Translations
from opendata.checks import base_values, files, provenance, schema, translations
from opendata.package import PublishedPackage
from opendata.paths import Project
from opendata.problems import Report


def validate(descriptor: Path, project: Project | None = None) -> Report:
    """Everything wrong with the package at ``descriptor``.

    With a ``project``, translations are checked against its catalog and every number of
    the source must be covered by a row or by its exclusions.
    """
    package = PublishedPackage.open(descriptor)
    report = Report()
    report.add("frictionless", schema.check(package))
    report.add("files", files.check(package))
    traced = provenance.trace(package)
    report.add("provenance", traced.problems)
    report.add("base values", base_values.check(package))
    catalog = None
    if project is not None:
        catalog = Translations.read(project.catalog, project.relative(project.catalog))
    report.add("translations", translations.check(package, catalog))
    if project is not None:
        shown = project.relative(project.exclusions)
        exclusions, problems = coverage.read_exclusions(project.exclusions, shown)
        measured = coverage.measure(package, exclusions, shown, traced.uses)
        report.add("coverage", problems + measured.problems)
    return report
