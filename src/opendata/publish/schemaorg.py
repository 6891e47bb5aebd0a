"""schema.org ``Dataset`` JSON-LD embedded in each language's pages, for dataset search engines.

Each language's landing page carries its own record, with its own ``@id`` (the page's
``#dataset``): one ``@id`` never names two different things. The two point to each other with
``sameAs``; other pages describe themselves as a ``WebPage`` about the record of their language.
``inLanguage`` lists both languages because it describes the dataset, bilingual throughout, not
the page that embeds it. The report is ``isBasedOn`` (the dataset is derived from it), not
``citation``, which names works to cite besides the dataset.
"""

from __future__ import annotations

from opendata.publish.common import LANGUAGES, Download, Publication
from opendata.publish.facts import LANDING_PAGES, Period, Place, Source


def dataset_id(publication: Publication, language: str) -> str:
    """The ``@id`` of the Dataset record of ``language``'s landing page: one per language,
    as each names the dataset in its own language."""
    return publication.facts.landing_page(language) + "#dataset"


def dataset(publication: Publication, language: str, variables: list[dict] | None = None,
            report_url: str | None = None) -> dict:
    """The Dataset for the page in ``language`` ("zh-Hans" or "en"): name, description, keywords
    and names of agents and places in that language, ``alternateName`` in the other, every URL
    absolute; properties the package has no value for are left out.

    ``variables`` are the measured indicators (``variableMeasured``), ``report_url`` the
    official report's address when it is known."""
    if language not in LANDING_PAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANDING_PAGES)}")
    other = next(candidate for candidate in LANGUAGES if candidate != language)
    facts = publication.facts
    record = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": dataset_id(publication, language),
        "sameAs": dataset_id(publication, other),
        "name": facts.title(language),
        "alternateName": facts.title(other),
        "description": facts.description(language),
        "url": facts.landing_page(language),
        "identifier": facts.identifier,
        "version": facts.version,
        "license": facts.licence.url,
        "isAccessibleForFree": True,
        "inLanguage": list(facts.languages),
        "keywords": facts.keywords[language],
        "creator": _organization(facts.creator),
        "publisher": _organization(facts.publisher),
        "datePublished": facts.released,
        "dateModified": facts.modified,
        "temporalCoverage": _interval(facts.temporal),
        "spatialCoverage": _place(facts.spatial, language),
        "isBasedOn": _report(facts.source, language, report_url),
        "variableMeasured": variables,
        "distribution": [_download(d, publication, language) for d in publication.downloads],
    }
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _organization(name: str) -> dict | None:
    return {"@type": "Organization", "name": name} if name else None


def _interval(period: Period | None) -> str | None:
    """An ISO 8601 interval; an open end is ``..`` (ISO 8601-2)."""
    if not period:
        return None
    return f"{period.start or '..'}/{period.end or '..'}"


def _place(place: Place | None, language: str) -> dict | None:
    if not place:
        return None
    record = {"@type": "Place", "name": place.name(language)}
    if place.admin_code:
        record["identifier"] = place.admin_code
    return record


def page(publication: Publication, language: str, name: str, path: str) -> dict:
    """A lighter record for a page that is part of the dataset's site (a table, the source)."""
    if language not in LANDING_PAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANDING_PAGES)}")
    return {"@context": "https://schema.org", "@type": "WebPage", "name": name,
            "url": publication.url(path), "inLanguage": language,
            "about": {"@id": dataset_id(publication, language)},
            "isPartOf": {"@type": "WebSite",
                         "url": publication.facts.landing_page(language)}}


def _report(source: Source | None, language: str, url: str | None = None) -> dict | None:
    if not source:
        return None
    report: dict = {"@type": "Report", "name": source.title(language)}
    if url:
        report["url"] = url
    if source.publisher(language):
        report["publisher"] = _organization(source.publisher(language))
    if source.date:
        report["datePublished"] = source.date
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
