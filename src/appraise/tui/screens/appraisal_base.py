"""What every appraisal screen shares: its state, its layout and how the slot on show is drawn.

`AppraisalScreen` is this base plus two sets of handlers, the paper's and saving's, each an
`AppraisalBase` subclass of its own: Textual registers `@on` handlers only on classes its
metaclass builds, so plain mixins would not do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import Input, Static, TextArea

from appraise.core.locks import UNLOCK_KEY
from appraise.core.session import Session, Slot
from appraise.files.store import AppraisalStore
from appraise.learning.glossary import try_load_glossary
from appraise.tui import views
from appraise.tui.render import flat, update_in_place
from appraise.tui.saving import AutoSaver
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter
from appraise.tui.widgets.navigator import SectionNavigator
from appraise.tui.widgets.paper_pane import WIDE, PaperPane
from appraise.tui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from appraise.learning.practice import Vignette

NARROW = 100
"""Below this many columns the navigator folds into a one-line strip."""


class TitleBar(Horizontal):
    """Study, checklist and the save state, which never hides when saving fails."""

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield Static(id="save-state", markup=False)


class AppraisalBase(AppScreen[None]):
    """The state and layout of an appraisal screen, and the drawing of the slot on show."""

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
        layout = (("narrow", width < NARROW), ("paper-full", width < WIDE), ("practice", practice is not None))
        classes = " ".join(c for c, on in layout if on)
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
                from textual.widgets import Markdown  # markdown-it: ~20 ms of start-up, for practice only

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
        self._show_lock()
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
        title = "Answer" if is_text else "Note — why this answer"
        note_area = self.query_one("#note", TextArea)
        if note_area.border_title != title:  # setting a border title repaints, even the same one
            note_area.border_title = title
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
        if kind == "ok" and self.session.locked is not None:
            text = f"locked ({UNLOCK_KEY} to unlock)" if not self.has_class("narrow") else f"locked ({UNLOCK_KEY})"
        self._update("#save-state", f"{self._checklist_tag()} · {text}" if kind == "ok" else text)
        state = self.query_one("#save-state", Static)
        state.set_class(kind == "error", "error")
        state.set_class(kind == "busy", "busy")

    # shared by the handlers -------------------------------------------------------------------

    def _show_lock(self) -> None:
        """The note and quote read-only, the page closed, while the appraisal is locked (marked complete)."""
        locked = self.session.locked is not None
        for selector in ("#note", "#quote"):
            area = self.query_one(selector, TextArea)
            if area.read_only != locked:
                area.read_only = locked
        page = self.query_one("#page", Input)
        if page.disabled != locked:
            page.disabled = locked

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

    @property
    def is_consensus(self) -> bool:
        """A consensus appraisal of two reviewers (it has a consensus record)."""
        return "consensus" in (self.session.appraisal.model_extra or {})

    def flush(self) -> str | None:
        """Save everything now (on quit); the reason when it could not."""
        return self.saver.flush()
