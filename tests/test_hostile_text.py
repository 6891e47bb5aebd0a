"""Text that passes curation may be hostile: it is escaped in the site, never a formula in
XLSX, stored faithfully in CSV and made visible in the terminal."""

import csv
import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES, browsing, copy_project, edit, run_cli
from opendata.text import visible

SCRIPT = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'
HOSTILE = {
    "New urban jobs": SCRIPT,
    "Key projects": "=HYPERLINK(\"http://example.com\",\"click\")",
    "County People's Hospital": "@SUM(1+1) [x](javascript:alert(1)) 🎉 \u202egnp.exe",
    "Pocket parks completed": "+1-2 " + "很长的名字" * 2000,
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    project = copy_project(FIXTURES / "tiny-report", tmp_path_factory.mktemp("hostile") / "p")
    for english, replacement in HOSTILE.items():
        escaped = replacement.replace("\\", "\\\\").replace('"', '\\"')
        edit(project.catalog, f'msgstr "{english}"', f'msgstr "{escaped}"')
    assert run_cli("build", "--project", str(project.root)).exit_code == 0
    result = run_cli("publish", "--project", str(project.root), "--preview", "--base-url",
                     "http://127.0.0.1/")
    assert result.exit_code == 0, result.output
    return project


def test_csv_stores_hostile_text_faithfully(hostile):
    cells = {cell for table in ("indicators", "projects", "honors")
             for row in csv.reader(io.StringIO(hostile.table(table).read_text("utf-8")))
             for cell in row}
    assert set(HOSTILE.values()) <= cells


def test_xlsx_never_makes_a_formula(hostile):
    [path] = (hostile.root / "dist").glob("*.xlsx")
    book = load_workbook(path)
    found = {cell.value: cell.data_type for sheet in book for row in sheet.iter_rows()
             for cell in row if cell.value in HOSTILE.values()}
    assert set(found) == set(HOSTILE.values())
    assert set(found.values()) == {"s"}


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_site_escapes_hostile_text_and_runs_no_injected_script(hostile):
    page_html = (hostile.root / "site/en/tables/indicators.html").read_text("utf-8")
    assert SCRIPT not in page_html and "&lt;script&gt;" in page_html
    with browsing(hostile.root / "site") as (browser, base):
        page = browser.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        for path in ("en/tables/indicators.html", "en/compare.html", "en/index.html",
                     "en/tables/honors.html", "en/tables/projects.html",
                     "en/source.html", "zh/tables/indicators.html"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("typeof window.pwned") == "undefined", path
        page.goto(base + "en/tables/indicators.html")
        assert SCRIPT in page.locator("#rows").inner_text()
        assert not [url for url in requests if url.endswith("/x")]


def test_the_terminal_sees_control_characters_spelled_out(tiny):
    edit(tiny.curated("results"), "quote: 建成口袋公园3个", 'quote: "建成口袋\\e[2J公园\\u202e3个"')
    result = subprocess.run([sys.executable, "-m", "opendata", "build"], cwd=tiny.root,
                            capture_output=True, text=True, env=dict(os.environ), check=False)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "建成口袋\\x1b[2J公园<U+202E>3个" in result.stderr


@pytest.mark.parametrize("text, shown", [("a\x1b[31mb", "a\\x1b[31mb"),
                                         ("\u202eabc", "<U+202E>abc"),
                                         ("tab\there", "tab\\there"), ("中文 ok", "中文 ok"),
                                         ("zero\u200bwidth", "zero<U+200B>width")])
def test_visible(text, shown):
    assert visible(text) == shown
