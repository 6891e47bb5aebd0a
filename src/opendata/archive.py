"""Release archives: reproducible zips with SHA256SUMS, and reading them back safely.

An archive is checked before anything in it is used: its member paths, its size, every
file against SHA256SUMS, and every resource against the descriptor's hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path, PurePosixPath

from opendata.exceptions import OpendataError

SUMS = "SHA256SUMS"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build clock leaks in
MAX_FILES = 1000
MAX_BYTES = 512 * 1024 * 1024


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


def read_zip(path: Path) -> dict[str, bytes]:
    """The verified files of a release archive, keyed by path in the package: from its root,
    or inside its one top folder (how releases were laid out before 0.2)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _safe_members(path, archive)
            files = {name: archive.read(info) for name, info in members.items()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise BadArchive(f"{path}: not a readable zip archive ({error}); it may be truncated")
    _verify_sums(path, files)
    _verify_descriptor(path, files)
    return files


def _safe_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > MAX_FILES:
        raise BadArchive(f"{path}: holds {len(infos)} files, more than a release has "
                         f"({MAX_FILES}); refusing to unpack it")
    if sum(info.file_size for info in infos) > MAX_BYTES:
        raise BadArchive(f"{path}: would unpack to more than {MAX_BYTES} bytes; refusing")
    at_root = any(info.filename == "datapackage.json" for info in infos)
    folders = {PurePosixPath(info.filename).parts[0] for info in infos}
    if not at_root and len(folders) != 1:
        raise BadArchive(f"{path}: a release holds datapackage.json at its root or one top "
                         f"folder, this holds {len(folders)} folders and no datapackage.json")
    members = {}
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name)
        if (name.startswith("/") or "\\" in name or ".." in pure.parts or ":" in pure.parts[0]
                or stat.S_ISLNK(info.external_attr >> 16)):
            raise BadArchive(f"{path}: member {name!r} would escape the target folder "
                             "when unpacked; refusing the archive")
        members[(pure if at_root else PurePosixPath(*pure.parts[1:])).as_posix()] = info
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
    try:
        descriptor = json.loads(files["datapackage.json"])
    except (KeyError, ValueError) as error:
        raise BadArchive(f"{path}: no readable datapackage.json ({error})")
    for resource in descriptor.get("resources", []):
        target, declared = resource.get("path"), str(resource.get("hash", ""))
        if target not in files:
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
