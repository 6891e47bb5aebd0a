"""Published files are what their descriptor says, where frictionless 5.21 looks away.

frictionless accepts a UTF-8 BOM silently and checks a hash only when it is written as a
lowercase ``sha256:`` (or md5) digest; an uppercase or unknown form passes unchecked.
"""

from __future__ import annotations

import re

from opendata.package import PublishedPackage
from opendata.problems import Problem

HASH = re.compile(r"^sha256:[0-9a-f]{64}$")


def check(package: PublishedPackage) -> list[Problem]:
    problems = []
    for resource in package.descriptor.get("resources", []):
        if not isinstance(resource, dict):
            continue
        name, path = resource.get("name"), resource.get("path")
        shown = path if isinstance(path, str) else str(name)
        if not HASH.match(str(resource.get("hash", ""))):
            problems.append(Problem("datapackage.json", f"resource {name!r} has no lowercase "
                                    "sha256: hash, so its content goes unchecked",
                                    "rebuild with `opendata build`", "hash-form"))
        if resource.get("encoding") != "utf-8":
            problems.append(Problem("datapackage.json", f"resource {name!r} does not declare "
                                    "encoding utf-8", "rebuild with `opendata build`",
                                    "encoding-undeclared"))
        content = package.read_bytes(str(name))
        if content is None:
            continue
        if content.startswith(b"\xef\xbb\xbf"):
            problems.append(Problem(shown, "starts with a UTF-8 byte-order mark (BOM)",
                                    "save it as UTF-8 without BOM", "encoding-bom"))
        if resource.get("format") == "csv" and b"\r" in content:
            problems.append(Problem(shown, "has CR or CRLF line endings",
                                    "write it with LF line endings", "line-endings"))
    return problems
