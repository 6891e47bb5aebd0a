"""The static site: a bilingual landing page, one page per table, results against targets,
and the source text with every row's quote one click away.

Everything is rendered at build time into files that work offline: local CSS and one small
local script (sorting, filtering, highlighting a quote), SVG charts drawn here, no fonts or
scripts from elsewhere. Every page is whole without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemBytecodeCache, FunctionLoader, select_autoescape
from jinja2.bccache import Bucket
from markdown_it import MarkdownIt
from markupsafe import Markup

from opendata import __version__
from opendata.bilingual import pair
from opendata.check.published import PublishedPackage
from opendata.publish import chart, schemaorg
from opendata.publish.common import LANGUAGES, Publication
from opendata.publish.pages import Pages, marked_codes
from opendata.release import changelog

FOLDERS = {"zh-Hans": "zh", "en": "en"}
NAMES = {"zh-Hans": "中文", "en": "English"}
ASSETS = ("style.css", "site.js")
PORTAL_FILES = ("dcat.ttl", "dcat.jsonld", "ckan.json")


@dataclass(frozen=True)
class SiteSettings:
    """What the site shows beyond the package and its portal facts (``Publication.portal``):
    read from ``curation/package.yaml`` and the translated changelogs."""

    report_url: str | None = None        # the official report, when its address is known
    changelog_translations: dict[str, str] = field(default_factory=dict)  # language: Markdown

    @classmethod
    def of(cls, config: dict, translations: dict[str, str] | None = None) -> SiteSettings:
        return cls(str(config["report_url"]) if config.get("report_url") else None,
                   translations or {})


def _resource(path: str) -> str:
    return resources.files(__package__).joinpath(path).read_text(encoding="utf-8")


@cache
def translations(language: str) -> NullTranslations:
    """The site's own strings for ``language``; English is the msgid itself.

    The catalog folder is zh_Hans and is opened by its path, so no zh_CN lookup can miss it.
    """
    if language == "en":
        return NullTranslations()
    catalog = read_po(BytesIO(_resource("locales/zh_Hans/LC_MESSAGES/site.po").encode()))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="site")


def environment() -> Environment:
    env = Environment(loader=FunctionLoader(lambda name: _resource(f"templates/{name}")),
                      autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.i18n"],
                      keep_trailing_newline=True, bytecode_cache=compiled_templates())
    return env


class CompiledTemplates(FileSystemBytecodeCache):
    """The site's templates as an earlier run compiled them, so that a publish does not parse
    and compile them again (0.04 to 0.08 s of CPU a run; docs/performance.md).

    They are kept in jinja2's private folder of the system's temporary directory. jinja2
    checks each against the text of its template and writes each atomically; the file names
    hold opendata's and jinja2's versions, which fix the environment the code was compiled
    for. A cache that cannot be written is no error: the templates are compiled as before.
    """

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates() -> CompiledTemplates | None:
    """The cache of compiled templates; None where there is no private temporary folder."""
    try:
        return CompiledTemplates(
            pattern=f"opendata-{__version__}-jinja2-{jinja2.__version__}-%s.cache")
    except (OSError, RuntimeError):  # jinja2 found no folder that only this user can write
        return None


def json_ld(document: dict) -> Markup:
    """JSON-LD safe inside a <script> element: no '<' can close it early."""
    return Markup(json.dumps(document, ensure_ascii=False, indent=1).replace("<", "\\u003c"))


def json_data(document: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` element."""
    return Markup(json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                  .replace("<", "\\u003c"))


_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown(text: str) -> Markup:
    """Inline Markdown of a changelog line as HTML (raw HTML in it is escaped)."""
    return Markup(_MARKDOWN.renderInline(text))


def render(publication: Publication, package: PublishedPackage, changelog_text: str,
           settings: SiteSettings | None = None) -> dict[str, bytes]:
    """Every file of the site except the downloads, by path relative to the site root."""
    site = Site(publication, package, settings)
    site.render_pages()
    site.render_landing(changelog_text)
    return site.files


