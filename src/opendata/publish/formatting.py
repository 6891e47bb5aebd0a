"""Figures for people: as printed on the Chinese pages, in English words on the English ones.

``117.95亿元`` stays as printed on a Chinese page and reads "11.795 billion yuan" on an
English one; percentages keep their decimals (babel's format_percent rounds to whole
percents unless given a pattern) and counts get grouping.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal, format_percent

from opendata.curate.figures import FigureSyntax
from opendata.curate.figures import format_decimal as plain
from opendata.curate.units import Unit

PERCENT = "#,##0.###%"
_CHINESE_MAGNITUDES = "万亿"  # scales English has no word for: convert to the base unit
COMPACT_FROM = Decimal(1_000_000)
# The label of a unit id for a count, in the right plural form.
Noun = Callable[[str, Decimal], str]


def english(value: Decimal, unit: Unit, noun: Noun, qualifier_words: str) -> str:
    """A figure in English words: ``about 14.6 billion yuan``, ``79.7%``, ``1 school``.

    ``qualifier_words`` is the English of the qualifier ("about"), empty for an exact figure.
    """
    words = f"{qualifier_words} " if qualifier_words else ""
    if unit.kind == "ratio":
        return words + format_percent(value / 100, PERCENT, locale="en")
    if unit.label[:1] in _CHINESE_MAGNITUDES:
        base = unit.to_base(value)
        return f"{words}{english_number(base)} {noun(unit.base, base)}"
    return f"{words}{english_number(value)} {noun(unit.id, value)}"


def english_number(value: Decimal) -> str:
    """Grouped digits, or words for millions and more: 20,400; 11.795 billion."""
    if abs(value) >= COMPACT_FROM:
        return format_compact_decimal(value, format_type="long", locale="en", fraction_digits=3)
    return format_decimal(value, locale="en", decimal_quantization=False)


def number(value: Decimal, language: str) -> str:
    """A plain number for the page's locale, every printed decimal kept."""
    locale = "zh_Hans_CN" if language == "zh-Hans" else "en"
    return format_decimal(value, locale=locale, decimal_quantization=False)


def printed(quote: str, value: Decimal, unit_label: str | None, qualifier: str | None,
            syntax: FigureSyntax) -> str:
    """The figure exactly as the quote prints it (``约146亿元``, ``300场以上``)."""
    for figure in syntax.figures(quote):
        if figure.value != value or (qualifier and figure.qualifier.value != qualifier):
            continue
        if unit_label is None or figure.unit == unit_label or (
                figure.unit and unit_label.startswith(figure.unit)):
            return figure.text
    return f"{plain(value)}{unit_label or ''}"
