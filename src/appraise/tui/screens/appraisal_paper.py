"""The paper beside the questions: attach it, read it, quote from it, find it again when moved."""

from __future__ import annotations

from pathlib import Path

from textual import on, work

from appraise.tui.locked import refuses_when_locked
from appraise.tui.screens.appraisal_base import AppraisalBase
from appraise.tui.widgets.paper_pane import PaperPane


class PaperHandling(AppraisalBase):
    """The appraisal screen's handlers for the paper pane and attaching documents."""

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
    @refuses_when_locked
    def _captured(self, event: PaperPane.Captured) -> None:
        slot = self.slot
        if slot.question is None or self.session.status(slot) == "skipped":
            self.notify("Go to a question that is asked, then quote the passage.", severity="warning", timeout=4)
            return
        self.session.set_support(slot, "quote", event.quote)
        self.session.set_support(slot, "page", event.page)
        self.saver.now()
        self._load_support(slot)
        self._show_save_state()
        self.notify(f"Quote for {slot.question.id} saved (p. {event.page}).", timeout=3, markup=False)
