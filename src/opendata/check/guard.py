"""Checking a package given from outside before anything in it is read.

A descriptor must be a small JSON or YAML object of bounded depth and size. Every
reference in it that frictionless would follow (a resource's ``path``, ``extrapaths``,
``schema``, ``dialect``, every ``$schema`` or ``profile``, and the ``$ref``s of a local
profile) is checked with the same rules before anything is read: a local file inside the
package folder, reached without ``..``, absolute paths or symbolic links leading out; a
regular file (never a FIFO, a device or a folder, which could block a read forever); at most
``MAX_RESOURCE_BYTES`` bytes. A URL is refused unless the user allows the network.
"""

from __future__ import annotations

import _thread
import json
import os
import re
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

from opendata.exceptions import InvalidData, Misuse, OpendataError
from opendata.problems import Problem

MAX_DESCRIPTOR_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 1_000_000  # values in a descriptor, counting every use of a YAML alias
MAX_RESOURCE_BYTES = 1024 ** 3  # inclusive: a file of exactly 1 GiB is read, one byte more is not
MAX_NAME = 255  # bytes in one path component, as on every common file system
TIME_BUDGET = "OPENDATA_TIME_BUDGET"  # seconds any one command may spend reading user data
DEFAULT_TIME_BUDGET = 600.0

# The profiles frictionless knows without fetching anything.
_STANDARD_PROFILES = {"data-package", "tabular-data-package", "data-resource",
                      "tabular-data-resource"}
_STANDARD_URL = re.compile(r"^https://datapackage\.org/profiles/\d+\.\d+/[a-z]+\.json$")
_PROFILE_KEYS = ("$schema", "profile", "profiles")
_FILE_KEYS = ("path", "extrapaths", "url")
_NESTED_KEYS = ("schema", "dialect")


class UnsafePackage(OpendataError):
    """Raised when a package given from outside is malformed or reaches outside itself."""


class NotADescriptor(UnsafePackage, Misuse):
    """Raised when a file given as a descriptor is no descriptor file at all: not ``.json``,
    ``.yaml`` or ``.yml`` (misuse; a broken ``.json`` is an invalid descriptor instead)."""


DESCRIPTOR_SUFFIXES = (".json", ".yaml", ".yml")


class OutOfTime(InvalidData):
    """Raised when reading user data takes longer than its time budget (a data problem:
    exit 1, like any other)."""


def regular_file(path: Path, shown: str) -> os.stat_result:
    """The status of ``path``, refused unless it is a regular file (checked without opening
    it: opening a FIFO or a device can block forever)."""
    try:
        status = path.stat()
    except (OSError, ValueError, RuntimeError) as error:
        raise UnsafePackage(f"{shown}: cannot be read ({_reason(error)})") from error
    if not stat.S_ISREG(status.st_mode):
        raise UnsafePackage(f"{shown}: is not a regular file (a folder, FIFO or device); "
                            "refusing to read it")
    return status


def read_descriptor(path: Path) -> dict[str, Any]:
    """The descriptor at ``path`` (JSON, or YAML for ``.yaml``/``.yml`` as frictionless reads
    it), refused when it is not a regular file, too large, too deep or not an object."""
    if path.suffix.lower() not in DESCRIPTOR_SUFFIXES:
        raise NotADescriptor(f"{path}: not a data package descriptor (a .json, .yaml or .yml "
                             "file); give the package's datapackage.json")
    size = regular_file(path, str(path)).st_size
    if size > MAX_DESCRIPTOR_BYTES:
        raise UnsafePackage(f"{path}: the descriptor is {size} bytes, more than "
                            f"{MAX_DESCRIPTOR_BYTES}; refusing to read it")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UnsafePackage(f"{path}: cannot be read as UTF-8 ({_reason(error)})") from error
    descriptor = _parse(path, text)
    if not isinstance(descriptor, dict):
        raise UnsafePackage(f"{path}: not a data package descriptor; it must be a JSON "
                            "or YAML object")
    _check_shape(descriptor, str(path))
    return descriptor


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except RecursionError as error:
            raise UnsafePackage(
                f"{path}: the descriptor is nested too deeply to be a package") from error
        except (yaml.YAMLError, ValueError) as error:
            raise UnsafePackage(f"{path}: not YAML ({error})".replace("\n", " ")) from error
    try:
        return json.loads(text)
    except RecursionError as error:
        raise UnsafePackage(
            f"{path}: the descriptor is nested too deeply to be a package") from error
    except ValueError as error:
        raise UnsafePackage(f"{path}: not JSON ({error})") from error


