"""Make text from files safe to show: terminal control characters become visible, never active.

A note pasted from a PDF, or a hostile file, can carry ANSI/OSC escape sequences. Terminals act
on them even inside widgets that do not read markup, and ``cat report.md`` would too. Every piece
of user or file text passes through :func:`visible` before it is shown or rendered.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC becomes ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def visible(text: str) -> str:
    """``text`` with control characters (except newline and tab) replaced by visible stand-ins."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_picture, text.replace("\r\n", "\n"))


def one_line(text: str, limit: int = 0) -> str:
    """``text`` on one line (for tables and navigators), optionally shortened with an ellipsis."""
    flat = " ".join(visible(text).split())
    if limit and len(flat) > limit:
        return flat[: max(limit - 1, 0)].rstrip() + "…"
    return flat
