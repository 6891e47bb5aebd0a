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

import yaml

from opendata.check.provenance import trace
from opendata.check.published import PublishedPackage
from opendata.curate.source import Source
from opendata.curate.vocabulary import indicators
from opendata.exceptions import OpendataError
from opendata.shape import QUOTE

OBSERVATIONS = ("results", "targets")
HONORS = "honors"
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


@dataclass(frozen=True)
class Reference:
    """What reviewers decided: the figures, the numbers they use as figures (token indices
    of the source), the standard indicator of each figure where there is one, and the
    spans of the honours."""

    figures: list[Figure]
    used: set[int]
    standard: list[tuple[str, str, str, str]]  # (indicator, value, table, year)
    honours: list[tuple[int, int]]


def reviewed_package(folder: Path) -> Reference:
    """The reference a curated, built package gives."""
    package = PublishedPackage.open(folder / "datapackage.json")
    source = _source_of(package)
    used = {i for use in trace(package).uses if use.column != QUOTE  # a figure, not a quote
            for i in source.tokens.inside(use.span.start, use.span.end)}
    known = {i.id for i in indicators()}
    standard = [o for o in _observations(folder) if o[0] in known]
    return Reference(figures(folder), used, standard, _honour_spans(folder, source))


def reviewed_key(path: Path, source: Source) -> Reference:
    """The reference a reviewed answer key gives (see tests/fixtures/draft-*/reviewed.yaml)."""
    key = yaml.safe_load(path.read_text(encoding="utf-8"))
    found, used, standard = [], set(), []
    for table, year, line, text, value, unit, qualifier, indicator in key["figures"]:
        found.append((table, str(year), value, unit, qualifier))
        start = source.find_on_line("".join(str(text).split()), line)
        if start == -1:
            raise ValueError(f"{path}: {text!r} is not on line {line}")
        used |= set(source.tokens.inside(start, start + len(str(text))))
        if indicator:
            standard.append((indicator, value, table, str(year)))
    honours = []
    for line, quote in key.get("honours", []):
        located = source.locate(quote, line)
        if isinstance(located, str):
            raise ValueError(f"{path}: honour {quote!r}: {located}")
        honours.append((located.start, located.end))
    return Reference(found, used, standard, honours)


def compare(drafted: Path, reference: Reference, exclusions: list[str]) -> Score:
    """Score the built package in folder ``drafted`` against the ``reference``.

    ``exclusions`` are the contexts the draft proposed as exclusions.
    """
    package = PublishedPackage.open(drafted / "datapackage.json")
    source = _source_of(package)
    mine = figures(drafted)
    recalled = sum((Counter(mine) & Counter(reference.figures)).values())
    right = 0
    for context in exclusions:
        inside = {i for span in source.occurrences(context)
                  for i in source.tokens.inside(span.start, span.end)}
        right += not (inside & reference.used)
    given = Counter(_observations(drafted))
    hits = sum((Counter(reference.standard) & given).values())
    honours = _honour_spans(drafted, source)
    found = sum(any(a < d and c < b for c, d in honours) for a, b in reference.honours)
    return Score(len(reference.figures), len(mine), recalled, len(exclusions), right,
                 len(reference.standard), hits, len(reference.honours), found)


def _source_of(package: PublishedPackage) -> Source:
    """The package's source text; a built package always ships one."""
    if package.source is None:
        raise OpendataError(f"{package.root}: the package ships no readable source text")
    return package.source


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
    """(indicator, value, table, year) of every observation with a value."""
    return [(row["indicator"], row["value"], table, row["year"])
            for table in OBSERVATIONS for row in _rows(folder, table) if row["value"]]


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    path = folder / "data" / f"{table}.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _honour_spans(folder: Path, source: Source) -> list[tuple[int, int]]:
    found = []
    for row in _rows(folder, HONORS):
        located = source.locate(row["source_quote"], int(row["source_line"]))
        if not isinstance(located, str):
            found.append((located.start, located.end))
    return found
