"""The package as one Excel workbook for researchers: its tables, a data dictionary, its terms.

Cells hold typed values (numbers are numeric cells, booleans booleans) and text is never a
formula. Excel keeps 15 significant digits, every printed figure; the number format shows the
decimal places as printed. The same package gives the same bytes: no clock reaches the file.
"""

from __future__ import annotations

import io
import stat
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from opendata.exceptions import OpendataError
from opendata.publish.facts import Bilingual, PackageFacts
from opendata.publish.tabular import table_resources, unit_note
from opendata.release.archive import EPOCH


@contextmanager
def _without(name: str) -> Iterator[None]:
    """``import name`` fails inside, unless module ``name`` is imported already."""
    if name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]  # Python's mark of a missing module
    try:
        yield
    finally:
        del sys.modules[name]


# openpyxl imports numpy where it can, only so that a cell may hold numpy's number types; this
# workbook's cells hold Python's own. Importing numpy took 0.18 to 0.19 s of CPU, an eighth of
# `opendata publish` on this project (docs/performance.md, "Everyday commands"), so openpyxl
# is imported as where numpy is not installed, unless numpy is imported already.
with _without("numpy"):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.writer.excel import ExcelWriter

ABOUT = "关于 About"
DICTIONARY = "数据字典 Data dictionary"
DICTIONARY_HEADER = ("表 Table", "字段 Field", "类型 Type", "单位 Unit",
                     "中文标签 Label (zh)", "英文标签 Label (en)",
                     "中文说明 Description (zh)", "英文说明 Description (en)", "必填 Required",
                     "取值 Allowed values")
ABOUT_HEADER = ("项目 Item", "内容 Content")
FORMULA_STARTS = ("=", "+", "-", "@")  # what spreadsheets read as the start of a formula
MAX_WIDTH = 60


def workbook(facts: PackageFacts, tables: Mapping[str, list[list[Any]]]) -> bytes:
    """The XLSX bytes of the package of ``facts``: an about sheet, the data dictionary, then
    one sheet per table resource in descriptor order, named after it, with every row of
    ``tables`` (its typed rows by name, see ``tabular.typed_tables``). Every sheet has its
    header frozen and an AutoFilter over its columns."""
    descriptor = facts.descriptor
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    _fill(book.create_sheet(ABOUT), ABOUT_HEADER, about_rows(facts))
    _fill(book.create_sheet(DICTIONARY), DICTIONARY_HEADER, dictionary_rows(descriptor))
    for resource in table_resources(descriptor):
        names = [f["name"] for f in resource["schema"]["fields"]]
        _fill(book.create_sheet(resource["name"]), names, tables[resource["name"]])
    _stamp(book, facts)
    return _without_clock(_save(book))


def dictionary_rows(descriptor: dict) -> list[list[Any]]:
    """One row per field of every table: what a researcher needs to read the column, its
    label and description in both languages, and each allowed code with its labels."""
    rows = []
    for resource in table_resources(descriptor):
        schema = resource["schema"]
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            title, description = Bilingual.of(field, "title"), Bilingual.of(field, "description")
            rows.append([resource["name"], field["name"], field.get("type", "any"),
                         unit_note(resource, field["name"]), title.zh, title.en,
                         description.zh, description.en,
                         bool(constraints.get("required")), allowed_values(field)])
    return rows


def allowed_values(field: dict) -> str:
    """The codes a field allows, each with its labels: ``exact（准确值 / exact）``."""
    labelled = {c["value"]: Bilingual.of(c, "label") for c in field.get("categories", [])
                if isinstance(c, dict)}
    codes = [str(v) for v in field.get("constraints", {}).get("enum", [])]
    return "; ".join(f"{code}（{labelled[code].zh} / {labelled[code].en}）"
                     if code in labelled else code for code in codes)


