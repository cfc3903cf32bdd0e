"""The section navigator: progress and the live proposed judgement of every section, then overall.

One line-API widget draws every line and repaints only the lines that change (an answer changes
one or two); clicks and the keyboard cursor find their entry from the rows it occupies.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget


@dataclass(frozen=True)
class NavEntry:
    """One entry of the navigator (one or two lines); ``target`` is where selecting it goes."""

    target: str
    """``A`` for a section, ``E@readmission`` for a section's outcome, ``overall@…`` for overall."""
    prompt: Text
    current: bool = False
    selectable: bool = True


class NavLines(Widget):
    """Lines of styled text, drawn with Textual's line API so that changing one line repaints one line."""

    DEFAULT_CSS = "NavLines { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Text] = []
        self._strips: dict[int, Strip] = {}

    def set_lines(self, lines: list[Text]) -> None:
        """Show these lines; only lines that differ from the ones on show are repainted."""
        old, self.lines = self.lines, lines
        if len(old) != len(lines):
            self._strips.clear()
            self.refresh(layout=True)
            return
        for y, (before, after) in enumerate(zip(old, lines, strict=True)):
            if before != after:
                self._strips.pop(y, None)
                self.refresh(Region(0, y, self.size.width, 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(y)
        if strip is None or strip.cell_length != width:
            segments = list(self.lines[y].render(self.app.console))
            strip = Strip(segments).apply_style(self.rich_style).crop_extend(0, width, self.rich_style)
            self._strips[y] = strip
        return strip


class SectionNavigator(VerticalScroll, can_focus=True):
    """Sections with answered/asked counts and judgement badges; select one to jump there."""

    BINDINGS = [
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("enter", "select", "Go to section"),
    ]

    class Jump(Message):
        """The reader chose a section (``target`` as in :class:`NavEntry`)."""

        def __init__(self, target: str) -> None:
            self.target = target
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[NavEntry] = []
        self.cursor = 0
        self._rows: list[range] = []
        self._focused = False
        """Tracked from focus events: ``has_focus`` still reads True while the blur is handled."""
        self._drawn: dict[tuple[str, bool], tuple[NavEntry, list[Text]]] = {}

    def compose(self) -> ComposeResult:
        yield NavLines(id="nav-lines")

    def show(self, entries: list[NavEntry]) -> None:
        """Show the entries (a repaint only when something changed)."""
        self.entries = entries
        if not self._focused:
            self.cursor = next((i for i, e in enumerate(entries) if e.current), self.cursor)
        self._draw()

    def _draw(self) -> None:
        lines: list[Text] = []
        self._rows = []
        cache = self._drawn
        self._drawn = {}
        for index, entry in enumerate(self.entries):
            highlighted = self._focused and index == self.cursor
            key = (entry.target, highlighted)
            cached = cache.get(key)
            if cached is not None and cached[0] == entry:
                rows = cached[1]
            else:
                rows = self._entry_lines(entry, highlighted)
            self._drawn[key] = (entry, rows)
            self._rows.append(range(len(lines), len(lines) + len(rows)))
            lines.extend(rows)
        self.query_one(NavLines).set_lines(lines)

    @staticmethod
    def _entry_lines(entry: NavEntry, highlighted: bool) -> list[Text]:
        marker = ("▍", "bold") if entry.current else " "
        rows = []
        for row in entry.prompt.split("\n"):
            line = Text.assemble(marker, row)
            if entry.current:
                line.stylize("bold")
            if highlighted:
                line.stylize("reverse")
            rows.append(line)
        return rows

    def on_focus(self) -> None:
        self._focused = True
        self._draw()

    def on_blur(self) -> None:
        self._focused = False
        self._draw()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self.query_one("#nav-lines"))
        if offset is None:
            return
        for index, rows in enumerate(self._rows):
            if offset.y in rows and self.entries[index].selectable:
                event.stop()
                self.post_message(self.Jump(self.entries[index].target))
                return

    def action_cursor(self, delta: int) -> None:
        index = self.cursor
        for _ in self.entries:
            index = (index + delta) % len(self.entries)
            if self.entries[index].selectable:
                break
        self.cursor = index
        self._draw()
        if index < len(self._rows):
            self.scroll_to(y=max(0, self._rows[index].start - 2), animate=False)

    def action_select(self) -> None:
        if 0 <= self.cursor < len(self.entries) and self.entries[self.cursor].selectable:
            self.post_message(self.Jump(self.entries[self.cursor].target))
