"""The package configuration (curation/package.yaml): what is specific to one report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opendata.curate import schemas as curation_schemas
from opendata.curate.catalog import Term
from opendata.exceptions import InvalidData
from opendata.inputs import read_yaml, without_lines
from opendata.paths import Project
from opendata.problems import Problem
from opendata.versions import is_semver

# Chinese strings of the configuration that need English, by catalog context.
TRANSLATED = {"title": "package.title", "description": "package.description"}
SOURCE_TRANSLATED = ("title", "publisher", "author", "place", "note")


@dataclass(frozen=True)
class PackageConfig:
    """The settings of one package, as read from curation/package.yaml."""

    data: dict[str, Any]
    shown: str

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def source(self) -> dict[str, Any]:
        return self.data["source"]

    def terms(self) -> list[Term]:
        """Every Chinese string of the configuration that needs English."""
        where = f"{self.shown}"
        terms = [Term(context, str(self.data[key]), where) for key, context in TRANSLATED.items()]
        terms += [Term("package.keyword", str(k), where) for k in self.data.get("keywords", [])]
        terms += [Term(f"source.{key}", str(self.source[key]), where)
                  for key in SOURCE_TRANSLATED if self.source.get(key)]
        terms.append(Term("spatial.name", str(self.data["spatial"]["name"]), where))
        return terms


def read_config(project: Project) -> PackageConfig:
    """The package configuration; raises InvalidData naming each missing setting."""
    shown = project.relative(project.package_config)
    data = read_yaml(project.package_config, shown)
    problems = curation_schemas.problems(data, "package", shown)
    if problems:
        raise InvalidData(problems)
    if "version" in data and not is_semver(str(data["version"])):
        problems.append(Problem(shown, f"version {data['version']!r} is not a semantic version",
                                "write MAJOR.MINOR.PATCH, e.g. 1.0.0", "bad-version",
                                line=_line_of(project.package_config, "version:")))
    if problems:
        raise InvalidData(problems)
    return PackageConfig(without_lines(data), shown)


def _line_of(path: Path, prefix: str) -> int | None:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next((i for i, line in enumerate(lines, 1) if line.startswith(prefix)), None)