def about_rows(facts: PackageFacts) -> list[list[str]]:
    """Title, description, version, licence, source, citation and contributors, labelled in
    both languages: the facts every other target states too."""
    source, licence = facts.source, facts.licence
    rows = [
        ["标题 Title (zh)", facts.title.zh],
        ["标题 Title (en)", facts.title.en],
        ["说明 Description (zh)", facts.description.zh],
        ["说明 Description (en)", facts.description.en],
        ["版本 Version", facts.version],
        ["发布日期 Release date", facts.released or ""],
        ["创建 Created", facts.modified or ""],
        ["许可 Licence", f"{licence.id} · {licence.title}" if licence.title != licence.id
         else licence.id],
        ["许可链接 Licence URL", licence.url],
        ["网址 Landing page", facts.landing_page("zh-Hans") + " · " + facts.landing_page("en")],
    ]
    if source:
        rows += [["来源 Source (zh)", source.title.zh], ["来源 Source (en)", source.title.en],
                 ["来源发布者 Source publisher (zh)", source.publisher.zh],
                 ["来源发布者 Source publisher (en)", source.publisher.en],
                 ["来源日期 Source date", source.date or ""],
                 ["来源文件 Source file", source.path]]
    rows += [["建议引用 Suggested citation (zh)", facts.citation("zh-Hans")],
             ["建议引用 Suggested citation (en)", facts.citation("en")],
             ["贡献者 Contributors", contributors(facts.descriptor)]]
    return [[label, str(value)] for label, value in rows]


def contributors(descriptor: dict, roles: bool = True) -> str:
    """The contributors, with their roles unless ``roles`` is false."""
    if not roles:
        return ", ".join(c.get("title", "") for c in descriptor.get("contributors", []))
    return "; ".join(f"{c.get('title', '')} ({', '.join(c.get('roles', []))})"
                     for c in descriptor.get("contributors", []))


def _fill(sheet: Worksheet, header: Iterable[str], rows: Iterable[list[Any]]) -> None:
    _append(sheet, list(header), 1)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        _append(sheet, row, number)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    _fit_columns(sheet)


def _append(sheet: Worksheet, values: list[Any], number: int) -> None:
    """Append row ``number`` of typed values; text stays text whatever it starts with."""
    try:
        sheet.append(values)
    except IllegalCharacterError as error:
        raise OpendataError(f"sheet {sheet.title}, row {number}: a text holds a "
                            "control character, which Excel cannot store; remove it") from error
    # the sheet's row may be wider than this one (the about sheet's rows differ in length)
    for cell, value in zip(sheet[number], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
        elif isinstance(value, Decimal):
            cell.number_format = _decimal_format(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            cell.number_format = "0"  # years and counts without thousands separators


def _decimal_format(value: Decimal) -> str:
    """Show exactly the decimal places printed: 7.0 stays 7.0, 11795000000 is not 1.2E+10."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _fit_columns(sheet: Worksheet) -> None:
    for index, column in enumerate(sheet.iter_cols(), start=1):
        widths = [(cell, _display_width(cell.value)) for cell in column]
        widest = max((width for _, width in widths), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, widest + 2)
        for cell, width in widths:
            if width > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _display_width(value: Any) -> int:
    """Columns a value takes on screen: Chinese characters take two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _stamp(book: Workbook, facts: PackageFacts) -> None:
    """Document properties from the package, never from the clock."""
    created = _created(facts.descriptor)
    book.properties.created = book.properties.modified = created
    book.properties.title = facts.title.en
    book.properties.creator = contributors(facts.descriptor, roles=False)
    book.properties.version = facts.version


def _created(descriptor: dict) -> datetime:
    text = descriptor.get("created")
    if not text:
        return datetime(*EPOCH)
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _save(book: Workbook) -> bytes:
    # ExcelWriter, not save_workbook: that one stamps "modified" with the clock
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


def _without_clock(content: bytes) -> bytes:
    """The same zip with fixed entry dates and modes: openpyxl dates entries with the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # unix, so the mode below means the same everywhere
            entry.external_attr = (stat.S_IFREG | 0o644) << 16
            target.writestr(entry, source.read(info), compresslevel=9)
    return out.getvalue()
