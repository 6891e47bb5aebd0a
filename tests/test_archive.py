import io
import zipfile

import pytest

from conftest import run_cli
from opendata.release.archive import BadArchive, read_zip, sums_file, write_zip

FILES = {"datapackage.json": b'{"resources": [{"name": "t", "path": "data/t.csv", '
                             b'"hash": "sha256:HASH"}]}', "data/t.csv": b"id\n1\n"}


def files():
    import hashlib

    digest = hashlib.sha256(FILES["data/t.csv"]).hexdigest()
    descriptor = FILES["datapackage.json"].replace(b"HASH", digest.encode())
    return {**FILES, "datapackage.json": descriptor}


def test_archives_are_byte_reproducible_and_read_back(tmp_path):
    first, second = write_zip(files()), write_zip(dict(reversed(files().items())))
    assert first == second
    assert "datapackage.json" in members(first)  # at the root, where frictionless looks
    path = tmp_path / "pkg.zip"
    path.write_bytes(first)
    assert read_zip(path) == {**files(), "SHA256SUMS": sums_file(files())}
    assert write_zip(read_zip(path)) == first  # SHA256SUMS is made anew, not listed in itself


def test_archives_with_one_top_folder_are_still_read(tmp_path):
    path = tmp_path / "pkg.zip"
    path.write_bytes(rezip({f"pkg-1.0.0/{name}": content
                            for name, content in members(write_zip(files())).items()}))
    assert read_zip(path) == {**files(), "SHA256SUMS": sums_file(files())}
    path.write_bytes(rezip({f"{folder}/data/t.csv": b"id\n1\n" for folder in ("a", "b")}))
    with pytest.raises(BadArchive, match=r"2 folders and no datapackage\.json"):
        read_zip(path)


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
    inside["data/t.csv"] = b"id\n2\n"
    return rezip(inside)


def tampered_descriptor(good):
    inside = members(good)
    inside["data/t.csv"] = b"id\n2\n"
    listed = {k: v for k, v in inside.items() if k != "SHA256SUMS"}
    inside["SHA256SUMS"] = sums_file(listed)  # sums agree, the descriptor does not
    return rezip(inside)


def escaping(good):
    inside = members(good)
    inside["../../evil.txt"] = b"boo"
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
    path.write_bytes(damage(write_zip(files())))
    with pytest.raises(BadArchive, match=message):
        read_zip(path)
    result = run_cli("diff", str(path), str(path), "--project", str(tmp_path))  # no project
    assert result.exit_code == 1  # a domain failure: one line, no usage banner
    assert message in result.output and "Traceback" not in result.output
    assert "Usage:" not in result.output and len(result.output.splitlines()) == 1
