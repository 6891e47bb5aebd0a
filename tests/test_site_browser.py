"""The published site in a real headless browser (Debian's chromium, driven by Playwright)."""

import csv
import io
import json
import threading
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from conftest import CHROMIUM_FLAGS, ROOT, chromium, copy_project
from opendata.labels import field_label
from opendata.publish import publish
from opendata.publish.serve import server



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(ROOT, tmp_path_factory.mktemp("site") / "project")
    httpd = server(project.root / "site", 0)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    publish(project, base, preview=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base, project
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, site):
    """A page that records every request and every console or page error."""
    context = browser.new_context()
    opened = context.new_page()
    opened.requests, opened.errors = [], []
    opened.on("request", lambda request: opened.requests.append(request.url))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


def csv_rows(project, table):
    return list(csv.DictReader(io.StringIO(project.table(table).read_text("utf-8"))))


def test_the_language_switch_works_both_ways(page, site):
    base, _ = site
    page.goto(f"{base}en/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#lang-switch")
    page.wait_for_url(f"{base}zh/index.html")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.click("#lang-switch")
    page.wait_for_url(f"{base}en/index.html")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_table_page_renders_every_row(page, site, language):
    base, project = site
    for table in ("results", "targets", "projects", "honors", "indicators", "units"):
        page.goto(f"{base}{language}/tables/{table}.html")
        assert page.locator("#rows tbody tr").count() == len(csv_rows(project, table))
        assert page.locator("#rows thead th").count() > 0
    assert not page.errors


def test_sorting_a_column(page, site):
    base, project = site
    page.goto(f"{base}en/tables/results.html")
    headings = page.locator("#rows thead th").all_text_contents()
    label = field_label(json.loads(project.descriptor.read_text("utf-8")), "results",
                        "value_base")["en"]  # headers show each column's label
    column = [h.strip() for h in headings].index(label) + 1
    page.locator(f"#rows thead th:nth-child({column}) button").click()
    sorted_keys = page.locator(f"#rows tbody tr td:nth-child({column})").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.sort))")
    # a qualitative result has no value: its empty cell sorts as 0, as Number("") is
    assert sorted_keys == sorted(float(r["value_base"] or 0)
                                 for r in csv_rows(project, "results"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_chart_renders_a_pair_of_bars_per_indicator(page, site, language):
    base, _ = site
    page.goto(f"{base}{language}/compare.html")
    rows = page.locator("#compare tbody tr").count()
    assert rows > 0
    bars = page.locator("svg.chart rect.bar")
    assert bars.count() == 2 * rows
    box = page.locator("svg.chart").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert page.locator("svg.chart title").first.text_content()


def test_no_request_leaves_localhost_and_no_console_errors(page, site):
    base, _ = site
    for path in ("index.html", "en/index.html", "zh/index.html", "en/compare.html",
                 "zh/tables/projects.html"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
    assert page.requests
    assert {urlparse(url).hostname for url in page.requests} == {"127.0.0.1"}
    assert page.errors == []
