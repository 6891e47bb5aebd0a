import json

import pytest

from conftest import (
    cli_in_a_fresh_interpreter,
    edit,
    needs_proc,
    needs_two_cores,
    run_cli,
    workers_left_by_a_killed_run,
)
from opendata.check import validate


def flat(report):
    return [[p.file, p.row, p.field, p.code] for p in report.problems]


def test_a_built_package_is_valid(built):
    report = validate(built.descriptor, built)
    assert report.valid, report.render()
    assert report.checks == ["frictionless", "files", "provenance", "base values", "translations",
                             "evidence",
                             "coverage"]


def test_a_value_that_disagrees_with_its_quote(built):
    edit(built.table("results"), ",5.5,percent,5.5,", ",5.6,percent,5.6,")
    problems = flat(validate(built.descriptor, built))
    assert ["data/results.csv", 2, "value", "figure-mismatch"] in problems


def test_a_base_value_that_is_not_value_times_multiplier(built):
    edit(built.table("results"), ",1.2,10k-persons,12000,", ",1.2,10k-persons,1200,")
    problems = flat(validate(built.descriptor, built))
    assert ["data/results.csv", 3, "value_base", "base-value"] in problems


def test_a_multiplier_that_is_not_positive(built):
    """The schema says ``minimum: 0`` (frictionless 4 has no ``exclusiveMinimum``); the
    project's own check still wants a multiplier above 0."""
    units = built.table("units")
    row = next(n for n, line in enumerate(units.read_text("utf-8").splitlines(), start=1)
               if line.startswith("10k-persons,"))
    edit(units, "\n10k-persons,万人,\"10,000 persons\",person,10000,",
         "\n10k-persons,万人,\"10,000 persons\",person,0,")
    problems = flat(validate(built.descriptor, built))
    assert ["data/units.csv", row, "multiplier", "constraint-error"] in problems


def test_a_dangling_foreign_key(built):
    edit(built.table("results"), "gdp-growth-2024,2024,gdp-growth,", "gdp-growth-2024,2024,gdp,")
    problems = flat(validate(built.descriptor, built))
    assert ["data/results.csv", 2, None, "foreign-key"] in problems


def test_a_duplicate_id_in_a_table(built):
    edit(built.table("results"), "new-urban-jobs-2024,", "gdp-growth-2024,")
    problems = flat(validate(built.descriptor, built))
    assert ["data/results.csv", 3, None, "primary-key"] in problems


def test_a_quote_not_in_the_source(built):
    edit(built.table("honors"), "县人民医院再次获评", "县医院再次获评")
    problems = flat(validate(built.descriptor, built))
    assert ["data/honors.csv", 2, "source_quote", "quote-not-in-source"] in problems


def test_a_missing_or_hand_edited_translation(built):
    edit(built.table("indicators"), "New urban jobs", "")
    edit(built.table("honors"), "County People's Hospital", "County Hospital")
    problems = flat(validate(built.descriptor, built))
    assert ["data/indicators.csv", 3, "name_en", "missing-translation"] in problems
    assert ["data/honors.csv", 2, "recipient_en", "translation-mismatch"] in problems


def test_one_changed_byte_fails_the_hash(built):
    path = built.table("units")
    path.write_bytes(path.read_bytes().replace(b"persons", b"Persons", 1))
    problems = flat(validate(built.descriptor, built))
    assert ["data/units.csv", None, None, "hash-count"] in problems


def test_no_error_limit(built):
    rows = built.table("results").read_text("utf-8").splitlines()
    body = "\n".join([rows[0]] + [rows[1].replace("gdp-growth-2024", "x")] * 1200) + "\n"
    built.table("results").write_text(body, encoding="utf-8")
    report = validate(built.descriptor, built)
    assert sum(p.code == "primary-key" for p in report.problems) == 1199


def test_cli_json_report_and_exit_codes(built):
    result = run_cli("validate", "--json", "--project", str(built.root))
    assert result.exit_code == 0
    assert json.loads(result.output)["valid"] is True
    edit(built.table("results"), ",5.5,percent,5.5,", ",5.6,percent,5.6,")
    result = run_cli("validate", "--json", "--project", str(built.root))
    assert result.exit_code == 1
    report = json.loads(result.output)
    found = next(p for p in report["problems"] if p["code"] == "figure-mismatch")
    assert {"file": "data/results.csv", "row": 2, "field": "value",
            "code": "figure-mismatch"}.items() <= found.items()


