"""Proposing curation: every number of the source, placed in a row or an exclusion.

``propose`` reads the layout of the source, cuts each paragraph into clauses and turns the
figures of each clause into draft rows: results or targets by the section's year, projects
where the clause speaks of 项目, honours where it awards one (获评, 荣获, 被评为, 入选). The
figure grammar gives value, unit and qualifier; 预计 and 力争 anywhere earlier in the
sentence are carried by a ``sentence_start``. Numbers that are dates, session names,
ordinals or parts of names become proposed exclusions with a reason; what fits nothing is
reported as unplaced, never guessed.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from opendata.curate import vocabulary
from opendata.curate.draft import sections
from opendata.curate.draft.clauses import MARKS, Clause, clauses, list_items
from opendata.curate.draft.exclusions import QUOTED, account_for_numbers
from opendata.curate.draft.layout import Heading, Paragraph, lead_phrase, read_layout
from opendata.curate.draft.model import Context, Draft, Statement
from opendata.curate.figures import Figure, FigureSyntax
from opendata.curate.script import fold, is_traditional, to_traditional
from opendata.curate.source import Source

HONOUR_VERBS = ("获评", "荣获", "被评为", "入选", "获批", "被授予", "荣膺", "获得")
_HONOUR_LEVELS = (("全国", "national"), ("国家", "national"), ("中国", "national"),
                  ("全省", "provincial"), ("省", "provincial"), ("全市", "municipal"),
                  ("市", "municipal"), ("区", "district"), ("县", "district"))
_COMPLETED = ("完工", "竣工", "建成", "投用", "投产")
_LINKING = re.compile(r"(?:达到|达|为|共计|共|约|近|超过|超|突破|完成|实现|累计|分别|总数|"
                      r"总量|规模|保持在|稳定在|控制在|不低于|不少于|以上|增长|增加|提高|下降|"
                      r"全年|同比|年均|其中|各类|各|等|的)+$")
_LEADING = re.compile(r"^(?:全区|全县|全市|全镇|全年|今年|去年|年内|累计|共计|已经|已|并且|以及|"
                      r"同时|其中|另外|此外|持续|不断|积极|加快|全力|大力|着力|努力|扎实|有效|"
                      r"确保|力争|预计|推动|推进|实施|精准|成功|顺利|已经)+")
_PROJECT = "项目"
_TOTAL = ("总投资", "政府投资", "计划投资", "估算投资")
_ANNUAL = ("完成投资", "年度投资", "年度完成", "当年投资", "年度计划投资", "计划完成投资")


def propose(source: Source, context: Context) -> Draft:
    """Draft curation for every number of ``source``."""
    draft = Draft(traditional=is_traditional(source.text))
    syntax = FigureSyntax(context.units)
    layout = read_layout(source)
    years = _section_tables(source, layout.paragraphs, context)
    for paragraph in layout.paragraphs:
        draft.joins += paragraph.joins
        _paragraph(draft, source, syntax, context, paragraph, years)
    account_for_numbers(draft, source)
    _number_figures(draft, syntax, context)
    return draft


def _number_figures(draft: Draft, syntax: FigureSyntax, context: Context) -> None:
    """Number each row's figure as the build will count them in its quote.

    The build parses a quote with the project's units, which will be the units of every
    figure of the drafted quotes (``draft.units``), and counts every figure, those inside
    quotation marks too.
    """
    for statement in draft.statements:
        for figure in syntax.parse_squashed(statement.quote):
            label = _unit_label(figure, context)
            if label:
                draft.units.add(label)
    written = FigureSyntax(draft.units)
    for statement in draft.statements:
        position = {f.start: n for n, f in enumerate(written.figures(statement.quote), 1)}
        renumber = {n: position.get(f.start) for n, f in enumerate(statement.figures, 1)}
        for row in statement.rows:
            if "figure" in row:
                row["figure"] = renumber[row["figure"]]
            if "figures" in row:
                row["figures"] = {k: renumber[v] for k, v in row["figures"].items()}


# -- sections -------------------------------------------------------------------------------

_IMPERATIVE = re.compile(r"^(?:加强|加快|推进|推动|坚持|深化|着力|聚焦|实施|统筹|全力|大力|"
                         r"持续推进|积极|强化|提升|优化|打造|做强|做优|做大|构建|建设|完善|守牢|兜牢|"
                         r"扎实|巩固|抓好|促进|培育|发展)")


def _pool(source: Source, paragraph: Paragraph) -> tuple[str, str]:
    """The paragraphs that vote together on their year: a heading's, but a lead phrase
    that gives an order (加强法治建设。) votes alone."""
    heading, section = _section_of(source, paragraph)
    return heading, section if _IMPERATIVE.match(fold(section)) and section != heading else ""


def _section_of(source: Source, paragraph: Paragraph) -> tuple[str, str]:
    """(heading, section name) of a paragraph: its lead phrase, else its heading."""
    heading = paragraph.heading.text if paragraph.heading else ""
    lead = lead_phrase(paragraph.text(source))
    return heading, lead or heading or "正文"


def _section_tables(source: Source, paragraphs: list[Paragraph],
                    context: Context) -> dict[int, str]:
    """results or targets for each paragraph (by the id of the paragraph object)."""
    by_pool: dict[tuple[str, str], int] = {}
    by_heading: dict[str, int] = {}
    for paragraph in paragraphs:
        heading, _ = _section_of(source, paragraph)
        pool = _pool(source, paragraph)
        score = sections.vote(paragraph.text(source))
        by_pool[pool] = by_pool.get(pool, 0) + score
        by_heading[heading] = by_heading.get(heading, 0) + score
    tables = {}
    years = (context.reviewed_year, context.report_year)
    for paragraph in paragraphs:
        heading, section = _section_of(source, paragraph)
        score = by_pool[_pool(source, paragraph)] or by_heading[heading]
        told = None
        for cue in (section if section != heading else "", heading,
                    *_ancestors(paragraph.heading)):
            told = told or (sections.heading_table(cue, *years) if cue else None)
        # A heading naming the year decides; a looser cue (成效, 目标) gives way to a clear vote.
        if told and (told[1] or abs(score) < 6):
            tables[id(paragraph)] = told[0]
        else:
            tables[id(paragraph)] = sections.REVIEW if score > 0 else sections.PLAN
    return tables


def _ancestors(heading: Heading | None) -> list[str]:
    found = []
    while heading is not None and heading.parent is not None:
        heading = heading.parent
        found.append(heading.text)
    return found


# -- clauses --------------------------------------------------------------------------------

def _paragraph(draft: Draft, source: Source, syntax: FigureSyntax, context: Context,
               paragraph: Paragraph, tables: dict[int, str]) -> None:
    flat = source.flat
    table = tables[id(paragraph)]
    year = context.reviewed_year if table == sections.REVIEW else context.report_year
    _, section = _section_of(source, paragraph)

    def has_figure(start: int, end: int) -> bool:
        return any(f.unit for f in syntax.parse_squashed(flat[start:end]))

    previous: Statement | None = None
    last_name: str | None = None
    recipient = context.place  # who an honour goes to when its clause does not say
    for clause in clauses(flat, paragraph.segments):
        text = flat[clause.start:clause.end]
        if clause.start > clause.sentence:
            recipient = _subject(flat[clause.sentence:clause.start]) or recipient
        if table == sections.REVIEW and _honour_verb(text):
            honour = _honour(source, clause, year, section, recipient)
            recipient = "、".join(row["recipient"] for row in honour.rows)
            draft.statements.append(honour)
            previous = None
            continue
        for piece in list_items(flat, clause, has_figure):
            statement = _statement(source, syntax, piece, table, year, section,
                                   paragraph.segments)
            if statement is None:
                continue
            if previous is not None and _continues_project(previous, statement, clause):
                _extend(source, syntax, previous, statement)
                continue
            last_name = _rows(draft, statement, context, last_name)
            if statement.rows:
                draft.statements.append(statement)
            previous = statement if statement.table == "projects" else None


def _statement(source: Source, syntax: FigureSyntax, piece: Clause, table: str,
               year: int | None, section: str,
               segments: list[tuple[int, int]]) -> Statement | None:
    flat = source.flat
    start, end = _trim(flat, piece.start, piece.end)
    quote = flat[start:end]
    quoted = _quoted_spans(quote)
    figures = [f for f in syntax.parse_squashed(quote)
               if f.unit and not any(a <= f.start < b for a, b in quoted)
               and not quote[:f.start].endswith("第")]  # 第四次会议: an ordinal
    if not figures:
        return None
    statement = Statement(table, year, section, quote, source.line_of(start), start, end,
                          figures)
    statement.sentence_start = _sentence_start(source, piece, start, segments)
    if _PROJECT in fold(quote) and any(_project_column(quote, f) for f in figures):
        statement.table = "projects"
    return statement


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` is inside quotation marks: names and slogans, not figures."""
    return [m.span(1) for m in QUOTED.finditer(text)]


