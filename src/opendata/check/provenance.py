"""Every quote is in the source at its line, and every figure is the one the quote prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from opendata.check.published import PublishedPackage, decimal
from opendata.csvfile import Table
from opendata.curate.figures import Figure
from opendata.curate.source import Source, Span, Tokens
from opendata.curate.units import Unit
from opendata.problems import Problem
from opendata.shape import LINE, QUOTE, FigureColumns
from opendata.text import squash

# Located quotes kept: the rows of one statement share their quote and follow each other.
# 4,096 held some 8 MiB at 100,000 rows for nothing (docs/performance.md, "Memory").
_REMEMBERED = 256


@dataclass(frozen=True)
class Use:
    """A stretch of the source that a published row uses."""

    table: str
    row_id: str
    column: str
    span: Span


class Placed(NamedTuple):
    """A span of the source, with the number tokens inside it."""

    start: int
    end: int
    numbers: range


class Claims:
    """The spans of the source that rows use, and the numbers of the source inside them.

    ``covered`` has a byte per number token: 1 when the number lies inside a used span.
    A span is remembered by the first number inside it, in two bytes (how far before that
    number it starts, plus one, and its length); a span that does not fit, holds no number
    or meets another at the same number is kept in a set. Either way membership is exact,
    in a few bytes per number rather than in objects per row (a million rows claim about a
    million spans).
    """

    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.covered = bytearray(len(tokens))
        self._at = bytearray(2 * len(tokens))
        self._more: set[tuple[int, int]] = set()

    def place(self, start: int, end: int, among: range | None = None) -> Placed:
        """The span [start, end) with the numbers inside it (found ``among`` those, if given)."""
        return Placed(start, end, self.tokens.inside(start, end, among))

    def add(self, placed: Placed) -> None:
        """Claim a span for a row."""
        numbers = placed.numbers
        self.covered[numbers.start:numbers.stop] = b"\x01" * len(numbers)
        key = self._key(placed)
        if key is not None:
            at, lead, length = key
            if self._at[at] == 0:
                self._at[at], self._at[at + 1] = lead, length
                return
            if (self._at[at], self._at[at + 1]) == (lead, length):
                return
        self._more.add((placed.start, placed.end))

    def claimed(self, placed: Placed) -> bool:
        """Whether a row has claimed this very span."""
        key = self._key(placed)
        if key is not None:
            at, lead, length = key
            if (self._at[at], self._at[at + 1]) == (lead, length):
                return True
        return (placed.start, placed.end) in self._more

    def _key(self, placed: Placed) -> tuple[int, int, int] | None:
        """Where in ``_at`` the span is kept, and its two bytes; None when it does not fit."""
        if not placed.numbers:
            return None
        first = placed.numbers.start
        lead, length = self.tokens.starts[first] - placed.start, placed.end - placed.start
        if lead >= 255 or length >= 256:
            return None
        return 2 * first, lead + 1, length


@dataclass
class Trace:
    """Where the rows stand in the source: the spans they use, and what does not stand.

    ``uses`` lists every use with its row when the trace keeps them (for ``opendata
    coverage``); ``claims`` holds their spans either way.
    """

    uses: list[Use]
    problems: list[Problem]
    claims: Claims | None = None


Row = Callable[[int, list], None]  # checks one row: its number, and its cells


class Located(NamedTuple):
    """A quote found at its line: its span, and the figures it prints (their offsets are
    in the quote, which starts at ``quote.start``)."""

    quote: Placed
    figures: tuple[Figure, ...]


class Tracer:
    """Traces rows one at a time, so that no table need be held in memory.

    ``for_table`` gives the function that traces one row of a table, given as the cells
    of :class:`opendata.csvfile.Table`; ``result`` is the trace so far.
    """

    def __init__(self, package: PublishedPackage, keep_uses: bool = False):
        self.package = package
        self.source: Source | None = package.source
        self.keep_uses = keep_uses
        claims = Claims(self.source.tokens) if self.source is not None else None
        self.result = Trace([], [], claims)
        self._printed: dict[str | None, Unit | None] = {}
        # The rows of one statement share its quote: each is found and parsed once.
        self.locate = lru_cache(maxsize=_REMEMBERED)(self._locate)
        if self.source is None:
            self.result.problems.append(Problem(
                "datapackage.json", "the package has no 'source' resource to check quotes "
                "against", "add the source text as resource 'source'", "no-source"))

    def _locate(self, quote: str, line: str) -> Located | str:
        """A row's quote found at its line, with its figures, or why it is not there."""
        source, claims = self.source, self.result.claims
        if source is None or claims is None:
            return "no source text"
        if not line.isdigit():
            return "no line"
        needle = squash(quote)
        start = source.find_on_line(needle, int(line))
        if start == -1:
            located = source.locate(quote, int(line))  # says why
            return located if isinstance(located, str) else "not on its line"
        # the syntax remembers the quote's figures, for the evidence check of the same row
        return Located(claims.place(start, start + len(needle)),
                       self.package.syntax.figures(quote))

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None:
        """The function that traces one row of ``table`` (the file at ``path``)."""
        shape = self.package.shape
        claims = self.result.claims
        if (claims is None or table not in shape or not shape[table].quoted
                or columns is None):
            return None
        at = columns.position
        quote_at, line_at, id_at = at(QUOTE), at(LINE), at("id")
        has_id = columns.header is not None and "id" in columns.header
        problems = self.result.problems

        def placed(found: Located, figure: Figure) -> Placed:
            """The span of ``figure`` in the source, with its numbers."""
            start = found.quote.start
            return claims.place(start + figure.start, start + figure.end, found.quote.numbers)

        def use(cells: list, column: str, placed: Placed) -> None:
            claims.add(placed)
            if self.keep_uses:
                self.result.uses.append(Use(table, cells[id_at] if has_id else "", column,
                                            Span(placed.start, placed.end)))

        def located(number: int, cells: list) -> Located | None:
            quote = cells[quote_at] or ""
            found = self.locate(quote, cells[line_at] or "")
            if isinstance(found, str):
                problems.append(Problem(
                    path, f"{found}: {quote}", "correct the quote or line in the curation and "
                    "rebuild", "quote-not-in-source", row=number, field=QUOTE))
                return None
            return found

        declared = shape[table].figures
        if not declared:  # the quote covers the numbers in it (四个百强区, 五星级)
            def quote_only(number: int, cells: list) -> None:
                found = located(number, cells)
                if found is not None:
                    use(cells, QUOTE, found.quote)
            return quote_only

        specs = [(c, at(c.value), at(c.unit) if c.unit else None,
                  at(c.qualifier) if c.qualifier else None) for c in declared]

        def figures(number: int, cells: list) -> None:
            found = located(number, cells)
            if found is None:
                return
            for figure_columns, value_at, unit_at, qualifier_at in specs:
                value = decimal(cells[value_at])
                if value is None:
                    continue
                qualifier = cells[qualifier_at] if qualifier_at is not None else None
                unit = cells[unit_at] if unit_at is not None else None
                matching = [figure for figure in found.figures
                            if (qualifier_at is None or qualifier == figure.qualifier)
                            and self._prints(figure, figure_columns, value, unit)]
                if len(matching) == 1:
                    use(cells, figure_columns.value, placed(found, matching[0]))
                elif matching:
                    # Two rows may print the same value in one quote (公园1个、微公园游园1个):
                    # each takes the first such figure no earlier row has taken.
                    spans = [placed(found, figure) for figure in matching]
                    use(cells, figure_columns.value,
                        next((span for span in spans if not claims.claimed(span)), spans[0]))
                else:
                    printed = ", ".join(f.text for f in found.figures) or "no figure"
                    stated = " ".join(filter(None, (cells[value_at], unit)))
                    problems.append(Problem(
                        path, f"{figure_columns.value} {stated} disagrees with its quote, which "
                        f"prints {printed}", "correct the curation (the value is parsed from "
                        "the quote) and rebuild", "figure-mismatch", row=number,
                        field=figure_columns.value))
        return figures

    def _prints(self, figure: Figure, columns: FigureColumns, value: Decimal,
                unit: str | None) -> bool:
        """Whether ``figure`` prints ``value`` in ``unit`` (a unit of the package)."""
        if columns.unit is not None:  # the figure prints the value itself
            known = self.package.units.get(unit or "")
            return (known is not None and figure.value == value
                    and known.prints_as(figure.unit))
        # no unit column: the value is in the base unit of the unit the figure prints
        printed = self.printed_unit(figure.unit)
        return (printed is not None and printed.kind == columns.kind
                and printed.to_base(figure.value) == value)

    def printed_unit(self, printed: str | None) -> Unit | None:
        """The first unit of the package that prints as ``printed``."""
        if printed not in self._printed:
            self._printed[printed] = next(
                (u for u in self.package.units.values() if u.prints_as(printed)), None)
        return self._printed[printed]


def trace(package: PublishedPackage, keep_uses: bool = True) -> Trace:
    """Where each published figure and honour stands in the source, and what does not."""
    tracer = Tracer(package, keep_uses)
    if package.source is not None:
        for table in package.shape.quoted():
            with package.table(table.name) as columns:
                row = tracer.for_table(table.name, columns,
                                       package.path_of(table.name) or table.name)
                if row is not None and columns is not None:
                    for number, cells in enumerate(columns, start=2):
                        row(number, cells)
    return tracer.result
