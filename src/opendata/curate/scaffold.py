"""``opendata init``: a new report project, started from a source text.

The project uses the installed toolkit. Its ``curation/package.yaml`` holds what the text
reveals (place, year, session, date) and TODO markers for the rest; the source is copied
byte-identical with its sha256 pinned; the table schemas come from the toolkit's template.
``opendata build`` succeeds in it at once: an empty package, and a coverage report of every
number still to curate.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from opendata import DISTRIBUTION, __version__
from opendata.curate.catalog import PLACEHOLDER, Translations
from opendata.curate.draft import writing
from opendata.curate.draft.model import Draft
from opendata.curate.draft.writing import scalar
from opendata.curate.script import fold, is_traditional, to_traditional
from opendata.exceptions import OpendataError
from opendata.inputs import decode
from opendata.paths import Project
from opendata.shape import template_english, template_schemas


class ProjectExists(OpendataError):
    """Raised when ``opendata init`` is pointed at a folder that already holds files."""


_NUMERAL = "〇零一二三四五六七八九十"
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:自治县|自治州|新区|区|县|市|旗))人民政府")
_CONGRESS = re.compile(rf"([\u4e00-\u9fff]{{0,10}}?第[{_NUMERAL}]+届人民代表大会第[{_NUMERAL}]+次"
                       r"(?:全体)?会议)")
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_TITLED = re.compile(r"^([\u4e00-\u9fff]{2,12}?(?:自治县|新区|区|县|市|旗))(?:人民政府)?"
                     r"(?:20\d\d)年(?:人民)?政府工作报告")
_NOT_PLACE = re.compile(r"长|代表|向|在|和|是")
# the description until a curator writes one
_DESCRIBED = "中的数字，每个数字附来源原文引文及行号。"
_YEAR = re.compile(r"(20\d\d)年")
_HEAD = re.compile(r"(?:区|县|市)长([\u4e00-\u9fff]{2,3}?)(?:代表|同志)")


@dataclass(frozen=True)
class Facts:
    """What a report's text reveals about itself (None where it says nothing)."""

    place: str | None
    report_year: int | None
    session: str | None
    date: str | None
    author: str | None
    traditional: bool = False

    def printed(self, text: str) -> str:
        """``text``, a label the toolkit composes, in the script of the source."""
        return to_traditional(text) if self.traditional else text

    @property
    def reviewed_year(self) -> int | None:
        return self.report_year - 1 if self.report_year else None


def reveal(text: str) -> Facts:
    """The place, year, congress session, date and speaker of a work report's text."""
    printed = "".join(text.split())
    flat = fold(printed)  # matched folded; cut from the text as printed, in its script

    def cut(match: re.Match[str], group: int = 1) -> str:
        return printed[match.start(group):match.end(group)]

    session = _CONGRESS.search(flat)
    session_text = re.split("在|于", cut(session))[-1] if session else None
    titled = _TITLED.search(flat)
    place = (cut(titled) if titled else None) or _place_of(session_text) or _most_common(
        [cut(m) for m in _PLACE.finditer(flat) if not _NOT_PLACE.search(m.group(1))])
    year = _report_year(flat)
    date = None
    for match in _DATE.finditer(flat[:4000]):
        y = int(match.group(1)) if match.group(1) else year
        if y and (year is None or y in (year, year - 1)) and int(match.group(2)) <= 3:
            date = f"{y:04d}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
            break
    head = _HEAD.search(flat)
    return Facts(place, year, session_text, date, cut(head) if head else None,
                 is_traditional(text))


def _place_of(session: str | None) -> str | None:
    match = re.match(r"([\u4e00-\u9fff]{2,10}?(?:自治县|新区|区|县|市|旗))第", fold(session or ""))
    return session[:match.end(1)] if match and session else None


def _most_common(values: list[str]) -> str | None:
    return max(set(values), key=values.count) if values else None


