"""The appraisal screen: navigator, question card, note/quote/page, and why-it-matters help."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import Input, Markdown, Static, TextArea

from appraise.core.keys import card_section, unscope
from appraise.core.session import Session, Slot, SupportField
from appraise.files.store import AppraisalStore
from appraise.learning.glossary import try_load_glossary
from appraise.learning.practice import Vignette
from appraise.tui import views
from appraise.tui.render import flat, update_in_place
from appraise.tui.saving import AutoSaver, ChangedOnDisk, Saved, SaveFailed, undo_and_save
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter
from appraise.tui.widgets.navigator import SectionNavigator
from appraise.tui.widgets.paper_pane import WIDE, PaperPane
from appraise.tui.widgets.question_card import QuestionCard

NARROW = 100
"""Below this many columns the navigator folds into a one-line strip."""

RETRY_SECONDS = 3.0


class TitleBar(Horizontal):
    """Study, checklist and the save state, which never hides when saving fails."""

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield Static(id="save-state", markup=False)


class AppraisalScreen(AppScreen[None]):
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
        Binding("escape", "focus_card", "Back to question", show=False),
        Binding("ctrl+z", "undo", "Undo", show=False),  # in a text field, ctrl+z undoes typing there first
    ]

    index: var[int] = var(0, init=False)
    """Which slot is on show. A var, not a reactive: a reactive on a screen repaints the whole screen."""

    def __init__(
        self,
        session: Session,
        store: AppraisalStore,
        *,
        start: int | None = None,
        width: int = 120,
        practice: Vignette | None = None,
    ) -> None:
        # Knowing the layout classes before the first styling saves restyling every widget on mount.
        classes = " ".join(c for c, on in (("narrow", width < NARROW), ("practice", practice is not None)) if on)
        super().__init__(classes=classes)
        self.practice = practice
        """The vignette being practised on, if this is a practice appraisal."""
        self.glossary = try_load_glossary()
        self.session = session
        self.store = store
        self.saver = AutoSaver(self, store, session)
        self._start = start
        self._loading = False
        self._shown: dict[str, Text | str] = {}
        self._ready = False
        from appraise.review.folder import review_of

        review = review_of(store.path)
        self.guidance = review.guidance if review is not None else {}
        """The review's own guidance per question (review.yaml of a review folder), shown in the help."""

    # layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="body"):
            yield SectionNavigator(id="nav")
            with VerticalScroll(id="main"):
                yield Static(id="strip", markup=False)
                yield QuestionCard(id="card")
                with Vertical(id="support"):
                    yield TextArea(id="note", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
                    yield TextArea(id="quote", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
                    yield Input(id="page", placeholder="e.g. 6, Table 2", max_length=40)
                yield Static(id="help", markup=False)
            if self.practice is not None:
                with VerticalScroll(id="vignette"):
                    yield Markdown(f"## {self.practice.title}\n\n*{self.practice.subtitle}*\n\n{self.practice.text}")
            yield PaperPane(id="paper")
        yield FittingFooter()

    @property
    def slot(self) -> Slot:
        """The slot on show."""
        return self.session.slots[self.index]

    @property
    def card(self) -> QuestionCard:
        return self.query_one(QuestionCard)

    def on_mount(self) -> None:
        self.query_one("#title", Static).update(self._title())
        self.query_one("#quote", TextArea).border_title = "Quote from the paper"
        self.query_one("#page", Input).border_title = "Page"
        blink = self.app.cursor_blink
        for area in self.query(TextArea):
            area.cursor_blink = blink
        self.query_one("#page", Input).cursor_blink = blink
        start = self._start if self._start is not None else self.session.first_open()
        self.set_reactive(AppraisalScreen.index, min(start, len(self.session.slots) - 1))
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

    def _title(self) -> Text:
        study = self.session.appraisal.study
        text = Text.assemble(("appraise", "bold"), " ─ ", flat(study.label, 40, "bold"))
        if study.title and study.title != study.label:
            text.append(" ─ ")
            text.append(flat(study.title, 200))
        return text

    def _checklist_tag(self) -> str:
        checklist = self.session.checklist
        return f"{checklist.id} v{checklist.version}"

    def on_screen_resume(self) -> None:
        # Back from judgements, outcomes or resolve (popped or dismissed): show what changed there,
        # and give the keys back to the question if the closed dialog had the focus.
        if not self._ready:
            return  # the first resume comes before on_mount has shown anything
        self.refresh_all()
        if self.focused is None:
            self.card.focus()

    def on_resize(self) -> None:
        self._fit_width(self.size.width)

    def _fit_width(self, width: int) -> None:
        if self.has_class("narrow") != (width < NARROW):
            self.set_class(width < NARROW, "narrow")
        if self.has_class("paper-full") != (width < WIDE):
            self.set_class(width < WIDE, "paper-full")

    # showing ------------------------------------------------------------------------------------

    def watch_index(self) -> None:
        self.refresh_all()
        self.app.remember_position(self.store.path, self.slot.key)

    def refresh_all(self) -> None:
        """Show the current slot everywhere (cheap: plain text updates, no remounting)."""
        slot = self.slot
        self.refresh_judgements()
        help_text = views.help_text(slot, self.glossary, self.guidance)
        if self._shown.get("#help") != help_text:
            self._shown["#help"] = help_text
            update_in_place(self.query_one("#help", Static), help_text)
        self._load_support(slot)
        self._show_save_state()
        paper = self.query_one(PaperPane)
        paper.cues = list(slot.question.look_for) if slot.question else []
        paper.question_label = f"Question {slot.question.id}" if slot.question else ""

    def refresh_judgements(self) -> None:
        """After an answer: the card, navigator and strip change; the support fields do not."""
        palette = self.app.palette
        self.card.show(views.card_view(self.session, self.index, self.glossary))
        self.query_one(SectionNavigator).show(views.nav_entries(self.session, self.slot, palette))
        self._update("#strip", views.strip(self.session, self.slot, palette), layout=False)

    def _update(self, selector: str, content: Text | str, *, layout: bool = True) -> None:
        """Update a Static only when its content changed: unchanged widgets cost no repaint."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector, Static).update(content, layout=layout)

    def _load_support(self, slot: Slot) -> None:
        record = self.session.record(slot)
        is_text = slot.question is not None and slot.question.kind == "text"
        support = self.query_one("#support")
        visible = slot.question is not None and self.session.status(slot) != "skipped"
        if support.display != visible:
            support.display = visible
        self.query_one("#note", TextArea).border_title = "Answer" if is_text else "Note — why this answer"
        self._loading = True
        try:
            note = (record.answer if is_text else record.note) if record else ""
            self._set_area("#note", note or "")
            self._set_area("#quote", record.quote if record else "")
            page = self.query_one("#page", Input)
            if page.value != (record.page if record else ""):
                page.value = record.page if record else ""
        finally:
            self._loading = False
        self._show_quote_check()

    def _set_area(self, selector: str, text: str) -> None:
        area = self.query_one(selector, TextArea)
        if area.text != text:
            area.load_text(text)

    def _show_save_state(self) -> None:
        text, kind = self.saver.status()
        self._update("#save-state", f"{self._checklist_tag()} · {text}" if kind == "ok" else text)
        state = self.query_one("#save-state", Static)
        state.set_class(kind == "error", "error")
        state.set_class(kind == "busy", "busy")

    # answering ----------------------------------------------------------------------------------

    @on(QuestionCard.Chosen)
    def _chosen(self, event: QuestionCard.Chosen) -> None:
        slot = self.slot
        if slot.question is None:
            self.action_outcomes()
            return
        if self._refuse_locked():
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

    def _refuse_locked(self) -> bool:
        """A file marked complete is read-only here: say so and how to unlock it."""
        from appraise.review.locking import completion

        done = completion(self.session.appraisal)
        if not done:
            return False
        self.notify(
            f"Marked complete by {done.get('by', '?')} at {done.get('at', '?')}: read-only. "
            f"To change it: appraise unlock {self.store.path.name} --reason …",
            severity="warning",
            markup=False,
            timeout=6,
        )
        return True

    @on(QuestionCard.Cleared)
    def _cleared(self) -> None:
        if self._refuse_locked():
            return
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
        slots = self.session.slots
        here = (self.slot.section.id, self.slot.outcome_id)
        starts = [
            i
            for i, s in enumerate(slots)
            if i == 0 or (slots[i - 1].section.id, slots[i - 1].outcome_id) != (s.section.id, s.outcome_id)
        ]
        position = max(i for i, start in enumerate(starts) if start <= self.index)
        target = max(0, min(len(starts) - 1, position + delta))
        if (slots[starts[target]].section.id, slots[starts[target]].outcome_id) != here or delta:
            self.index = starts[target]

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
        if self._refuse_locked():
            self._load_support(self.slot)  # put back what the locked file says
            return
        self.session.set_support(self.slot, field, value)
        self.saver.soon()
        self._show_save_state()
        if field in {"quote", "page"}:
            self._show_quote_check()  # a few milliseconds even for a long paper (bench/paper.py)
        if field == "answer":
            self.refresh_judgements()

    # the paper ----------------------------------------------------------------------------------

    def load_paper(self) -> None:
        """(Re)read the attached paper in a worker, for the pane and the quote checks."""
        page = self.app.state.paper_page(self.store.path)
        self.query_one(PaperPane).load(self.session.appraisal, self.store.path, page)

    def ask_attach(self, role: str | None = None) -> None:
        """Ask for a file and attach it as the paper (or as a ``role`` document)."""
        from appraise.tui.screens.dialogs import PromptDialog

        what = "the paper" if role is None else f"the {role}"

        def chosen(value: str | None) -> None:
            if value:
                self.attach(Path(value).expanduser(), role)

        self.app.push_screen(
            PromptDialog(
                f"Attach {what}",
                "File (PDF, text, Markdown or HTML)",
                note="Its text is read once and kept in the cache; the appraisal records its path and hash.",
            ),
            callback=chosen,
        )

    def ask_attach_other(self) -> None:
        """Choose what the other document is, then ask for it."""
        from appraise.files.papers import ROLES
        from appraise.tui.screens.dialogs import ChoiceDialog

        self.app.push_screen(
            ChoiceDialog("What is the document?", [(r, r.capitalize()) for r in ROLES]),
            callback=lambda role: self.ask_attach(role) if role else None,
        )

    def attach(self, paper: Path, role: str | None = None) -> None:
        """Attach a file: its text is read in a worker; one that cannot be read is explained."""
        if not self.app.may_use(paper):  # a served classroom reads no file outside its own folder
            return
        if not paper.is_file():
            self.notify(f"{paper}: no such file", severity="error", markup=False)
            return
        self._read_attachment(paper, role)

    @work(thread=True, group="attach")
    def _read_attachment(self, paper: Path, role: str | None) -> None:
        from appraise.files.papers import PaperError, extract

        try:
            extract(paper)  # the slow part, off the UI thread; attaching then reads the cache
        except PaperError as error:
            self.app.call_from_thread(self._attach_failed, str(error))
            return
        self.app.call_from_thread(self._attach_read, paper, role)

    def _attach_failed(self, reason: str) -> None:
        self.notify(f"{reason}. The appraisal goes on without it.", severity="error", timeout=10, markup=False)

    def _attach_read(self, paper: Path, role: str | None) -> None:
        from appraise.files.papers import PaperError
        from appraise.files.papers import attach as attach_paper

        try:
            attach_paper(self.session.appraisal, self.store.path, paper, role)
        except PaperError as error:
            self._attach_failed(str(error))
            return
        self.saver.now()
        if role is None and not self.has_class("show-paper"):
            self.notify(f"Attached {paper.name}. Press p to read it.", timeout=4, markup=False)
        else:
            self.notify(f"Attached {paper.name}.", timeout=3, markup=False)
        self.load_paper()

    def action_toggle_paper(self) -> None:
        pane = self.query_one(PaperPane)
        self._fit_width(self.size.width)
        if self.has_class("show-paper"):
            self.remove_class("show-paper")
            self.card.focus()
            return
        self.add_class("show-paper")
        if pane.view is None and not pane.is_loading_paper:
            self.load_paper()
        pane.area.focus()
        if pane.view is not None and pane.view.missing:
            self._ask_where(pane.view.missing)

    @on(PaperPane.Left)
    def _paper_left(self) -> None:
        if self.has_class("paper-full"):  # full screen: the questions come back in its place
            self.remove_class("show-paper")
        self.card.focus()

    @on(PaperPane.Loaded)
    def _paper_loaded(self) -> None:
        self._show_quote_check()
        view = self.query_one(PaperPane).view
        if view is not None and view.missing and self.has_class("show-paper"):
            self._ask_where(view.missing)

    def _ask_where(self, missing: str) -> None:
        """The paper is not where it was, nor in the appraisal's folder: ask where it is now."""
        from appraise.tui.screens.dialogs import PromptDialog

        def chosen(value: str | None) -> None:
            if value:
                self.attach(Path(value).expanduser())

        self.app.push_screen(
            PromptDialog(
                "Where is the paper now?",
                "File",
                note=f"{missing} is not where it was, nor anywhere in the appraisal's folder. "
                "Give its path to attach it again; escape reads on without it (quotes stay unchecked).",
            ),
            callback=chosen,
        )

    @on(PaperPane.Turned)
    def _paper_turned(self, event: PaperPane.Turned) -> None:
        self.app.state.remember_paper_page(self.store.path, event.page)
        self.app.remember_position(self.store.path, self.slot.key)  # saved with the positions, not at once

    @on(PaperPane.Captured)
    def _captured(self, event: PaperPane.Captured) -> None:
        slot = self.slot
        if self._refuse_locked():
            return
        if slot.question is None or self.session.status(slot) == "skipped":
            self.notify("Go to a question that is asked, then quote the passage.", severity="warning", timeout=4)
            return
        self.session.set_support(slot, "quote", event.quote)
        self.session.set_support(slot, "page", event.page)
        self.saver.now()
        self._load_support(slot)
        self._show_save_state()
        self.notify(f"Quote for {slot.question.id} saved (p. {event.page}).", timeout=3, markup=False)

    def _show_quote_check(self) -> None:
        """The quote's check against the paper, beside the quote (nothing when no paper is attached)."""
        area = self.query_one("#quote", TextArea)
        record = self.session.record(self.slot) if self.slot.question is not None else None
        corpus = self.query_one(PaperPane).corpus
        appraisal = self.session.appraisal
        if not record or not record.quote or (appraisal.paper is None and not appraisal.documents):
            subtitle = ""
        elif corpus is None:
            pane = self.query_one(PaperPane)
            subtitle = "? reading the paper…" if pane.view is None else f"? not checked ({pane.view.problem})"
        else:
            check = corpus.check(record.quote, record.page)
            subtitle = f"{check.mark} {check.describe()}"
        if area.border_subtitle != subtitle:
            area.border_subtitle = subtitle
            area.set_class(subtitle.startswith("✗"), "quote-not-found")

    # saving -------------------------------------------------------------------------------------

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.saver.saved(event.revision)
        self._show_save_state()

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        first = self.saver.failure is None
        self.saver.failure = event.reason
        self._show_save_state()
        if first:
            self.notify(
                f"Could not save {self.store.path.name}: {event.reason}. Your answers are kept in the app; retrying.",
                severity="error",
                timeout=8,
                markup=False,
            )
        self.set_timer(RETRY_SECONDS, self._retry)

    def _retry(self) -> None:
        if self.saver.failure is not None:
            self.saver.now()

    @on(ChangedOnDisk)
    def _changed_on_disk(self) -> None:
        if self.saver.on_hold:
            return
        self.saver.on_hold = True
        self._show_save_state()
        self.app.ask_about_external_change(self)

    def resume_saving(self, overwrite: bool) -> None:
        """After the reader decided about an external change: overwrite it, or keep waiting."""
        self.saver.on_hold = False
        if overwrite:
            self.store.adopt()
            self.saver.now()
        self._show_save_state()

    def reload_from(self, fresh: AppraisalScreen) -> None:
        """Show the file as it is now: take over the session and store of a screen made from it."""
        self.saver.stop()
        self.session, self.store, self.saver = fresh.session, fresh.store, AutoSaver(self, fresh.store, fresh.session)
        self._shown.clear()
        self.query_one("#title", Static).update(self._title())
        self.set_reactive(AppraisalScreen.index, min(self.index, len(self.session.slots) - 1))
        self.refresh_all()
        self.card.focus()

    # actions ------------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the last change to answers, notes, outcomes or judgements, and show where it was."""
        change = undo_and_save(self, self.session, self.saver)
        if change is None:
            return
        found = self.session.index_of(change.key) if change.key else None
        self.set_reactive(
            AppraisalScreen.index, min(found if found is not None else self.index, len(self.session.slots) - 1)
        )
        self.refresh_all()
        self.app.remember_position(self.store.path, self.slot.key)
        self.notify(f"Undone: {change.what}.", timeout=3, markup=False)

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
        if action in {"toggle_vignette", "feedback"} and self.practice is None:
            return False  # only practice appraisals offer these (and show them in the footer)
        # Only consensus appraisals have disagreements to resolve.
        return not (action == "resolve" and not self.is_consensus)

    @property
    def is_consensus(self) -> bool:
        """A consensus appraisal of two reviewers (it has a consensus record)."""
        return "consensus" in (self.session.appraisal.model_extra or {})

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
        found = self.session.index_of(key)
        if found is None:  # the placeholder became real questions, or the outcome was removed
            section = card_section(key[0]) or key[0]
            found = next(
                (
                    i
                    for i, s in enumerate(self.session.slots)
                    if s.section.id == section or (s.question and s.question.id == key[0])
                ),
                self.index,
            )
        self.set_reactive(AppraisalScreen.index, min(found, len(self.session.slots) - 1))
        self.refresh_all()

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

    def flush(self) -> str | None:
        """Save everything now (on quit); the reason when it could not."""
        return self.saver.flush()


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
