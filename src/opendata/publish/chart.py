"""The results-against-targets chart: small multiples of paired bars, as SVG at build time.

Indicators come in different units, so each row is scaled to its own larger value and
labelled with both figures; bars compare a result with its target, never across rows.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH, LABEL_WIDTH, BAR_WIDTH = 980, 310, 260
LINE, BAR, GAP = 16, 14, 12
RESULT_COLOUR, TARGET_COLOUR = "#1f4e8c", "#b54708"  # both ≥ 4.5:1 against white


@dataclass(frozen=True)
class Pair:
    """One indicator: its result and target in the base unit, and their printed forms."""

    label: str
    result: Decimal
    target: Decimal
    result_text: str
    target_text: str


def svg(pairs: list[Pair], title: str, description: str, legend: tuple[str, str],
        wrap: int) -> str:
    """An accessible SVG: ``title`` and ``description`` name it for screen readers."""
    rows, y = [], 56
    for index, pair in enumerate(pairs):
        lines = textwrap.wrap(pair.label, wrap) or [""]
        height = max(len(lines) * LINE, 2 * BAR + 4) + GAP
        rows.append(_row(index, pair, lines, y))
        y += height
    legend_row = (
        f'<rect x="{LABEL_WIDTH}" y="16" width="14" height="14" fill="{RESULT_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 20}" y="28">{escape(legend[0])}</text>'
        f'<rect x="{LABEL_WIDTH + 200}" y="16" width="14" height="14" fill="{TARGET_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 220}" y="28">{escape(legend[1])}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y}" '
            f'width="100%" role="img" aria-labelledby="chart-title chart-desc" '
            f'class="chart" font-size="13">'
            f'<title id="chart-title">{escape(title)}</title>'
            f'<desc id="chart-desc">{escape(description)}</desc>'
            f'{legend_row}{"".join(rows)}</svg>')


def _row(index: int, pair: Pair, lines: list[str], y: int) -> str:
    scale = max(pair.result, pair.target) or Decimal(1)
    label = "".join(f'<tspan x="0" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    parts = [f'<g class="pair" data-index="{index}">',
             f'<text x="0" y="{y + 12}" fill="#1a1a1a">{label}</text>']
    for offset, (value, text, colour) in enumerate(
            ((pair.result, pair.result_text, RESULT_COLOUR),
             (pair.target, pair.target_text, TARGET_COLOUR))):
        length = max(float(value / scale) * BAR_WIDTH, 1.0)  # drawing only, not data
        top = y + offset * (BAR + 2)
        parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" '
                     f'height="{BAR}" fill="{colour}"><title>{escape(text)}</title></rect>'
                     f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{top + 11}" '
                     f'fill="#1a1a1a">{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)
