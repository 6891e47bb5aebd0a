"""Release archives: reproducible zips with SHA256SUMS, and reading them back safely.

An archive is checked before anything in it is used: its member paths, its size, every
file against SHA256SUMS, and every resource against the descriptor's hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from opendata.exceptions import OpendataError

SUMS = "SHA256SUMS"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build clock leaks in
MAX_FILES = 1000
MAX_BYTES = 512 * 1024 * 1024
_SMALL = 10 * 1024 * 1024  # SHA256SUMS and the descriptor are read whole, up to this size
_CHUNK = 1 << 20


class BadArchive(OpendataError):
    """Raised when a release archive is corrupt, tampered with or unsafe to unpack."""


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sums_file(files: dict[str, bytes]) -> bytes:
    """``SHA256SUMS`` in the format ``sha256sum -c`` reads."""
    return "".join(f"{sha256(files[p])}  {p}\n" for p in sorted(files)).encode("utf-8")


def write_zip(files: dict[str, bytes]) -> bytes:
    """A byte-reproducible zip of ``files`` (plus SHA256SUMS), ``datapackage.json`` at its root:
    frictionless opens a zipped package only from there. The version goes in the zip's name."""
    files = {path: content for path, content in files.items() if path != SUMS}  # made anew
    everything = {**files, SUMS: sums_file(files)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(everything):
            info = zipfile.ZipInfo(path, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permission bits below mean the same everywhere
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, everything[path], compresslevel=9)
    return buffer.getvalue()


# What zipfile raises on a damaged or truncated archive (BadArchive, ours, passes through).
_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
               RuntimeError, NotImplementedError)


def _unreadable(path: Path, error: Exception) -> BadArchive:
    return BadArchive(f"{path}: not a readable zip archive ({error}); it may be truncated")


def read_zip(path: Path) -> dict[str, bytes]:
    """The verified files of a release archive, keyed by path in the package: from its root,
    or inside its one top folder (how releases were laid out before 0.2)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _safe_members(path, archive)
            files = {name: archive.read(info) for name, info in members.items()}
    except _UNREADABLE as error:
        raise _unreadable(path, error) from error
    _verify_sums(path, files)
    _verify_descriptor(path, files)
    return files


def unpack_package(path: Path, target: Path,
                   wanted: Callable[[dict], bool] | None = None) -> dict:
    """Unpack from the release archive at ``path`` into ``target`` only the descriptor and
    the resources ``wanted(resource)`` selects (all by default), each checked against
    SHA256SUMS and the descriptor's hash; the descriptor, as read.

    Members are streamed to disk in chunks, so memory stays small, and nothing but what is
    compared is written, so disk use is bounded by what the caller needs.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = _safe_members(path, archive)
            small = {name: _read_small(path, archive, members, name)
                     for name in (SUMS, "datapackage.json")}
            listed = _listed(path, small[SUMS], members)
            for name, content in small.items():
                if name != SUMS:
                    _check_digest(path, name, sha256(content), listed)
            (target / "datapackage.json").write_bytes(small["datapackage.json"])
            descriptor = _descriptor_of(path, small["datapackage.json"])
            unpacked: set[str] = set()
            for resource in descriptor.get("resources", []):
                if not isinstance(resource, dict):
                    raise BadArchive(f"{path}: datapackage.json is not a package descriptor")
                keep = wanted is None or wanted(resource)
                unpacked.add(_unpack_resource(path, archive, members, listed, resource,
                                              target if keep else None))
            for name in sorted(set(members) - unpacked - set(small)):
                _stream(path, archive, name, members[name], listed, None)  # checked, not kept
    except _UNREADABLE as error:
        raise _unreadable(path, error) from error
    return descriptor


def _read_small(path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                name: str) -> bytes:
    if name not in members:
        raise BadArchive(f"{path}: has no {name}; it is not a release archive")
    if members[name].file_size > _SMALL:
        raise BadArchive(f"{path}: {name} is larger than {_SMALL} bytes; refusing it")
    with archive.open(members[name]) as member:
        return member.read(_SMALL + 1)[:_SMALL + 1]


