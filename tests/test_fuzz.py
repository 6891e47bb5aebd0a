"""Property-based tests: the diff and the curation reader on generated input."""

import copy
import json
import os
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, copy_project
from opendata.curate.reader import read_curation
from opendata.curate.source import Source
from opendata.exceptions import InvalidData
from opendata.release.diff import diff_packages

SCHEMA = {"fields": [{"name": "id", "type": "string"}, {"name": "value", "type": "integer"},
                     {"name": "label", "type": "string"}], "primaryKey": ["id"]}
rows = st.dictionaries(st.from_regex(r"[a-z]{1,4}", fullmatch=True),
                       st.tuples(st.integers(-999, 999), st.text("abc中文 ,\"", max_size=6)),
                       max_size=8)


def package(folder: Path, table: dict) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id,value,label"] + [f'{key},{value},"{label.replace(chr(34), chr(34) * 2)}"'
                                  for key, (value, label) in sorted(table.items())]
    (folder / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "p",
            "resources": [{"name": "t", "path": "t.csv", "format": "csv", "encoding": "utf-8",
                           "schema": SCHEMA}]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, rows)
def test_diff_is_empty_against_itself_and_swaps_when_reversed(a, b):
    with tempfile.TemporaryDirectory() as temporary:
        left, right = Path(temporary) / "a", Path(temporary) / "b"
        da, db = package(left, a), package(right, b)
        assert diff_packages(da, left, da, left).empty
        forward, backward = diff_packages(da, left, db, right), diff_packages(db, right, da, left)
        [f], [r] = forward.tables, backward.tables
        assert (sorted(f.added), sorted(f.removed)) == (sorted(r.removed), sorted(r.added))
        assert f.changed.keys() == r.changed.keys()
        for key, cells in f.changed.items():
            assert [(c, b_, a_) for c, a_, b_ in cells] == r.changed[key]
        assert sorted(f.added) == sorted(set(b) - set(a))


scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.text(max_size=12),
                    st.sampled_from(["地区生产总值增长", "gdp-growth", "1.5万人", "line", "quote"]))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["year", "sections", "section", "statements", "quote",
                                     "line", "rows", "id", "indicator", "figure", "unit",
                                     "context", "other"]), inner, max_size=5)),
    max_leaves=20)
TINY = FIXTURES / "tiny-report"
SOURCE = Source((TINY / "data/source/qinghe-2025.zh.txt").read_text("utf-8"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from(["results", "targets", "projects", "honors", "indicators"]))
def test_the_curation_reader_reports_problems_on_any_document(document, table):
    with tempfile.TemporaryDirectory() as temporary:
        project = copy_project(TINY, Path(temporary) / "p")
        project.curated(table).write_text(yaml.safe_dump(document, allow_unicode=True),
                                          encoding="utf-8")
        try:
            curation = read_curation(project, SOURCE)
        except InvalidData as error:
            assert error.problems
            return
        for problem in curation.problems:
            assert problem.file and problem.message and problem.hint


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_the_curation_reader_refuses_undecodable_bytes_clearly(raw):
    with tempfile.TemporaryDirectory() as temporary:
        project = copy_project(TINY, Path(temporary) / "p")
        project.curated("results").write_bytes(raw)
        try:
            curation = read_curation(project, SOURCE)
        except InvalidData as error:
            assert all(p.file == "curation/results.yaml" for p in error.problems)
            return
        assert all(p.message for p in curation.problems)




# Descriptors mutated every way: types, references, names and nesting. Whatever the
# descriptor, `opendata validate` (and `diff`) ends without a traceback, with exit 0, 1 or 2,
# in time. CI runs the "ci" profile (CI=true): at least 500 examples; a local run stays quick.

DESCRIPTOR_EXAMPLES = 500 if os.environ.get("CI") == "true" else 40

BASE = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "fuzz",
        "resources": [{"name": "t", "path": "t.csv", "format": "csv", "encoding": "utf-8",
                       "schema": {"fields": [{"name": "id", "type": "integer"},
                                             {"name": "label", "type": "string"}],
                                  "primaryKey": ["id"]}}]}
references = st.sampled_from([
    "t.csv", "missing.csv", "../t.csv", "/etc/hostname", "http://127.0.0.1:9/x.json",
    "file:///etc/passwd", "~/t.csv", "$HOME/t.csv", "t.csv\x00", "x" * 300, "loop/t.csv",
    "fifo", "schema.json", "", "C:\\t.csv", "\\\\host\\share", "//host/x", "data-package",
    "https://datapackage.org/profiles/2.0/datapackage.json", "profile.json"])
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 10 ** 12), st.floats(allow_nan=True),
              st.text(max_size=8), references),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)
PLACES = [(), ("resources",), ("resources", 0), ("resources", 0, "schema"),
          ("resources", 0, "schema", "fields"), ("resources", 0, "schema", "fields", 0)]
KEYS = ["name", "path", "schema", "dialect", "$schema", "profile", "profiles", "extrapaths",
        "resources", "type", "fields", "primaryKey", "foreignKeys", "format", "encoding",
        "hash", "bytes", "url", "data", "missingValues", "opendata:profile"]
mutations = st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(KEYS), values,
                               st.booleans()), min_size=1, max_size=4)


def mutate(descriptor, changes):
    for place, key, value, delete in changes:
        node = descriptor
        for step in place:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
        if isinstance(node, dict):
            if delete:
                node.pop(key, None)
            else:
                node[key] = value
        elif isinstance(node, list):
            node.append(value) if not delete else node.clear()
    return descriptor


@settings(max_examples=DESCRIPTOR_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutations, st.sampled_from(["datapackage.json", "datapackage.yaml", "odd.json"]))
def test_any_descriptor_ends_without_traceback_in_time(changes, name):
    from click.testing import CliRunner

    from opendata.cli import cli

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "t.csv").write_text("id,label\n1,a\n2,b\n", encoding="utf-8")
        (folder / "schema.json").write_text(json.dumps(BASE["resources"][0]["schema"]))
        (folder / "profile.json").write_text('{"$ref": "http://127.0.0.1:9/p.json"}')
        (folder / "loop").symlink_to(folder / "loop")
        os.mkfifo(folder / "fifo")
        descriptor = mutate(copy.deepcopy(BASE), changes)
        if name.endswith(".yaml"):
            text = yaml.safe_dump(descriptor, allow_unicode=True)
        else:
            text = json.dumps(descriptor, ensure_ascii=False)
        (folder / name).write_text(text, encoding="utf-8")
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["validate", str(folder / name)])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (descriptor, result.output, result.exc_info)
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        diffed = CliRunner().invoke(cli, ["diff", str(folder / name), str(folder / name)])
        assert diffed.exception is None or isinstance(diffed.exception, SystemExit), \
            (descriptor, diffed.output, diffed.exc_info)
        assert diffed.exit_code in (0, 1, 2), diffed.output
        assert time.monotonic() - started < 30
