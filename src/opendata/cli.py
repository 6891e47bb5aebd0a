"""The ``opendata`` command line. Each command parses arguments and calls one function.

Errors meet one boundary (:class:`Opendata`): bad arguments and a folder that is no
project are misuse (exit 2, with the Usage banner); problems in the data are listed one per
line and any other domain failure is said in one line (exit 1, no banner). Heavy libraries
load inside the commands that need them, so ``--help`` stays fast.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from opendata import __version__

if TYPE_CHECKING:
    from contextlib import ExitStack

    from opendata.exceptions import InvalidData
    from opendata.paths import Project

INVALID = 1  # the data has problems, or an operation on it failed; click exits 2 on misuse


class Opendata(click.Group):
    """The command group, and the one place where errors become exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        from opendata.exceptions import InvalidData, Misuse, OpendataError

        try:
            return super().invoke(ctx)
        except Misuse as error:
            raise click.UsageError(str(error), ctx) from error
        except InvalidData as error:
            self._report(error)
        except OpendataError as error:
            raise click.ClickException(str(error)) from error
        except KeyboardInterrupt:
            from opendata.check.guard import spent_budget

            spent = spent_budget()
            if spent is None:  # the user's Ctrl+C: click says "Aborted!"
                raise
            self._report(spent)

    @staticmethod
    def _report(error: InvalidData) -> None:
        """Print the problems of an InvalidData and exit 1."""
        for problem in error.problems:
            click.echo(problem.render(), err=True)
        click.echo(f"failed: {len(error.problems)} problem(s)", err=True)
        sys.exit(INVALID)


project_option = click.option(
    "--project", "project_root", type=click.Path(file_okay=False, path_type=Path),
    default=".", show_default=True, help="Folder of the opendata project.")


def _project(root: Path) -> Project:
    from opendata.paths import Project

    project = Project.at(root)
    _recover(project)
    return project


def _recover(project: Project) -> None:
    """Roll back a run killed before its commit point: the first thing every command does
    (a damaged journal raises InvalidData, which the boundary reports)."""
    from opendata.transaction import locked

    with locked(project.root, announce=_say):
        pass


def _say(message: str) -> None:
    click.echo(message, err=True)


def _reading(project: Project | None, allow_network: bool = False) -> ExitStack:
    """The project's lock for a command that only reads (it also rolls back a killed run),
    with no network and within the time budget for reading."""
    from contextlib import ExitStack

    from opendata.check.guard import offline, within_budget
    from opendata.transaction import locked

    stack = ExitStack()
    if project is not None:
        stack.enter_context(locked(project.root, announce=_say))
    stack.enter_context(offline(allow_network))
    stack.enter_context(within_budget("opendata"))
    return stack


