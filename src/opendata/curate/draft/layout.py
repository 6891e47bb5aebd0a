"""The layout of a report's text: headings, paragraphs, and where a paragraph goes on.

A report's text comes as lines. Headings are numbered lines (一、 （二） 第三部分) or blocks
of short lines without punctuation; paragraphs are the blocks between blank lines. A
newspaper prints the text in interleaved columns: a paragraph that breaks off unfinished
goes on in the next block, or, when a heading comes between, in a later block that begins
at the full width of a column rather than indented as a paragraph begins. Every such join
is recorded (``Paragraph.joins``), never made silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from opendata.curate.source import Source

NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|"
                      r"第[一二三四五六七八九十]+(?:部分|章|节|篇))")
_TOP = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+(?:部分|章|篇))")
_SENTENCE_PUNCTUATION = set("。，；：！？、,;:!?")
_FINISHED = set("。！？；：!?;")
_HEADING_WIDTH = 64  # display columns: a heading line is short
_LEAD = re.compile(r"^([^。，；：、,;:！？0-9]{2,16})。")  # 创新动能激活力。


@dataclass
class Heading:
    line: int
    text: str  # as printed, lines joined without whitespace
    parent: Heading | None = None  # the 一、 heading a （一） heading stands under


@dataclass
class Paragraph:
    """A paragraph: stretches of the source's squashed text, in reading order."""

    line: int
    segments: list[tuple[int, int]]          # [start, end) offsets of Source.flat
    heading: Heading | None = None
    joins: list[tuple[int, int]] = field(default_factory=list)  # (from line, to line)

    def text(self, source: Source) -> str:
        return "".join(source.flat[a:b] for a, b in self.segments)

    @property
    def end(self) -> int:
        return self.segments[-1][1]


@dataclass
class Layout:
    headings: list[Heading]
    paragraphs: list[Paragraph]


def width(text: str) -> int:
    """Display columns of ``text``: two for a wide (CJK) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text.strip())


def read_layout(source: Source) -> Layout:
    """The headings and paragraphs of ``source``, in the order of its lines."""
    lines = source.text.split("\n")
    layout = Layout([], [])
    pending: list[Paragraph] = []  # unfinished paragraphs whose column broke off at a heading
    previous: Paragraph | None = None

    def heading(rows: list[tuple[int, str]]) -> None:
        nonlocal previous
        text = "".join("".join(t.split()) for _, t in rows)
        parent = next((h for h in reversed(layout.headings) if _TOP.match(h.text)), None)
        layout.headings.append(Heading(rows[0][0], text, None if _TOP.match(text) else parent))
        if previous is not None and not _finished(source, previous):
            pending.append(previous)
        previous = None

    for lines_block in _blocks(lines):
        block, trailing = _split_trailing_heading(lines_block)
        if _is_heading_block(block):
            heading(block)
            block = []
        while block and NUMBERED.match(block[0][1].strip()) and _short(block[0][1]):
            heading(block[:1])
            block = block[1:]
        if block:
            current = layout.headings[-1] if layout.headings else None
            previous = _place(source, lines, block, current, layout.paragraphs, pending,
                              previous)
        if trailing:
            heading(trailing)
    return layout


def _place(source: Source, lines: list[str], body: list[tuple[int, str]],
           current: Heading | None, paragraphs: list[Paragraph], pending: list[Paragraph],
           previous: Paragraph | None) -> Paragraph | None:
    """Add a block of body lines as a paragraph, or to the paragraph it goes on with;
    returns the paragraph the next block may go on with."""
    segment = (source.line_span(body[0][0])[0], source.line_span(body[-1][0])[1])
    if previous is not None and not _finished(source, previous):
        if previous.end == segment[0]:  # only blank lines between: one stretch of text
            previous.joins.append((source.line_of(previous.end - 1), body[0][0]))
            previous.segments[-1] = (previous.segments[-1][0], segment[1])
            return previous
        previous.segments.append(segment)
        previous.joins.append((source.line_of(previous.segments[-2][1] - 1), body[0][0]))
        return previous
    if pending and _full_width(body, pending[0], lines):
        continued = pending.pop(0)
        continued.segments.append(segment)
        continued.joins.append((source.line_of(continued.segments[-2][1] - 1), body[0][0]))
        return continued
    paragraph = Paragraph(body[0][0], [segment], current)
    paragraphs.append(paragraph)
    return paragraph


def _split_trailing_heading(block: list[tuple[int, str]]) -> tuple[list, list]:
    """A block's body, and the heading printed right under its last finished sentence."""
    for size in (3, 2, 1):
        if len(block) > size and _is_heading_block(block[-size:]) and \
                "".join(block[-size - 1][1].split())[-1:] in _FINISHED:
            return block[:-size], block[-size:]
    return block, []


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Runs of lines between blank lines; a numbered line (一、 （二）) begins a run of its
    own, a heading or a numbered paragraph."""
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, text in enumerate(lines, 1):
        if block and NUMBERED.match(text.strip()):
            blocks.append(block)
            block = []
        if text.strip():
            block.append((number, text))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def _short(text: str) -> bool:
    return width(text) <= _HEADING_WIDTH


def _is_heading_block(block: list[tuple[int, str]]) -> bool:
    """A block of at most three short lines without sentence punctuation."""
    return len(block) <= 3 and all(
        _short(text) and not (set(text) & _SENTENCE_PUNCTUATION) for _, text in block)


def _finished(source: Source, paragraph: Paragraph) -> bool:
    last = source.flat[paragraph.end - 1: paragraph.end]
    return not last or last in _FINISHED


def _full_width(body: list[tuple[int, str]], unfinished: Paragraph,
                lines: list[str]) -> bool:
    """Whether a block begins at the full width of the unfinished paragraph's column (it
    goes on with that paragraph) rather than indented (a paragraph of its own)."""
    first = unfinished.line
    column = [width(lines[n - 1]) for n in range(first, first + 64)
              if n - 1 < len(lines) and lines[n - 1].strip()]
    column = column[1:] or column
    typical = sorted(column)[len(column) // 2]
    return width(body[0][1]) >= typical - 1 and typical <= _HEADING_WIDTH


def lead_phrase(text: str) -> str | None:
    """The short phrase a paragraph leads with (创新动能激活力。), if any."""
    numbered = NUMBERED.match(text)
    match = _LEAD.match(text[numbered.end():] if numbered else text)
    return match.group(1) if match and "“" not in match.group(1) else None
