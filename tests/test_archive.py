import io
import zipfile

import pytest

from conftest import run_cli
from opendata.archive import BadArchive, read_zip, sums_file, write_zip

FILES = {"datapackage.json": b'{"resources": [{"name": "t", "path": "data/t.csv", '
                             b'"hash": "sha256:HASH"}]}', "data/t.csv": b"id\n1\n"}


def files():
    import hashlib

    digest = hashlib.sha256(FILES["data/t.csv"]).hexdigest()
    return {**FILES, "datapackage.json": FILES["datapackage.json"].replace(b"HASH", digest.encode())}


def test_archives_are_byte_reproducible_and_read_back(tmp_path):
    first, second = write_zip(files(), "pkg-1.0.0"), write_zip(dict(reversed(files().items())),
                                                                "pkg-1.0.0")
    assert first == second
    path = tmp_path / "pkg.zip"
    path.write_bytes(first)
    assert read_zip(path) == {**files(), "SHA256SUMS": sums_file(files())}


def rezip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def tampered_file(good):
    inside = members(good)
    inside["pkg-1.0.0/data/t.csv"] = b"id\n2\n"
    return rezip(inside)


def tampered_descriptor(good):
    inside = members(good)
    inside["pkg-1.0.0/data/t.csv"] = b"id\n2\n"
    listed = {k.split("/", 1)[1]: v for k, v in inside.items() if not k.endswith("SHA256SUMS")}
    inside["pkg-1.0.0/SHA256SUMS"] = sums_file(listed)  # sums agree, the descriptor does not
    return rezip(inside)


def escaping(good):
    inside = members(good)
    inside["pkg-1.0.0/../../evil.txt"] = b"boo"
    return rezip(inside)


@pytest.mark.parametrize("damage, message", [
    (lambda good: good[: len(good) // 2], "not a readable zip archive"),
    (lambda good: b"PK\x03\x04 this is not a zip", "not a readable zip archive"),
    (tampered_file, "data/t.csv does not match SHA256SUMS"),
    (tampered_descriptor, "data/t.csv does not match the descriptor's hash"),
    (escaping, "would escape the target folder"),
])
def test_damaged_or_unsafe_archives_are_refused(tmp_path, damage, message):
    path = tmp_path / "pkg.zip"
    path.write_bytes(damage(write_zip(files(), "pkg-1.0.0")))
    with pytest.raises(BadArchive, match=message):
        read_zip(path)
    result = run_cli("diff", str(path), str(path))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