def _listed(path: Path, sums: bytes, members: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    listed = {}
    for line in sums.decode("utf-8", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    unlisted = sorted(set(members) - set(listed) - {SUMS})
    if unlisted:
        raise BadArchive(f"{path}: {unlisted[0]} is not listed in {SUMS}")
    missing = sorted(set(listed) - set(members))
    if missing:
        raise BadArchive(f"{path}: {SUMS} lists files the archive lacks: {', '.join(missing)}")
    return listed


def _check_digest(path: Path, name: str, digest: str, listed: dict[str, str]) -> None:
    if listed.get(name) != digest:
        raise BadArchive(f"{path}: {name} does not match {SUMS}: expected "
                         f"{listed.get(name)}, actual {digest}")


def _descriptor_of(path: Path, content: bytes) -> dict:
    try:
        descriptor = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise BadArchive(f"{path}: no readable datapackage.json ({error})") from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources", []), list):
        raise BadArchive(f"{path}: datapackage.json is not a package descriptor")
    return descriptor


def _unpack_resource(path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                     listed: dict[str, str], resource: dict, target: Path | None) -> str:
    """Check one resource against SHA256SUMS and the descriptor, unpacking it under
    ``target`` when given (a resource the diff compares by hash only is not written)."""
    name = resource.get("path")
    if not isinstance(name, str) or name not in members:
        raise BadArchive(f"{path}: resource {resource.get('name')!r} ({name}) is missing")
    destination = target / name if target is not None else None
    if destination is not None:
        destination.parent.mkdir(parents=True, exist_ok=True)
    digest = _stream(path, archive, name, members[name], listed, destination)
    declared = str(resource.get("hash", ""))
    actual = f"sha256:{digest}"
    if declared.startswith("sha256:") and declared != actual:
        raise BadArchive(f"{path}: {name} does not match the descriptor's hash: "
                         f"expected {declared}, actual {actual}")
    return name


def _stream(path: Path, archive: zipfile.ZipFile, name: str, info: zipfile.ZipInfo,
            listed: dict[str, str], destination: Path | None) -> str:
    """Check member ``name`` against SHA256SUMS chunk by chunk, writing it to
    ``destination`` when given; its sha256."""
    digest, written = hashlib.sha256(), 0
    with archive.open(info) as member, \
            (open(destination, "wb") if destination else contextlib.nullcontext()) as out:
        while chunk := member.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size or written > MAX_BYTES:
                raise BadArchive(f"{path}: {name} unpacks to more than its declared "
                                 f"{info.file_size} bytes; refusing the archive")
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    _check_digest(path, name, digest.hexdigest(), listed)
    return digest.hexdigest()


def _safe_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by path inside the package: ``datapackage.json`` at the root of
    the archive, or under one top folder (the layout of earlier releases)."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > MAX_FILES:
        raise BadArchive(f"{path}: holds {len(infos)} files, more than a release has "
                         f"({MAX_FILES}); refusing to unpack it")
    if sum(info.file_size for info in infos) > MAX_BYTES:
        raise BadArchive(f"{path}: would unpack to more than {MAX_BYTES} bytes; refusing")
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name)
        if (not name or name.startswith("/") or "\\" in name or ".." in pure.parts
                or ":" in pure.parts[0] or "\x00" in name
                or stat.S_ISLNK(info.external_attr >> 16)):
            raise BadArchive(f"{path}: member {name!r} would escape the target folder "
                             "when unpacked; refusing the archive")
    at_root = any(info.filename == "datapackage.json" for info in infos)
    if not at_root:
        folders = {PurePosixPath(info.filename).parts[0] for info in infos}
        if len(folders) != 1:
            raise BadArchive(f"{path}: a release holds datapackage.json at its root or one "
                             f"top folder, this holds {len(folders)} folders and no "
                             "datapackage.json")
    members = {}
    for info in infos:
        parts = PurePosixPath(info.filename).parts
        inside = PurePosixPath(*(parts if at_root else parts[1:])).as_posix()
        if inside in members or inside == ".":
            raise BadArchive(f"{path}: member {info.filename!r} appears twice; refusing")
        members[inside] = info
    for name in members:
        for parent in PurePosixPath(name).parents:
            if parent.as_posix() in members:
                raise BadArchive(f"{path}: {parent.as_posix()!r} is both a file and a folder "
                                 "in the archive; refusing it")
    return members


def _verify_sums(path: Path, files: dict[str, bytes]) -> None:
    if SUMS not in files:
        raise BadArchive(f"{path}: has no {SUMS}; it is not a release archive")
    listed = {}
    for line in files[SUMS].decode("utf-8", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name, content in files.items():
        if name == SUMS:
            continue
        if name not in listed:
            raise BadArchive(f"{path}: {name} is not listed in {SUMS}")
        if sha256(content) != listed[name]:
            raise BadArchive(f"{path}: {name} does not match {SUMS}: expected "
                             f"{listed[name]}, actual {sha256(content)}")
    missing = sorted(set(listed) - set(files))
    if missing:
        raise BadArchive(f"{path}: {SUMS} lists files the archive lacks: {', '.join(missing)}")


def _verify_descriptor(path: Path, files: dict[str, bytes]) -> None:
    if "datapackage.json" not in files:
        raise BadArchive(f"{path}: no readable datapackage.json")
    descriptor = _descriptor_of(path, files["datapackage.json"])
    for resource in descriptor.get("resources", []):
        if not isinstance(resource, dict):
            raise BadArchive(f"{path}: datapackage.json is not a package descriptor")
        target, declared = resource.get("path"), str(resource.get("hash", ""))
        if not isinstance(target, str) or target not in files:
            raise BadArchive(f"{path}: resource {resource.get('name')!r} ({target}) is missing")
        actual = f"sha256:{sha256(files[target])}"
        if declared.startswith("sha256:") and declared != actual:
            raise BadArchive(f"{path}: {target} does not match the descriptor's hash: "
                             f"expected {declared}, actual {actual}")


def unpack(files: dict[str, bytes], target: Path) -> None:
    """Write verified archive files under ``target`` (paths were checked by read_zip)."""
    for name, content in files.items():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
