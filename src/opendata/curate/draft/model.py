"""What a draft is made of: statements with their rows, exclusions, unplaced numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opendata.curate.figures import Figure


@dataclass
class Statement:
    """A proposed quote and its rows (``_table`` in each row says where it goes)."""

    table: str
    year: int | None
    section: str
    quote: str
    line: int
    start: int
    end: int
    figures: list[Figure]
    rows: list[dict[str, Any]] = field(default_factory=list)
    sentence_start: tuple[int, str] | None = None


@dataclass
class Exclusion:
    context: str
    reason: str
    line: int


@dataclass
class Unplaced:
    line: int
    number: str
    context: str
    why: str


@dataclass
class Draft:
    """Everything ``opendata draft`` proposes for one source."""

    statements: list[Statement] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    units: set[str] = field(default_factory=set)       # unit labels used
    joins: list[tuple[int, int]] = field(default_factory=list)
    traditional: bool = False
    years: dict[str, int | None] = field(default_factory=dict)  # by table: results, targets


@dataclass
class Context:
    """What the proposer knows besides the source."""

    reviewed_year: int | None
    report_year: int | None
    place: str
    units: dict[str, dict[str, Any]]  # label → unit entry (units.yaml shape)
