"""Checking a package given from outside before anything in it is read.

A descriptor must be a small JSON object of bounded depth whose resources are local files
inside the package folder: no absolute paths, no ``..``, no URLs where a local path is
expected, no symbolic links leading out, no file larger than the limit.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from opendata.exceptions import OpendataError

MAX_DESCRIPTOR_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_RESOURCE_BYTES = 2 * 1024 * 1024 * 1024


class UnsafePackage(OpendataError):
    """Raised when a package given from outside is malformed or reaches outside itself."""


def read_descriptor(path: Path) -> dict[str, Any]:
    """The descriptor at ``path``, refused when it is too large, not JSON, or too deep."""
    try:
        size = path.stat().st_size
        if size > MAX_DESCRIPTOR_BYTES:
            raise UnsafePackage(f"{path}: the descriptor is {size} bytes, more than "
                                f"{MAX_DESCRIPTOR_BYTES}; refusing to read it")
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UnsafePackage(f"{path}: cannot be read as UTF-8 ({error})")
    try:
        descriptor = json.loads(text)
    except RecursionError:
        raise UnsafePackage(f"{path}: the descriptor is nested too deeply to be a package")
    except ValueError as error:
        raise UnsafePackage(f"{path}: not JSON ({error})")
    if not isinstance(descriptor, dict):
        raise UnsafePackage(f"{path}: the descriptor must be a JSON object")
    if _depth(descriptor) > MAX_DEPTH:
        raise UnsafePackage(f"{path}: the descriptor is nested more than {MAX_DEPTH} levels")
    return descriptor


def check_resources(descriptor: dict[str, Any], root: Path, shown: str) -> None:
    """Refuse resource paths that are not local files inside ``root``."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raise UnsafePackage(f"{shown}: 'resources' must be a list")
    inside = root.resolve()
    for resource in resources:
        if not isinstance(resource, dict):
            raise UnsafePackage(f"{shown}: every resource must be a JSON object")
        for path in _paths(resource):
            _check_path(path, inside, shown, resource.get("name"))


def _paths(resource: dict[str, Any]) -> list[str]:
    path = resource.get("path")
    if path is None and "data" in resource:
        return []  # inline data
    paths = path if isinstance(path, list) else [path]
    if not all(isinstance(p, str) and p for p in paths):
        raise UnsafePackage(f"resource {resource.get('name')!r}: 'path' must be a non-empty "
                            "string or list of strings")
    return paths


def _check_path(path: str, inside: Path, shown: str, name: Any) -> None:
    where = f"{shown}: resource {name!r} path {path!r}"
    if "://" in path or path.startswith(("//", "\\\\")):
        raise UnsafePackage(f"{where} is a URL; a local package names files inside its folder")
    pure = PurePosixPath(path)
    if pure.is_absolute() or path.startswith("\\") or (len(path) > 1 and path[1] == ":"):
        raise UnsafePackage(f"{where} is absolute; paths are relative to the package folder")
    if ".." in pure.parts:
        raise UnsafePackage(f"{where} climbs out of the package with '..'")
    target = (inside / path).resolve()
    if not target.is_relative_to(inside):
        raise UnsafePackage(f"{where} leads out of the package through a symbolic link")
    if target.is_file() and target.stat().st_size > MAX_RESOURCE_BYTES:
        raise UnsafePackage(f"{where} is larger than {MAX_RESOURCE_BYTES} bytes")


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:  # iterative: a hostile depth cannot exhaust the stack here
        depth += 1
        level = [child for item in level for child in
                 (item.values() if isinstance(item, dict) else item if isinstance(item, list)
                  else [])]
        if depth > MAX_DEPTH:
            return depth
    return depth
