"""The published site as files: offline, accessible, bilingual, every row present and traced."""

import csv
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import threading
import urllib.request
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from conftest import ROOT, copy_project, needs_proc, run_cli, workers_left_by_a_killed_run
from opendata import bilingual
from opendata.publish.labels import Labels, label
from opendata.publish.messages import needed
from opendata.publish.pages import marked_codes
from opendata.publish.serve import server
from opendata.publish.site import environment, translations

BASE = "https://data.example.org/erqi/"
REPORT = "https://www.example.gov.cn/erqi/2024-work-report.html"
CATALOG = ROOT / "src/opendata/publish/locales/zh_Hans/LC_MESSAGES/site.po"
TABLES = ("results", "targets", "projects", "honors", "indicators", "units")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = copy_project(ROOT, tmp_path_factory.mktemp("publish") / "project")
    shutil.copy2(ROOT / "CHANGELOG.zh-Hans.md", project.root / "CHANGELOG.zh-Hans.md")
    config = project.root / "curation/package.yaml"
    settings = config.read_text("utf-8")
    for key, value in (("contact", "data@example.org"), ("update_frequency", "annual")):
        settings = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", settings)
    config.write_text(settings + f"report_url: {REPORT}\n", "utf-8")
    result = run_cli("publish", "--project", str(project.root), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    return project


class Page(HTMLParser):
    """What the tests look at in one HTML page."""

    def __init__(self, text):
        super().__init__()
        self.lang, self.urls, self.scripts, self.rows, self.headers = None, [], [], 0, 0
        self.in_rows, self.in_script, self.jsonld = False, False, []
        self.links, self.row_ids, self.figure_links = [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "link":
            self.links.append(attrs)
        for key in ("href", "src"):
            if key in attrs and tag != "link":
                self.urls.append(attrs[key])
        if tag == "table" and attrs.get("id") == "rows":
            self.in_rows = True
        if self.in_rows and tag == "tr":
            self.rows += 1
            if attrs.get("id"):
                self.row_ids.append(attrs["id"])
        if tag == "th" and self.in_rows:
            self.headers += 1
        if tag == "a" and "figure" in (attrs.get("class") or "").split():
            self.figure_links.append(attrs["href"])
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


def rows(project, table):
    return list(csv.DictReader(io.StringIO(project.table(table).read_text("utf-8"))))


def test_every_page_has_a_language_and_no_outside_resources(published):
    found = pages(published)
    assert {"index.html", "zh/index.html", "en/index.html", "zh/compare.html",
            "en/tables/results.html", "zh/source.html", "en/source.html"} <= set(found)
    for path, page in found.items():
        assert page.lang in {"zh-Hans", "en"}, path
        assert path == "index.html" or page.lang == ("zh-Hans" if path.startswith("zh/") else "en")
        for url in page.urls:
            assert not re.match(r"^(https?:)?//", url) or url.startswith(
                ("https://creativecommons.org/", REPORT)), f"{path} loads {url}"


def test_one_dataset_per_language_on_its_landing_page_only(published):
    found = pages(published)
    datasets = {}
    for path, page in found.items():
        record = json.loads("".join(page.jsonld))
        if path in ("zh/index.html", "en/index.html"):
            assert record["@type"] == "Dataset", path
            datasets[path] = record
        else:
            assert record["@type"] == "WebPage", path
            about = record["about"] if isinstance(record["about"], list) else [record["about"]]
            assert {a["@id"] for a in about} <= {f"{BASE}zh/#dataset", f"{BASE}en/#dataset"}
    zh, en = datasets["zh/index.html"], datasets["en/index.html"]
    assert (zh["@id"], en["@id"]) == (f"{BASE}zh/#dataset", f"{BASE}en/#dataset")
    assert zh["name"] != en["name"]
    indicators = rows(published, "indicators")
    assert [v["identifier"] for v in en["variableMeasured"]] == [i["id"] for i in indicators]
    assert [v["name"] for v in zh["variableMeasured"]] == [i["name_zh"] for i in indicators]
    assert en["isBasedOn"]["url"] == REPORT and en["isBasedOn"]["@type"] == "Report"


def test_canonical_hreflang_and_sitemap(published):
    found = pages(published)
    sitemap = (published.root / "site/sitemap.xml").read_text("utf-8")
    for path, page in found.items():
        canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        assert canonical == [BASE + ("" if path == "index.html" else path)], path
        alternates = {link["hreflang"]: link["href"] for link in page.links
                      if link.get("rel") == "alternate"}
        assert set(alternates) == {"zh-Hans", "en", "x-default"}, path
        assert f"<loc>{BASE + path}</loc>" in sitemap, path
    assert sitemap.count("<url>") == len(found)
    assert f"Sitemap: {BASE}sitemap.xml" in (published.root / "site/robots.txt").read_text()


def test_every_table_page_holds_every_row_with_its_permalink(published):
    found = pages(published)
    for table in TABLES:
        expected = [row["id"] for row in rows(published, table)]
        for language in ("zh", "en"):
            page = found[f"{language}/tables/{table}.html"]
            assert page.rows == len(expected) + 1  # the header row too
            assert page.row_ids == expected


def test_every_figure_links_to_its_source_line(published):
    found = pages(published)
    for table in ("results", "targets", "projects"):
        links = found[f"en/tables/{table}.html"].figure_links
        expected = [f"../source.html?row={table}.{row['id']}#L{row['source_line']}"
                    for row in rows(published, table)
                    for column in ("value", "project_count", "total_investment",
                                   "annual_investment", "threshold_investment")
                    if row.get(column)]
        assert links == expected, table
    source = (published.root / "site/en/source.html").read_text("utf-8")
    lines = (published.root / "data/source/erqi-2024-government-work-report.zh.txt") \
        .read_text("utf-8").split("\n")
    assert source.count('<li id="L') == len(lines)


def test_the_evidence_of_a_quote_across_lines_covers_both_lines(published):
    source = (published.root / "site/zh/source.html").read_text("utf-8")
    evidence = json.loads(re.search(r'<script type="application/json" id="evidence">(.*?)'
                                    r"</script>", source, re.S)[1])
    text = (published.root / "data/source/erqi-2024-government-work-report.zh.txt") \
        .read_text("utf-8").split("\n")
    for table in ("results", "targets", "projects", "honors"):
        for row in rows(published, table):
            pieces = evidence[f"{table}.{row['id']}"]
            covered = "".join(text[line - 1][start:end] for line, start, end in pieces)
            quoted = "".join(row["source_quote"].split())
            assert quoted in "".join(covered.split()), row["id"]
            assert pieces[0][0] == int(row["source_line"])
    pieces = evidence["results.retail-sales-growth-2023"]
    assert [line for line, _, _ in pieces][:2] == [329, 330]


def test_english_page_reads_figures_in_english_and_chinese_page_as_printed(published):
    english = (published.root / "site/en/tables/projects.html").read_text("utf-8")
    chinese = (published.root / "site/zh/tables/projects.html").read_text("utf-8")
    assert "11.795 billion yuan" in english
    assert "117.95亿元" in chinese


class Compared(HTMLParser):
    """The rows of the compare page's two tables: the pairs by indicator, with any note on
    their scope, and the close measures by (result, target), with how their scopes differ."""

    def __init__(self, text):
        super().__init__()
        self.notes: dict[str, str] = {}
        self.close: dict[tuple[str, str], str] = {}
        self.close_rows = 0
        self.table = self.row = None
        self.links: list[str] = []
        self.cells: list[str] = []
        self.in_note = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("id")
        elif tag == "tr" and self.table == "compare" and attrs.get("id"):
            self.row = attrs["id"]
            self.notes[self.row] = ""
        elif tag == "tr" and self.table == "close":
            self.links, self.cells = [], []
        elif tag == "span" and attrs.get("class") == "scope-note":
            self.in_note = True
        elif tag == "a" and self.table == "close":
            self.links.append(attrs["href"].rsplit("#", 1)[1])
        elif tag == "td" and self.table == "close":
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "span":
            self.in_note = False
        elif tag == "tr" and self.table == "close" and len(self.links) == 2:
            self.close[tuple(self.links)] = self.cells[-1]
            self.close_rows += 1
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.in_note:
            self.notes[self.row] += data
        elif self.table == "close" and self.cells:
            self.cells[-1] += data


def test_the_compare_page_notes_each_scope_and_shows_close_measures_beside(published):
    """Linked, never merged: a pair whose indicator's scope differs between the years says
    how, and a result and a target of two close measures (``compare_with``) stand side by
    side with their note, out of the chart."""
    descriptor = json.loads(published.descriptor.read_text("utf-8"))
    [declared] = [r["opendata:quoted"]["compare"] for r in descriptor["resources"]
                  if "compare" in r.get("opendata:quoted", {})]
    by, close, note = declared["by"], declared["close"], declared["note"]
    measures = {row["id"]: row for row in rows(published, "indicators")}
    results, targets = ({row[by]: row["id"] for row in rows(published, table) if row["value"]}
                        for table in ("results", "targets"))
    for language, suffix in (("en", "_en"), ("zh", "_zh")):
        page = Compared((published.root / f"site/{language}/compare.html").read_text("utf-8"))
        assert page.notes and set(page.notes) == set(results) & set(targets)
        assert page.notes == {key: "" if measures[key][close] else measures[key][note + suffix]
                              for key in page.notes}
        assert any(page.notes.values())  # some scopes differ in this report
        expected = {}
        for key, measure in measures.items():
            for reviewed, planned in ((key, measure[close]), (measure[close], key)):
                if measure[close] and reviewed in results and planned in targets:
                    expected[(results[reviewed], targets[planned])] = measure[note + suffix]
        assert expected and page.close == expected
        assert page.close_rows == len(page.close)
        chart = (published.root / f"site/{language}/chart.svg").read_text("utf-8")
        assert not any(measure[f"name{suffix}"] in chart for key, measure in measures.items()
                       if measure[close])


def test_two_measures_that_name_each_other_are_listed_once(tmp_path):
    project = copy_project(ROOT, tmp_path / "project")
    curation = project.root / "curation/indicators.yaml"
    text = curation.read_text("utf-8")
    linked = re.search(r"\{id: ([a-z0-9-]+),.*compare_with: ([a-z0-9-]+), "
                       r"(comparability_note: [^}]+)\}", text)
    assert linked is not None
    first, other, note = linked.groups()
    line = re.search(rf"(?m)^- \{{id: {other},.*\}}$", text)[0]
    curation.write_text(text.replace(line, f"{line[:-1]}, compare_with: {first}, {note}}}"),
                        "utf-8")
    for command in (("build",), ("publish", "--preview")):
        result = run_cli(*command, "--project", str(project.root))
        assert result.exit_code == 0, result.output
    page = Compared((project.root / "site/en/compare.html").read_text("utf-8"))
    assert page.close and page.close_rows == len(page.close)  # none listed twice


def test_chinese_pages_speak_chinese(published):
    landing = (published.root / "site/zh/index.html").read_text("utf-8")
    results = (published.root / "site/zh/tables/results.html").read_text("utf-8")
    assert label("licence", "CC-BY-4.0", "zh-Hans") in landing
    assert "Creative Commons" not in landing.split("<footer")[0].split('id="changes-heading"')[0]
    descriptor = json.loads((published.root / "datapackage.json").read_text("utf-8"))
    titles = {t: bilingual.table_label(descriptor, t)["zh-Hans"] for t in ("results", "targets")}
    dated = translations("zh-Hans").gettext("{title}, {year}")
    assert dated.format(title=titles["results"], year=2023) in results
    assert dated.format(title=titles["targets"], year=2024) in landing
    assert "，" in landing and re.search(r"[\u4e00-\u9fff], ", landing) is None
    headers = re.findall(r'<th scope="col"[^>]*>(?:<button type="button">)?([^<]*)<', results)
    assert {bilingual.field_label(descriptor, "results", f)["zh-Hans"]
            for f in ("indicator", "value")} <= set(headers)
    assert not [h for h in headers if re.fullmatch(r"[a-z_]+", h)], headers
    # The changelog in Chinese where it has a translation, its Markdown rendered.
    assert "首次发布" in landing and "<code>indicators</code>" in landing and "`" not in landing


def test_english_pages_mark_chinese_text_and_gloss_it(published):
    honors = (published.root / "site/en/tables/honors.html").read_text("utf-8")
    source = (published.root / "site/en/source.html").read_text("utf-8")
    assert '<ol class="source verbatim" lang="zh-Hans">' in source
    quote = rows(published, "honors")[0]["source_quote"]
    assert f'<span lang="zh-Hans" class="verbatim">{quote}</span>' in honors
    projects = (published.root / "site/en/tables/projects.html").read_text("utf-8")
    assert "in_progress" not in re.sub(r'<code translate="no">.*?</code>|<script.*?</script>|'
                                       r'data-[\w-]+="[^"]*"|value="[^"]*"', "", projects,
                                       flags=re.S)


def _package_labels():
    descriptor = json.loads((ROOT / "datapackage.json").read_text("utf-8"))
    units = list(csv.DictReader(io.StringIO((ROOT / "data/units.csv").read_text("utf-8"))))
    return descriptor, units, Labels(descriptor, units)


def test_labels_are_the_descriptors_and_plurals_follow_cldr():
    descriptor, units, site = _package_labels()
    for language in ("zh-Hans", "en"):
        assert site.code("projects", "status", "in_progress", language) == \
            bilingual.category_label(descriptor, "projects", "status", "in_progress")[language]
        assert site.field("projects", "name_zh", language) == \
            bilingual.field_label(descriptor, "projects", "name_zh")[language]
        assert site.table("results", language) == \
            bilingual.table_label(descriptor, "results")[language]
    school = bilingual.unit_label(units, "school")
    assert site.unit("school", "en", Decimal(2)) == school["en"]  # the package's label: many
    assert site.unit("school", "en", Decimal("1.0")) == school["en"]  # CLDR: "1.0" is other
    singular = site.unit("school", "en", Decimal(1))  # CLDR "one": the catalog's singular
    assert singular != school["en"] and school["en"].startswith(singular.split()[0])
    assert site.unit("school", "zh-Hans", Decimal(1)) == school["zh-Hans"]
    assert site.code("results", "estimate", "true", "zh-Hans") == label("boolean", "true",
                                                                        "zh-Hans") != "true"


def test_codes_in_descriptions_are_marked_as_code():
    assert marked_codes("单位见 `unit`；准确值（exact）", "zh-Hans") == \
        '单位见 <code translate="no">unit</code>；准确值（<code translate="no">exact</code>）'
    assert marked_codes("completed, in_progress, or planned", "en") == \
        'completed, <code translate="no">in_progress</code>, or planned'
    assert marked_codes("见其 *_aspirational 标志", "zh-Hans") == \
        '见其 <code translate="no">*_aspirational</code> 标志'


def test_the_landing_page_is_catalogue_grade(published):
    landing = (published.root / "site/en/index.html").read_text("utf-8")
    for href in ("../dcat.ttl", "../dcat.jsonld", "../ckan.json", "chart.svg", "citation.bib",
                 "citation.ris", REPORT, "mailto:data@example.org"):
        assert f'href="{href}"' in landing, href
    assert "Update frequency" in landing and ">annual<" in landing
    assert landing.count('class="headline-value"') == 5
    assert " KiB" in landing and " kB" not in landing
    bib = (published.root / "site/en/citation.bib").read_text("utf-8")
    assert bib.startswith("@misc{") and f"url = {{{BASE}en/}}" in bib
    ris = (published.root / "site/zh/citation.ris").read_bytes().decode("utf-8")
    assert ris.startswith("TY  - DATA\r\n") and ris.endswith("ER  - \r\n")
    assert "TI  - 郑州市二七区" in ris
    svg = (published.root / "site/en/chart.svg").read_text("utf-8")
    assert svg.startswith("<?xml") and svg.count('class="bar"') > 10


def test_downloads_are_listed_with_size_and_checksum(published):
    import hashlib

    landing = (published.root / "site/en/index.html").read_text("utf-8")
    for path in (published.root / "site/downloads").rglob("*"):
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() in landing, path.name
    descriptor = json.loads(published.descriptor.read_text("utf-8"))
    for suffix in ("zip", "xlsx"):
        name = f"{descriptor['name']}-{descriptor['version']}.{suffix}"
        assert (published.root / "dist" / name).is_file()
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


def test_serve_sends_utf8_for_text(published):
    httpd = server(published.root / "site", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        for path, media_type in (("downloads/data/source/erqi-2024-government-work-report.zh.txt",
                                  "text/plain"), ("zh/index.html", "text/html"),
                                 ("downloads/data/results.csv", "text/csv"),
                                 ("dcat.jsonld", "application/ld+json")):
            with urllib.request.urlopen(base + path) as response:
                assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
        descriptor = json.loads(published.descriptor.read_text("utf-8"))
        archive = f"downloads/{descriptor['name']}-{descriptor['version']}.zip"
        with urllib.request.urlopen(base + archive) as response:
            assert response.headers["Content-Type"] == "application/zip"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_site_catalog_translates_every_string_it_needs():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    for message in needed():
        entry = catalog.get(message)
        assert entry is not None and entry.string and not entry.fuzzy, message
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for translation in translations:
            assert set(re.findall(r"{\w+}", message)) == set(re.findall(r"{\w+}", translation))


def test_the_labels_catalogs_hold_no_label_of_the_package():
    """The site's labels catalogs hold only what the descriptor does not: booleans,
    frequencies, licences, and English singulars, each keyed by a unit label of the package."""
    from opendata.publish.labels import _catalog

    _, units, site = _package_labels()
    english = {unit["label_en"] for unit in units}
    for language in ("zh-Hans", "en"):
        contexts = {context for context, _ in _catalog(language)}
        assert contexts <= {"boolean", "frequency", "licence", "unit"}, contexts
    plurals = {key for context, key in _catalog("en") if context == "unit"}
    assert plurals and plurals <= english, plurals - english  # no singular of a stale label
    for unit in units:
        assert site.unit(unit["id"], "en", Decimal(1)) and site.unit(unit["id"], "en", Decimal(2))


def test_a_row_with_a_context_quote_is_highlighted_in_both_places():
    """Interleaved columns: a row whose evidence includes the start of its sentence in
    another block (context_quote/context_line) is highlighted there too."""
    from opendata.check.published import PublishedPackage
    from opendata.publish.common import Publication
    from opendata.publish.pages import Pages

    package = PublishedPackage.open(ROOT / "datapackage.json")
    row = dict(next(r for r in package.rows("targets") if r["id"] == "tech-smes-2024"))
    row.update(context_quote="力争新增", context_line="156")  # the sentence starts on 156
    package._rows["targets"] = [row]
    publication = Publication(package.descriptor, BASE)
    [evidence] = [e for e in Pages(publication, package).evidence()
                  if e.row == "targets.tech-smes-2024"]
    lines = (ROOT / "data/source/erqi-2024-government-work-report.zh.txt") \
        .read_text("utf-8").split("\n")
    shown = {line: "".join(lines[line - 1][start:end].split())
             for line, start, end in evidence.pieces}
    assert shown[211].startswith("中小企业55家") and shown[156] == "力争新增"


def test_an_invalid_package_is_refused_with_its_problems_and_nothing_is_published(tmp_path):
    """The exports are made while the package is validated: a cell they cannot read still
    comes out as the validator's problem, and nothing is published."""
    project = copy_project(ROOT, tmp_path / "project")
    table = project.table("results")
    lines = table.read_text("utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[1]]))
    cells[header.index("value")] = "16x"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    table.write_text(lines[0] + buffer.getvalue() + "".join(lines[2:]), encoding="utf-8")
    result = run_cli("publish", "--project", str(project.root), "--base-url", BASE)
    assert result.exit_code == 1, result.output
    assert "data/results.csv" in result.output and "16x" in result.output
    assert re.search(r"failed: \d+ problem\(s\)", result.output)
    assert "Traceback" not in result.output
    assert not (project.root / "site").exists() and not (project.root / "dist").exists()


def _killed(*args):
    """A task that dies as a worker killed by the system (out of memory) would."""
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the worker sees the patched task only when it is forked")
def test_a_killed_worker_stops_the_publish_in_one_line_and_publishes_nothing(tmp_path,
                                                                           monkeypatch):
    import opendata.publish as publishing

    project = copy_project(ROOT, tmp_path / "project")
    monkeypatch.setattr(publishing, "_exports", _killed)  # the workers are forked after this
    result = run_cli("publish", "--project", str(project.root), "--base-url", BASE)
    assert result.exit_code == 1, result.output
    assert result.output == ("Error: publish: a worker process was stopped before it "
                             "finished; nothing was published\n")
    assert not (project.root / "site").exists() and not (project.root / "dist").exists()
    assert not (project.root / ".opendata/tmp").exists()  # this run cleaned its own


TEMPLATES = sorted(p.name for p in (ROOT / "src/opendata/publish/templates").iterdir())


def _compiles(monkeypatch):
    """The names of the templates jinja2 compiles from now on."""
    compiled = []
    real = Environment.compile

    def compile_and_note(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)
    monkeypatch.setattr(Environment, "compile", compile_and_note)
    return compiled


def _environment():
    env = environment()
    env.install_null_translations()  # type: ignore[attr-defined]
    return env


def test_a_run_uses_the_templates_an_earlier_run_compiled(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # a temporary folder of its own
    compiled = _compiles(monkeypatch)
    first = _environment()
    for name in TEMPLATES:
        first.get_template(name)
    assert sorted(compiled) == TEMPLATES
    compiled.clear()
    again = _environment()  # as the next run makes it
    for name in TEMPLATES:
        again.get_template(name)
    assert compiled == []
    page = {"title_zh": "标题", "title_en": "Title", "canonical": BASE}
    assert again.get_template("index.html").render(page) == \
        first.get_template("index.html").render(page)


def test_without_a_private_temporary_folder_templates_are_compiled_each_time(tmp_path,
                                                                             monkeypatch):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    compiled = _compiles(monkeypatch)
    pages = [_environment().get_template("index.html").render() for _ in range(2)]
    assert pages[0] == pages[1] and "<html" in pages[0]
    assert compiled == ["index.html", "index.html"]


@needs_proc
def test_no_worker_outlives_a_killed_publish(tmp_path):
    project = copy_project(ROOT, tmp_path / "project")
    assert workers_left_by_a_killed_run(["publish", "--preview"], project.root) == set()


def test_every_file_a_publish_commits_was_synced_where_it_was_staged(tmp_path, monkeypatch):
    """After a power cut that follows the commit, no file of site/ or dist/ may be empty:
    each is synced to disk before it is swapped in (a rename keeps the file's inode)."""
    project = copy_project(ROOT, tmp_path / "project")
    synced, sync = set(), os.fsync

    def recording(descriptor):
        synced.add(os.fstat(descriptor).st_ino)
        sync(descriptor)

    monkeypatch.setattr(os, "fsync", recording)
    result = run_cli("publish", "--project", str(project.root), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    committed = [path for folder in ("site", "dist")
                 for path in (project.root / folder).rglob("*") if path.is_file()]
    assert len(committed) > 40
    assert [path for path in committed if path.stat().st_ino not in synced] == []
