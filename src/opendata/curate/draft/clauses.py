"""Sentences and clauses of a paragraph, as stretches of the source's squashed text.

A quote should be the smallest verbatim span that carries its figures and the words that
qualify them: sentences end at 。！？；, clauses at ，：, and a clause that lists several
figures (A16家、B6家) is cut at 、 between them. Nothing is cut inside quotation marks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_SENTENCE_END = set("。！？；!?;")
_CLAUSE_END = set("，：,:")
_LIST = "、"
_OPEN, _CLOSE = set("“「『（(《"), set("”」』）)》")
MARKS = ("预计", "力争")


@dataclass(frozen=True)
class Clause:
    """A clause: [start, end) of Source.flat; ``sentence`` is where its sentence begins."""

    start: int
    end: int
    sentence: int
    segment: int  # index of the paragraph segment holding it


def clauses(flat: str, segments: list[tuple[int, int]]) -> list[Clause]:
    """The clauses of a paragraph made of ``segments`` of ``flat``, in reading order.

    A sentence may run on from one segment into the next (a column continued elsewhere);
    a clause never does.
    """
    found: list[Clause] = []
    sentence: int | None = None
    for index, (low, high) in enumerate(segments):
        start, depth = low, 0
        for position in range(low, high):
            char = flat[position]
            if sentence is None:
                sentence = position
            depth += (char in _OPEN) - (char in _CLOSE)
            depth = max(depth, 0)
            if depth == 0 and (char in _SENTENCE_END or char in _CLAUSE_END):
                if position > start:
                    found.append(Clause(start, position, sentence, index))
                start = position + 1
                if char in _SENTENCE_END:
                    sentence = None
        if high > start:
            found.append(Clause(start, high, sentence if sentence is not None else start, index))
    return found


def list_items(flat: str, clause: Clause,
               has_figure: Callable[[int, int], bool]) -> list[Clause]:
    """``clause`` cut at each 、 (outside quotation marks) between figures.

    A piece with no figure of its own (新建、改建…10个) stays with the piece after it.
    """
    cuts, depth = [], 0
    for position in range(clause.start, clause.end):
        char = flat[position]
        depth = max(depth + (char in _OPEN) - (char in _CLOSE), 0)
        if char == _LIST and depth == 0:
            cuts.append(position)
    pieces, start = [], clause.start
    for cut in [*cuts, clause.end]:
        if has_figure(start, cut) or cut == clause.end:
            pieces.append(Clause(start, cut, clause.sentence, clause.segment))
            start = cut + 1
    if len(pieces) > 1 and not has_figure(pieces[-1].start, pieces[-1].end):
        last = pieces.pop()
        pieces[-1] = Clause(pieces[-1].start, last.end, clause.sentence, clause.segment)
    return pieces
