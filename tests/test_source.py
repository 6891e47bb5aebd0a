from opendata.curate.source import Source, Span

SOURCE = Source("第一行\n积极推进总投资 2493 亿\n元的项目\n")


def test_quotes_match_across_whitespace_and_lines():
    assert SOURCE.locate("总投资2493亿元", 2) == Span(7, 16)
    assert SOURCE.line_of(SOURCE.locate("亿元的项目", 2).start) == 2


def test_a_quote_on_the_wrong_line_says_where_it_is():
    assert SOURCE.locate("元的项目", 2) == "the quote starts on line 3, not on line 2"


def test_a_quote_not_in_the_source_says_so():
    assert "not in the source" in SOURCE.locate("总投资2494亿元", 2)
