"""opendata draft: proposals for every number, refused by build until reviewed, and
measured against reviewed curation (docs/draft.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from opendata.check.published import PublishedPackage
from opendata.cli import cli
from opendata.curate import vocabulary
from opendata.curate.draft.layout import read_layout
from opendata.curate.draft.measure import compare, reviewed_key, reviewed_package
from opendata.curate.source import Source

ROOT = Path(__file__).resolve().parents[1]
ERQI = ROOT / "data" / "source" / "erqi-2024-government-work-report.zh.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
QINGSHAN = FIXTURES / "draft-qingshan-2025"
LINHE = FIXTURES / "draft-linhe-2025-traditional"


def run(*args: str, project: Path | None = None):
    return CliRunner().invoke(cli, [*args, *(["--project", str(project)] if project else [])],
                              catch_exceptions=False)


def drafted(tmp_path: Path, source: Path) -> Path:
    root = tmp_path / "project"
    assert run("init", str(root), "--source", str(source)).exit_code == 0
    result = run("draft", project=root)
    assert result.exit_code == 0, result.output
    return root


def accept_all(root: Path) -> None:
    """What a curator does after reviewing every row: delete each `draft: true`."""
    for path in (root / "curation").glob("*.yaml"):
        path.write_text(re.sub(r", draft: true\}", "}", path.read_text("utf-8")), "utf-8")


def accepted_and_built(tmp_path: Path, source: Path) -> Path:
    root = drafted(tmp_path, source)
    accept_all(root)
    result = run("build", project=root)
    assert result.exit_code == 0, result.output
    assert "still to curate" not in result.output  # every number has a row or an exclusion
    return root


def score(root: Path, reference):
    exclusions = yaml.safe_load((root / "curation" / "exclusions.yaml").read_text("utf-8"))
    return compare(root, reference, [e["context"] for e in exclusions or []])


def test_the_draft_of_this_report_matches_its_curated_package(tmp_path):
    root = accepted_and_built(tmp_path, ERQI)
    measured = score(root, reviewed_package(ROOT))
    assert measured.recall >= 0.9, measured.render()
    assert measured.precision >= 0.8, measured.render()
    assert measured.indicator_hit_rate >= 0.75, measured.render()


@pytest.mark.parametrize("fixture, source", [(QINGSHAN, "report.zh.txt"),
                                             (LINHE, "report.zh-Hant.txt")])
def test_the_draft_of_a_fixture_report_matches_its_reviewed_key(tmp_path, fixture, source):
    root = accepted_and_built(tmp_path, fixture / source)
    text = PublishedPackage.open(root / "datapackage.json").source
    measured = score(root, reviewed_key(fixture / "reviewed.yaml", text))
    assert measured.recall >= 0.9, measured.render()
    assert measured.precision >= 0.8, measured.render()
    assert measured.honours_found == measured.honours_reviewed, measured.render()


def test_build_refuses_draft_rows_and_names_each(tmp_path):
    root = drafted(tmp_path, QINGSHAN / "report.zh.txt")
    result = run("build", project=root)
    assert result.exit_code == 1
    named = re.findall(r"^(curation/\w+\.yaml):(\d+): draft row", result.output, re.M)
    marked = [(f"curation/{path.name}", str(number))
              for path in sorted((root / "curation").glob("*.yaml"))
              for number, line in enumerate(path.read_text("utf-8").split("\n"), 1)
              if "draft: true" in line and not line.startswith("#")]
    assert sorted(named) == sorted(marked) and len(named) > 50
    assert not (root / "data" / "results.csv").exists()


def test_a_draft_row_accepted_is_published_as_proposed(tmp_path):
    root = accepted_and_built(tmp_path, QINGSHAN / "report.zh.txt")
    rows = (root / "data" / "targets.csv").read_text("utf-8")
    assert "gdp-growth-2025,2025,gdp-growth,主要预期目标" not in rows  # section is the heading
    line = next(r for r in rows.split("\n") if r.startswith("gdp-growth-2025,"))
    assert ",6,percent,6,about," in line and "地区生产总值增长6%左右" in line


def test_draft_report_lists_proposals_exclusions_and_joins(tmp_path):
    root = tmp_path / "project"
    run("init", str(root), "--source", str(ERQI))
    result = run("draft", "--report", project=root)
    assert result.exit_code == 0
    sections = [line for line in result.output.split("\n") if line.isupper()]
    assert sections[:3] == ["PROPOSED", "EXCLUDED", "UNPLACED"]
    assert "「第十七届人民代表大会第四次会议」 name of the congress session" in result.output
    assert "line 157 goes on at line 211" in result.output
    assert "sections: []" in (root / "curation" / "results.yaml").read_text("utf-8")


def test_draft_refuses_to_overwrite_accepted_rows(tmp_path):
    root = accepted_and_built(tmp_path, LINHE / "report.zh-Hant.txt")
    result = run("draft", project=root)
    assert result.exit_code == 1
    assert "holds rows a curator has accepted" in result.output


def test_interleaved_columns_are_followed_and_recorded():
    source = Source(ERQI.read_text("utf-8"))
    layout = read_layout(source)
    joins = [join for paragraph in layout.paragraphs for join in paragraph.joins]
    assert (104, 204) in joins and (157, 211) in joins
    continued = next(p for p in layout.paragraphs if (157, 211) in p.joins)
    assert continued.heading.text == "深化改革开放创新积蓄强劲发展动能"


def test_a_fragment_in_another_column_carries_the_start_of_its_sentence(tmp_path):
    root = drafted(tmp_path, ERQI)
    targets = yaml.safe_load((root / "curation" / "targets.yaml").read_text("utf-8"))
    statements = {s["quote"]: s for section in targets["sections"]
                  for s in section["statements"]}
    fragment = statements["中小企业55家"]
    assert fragment["line"] == 211
    assert fragment["sentence_start"]["line"] == 156
    assert fragment["sentence_start"]["quote"].startswith("力争")


def test_estimates_and_aspirations_are_flagged_from_their_sentence(tmp_path):
    root = accepted_and_built(tmp_path, ERQI)
    results = (root / "data" / "results.csv").read_text("utf-8").split("\n")
    retail = next(r for r in results if "社会消费品零售总额增长4.6%" in r)
    assert ",true," in retail  # 预计 governs the whole sentence
    projects = (root / "data" / "projects.csv").read_text("utf-8").split("\n")
    assert ",true," in next(p for p in projects if "培育招引总部项目8个以上" in p)


def test_projects_and_honours_are_placed_by_their_cue_words(tmp_path):
    root = drafted(tmp_path, ERQI)
    projects = yaml.safe_load((root / "curation" / "projects.yaml").read_text("utf-8"))
    major = next(s for s in projects["statements"] if s["quote"].startswith("积极推进总投资2493"))
    assert major["rows"][0]["figures"] == {"total_investment": 1, "project_count": 2,
                                           "threshold_investment": 3, "annual_investment": 4}
    honors = yaml.safe_load((root / "curation" / "honors.yaml").read_text("utf-8"))
    quotes = [s["quote"] for s in honors["statements"]]
    assert "樱桃沟景区获评全国乡村旅游重点（乡）镇" in quotes
    assert all(re.search("获评|荣获|被评为|入选|获批|获得", q) for q in quotes)
    recipients = {s["quote"]: s["rows"][0]["recipient"] for s in honors["statements"]}
    assert recipients["获评“国家级电子商务示范企业”"] == "致欧家居"  # the sentence's subject
    assert recipients["获评“河南省最具特色现代食品产业开发区”"] == "二七经开区"  # as before it


def test_a_traditional_report_is_drafted_in_its_own_script(tmp_path):
    root = accepted_and_built(tmp_path, LINHE / "report.zh-Hant.txt")
    units = (root / "data" / "units.csv").read_text("utf-8")
    assert "萬戶" in units and "億元" in units and "万" not in units
    indicators = (root / "data" / "indicators.csv").read_text("utf-8")
    assert "地區生產總值增長" in indicators


def test_the_vocabulary_names_at_least_15_headline_indicators_in_english():
    entries = vocabulary.indicators()
    assert len({e.id for e in entries}) == len(entries) >= 15
    units = {u["id"]: u for u in vocabulary.units()}
    for entry in entries:
        assert entry.en and entry.en[0].isupper() and not re.search("[\u4e00-\u9fff]", entry.en)
        assert units[entry.unit]["base"] == entry.unit, entry.id
    headline = {"gdp-growth", "fixed-asset-investment-growth", "retail-sales-growth",
                "general-budget-revenue-growth", "industrial-value-added-growth",
                "urban-disposable-income-per-capita", "registered-unemployment-rate"}
    assert headline <= {e.id for e in entries}


def test_a_unit_code_of_the_vocabulary_names_one_quantity():
    """A standard code (UCUM, ISO 4217) is the unit itself: two units of one base with
    different multipliers (吨 and 万吨) cannot share it."""
    coded = {}
    for unit in vocabulary.units():
        if "code" in unit:
            key = (unit["code_system"], unit["code"])
            coded.setdefault(key, set()).add((unit["base"], unit["multiplier"]))
    assert coded and {key: found for key, found in coded.items() if len(found) > 1} == {}


@pytest.mark.parametrize("clause, figure_unit, expected", [
    ("预计全年地区生产总值增长", "percent", "gdp-growth"),
    ("规上工业增加值增长", "percent", "industrial-value-added-growth"),
    ("社零总额", "yuan", "retail-sales"),
    ("社会消费品零售总额", "percent", None),  # a share is no growth rate without 增长
    ("城镇登记失业率控制在", "percent", "registered-unemployment-rate"),
    ("新增經營主體", "registered-entity", "market-entities-new"),
    ("一般公共预算收入下降", "percent", None),  # a fall of 2% is no growth of 2%
    ("单位地区生产总值能耗降低", "percent", "energy-intensity-reduction"),
])
def test_the_vocabulary_matches_names_and_variants(clause, figure_unit, expected):
    found = vocabulary.match(clause, clause, figure_unit)
    assert (found.id if found else None) == expected


def test_a_subheading_takes_its_year_from_the_heading_above(tmp_path):
    source = tmp_path / "report.txt"
    source.write_text("东湖区2024年政府工作报告\n一、2023年工作回顾\n（一）聚焦项目建设\n"
                      "全区实施重点项目52个，完成投资88亿元。\n（二）聚焦民生改善\n"
                      "新增城镇就业6200人，新建学校2所。\n二、2024年工作安排\n"
                      "（一）着力保障民生\n新增城镇就业6000人以上，新建学校3所。\n", "utf-8")
    root = drafted(tmp_path, source)
    results = yaml.safe_load((root / "curation" / "results.yaml").read_text("utf-8"))
    targets = yaml.safe_load((root / "curation" / "targets.yaml").read_text("utf-8"))
    assert [s["quote"] for sec in results["sections"] for s in sec["statements"]] == [
        "新增城镇就业6200人", "新建学校2所"]
    assert [sec["section"] for sec in targets["sections"]] == ["（一）着力保障民生"]
    projects = yaml.safe_load((root / "curation" / "projects.yaml").read_text("utf-8"))
    assert projects["statements"][0]["rows"][0]["name"] == "重点项目"
    assert projects["statements"][0]["rows"][0]["status"] == "in_progress"


def test_this_projects_indicators_use_the_standard_ids_where_they_apply():
    declared = yaml.safe_load((ROOT / "curation" / "indicators.yaml").read_text("utf-8"))
    matched = {i["id"]: vocabulary.match(i["name"], i["name"], i.get("unit"))
               for i in declared}
    assert {k: v.id for k, v in matched.items() if v and v.id != k} == {}
    assert len([v for v in matched.values() if v]) >= 10