class Site:
    """The files of the site, rendered in two steps.

    ``render_pages`` needs only the package, so it can run while the exports are made;
    ``render_landing`` lists every download with its size and checksum, so it runs once the
    publication's downloads are complete. Both add to ``files``, by path relative to the site
    root.
    """

    def __init__(self, publication: Publication, package: PublishedPackage,
                 settings: SiteSettings | None = None):
        self.publication = publication
        self.settings = settings or SiteSettings()
        self.env, self.pages = environment(), Pages(publication, package)
        self.files: dict[str, bytes] = {}

    def render_pages(self) -> None:
        """Every page but the landing pages: the language chooser, and in each language the
        comparison, the tables, the source text and the citations."""
        publication = self.publication
        self.files.update({f"assets/{name}": _resource(f"assets/{name}").encode()
                           for name in ASSETS})
        self.files["index.html"] = self.env.get_template("index.html").render(
            title_zh=publication.text("title", "zh-Hans"),
            title_en=publication.text("title", "en"),
            canonical=publication.url(""), alternates=_alternates(publication, ""),
            jsonld=json_ld({"@context": "https://schema.org", "@type": "WebPage",
                            "url": publication.url(""),
                            "name": publication.text("title", "zh-Hans"),
                            "about": [{"@id": schemaorg.dataset_id(publication, language)}
                                      for language in LANGUAGES]})).encode()
        for language in LANGUAGES:
            self._language_pages(language)

    def render_landing(self, changelog_text: str) -> None:
        """The landing page of each language, which lists the downloads, then the sitemap of
        every page and robots.txt."""
        publication = self.publication
        for language in LANGUAGES:
            self._landing_page(changelog_text, language)
        self.files["sitemap.xml"] = sitemap(publication,
                                            [p for p in self.files if p.endswith(".html")])
        self.files["robots.txt"] = \
            f"User-agent: *\nAllow: /\nSitemap: {publication.url('sitemap.xml')}\n".encode()

    def _gettext(self, language: str) -> Callable[[str], str]:
        """The site's strings in ``language``, installed in the templates too."""
        # added to the environment by jinja2.ext.i18n at run time, unknown to the type checker
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            translations(language).gettext, translations(language).ngettext, newstyle=False)
        return translations(language).gettext

    def _common(self, language: str) -> dict[str, Any]:
        """What every page of ``language`` shows: its header, navigation and footer."""
        publication, pages = self.publication, self.pages
        other = next(lang for lang in LANGUAGES if lang != language)
        facts = publication.facts
        gettext = translations(language).gettext
        nav = [{"name": t["name"], "title": pages.title(t["name"], language, gettext)}
               for t in publication.tables]
        return {
            "lang": language, "other_lang": other, "other_name": NAMES[other],
            "site_title": publication.text("title", language),
            "site_description": publication.text("description", language),
            "publisher": facts.source.publisher(language) if facts.source else "",
            "version": facts.version, "nav_tables": nav,
            "compare": pages.comparison is not None, "compared": pages.comparison,
            "licence": pages.licence(language), "licence_url": facts.licence.url,
        }

    def _page(self, common: dict[str, Any], path: str, template: str, depth: int, title: str,
              jsonld: dict | None = None, **context: Any) -> None:
        """Page ``path`` of the language of ``common`` (see ``_common``)."""
        publication, language = self.publication, common["lang"]
        folder, other = FOLDERS[language], common["other_lang"]
        up = "../" * depth
        record = jsonld or schemaorg.page(publication, language, title, f"{folder}/{path}")
        self.files[f"{folder}/{path}"] = self.env.get_template(template).render(
            **common, **context, root=up + "../", prefix=up, page_title=title,
            jsonld=json_ld(record), canonical=publication.url(f"{folder}/{path}"),
            alternates=_alternates(publication, path),
            other_href=f"{up}../{FOLDERS[other]}/{path}").encode()

    def _language_pages(self, language: str) -> None:
        publication, pages, settings = self.publication, self.pages, self.settings
        gettext = self._gettext(language)
        folder, facts, common = FOLDERS[language], publication.facts, self._common(language)
        pairs = pages.pairs(language)
        reviewed, planned = _years(pages)
        chart_args = (gettext("Results against targets"),
                      gettext("Paired bars for each indicator: the result of {reviewed} "
                              "and the target for {planned}.").format(reviewed=reviewed,
                                                                      planned=planned),
                      (gettext("Result {year}").format(year=reviewed),
                       gettext("Target {year}").format(year=planned)))
        wrap = 20 if language == "zh-Hans" else 40
        if pages.comparison is not None:
            self.files[f"{folder}/chart.svg"] = chart.svg(
                [p for p, _, _ in pairs], *chart_args, wrap=wrap, width="980",
                standalone=True).encode()
            by = pages.comparison.by
            self._page(common, "compare.html", "compare.html", 0,
                       gettext("Results against targets"), active="compare", pairs=pairs,
                       notes={result[by]: pages.scope_note(result[by], language)
                              for _, result, _ in pairs},
                       close=pages.close_pairs(language), reviewed=reviewed, planned=planned,
                       chart=Markup(chart.svg([p for p, _, _ in pairs], *chart_args,
                                              wrap=wrap)))
        for resource in publication.tables:
            table = pages.table(resource, language, gettext)
            self._page(common, f"tables/{resource['name']}.html", "table.html", 1,
                       table.title, active=resource["name"], table=table,
                       data=json_data({"columns": table.csv_columns,
                                       "rows": [[row.get(c, "") for c in table.csv_columns]
                                                for row in pages.package.rows(resource["name"])]}))
        self._page(common, "source.html", "source.html", 0, gettext("Source text"),
                   active="source", lines=pages.source_lines(), report_url=settings.report_url,
                   source_file=next((d.path for d in publication.downloads
                                     if d.format == "TXT"), None),
                   source_title=facts.source.title.zh if facts.source else "",
                   source_gloss=facts.source.title.en
                   if facts.source and language == "en" else None,
                   evidence=json_data({e.row: e.pieces for e in pages.evidence()}))
        self.files[f"{folder}/citation.bib"] = bibtex(publication, pages, language).encode()
        self.files[f"{folder}/citation.ris"] = ris(publication, pages, language).encode()

    def _landing_page(self, changelog_text: str, language: str) -> None:
        publication, pages, settings = self.publication, self.pages, self.settings
        gettext = self._gettext(language)
        variables = [{"@type": "PropertyValue", "identifier": key, "name": name,
                      **({"unitText": pages.unit_label(unit, language)} if unit else {})}
                     for key, name, unit in pages.measured(language)]
        reviewed, planned = _years(pages)
        self._page(self._common(language), "index.html", "landing.html", 0, gettext("Overview"),
                   jsonld=schemaorg.dataset(publication, language, variables,
                                            settings.report_url),
                   active="index", settings=settings, portal=publication.portal,
                   headline=pages.headline(language),
                   reviewed=reviewed, planned=planned, portal_files=PORTAL_FILES,
                   **_landing(pages, publication, changelog_text, language, gettext,
                              settings))


