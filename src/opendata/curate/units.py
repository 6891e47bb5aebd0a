"""Units of measure: printed labels, base units and exact multipliers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from opendata.curate.script import fold

_MAGNITUDES = "万亿"


@dataclass(frozen=True)
class Unit:
    """A unit as printed (``label``), with the exact factor to its ``base`` unit."""

    id: str
    label: str
    base: str
    multiplier: Decimal
    kind: str
    code: str | None = None
    code_system: str | None = None

    def to_base(self, value: Decimal) -> Decimal:
        """``value`` in this unit, expressed in the base unit; exact."""
        return value * self.multiplier

    def prints_as(self, printed: str | None) -> bool:
        """Whether a figure printed with unit ``printed`` is in this unit.

        A bare 万 or 亿 counts when this unit's label starts with it: the source may leave
        out the rest (600万消费券 is 600 万元).
        """
        if printed is None:
            return False
        if printed == self.label:
            return True
        printed, label = fold(printed), fold(self.label)
        return printed == label or (printed in _MAGNITUDES and label.startswith(printed))

def parse_multiplier(text: object) -> Decimal | None:
    """A positive exact multiplier from its decimal string, or None when it is not one."""
    if not isinstance(text, str):
        return None  # YAML numbers may already have passed through float
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None
