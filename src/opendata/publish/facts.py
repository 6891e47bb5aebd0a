"""The facts of a published package: one typed view that every publish target reads.

DCAT, CKAN, schema.org, the site, the XLSX about sheet, the SQLite/Datasette metadata and
CITATION.cff state the package's title, licence, source, languages, places, dates, publisher,
keywords and citation. Each reads them here, so they state the same facts; none reads those
keys of the raw descriptor on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin

from babel.dates import format_date

from opendata.exceptions import OpendataError

LANGUAGES = ("zh-Hans", "en")
LOCALES = {"zh-Hans": "zh_Hans_CN", "en": "en"}
LANDING_PAGES = {"zh-Hans": "zh/", "en": "en/"}  # each language's landing page on the site
# SPDX licence id (the descriptor's ``licenses[].name``) → its id and title in CKAN's default
# licence register. ckanext-dcat finds a harvested licence's CKAN id by the licence IRI or by
# this title, and CKAN's register lists licence families by their opendefinition.org URLs, so
# the DCAT licence document carries this title (scripts/real-tools-check.sh compares the table
# with the register of the CKAN it installs).
CKAN_LICENCES = {
    "CC-BY-4.0": ("cc-by", "Creative Commons Attribution"),
    "CC-BY-SA-4.0": ("cc-by-sa", "Creative Commons Attribution Share-Alike"),
    "CC0-1.0": ("cc-zero", "Creative Commons CCZero"),
    "ODbL-1.0": ("odc-odbl", "Open Data Commons Open Database License (ODbL)"),
    "ODC-By-1.0": ("odc-by", "Open Data Commons Attribution License"),
    "PDDL-1.0": ("odc-pddl", "Open Data Commons Public Domain Dedication and License (PDDL)"),
}

@dataclass(frozen=True)
class Bilingual:
    """A text in Simplified Chinese and English."""

    zh: str
    en: str

    def __call__(self, language: str) -> str:
        """The text in ``language`` ("zh-Hans" or "en")."""
        return self.zh if language == "zh-Hans" else self.en

    @classmethod
    def of(cls, mapping: Mapping[str, Any], key: str) -> Bilingual:
        """``key`` of a descriptor mapping from its ``<key>_zh``/``<key>_en`` forms; a text
        given in one form only stands for both languages."""
        plain = str(mapping.get(key) or "")
        return cls(str(mapping.get(f"{key}_zh") or plain), str(mapping.get(f"{key}_en") or plain))

    @property
    def single(self) -> bool:
        """True when both languages hold the same text (a text given once)."""
        return self.zh == self.en


@dataclass(frozen=True)
class Licence:
    id: str      # SPDX identifier, e.g. CC-BY-4.0
    url: str     # the licence document
    title: str   # its English title

    @property
    def ckan_id(self) -> str:
        """The id of this licence in CKAN's default licence register."""
        return self._in_ckan()[0]

    @property
    def ckan_title(self) -> str:
        """The title of this licence in CKAN's default licence register."""
        return self._in_ckan()[1]

    def _in_ckan(self) -> tuple[str, str]:
        if self.id not in CKAN_LICENCES:
            raise OpendataError(f"licence {self.id!r} is not in CKAN's default licence register;"
                                f" use one of {', '.join(CKAN_LICENCES)}")
        return CKAN_LICENCES[self.id]


@dataclass(frozen=True)
class Source:
    """The report the package was derived from."""

    title: Bilingual
    publisher: Bilingual
    place: Bilingual
    author: Bilingual
    date: str | None
    path: str


@dataclass(frozen=True)
class Place:
    name: Bilingual
    admin_code: str | None  # the national administrative division code (GB/T 2260)


@dataclass(frozen=True)
class Period:
    start: str | None
    end: str | None


