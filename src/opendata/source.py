"""The shipped source text, and where a quote stands in it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from opendata.text import squash


@dataclass(frozen=True)
class Span:
    """A stretch of the squashed (whitespace-free) source: [start, end)."""

    start: int
    end: int

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


class Source:
    """A source document; quotes are found in it with all whitespace removed."""

    def __init__(self, text: str):
        self.text = text
        self.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def read(cls, path: Path) -> Source:
        return cls(path.read_bytes().decode("utf-8"))

    @cached_property
    def _index(self) -> tuple[str, list[int]]:
        flat, lines = [], []
        for number, line in enumerate(self.text.split("\n"), start=1):
            squashed = squash(line)
            flat.append(squashed)
            lines.extend([number] * len(squashed))
        return "".join(flat), lines

    @property
    def flat(self) -> str:
        """The whole text with all whitespace removed."""
        return self._index[0]

    def line_of(self, offset: int) -> int:
        """The source line of a character of ``flat``."""
        return self._index[1][offset]

    def occurrences(self, quote: str) -> list[Span]:
        """Every place ``quote`` stands in the source (whitespace ignored)."""
        needle = squash(quote)
        if not needle:
            return []
        return [Span(m.start(), m.start() + len(needle))
                for m in re.finditer(f"(?={re.escape(needle)})", self.flat)]

    def locate(self, quote: str, line: int) -> Span | str:
        """The occurrence of ``quote`` starting on ``line``, or why there is none."""
        spans = self.occurrences(quote)
        if not spans:
            return "the quote is not in the source (whitespace ignored)"
        for span in spans:
            if self.line_of(span.start) == line:
                return span
        starts = ", ".join(str(self.line_of(s.start)) for s in spans)
        return f"the quote starts on line {starts}, not on line {line}"
