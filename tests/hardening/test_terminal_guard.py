"""The TUI's last line of defence: whatever widget built a strip, file text cannot act on the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from appraise.tui import terminal_guard
from tests.hardening.hostile import HOSTILE


def test_segment_text_is_made_terminal_safe_but_styles_still_render() -> None:
    terminal_guard.install()
    out = Strip([Segment(HOSTILE, Style(bold=True)), Segment("plain\x1b]52;c;eA==\x07")]).render(Console())
    assert "\x1b[1m" in out  # Textual's own style sequence is kept
    assert "\x1b]" not in out and "\x07" not in out and "\u202e" not in out and "\x9b" not in out
    assert "PWNED-TITLE" in out  # the text is still there to read
