"""Parse figures (number, unit, qualifier) out of verbatim Chinese quotes, exactly.

A figure is what a report prints for one quantity: ``约15.7公里``, ``2.3万个``,
``1500万人次``, ``350余场``, ``4300张以上``, ``千万元以上``, ``每千人5个``.
Values are :class:`~decimal.Decimal`; nothing here ever touches a float.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from opendata.curate.script import fold
from opendata.text import squash

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}
# 万 and 亿 are left to unit labels (万元, 亿元, 万人): they scale the unit, not the number.
_MAGNITUDES = "万亿"
CN_NUMERAL = "[〇零一二两三四五六七八九十百千]"
ARABIC = r"\d+(?:\.\d+)?"

# Parsed quotes kept per syntax: the rows of a statement share a quote and follow each
# other, so a few hundred are as good as thousands, for less memory (docs/performance.md).
_CACHED_QUOTES = 256

ESTIMATE_MARK = "预计"
ASPIRATION_MARK = "力争"


class Qualifier(StrEnum):
    """How a printed figure relates to the true quantity."""

    EXACT = "exact"
    ABOUT = "about"        # 约, 左右
    NEARLY = "nearly"      # 近
    AT_LEAST = "at_least"  # 以上, 不低于, 不少于
    AT_MOST = "at_most"    # 以内, 以下, 不超过, 不高于 (控制在3%以内: a ceiling)
    OVER = "over"          # 余, 多, 超过, 突破


# 不超过 before 超过: the regex takes the first alternative that matches.
_PREFIXES = {"约": Qualifier.ABOUT, "近": Qualifier.NEARLY,
             "不低于": Qualifier.AT_LEAST, "不少于": Qualifier.AT_LEAST,
             "不超过": Qualifier.AT_MOST, "不高于": Qualifier.AT_MOST,
             "超过": Qualifier.OVER, "突破": Qualifier.OVER}
_INFIXES = {"余": Qualifier.OVER, "多": Qualifier.OVER}
_SUFFIXES = {"以上": Qualifier.AT_LEAST, "以内": Qualifier.AT_MOST, "以下": Qualifier.AT_MOST,
             "左右": Qualifier.ABOUT}
# 约 is "about" only on its own: in 签约, 节约, 制约… it is part of a word (新签约亿元以上项目).
_PREFIX = "|".join(p if p != "约" else "(?<![签制节合公预集契邀履违特简])约" for p in _PREFIXES)
# 2万余户, 1万多人: the magnitude of the unit printed before 余/多. Swapping the two (余万户)
# keeps every offset and lets the grammar read it as "over 2 万户".
_MAGNITUDE_BEFORE_INFIX = re.compile(rf"(?<=[\d{CN_NUMERAL[1:-1]}])([{_MAGNITUDES}])([余多])")
# The characters a figure can begin with: 每 (a rate), a prefix, a digit, a Chinese numeral,
# or 万/亿 (亿元以上). Elsewhere the grammar makes no figure, so the parser skips ahead.
_BEGIN = re.compile("[每" + "".join(sorted({p[0] for p in _PREFIXES})) + r"\d"
                    + CN_NUMERAL[1:-1] + _MAGNITUDES + "]")


class Figure(NamedTuple):
    """One quantity as printed in a quote.

    ``unit`` is the printed unit label, or ``None`` when no known unit follows the
    number. ``start``/``end`` are offsets in the squashed (whitespace-free) quote.
    """

    text: str
    value: Decimal
    unit: str | None
    qualifier: Qualifier
    start: int
    end: int

    @property
    def printed_value(self) -> str:
        """The value as the report prints it, in its printed unit."""
        return format_decimal(self.value)


class FigureSyntax:
    """A compiled figure grammar for one vocabulary of unit labels."""

    def __init__(self, unit_labels: Iterable[str]):
        # Labels and quotes are matched folded to simplified characters (萬元 is 万元);
        # a figure reports the label as declared, and its text as printed.
        self._label_of = {fold(label): label for label in unit_labels if label}
        labels = sorted(self._label_of, key=len, reverse=True)
        unit = "|".join(re.escape(label) for label in labels) or r"(?!)"
        unit += f"|[{_MAGNITUDES}]"  # a bare 万 or 亿: the source left the rest of the unit out
        simple = [label for label in labels if "/" not in label]
        simple_unit = "|".join(re.escape(label) for label in simple) or r"(?!)"
        self._pattern = re.compile(
            rf"(?P<per>每(?P<per_num>{CN_NUMERAL}*)(?P<per_unit>{simple_unit}))?"
            rf"(?P<pre>{_PREFIX})?"
            rf"(?:(?P<arabic>{ARABIC})|(?P<cn>{CN_NUMERAL}+)(?=(?:余|多)?(?:{unit})))?"
            rf"(?P<infix>余|多)?"
            rf"(?P<unit>{unit})?"
            rf"(?P<post>{'|'.join(_SUFFIXES)})?"
        )
        self._parsed = lru_cache(maxsize=_CACHED_QUOTES)(self._parse)

    def figures(self, quote: str) -> tuple[Figure, ...]:
        """Every figure in ``quote``, in order. Whitespace in the quote is ignored."""
        return self._parsed(quote)

    def _parse(self, quote: str) -> tuple[Figure, ...]:
        return tuple(self.parse_squashed(squash(quote)))

    def parse_squashed(self, text: str) -> list[Figure]:
        """Every figure in ``text``, which has no whitespace (not remembered).

        At each place a figure can begin, the grammar is matched; a figure found is taken
        and the search goes on after it, otherwise at the next such place.
        """
        found: list[Figure] = []
        search = _BEGIN.search
        printed, text = text, as_read(text)
        begin = search(text)
        while begin is not None:
            pos = begin.start()
            m = self._pattern.match(text, pos)
            if m is None:  # a digit or numeral that begins no figure
                begin = search(text, pos + 1)
                continue
            per, per_num, per_unit, pre, arabic, cn, infix, unit, post = m.groups()
            if arabic:
                value = Decimal(arabic)
            elif cn:
                value = Decimal(chinese_numeral(cn))
            elif unit and unit[0] in _MAGNITUDES and post == "以上" and not infix:
                value = _ONE  # 亿元以上: "one hundred million yuan or more"
            else:
                begin = search(text, pos + 1)
                continue
            start, end = m.span()
            unit = self._label_of.get(unit, unit)
            if per:
                if unit is None:
                    begin = search(text, pos + 1)
                    continue
                unit = f"{unit}/{per_num}{self._label_of.get(per_unit, per_unit)}"
            elif unit is None:
                end, post = m.end(5), None  # the figure is the number alone
            qualifier = _QUALIFIERS.get(pre or infix or post, Qualifier.EXACT)
            found.append(Figure(printed[start:end], value, unit, qualifier, start, end))
            begin = search(text, end)
        return found

# The qualifier of each mark; a figure takes its prefix's, else its infix's, else its suffix's.
_QUALIFIERS = {**_SUFFIXES, **_INFIXES, **_PREFIXES}
_ONE = Decimal(1)


def as_read(text: str) -> str:
    """``text`` as the grammar reads it: in simplified characters, with 万余 as 余万.

    Every character keeps its offset, so a figure found is cut from the text as printed.
    """
    folded = fold(text)
    if "余" not in folded and "多" not in folded:  # most quotes: no substitution to look for
        return folded
    return _MAGNITUDE_BEFORE_INFIX.sub(r"\2\1", folded)


def chinese_numeral(text: str) -> int:
    """Convert a Chinese numeral below ten thousand (``千``, ``十七``, ``三百零五``, ``兩``) to
    int."""
    total, digit = 0, None
    for char in fold(text):
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SCALES:
            total += (1 if digit is None else digit) * _CN_SCALES[char]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def format_decimal(value: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros: 11795000000, 0.005, 79.7."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def modality(text: str) -> tuple[bool, bool]:
    """(estimate, aspirational): whether ``text`` carries 预计 or 力争."""
    flat = fold(squash(text))
    return ESTIMATE_MARK in flat, ASPIRATION_MARK in flat
