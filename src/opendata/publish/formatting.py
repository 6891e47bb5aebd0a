"""Figures for people: as printed on the Chinese pages, in English words on the English ones.

``117.95亿元`` stays as printed on a Chinese page and reads "11.795 billion yuan" on an
English one; percentages keep their decimals (babel's format_percent rounds to whole
percents unless given a pattern) and counts get grouping.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal, format_percent

from opendata.figures import FigureSyntax, format_decimal as plain
from opendata.units import Unit

PERCENT = "#,##0.###%"
_QUALIFIERS_EN = {"exact": "", "about": "about ", "nearly": "nearly ",
                  "at_least": "at least ", "over": "over "}
_CHINESE_MAGNITUDES = "万亿"  # scales English has no word for: convert to the base unit
COMPACT_FROM = Decimal(1_000_000)


@dataclass(frozen=True)
class UnitLabels:
    """A unit with its labels in both languages."""

    unit: Unit
    label_en: str


def english(value: Decimal, unit: UnitLabels, base: UnitLabels, qualifier: str | None) -> str:
    """A figure in English words: ``about 14.6 billion yuan``, ``79.7%``, ``23,000 units``."""
    words = _QUALIFIERS_EN.get(qualifier or "exact", "")
    if unit.unit.kind == "ratio":
        return words + format_percent(value / 100, PERCENT, locale="en")
    if unit.unit.label[:1] in _CHINESE_MAGNITUDES:
        return f"{words}{english_number(unit.unit.to_base(value))} {base.label_en}"
    return f"{words}{english_number(value)} {unit.label_en}"


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
