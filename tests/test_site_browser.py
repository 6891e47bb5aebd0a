"""The published site in a real headless browser (Debian's chromium, driven by Playwright),
checked with axe-core from the npm registry (``npm ci`` installs it from package-lock.json).

One browser and one published site serve every test; each page is loaded once per width
for the checks that hold on every page.
"""

import csv
import io
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright import sync_api as playwright_api

from conftest import CHROMIUM_FLAGS, ROOT, chromium, copy_project, required
from opendata.bilingual import category_label
from opendata.publish import publish
from opendata.publish.serve import server

AXE = ROOT / "node_modules/axe-core/axe.min.js"
WIDTHS = (1280, 390)
TABLES = ("results", "targets", "projects", "honors", "indicators", "units")
PAGES = [f"{language}/{page}" for language in ("zh", "en")
         for page in ("index.html", "compare.html", "source.html",
                      *(f"tables/{t}.html" for t in TABLES))] + ["index.html"]

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(ROOT, tmp_path_factory.mktemp("site") / "project")
    shutil.copy2(ROOT / "CHANGELOG.zh-Hans.md", project.root / "CHANGELOG.zh-Hans.md")
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
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _recording(context):
    opened = context.new_page()
    opened.requests, opened.errors = [], []
    opened.on("request", lambda request: opened.requests.append(request.url))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    return opened


