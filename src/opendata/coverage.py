"""Every number in the source is used by a row or excluded for a stated reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from opendata.checks.provenance import Use, trace
from opendata.inputs import LINE, read_yaml
from opendata.package import PublishedPackage
from opendata.problems import Problem
from opendata.source import Source, Span

# Arabic numbers, and runs of Chinese numerals that do not scale an Arabic number (19万户).
NUMBER = re.compile(r"\d+(?:\.\d+)?|(?<![\d.])[〇零一二两三四五六七八九十百千万亿]+")


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
    flat = source.flat
    return [Number(m.group(), source.line_of(m.start()), Span(m.start(), m.end()),
                   flat[max(0, m.start() - 8): m.end() + 8])
            for m in NUMBER.finditer(flat)]


def read_exclusions(path: Path, shown: str) -> tuple[list[Exclusion], list[Problem]]:
    if not path.exists():
        return [], []
    document = read_yaml(path, shown) or []
    exclusions, problems = [], []
    for entry in document if isinstance(document, list) else [None]:
        if not isinstance(entry, dict) or not entry.get("context") or not entry.get("reason"):
            line = entry.get(LINE) if isinstance(entry, dict) else None
            problems.append(Problem(shown, "each exclusion needs a 'context' and a 'reason'",
                                    "see docs/curation.md", "bad-exclusion", line=line))
            continue
        exclusions.append(Exclusion(str(entry["context"]), str(entry["reason"]), entry[LINE]))
    return exclusions, problems


def measure(package: PublishedPackage, exclusions: list[Exclusion], shown: str,
            uses: list[Use] | None = None) -> Coverage:
    """Which row uses each number of the package's source, or why it is left out.

    ``uses`` are the traced figures when the caller has them already.
    """
    source = package.source
    if source is None:
        return Coverage([], [])
    numbers = numbers_in(source)
    _mark_uses(numbers, trace(package).uses if uses is None else uses)
    problems = _mark_exclusions(numbers, source, exclusions, shown)
    for number in numbers:
        if not number.covered:
            problems.append(Problem(
                package.path_of("source") or "source",
                f"number {number.text} in 「{number.context}」 is used by no row",
                f"declare a row whose quote holds it, or add it to {shown} with a reason",
                "uncovered-number", line=number.line))
    return Coverage(numbers, problems)


def _mark_uses(numbers: list[Number], uses: list[Use]) -> None:
    for use in uses:
        for number in numbers:
            if use.span.contains(number.span):
                number.used_by.append(f"{use.table}/{use.row_id}")


def _mark_exclusions(numbers: list[Number], source: Source, exclusions: list[Exclusion],
                     shown: str) -> list[Problem]:
    problems = []
    for exclusion in exclusions:
        spans = source.occurrences(exclusion.context)
        inside = [n for n in numbers if any(s.contains(n.span) for s in spans)]
        if not inside:
            why = "is not in the source" if not spans else "holds no number"
            problems.append(Problem(shown, f"exclusion 「{exclusion.context}」 {why}",
                                    "remove it or correct its context", "stale-exclusion",
                                    line=exclusion.line))
        for number in inside:
            if not number.used_by:
                number.excluded = exclusion.reason
    return problems
