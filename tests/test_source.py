from hypothesis import given, settings
from hypothesis import strategies as st

from opendata.curate.source import Source, Span

SOURCE = Source("第一行\n积极推进总投资 2493 亿\n元的项目\n")


def test_quotes_match_across_whitespace_and_lines():
    assert SOURCE.locate("总投资2493亿元", 2) == Span(7, 16)
    assert SOURCE.line_of(SOURCE.locate("亿元的项目", 2).start) == 2


def test_a_quote_on_the_wrong_line_says_where_it_is():
    assert SOURCE.locate("元的项目", 2) == "the quote starts on line 3, not on line 2"


def test_a_quote_not_in_the_source_says_so():
    assert "not in the source" in SOURCE.locate("总投资2494亿元", 2)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="12.3万亿十五个元 \n", max_size=60), data=st.data())
def test_the_numbers_inside_a_stretch_are_exactly_those_that_lie_within_it(text, data):
    """``Tokens.inside`` bisects within bounds; a plain scan of every number agrees."""
    source = Source(text)
    tokens = source.tokens
    spans = list(zip(tokens.starts, tokens.ends, strict=True))
    size = len(source.flat)
    start = data.draw(st.integers(0, size))
    end = data.draw(st.integers(start, size))
    scanned = [i for i, (s, e) in enumerate(spans) if start <= s and e <= end]
    assert list(tokens.inside(start, end)) == scanned
    low = data.draw(st.integers(0, len(spans)))
    among = range(low, data.draw(st.integers(low, len(spans))))
    assert list(tokens.inside(start, end, among)) == [i for i in scanned if i in among]