def _trim(flat: str, start: int, end: int) -> tuple[int, int]:
    """The clause without its lead phrase (创新动能激活力。 is a heading) or edge marks."""
    while start < end and flat[start] in "、，。；：”」）)":
        start += 1
    while end > start and flat[end - 1] in "、，。；：“「（(":
        end -= 1
    return start, end


def _sentence_start(source: Source, piece: Clause, start: int,
                    segments: list[tuple[int, int]]) -> tuple[int, str] | None:
    """The start of the sentence that qualifies a clause from before it: the last 预计 or
    力争 earlier in the sentence, or the sentence's start when it began in another column."""
    flat = source.flat
    at = None
    for segment_start, segment_end in segments:  # the sentence before the clause, by column
        low, high = max(segment_start, piece.sentence), min(segment_end, start)
        if low >= high:
            continue
        folded = fold(flat[low:high])
        mark = max(folded.rfind(m) for m in MARKS)
        if mark >= 0:
            at = low + mark
    if at is None and segments[piece.segment][0] > piece.sentence:
        at = piece.sentence
    if at is None:
        return None
    stop = min(at + 6, _segment_end(at, segments), start)
    return source.line_of(at), flat[at:stop]


def _segment_of(offset: int, segments: list[tuple[int, int]]) -> int:
    return next(i for i, (a, b) in enumerate(segments) if a <= offset < b)


