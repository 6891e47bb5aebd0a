"""The CKAN ``package_create`` payload of a publication (``ckanapi action package_create -I``).

Core fields hold English, the portal's default; Chinese title and description go to extras, so
a plain CKAN accepts the payload and ckanext-fluent or scheming can pick them up. Extras and
resource fields use ckanext-dcat's names (``temporal_start``, ``spatial_text``, ``hash_algorithm``,
…), so a DCAT harvest of the same portal reads them back. The caller adds ``owner_org``.
"""

from __future__ import annotations

import json
import re

from opendata.exceptions import OpendataError
from opendata.publish.common import Download, Publication, agents, keywords, licence
from opendata.publish.dcat import SPDX

# SPDX licence id (the descriptor's ``licenses[].name``) → CKAN's default licence register.
LICENSE_IDS = {"CC-BY-4.0": "cc-by", "CC-BY-SA-4.0": "cc-by-sa", "CC0-1.0": "cc-zero",
               "ODbL-1.0": "odc-odbl", "ODC-By-1.0": "odc-by", "PDDL-1.0": "odc-pddl"}
NAME_LENGTH = (2, 100)  # CKAN limits for package names and tags alike
TAG_LENGTH = (2, 100)


def package_create(publication: Publication) -> dict:
    """A payload CKAN's default ``package_create`` schema accepts: a valid name and tags, a known
    licence id, string-valued extras and one resource per download with an absolute URL."""
    descriptor = publication.descriptor
    return {
        "name": package_name(descriptor["name"]),
        "title": publication.text("title", "en"),
        "notes": publication.text("description", "en"),
        "version": publication.version,
        "license_id": _license_id(descriptor),
        "url": publication.url(""),
        "author": agents(descriptor, "creator"),
        "tags": [{"name": tag} for tag in dict.fromkeys(map(tag_name, keywords(descriptor)["en"]))
                 if tag],
        "extras": [{"key": key, "value": value} for key, value in _extras(publication).items()],
        "resources": [_resource(download, publication) for download in publication.downloads],
    }


def package_name(name: str) -> str:
    """``name`` as a CKAN package name: lowercase ASCII letters, digits, ``-`` and ``_``."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")[:NAME_LENGTH[1]]
    if len(slug) < NAME_LENGTH[0]:
        raise OpendataError(f"datapackage.json: name {name!r} gives no CKAN package name")
    return slug


def tag_name(keyword: str) -> str:
    """``keyword`` as a CKAN tag (word characters, spaces, ``-``, ``_``, ``.``); empty when
    nothing of it is left or it is too short."""
    tag = re.sub(r"\s+", " ", re.sub(r"[^\w .-]", " ", keyword)).strip()[:TAG_LENGTH[1]]
    return tag if len(tag) >= TAG_LENGTH[0] else ""


def _license_id(descriptor: dict) -> str:
    name = licence(descriptor).get("name", "")
    if name not in LICENSE_IDS:
        raise OpendataError(f"licence {name!r} has no CKAN licence id: add it to LICENSE_IDS")
    return LICENSE_IDS[name]


def _extras(publication: Publication) -> dict[str, str]:
    """String-valued extras, none named like a core CKAN field."""
    descriptor = publication.descriptor
    spatial, temporal = descriptor.get("spatial", {}), descriptor.get("temporal", {})
    source = (descriptor.get("sources") or [{}])[0]
    extras = {
        "title_zh": publication.text("title", "zh-Hans"),
        "notes_zh": publication.text("description", "zh-Hans"),
        "identifier": descriptor.get("id") or descriptor["name"],
        "uri": publication.url("#dataset"),
        "language": json.dumps(descriptor.get("languages", [])),
        "publisher_name": agents(descriptor, "publisher"),
        "issued": publication.release_date,
        "modified": descriptor.get("created"),
        "temporal_start": temporal.get("start"),
        "temporal_end": temporal.get("end"),
        "spatial_text": spatial.get("name"),
        "spatial_text_zh": spatial.get("name_zh"),
        "spatial_admin_code": spatial.get("admin_code"),
        "source": source.get("title"),
        "source_publisher": source.get("publisher"),
        "source_date": source.get("date"),
    }
    return {key: str(value) for key, value in extras.items() if value}


def _resource(download: Download, publication: Publication) -> dict:
    return {
        "name": download.title_en,
        "name_zh": download.title_zh,
        "url": publication.url(download.path),
        "format": download.format,
        "mimetype": download.media_type,
        "size": download.bytes,
        "hash": download.sha256,
        "hash_algorithm": str(SPDX.checksumAlgorithm_sha256),
    }
