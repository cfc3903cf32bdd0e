"""Make text from files safe to show: terminal control characters become visible, never active.

A note pasted from a PDF, or a hostile file, can carry ANSI/OSC escape sequences (a new terminal
title, the clipboard overwritten through OSC 52, hidden OSC 8 links, a cleared screen) and
Unicode bidirectional overrides that show text in an order other than the one stored. Terminals
act on the former even inside widgets that do not read markup, and ``cat report.md`` would too.
Every piece of user or file text passes through :func:`visible` before it is shown or rendered;
:func:`terminal_safe` is the last line of defence just before text reaches a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0 and C1 controls except tab and newline; bidi embeddings, overrides and isolates (the
# "Trojan Source" set); zero-width characters that hide text. ZWJ/ZWNJ (U+200C/D) are left
# alone: emoji sequences and Persian and Indic scripts need them, and they reorder nothing.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff"
_CONTROL = re.compile(f"[{_UNSAFE}]")
_NAMES = {
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
    0x200B: "ZWSP",
    0x2060: "WJ",
    0xFEFF: "ZWNBSP",
}


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC becomes ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if code in _NAMES:
        return f"⟨{_NAMES[code]}⟩"
    return f"\\x{code:02x}"


def visible(text: str) -> str:
    """``text`` with control, bidi-override and zero-width characters replaced by visible stand-ins."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_picture, text.replace("\r\n", "\n"))


def needs_visible(text: str) -> bool:
    """Whether :func:`visible` would change ``text``; a C-level look first, as most text is plain ASCII."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw.translate(None, _ASCII_CONTROLS)) != len(raw)
    return _CONTROL.search(text) is not None


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal could act on removed (keeps cell widths as laid out)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", text)


_STRAY = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


def inert(text: str) -> str:
    """Output text with any remaining unsafe character written as a ``\\u`` escape with its hex code.

    Used on everything the CLI prints or writes. Inside JSON strings (the only place such a
    character can survive the report filters) this is JSON's own escape, so the data is unchanged;
    CSV's ``\\r\\n`` line ends are kept.
    """
    # A first look that is cheaper than the pattern and never misses (it also stops at "\r\n", which the
    # pattern then lets through): this runs over every byte of a summary of 10,000 studies.
    if not needs_visible(text) or not _STRAY.search(text):
        return text
    return _STRAY.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_ASCII_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
"""The ASCII characters of ``_CONTROL`` (``_STRAY``'s and every carriage return), for ``bytes.translate`` in C."""


def one_line(text: str, limit: int = 0) -> str:
    """``text`` on one line (for tables and navigators), optionally shortened with an ellipsis."""
    flat = " ".join(visible(text).split())
    if limit and len(flat) > limit:
        return flat[: max(limit - 1, 0)].rstrip() + "…"
    return flat


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a cell a spreadsheet would run as a formula starts with."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def formula_like(value: str) -> bool:
    """Whether a spreadsheet would take this cell text as a formula (OWASP: ``= + - @``, tab, CR; not a number).

    The one rule for every CSV and sheet the app writes: CSV prefixes such a cell with ``'``
    (:func:`spreadsheet_safe`); the Excel writer stores it as explicit text.
    """
    return value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)


_FORMULA_FIRST = frozenset(FORMULA_START)  # every start is one character


def spreadsheet_safe_row(values: Iterable[str]) -> list[str]:
    """:func:`spreadsheet_safe` of every cell of a row (one call a row: a long CSV has millions of cells).

    The same rule as :func:`formula_like`, written out inline because this runs per cell.
    """
    number = _NUMBER.fullmatch
    return [("'" + v) if v[:1] in _FORMULA_FIRST and not number(v) else v for v in values]


def spreadsheet_safe(value: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP: prefix a quote).

    A cell starting with ``= + - @``, tab or carriage return is shown as text by Excel, LibreOffice
    and Sheets once it starts with ``'``; plain numbers such as ``-0.5`` are left as numbers.
    """
    return "'" + value if formula_like(value) else value