def _report_year(flat: str) -> int | None:
    """The year of the plans: the later of the two adjacent years the text names most."""
    if (match := re.search(r"(20\d\d)年政府工作报告", flat)):
        return int(match.group(1))
    counts: dict[int, int] = {}
    for match in _YEAR.finditer(flat):
        counts[int(match.group(1))] = counts.get(int(match.group(1)), 0) + 1
    pairs = [(counts[y] + counts.get(y - 1, 0), y) for y in counts if y - 1 in counts]
    if pairs:
        return max(pairs)[1]
    return max(counts, key=counts.__getitem__) if counts else None


def init(root: Path, source: Path, now: datetime | None = None) -> Project:
    """Create the project at ``root`` (a new or empty folder) for the report ``source``."""
    if root.exists() and any(root.iterdir()):
        raise ProjectExists(f"{root} is not empty; opendata init makes a new project in a "
                            "new or empty folder")
    raw = source.read_bytes()
    text = decode(raw, str(source))
    facts = reveal(text)
    root.mkdir(parents=True, exist_ok=True)
    project = Project(root.resolve())
    shipped = f"data/source/{source.name}"
    files = {
        shipped: raw,
        "curation/package.yaml": package_yaml(facts, shipped, raw, now).encode("utf-8"),
        "README.md": readme(facts).encode("utf-8"),
        "requirements.txt": f"{DISTRIBUTION}>={__version__}\n".encode(),
        ".github/workflows/validate.yml": WORKFLOW.encode("utf-8"),
        ".gitignore": b".venv/\nsite/\ndist/\n",
        **{project.relative(project.schema(name)): body
           for name, body in table_schemas().items()},
    }
    years = {"results": facts.reviewed_year, "targets": facts.report_year}
    for name, body in writing.files(Draft(), years, []).items():  # empty curation files
        files[project.relative(project.curated(name))] = body.encode("utf-8")
    files[project.relative(project.catalog)] = empty_catalog(project, facts)
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return project


