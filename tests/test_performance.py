"""The fast paths behave exactly as the plain algorithms they replaced.

Each test holds the plain version (as the code first had it) and compares on random input.
"""

from __future__ import annotations

import csv
import io
import random
import re
from decimal import Decimal

import pytest
import yaml

from conftest import ROOT
from opendata.tables import Shape, template_schemas
from opendata import csvfile
from opendata.checks.provenance import Claims
from opendata.figures import CN_NUMERAL, FigureSyntax, Qualifier, as_read, chinese_numeral
from opendata.source import Source, Span, Tokens
from opendata.text import squash

LABELS = [u["label"] for u in yaml.safe_load((ROOT / "curation/units.yaml").read_text("utf-8"))]
SYNTAX = FigureSyntax(LABELS)
PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?|(?<![\d.])[〇零一二两三四五六七八九十百千万亿]+")


def plain_figures(text: str) -> list[tuple]:
    """The figure parser as first written: try the grammar at every character."""
    prefixes = {"约": "about", "近": "nearly", "不低于": "at_least", "不少于": "at_least",
                "超过": "over", "突破": "over"}
    infixes, suffixes = {"余": "over", "多": "over"}, {"以上": "at_least", "左右": "about"}
    # read in simplified characters, 万余 as 余万 (2万余户 is over 2 万户); cut as printed
    printed = squash(text)
    text, found, pos = as_read(printed), [], 0
    while pos < len(text):
        m = SYNTAX._pattern.match(text, pos)
        figure = None
        if m and m.end() > pos:
            unit = m["unit"]
            if m["arabic"]:
                value = Decimal(m["arabic"])
            elif m["cn"]:
                value = Decimal(chinese_numeral(m["cn"]))
            elif unit and unit[0] in "万亿" and m["post"] == "以上" and not m["infix"]:
                value = Decimal(1)
            else:
                value = None
            if value is not None and not (unit is None and m["per"]):
                if unit is not None and m["per"]:
                    unit = f"{unit}/{m['per_num']}{m['per_unit']}"
                start = m.start("per") if m["per"] else m.start()
                end = m.end() if unit is not None else m.end("arabic")
                post = m["post"] if unit is not None else None
                marks = [(m["pre"], prefixes), (m["infix"], infixes), (post, suffixes)]
                qualifier = next((table[mark] for mark, table in marks if mark), "exact")
                figure = (printed[start:end], value, unit, qualifier, start, end)
        if figure is None:
            pos += 1
            continue
        found.append(figure)
        pos = figure[5]
    return found


def plain_index(text: str) -> tuple[str, list[int]]:
    flat, lines = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        flat.append(squash(line))
        lines.extend([number] * len(squash(line)))
    return "".join(flat), lines


def plain_locate(text: str, quote: str, line: int) -> Span | str:
    flat, lines = plain_index(text)
    needle = squash(quote)
    spans = ([Span(m.start(), m.start() + len(needle))
              for m in re.finditer(f"(?={re.escape(needle)})", flat)] if needle else [])
    if not spans:
        return "the quote is not in the source (whitespace ignored)"
    for span in spans:
        if lines[span.start] == line:
            return span
    starts = ", ".join(str(lines[s.start]) for s in spans)
    return f"the quote starts on line {starts}, not on line {line}"


FIGURE_TEXT = "0123456789.约近以上左右余多万亿个元人%，、一二三千每不低于少平方米次/千人１٣ "


FIGURE_WORDS = LABELS + ["每", "约", "近", "不低于", "不少于", "余", "多", "以上", "左右", "以",
                        "上", "千", "万", "亿", "三", "十", "两", "零", "5", "12", ".", "3.5", "，",
                        "每千人", "亿元以上", "千万元以上", "１", " "]


@pytest.mark.parametrize("seed", range(4))
def test_the_figure_parser_scans_once_without_changing_a_figure(seed):
    rng = random.Random(seed)
    for i in range(10000):
        if i % 2:
            text = "".join(rng.choice(FIGURE_WORDS) for _ in range(rng.randint(0, 10)))
        else:
            text = "".join(rng.choice(FIGURE_TEXT) for _ in range(rng.randint(0, 30)))
        parsed = [(f.text, f.value, f.unit, f.qualifier.value, f.start, f.end)
                  for f in SYNTAX.figures(text)]
        assert parsed == plain_figures(text), text


