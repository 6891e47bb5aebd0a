"""The documentation names only things that exist."""

import re

import pytest

from conftest import ROOT

RELIABILITY = (ROOT / "docs/reliability.md").read_text("utf-8")
NAMED = sorted(set(re.findall(r"`(test_\w+\.py)::(test_\w+)`", RELIABILITY)))


@pytest.mark.parametrize("module, test", NAMED, ids=["::".join(n) for n in NAMED])
def test_every_test_named_in_the_reliability_page_exists(module, test):
    source = (ROOT / "tests" / module).read_text("utf-8")
    assert re.search(rf"^def {test}\(", source, re.MULTILINE), f"{module}::{test} is missing"
