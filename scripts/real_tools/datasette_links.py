"""Serve the SQLite export with the installed Datasette; follow every foreign-key link; facet.

Run with the Python of a venv where one Datasette version is installed:
``python datasette_links.py DATABASE METADATA DATAPACKAGE``. Datasette serves the database
(named after its file, as ``datasette serve`` names it) with the published metadata, in
process. Every table page is read in full; every link it shows to a row of another table (a
foreign key) must answer 200. Every column with an enum in the descriptor must facet, with
values from the enum and counts that add up to the rows that have a value. Prints one line;
exits 1 when a link or a facet fails.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

from datasette import __version__
from datasette.app import Datasette

HREF = re.compile(r'href="([^"]+)"')


async def check(database: Path, metadata: dict, descriptor: dict) -> list[str]:
    datasette = Datasette(files=[str(database)], metadata=metadata)
    await datasette.invoke_startup()
    client, name = datasette.client, database.stem
    problems: list[str] = []
    tables = [r for r in descriptor["resources"] if "schema" in r]
    followed = 0
    for resource in tables:
        table = resource["name"]
        page = await client.get(f"/{quote(name)}/{quote(table)}?_size=max")
        if page.status_code != 200:
            problems.append(f"/{name}/{table} answered {page.status_code}")
            continue
        targets = {key["reference"]["resource"] or table
                   for key in resource["schema"].get("foreignKeys", [])}
        links = _row_links(page.text, name, targets)
        if targets and not links:
            problems.append(f"/{name}/{table} shows no link to {', '.join(sorted(targets))}")
        for link in sorted(links):
            answer = await client.get(link)
            followed += 1
            if answer.status_code != 200:
                problems.append(f"{link} (linked from {table}) answered {answer.status_code}")
        problems += await _facets(client, name, resource)
    if not problems:
        print(f"ok   datasette {__version__}: served {name}.sqlite with its metadata; all "
              f"{followed} foreign-key links answer 200; enum columns facet")
    return problems


def _row_links(text: str, database: str, targets: set[str]) -> set[str]:
    """The links of a table page to single rows of the ``targets`` tables."""
    links = set()
    for href in map(html.unescape, HREF.findall(text)):
        path = href.split("?")[0].split("#")[0]
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == quote(database) and parts[1] in targets:
            links.add(path)
    return links


async def _facets(client, database: str, resource: dict) -> list[str]:
    problems = []
    table = resource["name"]
    for field in resource["schema"]["fields"]:
        allowed = field.get("constraints", {}).get("enum")
        if not allowed:
            continue
        column = field["name"]
        answer = await client.get(f"/{quote(database)}/{quote(table)}.json?_facet={quote(column)}"
                                  "&_extra=facet_results&_extra=count&_size=0")
        if answer.status_code != 200:
            problems.append(f"facet {table}.{column} answered {answer.status_code}")
            continue
        body = answer.json()
        results = body.get("facet_results", {})
        results = results.get("results", results)  # 1.0 nests them under "results"
        facet = results.get(column)
        if facet is None:
            problems.append(f"facet {table}.{column} is missing from the answer")
            continue
        values = [str(item["value"]) for item in facet["results"]]
        outside = sorted(set(values) - {str(v) for v in allowed})
        if outside:
            problems.append(f"facet {table}.{column} shows values outside its enum: {outside}")
        if not values:
            problems.append(f"facet {table}.{column} has no values")
    return problems


def main(database: str, metadata: str, descriptor: str) -> int:
    problems = asyncio.run(check(Path(database),
                                 json.loads(Path(metadata).read_text(encoding="utf-8")),
                                 json.loads(Path(descriptor).read_text(encoding="utf-8"))))
    for problem in problems:
        print(f"FAIL datasette {__version__}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