def test_figures_are_named_tuples_with_the_old_fields():
    [figure] = SYNTAX.figures("约15.7公里")
    assert (figure.text, figure.value, figure.unit, figure.qualifier, figure.start,
            figure.end) == ("约15.7公里", Decimal("15.7"), "公里", Qualifier.ABOUT, 0, 7)
    assert figure.printed_value == "15.7" and figure.qualifier == "about"
    assert CN_NUMERAL.startswith("[")


@pytest.mark.parametrize("seed", range(4))
def test_the_line_index_and_locate_agree_with_a_scan_of_the_whole_text(seed, tmp_path):
    import opendata.source as module

    rng = random.Random(seed)
    for chunk in (1, 3, 1 << 20):
        module._CHUNK, saved = chunk, module._CHUNK
        try:
            for _ in range(400):
                alphabet = "ab \n第\r\t\u3000\x07"  # \x07: unprintable, yet not whitespace
                text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
                (tmp_path / "s.txt").write_bytes(text.encode("utf-8"))
                flat, lines = plain_index(text)
                for source in (Source(text), Source.from_file(tmp_path / "s.txt")):
                    assert source.flat == flat
                    assert [source.line_of(i) for i in range(len(flat))] == lines
                    for _ in range(5):
                        quote = "".join(rng.choice("ab 第") for _ in range(rng.randint(0, 3)))
                        line = rng.randint(-1, 8)
                        assert source.locate(quote, line) == plain_locate(text, quote, line)
                assert Source.from_file(tmp_path / "s.txt").text == text
        finally:
            module._CHUNK = saved


def test_number_tokens_are_those_of_the_plain_pattern():
    rng = random.Random(1)
    for _ in range(3000):
        flat = "".join(rng.choice("12.三十万亿a个零") for _ in range(rng.randint(0, 25)))
        tokens = Tokens(flat)
        assert list(zip(tokens.starts, tokens.ends)) == [m.span() for m in
                                                         PLAIN_NUMBER.finditer(flat)]
        start = rng.randint(0, len(flat))
        end = rng.randint(start, len(flat))
        assert list(tokens.inside(start, end)) == [
            i for i, (s, e) in enumerate(zip(tokens.starts, tokens.ends))
            if start <= s and e <= end]


def test_claims_remember_exactly_the_spans_added_and_the_numbers_inside_them():
    rng = random.Random(2)
    flat = "".join(rng.choice("1234567890abc。") for _ in range(2000))
    tokens = Tokens(flat)
    claims, added = Claims(tokens), set()
    for _ in range(3000):
        start = rng.randint(0, len(flat) - 1)
        end = start + rng.choice([1, 2, 3, 5, 300])
        assert claims.claimed(start, end) == ((start, end) in added)
        if rng.random() < 0.5:
            claims.add(start, end)
            added.add((start, end))
    covered = [any(s <= ts and te <= e for s, e in added)
               for ts, te in zip(tokens.starts, tokens.ends)]
    assert list(map(bool, claims.covered)) == covered


def test_a_table_reads_the_cells_that_dict_reader_reads():
    rng = random.Random(3)
    for _ in range(500):
        header = rng.sample(["id", "value", "unit", "", "id"], rng.randint(0, 4))
        lines = [",".join(header)] + [
            ",".join(rng.choice(["1", "", '"a,b"', "x"]) for _ in range(rng.randint(0, 5)))
            for _ in range(rng.randint(0, 5))]
        content = ("\n".join(lines) + "\n").encode("utf-8")
        expected = list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
        table = csvfile.Table(io.BytesIO(content))
        names = ["id", "value", "unit", "", "missing"]
        got = [{name: cells[table.position(name)] for name in names} for cells in table]
        assert got == [{name: row.get(name) for name in names} for row in expected]


def test_coverage_of_validate_finds_what_the_full_listing_finds(built):
    from conftest import edit
    from opendata import coverage
    from opendata.checks.provenance import trace
    from opendata.package import PublishedPackage

    shown = "curation/exclusions.yaml"
    edit(built.curated("exclusions"), "- {context: 一、2024年工作回顾, reason: heading with its year}\n",
         "")
    edit(built.curated("exclusions"), "context: 二、2025年主要目标", "context: 三、2026年主要目标")
    package = PublishedPackage.open(built.descriptor)
    exclusions, _ = coverage.read_exclusions(built.exclusions, shown)
    listed = coverage.measure(package, exclusions, shown)
    checked = coverage.check(package, exclusions, shown, trace(package, keep_uses=False).claims)
    assert checked == listed.problems
    assert {p.code for p in checked} == {"uncovered-number", "stale-exclusion"}