def _alternates(publication: Publication, path: str) -> list[tuple[str, str]]:
    """hreflang alternates of a page in every language, and the language chooser as default."""
    found = [(language, publication.url(f"{FOLDERS[language]}/{path}")) for language in LANGUAGES]
    return [*found, ("x-default", publication.url(""))]


def sitemap(publication: Publication, paths: list[str]) -> bytes:
    """sitemap.xml, each page with its other-language alternates (xhtml:link)."""
    entries = []
    for path in sorted(paths):
        links = ""
        if "/" in path:
            page = path.split("/", 1)[1]
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{language}" href={quoteattr(url)}/>'
                for language, url in _alternates(publication, page) if language != "x-default")
        entries.append(f"<url><loc>{escape(publication.url(path))}</loc>{links}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
            + "\n".join(entries) + "\n</urlset>\n").encode()


def _years(pages: Pages) -> tuple[str, str]:
    compared = pages.comparison
    results = pages.package.rows(compared.results) if compared else []
    targets = pages.package.rows(compared.targets) if compared else []
    return (results[0]["year"] if results else "", targets[0]["year"] if targets else "")


def _landing(pages: Pages, publication: Publication, changelog_text: str, language: str,
             gettext: Callable[[str], str], settings: SiteSettings) -> dict:
    downloads = [{"path": d.path, "title": d.title(language), "format": d.format,
                  "size": pages.size(d.bytes, language), "sha256": d.sha256}
                 for d in publication.downloads]
    tables = [{"name": t["name"], "title": pages.title(t["name"], language, gettext),
               "description": marked_codes(pair(t, "description")[language], language),
               "count": len(pages.package.rows(t["name"]))} for t in publication.tables]
    return {"facts": pages.facts(language, gettext), "tables": tables,
            "downloads": downloads, "citation": pages.citation(language),
            "other_citations": [(other, pages.citation(other)) for other in LANGUAGES
                                if other != language],
            "changelog": _changelog(changelog_text, settings.changelog_translations.get(language),
                                    language)}


