"""The focused question: it owns the answering keys (digits, arrows, j/k), so nothing swallows them."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


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


class OptionLines(OptionList, can_focus=False):
    """The options as clickable lines; keys belong to the card, so this never takes focus."""


class QuestionCard(Vertical, can_focus=True):
    """One question with its numbered options; digits answer, arrows move."""

    BINDINGS = [
        Binding("1", "choose(1)", "Answer", key_display="1-9"),
        *[Binding(str(n), f"choose({n})", f"Answer {n}", show=False) for n in range(2, 10)],
        Binding("0", "clear", "Clear", key_display="0"),
        Binding("backspace", "clear", "Clear", show=False),
        Binding("down,j", "move(1)", "Next", key_display="↓ j"),
        Binding("up,k", "move(-1)", "Previous", key_display="↑ k"),
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

    def compose(self) -> ComposeResult:
        with Vertical(id="card-head"):
            yield Static(id="heading", markup=False)
            yield Static(id="position", markup=False)
        yield Static(id="question", markup=False)
        yield OptionLines(id="options", markup=False)
        yield Static(id="remark", markup=False)

    def show(self, view: CardView) -> None:
        """Display a slot."""
        self.query_one("#heading", Static).update(view.heading)
        self.query_one("#position", Static).update(view.position)
        self.query_one("#question", Static).update(view.question)
        options = self.query_one(OptionLines)
        options.clear_options()
        options.add_options([self._option(i, label, hint, view.chosen) for i, (label, hint) in enumerate(view.options)])
        options.display = bool(view.options)
        if view.chosen is not None:
            options.highlighted = view.chosen
        remark = self.query_one("#remark", Static)
        remark.update(view.remark or "")
        remark.display = view.remark is not None

    @staticmethod
    def _option(index: int, label: str, hint: Text, chosen: int | None) -> Option:
        is_chosen = index == chosen
        digit = str(index + 1) if index < 9 else " "
        text = Text.assemble(
            ("▸ " if is_chosen else "  ", "bold"),
            (f"{digit}  ", "bold"),
            (label, "bold reverse" if is_chosen else ""),
            ("   ← chosen" if is_chosen else "", "italic"),
        )
        if hint.plain:
            text.append("\n      ")
            text.append(hint)
        return Option(text)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus()
        self.post_message(self.Chosen(event.option_index + 1))

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