def _segment_end(offset: int, segments: list[tuple[int, int]]) -> int:
    return segments[_segment_of(offset, segments)][1]


# -- rows -------------------------------------------------------------------------------------

def _rows(draft: Draft, statement: Statement, context: Context,
          last_name: str | None) -> str | None:
    """Fill the rows of a statement; returns the indicator name its last row used."""
    used: set[int] = set()
    if statement.table == "projects":
        used = _project_row(statement, context)
    observation = statement.table if statement.table != "projects" else (
        sections.REVIEW if statement.year == context.reviewed_year else sections.PLAN)
    for number, figure in enumerate(statement.figures, 1):
        if number in used:
            continue
        label = _unit_label(figure, context)
        unit = context.units.get(label) if label else None
        if unit is None:
            continue
        before = statement.quote[: figure.start]
        previous_end = statement.figures[number - 2].end if number > 1 else 0
        name = _name(statement.quote, figure, previous_end, last_name)
        if not _clean(before) or fold(_clean(before)) in vocabulary.CHANGE_WORDS:
            before = name  # 同比增长8%: the measure is named in the clause before
        indicator = _indicator(draft, name, before, statement.quote, unit, context)
        row = {"indicator": indicator, "figure": number}
        if figure.unit != unit["label"]:
            row["unit"] = unit["label"]
        row["_table"] = observation
        statement.rows.append(row)
        last_name = name
    return last_name


def _unit_label(figure: Figure, context: Context) -> str | None:
    """The declared unit of a figure; a bare 万 or 亿 (600万消费券) is taken as money."""
    if figure.unit in context.units:
        return figure.unit
    if figure.unit and fold(figure.unit) in "万亿":
        money = f"{figure.unit}元"
        return next((label for label in context.units if fold(label) == fold(money)), None)
    return None


def _name(quote: str, figure: Figure, previous_end: int, last_name: str | None) -> str:
    """A Chinese name for what a figure measures, taken from its clause."""
    name = _clean(quote[previous_end: figure.start])
    if not name:
        after = re.split(r"[，、。；：的]", quote[figure.end:], maxsplit=1)[0]
        name = _clean(after)
    if (not name or fold(name) in vocabulary.CHANGE_WORDS) and last_name:
        change = name if name else ""
        name = f"{last_name}{change}"
        if figure.unit == "%" and not change:
            name += "增长"
    return name or quote


def _clean(text: str) -> str:
    text = text.strip("“”「」，、：:（）() ")
    previous = None
    while previous != text:
        previous = text
        text = _LINKING.sub("", _LEADING.sub("", text)).strip("“”「」，、：:（）() ")
    return text


def _indicator(draft: Draft, name: str, before: str, quote: str, unit: dict[str, Any],
               context: Context) -> str:
    base = unit["base"]
    standard = vocabulary.match(before, quote, base)
    if standard is not None:
        label = to_traditional(standard.name) if draft.traditional else standard.name
        draft.indicators.setdefault(standard.id, {
            "id": standard.id, "name": label, "kind": standard.kind, "unit": base,
            "en": standard.en, "standard": True})
        return standard.id
    digest = hashlib.sha1(f"{fold(name)}|{base}".encode()).hexdigest()[:8]
    key = f"tbc-{digest}"
    kind = _kind(unit["kind"], quote)
    draft.indicators.setdefault(key, {"id": key, "name": name, "kind": kind, "unit": base,
                                      "en": None, "standard": False})
    return key


def _kind(unit_kind: str, quote: str) -> str:
    if unit_kind == "ratio":
        return "growth_rate" if any(w in fold(quote) for w in vocabulary.CHANGE_WORDS) \
            else "share"
    return {"currency": "amount", "mass": "amount"}.get(unit_kind, unit_kind)


# -- projects and honours -----------------------------------------------------------------------

