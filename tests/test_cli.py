from importlib.metadata import version

import pytest

from conftest import ROOT, run_cli
from opendata import DISTRIBUTION
from opendata.cli import cli

COMMANDS = sorted(cli.commands)


def test_version_is_the_installed_distributions():
    result = run_cli("--version")
    expected = f"opendata, version {version(DISTRIBUTION)}\n"
    assert (result.exit_code, result.output) == (0, expected)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    assert cli.commands[command].help
    result = run_cli(command, "--help")
    assert result.exit_code == 0 and "Usage: " in result.output


@pytest.mark.parametrize("command", ["build", "validate", "coverage", "release", "publish",
                                     "serve", "translations"])
def test_not_a_project_is_misuse(tmp_path, command):
    result = run_cli(command, "--project", str(tmp_path))
    assert result.exit_code == 2
    assert "Usage: " in result.output
    assert f"Error: {tmp_path} is not an opendata project: package.yaml is missing" in result.output


def test_an_unknown_option_is_misuse():
    result = run_cli("validate", "--nope")
    assert result.exit_code == 2 and "Usage: " in result.output


def test_validating_a_missing_descriptor_is_misuse(tmp_path):
    result = run_cli("validate", str(tmp_path / "datapackage.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


# A domain failure says what went wrong in one line, exits 1 and shows no usage banner.
@pytest.mark.parametrize("command, message", [
    (["validate"], "Error: datapackage.json does not exist in {root}; run `opendata build` "
                   "first"),
    (["coverage"], "Error: datapackage.json does not exist in {root}; run `opendata build` "
                   "first"),
    (["publish"], "Error: datapackage.json does not exist in {root}; run `opendata build` "
                  "first"),
    (["serve"], "Error: {root}/site has no site yet; run `opendata publish` first"),
    (["diff", "9.9.9"], "Error: 9.9.9: no release 9.9.9 is recorded in releases/"),
])
def test_a_domain_failure_is_one_line_and_exit_1(tiny, command, message):
    result = run_cli(*command, "--project", str(tiny.root))
    assert (result.exit_code, result.output) == (1, message.format(root=tiny.root) + "\n")


def test_releasing_with_nothing_changed_is_one_line_and_exit_1(released):
    result = run_cli("release", "--project", str(released.root))
    assert (result.exit_code, result.output) == (
        1, "Error: nothing changed since 1.0.0; pass --bump to release anyway\n")


def test_the_error_mapping_lives_in_one_place():
    import ast

    tree = ast.parse((ROOT / "src/opendata/cli.py").read_text("utf-8"))
    [invoke] = [node for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name == "invoke"]
    handlers = [node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)]
    assert handlers == [node for node in ast.walk(invoke) if isinstance(node, ast.ExceptHandler)]
    assert [ast.unparse(handler.type) for handler in handlers] == [
        "Misuse", "InvalidData", "OpendataError", "KeyboardInterrupt"]


def test_a_descriptor_that_is_not_json_is_invalid_without_traceback(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_text("{not json", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}: not JSON (Expecting property name")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"opendata {command}" in (ROOT / "README.md").read_text("utf-8")


def test_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys; from opendata.cli import cli\n"
            "try: cli(['--help'])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('frictionless', 'pandas', 'babel') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
