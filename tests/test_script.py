"""Traditional characters read exactly as simplified ones; labels keep their script."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from opendata.curate import vocabulary
from opendata.curate.figures import FigureSyntax, chinese_numeral, modality
from opendata.curate.script import fold, is_traditional, to_traditional
from opendata.curate.source import Source
from opendata.curate.units import Unit

LABELS = [u["label"] for u in vocabulary.units()]
SIMPLIFIED = FigureSyntax(LABELS)
TRADITIONAL = FigureSyntax([to_traditional(label) for label in LABELS])

numbers = st.one_of(st.decimals(min_value=0, max_value=99999, places=2).map(str),
                    st.sampled_from(["两", "三", "十二", "一百零五", "千"]))
figures = st.builds(lambda pre, n, infix, unit, post: f"{pre}{n}{infix}{unit}{post}",
                    st.sampled_from(["", "约", "近", "不少于", "超过"]), numbers,
                    st.sampled_from(["", "余", "多"]), st.sampled_from(LABELS),
                    st.sampled_from(["", "以上", "左右"]))
texts = st.lists(st.tuples(st.sampled_from(["新增经营主体", "完成投资", "，", "项目", "预计"]),
                           figures), max_size=4).map(lambda parts: "".join(a + b for a, b in parts))


@given(texts)
def test_traditional_figures_parse_exactly_as_simplified(text):
    expected = [(f.value, f.unit, f.qualifier, f.start, f.end) for f in SIMPLIFIED.figures(text)]
    traditional = to_traditional(text)
    found = TRADITIONAL.figures(traditional)
    assert [(f.value, fold(f.unit or "") or None, f.qualifier, f.start, f.end)
            for f in found] == expected
    assert [f.text for f in found] == [traditional[f.start:f.end] for f in found]


def test_the_four_forms_of_the_issue():
    for simplified, traditional in [("12.5亿元", "12.5億元"), ("3.75万户", "3.75萬戶"),
                                    ("2.3万个", "2.3萬個"), ("两个", "兩個")]:
        mine = SIMPLIFIED.figures(simplified)[0]
        theirs = TRADITIONAL.figures(traditional)[0]
        assert (theirs.value, theirs.qualifier, theirs.text) == (mine.value, mine.qualifier,
                                                                  traditional)
        assert fold(theirs.unit) == mine.unit and theirs.unit == to_traditional(mine.unit)


def test_a_simplified_units_file_reads_a_traditional_quote():
    figure = SIMPLIFIED.figures("經營主體穩定在19萬戶")[0]
    assert (figure.value, figure.unit, figure.text) == (Decimal(19), "万户", "19萬戶")
    unit = Unit("10k", "万户", "entity", Decimal(10000), "count")
    assert unit.prints_as("萬戶") and unit.prints_as("萬")


def test_marks_and_numerals_in_traditional():
    assert modality("預計全年增長") == (True, False)
    assert modality("力爭新增") == (False, True)
    assert chinese_numeral("兩") == 2 and chinese_numeral("兩百") == 200


def test_the_source_index_finds_the_same_numbers_in_both_scripts():
    text = "新增經營主體3.75萬戶，兩個項目，億元以上\n"
    traditional = Source(text)
    simplified = Source(fold(text))
    assert list(traditional.tokens.starts) == list(simplified.tokens.starts)
    assert [traditional.flat[a:b] for a, b in zip(traditional.tokens.starts,
                                                  traditional.tokens.ends, strict=True)] == [
        "3.75", "兩", "億"]  # 萬 scales 3.75: it is no number of its own, in either script


def test_the_script_of_a_text_is_recognised():
    assert is_traditional("臨河縣地區生產總值增長6.2%")
    assert not is_traditional("二七区地区生产总值增长7%")
    assert to_traditional("万元") == "萬元" and fold("萬元") == "万元"
