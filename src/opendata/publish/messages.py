"""The site's own strings: every msgid the templates and page code use.

Labels of tables, fields and codes are not among them: the descriptor gives them in both
languages (docs/bilingual.md)."""

from __future__ import annotations

from importlib import resources
from io import BytesIO
from typing import Any

from babel.messages.extract import extract
from jinja2.ext import babel_extract

PYTHON_SOURCES = ("pages.py", "site.py")
TEMPLATES = ("base.html", "landing.html", "table.html", "compare.html", "source.html")
CHANGELOG_SECTIONS = ("Added", "Changed", "Removed", "Fixed", "Deprecated", "Security")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def needed() -> list[str]:
    """Every English string the site shows through the catalog, each once, sorted."""
    found: set[str] = set(CHANGELOG_SECTIONS)
    package = resources.files(__package__)
    for name in TEMPLATES:
        source = BytesIO(package.joinpath(f"templates/{name}").read_bytes())
        found.update(_singular(m) for _, _, m, _ in babel_extract(source, tuple(KEYWORDS), [], {}))
    for name in PYTHON_SOURCES:
        source = BytesIO(package.joinpath(name).read_bytes())
        found.update(_singular(m) for _, m, _, _ in extract("python", source, KEYWORDS))
    return sorted(s for s in found if s)


def _singular(message: Any) -> str:
    """The msgid of a message; a plural message (a tuple) is known by its singular."""
    if isinstance(message, tuple):
        return message[0] if isinstance(message[0], str) else ""
    return message if isinstance(message, str) else ""


