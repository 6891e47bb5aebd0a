"""The static site: a bilingual landing page, one page per table, results against targets.

Everything is rendered at build time into files that work offline: local CSS and one small
local script for sorting, SVG charts drawn here, no fonts or scripts from elsewhere.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Callable

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup

from opendata.labels import pair
from opendata import changelog
from opendata.package import PublishedPackage
from opendata.publish import chart, schemaorg
from opendata.publish.common import LANGUAGES, Publication
from opendata.publish.pages import Pages

FOLDERS = {"zh-Hans": "zh", "en": "en"}
NAMES = {"zh-Hans": "中文", "en": "English"}
ASSETS = ("style.css", "sort.js")


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
                      keep_trailing_newline=True)
    return env


def json_ld(document: dict) -> Markup:
    """JSON-LD safe inside a <script> element: no '<' can close it early."""
    return Markup(json.dumps(document, ensure_ascii=False, indent=1).replace("<", "\\u003c"))


def render(publication: Publication, package: PublishedPackage,
           changelog_text: str) -> dict[str, bytes]:
    """Every file of the site except the downloads, by path relative to the site root."""
    env, pages = environment(), Pages(publication, package)
    files = {f"assets/{name}": _resource(f"assets/{name}").encode() for name in ASSETS}
    files["index.html"] = env.get_template("index.html").render(
        title_zh=publication.text("title", "zh-Hans"), title_en=publication.text("title", "en"),
        jsonld=json_ld(schemaorg.dataset(publication, "zh-Hans"))).encode()
    for language in LANGUAGES:
        files.update(_language_pages(env, pages, publication, changelog_text, language))
    return files


def _language_pages(env: Environment, pages: Pages, publication: Publication,
                    changelog_text: str, language: str) -> dict[str, bytes]:
    gettext = translations(language).gettext
    env.install_gettext_callables(gettext, translations(language).ngettext, newstyle=False)
    folder, other = FOLDERS[language], next(l for l in LANGUAGES if l != language)
    nav = [{"name": t["name"], "title": pair(t, "title")[language] or t["name"]}
           for t in publication.tables]
    common = {
        "lang": language, "other_lang": other, "other_name": NAMES[other],
        "site_title": publication.text("title", language),
        "site_description": publication.text("description", language),
        "publisher": publication.descriptor["sources"][0].get(
            "publisher_zh" if language == "zh-Hans" else "publisher_en", ""),
        "version": publication.version, "nav_tables": nav,
        "compare": pages.comparison is not None,
        "jsonld": json_ld(schemaorg.dataset(publication, language)),
        "licence": publication.descriptor["licenses"][0].get("title", ""),
        "licence_url": publication.descriptor["licenses"][0].get("path", ""),
    }
    out = {}

    def page(path: str, template: str, depth: int, **context) -> None:
        up = "../" * depth
        out[f"{folder}/{path}"] = env.get_template(template).render(
            **common, **context, root=up + "../", prefix=up,
            other_href=f"{up}../{FOLDERS[other]}/{path}").encode()

    page("index.html", "landing.html", 0, active="index", page_title=gettext("Overview"),
         **_landing(pages, publication, changelog_text, language, gettext))
    for resource in publication.tables:
        table = pages.table(resource, language, gettext)
        page(f"tables/{resource['name']}.html", "table.html", 1, active=resource["name"],
             page_title=table.title, table=table)
    if pages.comparison is None:
        return out
    pairs = pages.pairs(language)
    reviewed, planned = _years(pages)
    page("compare.html", "compare.html", 0, active="compare",
         page_title=gettext("Results against targets"), pairs=pairs,
         reviewed=reviewed, planned=planned,
         chart=Markup(chart.svg([p for p, _, _ in pairs],
                                gettext("Results against targets"),
                                gettext("Paired bars for each indicator: the result of {reviewed} "
                                        "and the target for {planned}.").format(
                                            reviewed=reviewed, planned=planned),
                                (gettext("Result {year}").format(year=reviewed),
                                 gettext("Target {year}").format(year=planned)),
                                wrap=24 if language == "zh-Hans" else 44)))
    return out


def _years(pages: Pages) -> tuple[str, str]:
    compared = pages.comparison
    results = pages.package.rows(compared.results) if compared else []
    targets = pages.package.rows(compared.targets) if compared else []
    return (results[0]["year"] if results else "", targets[0]["year"] if targets else "")


def _landing(pages: Pages, publication: Publication, changelog_text: str, language: str,
             gettext: Callable[[str], str]) -> dict:
    downloads = [{"path": d.path, "title": d.title(language), "format": d.format,
                  "size": pages.size(d.bytes, language), "sha256": d.sha256}
                 for d in publication.downloads]
    tables = [{"name": t["name"], "title": pair(t, "title")[language] or t["name"],
               "description": pair(t, "description")[language],
               "count": len(pages.package.rows(t["name"]))} for t in publication.tables]
    return {"facts": pages.facts(language, gettext), "tables": tables, "downloads": downloads,
            "citations": [(l, pages.citation(l)) for l in LANGUAGES],
            "changelog": changelog.entries(changelog_text)}
