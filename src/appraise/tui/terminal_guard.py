"""The last line of defence: no character from a file reaches the terminal as a control sequence.

Widgets show user text through :func:`appraise.tui.render.literal`, which makes control
characters visible. Some text reaches the screen another way (an input's value, a text area, a
toast a widget builds itself), so the one place every character passes on its way out, the
rendering of a strip of segments into terminal sequences, drops any character a terminal could
act on from the *text* of each segment. Textual's own sequences come from segment styles and are
untouched. Textual is pinned exactly (pyproject.toml), so this override of one method is checked
by the hostile-corpus tests on every upgrade.
"""

from __future__ import annotations

from rich.color import ColorSystem
from rich.console import Console
from textual.strip import Strip

from appraise.core.text import terminal_safe

_installed = False


def _render(self: Strip, console: Console) -> str:
    """Textual's ``Strip.render``, with each segment's text made terminal-safe first."""
    if self._render_cache is None:
        color_system = console._color_system or ColorSystem.TRUECOLOR
        render = self.render_style
        self._render_cache = "".join(
            [
                (
                    terminal_safe(text)
                    if style is None
                    else render(style, terminal_safe(text), color_system=color_system)
                )
                for text, style, _ in self._segments
            ]
        )
    return self._render_cache


def install() -> None:
    """Route every strip Textual renders through :func:`terminal_safe` (idempotent)."""
    global _installed
    if not _installed:
        Strip.render = _render  # type: ignore[method-assign]
        _installed = True
