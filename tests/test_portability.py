"""Every command works where ``fcntl`` does not exist (Windows): the project lock comes
from filelock, which uses the platform's own lock."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from opendata.check.verdict import KEPT

pytestmark = pytest.mark.slow

NO_FCNTL = FIXTURES / "no-fcntl"


def opendata(project, *args, **options):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(NO_FCNTL), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "opendata", *args], cwd=project.root,
                          env=env, capture_output=True, text=True, timeout=300, check=False,
                          **options)


def test_fcntl_is_really_unimportable(tiny):
    result = opendata(tiny, "--version")
    probe = subprocess.run([sys.executable, "-c", "import fcntl"], capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(NO_FCNTL)},
                           check=False)
    assert result.returncode == 0
    assert "ModuleNotFoundError: No module named 'fcntl'" in probe.stderr


def test_every_command_works_without_fcntl(tiny, tmp_path):
    steps = [
        ("translations",), ("build",), ("build", "--check"), ("validate",), ("coverage",),
        ("release", "--date", "2026-01-02"), ("release", "--check"), ("diff", "1.0.0"),
        ("publish", "--base-url", "https://example.org/"),
    ]
    for args in steps:
        result = opendata(tiny, *args)
        assert result.returncode == 0, (args, result.stdout + result.stderr)
        assert "Traceback" not in result.stderr and "fcntl" not in result.stderr, args
    left = sorted(p.name for p in (tiny.root / ".opendata").iterdir())
    kept = Path(KEPT).name  # the verdict of the package last found valid, and nothing else
    assert kept in left and [name for name in left if name != kept] in ([], ["lock"])


def test_serve_works_without_fcntl(built):
    tiny = built
    assert opendata(tiny, "publish", "--base-url", "https://example.org/").returncode == 0
    env = {**os.environ, "PYTHONPATH": str(NO_FCNTL), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "opendata", "serve", "--port", "0"],
                              cwd=tiny.root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("serving "), line + server.stderr.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
