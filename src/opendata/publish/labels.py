"""Labels of the data in the page's language: tables, fields, enum values, units, licences.

Every label the site shows for a code goes through ``label`` (and ``unit_label``), so the
place they are read from changes in one function. Today they are read from the site's
``labels`` catalogs (``locales/<locale>/LC_MESSAGES/labels.po``, keyed by code and context);
Chinese unit labels are the package's own ``units.label_zh``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from io import BytesIO

from babel import Locale
from babel.messages.pofile import read_po

CATALOG_LOCALES = {"zh-Hans": "zh_Hans", "en": "en"}
_BILINGUAL = ("_zh", "_en")


@cache
def _catalog(language: str) -> dict[tuple[str, str], str | tuple[str, ...]]:
    path = f"locales/{CATALOG_LOCALES[language]}/LC_MESSAGES/labels.po"
    text = resources.files(__package__).joinpath(path).read_bytes()
    catalog = read_po(BytesIO(text))
    found = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        found[(message.context or "", key)] = message.string
    return found


def label(context: str, code: str, language: str, default: str | None = None) -> str:
    """The label of ``code`` in ``context`` ("table", "field", "enum", "frequency",
    "licence") in ``language``; ``default``, else the code itself, when there is none (a
    project's own table or column).

    A bilingual pair of fields (``name_zh``, ``name_en``) shares the label of ``name``.
    """
    if context == "field" and code.endswith(_BILINGUAL):
        code = code[:-3]
    found = _catalog(language).get((context, code))
    if isinstance(found, tuple):
        found = found[-1]
    return found or default or code


def has_label(context: str, code: str, language: str) -> bool:
    if context == "field" and code.endswith(_BILINGUAL):
        code = code[:-3]
    return (context, code) in _catalog(language)


def unit_label(unit: dict[str, str], language: str, count: Decimal | None = None) -> str:
    """The label of a ``units`` row in ``language``, in the plural form ``count`` takes in
    that language by CLDR's rules (babel); without a count, the form for many."""
    if language == "zh-Hans":
        return unit.get("label_zh") or unit["id"]
    forms = _catalog(language).get(("unit", unit["id"]))
    if not forms:
        return unit.get("label_en") or unit["id"]
    if isinstance(forms, str):
        return forms
    category = plural_category(count, language) if count is not None else "other"
    # The catalog lists the forms in CLDR's order of the language's categories.
    # babel's ``tags`` leaves out "other", which every language has.
    declared = Locale.parse(CATALOG_LOCALES[language]).plural_form.tags | {"other"}
    tags = [t for t in ("zero", "one", "two", "few", "many", "other") if t in declared]
    index = tags.index(category) if category in tags else len(tags) - 1
    return forms[min(index, len(forms) - 1)]


def plural_category(count: Decimal, language: str) -> str:
    """CLDR's plural category of ``count`` as printed: 1 is "one", 1.5 and 2 are "other"."""
    return Locale.parse(CATALOG_LOCALES[language]).plural_form(count)
