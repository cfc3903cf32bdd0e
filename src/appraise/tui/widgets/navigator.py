"""The section navigator: progress and the live proposed judgement of every section, then overall."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class NavEntry:
    """One line (or two) of the navigator; ``target`` is where selecting it goes."""

    target: str
    """``A`` for a section, ``E@readmission`` for a section's outcome, ``overall@…`` for overall."""
    prompt: Text
    current: bool = False
    selectable: bool = True


class SectionNavigator(OptionList):
    """Sections with answered/asked counts and judgement badges; select one to jump there."""

    class Jump(Message):
        """The reader chose a section (``target`` as in :class:`NavEntry`)."""

        def __init__(self, target: str) -> None:
            self.target = target
            super().__init__()

    def show(self, entries: list[NavEntry]) -> None:
        """Replace the entries, keeping the current section highlighted."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(e.prompt, id=e.target, disabled=not e.selectable) for e in entries])
        current = next((i for i, e in enumerate(entries) if e.current), None)
        if not self.has_focus and current is not None:
            self.highlighted = current
        elif highlighted is not None and highlighted < len(entries):
            self.highlighted = highlighted

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
