"""Table schemas: each written once, as a resource template in ``<table>.json``."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from opendata.paths import TABLES


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def template(name: str) -> dict[str, Any]:
    """A fresh copy of the resource template (name, title, description, schema) of ``name``."""
    if name not in TABLES:
        raise KeyError(name)
    return copy.deepcopy(_load(name))


def field_names(name: str) -> list[str]:
    """The columns of table ``name``, in order."""
    return [f["name"] for f in _load(name)["schema"]["fields"]]


def bilingual_pairs(name: str) -> list[str]:
    """Stems of the ``<stem>_zh``/``<stem>_en`` column pairs of table ``name``."""
    names = field_names(name)
    return [n[:-3] for n in names if n.endswith("_zh") and f"{n[:-3]}_en" in names]


def list_fields(name: str) -> dict[str, str]:
    """The columns of table ``name`` that hold several values, with their delimiters.

    They are strings with a ``delimiter`` property: the Data Package v2 profile has no
    list type.
    """
    return {f["name"]: f["delimiter"] for f in _load(name)["schema"]["fields"]
            if "delimiter" in f}
