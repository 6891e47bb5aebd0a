"""The toolkit's standard vocabularies: headline indicators and units of measure.

``indicators.yaml`` gives the headline indicators of government work reports stable ids,
official Chinese names with their common variants, and the official English, so that two
reports' packages can be joined on ``indicator``. ``units.yaml`` gives the units a new
project starts from, with their English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from opendata.curate.script import fold

CHANGE_WORDS = ("增长", "增速", "增幅", "下降", "降低", "提高", "回落", "涨幅")
FALLS = ("下降", "降低", "回落", "减少")  # a fall: the figure is no growth rate


@dataclass(frozen=True)
class Indicator:
    """A standard indicator: its id, names, official English, kind and base unit."""

    id: str
    name: str
    variants: tuple[str, ...]
    en: str
    kind: str
    unit: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


def _load(name: str) -> Any:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every standard indicator, in the order of the vocabulary."""
    return tuple(Indicator(e["id"], e["name"], tuple(e.get("variants", ())), e["en"],
                           e["kind"], e["unit"]) for e in _load("indicators.yaml"))


@cache
def units() -> tuple[dict[str, Any], ...]:
    """Every unit the toolkit knows, as units.yaml entries with their English (``en``)."""
    return tuple(_load("units.yaml"))


def match(context: str, clause: str, unit: str) -> Indicator | None:
    """The standard indicator a figure measures, or None.

    ``context`` is the clause's text before the figure, ``clause`` the whole clause, and
    ``unit`` the base unit of the figure. The longest name printed in the context wins;
    an indicator of another unit never matches, and a growth rate needs a word of change.
    """
    context, clause = fold(context), fold(clause)
    falls = any(w in clause for w in FALLS) and "增长" not in clause
    best: tuple[int, Indicator] | None = None
    for indicator in indicators():
        if indicator.unit != unit:
            continue
        if indicator.kind == "growth_rate" and not any(w in clause for w in CHANGE_WORDS):
            continue
        if indicator.kind == "growth_rate" and falls != any(w in indicator.name for w in FALLS):
            continue  # 下降2% is no growth of 2%
        for name in indicator.names:
            if name in context and (best is None or len(name) > best[0]):
                best = (len(name), indicator)
    return best[1] if best else None