@dataclass(frozen=True)
class PackageFacts:
    """What a built package states about itself, typed, for a site at ``base_url``."""

    descriptor: dict
    base_url: str
    released: str | None            # the release date (ISO), from the changelog
    name: str
    identifier: str
    version: str
    title: Bilingual
    description: Bilingual
    languages: tuple[str, ...]
    keywords: dict[str, list[str]]  # by language, in the same order in both
    licence: Licence
    source: Source | None
    spatial: Place | None
    temporal: Period | None
    modified: str | None            # the descriptor's ``created``: when this build was made
    creator: str                    # the contributors with role creator, joined
    publisher: str                  # with role publisher; "" when none has it

    @classmethod
    def of(cls, descriptor: dict, base_url: str, released: str | None = None) -> PackageFacts:
        """The facts of ``descriptor`` published at ``base_url``; raises OpendataError naming
        what the descriptor lacks."""
        if not base_url.endswith("/"):
            base_url += "/"
        temporal, spatial = descriptor.get("temporal"), descriptor.get("spatial")
        return cls(
            descriptor=descriptor, base_url=base_url, released=released,
            name=str(descriptor["name"]),
            identifier=str(descriptor.get("id") or descriptor["name"]),
            version=str(descriptor.get("version", "")),
            title=Bilingual.of(descriptor, "title"),
            description=Bilingual.of(descriptor, "description"),
            languages=tuple(descriptor.get("languages") or LANGUAGES),
            keywords=_keywords(descriptor),
            licence=_licence(descriptor),
            source=_source(descriptor),
            spatial=Place(Bilingual(str(spatial.get("name_zh") or spatial["name"]),
                                    str(spatial["name"])),
                          str(spatial["admin_code"]) if spatial.get("admin_code") else None)
            if spatial else None,
            temporal=Period(optional_text(temporal.get("start")),
                            optional_text(temporal.get("end")))
            if temporal else None,
            modified=optional_text(descriptor.get("created")),
            creator=_agents(descriptor, "creator"),
            publisher=_agents(descriptor, "publisher"),
        )

    # -- URLs: every absolute URL of a publication goes through ``url`` ---------------------

    def url(self, path: str = "") -> str:
        """The absolute URL of a site path."""
        return urljoin(self.base_url, path)

    def landing_page(self, language: str) -> str:
        return self.url(LANDING_PAGES[language])

    @property
    def dataset_iri(self) -> str:
        return self.url("#dataset")

    # -- derived facts ----------------------------------------------------------------------

    def agent(self, role: str) -> str:
        """The ``creator`` or ``publisher``; raises OpendataError when the descriptor has none,
        for the targets that must name one (DCAT-AP, CKAN)."""
        name = self.creator if role == "creator" else self.publisher
        if not name:
            raise OpendataError(f"datapackage.json: no contributor with role {role!r}; "
                                "add one to curation/package.yaml")
        return name

    @property
    def tables(self) -> list[dict]:
        """The table resources, in descriptor order."""
        return [r for r in self.descriptor.get("resources", []) if "schema" in r]

    @property
    def archive_name(self) -> str:
        """The file name of the release zip: the version is in the name, not inside the zip."""
        return f"{self.name}-{self.version}.zip"

    @property
    def year(self) -> str:
        """The year to cite: of the release, else of the build."""
        return (self.released or self.modified or "")[:4]

    def citation(self, language: str) -> str:
        """The suggested citation in ``language``: the one text the site, the XLSX and the
        Datasette metadata show."""
        source = self.source
        if language == "zh-Hans":
            text = (f"{self.creator}（{self.year}）。{self.title.zh}"
                    f"（版本 {self.version}）［数据集］。")
            if source:
                text += f"来源：{source.title.zh}（{self.date(source.date, language)}）。"
            return text + f"许可协议：{self.licence.id}。{self.landing_page(language)}"
        text = (f"{self.creator} ({self.year}). {self.title.en} "
                f"(version {self.version}) [Data set]. ")
        if source:
            text += f"Source: {source.title.en} ({self.date(source.date, language)}). "
        return text + f"Licence: {self.licence.id}. {self.landing_page(language)}"

    @staticmethod
    def date(text: str | None, language: str) -> str:
        """An ISO date (or date-time) written out in ``language``; "—" when there is none."""
        if not text:
            return "—"
        return format_date(date.fromisoformat(text[:10]), "long", locale=LOCALES[language])


def optional_text(value: Any) -> str | None:
    """``value`` as text; None when it is missing or empty."""
    return str(value) if value not in (None, "") else None


def _keywords(descriptor: dict) -> dict[str, list[str]]:
    """The descriptor lists the Chinese keywords, then their English in the same order."""
    words = [str(word) for word in descriptor.get("keywords", [])]
    if len(words) % 2:
        raise OpendataError(f"datapackage.json: {len(words)} keywords, expected the Chinese "
                            "ones followed by as many English translations")
    return {"zh-Hans": words[:len(words) // 2], "en": words[len(words) // 2:]}


def _agents(descriptor: dict, role: str) -> str:
    """The titles of the contributors with ``role``, joined: DCAT-AP allows one publisher."""
    return ", ".join(str(c["title"]) for c in descriptor.get("contributors", [])
                     if role in c.get("roles", [c.get("role")]) and c.get("title"))


def _licence(descriptor: dict) -> Licence:
    """The first licence with a ``path`` (its URL): portals need the URL."""
    for candidate in descriptor.get("licenses", []):
        if candidate.get("path"):
            return Licence(str(candidate.get("name", "")), str(candidate["path"]),
                           str(candidate.get("title") or candidate.get("name", "")))
    raise OpendataError("datapackage.json: no licence with a path; portals need its URL")


def _source(descriptor: dict) -> Source | None:
    sources = descriptor.get("sources") or []
    if not sources:
        return None
    first = sources[0]
    return Source(Bilingual.of(first, "title"), Bilingual.of(first, "publisher"),
                  Bilingual.of(first, "place"), Bilingual.of(first, "author"),
                  optional_text(first.get("date")), str(first.get("path", "")))