def _check_shape(descriptor: dict[str, Any], shown: str) -> None:
    depth, level, values = 0, [descriptor], 0
    while level:  # iterative: a hostile depth cannot exhaust the stack here
        depth += 1
        values += len(level)
        if depth > MAX_DEPTH:
            raise UnsafePackage(f"{shown}: the descriptor is nested more than {MAX_DEPTH} "
                                "levels")
        if values > MAX_VALUES:
            raise UnsafePackage(f"{shown}: the descriptor holds more than {MAX_VALUES} "
                                "values (YAML aliases count each time they are used)")
        level = [child for item in level for child in
                 (item.values() if isinstance(item, dict) else item if isinstance(item, list)
                  else [])]


def check_resources(descriptor: dict[str, Any], root: Path, shown: str,
                    allow_network: bool = False) -> list[tuple[str, Path | None]]:
    """Refuse every reference of the descriptor that is not a local file inside ``root``
    (or, with ``allow_network``, an http(s) URL); the local files it refers to, each as
    named and as found (None when it does not exist)."""
    references = _References(root.resolve(), shown, allow_network)
    references.profiles(descriptor, "the package")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raise UnsafePackage(f"{shown}: 'resources' must be a list")
    for resource in resources:
        if not isinstance(resource, dict):
            raise UnsafePackage(f"{shown}: every resource must be a JSON object")
        references.resource(resource)
    return references.files


class _References:
    def __init__(self, inside: Path, shown: str, allow_network: bool):
        self.inside, self.shown, self.allow_network = inside, shown, allow_network
        self.files: list[tuple[str, Path | None]] = []  # each local file, as named and found

    def resource(self, resource: dict[str, Any]) -> None:
        name = resource.get("name")
        self.profiles(resource, f"resource {name!r}")
        for key in _FILE_KEYS:
            if key in resource:
                for path in _strings(resource[key], f"resource {name!r}: {key!r}"):
                    self.file(path, f"resource {name!r} {_label(key)}", MAX_RESOURCE_BYTES)
        for key in _NESTED_KEYS:
            value = resource.get(key)
            if isinstance(value, str):
                self.file(value, f"resource {name!r} {key}", MAX_DESCRIPTOR_BYTES)
            elif isinstance(value, dict):
                self.profiles(value, f"resource {name!r} {key}")

    def profiles(self, owner: dict[str, Any], what: str) -> None:
        for key in _PROFILE_KEYS:
            for named in _strings(owner.get(key), f"{what}: {key!r}", allow_empty=True):
                if named in _STANDARD_PROFILES or _STANDARD_URL.match(named):
                    continue
                value = named
                if value == "fiscal-data-package":  # frictionless fetches its profile
                    value = "https://specs.frictionlessdata.io/schemas/fiscal-data-package.json"
                target = self.file(value, f"{what} {key}", MAX_DESCRIPTOR_BYTES)
                if target is not None:
                    self.profile_refs(target, f"{what} {key} {value!r}")

    def profile_refs(self, target: Path, where: str) -> None:
        """A local profile is a JSON Schema; its ``$ref``s may point anywhere."""
        text = target.read_text(encoding="utf-8", errors="replace")
        for reference in re.findall(r'"\$ref"\s*:\s*"([^"]*)"', text):
            if _is_url(reference) and not reference.startswith("#"):
                self.url(reference, f"{self.shown}: {where} refers to {reference!r}")

    def file(self, path: str, what: str, limit: int) -> Path | None:
        """Check one local reference; the target when it exists, None when not (frictionless
        reports a missing file) or when it is an allowed URL."""
        where = f"{self.shown}: {what} {path!r}"
        if _is_url(path):
            self.url(path, where)
            return None
        if "\x00" in path:
            raise UnsafePackage(f"{where} holds a NUL byte, which no file name can")
        pure = PurePosixPath(path)
        if pure.is_absolute() or path.startswith(("\\", "~")) or (len(path) > 1
                                                                   and path[1] == ":"):
            raise UnsafePackage(f"{where} is absolute; paths are relative to the package folder")
        if ".." in pure.parts or ".." in PurePosixPath(path.replace("\\", "/")).parts:
            raise UnsafePackage(f"{where} climbs out of the package with '..'")
        if any(len(part.encode("utf-8")) > MAX_NAME for part in pure.parts):
            raise UnsafePackage(f"{where} has a name longer than {MAX_NAME} bytes")
        if os.path.expandvars(path) != path:
            raise UnsafePackage(f"{where} holds a variable ($NAME or %NAME%); "
                                "write the path itself")
        try:
            target = (self.inside / path).resolve()
        except (OSError, RuntimeError, ValueError) as error:
            raise UnsafePackage(f"{where} cannot be followed ({_reason(error)})") from error
        if not target.is_relative_to(self.inside):
            raise UnsafePackage(f"{where} leads out of the package through a symbolic link")
        try:
            exists = os.path.lexists(target) and target.exists()
        except OSError as error:
            raise UnsafePackage(f"{where} cannot be followed ({_reason(error)})") from error
        if not exists:
            self.files.append((path, None))
            return None
        size = regular_file(target, where).st_size
        if size > limit:
            raise UnsafePackage(f"{where} is {size} bytes, more than the {limit} bytes "
                                "a package file may hold")
        self.files.append((path, target))
        return target

    def url(self, url: str, where: str) -> None:
        scheme = urlparse(url).scheme.lower()
        if scheme == "file":
            raise UnsafePackage(f"{where} is a file:// URL; name files inside the package "
                                "folder instead")
        if not self.allow_network:
            raise UnsafePackage(f"{where} is a URL; a local package names files inside its "
                                "folder (pass --allow-network to let frictionless fetch it)")
        if scheme not in ("http", "https"):
            raise UnsafePackage(f"{where} is a {scheme}: URL; only http(s) can be fetched")