def test_readable_summary_names_row_field_and_fix(built):
    edit(built.table("results"), ",5.5,percent,5.5,", ",5.6,percent,5.6,")
    result = run_cli("validate", "--project", str(built.root))
    assert result.exit_code == 1
    assert ("data/results.csv row 2 field value: value 5.6 percent disagrees with its quote, "
            "which prints 5.5%, 1.2万人") in result.output
    assert "→ correct the curation" in result.output


def test_a_bom_that_frictionless_accepts_is_reported(built):
    import hashlib

    path = built.table("units")
    content = b"\xef\xbb\xbf" + path.read_bytes()
    path.write_bytes(content)
    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    units = next(r for r in descriptor["resources"] if r["name"] == "units")
    units.update(bytes=len(content), hash=f"sha256:{hashlib.sha256(content).hexdigest()}")
    built.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    problems = flat(validate(built.descriptor, built))
    assert problems == [["data/units.csv", None, None, "encoding-bom"]]


def test_an_uppercase_hash_that_frictionless_skips_is_reported(built):
    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    descriptor["resources"][0]["hash"] = descriptor["resources"][0]["hash"].upper()
    built.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    assert ["datapackage.json", None, None, "hash-form"] in flat(validate(built.descriptor, built))


@pytest.mark.parametrize("table", ["results", "targets", "projects", "honors", "indicators",
                                   "units", "source"])
def test_one_changed_byte_in_any_published_file_names_the_file_and_both_hashes(built, table):
    import hashlib

    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    path = built.root / resource["path"]
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01  # one bit of one byte
    path.write_bytes(bytes(content))
    report = validate(built.descriptor, built)
    expected = resource["hash"].removeprefix("sha256:")
    actual = hashlib.sha256(bytes(content)).hexdigest()
    assert any(p.file == resource["path"] and expected in p.message and actual in p.message
               for p in report.problems), report.render()


# Packages from outside: frictionless's verdict decides, the generic file checks only warn.

FOREIGN = ["gdp", "gdp-invalid", "co2-ppm", "co2-ppm-invalid"]


def frictionless_verdict(descriptor):
    """What the real ``frictionless validate`` says: (exit code, errors flattened)."""
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(command), "validate", "--json", str(descriptor)],
                            capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(result.stdout)
    errors = [[descriptor.name, None, None, e["type"]] for e in report["errors"]]
    errors += [[task["place"], e.get("rowNumber"), e.get("fieldName"), e["type"]]
               for task in report["tasks"] for e in task["errors"]]
    return result.returncode, sorted(errors, key=str)


@pytest.mark.parametrize("case", FOREIGN)
def test_a_foreign_package_gets_frictionless_verdict(tmp_path, case):
    import shutil

    from conftest import FIXTURES

    folder = shutil.copytree(FIXTURES / "foreign" / case, tmp_path / case)
    code, errors = frictionless_verdict(folder / "datapackage.json")
    result = run_cli("validate", "--json", str(folder / "datapackage.json"))
    report = json.loads(result.output)
    assert result.exit_code == code
    ours = [[p["file"], p["row"], p["field"], p["code"]] for p in report["problems"]
            if p["severity"] == "error"]
    assert sorted(ours, key=str) == errors
    assert report["checks"] == ["frictionless", "files"]  # no provenance, no coverage


def test_generic_file_checks_warn_on_a_foreign_package_and_fail_it_when_strict(tmp_path):
    import shutil

    from conftest import FIXTURES

    folder = shutil.copytree(FIXTURES / "foreign" / "gdp", tmp_path / "gdp")
    result = run_cli("validate", "--json", str(folder / "datapackage.json"))
    warned = sorted(p["code"] for p in json.loads(result.output)["problems"])
    assert result.exit_code == 0
    assert warned == ["encoding-undeclared", "hash-form", "line-endings"]
    assert "rebuild with `opendata build`" not in result.output
    strict = run_cli("validate", "--strict", str(folder / "datapackage.json"))
    assert strict.exit_code == 1
    assert "data/gdp.csv: has CR or CRLF line endings" in strict.output


