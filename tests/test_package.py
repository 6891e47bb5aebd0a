"""The published package of this repository, as a portal or researcher receives it."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SHARED_SOURCE, STANDARDS, run_cli, shared
from opendata.check import validate
from opendata.paths import Project

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text("utf-8"))


def standard(name: str) -> Path:
    return shared(STANDARDS / name)


def test_descriptor_follows_the_data_package_v2_profile():
    profile = json.loads(standard("datapackage-2.0-profile.json").read_text("utf-8"))
    jsonschema.validate(DESCRIPTOR, profile)
    assert DESCRIPTOR["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"


def test_descriptor_follows_the_profile_frictionless_ships():
    from frictionless import Package

    report = Package.validate_descriptor(DESCRIPTOR)
    assert report.valid, report.flatten(["type", "note"])
    jsonschema.validate(DESCRIPTOR, Package.metadata_profile)


def test_descriptor_metadata():
    assert DESCRIPTOR["name"] == DESCRIPTOR["name"].lower()
    assert DESCRIPTOR["languages"] == ["zh-Hans", "en"]
    assert [lic["name"] for lic in DESCRIPTOR["licenses"]] == ["CC-BY-4.0"]
    for key in ("version", "created", "title", "description", "sources", "contributors",
                "keywords", "temporal", "spatial"):
        assert DESCRIPTOR[key], key
    assert isinstance(DESCRIPTOR["title"], str) and isinstance(DESCRIPTOR["description"], str)


@pytest.mark.parametrize("resource", DESCRIPTOR["resources"], ids=lambda r: r["name"])
def test_every_resource_declares_encoding_bytes_and_lowercase_sha256(resource):
    content = (ROOT / resource["path"]).read_bytes()
    assert resource["encoding"] == "utf-8"
    assert resource["bytes"] == len(content)
    assert resource["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}"


def test_the_source_is_shipped_byte_identical():
    [shipped] = (ROOT / "data/source").glob("*.txt")
    assert shipped.read_bytes() == shared(SHARED_SOURCE / shipped.name).read_bytes()


def test_the_reference_validator_passes():
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", "datapackage.json"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_opendata_validate_passes_with_full_coverage():
    report = validate(ROOT / "datapackage.json", Project.at(ROOT))
    assert report.valid, report.render()


def test_the_published_files_are_what_the_curation_builds():
    result = run_cli("build", "--check", "--project", str(ROOT))
    assert result.exit_code == 0, result.output


def test_the_toolkit_names_no_report():
    config = json.loads((ROOT / "datapackage.json").read_text("utf-8"))
    names = {config["name"], config["title_zh"], config["spatial"]["name_zh"],
             *config["spatial"]["name"].split(", ")[:1]}
    names |= {word for word in config["name"].split("-") if not word.isdigit()}
    for path in (ROOT / "src/opendata").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".json"}:
            text = path.read_text("utf-8").lower()
            for name in names - {"report", "government", "work"}:
                assert name.lower() not in text, f"{path} names {name!r}"
