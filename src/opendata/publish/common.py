"""What every publication target shares: the package, its downloads and absolute URLs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

from opendata.exceptions import OpendataError

LANGUAGES = ("zh-Hans", "en")
DOWNLOADS = "downloads"  # site folder holding the package files and exports


@dataclass(frozen=True)
class Download:
    """One file offered for download, with what a portal needs to describe it."""

    name: str          # stable key: a table name, "datapackage", "zip", "xlsx", "sqlite"
    path: str          # POSIX path relative to the site root
    media_type: str    # IANA media type
    format: str        # short format label: CSV, JSON, ZIP, XLSX, SQLite, TXT
    bytes: int
    sha256: str
    title_zh: str
    title_en: str

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh-Hans" else self.title_en

    @classmethod
    def of(cls, name: str, path: str, content: bytes, media_type: str, format: str,
           title_zh: str, title_en: str) -> Download:
        return cls(name, path, media_type, format, len(content),
                   hashlib.sha256(content).hexdigest(), title_zh, title_en)


@dataclass
class Publication:
    """A package about to be published at ``base_url``."""

    descriptor: dict
    base_url: str
    release_date: str | None = None
    downloads: list[Download] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            self.base_url += "/"

    def url(self, path: str = "") -> str:
        """The absolute URL of a site path: every absolute URL goes through here."""
        return urljoin(self.base_url, path)

    def text(self, key: str, language: str) -> str:
        """``title`` or ``description`` of the package in ``language``."""
        suffix = "zh" if language == "zh-Hans" else "en"
        return str(self.descriptor.get(f"{key}_{suffix}") or self.descriptor.get(key, ""))

    def download(self, name: str) -> Download:
        return next(d for d in self.downloads if d.name == name)

    @property
    def tables(self) -> list[dict]:
        return [r for r in self.descriptor["resources"] if "schema" in r]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))


# Reading the descriptor: every portal target reads it the same way.

def in_languages(facts: dict, key: str) -> dict[str | None, str]:
    """``key`` of a descriptor mapping by language tag, from its ``<key>_zh``/``<key>_en``
    forms; a text given in one form only is keyed by ``None``."""
    if facts.get(f"{key}_zh") and facts.get(f"{key}_en"):
        return {"zh-Hans": str(facts[f"{key}_zh"]), "en": str(facts[f"{key}_en"])}
    return {None: str(facts.get(key, ""))}


def keywords(descriptor: dict) -> dict[str, list[str]]:
    """The package keywords by language: the descriptor lists the Chinese ones, then their
    English translations in the same order."""
    words = list(descriptor.get("keywords", []))
    if len(words) % 2:
        raise OpendataError(f"datapackage.json: {len(words)} keywords, expected the Chinese "
                            "ones followed by as many English translations")
    return {"zh-Hans": words[:len(words) // 2], "en": words[len(words) // 2:]}


def agents(descriptor: dict, role: str) -> str:
    """The titles of the contributors with ``role``, joined: DCAT-AP allows one publisher."""
    titles = [c["title"] for c in descriptor.get("contributors", [])
              if role in c.get("roles", [c.get("role")]) and c.get("title")]
    if not titles:
        raise OpendataError(f"datapackage.json: no contributor with role {role!r}; "
                            "add one to curation/package.yaml")
    return ", ".join(titles)


def licence(descriptor: dict) -> dict:
    """The package's licence: the first in ``licenses`` with a ``path`` (its URL)."""
    for candidate in descriptor.get("licenses", []):
        if candidate.get("path"):
            return candidate
    raise OpendataError("datapackage.json: no licence with a path; portals need its URL")
