"""The resolve view of a consensus appraisal: every reviewer side by side; take one, or write anew."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from appraise.core.labels import answer_label
from appraise.core.session import Session
from appraise.core.text import one_line
from appraise.reports.views import judgement_view
from appraise.review.consensus import (
    LETTERS,
    ConsensusError,
    ConsensusItem,
    Side,
    consensus_items,
    record_of,
    reopen,
    resolve,
    settle_answered,
)
from appraise.tui.locked import refuses_when_locked
from appraise.tui.render import flat, literal
from appraise.tui.saving import AutoSaver
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter

STATUS_WIDTH = 14
ITEM_WIDTH = 9


class ResolveScreen(AppScreen[None]):
    """Every disagreement of a consensus appraisal; `a`, `b`, `c` … take a side, `n` writes a new answer."""

    BINDINGS = [
        Binding("a", "take('a')", "Take A"),
        Binding("b", "take('b')", "Take B"),
        Binding("c", "take('c')", "Take C"),
        Binding("d", "take('d')", "Take D"),
        Binding("e", "take('e')", "Take E"),
        Binding("n", "new", "New"),  # short labels: the whole footer fits 80 columns with three reviewers
        Binding("u", "reopen", "Reopen"),
        Binding("o", "only_open", "Open only"),
        Binding("m", "matching", "Match"),
        Binding("escape,x", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session, saver: AutoSaver) -> None:
        super().__init__()
        self.session = session
        self.saver = saver
        self.items: list[ConsensusItem] = []
        self.only_open = False
        everything = consensus_items(session.appraisal)
        record = record_of(session.appraisal)
        count = max([len(record.reviewers) if record is not None else 2, *(len(i.sides) for i in everything), 2])
        self.letters = list(LETTERS[:count])
        self._widths = (36, 28)

    def compose(self) -> ComposeResult:
        yield Static(id="resolve-title", markup=False)
        yield DataTable(id="resolve-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="resolve-sides"):
            for letter in self.letters:
                with VerticalScroll(classes="side"):
                    yield Static(id=f"side-{letter}", markup=False)
        yield Static(id="resolve-status", markup=False)
        yield FittingFooter()  # compact at 80 columns, so m, escape, help and quit stay in view

    def on_mount(self) -> None:
        # Answers given in the questions view settle their items (they were left open before).
        if self._settle():
            self.session.refresh()
            self.saver.now()
        self._layout(self.size.width)
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self._settle():
            self.session.refresh()
            self.saver.now()
            self.fill()

    def _settle(self) -> bool:
        """Items answered in the questions view become resolved (never in a locked file)."""
        if self.session.locked is not None:
            return False
        return bool(settle_answered(self.session.appraisal, by=self.app.who_am_i(self.session.appraisal)))

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        """Columns sized to the screen, so every reviewer's answer and the status always show."""
        # Each column has 2 cells of padding; the table a scrollbar and borders.
        free = max(width - 4 - 2 * (3 + len(self.letters)) - ITEM_WIDTH - STATUS_WIDTH, 20 + 10 * len(self.letters))
        what = max(14, free * 2 // (2 + len(self.letters)))  # the question and its outcome need the room
        side = max(8, (free - what) // len(self.letters))
        if (what, side) == self._widths and self.query_one(DataTable).columns:
            return
        self._widths = (what, side)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Item", width=ITEM_WIDTH)
        table.add_column("What", width=what)
        for letter in self.letters:
            table.add_column(flat(self._reviewer_title(letter), side), width=side)
        table.add_column("Status", width=STATUS_WIDTH)
        self.fill()

    def _reviewer_title(self, side: str) -> str:
        record = record_of(self.session.appraisal)
        names = record.reviewers if record is not None else []
        index = LETTERS.index(side)
        return f"{side.upper()}: {names[index]}" if index < len(names) and names[index] else f"Reviewer {side.upper()}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only the reviewers this consensus has can be taken.
        return not (action == "take" and parameters and parameters[0] not in self.letters)

    def fill(self) -> None:
        table = self.query_one(DataTable)
        if not table.columns:
            return
        row = table.cursor_row
        table.clear()
        what, side_width = self._widths
        everything = consensus_items(self.session.appraisal)
        self.items = [i for i in everything if i.status == "open" or not self.only_open]
        for item in self.items:
            status = (
                Text("● open", style="bold yellow")
                if item.status == "open"
                else Text(f"✓ {self._how(item)}", style="green")
            )
            sides = item.sides
            table.add_row(
                flat(self._short_key(item), ITEM_WIDTH, "bold"),
                flat(self._what_in(item, what)),
                *(flat(self._label(item, sides.get(letter, Side())), side_width) for letter in self.letters),
                status,
            )
        remaining = sum(1 for i in everything if i.status == "open")
        title = Text.assemble(("Resolve disagreements", "bold"), f" — {remaining} open of {len(everything)}")
        if remaining == 0 and everything:
            title.append("  · all resolved: the consensus appraisal is complete", style="green")
        self.query_one("#resolve-title", Static).update(title)
        if self.items:
            table.move_cursor(row=min(max(row, 0), len(self.items) - 1))
        self._show()

    def _how(self, item: ConsensusItem) -> str:
        if item.chosen == "new":
            return "new answer"
        return f"took {item.chosen.upper()}" if item.chosen else "resolved"

    def _short_key(self, item: ConsensusItem) -> str:
        """The question or section id, without the outcome id (the What column names the outcome)."""
        if item.kind == "answer":
            return item.target
        if item.kind == "judgement":
            return "Overall" if item.target == "overall" else f"Judg. {item.target}"
        return item.target.capitalize()

    def _what_in(self, item: ConsensusItem, width: int) -> str:
        """What the item is, in ``width`` cells: a long question gives way before its outcome does.

        Two rows of one question differ only by the outcome, so at 80 columns the outcome keeps up
        to half the room (it came last and was cut, leaving rows that looked the same).
        """
        title, outcome = self._what_parts(item)
        if outcome is None:
            return one_line(title, width)
        label = one_line(outcome)
        if len(one_line(title)) + len(label) + 3 <= width:
            return f"{one_line(title)} [{label}]"
        room = min(len(label), max(width // 2, 8))
        return f"{one_line(title, width - room - 3)} [{one_line(label, room)}]"

    def _what(self, item: ConsensusItem) -> str:
        title, outcome = self._what_parts(item)
        return f"{title} [{outcome}]" if outcome else title

    def _what_parts(self, item: ConsensusItem) -> tuple[str, str | None]:
        """The question, judgement or outcome field an item is about, and the outcome's name if any."""
        checklist = self.session.checklist
        outcome = self.session.appraisal.outcome(item.outcome_id) if item.outcome_id else None
        where = outcome.label if outcome else None
        if item.kind == "answer":
            question = checklist.questions.get(item.target)
            return (question.short or question.text if question else item.target), where
        if item.kind == "judgement":
            section = checklist.judged.get(item.target)
            return f"Judgement of {section.label if section else item.target}", where
        return f"Outcome {item.target}", where

    def _label(self, item: ConsensusItem, side: Side) -> str:
        if side.answer is None and not side.note:
            return "—"
        checklist = self.session.checklist
        if item.kind == "answer" and item.target in checklist.questions:
            return answer_label(checklist.questions[item.target], side.answer, asked=side.asked)
        if item.kind == "judgement" and item.target in checklist.judged:
            return str(judgement_view(checklist.judged[item.target], side.answer)["label"])
        if item.kind == "outcome" and checklist.outcomes is not None and item.target in ("type", "finding"):
            options = checklist.outcomes.types if item.target == "type" else checklist.outcomes.findings
            return next((o.label for o in options if o.code == side.answer), side.answer or "—")
        return side.answer or "—"

    @property
    def current(self) -> ConsensusItem | None:
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    @on(DataTable.RowHighlighted)
    def _show(self) -> None:
        item = self.current
        for name in self.letters:
            text = Text()
            if item is not None:
                side = item.sides.get(name, Side())
                text.append(self._reviewer_title(name) + "\n", style="bold underline")
                text.append(literal(self._label(item, side), "bold"))
                if not side.asked:
                    text.append("  (not asked of this reviewer)", style="dim")
                for label, value in (
                    ("Reason", side.reason),
                    ("Note", side.note),
                    ("Quote", side.quote),
                    ("Page", side.page),
                ):
                    if value:
                        text.append(f"\n{label}: ", style="bold")
                        text.append(literal(value))
                if side.by == "rules":
                    text.append("\n(the rules' proposal)", style="dim")
            self.query_one(f"#side-{name}", Static).update(text)
        status = Text()
        if item is not None and item.status == "resolved":
            status.append(f"Resolved: {self._how(item)}", style="bold green")
            if item.answer:
                status.append(" → ")
                status.append(literal(self._label(item, Side(answer=item.answer))))  # its label, not its code
            if item.reason:
                status.append(" — ")
                status.append(literal(item.reason))
            status.append("   (u reopens)", style="dim")
        elif item is not None:
            keys = ", ".join(f"{letter} takes {letter.upper()}'s" for letter in self.letters)
            status.append(f"Open: {keys} answer with its note; n writes a new answer with a reason.")
        self.query_one("#resolve-status", Static).update(status)

    def _apply(self, key: str, **how: str | None) -> None:
        try:
            resolve(self.session.appraisal, key, resolved_by=self.app.who_am_i(self.session.appraisal), **how)  # type: ignore[arg-type]
        except ConsensusError as error:
            self.notify(str(error), severity="warning", markup=False, timeout=6)
            return
        self._changed()

    def _changed(self) -> None:
        self.session.refresh()
        self.saver.now()
        self.fill()

    @refuses_when_locked
    def action_take(self, side: str) -> None:
        item = self.current
        if item is not None:
            self._apply(item.key, choose=side)

    @refuses_when_locked
    def action_reopen(self) -> None:
        item = self.current
        if item is not None and item.status == "resolved":
            reopen(self.session.appraisal, item.key)
            self._changed()

    def action_matching(self) -> None:
        """How the reviewers' outcomes were matched, and fixing a match (the consensus is rebuilt)."""
        from appraise.tui.screens.matching import OutcomeMatchScreen

        self.app.push_screen(OutcomeMatchScreen(self.session, self.saver), callback=lambda _: self.fill())

    def action_only_open(self) -> None:
        self.only_open = not self.only_open
        self.fill()

    @refuses_when_locked
    def action_new(self) -> None:
        item = self.current
        if item is None:
            return
        from appraise.tui.screens.dialogs import ChoiceDialog, PromptDialog

        choices = self._choices(item)

        def with_reason(answer: str | None) -> None:
            if answer is None:
                return

            def done(reason: str | None) -> None:
                if reason:
                    self._apply(item.key, answer=answer, reason=reason)

            self.app.push_screen(
                PromptDialog("Why this answer?", "Reason (recorded in the consensus file)"), callback=done
            )

        title = f"New answer for {self._short_key(item)}: {self._what(item)}"  # words, not the item's raw key
        if choices:
            self.app.push_screen(ChoiceDialog(title, choices), callback=with_reason)
        else:
            self.app.push_screen(PromptDialog(title, "Answer"), callback=with_reason)

    def _choices(self, item: ConsensusItem) -> list[tuple[str, str]]:
        checklist = self.session.checklist
        if item.kind == "answer" and item.target in checklist.questions:
            question = checklist.questions[item.target]
            return [(o.code, o.label) for o in question.options]
        if item.kind == "judgement" and item.target in checklist.judged:
            return [(j.code, j.label) for j in checklist.judged[item.target].judgements]
        if item.kind == "outcome" and checklist.outcomes is not None:
            if item.target == "primary":
                return [("true", "Primary outcome"), ("false", "Not the primary outcome")]
            options = checklist.outcomes.types if item.target == "type" else checklist.outcomes.findings
            return [(o.code, o.label) for o in options]
        return []
