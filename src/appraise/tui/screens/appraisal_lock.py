"""Complete and unlock in the app: L marks the appraisal complete (locked) or unlocks it with a reason.

While it is locked the note and quote are read-only, the page cannot be typed in, the title bar
says so, and every key that would change it gives the one message of :mod:`appraise.tui.locked`.
"""

from __future__ import annotations

from appraise.core.locks import UNLOCK_KEY
from appraise.tui.screens.appraisal_base import AppraisalBase


class LockHandling(AppraisalBase):
    """The appraisal screen's complete / unlock action and its read-only fields."""

    def action_lock(self) -> None:
        """Mark complete (asks first), or unlock with a reason (kept in the file's history)."""
        from appraise.tui.screens.dialogs import ConfirmDialog, PromptDialog

        if self.session.locked is not None:
            self.app.push_screen(
                PromptDialog(
                    "Unlock this appraisal",
                    "Why is it reopened? (kept in the file's history)",
                    note="It was marked complete; unlocking makes it editable again.",
                ),
                callback=self._unlock,
            )
            return
        self.app.push_screen(
            ConfirmDialog(
                "Mark this appraisal complete?",
                "It is then locked: read-only here and in other copies of appraise, with who, when and a hash of the "
                f"answers kept in the file. Unlocking ({UNLOCK_KEY}) asks for a reason. A working "
                "discipline, not cryptography: the hash shows later edits, it cannot prevent them.",
                [("complete", "Complete and lock"), ("cancel", "Not yet")],
            ),
            callback=self._complete,
        )

    def _complete(self, choice: str | None) -> None:
        from appraise.review.locking import LockError, complete

        if choice != "complete":
            return
        try:
            done = complete(self.session.appraisal, self.app.who_am_i(self.session.appraisal))
        except LockError as error:
            self.notify(str(error), severity="error", markup=False, timeout=8)
            return
        self.saver.now()
        self.refresh_all()
        self.notify(f"Marked complete by {done['by']}: locked.", timeout=4, markup=False)

    def _unlock(self, reason: str | None) -> None:
        from appraise.review.locking import LockError, unlock

        if not reason:
            return
        try:
            unlock(self.session.appraisal, self.app.who_am_i(self.session.appraisal), reason)
        except LockError as error:
            self.notify(str(error), severity="error", markup=False, timeout=8)
            return
        self.saver.now()
        self.refresh_all()
        self.notify("Unlocked: you can change it again.", timeout=4, markup=False)