def _project_column(quote: str, figure: Figure) -> str | None:
    """The project figure column a figure of a 项目 clause fills, if any."""
    unit = fold(figure.unit or "")
    before = fold(quote[: figure.start])
    after = fold(quote[figure.end:])
    if unit in ("个", "项") and _PROJECT in after[:24]:
        return "project_count"
    if unit in ("个", "项") and _PROJECT in before[-8:]:
        return "project_count"
    if not unit.endswith("元") and unit not in ("万", "亿"):
        return None
    if figure.qualifier.value == "at_least" and (after.startswith("的") or _PROJECT in after):
        return "threshold_investment"
    if any(before.endswith(w) or before[-8:].find(w) >= 0 for w in _ANNUAL):
        return "annual_investment"
    if any(w in before[-8:] for w in _TOTAL) or after.startswith("的"):
        return "total_investment"
    return None


def _project_row(statement: Statement, context: Context) -> set[int]:
    figures: dict[str, int] = {}
    for number, figure in enumerate(statement.figures, 1):
        column = _project_column(statement.quote, figure)
        if column and column not in figures and _unit_label(figure, context):
            figures[column] = number
    done = statement.year == context.reviewed_year
    status = "planned" if not done else (
        "completed" if any(w in fold(statement.quote) for w in _COMPLETED) else "in_progress")
    statement.rows.append({"_table": "projects", "year": statement.year, "status": status,
                           "name": _project_name(statement.quote), "places": [],
                           "figures": figures})
    return set(figures.values())


def _project_name(quote: str) -> str:
    folded = fold(quote)
    end = folded.rfind(_PROJECT) + len(_PROJECT)
    head = quote[:end]
    cut = max(head.rfind(c, 0, len(head) - len(_PROJECT)) for c in "的个项元上")
    name = _clean(head[cut + 1:]) if cut >= 0 else _clean(head)
    return name or quote[:end]


def _continues_project(previous: Statement, statement: Statement, clause: Clause) -> bool:
    """A clause that goes on with the investment of the project clause before it
    (城市更新项目25个，全年完成投资117.95亿元)."""
    project = next(r for r in previous.rows if r["_table"] == "projects")
    columns = [_project_column(statement.quote, f) for f in statement.figures]
    return (_PROJECT not in fold(statement.quote) and "投资" in fold(statement.quote)
            and previous.end < statement.start and statement.start - previous.end <= 1
            and all(c and c not in project["figures"] for c in columns)
            and len(set(columns)) == len(columns))


def _extend(source: Source, syntax: FigureSyntax, previous: Statement,
            statement: Statement) -> None:
    previous.quote = source.flat[previous.start:statement.end]
    previous.end = statement.end
    quoted = _quoted_spans(previous.quote)
    previous.figures = [f for f in syntax.parse_squashed(previous.quote)
                        if f.unit and not any(a <= f.start < b for a, b in quoted)]
    project = next(r for r in previous.rows if r["_table"] == "projects")
    for number, figure in enumerate(previous.figures, 1):
        column = _project_column(previous.quote, figure)
        if figure.start >= len(previous.quote) - len(statement.quote) and column and \
                column not in project["figures"]:
            project["figures"][column] = number


def _honour_verb(text: str) -> str | None:
    folded = fold(text)
    return next((verb for verb in HONOUR_VERBS if verb in folded), None)


def _subject(text: str) -> str | None:
    """The subject a sentence opens with (致欧家居 in 致欧家居作为…，), if short and plain."""
    match = re.match(r"([^，、。；：“”]{2,12}?)(?:作为|成为|是|在|被|经过|通过|荣获|获评|入选)",
                     fold(text))
    return _recipient(text[:match.end(1)]) if match else None


def _recipient(text: str) -> str:
    return _clean(re.sub(r"(?:成功|再次|先后|连续|均|也|还|又)+$", "", text))


def _honour(source: Source, clause: Clause, year: int | None, section: str,
            recipient: str) -> Statement:
    """An honour: who received it (the text before the verb, else ``recipient``), and what."""
    start, end = _trim(source.flat, clause.start, clause.end)
    quote = source.flat[start:end]
    verb = _honour_verb(quote) or ""
    at = fold(quote).find(verb)
    recipient = _recipient(quote[:at]) or recipient
    honour = quote[at + len(verb):].strip("“”「」 ") or quote
    honour = re.sub(r"^(?:了|为)", "", honour).replace("“", "").replace("”", "")
    level = next((lv for word, lv in _HONOUR_LEVELS if word in fold(honour)), "other")
    statement = Statement("honors", year, section, quote, source.line_of(start), start, end,
                          [])
    for one in (r for r in recipient.split("、") if r):  # A、B获得…: an honour each
        statement.rows.append({"_table": "honors", "year": year, "recipient": one,
                               "honor": honour, "level": level})
    return statement