def _changelog(text: str, translated: str | None, language: str) -> list[dict]:
    """The released entries, each in the page's language where the translated changelog has
    it, otherwise in English (marked so)."""
    own = {e.version: e for e in changelog.entries(translated or "")}
    found = []
    for entry in changelog.entries(text):
        shown, lang = (own[entry.version], None) if entry.version in own else (
            entry, None if language == "en" else "en")
        found.append({"version": entry.version, "date": entry.date, "lang": lang,
                      "summary": [markdown(p) for p in shown.summary],
                      "sections": [(title, [markdown(i) for i in items])
                                   for title, items in shown.sections]})
    return found


def _citation_facts(publication: Publication, pages: Pages, language: str) -> dict:
    facts = publication.facts
    return {"title": facts.title(language), "authors": [facts.creator],
            "year": facts.year, "version": facts.version, "url": facts.landing_page(language),
            "licence": facts.licence.id, "date": facts.released or ""}


def bibtex(publication: Publication, pages: Pages, language: str) -> str:
    """The dataset as a BibTeX @misc entry (biblatex reads it as @dataset's fallback)."""
    facts = _citation_facts(publication, pages, language)

    def braced(text: str) -> str:
        return "{" + text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}") + "}"

    key = f"{publication.facts.name}-{facts['version']}".replace(".", "-")
    fields = [("title", braced(facts["title"])),
              ("author", braced(" and ".join(braced(a) for a in facts["authors"]))),
              ("year", facts["year"]), ("version", braced(facts["version"])),
              ("url", braced(facts["url"])), ("howpublished", braced("Data set")),
              ("note", braced(f"Licence: {facts['licence']}"))]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(publication: Publication, pages: Pages, language: str) -> str:
    """The dataset as an RIS record (type DATA), for reference managers."""
    facts = _citation_facts(publication, pages, language)
    lines = [("TY", "DATA"), ("TI", facts["title"]), *(("AU", a) for a in facts["authors"]),
             ("PY", facts["year"]), ("ET", facts["version"]), ("UR", facts["url"]),
             ("LA", language), ("DA", facts["date"].replace("-", "/")),
             ("N1", f"Licence: {facts['licence']}"), ("ER", "")]
    # One line per tag: a line break inside a value would start a new tag.
    return "".join(f"{tag}  - {' '.join(str(value).split())}\r\n" for tag, value in lines)
