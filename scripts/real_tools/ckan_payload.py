"""Validate site/ckan.json with CKAN's own ``default_create_package_schema``.

Run with the Python of a venv where CKAN is installed (scripts/real-tools-check.sh makes one).
CKAN's schema is used as CKAN builds it. Two of its validators ask the database: whether the
package name is taken (on a fresh portal it is not) and whether the owner organisation exists
and the user may create in it. Those two are replaced by what they check of the payload itself:
the name is checked by CKAN's own ``name_validator`` beside it, and ``owner_org`` must be given
(a default CKAN refuses a dataset without one). Prints one line; exits 1 when CKAN refuses.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

from ckan.lib.navl.dictization_functions import Invalid, missing, validate
from ckan.logic.schema import default_create_package_schema


def _name_is_free(value, context):
    return value  # a fresh portal: no package holds the name yet


def _owner_org_given(value, context):
    if value is missing or not value:
        raise Invalid("An organization must be provided")
    return value


def schema() -> dict:
    """CKAN's schema with the two database lookups replaced."""
    created = default_create_package_schema()
    replaced = {"package_name_validator": _name_is_free, "owner_org_validator": _owner_org_given}
    for key, validators in created.items():
        if isinstance(validators, list):
            created[key] = [replaced.get(getattr(v, "__name__", ""), v) for v in validators]
    return created


def main(path: str) -> int:
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    data, errors = validate(payload, schema(), {"model": None, "session": None, "user": ""})
    tags = [tag["name"] for tag in data.get("tags", [])]
    chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in tag) for tag in tags)
    if errors:
        print(f"FAIL ckan {version('ckan')}: default_create_package_schema refuses ckan.json: "
              f"{json.dumps(errors, ensure_ascii=False)}")
        return 1
    if "owner_org" not in payload:
        print(f"FAIL ckan {version('ckan')}: ckan.json has no owner_org")
        return 1
    print(f"ok   ckan {version('ckan')}: default_create_package_schema accepts ckan.json "
          f"(owner_org {data['owner_org']}, licence {data['license_id']}, {len(tags)} tags of "
          f"which {chinese} Chinese, {len(data['extras'])} extras, "
          f"{len(data['resources'])} resources)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
