import csv
import io
import json
from decimal import Decimal

import pytest
import yaml

from conftest import ROOT
from opendata.curate.figures import FigureSyntax
from opendata.curate.units import Unit
from opendata.publish.formatting import english, number, printed
from opendata.publish.labels import Labels

UNITS = {u["id"]: Unit(u["id"], u["label"], u["base"], Decimal(u["multiplier"]), u["kind"])
         for u in yaml.safe_load((ROOT / "curation/units.yaml").read_text("utf-8"))}


LABELS = Labels(json.loads((ROOT / "datapackage.json").read_text("utf-8")),
                csv.DictReader(io.StringIO((ROOT / "data/units.csv").read_text("utf-8"))))


def noun(unit_id, count):
    return LABELS.unit(unit_id, "en", count)


def english_of(value, unit_id, qualifier="exact"):
    words = "" if qualifier == "exact" else LABELS.code("results", "qualifier", qualifier, "en")
    return english(Decimal(value), UNITS[unit_id], noun, words)


@pytest.mark.parametrize("value, unit, qualifier, text", [
    ("117.95", "100m-yuan", "exact", "11.795 billion yuan"),   # the example of the issue
    ("146", "100m-yuan", "about", "about 14.6 billion yuan"),
    ("79.7", "percent", "exact", "79.7%"),                       # not rounded to 80%
    ("3", "percent", "about", "about 3%"),
    ("2.04", "10k-persons", "exact", "20,400 persons"),
    ("1.95", "10k-persons", "at_least", "at least 19,500 persons"),
    ("15.7", "km", "about", "about 15.7 kilometers"),
    ("2.3", "10k-units", "exact", "23,000 units"),
    ("1", "unit", "exact", "1 unit"),                            # CLDR "one": no "1 units"
    ("1.5", "km", "exact", "1.5 kilometers"),                    # CLDR "other" for decimals
])
def test_english_figures(value, unit, qualifier, text):
    assert english_of(value, unit, qualifier) == text


def test_chinese_figures_stay_as_printed():
    syntax = FigureSyntax(u.label for u in UNITS.values())
    quote = "电子商务交易额约146亿元，同比增长8%"
    assert printed(quote, Decimal("146"), "亿元", "about", syntax) == "约146亿元"
    assert printed(quote, Decimal("8"), "%", "exact", syntax) == "8%"
    assert printed("政府发放600万消费券", Decimal("600"), "万元", "exact", syntax) == "600万"


def test_numbers_keep_every_printed_decimal():
    assert number(Decimal("2493.125"), "en") == "2,493.125"
    assert number(Decimal("11795000000"), "zh-Hans") == "11,795,000,000"
