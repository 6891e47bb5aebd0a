"""What every publication target shares: the package's facts, its downloads and absolute URLs."""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from opendata.publish.facts import LANGUAGES, PackageFacts, optional_text

__all__ = ["DOWNLOADS", "LANGUAGES", "Download", "PackageFacts", "Portal", "Publication"]
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
    description_zh: str = ""  # what the file holds, beyond its title; empty when nothing
    description_en: str = ""

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh-Hans" else self.title_en

    def description(self, language: str) -> str:
        return self.description_zh if language == "zh-Hans" else self.description_en

    @classmethod
    def of(cls, name: str, path: str, content: builtins.bytes, media_type: str, format: str,
           title_zh: str, title_en: str, description_zh: str = "",
           description_en: str = "") -> Download:
        return cls(name, path, media_type, format, len(content),
                   hashlib.sha256(content).hexdigest(), title_zh, title_en, description_zh,
                   description_en)


@dataclass(frozen=True)
class Portal:
    """What a portal is told beyond the package, from ``curation/package.yaml``: how often
    the package is revised, its EU data themes, and whom to ask."""

    update_frequency: str | None = None  # a code: annual, irregular
    themes: tuple[str, ...] = ()         # EU data-theme codes: GOVE, ECON, ...
    contact: str | None = None           # an e-mail address or a URL for questions

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Portal:
        return cls(optional_text(config.get("update_frequency")),
                   tuple(str(theme) for theme in config.get("themes") or ()),
                   optional_text(config.get("contact")))


@dataclass
class Publication:
    """A package about to be published at ``base_url``, with its downloads."""

    descriptor: dict
    base_url: str
    release_date: str | None = None
    downloads: list[Download] = field(default_factory=list)
    portal: Portal = field(default_factory=Portal)

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            self.base_url += "/"

    @cached_property
    def facts(self) -> PackageFacts:
        """The typed view of the package every target reads its facts from."""
        return PackageFacts.of(self.descriptor, self.base_url, self.release_date)

    def url(self, path: str = "") -> str:
        """The absolute URL of a site path: every absolute URL goes through here."""
        return self.facts.url(path)

    def text(self, key: str, language: str) -> str:
        """``title`` or ``description`` of the package in ``language``."""
        return getattr(self.facts, key)(language)

    def download(self, name: str) -> Download:
        return next(d for d in self.downloads if d.name == name)

    @property
    def tables(self) -> list[dict]:
        return self.facts.tables

    @property
    def version(self) -> str:
        return self.facts.version
