"""The published site as files: offline, accessible, bilingual, every row present."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, copy_project, run_cli
from opendata.publish.messages import needed

BASE = "https://data.example.org/erqi/"
CATALOG = ROOT / "src/opendata/publish/locales/zh_Hans/LC_MESSAGES/site.po"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = copy_project(ROOT, tmp_path_factory.mktemp("publish") / "project")
    result = run_cli("publish", "--project", str(project.root), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    return project


class Page(HTMLParser):
    """What the tests look at in one HTML page."""

    def __init__(self, text):
        super().__init__()
        self.lang, self.urls, self.scripts, self.rows, self.headers = None, [], [], 0, 0
        self.in_rows, self.in_script, self.jsonld = False, False, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        for key in ("href", "src"):
            if key in attrs:
                self.urls.append(attrs[key])
        if tag == "table" and attrs.get("id") == "rows":
            self.in_rows = True
        if self.in_rows and tag == "tr":
            self.rows += 1
        if tag == "th" and self.in_rows:
            self.headers += 1
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self.in_script = True

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_rows = False
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.jsonld.append(data)


def pages(project):
    site = project.root / "site"
    return {p.relative_to(site).as_posix(): Page(p.read_text("utf-8"))
            for p in site.rglob("*.html")}


def test_every_page_has_a_language_json_ld_and_no_outside_resources(published):
    found = pages(published)
    assert {"index.html", "zh/index.html", "en/index.html", "zh/compare.html",
            "en/tables/results.html"} <= set(found)
    for path, page in found.items():
        assert page.lang in {"zh-Hans", "en"}, path
        assert path == "index.html" or page.lang == ("zh-Hans" if path.startswith("zh/") else "en")
        dataset = json.loads("".join(page.jsonld))
        assert dataset["@type"] == "Dataset", path
        for url in page.urls:
            assert not re.match(r"^(https?:)?//", url) or url.startswith(
                ("https://creativecommons.org/",)), f"{path} loads {url}"


def test_every_table_page_holds_every_row_with_headers(published):
    found = pages(published)
    for table in ("results", "targets", "projects", "honors", "indicators", "units"):
        rows = list(csv.DictReader(io.StringIO(published.table(table).read_text("utf-8"))))
        for language in ("zh", "en"):
            page = found[f"{language}/tables/{table}.html"]
            assert page.rows == len(rows) + 1  # the header row too
            hidden = "_en" if language == "zh" else "_zh"
            assert page.headers == len([c for c in rows[0] if not c.endswith(hidden)])


def test_english_page_reads_figures_in_english_and_chinese_page_as_printed(published):
    english = (published.root / "site/en/tables/projects.html").read_text("utf-8")
    chinese = (published.root / "site/zh/tables/projects.html").read_text("utf-8")
    assert "11.795 billion yuan" in english
    assert "117.95亿元" in chinese


def test_downloads_are_listed_with_size_and_checksum(published):
    import hashlib

    landing = (published.root / "site/en/index.html").read_text("utf-8")
    for path in (published.root / "site/downloads").rglob("*"):
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() in landing, path.name
    descriptor = json.loads(published.descriptor.read_text("utf-8"))
    for suffix in ("zip", "xlsx"):
        assert (published.root / f"dist/{descriptor['name']}-{descriptor['version']}.{suffix}").is_file()
    assert (published.root / f"dist/{descriptor['name']}.sqlite").is_file()  # no dot: Datasette


def test_portal_metadata_uses_the_base_url(published):
    for name in ("dcat.ttl", "dcat.jsonld", "ckan.json"):
        text = (published.root / "site" / name).read_text("utf-8")
        assert f"{BASE}downloads/data/results.csv" in text, name
        assert "localhost" not in text


def test_the_landing_page_cites_as_the_workbook_does(published):
    """One citation in each language: the landing page's is the XLSX about sheet's."""
    import openpyxl
    from markupsafe import escape

    descriptor = json.loads(published.descriptor.read_text("utf-8"))
    book = openpyxl.load_workbook(
        published.root / f"dist/{descriptor['name']}-{descriptor['version']}.xlsx")
    about = dict(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    for folder in ("zh", "en"):
        landing = (published.root / "site" / folder / "index.html").read_text("utf-8")
        for language in ("zh", "en"):
            cited = next(v for k, v in about.items() if f"citation ({language})" in k)
            assert str(escape(cited)) in landing, (folder, language)


def test_the_landing_pages_send_excel_users_to_the_workbook(published):
    descriptor = json.loads(published.descriptor.read_text("utf-8"))
    workbook = f"downloads/{descriptor['name']}-{descriptor['version']}.xlsx"
    for folder, words in (("zh", "使用 Excel"), ("en", "Working in Excel")):
        landing = (published.root / "site" / folder / "index.html").read_text("utf-8")
        note = landing[landing.index(words):]
        assert f'href="../{workbook}"' in note[:note.index("</p>")], folder


def test_no_file_names_localhost_after_a_publish_that_is_not_a_preview(published):
    found = [path for path in (published.root / "site").rglob("*")
             if path.is_file() and b"localhost" in path.read_bytes()]
    assert found == []


def test_ckan_owner_org_comes_from_the_config_or_the_option(published, tmp_path):
    import yaml

    config = yaml.safe_load((published.root / "curation/package.yaml").read_text("utf-8"))
    payload = json.loads((published.root / "site/ckan.json").read_text("utf-8"))
    assert payload["owner_org"] == config["ckan_owner_org"]
    project = copy_project(ROOT, tmp_path / "project")
    result = run_cli("publish", "--project", str(project.root), "--base-url", BASE,
                     "--ckan-owner-org", "district-data-office")
    assert result.exit_code == 0, result.output
    payload = json.loads((project.root / "site/ckan.json").read_text("utf-8"))
    assert payload["owner_org"] == "district-data-office"


def test_a_publish_without_a_base_url_says_where_to_set_one(built):
    result = run_cli("publish", "--project", str(built.root))  # the fixture sets no base_url
    assert result.exit_code != 0
    assert "no base URL" in result.output and "--base-url" in result.output
    assert "Traceback" not in result.output and not (built.root / "site").exists()


def test_a_publish_for_a_local_address_needs_preview(tmp_path):
    project = copy_project(ROOT, tmp_path / "project")
    refused = run_cli("publish", "--project", str(project.root),
                      "--base-url", "http://localhost:8000/")
    assert refused.exit_code != 0 and "--preview" in refused.output
    assert not (project.root / "site").exists()
    preview = run_cli("publish", "--project", str(project.root), "--preview")
    assert preview.exit_code == 0, preview.output
    assert "PREVIEW" in preview.output and "http://localhost:8000/" in preview.output
    assert "http://localhost:8000/#dataset" in (project.root / "site/dcat.ttl").read_text("utf-8")


def test_the_site_catalog_translates_every_string_it_needs():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    for message in needed():
        entry = catalog.get(message)
        assert entry is not None and entry.string and not entry.fuzzy, message
        assert set(re.findall(r"{\w+}", message)) == set(re.findall(r"{\w+}", entry.string))
