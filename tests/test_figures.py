from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from opendata.curate.figures import FigureSyntax, Qualifier, chinese_numeral, format_decimal

LABELS = [u["label"] for u in yaml.safe_load((ROOT / "curation/units.yaml").read_text("utf-8"))]
SYNTAX = FigureSyntax(LABELS)


def parsed(text):
    return [(f.text, f.value, f.unit, f.qualifier.value) for f in SYNTAX.figures(text)]


@pytest.mark.parametrize("text, expected", [
    ("117.95亿元", [("117.95亿元", Decimal("117.95"), "亿元", "exact")]),
    ("2.3万个", [("2.3万个", Decimal("2.3"), "万个", "exact")]),
    ("1500 万人次", [("1500万人次", Decimal("1500"), "万人次", "exact")]),
    ("79.7%", [("79.7%", Decimal("79.7"), "%", "exact")]),
    ("15条约15.7公里", [("15条", Decimal(15), "条", "exact"),
                     ("约15.7公里", Decimal("15.7"), "公里", "about")]),
    ("增长 3%左右", [("3%左右", Decimal(3), "%", "about")]),
    ("近 4000张", [("近4000张", Decimal(4000), "张", "nearly")]),
    ("4300 张以上", [("4300张以上", Decimal(4300), "张", "at_least")]),
    ("不低于12次", [("不低于12次", Decimal(12), "次", "at_least")]),
    ("不少于 2家", [("不少于2家", Decimal(2), "家", "at_least")]),
    ("单位GDP能耗控制在3%以内", [("3%以内", Decimal(3), "%", "at_most")]),
    ("不超过 5个", [("不超过5个", Decimal(5), "个", "at_most")]),
    ("超过5个", [("超过5个", Decimal(5), "个", "over")]),
    ("不高于8%", [("不高于8%", Decimal(8), "%", "at_most")]),
    ("降至10人以下", [("10人以下", Decimal(10), "人", "at_most")]),
    ("350余场", [("350余场", Decimal(350), "场", "over")]),
    ("400多家", [("400多家", Decimal(400), "家", "over")]),
    ("6.8 万平方米以\n上", [("6.8万平方米以上", Decimal("6.8"), "万平方米", "at_least")]),
    ("309个千万元以上", [("309个", Decimal(309), "个", "exact"),
                     ("千万元以上", Decimal(1000), "万元", "at_least")]),
    ("投资亿元以上的", [("亿元以上", Decimal(1), "亿元", "at_least")]),
    ("每千人5个", [("每千人5个", Decimal(5), "个/千人", "exact")]),
    ("发放600万消费券", [("600万", Decimal(600), "万", "exact")]),
    ("实现“1+7”", [("1", Decimal(1), None, "exact"), ("7", Decimal(7), None, "exact")]),
    ("建成三级健身中心55处", [("55处", Decimal(55), "处", "exact")]),
    ("深化“万人助万企”活动", []),
])
def test_figures_parse_value_unit_and_qualifier(text, expected):
    assert parsed(text) == expected


def test_figure_offsets_point_into_the_squashed_quote():
    text = "建成通车市政道路 15条约15.7公里"
    for figure in SYNTAX.figures(text):
        assert "".join(text.split())[figure.start:figure.end] == figure.text


@pytest.mark.parametrize("text, value", [("千", 1000), ("十七", 17), ("三百零五", 305),
                                         ("两", 2), ("十", 10), ("二十", 20)])
def test_chinese_numeral(text, value):
    assert chinese_numeral(text) == value


def test_chinese_numeral_rejects_other_text():
    with pytest.raises(ValueError):
        chinese_numeral("万")


@pytest.mark.parametrize("value, text", [(Decimal("11795000000.00"), "11795000000"),
                                         (Decimal("0.0050"), "0.005"), (Decimal("79.7"), "79.7"),
                                         (Decimal("1E+3"), "1000"), (Decimal("0"), "0")])
def test_format_decimal_is_plain(value, text):
    assert format_decimal(value) == text


PREFIXES = {"": Qualifier.EXACT, "约": Qualifier.ABOUT, "近": Qualifier.NEARLY,
            "不低于": Qualifier.AT_LEAST, "不少于": Qualifier.AT_LEAST,
            "不超过": Qualifier.AT_MOST, "不高于": Qualifier.AT_MOST, "超过": Qualifier.OVER}
SUFFIXES = {"": Qualifier.EXACT, "以上": Qualifier.AT_LEAST, "左右": Qualifier.ABOUT,
            "以内": Qualifier.AT_MOST, "以下": Qualifier.AT_MOST}
INFIXES = {"": Qualifier.EXACT, "余": Qualifier.OVER, "多": Qualifier.OVER}
values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                     allow_infinity=False)


@given(values, st.sampled_from([label for label in LABELS if "/" not in label]),
       st.sampled_from(["prefix", "infix", "suffix"]), st.data())
def test_printed_figures_parse_back_exactly(value, unit, position, data):
    marks = {"prefix": PREFIXES, "infix": INFIXES, "suffix": SUFFIXES}[position]
    mark = data.draw(st.sampled_from(sorted(marks)))
    number = format_decimal(value)
    text = {"prefix": f"{mark}{number}{unit}", "infix": f"{number}{mark}{unit}",
            "suffix": f"{number}{unit}{mark}"}[position]
    [figure] = SYNTAX.figures(f"新增{text}，")
    assert (figure.value, figure.unit, figure.qualifier) == (value, unit, marks[mark])


MARKS = "约近以上下内左右余多不超过"


@given(st.text(alphabet=f"0123456789.{MARKS}万亿个元人%，、一二三千每", max_size=40))
def test_any_text_gives_figures_whose_digits_are_in_it(text):
    for figure in SYNTAX.figures(text):
        assert figure.text in text
        digits = "".join(c for c in figure.text if c.isdigit() or c == ".")
        if digits:
            assert Decimal(digits) == figure.value