def _strings(value: Any, what: str, allow_empty: bool = False) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if allow_empty:
        return [v for v in values if isinstance(v, str) and v]
    if not all(isinstance(v, str) and v for v in values):
        raise UnsafePackage(f"{what} must be a non-empty string or list of strings")
    return values


def _label(key: str) -> str:
    return "path" if key == "url" else key


def _is_url(value: str) -> bool:
    if value.startswith(("//", "\\\\")):
        return True
    scheme = urlparse(value).scheme if "\x00" not in value else ""
    return bool(scheme) and not (len(scheme) == 1 and value[1:3] in (":\\", ":/"))


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, RuntimeError):
        return "a symbolic-link loop"
    return str(error) or type(error).__name__


def time_budget() -> float | None:
    """Seconds a command may spend reading user data (``OPENDATA_TIME_BUDGET``; 0 for none)."""
    try:
        seconds = float(os.environ.get(TIME_BUDGET, DEFAULT_TIME_BUDGET))
    except ValueError:
        seconds = DEFAULT_TIME_BUDGET
    return seconds if seconds > 0 else None


@contextmanager
def within_budget(what: str, seconds: float | None = None,
                  started: float | None = None) -> Iterator[None]:
    """Stop the reading inside this block with OutOfTime once the time budget is spent.

    ``started`` (a ``time.monotonic()``) is when the budget began, when that was before
    this block: in the process that started a worker, for the worker's share of a run.

    Reads are of regular files only (see ``regular_file``), so none blocks in the kernel:
    the main thread is interrupted between two steps, and every ``with`` it is in (the
    project's lock among them) is left in order.
    """
    seconds = time_budget() if seconds is None else seconds
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    state = {"active": True, "expired": False}
    guard = threading.Lock()
    spent = Problem(what, f"reading took longer than the time budget of {seconds:g} s; "
                    "stopped", f"check the files are what they should be, or raise "
                    f"{TIME_BUDGET}", "out-of-time")

    def expire() -> None:
        with guard:
            if state["active"]:
                state["expired"] = True
                _Interrupted.by = spent
                _thread.interrupt_main()

    left = seconds if started is None else seconds - (time.monotonic() - started)
    timer = threading.Timer(max(left, 0.0), expire)
    timer.daemon = True
    try:
        timer.start()  # on a busy machine the interrupt can come before start() returns
        yield
    except KeyboardInterrupt:
        if state["expired"]:
            _Interrupted.by = None
            raise OutOfTime([spent]) from None
        raise
    finally:
        with guard:
            state["active"] = False
        timer.cancel()


class _Interrupted:
    """The budget whose timer interrupted the main thread and whose interrupt has not yet
    been taken: Python raises it at the thread's next step, which can come just after the
    block it timed has ended (in the ``with`` statement's exit), outside it. Whoever catches
    a KeyboardInterrupt around such a block asks ``spent_budget`` whose it was."""

    by: Problem | None = None


def spent_budget() -> OutOfTime | None:
    """The budget behind a KeyboardInterrupt that arrived after its block ended, taken once;
    None when the interrupt was the user's (Ctrl+C)."""
    spent, _Interrupted.by = _Interrupted.by, None
    return OutOfTime([spent]) if spent is not None else None


class _Network:
    """Whether sockets may connect: ``offline`` counts the open offline blocks, and
    ``hooked`` says the audit hook is installed (an audit hook cannot be removed)."""

    offline = 0
    hooked = False


def _refuse_network(event: str, args: tuple) -> None:
    if _Network.offline and event in ("socket.connect", "socket.getaddrinfo", "socket.sendto",
                              "socket.sendmsg"):
        raise UnsafePackage("a package reference needed the network, which is off "
                            "(pass --allow-network to allow it)")


@contextmanager
def offline(allowed: bool = False) -> Iterator[None]:
    """No socket connects inside this block (unless ``allowed``): a second line behind
    ``check_resources``, so a reference it does not know of cannot reach the network."""
    if allowed:
        yield
        return
    if not _Network.hooked:
        import sys

        sys.addaudithook(_refuse_network)
        _Network.hooked = True
    _Network.offline += 1
    try:
        yield
    finally:
        _Network.offline -= 1
