"""Every number in the source is used by a row or excluded for a stated reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opendata.check.provenance import Claims, Use, trace
from opendata.check.published import PublishedPackage
from opendata.curate import schemas as curation_schemas
from opendata.curate.source import NUMBER, Source, Span  # noqa: F401 - NUMBER is part of the API
from opendata.inputs import LINE, read_yaml
from opendata.paths import Project
from opendata.problems import Problem
from opendata.profile import SOURCE_RESOURCE


@dataclass(frozen=True)
class Exclusion:
    context: str
    reason: str
    line: int | None


@dataclass
class Number:
    """One number of the source and what accounts for it."""

    text: str
    line: int
    span: Span
    context: str
    used_by: list[str] = field(default_factory=list)
    excluded: str | None = None

    @property
    def covered(self) -> bool:
        return bool(self.used_by or self.excluded)


@dataclass
class Coverage:
    numbers: list[Number]
    problems: list[Problem]


def numbers_in(source: Source) -> list[Number]:
    """Every number token of the source, in order."""
    return [_number(source, i) for i in range(len(source.tokens))]


def _number(source: Source, index: int) -> Number:
    start, end = source.tokens.starts[index], source.tokens.ends[index]
    flat = source.flat
    return Number(flat[start:end], source.line_of(start), Span(start, end),
                  flat[max(0, start - 8): end + 8])


def in_progress(project: Project) -> bool:
    """Whether ``project`` says its coverage is still in progress (``coverage:
    in_progress`` in package.yaml, as ``opendata init`` writes it): uncovered numbers are
    then listed as still to curate, not problems."""
    document = read_yaml(project.package_config, project.relative(project.package_config))
    return isinstance(document, dict) and document.get("coverage") == "in_progress"


def read_exclusions(path: Path, shown: str) -> tuple[list[Exclusion], list[Problem]]:
    if not path.exists():
        return [], []
    document = read_yaml(path, shown)
    problems = curation_schemas.problems(document, "exclusions", shown)
    if problems:
        return [], problems
    return [Exclusion(str(e["context"]), str(e["reason"]), e[LINE]) for e in document or []], []


def of_project(project: Project) -> Coverage:
    """The coverage of the project's built package, with the problems of its exclusions."""
    shown = project.relative(project.exclusions)
    exclusions, problems = read_exclusions(project.exclusions, shown)
    package = PublishedPackage.open(project.built_descriptor())
    measured = measure(package, exclusions, shown)
    return Coverage(measured.numbers, problems + measured.problems)


def listing(coverage: Coverage, uncovered: bool = False) -> list[str]:
    """One line per number (only those nothing covers when ``uncovered``), then a total."""
    lines = []
    for n in coverage.numbers:
        if uncovered and n.covered:
            continue
        status = ", ".join(n.used_by) or (f"excluded: {n.excluded}" if n.excluded
                                         else "NOT COVERED")
        lines.append(f"{n.line:>4}  {n.text:<8} {n.context:<26} {status}")
    covered = sum(n.covered for n in coverage.numbers)
    return [*lines, f"{covered} of {len(coverage.numbers)} numbers covered"]


def to_json(coverage: Coverage, uncovered: bool = False) -> str:
    """The numbers (only those nothing covers when ``uncovered``) as a JSON list."""
    return json.dumps([{"line": n.line, "number": n.text, "context": n.context,
                        "used_by": n.used_by, "excluded": n.excluded}
                       for n in coverage.numbers if not (uncovered and n.covered)],
                      ensure_ascii=False, indent=2)


def measure(package: PublishedPackage, exclusions: list[Exclusion], shown: str,
            uses: list[Use] | None = None) -> Coverage:
    """Which row uses each number of the package's source, or why it is left out.

    ``uses`` are the traced figures when the caller has them already.
    """
    source = package.source
    if source is None:
        return Coverage([], [no_source(package)])
    numbers = numbers_in(source)
    for use in trace(package).uses if uses is None else uses:
        for i in source.tokens.inside(use.span.start, use.span.end):
            numbers[i].used_by.append(f"{use.table}/{use.row_id}")
    problems: list[Problem] = []
    for exclusion, inside in _excluded(source, exclusions, shown, problems):
        for i in inside:
            if not numbers[i].used_by:
                numbers[i].excluded = exclusion.reason
    problems += [_uncovered(package, number, shown) for number in numbers if not number.covered]
    return Coverage(numbers, problems)


def no_source(package: PublishedPackage) -> Problem:
    """Coverage needs the source: with none, no number can be said to be covered."""
    shown = package.path_of(SOURCE_RESOURCE) or f"resource {SOURCE_RESOURCE!r}"
    return Problem(shown, "the package has no readable source text, so its coverage cannot "
                   "be measured", "ship the source text at the path the descriptor names "
                   "and rebuild", "no-source")


def check(package: PublishedPackage, exclusions: list[Exclusion], shown: str,
          claims: Claims | None) -> list[Problem]:
    """The problems :func:`measure` finds, from the numbers a trace's ``claims`` cover.

    Only the numbers nothing covers become :class:`Number` objects, so a large source
    costs little memory.
    """
    source = package.source
    if source is None or claims is None:  # no source text, so no claims either
        return []
    covered = bytearray(claims.covered)
    problems: list[Problem] = []
    for _, inside in _excluded(source, exclusions, shown, problems):
        for i in inside:
            covered[i] = 1
    index = covered.find(0)
    while index != -1:
        problems.append(_uncovered(package, _number(source, index), shown))
        index = covered.find(0, index + 1)
    return problems


def _excluded(source: Source, exclusions: list[Exclusion], shown: str,
              problems: list[Problem]) -> Iterator[tuple[Exclusion, list[int]]]:
    """Each exclusion with the numbers inside its occurrences; reports stale ones."""
    for exclusion in exclusions:
        spans = source.occurrences(exclusion.context)
        inside = [i for span in spans for i in source.tokens.inside(span.start, span.end)]
        if not inside:
            why = "is not in the source" if not spans else "holds no number"
            problems.append(Problem(shown, f"exclusion 「{exclusion.context}」 {why}",
                                    "remove it or correct its context", "stale-exclusion",
                                    line=exclusion.line))
        yield exclusion, inside


def _uncovered(package: PublishedPackage, number: Number, shown: str) -> Problem:
    return Problem(package.path_of("source") or "source",
                   f"number {number.text} in 「{number.context}」 is used by no row",
                   f"declare a row whose quote holds it, or add it to {shown} with a reason",
                   "uncovered-number", line=number.line)
