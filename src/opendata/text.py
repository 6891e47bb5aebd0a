"""Text rules used everywhere: how quotes meet their source, and how text meets a terminal."""

import unicodedata

_SHOWN = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def squash(text: str) -> str:
    """``text`` with all whitespace removed: how quotes and sources are compared.

    Whitespace is what ``str.isspace`` says it is (the characters of the expression ``\\s``).
    """
    return "".join(text.split())


def visible(text: str) -> str:
    """``text`` safe for a terminal: control and format characters spelled out.

    Escape sequences cannot recolour or rewrite the screen, and a right-to-left override
    (U+202E) or a zero-width character shows as ``<U+202E>`` instead of reordering or
    hiding what follows.
    """
    return "".join(_shown(char) for char in text)


def _shown(char: str) -> str:
    if char in _SHOWN:
        return _SHOWN[char]
    category = unicodedata.category(char)
    if category == "Cc":
        return f"\\x{ord(char):02x}"
    if category in {"Cf", "Cs", "Co", "Zl", "Zp"}:
        return f"<U+{ord(char):04X}>"
    return char
