"""The shipped source text, and where a quote stands in it."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain
from pathlib import Path

from opendata.text import squash

# Characters of text squashed at a time, so that no list of all lines is built. Small
# pieces keep the squashed text's growth out of the way of the allocator: at 1,000,000 rows
# (a source of 22 M characters) pieces of 2**16 characters peak at 66 MB for the text and
# its lines, pieces of 2**20 at 98 MB, for the same time (docs/performance.md, "Memory").
_CHUNK = 1 << 16
# Arabic numbers, and runs of Chinese numerals that do not scale an Arabic number (19万户).
# The lookahead changes no match: it lets the scan skip to where a number can start.
_NUMERALS = "〇零一二两三四五六七八九十百千万亿兩萬億"  # in either script
NUMBER = re.compile(rf"(?=[\d{_NUMERALS}])(?:\d+(?:\.\d+)?|(?<![\d.])[{_NUMERALS}]+)")
_BLANKS = re.compile(r"[^\S\n]+")  # the whitespace that squash removes, but for line breaks


@dataclass(frozen=True)
class Span:
    """A stretch of the squashed (whitespace-free) source: [start, end)."""

    start: int
    end: int

class Tokens:
    """The number tokens of a source: their offsets in ``flat``, sorted and disjoint."""

    def __init__(self, flat: str):
        spans = array("I" if len(flat) < 2**32 else "q",
                      chain.from_iterable(map(re.Match.span, NUMBER.finditer(flat))))
        # (start, end) pairs in one array, then split in two: bisecting an array is about
        # twice as fast as bisecting every other item of one (docs/performance.md)
        self.starts, self.ends = spans[0::2], spans[1::2]

    def __len__(self) -> int:
        return len(self.starts)

    def inside(self, start: int, end: int, among: range | None = None) -> range:
        """The indices of the tokens that lie within [start, end).

        ``among`` narrows the search to those tokens (the ones of a quote, for a figure in it).
        """
        low, high = (among.start, among.stop) if among is not None else (0, len(self.starts))
        first = bisect_left(self.starts, start, low, high)
        # Tokens are disjoint and sorted, so their ends are sorted too; and each is a
        # character or more, so no more than end - start of them lie within [start, end).
        return range(first, bisect_right(self.ends, end, first,
                                         min(high, first + max(end - start, 0))))


class Source:
    """A source document; quotes are found in it with all whitespace removed.

    ``flat`` is the text without whitespace; each line is known by the offset in ``flat``
    where it starts, so finding a quote on a given line only looks at that line.
    """

    def __init__(self, text: str):
        self._text: str | None = text
        self._path: Path | None = None
        self._errors = "strict"

    @classmethod
    def read(cls, path: Path) -> Source:
        return cls(path.read_bytes().decode("utf-8"))

    @classmethod
    def from_file(cls, path: Path, errors: str = "strict") -> Source:
        """The source in the UTF-8 file ``path``, indexed without holding its whole text.

        ``text`` is read again from the file when asked for; ``errors`` is how undecodable
        bytes are handled, as for ``bytes.decode``.
        """
        source = cls("")
        source._text, source._path, source._errors = None, path, errors
        return source

    @property
    def text(self) -> str:
        if self._text is not None:
            return self._text
        assert self._path is not None
        return self._path.read_bytes().decode("utf-8", errors=self._errors)

    def _blocks(self) -> Iterator[str]:
        """The text in pieces of whole lines: joined with newlines, they are the text."""
        if self._text is not None:
            text, position = self._text, 0
            while position <= len(text):
                end = text.find("\n", position + _CHUNK)
                end = len(text) if end == -1 else end
                yield text[position:end]
                position = end + 1
            return
        assert self._path is not None
        with open(self._path, encoding="utf-8", errors=self._errors, newline="") as handle:
            carry = ""
            while chunk := handle.read(_CHUNK):
                carry += chunk
                cut = carry.rfind("\n")
                if cut != -1:
                    yield carry[:cut]
                    carry = carry[cut + 1:]
            yield carry

    @cached_property
    def _index(self) -> tuple[str, array]:
        flat = ""
        text, path = self._text, self._path
        size = len(text) if text is not None else path.stat().st_size if path is not None else 0
        starts = array("I" if size < 2**32 else "q")  # 4 bytes a line where that is enough
        for block in self._blocks():
            kept = _BLANKS.sub("", block)  # all whitespace but the line breaks
            squashed = kept.replace("\n", "")
            starts.extend(accumulate(map(len, kept.split("\n")[:-1]), initial=len(flat)))
            # CPython appends to a string that nothing else holds in place where it can,
            # so the text is not held twice while it is joined.
            flat += squashed
        return flat, starts

    @property
    def flat(self) -> str:
        """The whole text with all whitespace removed."""
        return self._index[0]

    @cached_property
    def tokens(self) -> Tokens:
        """Every number of the source (see ``NUMBER``), in order."""
        return Tokens(self.flat)

    def line_of(self, offset: int) -> int:
        """The source line of a character of ``flat``."""
        return bisect_right(self._index[1], offset)

    def line_span(self, line: int) -> tuple[int, int]:
        """The offsets of ``flat`` that lie on ``line``: [start, end)."""
        flat, starts = self._index
        if not 1 <= line <= len(starts):
            return 0, 0
        return starts[line - 1], starts[line] if line < len(starts) else len(flat)

    def find_on_line(self, needle: str, line: int) -> int:
        """Where squashed ``needle`` first starts on ``line`` in ``flat``, or -1.

        Only that line is searched, however long the source.
        """
        low, high = self.line_span(line)
        if not needle or low == high:
            return -1
        return self.flat.find(needle, low, high + len(needle) - 1)

    def occurrences(self, quote: str) -> list[Span]:
        """Every place ``quote`` stands in the source (whitespace ignored)."""
        needle = squash(quote)
        if not needle:
            return []
        flat, spans = self.flat, []
        start = flat.find(needle)
        while start != -1:
            spans.append(Span(start, start + len(needle)))
            start = flat.find(needle, start + 1)
        return spans

    def locate(self, quote: str, line: int) -> Span | str:
        """The occurrence of ``quote`` starting on ``line``, or why there is none."""
        needle = squash(quote)
        start = self.find_on_line(needle, line)
        if start != -1:
            return Span(start, start + len(needle))
        spans = self.occurrences(needle)
        if not spans:
            return "the quote is not in the source (whitespace ignored)"
        starts = ", ".join(str(self.line_of(s.start)) for s in spans)
        return f"the quote starts on line {starts}, not on line {line}"