def table_schemas() -> dict[str, bytes]:
    """The table schemas of the toolkit's government-work-report template, by table."""
    return {name: (json.dumps(template, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for name, template in template_schemas().items()}


def _title(facts: Facts) -> str:
    place = facts.place or "TODO地区"
    year = facts.report_year or "TODO"
    return place + facts.printed(f"{year}年政府工作报告")


def package_yaml(facts: Facts, shipped: str, raw: bytes, now: datetime | None) -> str:
    now = now or datetime.now(UTC)
    year = facts.report_year or now.year
    reviewed = facts.reviewed_year or year - 1
    title = _title(facts)
    place = facts.place or "TODO地区"
    todo = "  # TODO: not found in the text; fill it in"
    lines = [
        "# 数据包与来源 — the package and its source document. `opendata init` filled in what",
        "# the report's text reveals; every TODO is for the curator. English for the Chinese",
        "# strings lives in locales/en/LC_MESSAGES/messages.po.",
        f"name: government-work-report-{year}  # TODO: a stable name, e.g. <place>-{year}-"
        "government-work-report",
        "version: 0.1.0",
        f'created: "{now.strftime("%Y-%m-%dT%H:%M:%SZ")}"',
        f"title: {scalar(title + facts.printed('数据'))}",
        f"description: {scalar(title + facts.printed(_DESCRIBED))}"
        "  # TODO: describe the package",
        f"keywords: [{facts.printed('政府工作报告')}, {scalar(place)}]",
        f"tables: [{', '.join(template_schemas())}]",
        "licenses:",
        "  - name: CC-BY-4.0  # TODO: confirm the licence",
        "    path: https://creativecommons.org/licenses/by/4.0/",
        "    title: Creative Commons Attribution 4.0 International",
        "contributors:",
        "  - {title: TODO contributors, roles: [creator, publisher]}",
        "source:",
        f"  path: {shipped}",
        f"  sha256: {hashlib.sha256(raw).hexdigest()}",
        f"  title: {scalar(title)}",
        f"  publisher: {scalar(place + facts.printed('人民政府'))}" + ("" if facts.place else todo),
    ]
    if facts.author:
        lines.append(f"  author: {scalar(facts.author)}")
    lines += [
        f'  date: "{facts.date or f"{year}-01-01"}"' + ("" if facts.date else todo),
        f"  place: {scalar(facts.session or place + facts.printed('人民代表大会'))}"
        + ("" if facts.session else todo),
        f"report_year: {year}" + ("" if facts.report_year else todo),
        f"reviewed_year: {reviewed}",
        f'temporal: {{start: "{reviewed}-01-01", end: "{year}-12-31"}}',
        "spatial:",
        f"  name: {scalar(place)}",
        "  # admin_code: TODO  # GB/T 2260 行政区划代码",
        "base_url: http://localhost:8000/  # TODO: where the site is hosted",
        "# For portals (DCAT): EU data themes, how often the package is revised, whom to ask.",
        "themes: [GOVE, ECON]",
        "update_frequency: irregular",
        "# contact: TODO  # an e-mail address or a URL for questions about the data",
        "# Numbers not yet curated are listed by build and validate but do not fail them;",
        "# set `coverage: complete` once every number has its row or exclusion.",
        "coverage: in_progress",
    ]
    return "\n".join(lines) + "\n"


def empty_catalog(project: Project, facts: Facts) -> bytes:
    """The English catalog: no English yet, only a marked entry for each package string
    so that the first build succeeds and shows what to translate."""
    catalog = Translations.read(project.catalog, project.relative(project.catalog))
    title = _title(facts)
    place = facts.place or "TODO地区"
    strings = [("package.title", title + facts.printed("数据")),
               ("package.description", title + facts.printed(_DESCRIBED)),
               ("package.keyword", facts.printed("政府工作报告")), ("package.keyword", place),
               ("source.title", title), ("source.publisher", place + facts.printed("人民政府")),
               ("source.place", facts.session or place + facts.printed("人民代表大会")),
               ("spatial.name", place)]
    if facts.author:
        strings.append(("source.author", facts.author))
    for context, zh in strings:
        if catalog.catalog.get(zh, context=context) is None:
            catalog.catalog.add(zh, f"{PLACEHOLDER}{zh}", context=context)
    for context, zh, en in template_english():  # the template schemas' texts, translated
        if catalog.catalog.get(zh, context=context) is None:
            catalog.catalog.add(zh, en, context=context)
    return catalog.to_bytes()


def readme(facts: Facts) -> str:
    title = _title(facts)
    return f"""# {title} · open data

```sh
{_INSTALL_AND_BUILD}
.venv/bin/opendata validate && .venv/bin/opendata release --check
```

The first command installs the `opendata` toolkit and builds the data package from the
curation; the second is what CI runs on every change.

To curate: `opendata draft` proposes a row or an exclusion for every number of the source,
each marked `draft: true`; `opendata draft --report` lists what it proposed, excluded and
could not place. Review each draft row against the source, correct it, and delete its
`draft: true`: `opendata build` refuses unreviewed rows. Replace every `[to translate]`
in `locales/en/LC_MESSAGES/messages.po` with English (the build refuses any left once
`coverage: in_progress` is removed), and every TODO in `curation/package.yaml`. When the
package is ready, `opendata release` makes the first release; until then
`opendata release --check` fails and says so.

## Data

Built by `opendata build` into `datapackage.json` and `data/*.csv`, from the source text in
`data/source/`.

## License

See `curation/package.yaml`.
"""


_INSTALL_AND_BUILD = ("python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && "
                      ".venv/bin/opendata build && .venv/bin/opendata validate")

WORKFLOW = """name: validate
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.11"}
      - run: pip install -r requirements.txt
      - run: opendata build --check
      - run: opendata validate
      - run: opendata release --check
"""


