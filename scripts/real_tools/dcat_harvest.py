"""Harvest site/dcat.ttl with ckanext-dcat's own DCAT-AP 3 profile, and compare with ckan.json.

Run with the Python of a venv where CKAN and ckanext-dcat are installed. The parser is the one
a DCAT harvester runs (``RDFParser`` with the ``euro_dcat_ap_3`` profile, CKAN's default
language English). The harvested dataset must have CKAN's licence ``cc-by`` (whatever the
payload says), and title, notes, licence, tags, language, spatial, temporal and resource URLs
equal to what site/ckan.json posts. ckan.json keeps languages, dates and the dataset IRI in
extras named apart from ckanext-dcat's schema fields (``language_iris`` for ``language``);
the comparison reads them under those names. Also checks that no extra of ckan.json is named
like a field of ckanext-dcat's DCAT-AP scheming schemas, and that the project's table of
CKAN licence titles is the register of this CKAN. Prints one line per check; exits 1 on any
difference.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import yaml
from ckan.model.license import LicenseRegister
from ckanext.dcat.processors import RDFParser

PROFILE = "euro_dcat_ap_3"
# ckan.json extra → the extra the plain ckanext-dcat profiles harvest the same value into
HARVESTED_AS = {"language_iris": "language", "temporal_start": "temporal_start",
                "temporal_end": "temporal_end", "spatial_text": "spatial_text",
                "dataset_iri": "uri"}


def harvested(turtle: str) -> dict:
    parser = RDFParser(profiles=[PROFILE])
    parser.parse(turtle, _format="turtle")
    datasets = list(parser.datasets())
    if len(datasets) != 1:
        raise SystemExit(f"FAIL ckanext-dcat {version('ckanext-dcat')}: {len(datasets)} "
                         "datasets harvested, expected 1")
    return datasets[0]


def differences(harvest: dict, payload: dict) -> list[str]:
    found = []
    for key in ("title", "notes", "license_id"):
        if harvest.get(key) != payload.get(key):
            found.append(f"{key}: harvested {harvest.get(key)!r}, posted {payload.get(key)!r}")
    tags = sorted(t["name"] for t in harvest.get("tags", []))
    if tags != sorted(t["name"] for t in payload["tags"]):
        found.append(f"tags: harvested {tags}, posted {sorted(t['name'] for t in payload['tags'])}")
    got = {e["key"]: e["value"] for e in harvest.get("extras", [])}
    posted = {e["key"]: e["value"] for e in payload["extras"]}
    for ours, theirs in HARVESTED_AS.items():
        mine, harvested_value = posted.get(ours), got.get(theirs)
        if ours == "language_iris":
            mine = sorted(json.loads(mine or "[]"))
            harvested_value = sorted(json.loads(harvested_value or "[]"))
        if mine != harvested_value or not mine:
            found.append(f"{ours}: harvested as {theirs} {harvested_value!r}, posted {mine!r}")
    urls = sorted(r["url"] for r in harvest.get("resources", []))
    if urls != sorted(r["url"] for r in payload["resources"]):
        found.append("resource URLs differ")
    return found


def schema_fields() -> set[str]:
    """Every dataset field name of ckanext-dcat's DCAT-AP scheming schemas."""
    names = set()
    for schema in files("ckanext.dcat.schemas").iterdir():
        if schema.name.startswith("dcat_ap") and schema.name.endswith(".yaml"):
            fields = yaml.safe_load(schema.read_text(encoding="utf-8")).get("dataset_fields", [])
            names |= {f["field_name"] for f in fields}
    return names


def main(turtle_path: str, payload_path: str, licences_json: str) -> int:
    payload = json.loads(Path(payload_path).read_text(encoding="utf-8"))
    harvest = harvested(Path(turtle_path).read_text(encoding="utf-8"))
    name = f"ckanext-dcat {version('ckanext-dcat')} ({PROFILE})"
    failures = 0
    if harvest.get("license_id") != "cc-by":
        print(f"FAIL {name}: harvested licence {harvest.get('license_id')!r}, not cc-by")
        failures += 1
    found = differences(harvest, payload)
    clashes = sorted({e["key"] for e in payload["extras"]} & schema_fields())
    if clashes:
        found.append(f"extras named like DCAT-AP schema fields: {', '.join(clashes)}")
    register = {key: licence.title for key, licence in LicenseRegister().items()}
    for spdx, (ckan_id, title) in json.loads(licences_json).items():
        if register.get(ckan_id) != title:
            found.append(f"licence {spdx}: CKAN's register titles {ckan_id} "
                         f"{register.get(ckan_id)!r}, the project says {title!r}")
    for difference in found:
        print(f"FAIL {name}: {difference}")
    if found or failures:
        return 1
    print(f"ok   {name}: harvested licence cc-by; title, notes, licence, "
          f"{len(harvest['tags'])} tags, language, spatial, temporal and "
          f"{len(harvest['resources'])} resource URLs equal ckan.json's; no extra clashes with "
          "the DCAT-AP schema fields")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