def test_the_catalog_lookup_gives_what_english_gives():
    from babel.messages.catalog import Catalog

    from opendata.catalog import Translations

    rng = random.Random(4)
    catalog = Catalog(locale="en")
    for i in range(300):
        catalog.add(rng.choice(["一", "二", "三", f"词{i}"]), rng.choice(["", "one", "two"]),
                    context=rng.choice([None, "results.section", "honors.honor"]),
                    flags=["fuzzy"] if rng.random() < 0.2 else [])
    translations = Translations(catalog, "messages.po")
    looked_up = translations.by_context()
    for context in (None, "results.section", "honors.honor", "projects.name"):
        for zh in ["一", "二", "三", "四", *(f"词{i}" for i in range(300))]:
            assert looked_up.get(context, {}).get(zh) == translations.english(context, zh)


def _plain_base_value(units, value_text, base_text, unit_id):
    """The base-value check as first written: both numbers parsed, then compared."""
    from opendata.package import decimal

    if not value_text and not base_text:
        return None
    value, base, unit = decimal(value_text), decimal(base_text), units.get(unit_id)
    if value is None or unit is None:
        return "set-but-empty" if base is not None and value is None else None
    return "wrong" if base != unit.to_base(value) else None


def test_base_values_are_checked_as_the_plain_check_does():
    from opendata.checks import base_values
    from opendata.units import Unit

    units = {"yuan": Unit("yuan", "元", "yuan", Decimal(1), "money"),
             "10k-yuan": Unit("10k-yuan", "万元", "yuan", Decimal(10000), "money"),
             "zero": Unit("zero", "零", "yuan", Decimal(0), "money")}
    cells = ["", "1", "2.50", "2.5", "25000", "10000", "-3", "1e3", "NaN", "sNaN", "Infinity",
             "-Infinity", "abc", " 7 ", "0", "0.0"]
    rng = random.Random(5)
    rows = [[rng.choice(cells), rng.choice(cells), rng.choice([*units, "", "nope"])]
            for _ in range(3000)]

    class Package:
        pass

    package = Package()
    package.units = units
    package.shape = Shape.from_resources(list(template_schemas().values()))
    checker = base_values.Checker(package)
    table = csvfile.Table(io.BytesIO(b"value,value_base,unit\n"))
    row = checker.for_table("results", table, "data/results.csv")
    expected = []
    for number, (value, base, unit) in enumerate(rows, start=2):
        row(number, [value, base, unit, None])
        if _plain_base_value(units, value, base, unit):
            expected.append(number)
    assert [p.row for p in checker.problems] == expected


def test_translations_are_checked_as_the_catalog_says():
    from babel.messages.catalog import Catalog

    from opendata.catalog import Translations
    from opendata.checks import translations

    catalog = Catalog(locale="en")
    catalog.add("一", "one", context="projects.name")
    catalog.add("二", "two", context="projects.name", flags=["fuzzy"])
    catalog.add("三", "", context="projects.name")
    catalog.add("一", "one", context="projects.places")
    catalog.add("二", "two", context="projects.places")
    translations_ = Translations(catalog, "messages.po")
    rng = random.Random(6)
    zh_cells = ["", "一", "二", "三", "四", "一;二", "二;四"]
    en_cells = ["", "one", "two", "", "four", "one;two", "two;four", "One"]
    table = csvfile.Table(io.BytesIO(b"name_zh,name_en,places_zh,places_en\n"))
    checker = translations.Checker(Shape.from_resources(list(template_schemas().values())),
                                   translations_)
    row = checker.for_table("projects", table, "data/projects.csv")
    expected = []
    for number in range(2, 3002):
        cells = [rng.choice(zh_cells) for _ in range(4)]
        cells[1], cells[3] = rng.choice(en_cells), rng.choice(en_cells)
        row(number, [*cells, None])
        for (zh, en), delimiter in (((cells[0], cells[1]), None), ((cells[2], cells[3]), ";")):
            if not zh:
                continue
            if not en or (delimiter and len(zh.split(delimiter)) != len(en.split(delimiter))):
                expected.append((number, "missing-translation"))
                continue
            context = "projects.name" if delimiter is None else "projects.places"
            parts = zip(zh.split(delimiter), en.split(delimiter)) if delimiter else [(zh, en)]
            expected += [(number, "translation-mismatch") for one_zh, one_en in parts
                         if translations_.english(context, one_zh) != one_en]
    assert [(p.row, p.code) for p in checker.problems] == expected
