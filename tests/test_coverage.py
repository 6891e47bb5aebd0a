from conftest import edit, run_cli
from opendata.check.coverage import numbers_in
from opendata.curate.source import Source


def test_numbers_are_arabic_or_chinese_numerals_not_scaling_an_arabic_one():
    numbers = numbers_in(Source("经营主体稳定在 19\n万户，落实“十大战略”，千万元以上"))
    assert [(n.text, n.line) for n in numbers] == [("19", 1), ("十", 2), ("千万", 2)]


def test_coverage_lists_every_number_and_its_row(built):
    result = run_cli("coverage", "--project", str(built.root))
    assert result.exit_code == 0
    assert "results/new-urban-jobs-2024" in result.output
    assert "excluded: heading with its year" in result.output
    assert "12 of 12 numbers covered" in result.output


def test_an_uncovered_number_fails(built):
    edit(built.curated("exclusions"),
         "- {context: 一、2024年工作回顾, reason: heading with its year}\n", "")
    result = run_cli("build", "--project", str(built.root))
    assert result.exit_code == 1
    assert ("data/source/qinghe-2025.zh.txt:2: number 一 in 「5年政府工作报告一、2024年工作」 "
            "is used by no row") in result.output
    result = run_cli("coverage", "--uncovered", "--project", str(built.root))
    assert result.exit_code == 1
    assert "NOT COVERED" in result.output


def test_a_stale_exclusion_fails(built):
    edit(built.curated("exclusions"), "context: 二、2025年主要目标", "context: 三、2026年主要目标")
    result = run_cli("validate", "--project", str(built.root))
    assert result.exit_code == 1
    lines = built.curated("exclusions").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "三、2026年主要目标" in text)
    assert (f"curation/exclusions.yaml:{line}: exclusion 「三、2026年主要目标」 is not in the "
            "source") in result.output
