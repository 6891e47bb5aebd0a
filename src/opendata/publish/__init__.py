"""``opendata publish``: the static site, portal metadata and researcher exports.

One run loads the validated package, stages every output, and only then replaces ``site/``
and the exports in ``dist/``, together (see ``transaction``).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from opendata import changelog
from opendata.exceptions import InvalidData
from opendata.package import PublishedPackage
from opendata.paths import Project
from opendata.publish.common import DOWNLOADS, Download, Publication
from opendata.transaction import Transaction, locked

SITE = "site"
DEFAULT_BASE_URL = "http://localhost:8000/"
_MEDIA = {"csv": ("text/csv", "CSV"), "txt": ("text/plain", "TXT"),
          "json": ("application/json", "JSON"), "zip": ("application/zip", "ZIP"),
          "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
          "sqlite": ("application/vnd.sqlite3", "SQLite")}


@dataclass(frozen=True)
class Published:
    site: Path
    exports: list[Path]
    publication: Publication


def publish(project: Project, base_url: str | None = None, announce=None) -> Published:
    """Write ``site/`` and the exports in ``dist/`` for the project's validated package,
    all in one transaction."""
    with locked(project.root, announce=announce):
        transaction = Transaction(project.root)
        try:
            return _publish(project, base_url, transaction)
        finally:
            transaction.abandon()


def _publish(project: Project, base_url: str | None, transaction: Transaction) -> Published:
    from opendata.validate import validate

    report = validate(project.descriptor, project)
    if not report.valid:
        raise InvalidData(report.problems)
    package = PublishedPackage.open(project.descriptor)
    descriptor = package.descriptor
    log = (project.root / "CHANGELOG.md")
    log_text = log.read_text(encoding="utf-8") if log.exists() else ""
    publication = Publication(descriptor, base_url or _base_url(project),
                              changelog.release_date(log_text, str(descriptor["version"])))
    exports = _exports(project, descriptor, publication)
    files = _downloads(project, descriptor, exports, publication)
    files.update(_pages(publication, package, log_text))
    for path, content in files.items():
        staged = transaction.staged(f"{SITE}/{path}")
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(content)
    transaction.add(SITE)
    for name, content in exports.items():
        transaction.write(f"dist/{name}", content)
    transaction.commit()
    return Published(project.root / SITE, [project.root / "dist" / n for n in exports],
                     publication)


def _base_url(project: Project) -> str:
    from opendata.config import read_config

    return str(read_config(project).get("base_url") or DEFAULT_BASE_URL)


def _exports(project: Project, descriptor: dict, publication: Publication) -> dict[str, bytes]:
    """The release zip, XLSX, SQLite and Datasette metadata of the current version."""
    from opendata.archive import write_zip
    from opendata.publish import sqlite, xlsx
    from opendata.release import archive_files
    from opendata.releases import record_path
    from opendata.versions import Version

    stem = f"{descriptor['name']}-{descriptor['version']}"
    record = record_path(project, descriptor["name"], Version.parse(descriptor["version"]))
    archive = record.read_bytes() if record.exists() else write_zip(
        archive_files(project.root, descriptor), stem)
    with tempfile.TemporaryDirectory() as temporary:
        database = Path(temporary) / f"{stem}.sqlite"
        sqlite.database(descriptor, project.root, database)
        database_bytes = database.read_bytes()
    metadata = sqlite.datasette_metadata(descriptor, stem)
    source = next(r for r in descriptor["resources"] if "schema" not in r)
    metadata["source_url"] = publication.url(f"{DOWNLOADS}/{source['path']}")
    return {f"{stem}.zip": archive, f"{stem}.xlsx": xlsx.workbook(descriptor, project.root),
            f"{stem}.sqlite": database_bytes,
            "metadata.json": (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode()}


def _downloads(project: Project, descriptor: dict, exports: dict[str, bytes],
               publication: Publication) -> dict[str, bytes]:
    files = {f"{DOWNLOADS}/datapackage.json": project.descriptor.read_bytes()}
    publication.downloads.append(_download("datapackage", "datapackage.json",
                                           files[f"{DOWNLOADS}/datapackage.json"],
                                           "数据包描述文件", "Data package descriptor"))
    source = descriptor["sources"][0]
    for resource in descriptor["resources"]:
        content = (project.root / resource["path"]).read_bytes()
        files[f"{DOWNLOADS}/{resource['path']}"] = content
        if "schema" in resource:
            titles = (_translated(resource.get("title", resource["name"])),
                      resource.get("title", resource["name"]))
        else:  # the source text
            titles = (source.get("title_zh", resource["name"]), source.get("title_en", ""))
        publication.downloads.append(_download(resource["name"], resource["path"], content,
                                               *titles))
    titles = {"zip": ("完整数据包（ZIP）", "Complete release archive (ZIP)"),
              "xlsx": ("Excel 工作簿", "Excel workbook"), "sqlite": ("SQLite 数据库", "SQLite database"),
              "json": ("Datasette 元数据", "Datasette metadata")}
    for name, content in exports.items():
        suffix = name.rsplit(".", 1)[1]
        files[f"{DOWNLOADS}/{name}"] = content
        key = "datasette-metadata" if name == "metadata.json" else suffix
        publication.downloads.append(_download(key, name, content, *titles[suffix]))
    return files


def _translated(english: str) -> str:
    from opendata.publish.site import translations

    return translations("zh-Hans").gettext(english)


def _download(name: str, path: str, content: bytes, title_zh: str, title_en: str) -> Download:
    media_type, form = _MEDIA[path.rsplit(".", 1)[1]]
    return Download.of(name, f"{DOWNLOADS}/{path}", content, media_type, form, title_zh, title_en)


def _pages(publication: Publication, package: PublishedPackage, log_text: str) -> dict[str, bytes]:
    from opendata.publish import ckan, dcat, site

    files = site.render(publication, package, log_text)
    files["dcat.ttl"] = dcat.turtle(publication)
    files["dcat.jsonld"] = dcat.jsonld(publication)
    files["ckan.json"] = (json.dumps(ckan.package_create(publication), ensure_ascii=False,
                                     indent=2) + "\n").encode()
    return files
