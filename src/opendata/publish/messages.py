"""The site's own strings: every msgid the templates, page code and table schemas use."""

from __future__ import annotations

from importlib import resources
from io import BytesIO

from babel.messages.extract import extract
from jinja2.ext import babel_extract

from opendata.tables import template_schemas

PYTHON_SOURCES = ("pages.py", "site.py")
TEMPLATES = ("base.html", "landing.html", "table.html", "compare.html")
CHANGELOG_SECTIONS = ("Added", "Changed", "Removed")
KEYWORDS = {"_": None, "gettext": None}


def needed() -> list[str]:
    """Every English string the site shows through the catalog, each once, sorted."""
    found: set[str] = set(CHANGELOG_SECTIONS)
    package = resources.files(__package__)
    for name in TEMPLATES:
        source = BytesIO(package.joinpath(f"templates/{name}").read_bytes())
        found.update(m for _, _, m, _ in babel_extract(source, KEYWORDS, [], {})
                     if isinstance(m, str))
    for name in PYTHON_SOURCES:
        source = BytesIO(package.joinpath(name).read_bytes())
        found.update(m for _, m, _, _ in extract("python", source, KEYWORDS)
                     if isinstance(m, str))
    for template in template_schemas().values():  # a project's own tables fall back to English
        found.update(_schema_strings(template))
    return sorted(s for s in found if s)


def _schema_strings(template: dict) -> set[str]:
    strings = {template.get("title", ""), template.get("description", "")}
    for field in template["schema"]["fields"]:
        strings.add(field.get("description", ""))
        strings.update(str(v) for v in field.get("constraints", {}).get("enum", []))
    return strings


