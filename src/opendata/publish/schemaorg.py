"""schema.org ``Dataset`` JSON-LD embedded in each language's pages, for dataset search engines.

Both languages' records share the ``@id`` of the DCAT dataset: one dataset, two landing pages.
``inLanguage`` lists both languages because it describes the dataset, bilingual throughout, not
the page that embeds it. The report is ``isBasedOn`` (the dataset is derived from it), not
``citation``, which names works to cite besides the dataset.
"""

from __future__ import annotations

from opendata.publish.common import (LANGUAGES, Download, Publication, agents, in_languages,
                                     keywords, licence)

PAGES = {"zh-Hans": "zh/", "en": "en/"}  # each language's landing page on the site


def dataset(publication: Publication, language: str) -> dict:
    """The Dataset for the page in ``language`` ("zh-Hans" or "en"): name, description, keywords
    and names of agents and places in that language, ``alternateName`` in the other, every URL
    absolute; properties the descriptor has no value for are left out."""
    if language not in PAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(PAGES)}")
    other = next(candidate for candidate in LANGUAGES if candidate != language)
    descriptor = publication.descriptor
    record = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": publication.url("#dataset"),
        "name": publication.text("title", language),
        "alternateName": publication.text("title", other),
        "description": publication.text("description", language),
        "url": publication.url(PAGES[language]),
        "identifier": descriptor.get("id") or descriptor["name"],
        "version": publication.version,
        "license": licence(descriptor)["path"],
        "isAccessibleForFree": True,
        "inLanguage": list(LANGUAGES),
        "keywords": keywords(descriptor)[language],
        "creator": _organization({None: agents(descriptor, "creator")}, language),
        "publisher": _organization({None: agents(descriptor, "publisher")}, language),
        "datePublished": publication.release_date,
        "dateModified": descriptor.get("created"),
        "temporalCoverage": _interval(descriptor.get("temporal")),
        "spatialCoverage": _place(descriptor.get("spatial"), language),
        "isBasedOn": _report((descriptor.get("sources") or [None])[0], language),
        "distribution": [_download(d, publication, language) for d in publication.downloads],
    }
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _in(names: dict[str | None, str], language: str) -> str:
    """The text of ``names`` in ``language``, or its only text."""
    return names.get(language) or names.get(None) or ""


def _organization(names: dict[str | None, str], language: str) -> dict:
    return {"@type": "Organization", "name": _in(names, language)}


def _interval(temporal: dict | None) -> str | None:
    """An ISO 8601 interval; an open end is ``..`` (ISO 8601-2)."""
    if not temporal:
        return None
    return f"{temporal.get('start') or '..'}/{temporal.get('end') or '..'}"


def _place(spatial: dict | None, language: str) -> dict | None:
    if not spatial:
        return None
    name = spatial.get("name_zh") if language == "zh-Hans" else None
    place = {"@type": "Place", "name": name or spatial["name"]}
    if spatial.get("admin_code"):
        place["identifier"] = str(spatial["admin_code"])
    return place


def _report(source: dict | None, language: str) -> dict | None:
    if not source:
        return None
    report = {"@type": "Report", "name": _in(in_languages(source, "title"), language)}
    if source.get("publisher"):
        report["publisher"] = _organization(in_languages(source, "publisher"), language)
    if source.get("date"):
        report["datePublished"] = str(source["date"])
    return report


def _download(download: Download, publication: Publication, language: str) -> dict:
    return {
        "@type": "DataDownload",
        "name": download.title(language),
        "contentUrl": publication.url(download.path),
        "encodingFormat": download.media_type,
        "contentSize": f"{download.bytes} B",
        "sha256": download.sha256,
    }
