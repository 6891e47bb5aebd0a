"""The gettext catalog: the single source of every English string.

Chinese strings are msgids; ``msgctxt`` says where a string is used (``results.section``).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from opendata.inputs import read_text

# What `opendata init` and `opendata draft` write as the English of a string they cannot
# translate, followed by the Chinese: a build succeeds while the project is in progress.
PLACEHOLDER = "[to translate] "


@dataclass(frozen=True)
class Term:
    """A Chinese string that needs English, and where it is used."""

    context: str
    zh: str
    used_in: str = ""


class Translations:
    """English for Chinese strings, read from one .po file with babel."""

    def __init__(self, catalog: Catalog, shown: str):
        self.catalog = catalog
        self.shown = shown

    @classmethod
    def read(cls, path: Path, shown: str) -> Translations:
        if not path.exists():
            return cls(Catalog(locale="en"), shown)
        text = read_text(path, shown)  # refuses BOM, GBK and CRLF like any curated file
        return cls(read_po(BytesIO(text.encode("utf-8")), locale="en"), shown)

    def english(self, context: str, zh: str) -> str | None:
        """The English of ``zh`` in ``context``; None when missing, empty or fuzzy."""
        message = self.catalog.get(zh, context=context)
        if message is None or message.fuzzy or not message.string:
            return None
        return str(message.string)

    def by_context(self) -> dict[str | None, dict[str, str]]:
        """Every usable English of the catalog, as {context: {Chinese: English}}.

        A string has what :meth:`english` gives, and is left out where that is None (empty
        or fuzzy). Looking up many strings this way is much faster than asking
        :meth:`english` for each.
        """
        contexts: dict[str | None, dict[str, str]] = {}
        for message in self.catalog:
            zh = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            if zh and message.string and not message.fuzzy:  # not the header, and usable
                contexts.setdefault(message.context, {})[zh] = str(message.string)
        return contexts

    def missing(self, terms: list[Term]) -> list[Term]:
        """The terms with no usable English, each once, in the order given."""
        seen, missing = set(), []
        for term in terms:
            key = (term.context, term.zh)
            if key not in seen and self.english(term.context, term.zh) is None:
                seen.add(key)
                missing.append(term)
        return missing

    def placeholders(self, terms: list[Term]) -> list[Term]:
        """The terms whose English is still the PLACEHOLDER, each once, in the order given."""
        found = {(t.context, t.zh): t for t in terms
                 if (self.english(t.context, t.zh) or "").startswith(PLACEHOLDER)}
        return list(found.values())

    def add(self, terms: list[Term]) -> int:
        """Add an empty entry for each term not in the catalog; returns how many were added."""
        added = 0
        for term in terms:
            if self.catalog.get(term.zh, context=term.context) is None:
                self.catalog.add(term.zh, "", context=term.context,
                                 auto_comments=[term.used_in] if term.used_in else [])
                added += 1
        return added

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        write_po(buffer, self.catalog, width=0, omit_header=False, sort_output=False)
        return buffer.getvalue()
