"""The one whitespace rule used everywhere a quote meets its source."""

import re

_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """``text`` with all whitespace removed: how quotes and sources are compared."""
    return _WHITESPACE.sub("", text)
