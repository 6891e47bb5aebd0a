"""Property-based tests: the diff and the curation reader on generated input."""

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, copy_project
from opendata.curation import read_curation
from opendata.diff import diff_packages
from opendata.exceptions import InvalidData
from opendata.source import Source

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
                                     "sentence_start", "other"]), inner, max_size=5)),
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


