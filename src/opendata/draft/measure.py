"""How good a draft is: accepted as it stands, against a package curators have reviewed.

Both packages are compared figure by figure. A figure is (table, year, value, printed
unit, qualifier): a row of ``results`` or ``targets``, or one figure column of a project.

- recall: the share of the reviewed figures that the draft proposes identically;
- precision: the share of the draft's rows (figures and exclusions) that match a reviewed
  figure or a reviewed exclusion, an exclusion matching when the reviewed package uses none
  of the numbers it holds as a figure;
- indicator hit rate: the share of reviewed rows whose indicator is a standard one that the
  draft gives the same standard id.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from opendata.checks.provenance import HONORS, trace
from opendata.package import PublishedPackage
from opendata.vocabulary import indicators

OBSERVATIONS = ("results", "targets")
Figure = tuple[str, str, str, str, str]  # table, year, value, unit label, qualifier


@dataclass(frozen=True)
class Score:
    reviewed: int          # figures in the reviewed package
    proposed: int          # figure rows the draft proposes
    recalled: int          # reviewed figures the draft proposes identically
    exclusions: int        # exclusions the draft proposes
    exclusions_right: int  # of which the reviewed package uses no number as a figure
    standard_reviewed: int  # reviewed observation rows with a standard indicator
    standard_hit: int       # of which the draft gives the figure the same indicator
    honours_reviewed: int
    honours_found: int      # reviewed honours whose quote a drafted honour overlaps

    @property
    def recall(self) -> float:
        return self.recalled / self.reviewed if self.reviewed else 1.0

    @property
    def precision(self) -> float:
        rows = self.proposed + self.exclusions
        matched = min(self.recalled, self.proposed) + self.exclusions_right
        return matched / rows if rows else 1.0

    @property
    def indicator_hit_rate(self) -> float:
        return self.standard_hit / self.standard_reviewed if self.standard_reviewed else 1.0

    def render(self) -> str:
        return (f"recall {self.recall:.1%} ({self.recalled}/{self.reviewed}), precision "
                f"{self.precision:.1%} ({min(self.recalled, self.proposed) + self.exclusions_right}"
                f"/{self.proposed + self.exclusions}: {self.proposed} figure rows, "
                f"{self.exclusions} exclusions of which {self.exclusions_right} right), "
                f"indicator hit rate {self.indicator_hit_rate:.1%} "
                f"({self.standard_hit}/{self.standard_reviewed}), honours "
                f"{self.honours_found}/{self.honours_reviewed}")


def compare(drafted: Path, reviewed: Path, exclusions: list[str]) -> Score:
    """Score the built package in folder ``drafted`` against the one in ``reviewed``.

    ``exclusions`` are the contexts the draft proposed as exclusions.
    """
    mine, theirs = figures(drafted), figures(reviewed)
    recalled = sum((Counter(mine) & Counter(theirs)).values())
    used = _used_numbers(reviewed)
    package = PublishedPackage.open(reviewed / "datapackage.json")
    source = package.source
    right = 0
    for context in exclusions:
        inside = {i for span in source.occurrences(context)
                  for i in source.tokens.inside(span.start, span.end)}
        right += not (inside & used)
    standard = {i.id for i in indicators()}
    wanted = [r for r in _observations(reviewed) if r[1] in standard]
    given = Counter(_observations(drafted))
    hits = sum((Counter(wanted) & given).values())
    found, total = _honours(drafted, reviewed)
    return Score(len(theirs), len(mine), recalled, len(exclusions), right, len(wanted), hits,
                 total, found)


def figures(folder: Path) -> list[Figure]:
    """Every figure of the built package in ``folder``."""
    labels = {row["id"]: row["label_zh"] for row in _rows(folder, "units")}
    found: list[Figure] = []
    for table in OBSERVATIONS:
        for row in _rows(folder, table):
            if row["value"]:
                found.append((table, row["year"], row["value"], labels.get(row["unit"], ""),
                              row["qualifier"]))
    for row in _rows(folder, "projects"):
        for column in [c[: -len("_qualifier")] for c in row if c.endswith("_qualifier")]:
            if row.get(column):
                unit = labels.get(row.get(f"{column}_unit") or "", "count")
                found.append(("projects", row["year"], row[column], unit,
                              row[f"{column}_qualifier"]))
    return found


def _observations(folder: Path) -> list[tuple[str, str, str, str]]:
    """(quote line, indicator, value, table) of every observation with a value."""
    return [(row["source_line"], row["indicator"], row["value"], table)
            for table in OBSERVATIONS for row in _rows(folder, table) if row["value"]]


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    path = folder / "data" / f"{table}.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _used_numbers(folder: Path) -> set[int]:
    """The number tokens of the source that the package's figures use."""
    package = PublishedPackage.open(folder / "datapackage.json")
    source = package.source
    return {i for use in trace(package).uses if use.table != HONORS
            for i in source.tokens.inside(use.span.start, use.span.end)}


def _honours(drafted: Path, reviewed: Path) -> tuple[int, int]:
    package = PublishedPackage.open(reviewed / "datapackage.json")
    source = package.source

    def spans(folder: Path) -> list[tuple[int, int]]:
        found = []
        for row in _rows(folder, HONORS):
            located = source.locate(row["source_quote"], int(row["source_line"]))
            if not isinstance(located, str):
                found.append((located.start, located.end))
        return found

    mine = spans(drafted)
    theirs = spans(reviewed)
    return sum(any(a < d and c < b for c, d in mine) for a, b in theirs), len(theirs)
