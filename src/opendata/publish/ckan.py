"""The CKAN ``package_create`` payload of a publication (``ckanapi action package_create -I``).

Core fields hold English, the portal's default; Chinese title and description go to extras, so
a plain CKAN accepts the payload and ckanext-fluent or scheming can pick them up. Tags carry
the keywords in both languages (CKAN's tag rule admits Chinese). A default CKAN refuses a
dataset without an organisation, so ``owner_org`` is set from ``--ckan-owner-org`` or the
``ckan_owner_org`` setting.

Extras use ckanext-dcat's names where its plain (non-scheming) profiles read one
(``temporal_start``, ``spatial_text``, …), so a DCAT harvest of the site's ``dcat.ttl`` gives the
same values, and no extra is named like a field of ckanext-dcat's DCAT-AP scheming schema
(``identifier``, ``uri``, ``language``, ``issued``, ``modified``, ``source``, …): CKAN with that
schema refuses such an extra. The dataset IRI, languages and dates go under names of their own.
"""

from __future__ import annotations

import json
import re
from typing import Any

from opendata.exceptions import OpendataError
from opendata.publish.common import Download, Publication
from opendata.publish.dcat import SPDX, frequency_iri, is_email, language_iri, theme_iri

NAME_LENGTH = (2, 100)  # CKAN limits for package names and tags alike
TAG_LENGTH = (2, 100)


def package_create(publication: Publication, owner_org: str | None = None) -> dict:
    """A payload CKAN's default ``package_create`` schema accepts: a valid name and tags, a known
    licence id, the owning organisation, string-valued extras and one resource per download
    with an absolute URL."""
    facts = publication.facts
    payload: dict[str, Any] = {
        "name": package_name(facts.name),
        "title": facts.title.en,
        "notes": facts.description.en,
        "version": facts.version,
        "license_id": facts.licence.ckan_id,
        "url": facts.url(""),
        "author": facts.agent("creator"),
    }
    contact = publication.portal.contact
    if contact and is_email(contact):  # a URL has no core field: it goes to contact_uri
        payload["maintainer"] = facts.agent("publisher")
        payload["maintainer_email"] = contact
    if owner_org:
        payload["owner_org"] = owner_org
    words = [word for language in facts.languages for word in facts.keywords.get(language, [])]
    payload["tags"] = [{"name": tag} for tag in dict.fromkeys(map(tag_name, words)) if tag]
    payload["extras"] = [{"key": key, "value": value} for key, value in extras(publication).items()]
    payload["resources"] = [_resource(download, publication) for download in publication.downloads]
    return payload


def package_name(name: str) -> str:
    """``name`` as a CKAN package name: lowercase ASCII letters, digits, ``-`` and ``_``."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")[:NAME_LENGTH[1]]
    if len(slug) < NAME_LENGTH[0]:
        raise OpendataError(f"datapackage.json: name {name!r} gives no CKAN package name")
    return slug


def tag_name(keyword: str) -> str:
    """``keyword`` as a CKAN tag (word characters of any script, spaces, ``-``, ``_``, ``.``);
    empty when nothing of it is left or it is too short."""
    tag = re.sub(r"\s+", " ", re.sub(r"[^\w .-]", " ", keyword)).strip()[:TAG_LENGTH[1]]
    return tag if len(tag) >= TAG_LENGTH[0] else ""


def extras(publication: Publication) -> dict[str, str]:
    """String-valued extras, none named like a core CKAN field or a ckanext-dcat schema field."""
    facts, portal = publication.facts, publication.portal
    source, spatial, temporal = facts.source, facts.spatial, facts.temporal
    values = {
        "title_zh": facts.title.zh,
        "notes_zh": facts.description.zh,
        "dataset_iri": facts.dataset_iri,
        "language_iris": json.dumps([language_iri(language) for language in facts.languages]),
        "publisher_name": facts.agent("publisher"),
        "release_date": facts.released,
        "build_date": facts.modified,
        "temporal_start": temporal.start if temporal else None,
        "temporal_end": temporal.end if temporal else None,
        "spatial_text": spatial.name.en if spatial else None,
        "spatial_text_zh": spatial.name.zh if spatial else None,
        "spatial_admin_code": spatial.admin_code if spatial else None,
        "source_title": source.title.en if source else None,
        "source_title_zh": source.title.zh if source else None,
        "source_publisher": source.publisher.en if source else None,
        "source_date": source.date if source else None,
        "citation": facts.citation("en"),
        "citation_zh": facts.citation("zh-Hans"),
        # the portal settings as DCAT gives them (ckanext-dcat's scheming schema has fields
        # named theme, frequency and contact, so the extras are named after what they hold)
        "theme_iris": json.dumps([theme_iri(t) for t in portal.themes]) if portal.themes
        else None,
        "frequency_iri": frequency_iri(portal.update_frequency),
        "contact_uri": portal.contact if portal.contact and not is_email(portal.contact)
        else None,
    }
    return {key: str(value) for key, value in values.items() if value}


def _resource(download: Download, publication: Publication) -> dict:
    return {
        "name": download.title_en,
        "name_zh": download.title_zh,
        "description": download.description_en,
        "description_zh": download.description_zh,
        "url": publication.url(download.path),
        "format": download.format,
        "mimetype": download.media_type,
        "size": download.bytes,
        "hash": download.sha256,
        "hash_algorithm": str(SPDX.checksumAlgorithm_sha256),
    }
