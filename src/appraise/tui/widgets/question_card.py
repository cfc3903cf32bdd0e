"""The focused question: it owns the answering keys (digits, arrows, j/k), so nothing swallows them.

The whole card is one widget that renders heading, question, options and remark as text: every
key press lands here, and one widget repaints faster than a dozen. Clicks find their option from
the line they hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from appraise.tui.render import update_in_place


@dataclass
class CardView:
    """Everything the card shows for one slot, prepared by the screen from the core."""

    heading: Text
    position: str
    question: Text
    options: list[tuple[str, Text]] = field(default_factory=list)
    """(label, hint) per option, in order; the digit is the position."""
    chosen: int | None = None
    """0-based index of the chosen option."""
    remark: Text | None = None
    """Shown instead of options or under them: why a question is skipped, what to do next."""


class QuestionCard(Static, can_focus=True):
    """One question with its numbered options; digits answer, arrows move."""

    BINDINGS = [
        Binding("1", "choose(1)", "Answer", key_display="1-9"),
        *[Binding(str(n), f"choose({n})", f"Answer {n}", show=False) for n in range(2, 10)],
        Binding("0", "clear", "Clear", show=False),
        Binding("backspace", "clear", "Clear", show=False),
        Binding("down,j", "move(1)", "Move", key_display="↑↓ jk", show=False),  # on the help screen
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("enter", "next_open", "Next open", show=False),
        Binding("pagedown", "section(1)", "Next section", show=False),
        Binding("pageup", "section(-1)", "Previous section", show=False),
    ]

    class Chosen(Message):
        """The reader chose option ``number`` (1-based)."""

        def __init__(self, number: int) -> None:
            self.number = number
            super().__init__()

    class Cleared(Message):
        """The reader cleared the answer."""

    class Moved(Message):
        """The reader moved by ``delta`` questions (or sections, with ``by_section``)."""

        def __init__(self, delta: int, by_section: bool = False) -> None:
            self.delta = delta
            self.by_section = by_section
            super().__init__()

    class NextOpen(Message):
        """The reader asked for the next question that still needs an answer."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self._view: CardView | None = None
        self._parts: list[tuple[Text, int | None]] = []
        self._rows_width = 0
        self._width = 0

    def show(self, view: CardView) -> None:
        """Display a slot (repaint only; a layout pass only if the card's height changes)."""
        if view == self._view and self._width == self.content_size.width:
            return
        self._view = view
        self._width = self.content_size.width
        update_in_place(self, self._compose_text(view, self._width))

    def on_resize(self) -> None:
        if self._view is not None and self.content_size.width != self._width:
            view, self._view = self._view, None
            self.show(view)

    def _compose_text(self, view: CardView, width: int) -> Text:
        """Heading (with the position at the right), question, options, remark; rows of options noted."""
        parts: list[tuple[Text, int | None]] = []
        heading = view.heading.copy()
        if width > len(view.position) + 4:
            heading.truncate(width - len(view.position) - 2, overflow="ellipsis")
            heading.pad_right(width - heading.cell_len - len(view.position))
            heading.append(view.position, style="dim")
        parts += [(heading, None), (Text(""), None), (view.question, None)]
        if view.options:
            parts.append((Text(""), None))
            parts += [
                (self._option(i, label, hint, view.chosen, width), i) for i, (label, hint) in enumerate(view.options)
            ]
        if view.remark is not None:
            parts += [(Text(""), None), (view.remark, None)]
        self._parts, self._rows_width = parts, width
        return Text("\n").join(text for text, _ in parts)

    def _rows_of_options(self) -> list[range]:
        """The rows each option takes on the card as shown (worked out on a click, not on every key)."""
        rows: list[range] = []
        row = 0
        console = self.app.console
        for text, option in self._parts:
            lines = len(text.wrap(console, self._rows_width)) if self._rows_width > 0 else 1
            if option is not None:
                rows.append(range(row, row + lines))
            row += lines
        return rows

    def _option(self, index: int, label: str, hint: Text, chosen: int | None, width: int) -> Text:
        """``▸ 2  Partly   ← chosen``, with any hint below, both indented under the label."""
        is_chosen = index == chosen
        digit = str(index + 1) if index < 9 else " "
        body = Text.assemble(
            (label, "bold reverse" if is_chosen else ""), ("   ← chosen" if is_chosen else "", "italic")
        )
        text = Text.assemble(("▸ " if is_chosen else "  ", "bold"), (f"{digit}  ", "bold"))
        text.append(self._hanging(body, width, 5))
        if hint.plain:
            text.append("\n     ")
            text.append(self._hanging(hint, width, 5))
        return text

    def _hanging(self, text: Text, width: int, indent: int) -> Text:
        """Wrap ``text`` to the space right of an indent, continuing lines at the same indent."""
        if width <= indent + 10:
            return text
        lines = text.wrap(self.app.console, width - indent)
        return Text("\n" + " " * indent).join(lines)

    def on_click(self, event: events.Click) -> None:
        self.focus()
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for index, rows in enumerate(self._rows_of_options()):
            if offset.y in rows:
                self.post_message(self.Chosen(index + 1))
                return

    def action_choose(self, number: int) -> None:
        self.post_message(self.Chosen(number))

    def action_clear(self) -> None:
        self.post_message(self.Cleared())

    def action_move(self, delta: int) -> None:
        self.post_message(self.Moved(delta))

    def action_section(self, delta: int) -> None:
        self.post_message(self.Moved(delta, by_section=True))

    def action_next_open(self) -> None:
        self.post_message(self.NextOpen())