def test_an_opendata_package_declares_its_profile_and_is_held_to_its_checks(built):
    from opendata.profile import OPENDATA_PROFILE, OPENDATA_PROFILE_KEY

    descriptor = json.loads(built.descriptor.read_text("utf-8"))
    assert descriptor[OPENDATA_PROFILE_KEY] == OPENDATA_PROFILE
    assert "provenance" in validate(built.descriptor).checks
    del descriptor[OPENDATA_PROFILE_KEY]
    built.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    assert validate(built.descriptor).checks == ["frictionless", "files"]


def test_a_hand_edited_translation_names_what_the_catalog_lacks(built):
    edit(built.table("honors"), "County People's Hospital", "County Hospital")
    edit(built.table("honors"), "县人民医院", "县人民医院X")
    report = validate(built.descriptor, built)
    assert "(None)" not in report.render()


def test_worker_processes_give_the_report_of_one_process(built):
    """Problems of every check, merged from the workers in the order of one process."""
    edit(built.table("results"), ",5.5,percent,5.5,", ",5.6,percent,5.6,")  # provenance
    edit(built.table("results"), ",1.2,10k-persons,12000,", ",1.2,10k-persons,1200,")
    edit(built.table("results"), "new-urban-jobs-2024,", "gdp-growth-2024,")  # frictionless
    alone = validate(built.descriptor, built, jobs=1)
    assert {"figure-mismatch", "base-value", "primary-key"} <= {p.code for p in alone.problems}
    for jobs in (2, 3):
        assert validate(built.descriptor, built, jobs=jobs).to_json() == alone.to_json()


def test_cli_jobs_gives_the_same_report_and_refuses_zero(built):
    edit(built.table("results"), "new-urban-jobs-2024,", "gdp-growth-2024,")
    default = run_cli("validate", "--project", str(built.root), "--json")
    pooled = run_cli("validate", "--project", str(built.root), "--json", "--jobs", "2")
    assert (pooled.exit_code, pooled.output) == (default.exit_code, default.output) == (
        1, default.output)
    assert run_cli("validate", "--project", str(built.root), "--jobs", "0").exit_code == 2


needs_fork = pytest.mark.skipif(
    __import__("multiprocessing").get_start_method() != "fork",
    reason="the slow and the networked task are put in place by patching this process, "
           "which only forked workers inherit")


@needs_fork
def test_a_worker_stops_at_the_deadline_of_the_whole_run(built, monkeypatch):
    """The main process cannot interrupt a worker: each worker holds the run's budget."""
    import time

    from opendata.check import schema

    def slow(*args, **kwargs):  # a read that would go on for a minute
        for _ in range(6000):
            time.sleep(0.01)

    monkeypatch.setattr(schema, "check_resources", slow)
    monkeypatch.setenv("OPENDATA_TIME_BUDGET", "1")
    started = time.monotonic()
    report = validate(built.descriptor, built, jobs=2)
    assert time.monotonic() - started < 20
    assert report.checks == ["time budget"]
    assert [p.code for p in report.problems] == ["out-of-time"]
    assert "time budget of 1 s" in report.problems[0].message


@needs_fork
def test_a_worker_fetches_nothing_unless_the_network_is_allowed(built, monkeypatch):
    import socket

    from opendata.check import schema

    def fetching(*args, **kwargs):
        with socket.create_connection(("127.0.0.1", 9), timeout=1):
            pass

    monkeypatch.setattr(schema, "check_resources", fetching)
    report = validate(built.descriptor, built, jobs=2)
    assert any("--allow-network" in p.message for p in report.problems), report.render()
    allowed = validate(built.descriptor, built, jobs=2, allow_network=True)
    assert not any("--allow-network" in p.message for p in allowed.problems), allowed.render()


@needs_proc
def test_no_worker_outlives_a_killed_validate(built):
    """A killed run's workers used to wait for their next task for good."""
    assert workers_left_by_a_killed_run(["validate", "--jobs", "2"], built.root) == set()


def _process_of(index: int, seconds: float) -> tuple[int, int]:
    import os
    import time

    time.sleep(seconds)
    return index, os.getpid()


