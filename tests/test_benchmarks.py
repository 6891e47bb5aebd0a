"""The benchmark, once, at 10,000 rows: it runs, and what it measures is what it claims.

No timing is asserted here (a test machine's speed is not the code's); the timed targets
are measured by ``python -m benchmarks`` and recorded in docs/performance.md.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from opendata.source import Source

sys.path.insert(0, str(ROOT))
from benchmarks import run, synth

OPENDATA = str(Path(sys.executable).with_name("opendata"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synth.generate(tmp_path_factory.mktemp("synthetic") / "p", 10_000).root


def rows(root: Path, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / f"data/{table}.csv").read_text("utf-8"))))


def test_a_synthetic_package_has_the_rows_asked_for_in_every_table(synthetic):
    counts = {t: len(rows(synthetic, t)) for t in ("results", "targets", "projects", "honors",
                                                  "indicators", "units")}
    assert 9_900 <= sum(counts.values()) <= 10_100
    assert min(counts.values()) > 0
    english = [r["section_en"] for r in rows(synthetic, "results")]
    assert all(e.isascii() and e for e in english)  # Chinese and English text


def test_synthetic_quotes_stand_in_the_source_at_their_line(synthetic):
    [path] = (synthetic / "data/source").glob("*.txt")
    source = Source.read(path)
    for table in ("results", "targets", "projects", "honors"):
        for row in rows(synthetic, table):
            assert not isinstance(source.locate(row["source_quote"], int(row["source_line"])),
                                  str), row


def test_the_synthetic_package_is_what_opendata_build_makes_of_its_curation(synthetic):
    result = subprocess.run([OPENDATA, "build", "--check"], cwd=synthetic, check=False,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_opendata_and_frictionless_find_a_synthetic_package_valid(synthetic):
    for command in ([OPENDATA, "validate", "--json"],
                    [str(Path(sys.executable).with_name("frictionless")), "validate", "--json",
                     "datapackage.json"]):
        result = subprocess.run(command, cwd=synthetic, capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout[-2000:]
        assert json.loads(result.stdout)["valid"] is True


def test_the_benchmark_runs_in_one_command_and_writes_its_table(tmp_path):
    output = tmp_path / "performance.md"
    output.write_text(f"# Performance\n\nBefore.\n\n{run.BEGIN}\nstale table\n{run.END}\n\nAfter.\n",
                      encoding="utf-8")
    assert run.main(["--sizes", "10000", "--repeat", "1", "--startup-repeat", "1",
                     "--work", str(tmp_path / "work"), "--output", str(output)]) == 0
    text = output.read_text("utf-8")
    assert text.startswith("# Performance\n\nBefore.\n") and text.endswith("\nAfter.\n")
    assert "stale table" not in text
    assert "python -m benchmarks --sizes 10000 --repeat 1" in text
    assert "| `opendata --help` |" in text and "| `opendata --version` |" in text
    assert "Heavy libraries imported by `opendata --help`: none" in text
    assert "| 10,000 |" in text and "MiB" in text and "×" in text
    assert "identical sets" in text


def test_seeded_errors_are_found_alike_by_both(tmp_path):
    synth.generate(tmp_path / "synthetic-10000", 10_000)
    seeded = run.measure_seeded(10_000, tmp_path, 1, lambda message: None)
    assert seeded.seeded_rows > 100
    assert seeded.frictionless_errors >= seeded.seeded_rows
    assert seeded.same, (sorted(seeded.missing, key=str)[:5], sorted(seeded.extra, key=str)[:5])
    assert seeded.own_problems > 0  # base values and coverage of the broken rows
    assert all(runs.codes == [1] for runs in seeded.validate.values())


def test_a_measured_process_is_not_charged_with_the_benchmarks_memory(tmp_path):
    ballast = b"x" * (300 << 20)  # the benchmark holding a large package in memory
    runs = run.Runs([sys.executable, "-c", "pass"])
    run.run_once(runs, tmp_path)
    assert len(ballast) and runs.codes == [0]
    assert runs.peaks[0] < 150  # MiB: a bare interpreter, not this process's 300 MiB more
