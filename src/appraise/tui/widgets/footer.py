"""The footer: the keys of where the reader is, on one line that fits 80 columns.

One widget draws every key. Textual's own footer mounts a widget per key and builds them all again
whenever the screen's bindings are updated (five times while a screen opens, and on every change of
focus): on the appraisal screen that was 14 of its 33 widgets, and a fifth of the time to the first
screen. This one draws the same line (the same keys, styles and command-palette key docked right)
and only draws it again when the keys shown change, the width changes, or the mouse moves over another key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

NARROW = 100
"""Below this many columns the footer is compact (ctrl+p is listed on the help screen)."""

PALETTE = -1
"""The index that stands for the command-palette key."""

_SEPARATOR = "▏"
"""Left of the command-palette key, as Textual's footer draws it (a ``vkey`` border)."""


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key in the footer, as the screen's bindings give it."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


class FittingFooter(Widget, can_focus=False):
    """The screen's keys (each action once, in binding order), compact below 100 columns.

    Clicking a key presses it, as in Textual's footer; a key that is not available now is dim and rings
    the bell. When the keys do not all fit, the last ones are cut off; the help screen lists every key.
    Bindings in a ``Binding.Group`` are drawn one by one, not as a group: appraise defines none.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "fitting-footer--item",
        "fitting-footer--key",
        "fitting-footer--description",
        "fitting-footer--hover",
        "fitting-footer--disabled",
        "fitting-footer--separator",
    }
    # The colours and spacing of Textual's footer keys (FooterKey), from the same theme variables.
    DEFAULT_CSS = """
    FittingFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .fitting-footer--item { background: $footer-item-background; }
        .fitting-footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .fitting-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .fitting-footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .fitting-footer--disabled { text-style: dim; }
        .fitting-footer--separator { color: $foreground 20%; }
    }
    """

    compact: reactive[bool] = reactive(False)
    """Less space around each key (below ``NARROW`` columns)."""
    show_command_palette: reactive[bool] = reactive(True)
    """Show the command-palette key on the right (not below ``NARROW`` columns)."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[FooterItem, ...] = ()
        self._palette: FooterItem | None = None
        self._hover: int | None = None
        """The index of the key under the mouse (in the keys, or ``PALETTE``)."""

    # what is shown ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus or screen is not self.screen:
            return  # as Textual's footer: the keys of a screen in the background, or of an unfocused app, wait
        keys, palette = self._read_keys()
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    def _read_keys(self) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """The keys to show, each action once (its first binding), as Textual's footer picks them."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        keys = []
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                display = self.app.get_key_display(binding)
                keys.append(FooterItem(binding.key, display, binding.description, binding.action, enabled, tooltip))
        palette = None
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if found is not None and self.app.ENABLE_COMMAND_PALETTE:
            _, binding, enabled, _ = found
            tooltip = binding.tooltip or binding.description
            display = self.app.get_key_display(binding)
            palette = FooterItem(binding.key, display, binding.description, binding.action, enabled, tooltip)
        return tuple(keys), palette

    def shown(self) -> list[FooterItem]:
        """The keys a reader can see now: drawn whole inside the footer's width."""
        return [item for index, _, _ in self._layout()[1] if (item := self._item_at(index)) is not None]

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow

    # drawing ------------------------------------------------------------------------------------

    def _styles(self) -> dict[str, Style]:
        names = ("item", "key", "description", "hover", "disabled", "separator")
        return {name: self.get_component_rich_style(f"fitting-footer--{name}") for name in names}

    def _item(self, item: FooterItem, styles: dict[str, Style], hover: bool, compact: bool) -> Text:
        """One key as Textual's FooterKey draws it: the key, then its description."""
        if not item.description:
            key = Text(item.key_display, styles["key"])
        elif compact:
            key = Text.assemble((item.key_display, styles["key"]), (f" {item.description}", styles["description"]))
        else:
            key = Text.assemble(
                (f" {item.key_display} ", styles["key"]), (f"{item.description} ", styles["description"])
            )
        base = styles["hover"] if hover else styles["item"]
        if not item.enabled:
            base += styles["disabled"]
        key.stylize_before(base)
        return key

    def render(self) -> Text:
        return self._layout()[0]

    def _layout(self) -> tuple[Text, list[tuple[int, int, int]]]:
        """The line, and each key drawn whole on it: its index (in the keys, or ``PALETTE``), its first
        column and the one after."""
        width = self.size.width
        styles = self._styles()
        palette = None
        if self._palette is not None and self.show_command_palette:
            palette = Text(_SEPARATOR, styles["separator"] + Style(bgcolor=styles["item"].bgcolor))
            # Always compact, as Textual's footer draws it (its compact setting is not passed to this key).
            palette.append_text(self._item(self._palette, styles, self._hover == PALETTE, compact=True))
            if not self.compact:
                palette.append(" ", styles["item"])
        room = width - (palette.cell_len if palette is not None else 0)
        line = Text(no_wrap=True, end="")
        drawn = []
        for index, item in enumerate(self._keys):
            text = self._item(item, styles, self._hover == index, self.compact)
            start = line.cell_len
            line.append_text(text)
            if line.cell_len > room:
                break  # drawn cut off at the edge, as a key scrolled out of Textual's footer
            drawn.append((index, start, line.cell_len))
            if self.compact:
                line.append(" ")
        line.truncate(max(room, 0), pad=True)
        if palette is not None:
            drawn.append((PALETTE, room, width))
            line.append_text(palette)
        return line, drawn

    # the mouse ----------------------------------------------------------------------------------

    def _index_at(self, x: int) -> int | None:
        """The key drawn at column ``x``, if any."""
        return next((index for index, start, end in self._layout()[1] if start <= x < end), None)

    def _item_at(self, index: int | None) -> FooterItem | None:
        if index is None:
            return None
        return self._palette if index == PALETTE else self._keys[index]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        under = self._index_at(event.x)
        if under != self._hover:
            self._hover = under
            item = self._item_at(under)
            self.tooltip = (item.tooltip or None) if item is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(self._index_at(event.x))
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