@click.group(cls=Opendata, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opendata")
def cli() -> None:
    """Build, validate and publish a government work report as a bilingual data package."""


@cli.command()
@project_option
@click.option("--check", is_flag=True,
              help="Change nothing; fail if a build would change data/ or the descriptor.")
def build(project_root: Path, check: bool) -> None:
    """Build data/*.csv and datapackage.json from the curation, then validate them."""
    from opendata.check import validator
    from opendata.exceptions import InvalidData

    project = _project(project_root)
    if check:
        from opendata import build as building

        stale = building.changed(project)
        for path in stale:
            click.echo(f"{path}: out of date; run `opendata build`", err=True)
        sys.exit(INVALID if stale else 0)
    # the worker that will validate is started first: it imports frictionless while this
    # process imports the build and makes it
    with validator() as pool:
        from opendata import build as building

        report = building.run(project, announce=_say, pool=pool)
    if not report.valid:
        raise InvalidData(report.problems)
    if report.to_curate:
        click.echo(report.render_to_curate())
    click.echo(f"built {project.relative(project.descriptor)}: valid ({', '.join(report.checks)})")


@cli.command()
@project_option
@click.argument("descriptor", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for CI.")
@click.option("--strict", is_flag=True, help="Count warnings (BOM, CRLF, undeclared encoding, "
              "hash form) as errors.")
@click.option("--allow-network", is_flag=True, help="Let frictionless fetch URLs the "
              "descriptor names (refused by default).")
@click.option("--jobs", type=click.IntRange(min=1), help="Processes to validate with, this "
              "one included (default: one per core).")
def validate(project_root: Path, descriptor: Path | None, as_json: bool, strict: bool,
             allow_network: bool, jobs: int | None) -> None:
    """Validate a data package: frictionless, plus the project's own checks (provenance,
    units, translations, coverage) on an opendata package.

    DESCRIPTOR is any package descriptor, JSON or YAML. Without it, validates the project's
    datapackage.json against its curation too. Exits 0 when valid, 1 when invalid, 2 on
    misuse (no such file, or a file that is no descriptor).
    """
    import os

    from opendata.check import validate as validating
    from opendata.exceptions import Misuse
    from opendata.paths import Project

    project: Project | None = None
    if descriptor is None:
        project = _project(project_root)
        path = project.built_descriptor()
    else:
        path = descriptor
    # A descriptor of a project is read under its lock, after any killed run is rolled back.
    owner = project or Project.owning(path)
    if owner is not None and project is None:
        _recover(owner)
    if not path.exists():
        raise Misuse(f"{path} does not exist")
    with _reading(owner, allow_network):  # a process per core, for a small package too
        report = validating(path, project, strict=strict, allow_network=allow_network,
                            jobs=jobs or os.cpu_count())
    click.echo(report.to_json() if as_json else report.render())
    sys.exit(0 if report.valid else INVALID)


@cli.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the listing as JSON.")
@click.option("--uncovered", is_flag=True, help="List only numbers no row uses or excludes.")
def coverage(project_root: Path, as_json: bool, uncovered: bool) -> None:
    """List every number in the source and the row that uses it, or why it is left out."""
    from opendata.check import coverage as covering
    from opendata.exceptions import InvalidData
    from opendata.text import visible

    project = _project(project_root)
    with _reading(project):
        measured = covering.of_project(project)
    if as_json:
        click.echo(covering.to_json(measured, uncovered))
    else:
        for line in covering.listing(measured, uncovered):
            click.echo(visible(line))
    if measured.problems:
        raise InvalidData(measured.problems)


@cli.command()
@project_option
def translations(project_root: Path) -> None:
    """Add every Chinese string that has no catalog entry to the catalog, untranslated."""
    from opendata.build import update_catalog

    project = _project(project_root)
    added, missing = update_catalog(project)
    click.echo(f"{project.relative(project.catalog)}: {added} entr(y/ies) added, "
               f"{missing} string(s) still without English")


@cli.command()
@project_option
@click.argument("old")
@click.argument("new", default=".")
@click.option("--format", "form", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True,
              help="Terminal view, pull-request comment or JSON.")
def diff(project_root: Path, old: str, new: str, form: str) -> None:
    """Show what changed from package OLD to NEW, and the version bump it needs.

    OLD and NEW are each a datapackage.json, a package folder, a release archive (.zip) or
    a version released from this project (e.g. 1.0.0). NEW defaults to the project folder.
    """
    from opendata.paths import Project
    from opendata.release import diff_output, history
    from opendata.release.diff import diff_packages
    from opendata.text import visible

    project = Project.owning(project_root)  # diffing two packages needs no project
    if project is not None:
        _recover(project)
    with _reading(project), history.opened(old, project) as before, \
            history.opened(new, project) as after:
        result = diff_packages(before.descriptor, before.root, after.descriptor, after.root)
        render = {"text": diff_output.as_text, "markdown": diff_output.as_markdown,
                  "json": diff_output.as_json}[form]
        shown = render(result, before.label, after.label)
    click.echo(shown if form == "json" else "\n".join(visible(line) for line in shown.split("\n")))


@cli.command()
@project_option
@click.option("--bump", type=click.Choice(["patch", "minor", "major"]),
              help="Release at least this bump, even if the changes need less.")
@click.option("--summary", default="", help="Human summary for the changelog entry "
              "(default: the notes under [Unreleased]).")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="Release date (default: today).")
@click.option("--check", is_flag=True, help="CI gate: fail when the package changed since "
              "the last release without the version bump and changelog entry it needs.")
def release(project_root: Path, bump: str | None, summary: str, day: datetime | None,
            check: bool) -> None:
    """Release the package: version bump by the rules, changelog, citation and archive."""
    from opendata import release as releasing
    from opendata.versions import Bump

    project = _project(project_root)
    if check:
        with _reading(project):
            problems = releasing.release_gate(project)
        for problem in problems:
            click.echo(f"release check: {problem}", err=True)
        if problems:
            sys.exit(INVALID)
        click.echo("release check: the package matches its version and changelog")
        return
    done = releasing.release(project, Bump[bump.upper()] if bump else Bump.NONE,
                             summary, day.date() if day else None, announce=_say)
    why = f" ({done.diff.summary()})" if done.diff else " (first release)"
    click.echo(f"released {done.version}{why}: {project.relative(done.archive)}, "
               f"recorded as {project.relative(done.record)}")


@cli.command()
@project_option
@click.option("--base-url", help="Public URL the site will live at (default: base_url in "
              "curation/package.yaml); every absolute URL of the metadata is made from it.")
@click.option("--preview", is_flag=True, help="Publish a local preview for `opendata serve` "
              "(at http://localhost:8000/ unless --base-url says otherwise); not for portals.")
@click.option("--ckan-owner-org", help="The CKAN organisation that owns the dataset, put in "
              "site/ckan.json as owner_org (default: ckan_owner_org in curation/package.yaml).")
def publish(project_root: Path, base_url: str | None, preview: bool,
            ckan_owner_org: str | None) -> None:
    """Write the bilingual site (site/), DCAT, CKAN and schema.org metadata, and the XLSX,
    SQLite and release-zip exports (dist/)."""
    from opendata.publish import publish as publishing

    project = _project(project_root)
    done = publishing(project, base_url, announce=_say, preview=preview,
                      ckan_owner_org=ckan_owner_org)
    kind = "a PREVIEW (local URLs, not for portals) of " if done.preview else ""
    click.echo(f"published {kind}{project.relative(done.site)}/ for "
               f"{done.publication.base_url} and "
               + ", ".join(project.relative(p) for p in done.exports))
    for note in done.notes:
        click.echo(f"note: {note}", err=True)


@cli.command()
@project_option
@click.option("--port", default=8000, show_default=True, help="Port on localhost.")
def serve(project_root: Path, port: int) -> None:
    """Preview the published site on http://127.0.0.1:PORT/ (run `opendata publish` first)."""
    from opendata.publish.serve import serve_project

    serve_project(_project(project_root), port,
                  lambda site, url: click.echo(f"serving {site} at {url} (Ctrl+C stops)"))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", "source", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The report's text (UTF-8), copied into the project byte-identical.")
def init(folder: Path, source: Path) -> None:
    """Start a new report project in FOLDER from the report text SOURCE."""
    from opendata.curate.scaffold import init as scaffolding

    project = scaffolding(folder, source)
    click.echo(f"created {project.root}: next, `opendata draft` there, then `opendata build`")


@cli.command()
@project_option
@click.option("--report", "only_report", is_flag=True,
              help="Write nothing; print what a draft proposes, excludes and cannot place.")
def draft(project_root: Path, only_report: bool) -> None:
    """Propose curation for every number of the source, as rows marked `draft: true`."""
    from opendata.curate.draft import project as drafting
    from opendata.curate.draft.report import render

    project = _project(project_root)
    if only_report:
        with _reading(project):
            click.echo(render(drafting.drafted(project)))
        return
    done = drafting.run(project, announce=_say)
    click.echo(render(done.draft, summary=True))
    click.echo(f"wrote {', '.join(done.written)}: review each draft row, then delete its "
               "`draft: true`")


def main() -> None:
    cli(prog_name="opendata")
