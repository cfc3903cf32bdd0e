"""Small modal dialogs: pick one of several things, or answer a yes/no-style question."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appraise.tui.render import flat, literal
from appraise.tui.screens.base import AppModal
from appraise.tui.widgets.footer import FittingFooter


class Dialog(AppModal[str | None]):
    """A small modal with a title and an optional note; escape cancels (dismisses with None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, *, note: str = "") -> None:
        super().__init__(classes="dialog")
        self.heading = title
        self.note = note

    def header(self) -> ComposeResult:
        """The title and the note, for the top of the dialog box."""
        yield Static(literal(self.heading, "bold"), classes="dialog-title")  # may hold an outcome's name
        if self.note:
            yield Static(literal(self.note), classes="dialog-note")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(Dialog):
    """Choose one item (digits or arrows and enter); escape cancels."""

    LABEL = 52
    """Characters of an item's label: one line in the 68-column box (its border and padding, the list's
    border and scrollbar and the item's number take the rest), so that a list of six fits at 80×24."""

    BINDINGS = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)],
    ]

    def __init__(self, title: str, items: list[tuple[str, str]], *, note: str = "") -> None:
        super().__init__(title, note=note)
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield from self.header()
            yield OptionList(
                *[
                    Option(Text.assemble((f"{i}  ", "bold"), flat(label, self.LABEL)), id=key)
                    for i, (key, label) in enumerate(self.items, 1)
                ],
                id="choices",
            )
        yield FittingFooter()  # the dialog's own keys, over the screen below's (which do not work here)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.items):
            self.dismiss(self.items[number - 1][0])


class ConfirmDialog(Dialog):
    """A question with a few answers as buttons; each button's first letter (underlined) is its key."""

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]], *, danger: str = "") -> None:
        super().__init__(title, note=message)
        self.choices = choices
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield from self.header()
            with Horizontal(classes="buttons"):
                for key, label in self.choices:
                    yield Button(label, id=f"choice-{key}", variant="error" if key == self.danger else "default")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        for key, label in self.choices:
            if event.character and event.character.lower() == label[:1].lower():
                event.stop()
                self.dismiss(key)
                return


class PromptDialog(Dialog):
    """Ask for a line of text (a reason, a name); enter confirms, escape cancels."""

    def __init__(self, title: str, label: str, *, value: str = "", required: bool = True, note: str = "") -> None:
        super().__init__(title, note=note)
        self.label = label
        self.value = value
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield from self.header()
            yield Label(self.label)
            yield Input(self.value, id="prompt")
            yield Static("", id="problem", classes="problem", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = self.app.cursor_blink
        field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.required and not event.value.strip():
            self.query_one("#problem", Static).update("This cannot be empty.")
            return
        self.dismiss(event.value.strip())
