"""JSON Schemas of the curation files, shipped with the toolkit.

Each curation file names its schema in a first-line comment
(``# yaml-language-server: $schema=...``), so that editors check it while a curator
types; the build checks it with the same schema and names the YAML line of each problem.
What a row may say beyond its shape follows from the table's own schema (see
:mod:`opendata.curate.reader`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from opendata.inputs import LINE, without_lines
from opendata.problems import Problem

HINT = "see docs/curation.md; editors check the file against {schema} as you type"


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of schema ``name`` (``units`` → units.schema.json)."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def problems(document: Any, name: str, shown: str) -> list[Problem]:
    """Where ``document`` (as read, each mapping with its line) breaks schema ``name``."""
    errors = validator(name).iter_errors(without_lines(document))
    return [Problem(shown, _message(error), HINT.format(schema=f"{name}.schema.json"),
                    "curation-shape", line=_line(document, error.absolute_path))
            for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])]


def _message(error: ValidationError) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    if error.validator == "oneOf" and not error.absolute_path:
        return "give either 'statements' or 'sections' (of statements), not both"
    return f"{where.lstrip('.') or 'the file'}: {error.message}"


def _line(document: Any, path: Iterable[Any]) -> int | None:
    """The line of the innermost mapping on ``path`` (where the problem is, or holds it)."""
    line, node = document.get(LINE) if isinstance(document, dict) else None, document
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE in node:
            line = node[LINE]
    return line

