"""Outcomes appraised separately (peer-support section E): add, rename, remove."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from appraise.core.appraisal import format_effect, parse_effect
from appraise.core.session import Session
from appraise.tui.locked import refuses_when_locked
from appraise.tui.render import flat
from appraise.tui.saving import AutoSaver
from appraise.tui.screens.base import AppModal
from appraise.tui.screens.dialogs import ConfirmDialog
from appraise.tui.widgets.footer import FittingFooter
from appraise.tui.widgets.toggles import MarkedCheckbox


class OutcomesScreen(AppModal[None]):
    """The list of outcomes with add / edit / remove."""

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit / rename"),
        Binding("d,delete", "remove", "Remove"),
        Binding("escape,o", "close", "Done"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session, saver: AutoSaver) -> None:
        super().__init__(classes="dialog")
        self.session = session
        self.saver = saver

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Static(Text("Outcomes appraised separately", style="bold"), classes="dialog-title")
            yield Static(
                "Risk of bias is judged per outcome: at least the primary outcome, and any self-reported "
                "recovery outcome the paper highlights. Ids never change, so renaming keeps the answers.",
                classes="dialog-note",
                markup=False,
            )
            yield OptionList(id="outcomes")
            yield Static("", id="primary-warning", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Add", id="add", variant="primary", compact=True)
                yield Button("Edit", id="edit", compact=True)
                yield Button("Remove", id="remove", variant="error", compact=True)
                yield Button("Done", id="close", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.fill()
        if not self.session.appraisal.outcomes:
            self.action_add()
        else:
            self.query_one(OptionList).focus()

    def fill(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        vocabulary = self.session.checklist.outcomes
        labels = {o.code: o.label for o in (vocabulary.types + vocabulary.findings)} if vocabulary else {}
        for outcome in self.session.appraisal.outcomes:
            line = Text.assemble(flat(outcome.label, 40, "bold"), ("  primary" if outcome.primary else "", "italic"))
            details = " · ".join(labels.get(v, v) for v in (outcome.type, outcome.finding) if v)
            if details:
                line.append(f"\n   {details}", style="dim")
            listing.add_option(Option(line, id=outcome.id))
        if not self.session.appraisal.outcomes:
            listing.add_option(Option(Text("No outcomes yet — press a to add one.", style="italic"), disabled=True))
        self.query_one("#primary-warning", Static).update(primary_warning(self.session))

    @property
    def selected(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return option.id

    @on(Button.Pressed, "#add")
    @refuses_when_locked
    def action_add(self) -> None:
        self.app.push_screen(OutcomeForm(self.session), callback=self._added)

    def _added(self, values: dict[str, Any] | None) -> None:
        if values:
            outcome = self.session.add_outcome(**values)
            self.saver.now()
            self.fill()
            self.notify(f"Added outcome {outcome.label}", markup=False, timeout=3)

    @on(OptionList.OptionSelected)
    @on(Button.Pressed, "#edit")
    @refuses_when_locked
    def action_edit(self) -> None:
        outcome_id = self.selected
        if outcome_id is None:
            return

        def edited(values: dict[str, Any] | None) -> None:
            if values:
                self.session.update_outcome(outcome_id, **values)
                self.saver.now()
                self.fill()

        self.app.push_screen(OutcomeForm(self.session, outcome_id), callback=edited)

    @on(Button.Pressed, "#remove")
    @refuses_when_locked
    def action_remove(self) -> None:
        outcome_id = self.selected
        outcome = self.session.appraisal.outcome(outcome_id) if outcome_id else None
        if outcome is None:
            return
        answered = len(self.session.appraisal.outcome_answers.get(outcome.id, {}))

        def confirmed(choice: str | None) -> None:
            if choice == "remove":
                self.session.remove_outcome(outcome.id)
                self.saver.now()
                self.fill()

        self.app.push_screen(
            ConfirmDialog(
                "Remove this outcome?",
                f"{outcome.label}: its {answered} answer(s) and any judgement you recorded for it will be removed.",
                [("remove", "Remove"), ("keep", "Keep it")],
                danger="remove",
            ),
            callback=confirmed,
        )

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def primary_warning(session: Session) -> str:
    """A warning when more than one outcome is marked primary (empty otherwise)."""
    primary = [o.label for o in session.appraisal.outcomes if o.primary]
    if len(primary) < 2:
        return ""
    return (
        f"⚠ {len(primary)} outcomes are marked primary: {', '.join(primary)}. A trial usually pre-specifies "
        "one; check the protocol or registration, and edit (e) the others if the paper names only one."
    )


class OutcomeForm(AppModal[dict[str, Any] | None]):
    """Name, type, primary, finding and (optionally) the result of one outcome."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        Binding("f1", "app.help", "Help"),
    ]  # ? is typed

    def __init__(self, session: Session, outcome_id: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.session = session
        self.outcome = session.appraisal.outcome(outcome_id) if outcome_id else None

    def compose(self) -> ComposeResult:
        vocabulary = self.session.checklist.outcomes
        types = [(o.label, o.code) for o in vocabulary.types] if vocabulary else []
        findings = [(o.label, o.code) for o in vocabulary.findings] if vocabulary else []
        outcome = self.outcome
        first = not self.session.appraisal.outcomes
        with Vertical(classes="dialog-box wide"):
            yield Static(Text("Edit outcome" if outcome else "Add an outcome", style="bold"), classes="dialog-title")
            yield Label("Name (e.g. Readmission at 12 months)")
            yield Input(outcome.name if outcome else "", id="name", compact=True)
            yield Label("Type")
            yield Select(
                types,
                value=outcome.type if outcome and outcome.type else Select.NULL,
                id="type",
                prompt="Choose a type",
                compact=True,
            )
            yield MarkedCheckbox(
                "The pre-specified primary outcome",
                value=outcome.primary if outcome else first,
                id="primary",
                compact=True,
            )
            yield Static(self._other_primary(), id="primary-note", classes="dialog-note", markup=False)
            yield Label("Finding")
            yield Select(
                findings,
                value=outcome.finding if outcome and outcome.finding else Select.NULL,
                id="finding",
                prompt="Choose a finding",
                compact=True,
            )
            yield Label("Result, if you want it beside its risk of bias (e.g. RR 0.80 (0.60 to 1.10) weight 12)")
            yield Input(
                format_effect(outcome.effect) if outcome else "", id="effect", placeholder="optional", compact=True
            )
            yield Static("", id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield FittingFooter()

    def _other_primary(self) -> str:
        """Which other outcome is already primary, said next to the checkbox."""
        others = [o.label for o in self.session.appraisal.outcomes if o.primary and o is not self.outcome]
        return f"Already marked primary: {', '.join(others)}." if others else ""

    @on(MarkedCheckbox.Changed, "#primary")
    def _show_other_primary(self) -> None:
        checked = self.query_one("#primary", MarkedCheckbox).value
        self.query_one("#primary-note").display = checked and bool(self._other_primary())

    def on_mount(self) -> None:
        self._show_other_primary()
        name = self.query_one("#name", Input)
        name.cursor_blink = self.app.cursor_blink
        self.set_focus(
            name
        )  # at once: Widget.focus() waits behind keys already queued, so a fast typist's name was lost

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            self.query_one("#problem", Static).update("Give the outcome a name.")
            self.query_one("#name", Input).focus()
            return
        try:
            effect = parse_effect(self.query_one("#effect", Input).value)
        except ValueError as error:
            self.query_one("#problem", Static).update(f"Result: {error}")
            self.query_one("#effect", Input).focus()
            return
        kind = self.query_one("#type", Select).value
        finding = self.query_one("#finding", Select).value
        self.dismiss(
            {
                "name": name,
                "type": kind if isinstance(kind, str) else None,
                "primary": self.query_one("#primary", MarkedCheckbox).value,
                "finding": finding if isinstance(finding, str) else None,
                "effect": effect,
            }
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
