"""CITATION.cff for a release, generated from the package's facts."""

from __future__ import annotations

from datetime import date

import yaml

from opendata.publish.common import DOWNLOADS
from opendata.publish.facts import PackageFacts


def citation(facts: PackageFacts, day: date, url: bool = True) -> bytes:
    """The Citation File Format 1.2.0 record of the package at its version; with the dataset's
    URL (the site root) unless ``url`` is false (no public base URL is set)."""
    record: dict = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": facts.title.en if facts.title.single else f"{facts.title.en} / {facts.title.zh}",
        "abstract": facts.description.en,
        "version": facts.version,
        "date-released": day.isoformat(),
        "license": facts.licence.id,
        "authors": [{"name": c.get("title")} for c in facts.descriptor.get("contributors", [])],
        "keywords": [word for words in facts.keywords.values() for word in words],
    }
    if url:
        record["url"] = facts.url("")
        record["repository-artifact"] = facts.url(f"{DOWNLOADS}/{facts.archive_name}")
    if facts.source:
        source = facts.source
        title = source.title.en if source.title.single \
            else f"{source.title.en} / {source.title.zh}"
        publisher = source.publisher.en if source.publisher.single \
            else f"{source.publisher.en} / {source.publisher.zh}"
        reference: dict = {"type": "report", "title": title, "authors": [{"name": publisher}]}
        if source.date:
            reference["date-published"] = source.date
        record["references"] = [reference]
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")
