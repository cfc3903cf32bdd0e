"""Whether an appraisal may be changed: one marked complete is locked, read-only until unlocked with a reason.

The one home of that decision: the editing session refuses every change to a locked appraisal
(answers, notes, quotes, pages, outcomes, judgements, consensus items, undo) by raising
:class:`Locked`, whose message says who locked it and how to unlock it. Completing and unlocking
themselves (with the hash and the history) are :mod:`appraise.review.locking`.
"""

from __future__ import annotations

from typing import Any

from appraise.core.appraisal import Appraisal

COMPLETE = "complete"
"""The ``status:`` of a file its reviewer marked complete."""

UNLOCK_KEY = "L"
"""The app's key that marks complete or unlocks (with a reason)."""


class Locked(Exception):
    """A change to an appraisal marked complete: nothing was changed."""

    def __init__(self, by: str, at: str) -> None:
        super().__init__(f"marked complete by {by} at {at}: read-only")
        self.by, self.at = by, at

    def message(self, file: str = "FILE") -> str:
        """What the reader is told: who locked it, and the two ways to unlock it (each asks for a reason)."""
        return (
            f"Marked complete by {self.by} at {self.at}, so it is read-only. To change it, unlock it "
            f"with a reason: press {UNLOCK_KEY} here, or run `appraise unlock {file} --reason …`."
        )


def is_locked(appraisal: Appraisal) -> bool:
    """The reviewer marked this appraisal complete (``status: complete``)."""
    return (appraisal.model_extra or {}).get("status") == COMPLETE


def lock_of(appraisal: Appraisal) -> Locked | None:
    """Why this appraisal may not be changed (None when it may)."""
    if not is_locked(appraisal):
        return None
    done: Any = (appraisal.model_extra or {}).get("completed")
    done = done if isinstance(done, dict) else {}
    return Locked(str(done.get("by") or "someone"), str(done.get("at") or "an unknown time"))


def ensure_editable(appraisal: Appraisal) -> None:
    """Raise :class:`Locked` when the appraisal is marked complete."""
    locked = lock_of(appraisal)
    if locked is not None:
        raise locked


__all__ = ["COMPLETE", "UNLOCK_KEY", "Locked", "ensure_editable", "is_locked", "lock_of"]
