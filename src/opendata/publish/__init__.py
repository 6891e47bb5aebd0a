"""``opendata publish``: the static site, portal metadata and researcher exports.

One run validates the package in a worker process while it makes the outputs from it: the
exports (release zip, XLSX, SQLite) in a second worker, the site in this process, so that
both cores work (docs/performance.md, "Everyday commands"). A package that the last build
or publish found valid, unchanged since in data and in code, is not validated again (see
``check.verdict``). Only a valid package's outputs are staged; then ``site/`` and the
exports in ``dist/`` are replaced together (see ``transaction``).

Every absolute URL (JSON-LD, DCAT, CKAN, citations) is made from the base URL the site will
live at: ``--base-url`` or ``base_url`` in curation/package.yaml. A local address is refused
unless the run is a ``--preview``, so no portal is ever handed ``localhost`` by accident.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from opendata.bilingual import pair
from opendata.check import verdict
from opendata.check.published import PublishedPackage
from opendata.exceptions import InvalidData, OpendataError
from opendata.paths import Project
from opendata.problems import Problem
from opendata.publish.common import DOWNLOADS, Download, PackageFacts, Portal, Publication
from opendata.release import changelog
from opendata.transaction import Transaction, fault, locked, scratch
from opendata.workers import pool as worker_pool

if TYPE_CHECKING:
    from opendata.publish.site import SiteSettings

SITE = "site"
PREVIEW_BASE_URL = "http://localhost:8000/"  # where `opendata serve` shows a preview
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
_MEDIA = {"csv": ("text/csv", "CSV"), "txt": ("text/plain", "TXT"),
          "json": ("application/json", "JSON"), "zip": ("application/zip", "ZIP"),
          "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
          "sqlite": ("application/vnd.sqlite3", "SQLite")}


class NoBaseUrl(OpendataError):
    """Raised when a publish that is not a preview has no public base URL to write."""


class WorkerStopped(OpendataError):
    """Raised when a worker process of a publish ended before its task did (killed)."""


class ChangedMeanwhile(OpendataError):
    """Raised when the package changed while its outputs were made from it."""


@dataclass(frozen=True)
class Published:
    site: Path
    exports: list[Path]
    publication: Publication
    preview: bool = False
    notes: list[str] = field(default_factory=list)  # what the user should know, one line each


@dataclass(frozen=True)
class Settings:
    """How to publish: where the site will live, and who owns the dataset on a CKAN portal."""

    base_url: str
    preview: bool = False
    ckan_owner_org: str | None = None
    portal: Portal = field(default_factory=Portal)


def publish(project: Project, base_url: str | None = None,
            announce: Callable[[str], None] | None = None, *,
            preview: bool = False, ckan_owner_org: str | None = None) -> Published:
    """Write ``site/`` and the exports in ``dist/`` for the project's validated package,
    all in one transaction. Raises NotBuilt when the package has not been built, NoBaseUrl
    when there is no public base URL and ``preview`` is false."""
    project.built_descriptor()
    settings = publish_settings(project, base_url, preview, ckan_owner_org)
    with locked(project.root, announce=announce):
        transaction = Transaction(project.root)
        try:
            return _publish(project, settings, transaction)
        finally:
            transaction.abandon()


def publish_settings(project: Project, base_url: str | None = None, preview: bool = False,
                     ckan_owner_org: str | None = None) -> Settings:
    """The settings of a publish: the arguments, else curation/package.yaml. A preview is made
    for ``PREVIEW_BASE_URL`` unless given a base URL; any other publish needs a public one."""
    from opendata.config import read_config

    config = read_config(project)
    owner = ckan_owner_org or config.get("ckan_owner_org")
    owner = str(owner) if owner else None
    portal = Portal.of(config.data)
    if preview:
        return Settings(base_url or PREVIEW_BASE_URL, True, owner, portal)
    chosen = base_url or config.get("base_url")
    where = "--base-url" if base_url else f"base_url in {project.relative(project.package_config)}"
    if not chosen:
        raise NoBaseUrl("no base URL to publish for: set base_url in "
                        f"{project.relative(project.package_config)} or pass --base-url URL "
                        "(the address the site will live at); pass --preview for a local look")
    parts = urlsplit(str(chosen))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NoBaseUrl(f"{where} is {chosen!r}, not an absolute http(s) URL; give the address "
                        "the site will live at, e.g. https://data.example.org/work-report-2024/")
    if parts.hostname in LOCAL_HOSTS or parts.hostname.endswith(".localhost"):
        raise NoBaseUrl(f"{where} is {chosen}, a local address: portals and citations would "
                        "point at it; pass --base-url with the site's public URL, or --preview "
                        "to publish a local preview")
    return Settings(str(chosen), False, owner, portal)


def _publish(project: Project, settings: Settings, transaction: Transaction) -> Published:
    try:  # the run's temporary folder, cleaned by the next run if this one is killed
        with scratch(project.root) as temporary, worker_pool(2) as pool:
            # the verdict and the exports in worker processes, the site here, all at once;
            # a package found valid as it is now, by the build above all, is not validated
            # again (check.verdict)
            trusted = verdict.kept(project)
            checked = None if trusted else pool.submit(_problems, project)
            try:
                exports, files, publication = _outputs(project, settings, pool, temporary)
            finally:  # an invalid package is reported as such, whatever else failed meanwhile
                problems, valid = checked.result() if checked is not None else ([], None)
                if problems:
                    raise InvalidData(problems)
    except BrokenProcessPool as error:  # killed by a signal, or by the system out of memory
        raise WorkerStopped("publish: a worker process was stopped before it finished; "
                            "nothing was published") from error
    fault("outputs")
    # the outputs were read from the package as it was validated (or as its kept verdict
    # covers it) only if it is the same now: a file edited meanwhile is not published (a
    # package that can have no verdict, one that refers to a URL, say, is not compared)
    if verdict.of(project.descriptor, project) != (trusted or valid):
        raise ChangedMeanwhile("publish: the package changed while it was being published; "
                               "nothing was published: run `opendata publish` again")
    verdict.keep(transaction, valid)
    transaction.write_folder(SITE, files)
    for name, content in exports.items():
        transaction.write(f"dist/{name}", content)
    transaction.commit()
    notes = [] if settings.ckan_owner_org else [
        f"{SITE}/ckan.json has no owner_org, which a default CKAN requires: pass "
        "--ckan-owner-org ORG or set ckan_owner_org in "
        f"{project.relative(project.package_config)}"]
    return Published(project.root / SITE, [project.root / "dist" / n for n in exports],
                     publication, settings.preview, notes)


def _problems(project: Project) -> tuple[list[Problem], str | None]:
    """Every problem of the package when it is not valid, else none, and the package's
    verdict when it is valid: what lets the outputs be published."""
    from opendata.check import validate

    report, valid = verdict.judged(project.descriptor, project,
                                   lambda: validate(project.descriptor, project))
    return [] if report.valid else report.problems, valid


def _outputs(project: Project, settings: Settings, pool: Executor,
             temporary: Path) -> tuple[dict[str, bytes], dict[str, bytes], Publication]:
    """The exports in ``dist/`` by name, and the site's files by path.

    The exports are made in ``pool`` (with ``temporary`` to write in) while the pages that do
    not list them are rendered here; then the landing pages and the portal metadata list
    every download with its size and checksum.
    """
    package = PublishedPackage.open(project.descriptor)
    descriptor = package.descriptor
    log = (project.root / "CHANGELOG.md")
    log_text = log.read_text(encoding="utf-8") if log.exists() else ""
    publication = Publication(descriptor, settings.base_url,
                              changelog.release_date(log_text, str(descriptor["version"])),
                              portal=settings.portal)
    # the worker reads the package itself: nothing this process changes is handed over
    exported = pool.submit(_exports, project, publication.base_url, publication.release_date,
                           temporary)
    # the site's libraries (jinja2, markdown-it, babel) are imported once the exporter is
    # forked: it does not carry them, and imports its own meanwhile
    from opendata.publish.site import Site

    files = _package_downloads(project, descriptor, publication)
    site = Site(publication, package, _site_settings(project))
    site.render_pages()
    exports = exported.result()
    files.update(_export_downloads(exports, publication))
    site.render_landing(log_text)
    files.update(site.files)
    files.update(_portal_files(publication, settings.ckan_owner_org))
    return exports, files, publication


def _exports(project: Project, base_url: str, released: str | None,
             temporary: Path) -> dict[str, bytes]:
    """The release zip, XLSX, SQLite and Datasette metadata of the current version, for a
    site at ``base_url``, released on ``released``; the database is written in the folder
    ``temporary``."""
    from opendata.publish import sqlite, xlsx
    from opendata.publish.tabular import typed_tables
    from opendata.release import archive_files
    from opendata.release.archive import read_zip, write_zip
    from opendata.release.history import record_path
    from opendata.versions import Version

    package = PublishedPackage.open(project.descriptor)
    facts, descriptor = PackageFacts.of(package.descriptor, base_url, released), package.descriptor
    tables = typed_tables(package)
    stem = f"{facts.name}-{facts.version}"
    record = record_path(project, facts.name, Version.parse(facts.version))
    # the recorded release's files when it is recorded, laid out as every release zip is now
    archive = write_zip(read_zip(record) if record.exists()
                        else archive_files(project.root, descriptor))
    name = sqlite.database_name(facts)  # no version and no dot: Datasette links by this name
    database = temporary / f"{name}.sqlite"
    sqlite.database(descriptor, tables, database)
    database_bytes = database.read_bytes()
    metadata = sqlite.datasette_metadata(facts, name)
    return {facts.archive_name: archive, f"{stem}.xlsx": xlsx.workbook(facts, tables),
            f"{name}.sqlite": database_bytes,
            "metadata.json": (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode()}


def _package_downloads(project: Project, descriptor: dict,
                       publication: Publication) -> dict[str, bytes]:
    """The package's own files as downloads: the descriptor, the tables and the source."""
    files = {f"{DOWNLOADS}/datapackage.json": project.descriptor.read_bytes()}
    publication.downloads.append(_download("datapackage", "datapackage.json",
                                           files[f"{DOWNLOADS}/datapackage.json"],
                                           *_EXPORTS["datapackage"]))
    source = descriptor["sources"][0]
    for resource in descriptor["resources"]:
        content = (project.root / resource["path"]).read_bytes()
        files[f"{DOWNLOADS}/{resource['path']}"] = content
        if "schema" in resource:
            label, about = pair(resource, "title"), pair(resource, "description")
            texts = (label["zh-Hans"] or resource["name"], label["en"] or resource["name"],
                     about["zh-Hans"], about["en"])
        else:  # the source text
            texts = (source.get("title_zh", resource["name"]), source.get("title_en", ""),
                     *_EXPORTS["source"][2:])
        publication.downloads.append(_download(resource["name"], resource["path"], content,
                                               *texts))
    return files


