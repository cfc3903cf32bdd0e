"""A footer that fits 80 columns: compact below 100, and the palette hint gives way to the keys."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100
"""Below this many columns the footer is compact (ctrl+p is listed on the help screen)."""


class FittingFooter(Footer):
    """Textual's footer, packed tighter on narrow terminals so that help and quit stay in view."""

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
