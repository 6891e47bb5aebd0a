"""Draft rows waiting for review: the build refuses them, naming each file and line."""

from __future__ import annotations

from typing import Any

from opendata.curate.reader import DRAFT
from opendata.inputs import LINE, read_yaml
from opendata.paths import Project
from opendata.problems import Problem


def pending(project: Project) -> list[Problem]:
    """One problem for each row of the curation still marked ``draft: true``."""
    problems = []
    for path in sorted(project.curation.glob("*.yaml")):
        if path == project.package_config:
            continue
        shown = project.relative(path)
        for row in drafts(read_yaml(path, shown)):
            what = row.get("id") or row.get("context") or row.get("quote") or "row"
            problems.append(Problem(shown, f"draft row 「{what}」 has not been reviewed",
                                    "check it against the source, correct it, then delete "
                                    "its `draft: true`", "draft-row", line=row.get(LINE)))
    return problems


def drafts(document: Any) -> list[dict[str, Any]]:
    """Every mapping of a YAML document that is marked as a draft, in order."""
    found: list[dict[str, Any]] = []
    if isinstance(document, dict):
        if document.get(DRAFT):
            found.append(document)
        for value in document.values():
            found += drafts(value)
    elif isinstance(document, list):
        for value in document:
            found += drafts(value)
    return found
