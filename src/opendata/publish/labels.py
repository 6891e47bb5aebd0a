"""Labels of the data in the page's language, read from the built package.

Tables, fields and enumerated codes are labelled by the package's descriptor in both
languages, and units by its ``units`` table: :class:`Labels` reads them through
``opendata.bilingual``, so the site shows what the XLSX dictionary, Datasette and DCAT show.

The site's ``labels`` catalogs (``locales/<locale>/LC_MESSAGES/labels.po``) hold only what the
package does not: how the site words a boolean, an update frequency and a licence, and the
English singular of a unit's label (msgid the singular, msgid_plural the package's label),
chosen by CLDR's plural rules through babel.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from importlib import resources
from io import BytesIO

from babel import Locale
from babel.messages.pofile import read_po

from opendata import bilingual as descriptor_labels

CATALOG_LOCALES = {"zh-Hans": "zh_Hans", "en": "en"}


@cache
def _catalog(language: str) -> dict[tuple[str, str], str | tuple[str, ...]]:
    """(context, msgid) → translation; a plural message is keyed by its msgid_plural."""
    path = f"locales/{CATALOG_LOCALES[language]}/LC_MESSAGES/labels.po"
    text = resources.files(__package__).joinpath(path).read_bytes()
    found: dict[tuple[str, str], str | tuple[str, ...]] = {}
    for message in read_po(BytesIO(text)):
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            found[(message.context or "", str(message.id[1]))] = tuple(message.id)
        else:
            found[(message.context or "", str(message.id))] = str(message.string)
    return found


def label(context: str, code: str, language: str, default: str | None = None) -> str:
    """The site's wording of ``code`` in ``context`` ("boolean", "frequency", "licence") in
    ``language``; ``default``, else the code itself, when it has none."""
    found = _catalog(language).get((context, code))
    return found if isinstance(found, str) and found else (default or code)


def plural_category(count: Decimal, language: str) -> str:
    """CLDR's plural category of ``count`` as printed: 1 is "one", 1.5 and 2 are "other"."""
    return Locale.parse(CATALOG_LOCALES[language]).plural_form(count)


class Labels:
    """The labels a built package gives its tables, fields, codes and units."""

    def __init__(self, descriptor: dict, units: Iterable[dict[str, str]]):
        self.descriptor = descriptor
        self.units = {row.get("id", ""): row for row in units}

    def table(self, name: str, language: str) -> str:
        try:
            return descriptor_labels.table_label(self.descriptor, name)[language] or name
        except KeyError:
            return name

    def field(self, table: str, name: str, language: str) -> str:
        try:
            return descriptor_labels.field_label(self.descriptor, table, name)[language] or name
        except KeyError:
            return name

    def code(self, table: str, field: str, value: str, language: str) -> str:
        """An enumerated code's label; a boolean in the site's words (yes/no, 是/否)."""
        try:
            declared = descriptor_labels.field(self.descriptor, table, field)
        except KeyError:
            return value
        if declared.get("type") == "boolean":
            return label("boolean", value, language)
        return descriptor_labels.category_label(self.descriptor, table, field, value)[language] \
            or value

    def unit(self, unit_id: str, language: str, count: Decimal | None = None) -> str:
        """A unit's label in ``language``; in English in the plural form ``count`` takes by
        CLDR's rules (the package's label is the form for many, as without a count)."""
        try:
            text = descriptor_labels.unit_label(self.units.values(), unit_id)[language]
        except KeyError:
            return unit_id
        if not text or count is None:
            return text or unit_id
        forms = _catalog(language).get(("unit", text))
        if isinstance(forms, tuple) and plural_category(count, language) == "one":
            return forms[0]
        return text
