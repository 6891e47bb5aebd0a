"""CITATION.cff for a release, generated from the package descriptor."""

from __future__ import annotations

from datetime import date

import yaml


def citation(descriptor: dict, day: date) -> bytes:
    """The Citation File Format 1.2.0 record of the package at its version."""
    source = (descriptor.get("sources") or [{}])[0]
    record = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": descriptor.get("title"),
        "abstract": descriptor.get("description_en") or descriptor.get("description"),
        "version": descriptor.get("version"),
        "date-released": day.isoformat(),
        "license": [lic["name"] for lic in descriptor.get("licenses", []) if "name" in lic][0],
        "authors": [{"name": c.get("title")} for c in descriptor.get("contributors", [])],
        "keywords": descriptor.get("keywords", []),
        "references": [{
            "type": "report",
            "title": source.get("title"),
            "authors": [{"name": source.get("publisher")}],
            "date-published": source.get("date"),
        }],
    }
    if descriptor.get("homepage"):
        record["url"] = descriptor["homepage"]
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")