# Title and description in Chinese and English of each download that is no table.
_EXPORTS = {
    "datapackage": ("数据包描述文件", "Data package descriptor",
                    "Frictionless 数据包（Data Package v2）描述文件："
                    "各表的表结构、单位、许可与来源。",
                    "The Frictionless Data Package (v2) descriptor: each table's schema, the "
                    "units, the licence and the source."),
    "source": ("", "", "报告原文（报纸摘要版的 OCR 文本），每条引文及其行号均出自此文件。",
               "The report's text (OCR of the newspaper digest): every quote and its line "
               "number come from this file."),
    "zip": ("完整数据包（ZIP）", "Complete release archive (ZIP)",
            "本版本的数据表、描述文件与原文，附说明、许可、变更记录、引用信息（CITATION.cff）"
            "与 SHA256SUMS。",
            "This version's tables, descriptor and source text, with the README, licences, "
            "changelog, CITATION.cff and SHA256SUMS."),
    "xlsx": ("Excel 工作簿", "Excel workbook",
             "每表一个工作表，附数据字典与使用条款。",
             "One sheet per table, with a data dictionary and the terms of use."),
    "sqlite": ("SQLite 数据库", "SQLite database",
               "全部数据表及其外键，可用 Datasette 浏览。",
               "Every table with its foreign keys, ready to browse with Datasette."),
    "json": ("Datasette 元数据", "Datasette metadata",
             "SQLite 数据库的 Datasette 元数据：表与字段的标题、说明和单位。",
             "Datasette metadata for the SQLite database: titles, descriptions and units of "
             "the tables and columns."),
}


