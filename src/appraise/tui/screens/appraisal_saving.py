"""Saving as the reader works: the save state, failures retried, a file changed elsewhere, undo."""

from __future__ import annotations

from textual import on
from textual.widgets import Static

from appraise.tui.locked import refuses_when_locked
from appraise.tui.saving import AutoSaver, ChangedOnDisk, Saved, SaveFailed, undo_and_save
from appraise.tui.screens.appraisal_base import AppraisalBase

RETRY_SECONDS = 3.0


class SavingHandling(AppraisalBase):
    """The appraisal screen's handlers for the autosaver's messages, reloading and undo."""

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

    def on_unmount(self) -> None:
        """The screen is gone (the app ends, or the file was reopened): its writer finishes what is queued and ends.

        Quitting saves first (``flush``); without this, a screen closed another way (the app told to exit, a
        test ending) kept its writer thread waiting for ever, and with it the screen and its appraisal.
        """
        self.saver.stop()

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

    def reload_from(self, fresh: AppraisalBase) -> None:
        """Show the file as it is now: take over the session and store of a screen made from it."""
        self.saver.stop()
        self.session, self.store, self.saver = fresh.session, fresh.store, AutoSaver(self, fresh.store, fresh.session)
        self._shown.clear()
        self.query_one("#title", Static).update(self._title())
        self.set_reactive(AppraisalBase.index, min(self.index, len(self.session.slots) - 1))
        self.refresh_all()
        self.card.focus()

    @refuses_when_locked
    def action_undo(self) -> None:
        """Undo the last change to answers, notes, outcomes or judgements, and show where it was."""
        change = undo_and_save(self, self.session, self.saver)
        if change is None:
            return
        found = self.session.index_of(change.key) if change.key else None
        self.set_reactive(
            AppraisalBase.index, min(found if found is not None else self.index, len(self.session.slots) - 1)
        )
        self.refresh_all()
        self.app.remember_position(self.store.path, self.slot.key)
        self.notify(f"Undone: {change.what}.", timeout=3, markup=False)