@needs_fork
def test_this_process_takes_the_first_task_and_shares_the_rest_with_the_workers():
    """One process fewer than jobs: this one runs the first task (the project's checks)
    itself, a worker the next, and whichever is free the next waiting; the results come
    in the order of the tasks."""
    import os
    import time
    from functools import partial

    from opendata.check import Limits, run

    limits = Limits("test", False, None, time.monotonic())
    tasks = [partial(_process_of, 0, 0.0)] + [partial(_process_of, i, 0.3) for i in range(1, 5)]
    results = run(tasks, 2, limits, first=[0, 4, 3])
    assert [index for index, _ in results] == [0, 1, 2, 3, 4]
    pids = dict(results)
    assert pids[0] == os.getpid()  # the first task, here
    assert pids[4] != os.getpid()  # the next, in the worker started before it
    assert os.getpid() in {pids[3], pids[1], pids[2]}  # this process took waiting tasks too


_IN_A_FRESH_PROCESS = """
import sys
from pathlib import Path
from opendata.check import validate, validator
from opendata.paths import Project
project = Project.at(Path(sys.argv[1]))
with validator() as pool:
    assert pool is not None
    report = validate(project.descriptor, project, pool=pool)
print(report.to_json())
print("frictionless imported here:", "frictionless" in sys.modules)
"""


@needs_two_cores
def test_a_small_package_is_checked_beside_frictionless_which_only_a_worker_imports(built):
    """Given the worker ``validator()`` started, frictionless's whole validation is one
    task in it (one import of it, one read of the descriptor) while this process runs the
    project's checks: the report of one process, and frictionless never imported here."""
    import subprocess
    import sys

    edit(built.table("results"), ",5.5,percent,5.5,", ",5.6,percent,5.6,")  # provenance
    edit(built.table("results"), "new-urban-jobs-2024,", "gdp-growth-2024,")  # frictionless
    ran = subprocess.run([sys.executable, "-c", _IN_A_FRESH_PROCESS, str(built.root)],
                         capture_output=True, text=True, check=True)
    report, imported = ran.stdout.rstrip("\n").rsplit("\n", 1)
    assert report == validate(built.descriptor, built, jobs=1).to_json()
    assert {"figure-mismatch", "primary-key"} <= {p["code"] for p in json.loads(report)["problems"]}
    assert imported == "frictionless imported here: False"


@needs_two_cores
@pytest.mark.parametrize("rows_by_resource", [20_000, 0])
def test_a_worker_started_ahead_gives_the_report_of_one_process(built, monkeypatch,
                                                                rows_by_resource):
    """A small package's frictionless task goes to the worker ``validator()`` started; a
    large one (here: every package, from 0 rows) spreads its resources over workers of its
    own, one per core. Either way the report is that of one process."""
    import opendata.check as checking

    edit(built.table("results"), ",5.5,percent,5.5,", ",5.6,percent,5.6,")  # provenance
    edit(built.table("results"), "new-urban-jobs-2024,", "gdp-growth-2024,")  # frictionless
    alone = validate(built.descriptor, built, jobs=1).to_json()
    monkeypatch.setattr(checking, "ROWS_BY_RESOURCE", rows_by_resource)
    monkeypatch.setattr(checking, "_frictionless_here", lambda: False)  # as in a command
    with checking.validator() as pool:
        assert pool is not None
        assert validate(built.descriptor, built, pool=pool).to_json() == alone


def test_no_worker_is_started_where_frictionless_is_imported_already(built, monkeypatch):
    """A program that has validated before validates warm, faster than a worker forked
    from it would validate cold: ``validator()`` starts none, and a small package is
    validated in that program's own process."""
    import frictionless  # noqa: F401

    import opendata.check as checking

    def no_pool(workers):
        raise AssertionError(f"a pool of {workers} was started")

    monkeypatch.setattr(checking, "worker_pool", no_pool)
    with checking.validator() as pool:
        assert pool is None
    assert validate(built.descriptor, built).valid


@needs_two_cores
def test_the_validate_command_leaves_frictionless_to_the_worker_it_starts(built):
    ran = cli_in_a_fresh_interpreter("validate", "--project", str(built.root))
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("valid (frictionless, files")
    assert ran.stdout.endswith("frictionless imported here: False\n")
