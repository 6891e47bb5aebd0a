"""``opendata draft``: propose curation for every number of a project's source.

``run`` loads the project (configuration, source, units), proposes rows and exclusions
(``propose``) and writes them into the curation files as drafts (``writing``), all at once.
``build`` refuses the drafts (``pending``) until a curator has reviewed each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from opendata.build import _read_source
from opendata.config import PackageConfig, read_config
from opendata.curate import vocabulary
from opendata.curate.catalog import Translations
from opendata.curate.draft import writing
from opendata.curate.draft.model import Context, Draft
from opendata.curate.draft.propose import propose
from opendata.curate.reader import DRAFT
from opendata.curate.scaffold import reveal
from opendata.curate.source import Source
from opendata.exceptions import OpendataError
from opendata.inputs import decode, read_yaml
from opendata.paths import Project
from opendata.transaction import Transaction, locked

__all__ = ["Draft", "Drafted", "drafted", "run"]


class CurationNotEmpty(OpendataError):
    """Raised when ``opendata draft`` would overwrite rows a curator has accepted."""


@dataclass(frozen=True)
class Drafted:
    draft: Draft
    written: list[str]


def drafted(project: Project) -> Draft:
    """What ``opendata draft`` proposes for ``project``, without writing anything."""
    config = read_config(project)
    source = Source(decode(_read_source(project, config), config.source["path"]))
    reviewed, report = _years(config, source)
    context = Context(reviewed, report, str(config["spatial"].get("name", "")), _units(project))
    draft = propose(source, context)
    draft.years = {"results": reviewed, "targets": report}
    return draft


def _years(config: PackageConfig, source: Source) -> tuple[int | None, int | None]:
    """(year under review, year of the plans): from package.yaml, else from the text."""
    report = _year(config.get("report_year"))
    reviewed = _year(config.get("reviewed_year"))
    if report is None:
        report = reveal(source.text).report_year
    if reviewed is None and report is not None:
        reviewed = report - 1
    return reviewed, report


def run(project: Project, announce: Callable[[str], None] | None = None) -> Drafted:
    """Write the draft into the curation files of ``project`` (replacing earlier drafts)."""
    with locked(project.root, announce=announce):
        _refuse_accepted(project)
        draft = drafted(project)
        units = writing.unit_entries(draft, _units(project))
        texts = writing.files(draft, draft.years, units)
        transaction = Transaction(project.root)
        written = []
        for name, text in texts.items():
            path = project.relative(project.curated(name))
            transaction.write(path, text.encode("utf-8"))
            written.append(path)
        catalog = Translations.read(project.catalog, project.relative(project.catalog))
        transaction.write(project.relative(project.catalog),
                          writing.catalog(catalog, draft, units))
        transaction.commit()
        return Drafted(draft, written)


def _year(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _units(project: Project) -> dict[str, dict]:
    """The units a draft can print figures in: the toolkit's, by label."""
    return {u["label"]: dict(u) for u in vocabulary.units()}


def _refuse_accepted(project: Project) -> None:
    """A draft replaces only drafts: refuse to overwrite rows a curator has accepted."""
    for name in writing.WRITTEN:
        path = project.curated(name)
        if not path.is_file() or name == "units":
            continue
        shown = project.relative(path)
        document = read_yaml(path, shown)
        standard = {i.id for i in vocabulary.indicators()}
        rows = [r for r in _rows(document)
                if not (name == "indicators" and r.get("id") in standard)]
        if any(not row.get(DRAFT) for row in rows):
            raise CurationNotEmpty(
                f"{shown} holds rows a curator has accepted; opendata draft writes only into "
                "curation that holds no accepted rows. Move the accepted curation aside, or "
                "draft in a fresh project (opendata init) and copy the rows you want.")


def _rows(document: object) -> list[dict]:
    """The leaf rows of a curation document (rows, exclusions, indicators)."""
    if isinstance(document, list):
        return [r for item in document for r in _rows(item)] if any(
            isinstance(i, dict) and ("rows" in i or "statements" in i) for i in document) \
            else [i for i in document if isinstance(i, dict)]
    if isinstance(document, dict):
        for key in ("sections", "statements", "rows"):
            if key in document:
                return _rows(document[key])
    return []
