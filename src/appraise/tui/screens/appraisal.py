"""The appraisal screen: navigator, question card, note/quote/page, and why-it-matters help.

Its state and drawing are in `appraisal_base`, the paper's handlers in `appraisal_paper`, and
saving's in `appraisal_saving`; this module holds the keys: answering, moving and the actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.widgets import Input, Static, TextArea

from appraise.core.keys import unscope
from appraise.core.locks import UNLOCK_KEY
from appraise.core.session import Session, SupportField
from appraise.files.store import AppraisalStore
from appraise.tui import views
from appraise.tui.locked import refuses_when_locked
from appraise.tui.screens.appraisal_base import NARROW, AppraisalBase
from appraise.tui.screens.appraisal_lock import LockHandling
from appraise.tui.screens.appraisal_paper import PaperHandling
from appraise.tui.screens.appraisal_saving import SavingHandling
from appraise.tui.widgets.navigator import SectionNavigator
from appraise.tui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from appraise.learning.practice import Vignette

__all__ = ["NARROW", "AppraisalScreen", "ConsensusAppraisalScreen", "PracticeAppraisalScreen", "appraisal_screen"]


class AppraisalScreen(PaperHandling, SavingHandling, LockHandling):
    """Answer a checklist question by question, with the judgements live in the navigator."""

    BINDINGS = [
        # Footer order: what is used most, then help and quit, which must fit in 80 columns.
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("s", "judgements", "Judgements"),
        Binding("r", "report", "Report"),
        Binding("o", "outcomes", "Outcomes"),
        Binding("c", "copy_answers", "Copy answers", show=False),
        Binding("g", "glossary", "Glossary"),
        Binding("i", "toggle_help", "Why"),
        Binding("v", "toggle_vignette", "Vignette"),
        Binding("f", "feedback", "Feedback"),
        Binding("x", "resolve", "Resolve"),
        Binding("n", "toggle_navigator", "Sections", show=False),
        Binding("p", "toggle_paper", "Paper", show=False),  # listed in help: the 80-column footer is full
        # Shown only while typing in a field (where ? is typed, not read as help): see check_action.
        Binding("escape", "focus_card", "Back to question"),
        Binding("f1", "help_in_field", "Help", key_display="f1"),
        Binding("ctrl+z", "undo", "Undo", show=False),  # in a text field, ctrl+z undoes typing there first
        Binding(UNLOCK_KEY, "lock", "Complete / unlock", show=False),  # on the help screen
    ]

    def on_mount(self) -> None:
        self.query_one("#title", Static).update(self._title())
        self.query_one("#quote", TextArea).border_title = "Quote from the paper"
        self.query_one("#page", Input).border_title = "Page"
        blink = self.app.cursor_blink
        for area in self.query(TextArea):
            area.cursor_blink = blink
        self.query_one("#page", Input).cursor_blink = blink
        start = self._start if self._start is not None else self.session.first_open()
        self.set_reactive(AppraisalBase.index, min(start, len(self.session.slots) - 1))
        self.refresh_all()
        self.card.focus()
        self.set_interval(2.0, self._show_save_state)
        if self.session.appraisal.paper is not None or self.session.appraisal.documents:
            self.load_paper()  # in a worker: quotes get their checks once the text is ready
        self._ready = True
        if self.is_consensus:
            from appraise.review.consensus import ConsensusError, open_items

            try:
                waiting = len(open_items(self.session.appraisal))
            except ConsensusError as error:
                self.notify(str(error), severity="error", markup=False)
                waiting = 0
            if waiting:
                self.call_after_refresh(self.action_resolve)  # a consensus file opens on what is left to settle

    # answering ----------------------------------------------------------------------------------

    @on(QuestionCard.Chosen)
    @refuses_when_locked
    def _chosen(self, event: QuestionCard.Chosen) -> None:
        slot = self.slot
        if slot.question is None:
            self.action_outcomes()
            return
        code = self.session.choose(slot, event.number)
        if code is None:
            if self.session.status(slot) == "skipped":
                self.notify("This question is not asked for this study.", severity="warning", timeout=3)
            return
        self.saver.now()
        following = self.session.next_open(self.index)
        if following is None:
            self.refresh_judgements()
            self.notify("Every question that is asked has an answer. Press s for the judgements.", timeout=4)
        elif following == self.index:
            self.refresh_judgements()
        else:
            self.index = following

    @on(QuestionCard.Cleared)
    @refuses_when_locked
    def _cleared(self) -> None:
        if self.session.clear(self.slot):
            self.saver.now()
            self.refresh_judgements()

    @on(QuestionCard.Moved)
    def _moved(self, event: QuestionCard.Moved) -> None:
        if event.by_section:
            self._jump_section(event.delta)
            return
        self.index = max(0, min(len(self.session.slots) - 1, self.index + event.delta))

    @on(QuestionCard.NextOpen)
    def _next_open(self) -> None:
        following = self.session.next_open(self.index)
        if following is not None:
            self.index = following

    def _jump_section(self, delta: int) -> None:
        target = self.session.section_start(self.index, delta)
        if target != self.index:
            self.index = target

    @on(SectionNavigator.Jump)
    def _jump(self, event: SectionNavigator.Jump) -> None:
        section_id, outcome_id = unscope(event.target)
        for i, slot in enumerate(self.session.slots):
            if slot.section.id == section_id and (not outcome_id or slot.outcome_id == outcome_id):
                self.index = i
                break
        else:
            if section_id == "overall":
                self.action_judgements()
                return
        self.card.focus()

    def jump_to(self, question_id: str, outcome_id: str | None = None) -> None:
        """Show a question (used by the command palette)."""
        for i, slot in enumerate(self.session.slots):
            if (
                slot.question
                and slot.question.id == question_id
                and (outcome_id is None or slot.outcome_id == outcome_id)
            ):
                self.index = i
                self.card.focus()
                return

    # note, quote, page --------------------------------------------------------------------------

    @on(TextArea.Changed, "#note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        is_text = self.slot.question is not None and self.slot.question.kind == "text"
        self._support_changed("answer" if is_text else "note", event.text_area.text)

    @on(TextArea.Changed, "#quote")
    def _quote_changed(self, event: TextArea.Changed) -> None:
        self._support_changed("quote", event.text_area.text)

    @on(Input.Changed, "#page")
    def _page_changed(self, event: Input.Changed) -> None:
        self._support_changed("page", event.value)

    def _support_changed(self, field: SupportField, value: str) -> None:
        if self._loading or self.slot.question is None:
            return
        record = self.session.record(self.slot)
        current = (getattr(record, field) if record else None) or ""
        if current == value:
            return
        if self.session.locked is not None:
            self._load_support(self.slot)  # put back what the locked file says (the fields are read-only)
        self._set_support(field, value)

    @refuses_when_locked
    def _set_support(self, field: SupportField, value: str) -> None:
        self.session.set_support(self.slot, field, value)
        self.saver.soon()
        self._show_save_state()
        if field in {"quote", "page"}:
            self._show_quote_check()  # a few milliseconds even for a long paper (bench/paper.py)
        if field == "answer":
            self.refresh_judgements()

    # actions ------------------------------------------------------------------------------------

    def action_focus_card(self) -> None:
        self.card.focus()

    def action_toggle_help(self) -> None:
        # Wide: the panel shows until hidden. Narrow: it folds away until asked for.
        self.toggle_class("show-help" if self.has_class("narrow") else "hide-help")

    def action_toggle_navigator(self) -> None:
        self.toggle_class("show-nav")

    def action_glossary(self) -> None:
        from appraise.tui.screens.glossary import GlossaryScreen

        self.app.push_screen(GlossaryScreen(views.question_terms(self.slot, self.glossary), self.glossary))

    def action_toggle_vignette(self) -> None:
        if self.practice is not None:
            self.toggle_class("show-vignette" if self.has_class("narrow") else "hide-vignette")

    def action_feedback(self) -> None:
        if self.practice is None:
            return
        from appraise.learning.practice import score
        from appraise.tui.screens.practice import PracticeFeedbackScreen

        feedback = score(self.session.appraisal, self.practice, self.session.checklist)
        self.app.push_screen(PracticeFeedbackScreen(feedback))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"focus_card", "help_in_field"} and not isinstance(self.focused, (TextArea, Input)):
            return False  # off the fields ? is help (f1 still opens it), and escape has nowhere to go back to
        if action in {"toggle_vignette", "feedback"} and self.practice is None:
            return False  # only practice appraisals offer these (and show them in the footer)
        # Only consensus appraisals have disagreements to resolve.
        return not (action == "resolve" and not self.is_consensus)

    def action_help_in_field(self) -> None:
        self.app.action_help()

    def action_resolve(self) -> None:
        if not self.is_consensus:
            return
        from appraise.tui.screens.resolve import ResolveScreen

        self.app.push_screen(ResolveScreen(self.session, self.saver), callback=lambda _: self.refresh_all())

    def action_judgements(self) -> None:
        from appraise.tui.screens.judgements import JudgementsScreen

        self.app.push_screen(JudgementsScreen(self.session, self.saver), callback=lambda _: self.refresh_all())

    def action_report(self) -> None:
        from appraise.tui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen(self.session, self.store.path))

    def action_outcomes(self) -> None:
        from appraise.tui.screens.outcomes import OutcomesScreen

        key = self.slot.key
        self.app.push_screen(OutcomesScreen(self.session, self.saver), callback=lambda _: self._after_outcomes(key))

    def _after_outcomes(self, key: tuple[str, str | None]) -> None:
        self.set_reactive(AppraisalBase.index, self.session.index_near(key, self.index))
        self.refresh_all()

    @refuses_when_locked
    def action_copy_answers(self) -> None:
        slot = self.slot
        others = [o for o in self.session.appraisal.outcomes if o.id != slot.outcome_id]
        if not slot.section.per_outcome or slot.outcome_id is None or not others:
            self.notify("Copying answers works in a per-outcome section once there are two outcomes.", timeout=4)
            return
        from appraise.tui.screens.dialogs import ChoiceDialog

        target = slot.outcome_id

        def copy(source: str | None) -> None:
            if source:
                count = self.session.copy_answers(source, target)
                self.saver.now()
                self.refresh_all()
                name = views.outcome_label(self.session, source)
                self.notify(f"Copied {count} answer(s) from {name} into unanswered questions.", markup=False)

        self.app.push_screen(
            ChoiceDialog(
                "Copy answers from which outcome?",
                [(o.id, o.label) for o in others],
                note="Only questions without an answer are filled in.",
            ),
            callback=copy,
        )


class PracticeAppraisalScreen(AppraisalScreen):
    """A practice appraisal: the footer offers feedback and the vignette in place of report and outcomes.

    Both still work (and are on the help screen); 80 columns hold only so many keys.
    """

    BINDINGS = [
        Binding("r", "report", "Report", show=False),
        Binding("o", "outcomes", "Outcomes", show=False),
    ]


class ConsensusAppraisalScreen(AppraisalScreen):
    """A consensus appraisal: the footer offers resolving in place of outcomes."""

    BINDINGS = [Binding("o", "outcomes", "Outcomes", show=False)]


def appraisal_screen(
    session: Session, store: AppraisalStore, *, start: int | None, width: int, practice: Vignette | None
) -> AppraisalScreen:
    """The appraisal screen for this kind of appraisal (ordinary, practice or consensus)."""
    cls: type[AppraisalScreen] = AppraisalScreen
    if practice is not None:
        cls = PracticeAppraisalScreen
    elif "consensus" in (session.appraisal.model_extra or {}):
        cls = ConsensusAppraisalScreen
    return cls(session, store, start=start, width=width, practice=practice)
