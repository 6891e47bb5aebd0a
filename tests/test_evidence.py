"""A published flag or inferred unit rests on words the row publishes, figure by figure."""

import csv
import io

import pytest

from conftest import ROOT, copy_project
from opendata.check import evidence
from opendata.check.published import PublishedPackage


def problems_of(project):
    package = PublishedPackage.open(project.descriptor)
    checker = evidence.Checker(package)
    for table in package.shape.names:
        with package.table(table) as columns:
            check = checker.for_table(table, columns, table)
            for number, cells in enumerate(columns or [], start=2) if check else []:
                check(number, cells)
    return [(p.row, p.field, p.code) for p in checker.problems]


def rows_of(project, table):
    return list(csv.DictReader(io.StringIO(project.table(table).read_text("utf-8"))))


def rewrite(project, table, key, **cells):
    """Set ``cells`` of the row with id ``key``; returns that row's number in the file."""
    rows = rows_of(project, table)
    number = next(i for i, row in enumerate(rows, start=2) if row["id"] == key)
    rows[number - 2].update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    project.table(table).write_text(out.getvalue(), "utf-8")
    return number


@pytest.fixture
def project(tmp_path):
    return copy_project(ROOT, tmp_path / "real")


def test_the_published_package_carries_its_evidence(project):
    assert problems_of(project) == []
    projects = {row["id"]: row for row in rows_of(project, "projects")}
    mixed = projects["major-social-investment-projects-2024"]  # 2493亿元 and 309 firm, 412亿元 力争
    assert (mixed["total_investment_aspirational"], mixed["project_count_aspirational"],
            mixed["annual_investment_aspirational"], mixed["aspirational"]) == \
        ("false", "false", "true", "false")
    targets = {row["id"]: row for row in rows_of(project, "targets")}
    assert "科技型" in targets["tech-smes-2024"]["context_quote"]
    assert "力争" in targets["srdi-enterprises-2024"]["context_quote"]
    results = {row["id"]: row for row in rows_of(project, "results")}
    assert results["consumption-vouchers-2023"]["unit_inferred"] == "true"  # 600万, no 元
    assert results["tourism-revenue-2023"]["unit_inferred"] == "false"


def test_a_quote_published_without_its_evidence_is_reported(project):
    number = rewrite(project, "results", "retail-sales-growth-2023", context_quote="",
                     context_line="")
    assert problems_of(project) == [(number, "estimate", "flag-without-evidence")]


def test_a_row_level_flag_over_mixed_figures_is_reported(project):
    number = rewrite(project, "projects", "major-social-investment-projects-2024",
                     aspirational="true")
    assert problems_of(project) == [(number, "aspirational", "mixed-flag")]


def test_a_figure_flag_must_follow_its_words(project):
    number = rewrite(project, "projects", "major-social-investment-projects-2024",
                     total_investment_aspirational="true")
    assert problems_of(project) == [(number, "total_investment_aspirational",
                                     "flag-without-evidence")]


def test_an_unmarked_inferred_unit_is_reported(project):
    number = rewrite(project, "results", "consumption-vouchers-2023", unit_inferred="false")
    assert problems_of(project) == [(number, "unit_inferred", "unit-inference-unmarked")]
