"""Complete and lock an appraisal; unlock it with a reason; notice when a locked file was edited.

Marking a file complete writes ``status: complete`` and ``completed: {by, at, hash}``, where the
hash is a SHA-256 of the answers, outcomes and overrides. This is a working discipline, not
cryptography: anyone can edit the file and its hash, and appraise says so. What it gives a team is
a record (``validate`` warns when the answers no longer match the hash; unlocking asks for a
reason, kept in the file's history) and blind work (``appraise compare`` of a blind review shows
no reviewer's answers until every file is complete, unless ``--unblind REASON``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from typing import Any

from appraise.core.appraisal import Appraisal
from appraise.core.locks import COMPLETE, is_locked
from appraise.review import history


class LockError(ValueError):
    """Completing or unlocking that cannot be done (e.g. unlocking without a reason)."""


def answers_hash(appraisal: Appraisal) -> str:
    """SHA-256 of the answers, outcomes and overrides, in a canonical JSON form."""
    data = appraisal.to_data()
    canonical = {k: data.get(k) for k in ("answers", "outcome_answers", "outcomes", "overrides")}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _extra(appraisal: Appraisal) -> dict[str, Any]:
    assert appraisal.model_extra is not None  # Record models keep extra keys
    return appraisal.model_extra


def is_complete(appraisal: Appraisal) -> bool:
    """The reviewer marked this file complete (it is locked)."""
    return is_locked(appraisal)


def completion(appraisal: Appraisal) -> dict[str, Any]:
    """Who completed it, when, and the hash then ({} when not complete)."""
    value = _extra(appraisal).get("completed")
    return value if isinstance(value, dict) and is_complete(appraisal) else {}


def mark_complete(appraisal: Appraisal, by: str, *, now: _dt.datetime | None = None) -> None:
    """Lock the file: ``status: complete`` with who, when and the hash of the answers."""
    if is_complete(appraisal):
        raise LockError("this appraisal is already marked complete")
    who = by or appraisal.reviewer
    if not who:
        raise LockError(
            "say who completes it: --reviewer NAME, a 'reviewer:' in the file, or once for all files "
            "`appraise config reviewer NAME`"
        )
    extra = _extra(appraisal)
    extra["status"] = COMPLETE
    extra["completed"] = {"by": who, "at": history.stamp(now), "hash": answers_hash(appraisal)}


def complete(appraisal: Appraisal, by: str, *, now: _dt.datetime | None = None) -> dict[str, Any]:
    """Mark the file complete and note it in its history (what ``appraise complete`` and the app do)."""
    mark_complete(appraisal, by, now=now)
    done = completion(appraisal)
    history.append(appraisal, {"at": done["at"], "by": done["by"], "event": "marked complete"})
    return done


def unlock(appraisal: Appraisal, by: str, reason: str, *, now: _dt.datetime | None = None) -> None:
    """Unlock a complete file; the reason is kept in its history."""
    if not is_complete(appraisal):
        raise LockError("this appraisal is not marked complete, so there is nothing to unlock")
    if not reason.strip():
        raise LockError("unlocking needs a reason (it is kept in the file's history)")
    extra = _extra(appraisal)
    extra["status"] = "in_progress"
    extra.pop("completed", None)
    history.append(
        appraisal, {"at": history.stamp(now), "by": by or appraisal.reviewer, "event": "unlocked", "reason": reason}
    )


def hash_problem(appraisal: Appraisal) -> str:
    """A warning when a complete file's answers no longer match its hash ('' when they do)."""
    done = completion(appraisal)
    if not done:
        return ""
    if done.get("hash") != answers_hash(appraisal):
        return (
            f"marked complete by {done.get('by', '?')} at {done.get('at', '?')}, but the answers, outcomes or "
            "overrides changed since (the hash no longer matches): unlock it with a reason and complete it again"
        )
    return ""


__all__ = [
    "COMPLETE",
    "LockError",
    "answers_hash",
    "complete",
    "completion",
    "hash_problem",
    "is_complete",
    "mark_complete",
    "unlock",
]
