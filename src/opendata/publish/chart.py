"""The results-against-targets chart: small multiples of paired bars, as SVG at build time.

Indicators come in different units, so each row is scaled to its own larger value and
labelled with both figures; bars compare a result with its target, never across rows.

The chart has no viewBox: bar lengths are percentages of its width, and text keeps its size
in CSS pixels, so labels stay readable on a phone (each label sits on its own lines above its
bars) and the bars use the width of a desktop screen.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

FONT_SIZE = 14          # CSS px: at least 12 at every width, as nothing scales it
LINE, BAR, GAP = 19, 16, 14
BAR_SHARE = 55          # per cent of the width the longer bar of a pair takes
RESULT_COLOUR, TARGET_COLOUR = "#1f4e8c", "#b54708"  # both ≥ 4.5:1 against white
FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
         'system-ui, sans-serif')


@dataclass(frozen=True)
class Pair:
    """One indicator: its result and target in the base unit, and their printed forms."""

    label: str
    result: Decimal
    target: Decimal
    result_text: str
    target_text: str


def svg(pairs: list[Pair], title: str, description: str, legend: tuple[str, str],
        wrap: int, width: str = "100%", standalone: bool = False) -> str:
    """An accessible SVG: ``title`` and ``description`` name it for screen readers.

    ``wrap`` is the label length in characters that fits a phone; ``standalone`` gives a
    file of its own (XML declaration, fonts and a white background).
    """
    rows, y = [], 44
    for index, pair in enumerate(pairs):
        lines = textwrap.wrap(pair.label, wrap) or [""]
        rows.append(_row(index, pair, lines, y))
        y += len(lines) * LINE + 2 * BAR + 2 + GAP
    legend_row = (
        f'<rect x="0" y="10" width="14" height="14" fill="{RESULT_COLOUR}"/>'
        f'<text x="20" y="22">{escape(legend[0])}</text>'
        f'<rect x="50%" y="10" width="14" height="14" fill="{TARGET_COLOUR}"/>'
        f'<text x="50%" dx="20" y="22">{escape(legend[1])}</text>')
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    background = '<rect width="100%" height="100%" fill="#ffffff"/>' if standalone else ""
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
            f'role="img" aria-labelledby="chart-title chart-desc" class="chart" '
            f"font-size=\"{FONT_SIZE}\" font-family='{FONTS}' fill=\"#1a1a1a\">"
            f'<title id="chart-title">{escape(title)}</title>'
            f'<desc id="chart-desc">{escape(description)}</desc>'
            f'{background}{legend_row}{"".join(rows)}</svg>')


def _row(index: int, pair: Pair, lines: list[str], y: int) -> str:
    scale = max(pair.result, pair.target) or Decimal(1)
    label = "".join(f'<tspan x="0" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    parts = [f'<g class="pair" data-index="{index}">',
             f'<text class="label" x="0" y="{y + FONT_SIZE}" font-weight="600">{label}</text>']
    top = y + len(lines) * LINE + 2
    for offset, (value, text, colour) in enumerate(
            ((pair.result, pair.result_text, RESULT_COLOUR),
             (pair.target, pair.target_text, TARGET_COLOUR))):
        share = max(float(value / scale) * BAR_SHARE, 0.3)  # drawing only, not data
        bar_top = top + offset * (BAR + 2)
        parts.append(f'<rect class="bar" x="0" y="{bar_top}" width="{share:.2f}%" '
                     f'height="{BAR}" fill="{colour}"><title>{escape(text)}</title></rect>'
                     f'<text class="value" x="{share:.2f}%" dx="6" y="{bar_top + BAR - 3}">'
                     f'{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)