@pytest.fixture
def page(browser, site):
    """A page that records every request and every console or page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    yield _recording(context)
    context.close()


def csv_rows(project, table):
    return list(csv.DictReader(io.StringIO(project.table(table).read_text("utf-8"))))


def codes(project):
    """Field names, type names and enum codes of the package: none may show on a page as
    text of the page's language. A code that is its own label in Chinese (UCUM, ISO 4217)
    is a name, not a code."""
    descriptor = json.loads(project.descriptor.read_text("utf-8"))
    names, enums = set(), set()
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            names.add(field["name"])
            enums.update(str(v) for v in field.get("constraints", {}).get("enum", [])
                         if category_label(descriptor, resource["name"], field["name"],
                                           str(v))["zh-Hans"] != str(v))
    return names, enums


# The visible text of a page in its own language: what is marked as another language, code
# or a quotation of the data as printed is left out.
VISIBLE_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const own = document.documentElement.lang, parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (parent.closest('script, code, [translate="no"]')) continue;
    const marked = parent.closest('[lang]');
    if (marked && marked.getAttribute('lang') !== own) continue;
    if (!parent.getClientRects().length) continue;  // not rendered (hidden, closed details)
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""

# ASCII punctuation next to a Chinese character, where ，：；（）！？ belong.
ASCII_BESIDE_CHINESE = re.compile(r".?[\u4e00-\u9fff][,:;!?()].?|.?[,:;!?()] ?[\u4e00-\u9fff].?")

AXE_RUN = """async () => {
  // No CSS selectors, ancestry or XPath for the nodes: the HTML snippet names them, and
  // building selectors is most of axe's time on a long page.
  const result = await axe.run(document,
    {resultTypes: ['violations'], selectors: false, ancestry: false, xpath: false});
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.html.slice(0, 120)).join(' | '));
}"""

CHART_TEXT = """() => Array.from(document.querySelectorAll('svg.chart text')).map(t => {
  const scale = t.ownerSVGElement.getScreenCTM().a;
  return parseFloat(getComputedStyle(t).fontSize) * scale;
})"""


@pytest.mark.slow  # 33 s on both cores, a sixth of the default run: CI runs it with -m slow
def test_every_page_at_both_widths(browser, site):
    """No sideways scroll at 390, chart text ≥ 12 px, axe finds nothing serious or
    critical, and no field name, type or enum code shows as page text, on every page.

    The phone width runs in a second browser on a thread of its own (Playwright's sync API
    is one instance per thread), so the two widths use both cores.
    """
    required(AXE, "install axe-core from npm with `npm ci` (.ci/run does)")
    base, project = site
    found: dict[int, list[str]] = {}

    def on_phone() -> None:
        try:
            with playwright_api.sync_playwright() as playwright:
                second = playwright.chromium.launch(executable_path=chromium(),
                                                    args=CHROMIUM_FLAGS)
                found[390] = _page_problems(second, base, project, 390)
                second.close()
        except Exception as error:  # reported below, with the desktop's problems
            found[390] = [f"at 390px: {error!r}"]

    phone = threading.Thread(target=on_phone)
    phone.start()
    found[1280] = _page_problems(browser, base, project, 1280)
    phone.join()
    assert found[1280] + found[390] == []


def _page_problems(browser, base: str, project, width: int) -> list[str]:
    names, enums = codes(project)
    words = re.compile(r"[A-Za-z][A-Za-z0-9_ ]*[A-Za-z0-9]|[A-Za-z]")
    raw_codes = {c for c in names | enums if "_" in c}  # never English prose
    types = {"string", "integer", "number", "boolean"}
    problems = []
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(path=str(AXE))  # registered once, in every page it opens
    opened = _recording(context)
    for path in PAGES:
        opened.goto(f"{base}{path}")
        where = f"{path} at {width}px"
        overflow = opened.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{where}: scrolls sideways by {overflow}px")
        if width == 390:
            small = [size for size in opened.evaluate(CHART_TEXT) if size < 12]
            if small:
                problems.append(f"{where}: chart text at {min(small):.1f}px")
        problems += [f"{where}: {v}" for v in opened.evaluate(AXE_RUN)]
        text = opened.evaluate(VISIBLE_TEXT)
        tokens = set(re.findall(r"[A-Za-z0-9_]+", text))
        if path.startswith("zh/"):
            english = set(words.findall(text)) & (names | enums | types)
            if english:
                problems.append(f"{where}: English codes {sorted(english)}")
            own = opened.evaluate(VISIBLE_TEXT.replace("'script,", "'.verbatim, script,"))
            ascii_marks = ASCII_BESIDE_CHINESE.findall(own)
            if ascii_marks:
                problems.append(f"{where}: ASCII punctuation in Chinese {ascii_marks[:5]}")
        shown = tokens & raw_codes
        if shown:
            problems.append(f"{where}: raw codes {sorted(shown)}")
    problems += [f"at {width}px: {error}" for error in opened.errors]
    context.close()
    return problems


@pytest.mark.slow  # four pages, 5 s on a slowed machine: CI runs it with -m slow
def test_every_control_shows_a_focus_ring(page, site):
    base, _ = site
    ring = """() => Array.from(document.querySelectorAll(
        'a[href], button:not([hidden]), input, summary, select, textarea'))
      .filter(el => el.getClientRects().length)
      .map(el => { el.focus(); const s = getComputedStyle(el);
        return [el.outerHTML.slice(0, 80), s.outlineStyle, parseFloat(s.outlineWidth)]; })
      .filter(([, style, width]) => style === 'none' || width < 2)"""
    for path in ("en/index.html", "zh/tables/projects.html", "en/compare.html",
                 "zh/source.html"):
        page.goto(f"{base}{path}")
        page.keyboard.press("Tab")  # focus by keyboard: :focus-visible applies from now on
        page.locator("details").first.evaluate("d => d.open = true") if page.locator(
            "details").count() else None
        assert page.evaluate(ring) == [], path


def test_the_language_switch_works_both_ways(page, site):
    base, _ = site
    page.goto(f"{base}en/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#lang-switch")
    page.wait_for_url(f"{base}zh/index.html")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.click("#lang-switch")
    page.wait_for_url(f"{base}en/index.html")


@pytest.mark.slow  # five pages in each language, 3 to 4 s each: CI runs it with -m slow
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_table_page_renders_every_row_with_its_permalink(page, site, language):
    base, project = site
    for table in TABLES:
        page.goto(f"{base}{language}/tables/{table}.html")
        ids = page.locator("#rows tbody tr").evaluate_all("rows => rows.map(r => r.id)")
        assert ids == [row["id"] for row in csv_rows(project, table)]
        assert page.locator("#rows thead th").count() > 0
    assert not page.errors


def _squashed(text):
    return "".join(text.split())


@pytest.mark.parametrize("table, row_id", [
    ("results", "gdp-growth-2023"),
    # The quote runs from line 329 into line 330: both places are highlighted. Where the
    # package carries a row's context (the 预计 that starts an interleaved sentence, as
    # context_quote/context_line), that is highlighted too.
    ("results", "retail-sales-growth-2023"),
    ("targets", "tech-smes-2024"),
])
def test_clicking_a_figure_lands_on_its_quote(page, site, table, row_id):
    base, project = site
    row = next(r for r in csv_rows(project, table) if r["id"] == row_id)
    page.goto(f"{base}en/tables/{table}.html")
    page.locator(f'tr[id="{row_id}"] a.figure').first.click()
    page.wait_for_url(re.compile(rf"source\.html\?row={table}\.{row_id}#L{row['source_line']}$"))
    target = page.locator(":target")
    assert target.get_attribute("id") == f"L{row['source_line']}"
    assert target.evaluate("t => getComputedStyle(t).backgroundColor") != "rgba(0, 0, 0, 0)"
    marks = page.locator("mark.quote").all_text_contents()
    quoted = [(int(row["source_line"]), row["source_quote"])]
    if row.get("context_quote"):
        quoted.append((int(row["context_line"]), row["context_quote"]))
    # The marks, in the order of the page, spell the quotes in the order of their lines.
    assert _squashed("".join(marks)) == _squashed("".join(q for _, q in sorted(quoted)))
    assert marks and page.locator("mark.quote").first.is_visible()
    lines = page.locator("li:has(mark.quote)").evaluate_all("ls => ls.map(l => l.id)")
    assert {f"L{line}" for line, _ in quoted} <= set(lines)  # every place is highlighted
    if row_id == "retail-sales-growth-2023":
        assert {"L329", "L330"} <= set(lines)  # the quote's two lines


def test_compare_rows_link_to_their_result_and_target(page, site):
    base, _ = site
    page.goto(f"{base}en/compare.html")
    first = page.locator("#compare tbody tr").first
    result, target = first.locator("td a").evaluate_all("as => as.map(a => a.href)")
    assert "/tables/results.html#" in result and "/tables/targets.html#" in target
    page.goto(target)
    assert page.locator(":target").get_attribute("id") == target.split("#")[1]


def test_the_filter_narrows_the_rows_and_the_facet_counts_add_up(page, site):
    base, project = site
    page.goto(f"{base}en/tables/results.html")
    rows = page.locator("#rows tbody tr")
    total = rows.count()
    page.fill("#filter", "enterprises")
    visible = page.locator("#rows tbody tr:not([hidden])").count()
    assert 0 < visible < total
    page.locator(".facets-box summary").click()
    for facet in page.locator(".facet").all():
        counts = [int(c) for c in facet.locator(".facet-count").all_text_contents()]
        assert sum(counts) == visible, facet.get_attribute("data-column")
    qualifier = page.locator('.facet[data-column="estimate"] label').first
    expected = int(qualifier.locator(".facet-count").text_content())
    qualifier.locator("input").check()
    assert page.locator("#rows tbody tr:not([hidden])").count() == expected
    assert page.locator("#shown").text_content().startswith(f"{expected} of {total}")
    with page.expect_download() as download:
        page.click("#download-view")
    saved = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert len(saved) == expected
    ids = page.locator("#rows tbody tr:not([hidden])").evaluate_all("rs => rs.map(r => r.id)")
    assert [r["id"] for r in saved] == ids
    assert list(saved[0]) == list(csv_rows(project, "results")[0])


def test_without_javascript_the_full_table_is_there(browser, site):
    base, project = site
    context = browser.new_context(java_script_enabled=False)
    opened = context.new_page()
    opened.goto(f"{base}zh/tables/projects.html")
    assert opened.locator("#rows tbody tr:visible").count() == len(csv_rows(project, "projects"))
    assert not opened.locator("#finder").is_visible()
    opened.goto(f"{base}zh/source.html#L25")
    assert opened.locator(":target").get_attribute("id") == "L25"
    context.close()


def test_sorting_a_column_puts_empty_cells_last(page, site):
    base, project = site
    page.goto(f"{base}en/tables/targets.html")
    headings = [h.strip(" ⇅") for h in page.locator("#rows thead th").all_text_contents()]
    column = headings.index("Value") + 1
    page.locator(f"#rows thead th:nth-child({column}) button").click()
    keys = page.locator(f"#rows tbody tr td:nth-child({column})").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")
    values = [float(k) for k in keys if k]
    assert values == sorted(float(r["value_base"]) for r in csv_rows(project, "targets")
                            if r["value_base"])
    assert keys[len(values):] == [""] * (len(keys) - len(values))


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


def test_the_landing_page_offers_reuse(page, site):
    base, _ = site
    page.goto(f"{base}en/index.html")
    assert page.locator(".headline li").count() == 5
    for name in ("dcat.ttl", "dcat.jsonld", "ckan.json", "chart.svg", "citation.bib",
                 "citation.ris"):
        link = page.locator(f'a[href$="{name}"]').first
        assert link.is_visible(), name
        assert page.request.get(link.evaluate("a => a.href")).ok, name
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click('[data-copy="citation"]')
    page.wait_for_function("document.querySelector('.copied').textContent !== ''")
    assert page.locator(".copied").text_content() == "Copied"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation").text_content().strip()


@pytest.mark.slow  # six pages, each until the network is idle, 5 s: with -m slow in CI
def test_no_request_leaves_localhost_and_no_console_errors(page, site):
    base, _ = site
    for path in ("index.html", "en/index.html", "zh/index.html", "en/compare.html",
                 "zh/tables/projects.html", "en/source.html"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
    assert page.requests
    assert {urlparse(url).hostname for url in page.requests} == {"127.0.0.1"}
    assert page.errors == []