def _export_downloads(exports: dict[str, bytes], publication: Publication) -> dict[str, bytes]:
    """The exports as downloads, after the package's own files."""
    files = {}
    for name, content in exports.items():
        suffix = name.rsplit(".", 1)[1]
        files[f"{DOWNLOADS}/{name}"] = content
        key = "datasette-metadata" if name == "metadata.json" else suffix
        publication.downloads.append(_download(key, name, content, *_EXPORTS[suffix]))
    return files


def _download(name: str, path: str, content: bytes, *texts: str) -> Download:
    """A download of ``content`` at ``path``; ``texts``: title and description, each in
    Chinese then English."""
    media_type, form = _MEDIA[path.rsplit(".", 1)[1]]
    return Download.of(name, f"{DOWNLOADS}/{path}", content, media_type, form, *texts)


def _site_settings(project: Project) -> SiteSettings:
    """What the site shows beyond the package: settings of curation/package.yaml, and the
    changelog's translations (CHANGELOG.<language>.md beside CHANGELOG.md)."""
    from opendata.config import read_config
    from opendata.publish.common import LANGUAGES
    from opendata.publish.site import SiteSettings

    translated = {}
    for language in LANGUAGES:
        path = project.root / f"CHANGELOG.{language}.md"
        if path.exists():
            translated[language] = path.read_text(encoding="utf-8")
    return SiteSettings.of(read_config(project).data, translated)


def _portal_files(publication: Publication, ckan_owner_org: str | None) -> dict[str, bytes]:
    """The DCAT and CKAN metadata of the publication, with every download."""
    from opendata.publish import ckan, dcat

    return {"dcat.ttl": dcat.turtle(publication), "dcat.jsonld": dcat.jsonld(publication),
            "ckan.json": (json.dumps(ckan.package_create(publication, ckan_owner_org),
                                     ensure_ascii=False, indent=2) + "\n").encode()}
