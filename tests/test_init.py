"""opendata init: a new project from a report's text, that builds at once."""

from __future__ import annotations

import hashlib
from importlib.metadata import distribution
from pathlib import Path

import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from opendata.cli import cli
from opendata.curate.scaffold import reveal
from opendata.curate.script import is_traditional

ROOT = Path(__file__).resolve().parents[1]
ERQI = ROOT / "data" / "source" / "erqi-2024-government-work-report.zh.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
QINGSHAN = FIXTURES / "draft-qingshan-2025" / "report.zh.txt"
LINHE = FIXTURES / "draft-linhe-2025-traditional" / "report.zh-Hant.txt"


def run(*args: str, cwd: Path | None = None):
    return CliRunner().invoke(cli, [*args, *(["--project", str(cwd)] if cwd else [])],
                              catch_exceptions=False)


def test_init_copies_the_source_byte_identical_and_pins_its_hash(tmp_path):
    result = run("init", str(tmp_path / "x"), "--source", str(ERQI))
    assert result.exit_code == 0, result.output
    shipped = tmp_path / "x" / "data" / "source" / ERQI.name
    assert shipped.read_bytes() == ERQI.read_bytes()
    config = yaml.safe_load((tmp_path / "x" / "curation" / "package.yaml").read_text("utf-8"))
    assert config["source"]["sha256"] == hashlib.sha256(ERQI.read_bytes()).hexdigest()


def test_init_fills_in_what_the_text_reveals_and_marks_the_rest(tmp_path):
    run("init", str(tmp_path / "x"), "--source", str(ERQI))
    text = (tmp_path / "x" / "curation" / "package.yaml").read_text("utf-8")
    config = yaml.safe_load(text)
    assert config["spatial"]["name"] == "二七区"
    assert (config["report_year"], config["reviewed_year"]) == (2024, 2023)
    assert config["source"]["date"] == "2024-01-23"
    assert config["source"]["place"] == "二七区第十七届人民代表大会第四次会议"
    assert config["source"]["author"] == "虎荣鑫"
    assert "TODO" in text


def test_init_writes_schemas_readme_ci_and_an_untranslated_catalog(tmp_path):
    run("init", str(tmp_path / "x"), "--source", str(ERQI))
    root = tmp_path / "x"
    assert sorted(p.stem for p in (root / "schemas").glob("*.json")) == sorted(
        ["results", "targets", "projects", "honors", "indicators", "units"])
    readme = (root / "README.md").read_text("utf-8")
    assert readme.count("```sh") == 1 and "opendata build" in readme
    workflow = (root / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    assert "opendata validate" in workflow and "opendata release --check" in workflow
    catalog = (root / "locales" / "en" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    assert "[to translate]" in catalog


def test_the_projects_requirement_installs_this_toolkit(tmp_path):
    """``pip install -r requirements.txt`` (the README's and the workflow's first step) must
    install the distribution that gives the ``opendata`` command, at this version or later."""
    run("init", str(tmp_path / "x"), "--source", str(ERQI))
    lines = (tmp_path / "x" / "requirements.txt").read_text("utf-8").splitlines()
    assert len(lines) == 1
    required = Requirement(lines[0])
    installed = distribution(required.name)  # raises when no such distribution is installed
    commands = {e.name: e.value for e in installed.entry_points.select(group="console_scripts")}
    assert commands.get("opendata") == "opendata.cli:main"
    assert required.specifier.contains(installed.version)


def test_a_new_project_builds_at_once_and_lists_every_number_to_curate(tmp_path):
    run("init", str(tmp_path / "x"), "--source", str(ERQI))
    result = run("build", cwd=tmp_path / "x")
    assert result.exit_code == 0, result.output
    assert "still to curate" in result.output
    assert "number 117.95 in" in result.output
    assert result.output.rstrip().endswith("valid (frictionless, files, provenance, base "
                                           "values, translations, evidence, coverage)")


def test_init_refuses_a_folder_that_holds_files(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine", "utf-8")
    result = run("init", str(tmp_path / "x"), "--source", str(ERQI))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'x'} is not empty; opendata init makes a new project in a new "
        "or empty folder"]


def test_reveal_reads_a_web_style_report():
    facts = reveal(QINGSHAN.read_text("utf-8"))
    assert (facts.place, facts.report_year, facts.date) == ("青山区", 2025, "2025-01-15")
    assert facts.session == "青山区第八届人民代表大会第五次会议"


def test_reveal_keeps_the_script_of_a_traditional_report():
    facts = reveal(LINHE.read_text("utf-8"))
    assert facts.place == "臨河縣" and facts.session == "臨河縣第十屆人民代表大會第四次會議"
    assert facts.traditional and is_traditional(facts.printed("政府工作报告"))
