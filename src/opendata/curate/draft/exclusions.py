"""Numbers no proposed row uses: an exclusion with its reason, or reported as unplaced.

Dates and years, the congress session, ordinals, heading numbers, names and slogans in
quotation marks, codes in Latin letters, words written with numeral characters, numeral
words that recur outside any figure, enumerations and set phrases each have a reason. A
number none of them explains is unplaced: the draft never guesses one.
"""

from __future__ import annotations

import re

from opendata.curate.draft.model import Draft, Exclusion, Unplaced
from opendata.curate.script import fold
from opendata.curate.source import Source

_DATE = re.compile(r"(?:\d{4}|[一二〇零○]{4})年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|"
                   r"\d{1,2}月份?")
_SESSION = re.compile(r"第[一二三四五六七八九十百\d]+届[^，。；]{0,20}?"
                      r"第[一二三四五六七八九十\d]+次(?:全体)?会议")
_ORDINAL = re.compile(r"第[一二三四五六七八九十百千\d]+[^\d，。；、]?")
QUOTED = re.compile(r"[“「]([^”」]{1,24})[”」]")
_NUMERAL_RUN = re.compile(r"[〇零一二两三四五六七八九十百千万亿兩萬億]+")
_WORDS = ("一般", "进一步", "统一", "唯一", "一体", "一流", "一线", "一些", "一系列", "一站式",
          "一批", "一起", "一直", "一定", "一次", "一样", "一带一路", "零售", "零距离", "零容忍",
          "百姓", "千方百计", "万众", "一手", "一把手", "一揽子", "之一", "一道", "一同", "一致",
          "一方面", "不一", "第一时间", "一大批", "两手", "三农", "十四五", "十五五", "一二三",
          "七一", "八一", "五一", "十一", "五四", "六一", "万一", "一键", "一网", "一屏",
          "一门", "一窗", "一码", "一张", "一件事", "九九", "百年", "千年", "万家灯火")


def account_for_numbers(draft: Draft, source: Source) -> None:
    """Propose an exclusion, or report as unplaced, each number no row accounts for."""
    flat = source.flat
    covered = bytearray(len(flat))
    for statement in draft.statements:
        if statement.table == "honors":
            covered[statement.start:statement.end] = b"\1" * (statement.end - statement.start)
            continue
        used = {r["figure"] for r in statement.rows if "figure" in r}
        for r in statement.rows:
            used |= set(r.get("figures", {}).values())
        for number in used:
            f = statement.figures[number - 1]
            covered[statement.start + f.start: statement.start + f.end] = \
                b"\1" * (f.end - f.start)
    seen: set[str] = set()
    tokens = source.tokens
    recurring = _recurring_numeral_words(source, covered)
    for index in range(len(tokens)):
        start, end = tokens.starts[index], tokens.ends[index]
        if any(covered[start:end]):
            continue
        found = _reason(source, start, end, recurring)
        if found is None:
            draft.unplaced.append(Unplaced(source.line_of(start), flat[start:end],
                                           flat[max(0, start - 8):end + 8],
                                           "no unit follows it and it is in no name or date"))
            continue
        context_start, context_end, reason = found
        covered[context_start:context_end] = b"\1" * (context_end - context_start)
        context = flat[context_start:context_end]
        if context not in seen:
            seen.add(context)
            draft.exclusions.append(Exclusion(context, reason, source.line_of(context_start)))
        for occurrence in source.occurrences(context):
            covered[occurrence.start:occurrence.end] = b"\1" * (occurrence.end - occurrence.start)


def _reason(source: Source, start: int, end: int,
            recurring: set[str]) -> tuple[int, int, str] | None:
    """(start, end, reason) of an exclusion holding the number at [start, end), or None."""
    return (_reason_in_phrase(source.flat, start, end)
            or _reason_in_layout(source, start, end)
            or _reason_in_numeral(source.flat, start, end, recurring))


def _reason_in_phrase(flat: str, start: int, end: int) -> tuple[int, int, str] | None:
    """A date, session, ordinal, quoted name or numeral word around the number."""
    window_start = max(0, start - 30)
    window = fold(flat[window_start:end + 30])
    offset = start - window_start
    for pattern, reason in ((_SESSION, "name of the congress session, not a figure"),
                            (_DATE, "a date or year, not a figure"),
                            (_ORDINAL, "an ordinal (第…), not a quantity")):
        for match in pattern.finditer(window):
            if match.start() <= offset < match.end():
                return window_start + match.start(), window_start + match.end(), reason
    for match in QUOTED.finditer(window):
        if match.start(1) <= offset < match.end(1):
            return (window_start + match.start(1), window_start + match.end(1),
                    "part of a name or slogan in quotation marks, not a figure")
    for word in _WORDS:
        for match in re.finditer(re.escape(word), window):
            if match.start() <= offset < match.end():
                return (window_start + match.start(), window_start + match.end(),
                        "a word written with a numeral character, not a number")
    return None


def _reason_in_layout(source: Source, start: int, end: int) -> tuple[int, int, str] | None:
    """The number of a heading or list item, or part of a code in Latin letters."""
    flat = source.flat
    at_line_start = source.line_span(source.line_of(start))[0] == start
    if (at_line_start and flat[end:end + 1] == "、") or \
            (flat[start - 1:start] in ("（", "(") and flat[end:end + 1] in ("）", ")")):
        return start, end + 1, "the number of a heading or list item, not a figure"
    code = _CODE.search(flat, max(0, start - 8), end + 8)
    while code is not None and code.end() <= start:
        code = _CODE.search(flat, code.end(), end + 8)
    if code is not None and code.start() <= start and end <= code.end():
        return code.start(), code.end(), (f"part of a code or name in Latin letters "
                                          f"({code.group()}), not a figure")
    return None


def _reason_in_numeral(flat: str, start: int, end: int,
                       recurring: set[str]) -> tuple[int, int, str] | None:
    """A recurring numeral word, an enumeration or a set phrase."""
    number = fold(flat[start:end])
    if number in recurring:
        return start, end, ("a numeral word that recurs outside any figure (a place or "
                            "programme name), not a number")
    if _NUMERAL_RUN.fullmatch(number) and fold(flat[end:end + 1]) in ("是", "要", "抓"):
        return start, end + 1, "an enumeration (一是, 二要), not a number"
    if _NUMERAL_RUN.fullmatch(number):
        follow = flat[end:end + 2]
        if follow and follow[0] not in "，。；、：“”":
            return (start, end + len(follow), "a numeral in a set phrase or name (such as "
                    "三级, 两大), not a figure")
    return None


# A code: Latin letters and digits run together, with a letter (PM2.5, 5G, AA+, B2B).
_CODE = re.compile(r"(?=[A-Za-z0-9.+]*[A-Za-z])(?=[A-Za-z0-9.+]*\d)[A-Za-z0-9][A-Za-z0-9.+]*")


def _recurring_numeral_words(source: Source, covered: bytearray) -> set[str]:
    """Chinese-numeral tokens of two or more characters that stand outside figures three
    times or more (a place named with numerals, as in 三门峡 or 六盘水): names, not numbers."""
    counts: dict[str, int] = {}
    tokens, flat = source.tokens, source.flat
    for index in range(len(tokens)):
        start, end = tokens.starts[index], tokens.ends[index]
        text = fold(flat[start:end])
        if end - start >= 2 and _NUMERAL_RUN.fullmatch(text) and not any(covered[start:end]):
            counts[text] = counts.get(text, 0) + 1
    return {text for text, count in counts.items() if count >= 3}
