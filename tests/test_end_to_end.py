"""One run as a maintainer makes it, on a copy of this project: a fresh build, validation,
publication, then the site in a real browser; the metadata portals harvest and one table
page are compared with golden files (``pytest --update-golden`` rewrites them)."""

from pathlib import Path

import pytest

from conftest import ROOT, browsing, copy_project, run_cli

BASE_URL = "https://data.example.org/erqi/"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """This project's curation, built from nothing, validated and published."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("e2e") / "project")
    project.descriptor.unlink()
    for table in project.data.glob("*.csv"):
        table.unlink()
    for args in (["build"], ["validate"], ["publish", "--base-url", BASE_URL]):
        result = run_cli(*args, "--project", str(project.root))
        assert result.exit_code == 0, (args, result.output)
    return project


def test_a_fresh_build_is_the_published_package(fresh):
    assert fresh.descriptor.read_bytes() == (ROOT / "datapackage.json").read_bytes()
    for table in (ROOT / "data").glob("*.csv"):
        assert fresh.table(table.stem).read_bytes() == table.read_bytes(), table.name


@pytest.mark.parametrize("name", ["dcat.ttl", "ckan.json", "en/tables/results.html"])
def test_published_outputs_match_their_golden_files(fresh, golden, name):
    golden(name, (fresh.site / name).read_bytes())


def test_the_site_works_in_a_browser(fresh):
    rows = len(fresh.table("results").read_text("utf-8").splitlines()) - 1
    with browsing(fresh.site) as (browser, base):
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "en/index.html")
        page.click("nav a[href='tables/results.html']")
        assert page.locator("table tbody tr").count() >= rows
        page.goto(base + "zh/tables/projects.html")
        assert "117.95亿元" in page.inner_text("main")
    assert errors == []


OWN_SHAPES = Path(__file__).resolve().parent / "shapes" / "dcat-ap-3-mandatory-recommended.ttl"
# Recommended DCAT-AP properties the metadata does not give yet: each is a follow-up, and
# the test fails when another one goes missing.
# What the metadata leaves out: SQLite has no EU file type (its media type says what it is),
# and no agent is typed by ADMS.
RECOMMENDED_GAPS = {"dct:type", "dct:format"}


def dcat_ap_results(graph):
    """(severity, message) of every result of this project's DCAT-AP 3 shapes."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    _, report, _ = pyshacl.validate(graph, shacl_graph=Graph().parse(OWN_SHAPES),
                                    inference="none")
    return {(str(report.value(r, SH.resultSeverity)).rpartition("#")[2],
             str(report.value(r, SH.resultMessage)))
            for r in report.subjects(SH.resultSeverity, None)}


def test_the_dcat_metadata_has_every_mandatory_dcat_ap_property(fresh):
    from rdflib import Graph

    results = dcat_ap_results(Graph().parse(fresh.site / "dcat.ttl"))
    assert {m for severity, m in results if severity == "Violation"} == set()
    missing = {m.split()[1] for severity, m in results if severity == "Warning"}
    assert missing <= RECOMMENDED_GAPS, missing - RECOMMENDED_GAPS


def test_the_own_dcat_ap_shapes_find_a_missing_title(fresh):
    from rdflib import Graph
    from rdflib.namespace import DCAT, DCTERMS, RDF

    graph = Graph().parse(fresh.site / "dcat.ttl")
    dataset = graph.value(None, RDF.type, DCAT.Dataset)
    graph.remove((dataset, DCTERMS.title, None))
    assert ("Violation", "mandatory dct:title is missing") in dcat_ap_results(graph)
