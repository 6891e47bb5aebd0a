"""Every quote is in the source at its line, and every figure is the one the quote prints."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from opendata.csvfile import Table
from opendata.package import PublishedPackage
from opendata.problems import Problem
from opendata.source import Source, Span, Tokens
from opendata.tables import LINE, QUOTE
from opendata.text import squash
from opendata.units import Unit

_REMEMBERED = 4096  # located quotes kept: the rows of one statement share their quote


@dataclass(frozen=True)
class Use:
    """A stretch of the source that a published row uses."""

    table: str
    row_id: str
    column: str
    span: Span


class Claims:
    """The spans of the source that rows use, and the numbers of the source inside them.

    ``covered`` has a byte per number token: 1 when the number lies inside a used span.
    A span is remembered by the first number inside it, in two bytes (how far before that
    number it starts, plus one, and its length); a span that does not fit, holds no number
    or meets another at the same number is kept in a set. Either way membership is exact,
    in a few bytes per number rather than in objects per row.
    """

    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.covered = bytearray(len(tokens))
        self._at = bytearray(2 * len(tokens))
        self._more: set[tuple[int, int]] = set()

    def place(self, start: int, end: int, first: int, last: int) -> Placed:
        """A span and the numbers inside it (tokens first to last), ready to claim."""
        key = -1
        if first < last:
            lead = self.tokens.starts[first] - start
            if lead < 255 and end - start < 256:
                key = 2 * first
        return (start, end, first, last, key, lead + 1 if key >= 0 else 0, end - start)

    def add(self, start: int, end: int) -> None:
        inside = self.tokens.inside(start, end)
        self.add_placed(self.place(start, end, inside.start, inside.stop))

    def claimed(self, start: int, end: int) -> bool:
        inside = self.tokens.inside(start, end)
        return self.claimed_placed(self.place(start, end, inside.start, inside.stop))

    def add_placed(self, placed: Placed) -> None:
        start, end, first, last, key, lead, length = placed
        if last - first == 1:
            self.covered[first] = 1
        elif first < last:
            self.covered[first:last] = b"\x01" * (last - first)
        if key >= 0:
            at = self._at
            if at[key] == lead and at[key + 1] == length:
                return
            if at[key] == 0:
                at[key], at[key + 1] = lead, length
                return
        self._more.add((start, end))

    def claimed_placed(self, placed: Placed) -> bool:
        start, end, _, _, key, lead, length = placed
        if key >= 0 and self._at[key] == lead and self._at[key + 1] == length:
            return True
        return bool(self._more) and (start, end) in self._more


# A span of the source as Claims handles it: (start, end, first and last number token
# inside it, then its key in Claims). A plain tuple: rows make millions of them.
Placed = tuple[int, int, int, int, int, int, int]


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


class Tracer:
    """Traces rows one at a time, so that no table need be held in memory.

    ``for_table`` gives the function that traces one row of a table, given as the cells
    of :class:`opendata.csvfile.Table`; ``result`` is the trace so far.

    A quote found at its line is remembered as (its placed span, then each figure with
    its placed span); the rows of one statement share it.
    """

    def __init__(self, package: PublishedPackage, keep_uses: bool = False):
        self.package = package
        self.source: Source | None = package.source
        self.keep_uses = keep_uses
        claims = Claims(self.source.tokens) if self.source is not None else None
        self.result = Trace([], [], claims)
        self._located: dict[tuple[str, str], tuple | str] = {}
        self._printed: dict[str | None, Unit | None] = {}
        self._last: tuple = (None, None, None)
        if self.source is None:
            self.result.problems.append(Problem(
                "datapackage.json", "the package has no 'source' resource to check quotes "
                "against", "add the source text as resource 'source'", "no-source"))

    def locate(self, quote: str, line: str) -> tuple | str:
        """A row's quote found at its line, placed (remembered), or why it is not there."""
        if quote == self._last[0] and line == self._last[1]:
            return self._last[2]  # the rows of a statement come one after another
        key = (quote, line)
        located = self._located.get(key)
        if located is None:
            if len(self._located) >= _REMEMBERED:
                self._located.clear()
            located = self._located[key] = self._place(quote, line)
        self._last = (quote, line, located)
        return located

    def _place(self, quote: str, line: str) -> tuple | str:
        source = self.source
        if not line.isdigit():
            return "no line"
        needle = squash(quote)
        start = source.find_on_line(needle, int(line))
        if start == -1:
            return source.locate(quote, int(line))  # says why
        end = start + len(needle)
        starts, ends = source.tokens.starts, source.tokens.ends
        count = len(starts)
        first = bisect_left(starts, start)
        last = first
        while last < count and ends[last] <= end:
            last += 1
        figures = []
        token = first
        for figure in self.package.syntax.parse_squashed(needle):
            low, high = start + figure.start, start + figure.end
            while token < last and starts[token] < low:
                token += 1
            stop = token
            while stop < last and ends[stop] <= high:
                stop += 1
            # Claims.place, inlined: this runs for every figure of every quote.
            lead = starts[token] - low if token < stop else 255
            if lead < 255 and high - low < 256:
                placed = (low, high, token, stop, 2 * token, lead + 1, high - low)
            else:
                placed = (low, high, token, stop, -1, 0, high - low)
            figures.append((figure, placed))
        return self.result.claims.place(start, end, first, last), figures

    def for_table(self, table: str, columns: Table | None, path: str) -> Row | None:
        """The function that traces one row of ``table`` (the file at ``path``)."""
        shape = self.package.shape
        if (self.source is None or table not in shape or not shape[table].quoted
                or columns is None):
            return None
        at = columns.position
        quote_at, line_at, id_at = at(QUOTE), at(LINE), at("id")
        has_id = columns.header is not None and "id" in columns.header
        problems, claims, locate = self.result.problems, self.result.claims, self.locate
        add, taken = claims.add_placed, claims.claimed_placed
        keep, uses = self.keep_uses, self.result.uses

        def keep_use(cells: list, column: str, placed: Placed) -> None:
            add(placed)
            uses.append(Use(table, cells[id_at] if has_id else "", column,
                            Span(placed[0], placed[1])))

        def claim(cells: list, column: str, placed: Placed) -> None:
            add(placed)

        use = keep_use if keep else claim

        def not_found(number: int, why: str, quote: str) -> None:
            problems.append(Problem(
                path, f"{why}: {quote}", "correct the quote or line in the curation and "
                "rebuild", "quote-not-in-source", row=number, field=QUOTE))

        declared = shape[table].figures
        if not declared:  # the quote covers the numbers in it (四个百强区, 五星级)
            def quote_only(number: int, cells: list) -> None:
                quote = cells[quote_at] or ""
                located = locate(quote, cells[line_at] or "")
                if isinstance(located, str):
                    not_found(number, located, quote)
                else:
                    use(cells, QUOTE, located[0])
            return quote_only

        units, printed_unit = self.package.units, self.printed_unit
        specs = [(c, at(c.value), at(c.unit) if c.unit else None,
                  at(c.qualifier) if c.qualifier else None, at(c.unit or ""))
                 for c in declared]

        def figures(number: int, cells: list) -> None:
            quote = cells[quote_at] or ""
            located = locate(quote, cells[line_at] or "")
            if isinstance(located, str):
                not_found(number, located, quote)
                return
            printed_figures = located[1]
            for figure_columns, value_at, unit_at, qualifier_at, stated_unit_at in specs:
                text = cells[value_at]
                if not text:
                    continue
                try:  # decimal(text), inlined: this runs for every row
                    value = Decimal(text)
                except InvalidOperation:
                    continue
                if not value.is_finite():
                    continue
                qualifier = cells[qualifier_at] if qualifier_at is not None else None
                matching = []
                if unit_at is not None:  # the figure prints the value itself
                    unit = units.get(cells[unit_at])
                    if unit is not None:
                        for figure, span in printed_figures:
                            if (figure.value == value and unit.prints_as(figure.unit)
                                    and (qualifier_at is None or qualifier == figure.qualifier)):
                                matching.append(span)  # a Qualifier equals its str value
                else:
                    for figure, span in printed_figures:
                        if qualifier_at is not None and qualifier != figure.qualifier:
                            continue
                        unit = printed_unit(figure.unit)
                        if (unit is not None and unit.kind == figure_columns.kind
                                and unit.to_base(figure.value) == value):
                            matching.append(span)
                if len(matching) == 1:
                    use(cells, figure_columns.value, matching[0])
                elif matching:
                    # Two rows may print the same value in one quote (公园1个、微公园游园1个):
                    # each takes the first such figure no earlier row has taken.
                    use(cells, figure_columns.value,
                        next((span for span in matching if not taken(span)), matching[0]))
                else:
                    printed = ", ".join(f.text for f, _ in printed_figures) or "no figure"
                    stated = " ".join(filter(None, (cells[value_at], cells[stated_unit_at])))
                    problems.append(Problem(
                        path, f"{figure_columns.value} {stated} disagrees with its quote, which "
                        f"prints {printed}", "correct the curation (the value is parsed from "
                        "the quote) and rebuild", "figure-mismatch", row=number,
                        field=figure_columns.value))
        return figures

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
                for number, cells in enumerate(columns if row else (), start=2):
                    row(number, cells)
    return tracer.result
