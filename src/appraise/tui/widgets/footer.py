"""A footer that fits 80 columns: compact below 100, and the palette hint gives way to the keys."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

NARROW = 100
"""Below this many columns the footer is compact (ctrl+p is listed on the help screen)."""


class FittingFooter(Footer):
    """Textual's footer, packed tighter on narrow terminals so that help and quit stay in view.

    It is built again only when the keys it shows change: Textual's footer rebuilds every key
    widget whenever the screen's bindings are updated (five times while a screen opens, and on
    focus changes), though the keys shown are mostly the same. It is also built again when the
    palette key comes or goes with the width (Textual's waits for the next change of bindings).
    """

    _shown: tuple[Any, ...] | None = None

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    def watch_show_command_palette(self) -> None:
        self._shown = None  # the palette key comes and goes: build again on the next update
        if self.is_attached and self._bindings_ready:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if not self.is_attached:  # its screen closed before the refresh came
            return
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_shown(self) -> tuple[Any, ...]:
        """What :meth:`compose` reads of the screen's bindings, in the order it reads it."""
        active = self.screen.active_bindings
        bindings = tuple(
            (binding.key, binding.key_display, binding.description, binding.action, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_state = None if palette is None else palette[1:]
        return bindings, palette_state, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE
