"""The judgements screen: every proposal with its rule trace; accept it, or override with a reason."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appraise.core.assessment import Entry
from appraise.core.checklist import Section
from appraise.core.consistency import checklist_warnings
from appraise.core.session import Session
from appraise.tui.locked import refuses_when_locked
from appraise.tui.render import badge, flat, literal
from appraise.tui.saving import AutoSaver, undo_and_save
from appraise.tui.screens.base import AppModal, AppScreen
from appraise.tui.widgets.footer import FittingFooter

NARROW = 100


class JudgementsScreen(AppScreen[None]):
    """Proposed and final judgements for every section and outcome, then overall."""

    BINDINGS = [
        Binding("escape,s", "app.pop_screen", "Back"),
        Binding("o", "override", "Judge / override", key_display="o ⏎"),
        Binding("a", "accept", "Accept proposal"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("ctrl+z", "undo", "Undo", show=False),
    ]

    def __init__(self, session: Session, saver: AutoSaver) -> None:
        super().__init__()
        self.session = session
        self.saver = saver
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Judgements — proposed by the checklist's rules, confirmed or overridden by you", style="bold"),
            id="judgements-title",
        )
        yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail"):
            yield Static(id="why", markup=False)
        yield FittingFooter()

    @property
    def narrow(self) -> bool:
        """Below 100 columns the proposal moves to the detail pane so Final and Reason fit."""
        return self.app.size.width < NARROW

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        if self.narrow:
            table.add_columns("Section", "Outcome", "Final", "Reason")
        else:
            table.add_columns("Section", "Outcome", "Proposed", "Final", "Reason")
        self.fill()
        table.focus()

    def fill(self) -> None:
        """(Re)build the table from the session, keeping the cursor row."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        palette = self.app.palette
        self.entries = list(self.session.assessment.entries(include_overall=True))
        for entry in self.entries:
            result = entry.result
            narrow = self.narrow
            outcome = flat(entry.outcome.label, 14 if narrow else 24) if entry.outcome else Text("—", style="dim")
            proposed = (
                badge(entry.section, result.proposed, state=result.state, palette=palette)
                if result.state != "appraiser"
                else Text("yours to judge", style="italic")
            )
            final = badge(entry.section, result.judgement, state=result.state, palette=palette)
            if result.overridden:
                final.append(" ✎", style="bold")  # an override, marked in words as well as by the column
            reason = flat(result.override_reason, 22 if narrow else 40) if result.overridden else Text("")
            name = (
                Text("Overall", style="bold")
                if entry.section.id == "overall"
                else Text.assemble((f"{entry.section.id} ", "bold"), flat(entry.section.label, 12 if narrow else 18))
            )
            if narrow:
                table.add_row(name, outcome, final, reason)
            else:
                table.add_row(name, outcome, proposed, final, reason)
        if self.entries:
            table.move_cursor(row=min(row, len(self.entries) - 1))
        self._explain()

    @property
    def current(self) -> Entry | None:
        row = self.query_one(DataTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_override()

    @on(DataTable.RowHighlighted)
    def _explain(self) -> None:
        entry = self.current
        why = self.query_one("#why", Static)
        if entry is None:
            why.update("")
            return
        result = entry.result
        text = Text.assemble((f"{entry.section.id}. ", "bold"), flat(entry.section.title, style_="bold"))
        if entry.outcome:
            text.append(" — ")
            text.append(flat(entry.outcome.label, style_="italic"))
        palette = getattr(self.app, "palette", "cochrane")
        text.append("\nProposed: ", style="bold")
        if result.state == "appraiser":
            text.append("yours to judge", style="italic")
        else:
            text.append(badge(entry.section, result.proposed, state=result.state, palette=palette))
        text.append("   Final: ", style="bold")
        text.append(badge(entry.section, result.judgement, state=result.state, palette=palette))
        if result.overridden:
            text.append(" ✎ overridden by you", style="bold")
        text.append("\nRule trace: ", style="bold")
        text.append(literal(result.trace))
        for step in result.steps:
            text.append("\n  • ")
            text.append(literal(step.text))
        for message in result.messages:
            text.append("\n▶ ", style="bold")
            text.append(literal(message))
        if result.escalate_to and not result.overridden:
            text.append(
                f"\nYou may judge this {result.escalate_to} instead (press o; a reason is required).", style="bold"
            )
        if result.override_reason:
            text.append("\nYour reason: ", style="bold")
            text.append(literal(result.override_reason))
        text.append_text(self._overview())
        why.update(text)

    def _overview(self) -> Text:
        """The overall judgement(s) in words, and the messages to read them with."""
        text = Text("\n\n")
        text.append("Overall\n", style="bold underline")
        for entry in self.session.assessment.overall():
            result = entry.result
            name = entry.outcome.label if entry.outcome else "Overall"
            text.append("  ")
            text.append(
                badge(
                    entry.section,
                    result.judgement,
                    state=result.state,
                    palette=self.app.palette,
                )
            )
            text.append(" ")
            text.append(flat(name, 50))
            for message in result.messages:
                text.append("\n      ")
                text.append(literal(message, "italic"))
            text.append("\n")
        warnings = checklist_warnings(self.session.assessment)
        if warnings:
            text.append("Answers to check\n", style="bold underline")
            for warning in warnings:
                text.append("  ⚠ ", style="bold")
                text.append(literal(warning.text))
                text.append("\n")
        notes = [
            (e.section.id, m) for e in self.session.assessment.entries() if e.outcome is None for m in e.result.messages
        ]
        if notes:
            text.append("Read these judgements with\n", style="bold underline")
            for section_id, message in notes:
                text.append(f"  {section_id}: ", style="bold")
                text.append(literal(message))
                text.append("\n")
        return text

    @refuses_when_locked
    def action_override(self) -> None:
        entry = self.current
        if entry is None or not entry.section.judgements or entry.result.state == "not_applicable":
            self.notify("There is nothing to judge here.", timeout=3)
            return

        def apply(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            judgement, reason = choice
            self.session.set_judgement(entry.section, entry.outcome_id, judgement, reason)
            self.saver.now()
            self.fill()

        self.app.push_screen(OverrideDialog(self.session, entry), callback=apply)

    @refuses_when_locked
    def action_undo(self) -> None:
        change = undo_and_save(self, self.session, self.saver)
        if change is None:
            return
        self.fill()
        self.notify(f"Undone: {change.what}.", timeout=3, markup=False)

    @refuses_when_locked
    def action_accept(self) -> None:
        entry = self.current
        if entry is not None and self.session.accept(entry.section, entry.outcome_id):
            self.saver.now()
            self.fill()
            self.notify("Back to the proposed judgement.", timeout=3)


class OverrideDialog(AppModal[tuple[str, str] | None]):
    """Choose a judgement; a reason is required when it differs from the proposal."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority, so that a reason typed straight after the digit lands in the reason field.
        Binding("1", "pick(1)", "Level", key_display="1-9", priority=True),
        *[Binding(str(n), f"pick({n})", show=False, priority=True) for n in range(2, 10)],
    ]

    def __init__(self, session: Session, entry: Entry) -> None:
        super().__init__(classes="dialog")
        self.session = session
        self.entry = entry

    @property
    def section(self) -> Section:
        return self.entry.section

    def compose(self) -> ComposeResult:
        result = self.entry.result
        palette = self.app.palette
        with Vertical(classes="dialog-box"):
            name = "Overall" if self.section.id == "overall" else f"{self.section.id}. {self.section.title}"
            title = Text.assemble(("Judge ", "bold"), flat(name, 60, "bold"))
            if self.entry.outcome is not None:  # per outcome: say which one is being judged
                title.append(" — for ")
                title.append(flat(self.entry.outcome.label, 50, "bold italic"))
            yield Static(title, classes="dialog-title")
            if result.state != "appraiser":
                yield Static(
                    Text.assemble(
                        "Proposed: ", badge(self.section, result.proposed, state=result.state, palette=palette)
                    ),
                    classes="dialog-note",
                )
            options = [
                Option(Text.assemble((f"{i}  ", "bold"), badge(self.section, j.code, palette=palette)), id=j.code)
                for i, j in enumerate(self.section.judgements, 1)
            ]
            yield OptionList(*options, id="levels")
            yield Label("Reason (required to override the proposal)")
            yield Input(value=result.override_reason, id="reason", placeholder="Why you judge it differently")
            yield Static("", id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield FittingFooter()  # the dialog's own keys, over the judgements' (which do not work here)

    def on_mount(self) -> None:
        levels = self.query_one(OptionList)
        codes = [j.code for j in self.section.judgements]
        current = self.entry.result.judgement
        levels.highlighted = codes.index(current) if current in codes else 0
        levels.focus()
        self.query_one(Input).cursor_blink = self.app.cursor_blink

    def action_pick(self, number: int) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # a digit in the reason is part of the reason
        if 1 <= number <= len(self.section.judgements):
            self.query_one(OptionList).highlighted = number - 1
            self.set_focus(self.query_one(Input))  # at once: Widget.focus() waits behind queued keys

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        levels = self.query_one(OptionList)
        if levels.highlighted is None:
            return
        judgement = self.section.judgements[levels.highlighted].code
        reason = self.query_one(Input).value
        if self.session.needs_reason(self.section, self.entry.outcome_id, judgement) and not reason.strip():
            self.query_one("#problem", Static).update("A reason is required to override the proposed judgement.")
            self.query_one(Input).focus()
            return
        self.dismiss((judgement, reason))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
