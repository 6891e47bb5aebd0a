"""Reading human-edited inputs strictly: UTF-8, no BOM, LF line endings, YAML with lines.

Editors on Chinese systems often save GBK, add a BOM or write CRLF; each is refused with
the file named and the fix stated, rather than guessed at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from opendata.exceptions import InvalidData
from opendata.problems import Problem

LINE = "__line__"  # key under which each YAML mapping records the line it starts on

_BOM = b"\xef\xbb\xbf"


def read_text(path: Path, shown: str) -> str:
    """The text of ``path``; raises InvalidData naming ``shown`` when it is not clean UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidData([Problem(shown, f"cannot be read: {error.strerror}",
                                   "check that the file exists and is readable",
                                   "unreadable")]) from error
    return decode(raw, shown)


def decode(raw: bytes, shown: str) -> str:
    """``raw`` as text, refusing a BOM, non-UTF-8 bytes and CRLF line endings."""
    if raw.startswith(_BOM):
        raise InvalidData([Problem(shown, "starts with a UTF-8 byte-order mark (BOM)",
                                   "save the file as UTF-8 without BOM", "encoding-bom")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidData([Problem(
            shown, f"is not UTF-8 (byte 0x{raw[error.start]:02x}); it may be GBK",
            "re-save the file as UTF-8 (e.g. iconv -f GBK -t UTF-8)", "encoding-error",
            line=line)]) from error
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise InvalidData([Problem(shown, "has CRLF (Windows) or CR line endings",
                                   "convert the line endings to LF (e.g. dos2unix)",
                                   "line-endings", line=line)])
    return text


# libyaml's parser when PyYAML has it (it is many times faster), the pure-Python one if not;
# both give every node the mark of where it starts.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SAFE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that records in every mapping the line it starts on."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    _refuse_repeated_keys(loader, node)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


def _refuse_repeated_keys(loader: _LineLoader, node: yaml.MappingNode) -> None:
    """A key given twice in one mapping is an error: YAML loaders keep the last value, so a
    curator's first value would vanish without a word."""
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            continue  # a complex key: the constructor refuses it if it is unhashable
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"the key {key!r} is given twice in one mapping; the second value would "
                "silently replace the first", key_node.start_mark)
        seen.add(key)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_yaml(path: Path, shown: str) -> Any:
    """The YAML document in ``path``, each mapping carrying its line under ``LINE``."""
    text = read_text(path, shown)
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InvalidData([Problem(
            shown, f"is not valid YAML: {getattr(error, 'problem', error)}",
            "fix the YAML syntax at that line", "yaml-syntax",
            line=mark.line + 1 if mark else None)]) from error


def without_lines(value: Any) -> Any:
    """A document read by ``read_yaml`` without the line numbers it records."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value
