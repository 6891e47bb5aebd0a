"""Published files are what their descriptor says, where frictionless 5.21 looks away.

frictionless accepts a UTF-8 BOM silently and checks a hash only when it is written as a
lowercase ``sha256:`` (or md5) digest; an uppercase or unknown form passes unchecked.

An opendata package promises all of this (its build writes it so), and anything else is an
error. Any other package is only warned: frictionless finds it valid, and ``opendata
validate`` is never stricter than frictionless unless asked (``--strict``).
"""

from __future__ import annotations

import re
from typing import BinaryIO

from opendata.check.published import PublishedPackage
from opendata.problems import Problem, warning

HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
_CHUNK = 1 << 20


def check(package: PublishedPackage, own: bool = True) -> list[Problem]:
    """File problems of ``package``: errors when it is an opendata package (``own``),
    warnings with a generic fix when it is not."""
    problems = _check(package, own)
    return problems if own else [warning(p) for p in problems]


def _check(package: PublishedPackage, own: bool) -> list[Problem]:
    shown_descriptor = package.descriptor_name
    rebuild = "rebuild with `opendata build`"
    problems = []
    for resource in package.descriptor.get("resources", []):
        if not isinstance(resource, dict):
            continue
        name, path = resource.get("name"), resource.get("path")
        shown = path if isinstance(path, str) else str(name)
        if not HASH.match(str(resource.get("hash", ""))):
            problems.append(Problem(shown_descriptor, f"resource {name!r} has no lowercase "
                                    "sha256: hash, so its content goes unchecked",
                                    rebuild if own else "add \"hash\": \"sha256:<lowercase "
                                    "hex digest>\" to the resource", "hash-form"))
        if str(resource.get("encoding", "")).lower() != "utf-8":
            problems.append(Problem(shown_descriptor, f"resource {name!r} does not declare "
                                    "encoding utf-8", rebuild if own else "add \"encoding\": "
                                    "\"utf-8\" to the resource (after saving it as UTF-8)",
                                    "encoding-undeclared"))
        handle = package.open_file(str(name)) if isinstance(name, str) else None
        if handle is None:
            continue
        with handle:
            bom, carriage_return = _scan(handle, resource.get("format") == "csv")
        if bom:
            problems.append(Problem(shown, "starts with a UTF-8 byte-order mark (BOM)",
                                    "save it as UTF-8 without BOM", "encoding-bom"))
        if carriage_return:
            problems.append(Problem(shown, "has CR or CRLF line endings",
                                    "write it with LF line endings", "line-endings"))
    return problems


def _scan(handle: BinaryIO, look_for_cr: bool) -> tuple[bool, bool]:
    """(starts with a BOM, holds a CR), reading the file in chunks rather than whole."""
    try:
        chunk = handle.read(_CHUNK)
        bom = chunk.startswith(b"\xef\xbb\xbf")
        while look_for_cr and chunk:
            if b"\r" in chunk:
                return bom, True
            chunk = handle.read(_CHUNK)
    except OSError:
        return False, False  # frictionless reports the unreadable file
    return bom, False
