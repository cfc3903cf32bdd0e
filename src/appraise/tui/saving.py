"""Autosave for the app: answers saved at once, typed text within a second, never out of order.

Snapshots are taken on the app's thread and written on a worker thread; the store's lock and
revision numbers make sure an older snapshot never overwrites a newer one. Failures are reported
as messages (shown in the title bar, retried), never swallowed.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from appraise.core.session import Change, Session
from appraise.files.atomic import describe_os_error
from appraise.files.store import AppraisalStore
from appraise.files.store import ChangedOnDisk as _Changed

TYPING_DELAY = 0.8
"""Seconds of quiet typing before text is saved."""
MAX_WAIT = 1.0
"""Seconds after the first unsaved key by which text is saved, even while typing goes on."""


def typing_delay(first_unsaved: float, now: float) -> float:
    """How long to wait before saving: a quiet spell, but never past the maximum wait."""
    return max(0.0, min(TYPING_DELAY, first_unsaved + MAX_WAIT - now))


class Saved(Message):
    """A snapshot reached the disk."""

    def __init__(self, revision: int) -> None:
        self.revision = revision
        super().__init__()


class SaveFailed(Message):
    """Writing failed (read-only folder, disk full…); the app keeps running and retries."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__()


class ChangedOnDisk(Message):
    """Something else changed the file since we read or wrote it; ask before writing over it."""


class AutoSaver:
    """Saves one session's appraisal through one store, on behalf of a widget (the screen).

    One writer thread per appraisal takes snapshots from a queue, skips to the newest one when
    several are waiting, writes it and reports back with a message. Snapshots are plain data
    taken on the app's thread, so the thread never reads a model that the reader is changing.
    """

    def __init__(self, owner: Widget, store: AppraisalStore, session: Session) -> None:
        self.owner = owner
        self.store = store
        self.session = session
        self._timer: Timer | None = None
        self._first_unsaved: float | None = None
        self._queue: queue.SimpleQueue[tuple[int, dict[str, Any]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.latest = 0
        self.written = 0
        self.failure: str | None = None
        self.saved_at: float | None = None
        self.on_hold = False
        """True while the reader decides what to do about a file changed by someone else."""

    def soon(self) -> None:
        """Save after a short quiet spell (typing), and at most ~1 s after the first unsaved key."""
        now = time.monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        if self._timer is not None:
            self._timer.stop()
        delay = typing_delay(self._first_unsaved, now)
        if delay <= 0:  # the maximum wait is over; a zero-second timer that fires late crashes Textual
            self.now()
            return
        self._timer = self.owner.set_timer(delay, self.now)

    def now(self) -> None:
        """Save at once, off the app's thread."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._first_unsaved = None
        self.latest, data = self.store.snapshot_data(self.session.appraisal)
        if self.on_hold:
            return
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name=f"save {self.store.path.name}", daemon=True)
            self._thread.start()
        self._queue.put((self.latest, data))

    def stop(self) -> None:
        """Let the writer thread finish what is queued and end."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            while item is not None:  # skip to the newest snapshot waiting
                try:
                    newer = self._queue.get_nowait()
                except queue.Empty:
                    break
                if newer is None:
                    self._write(*item)
                    return
                item = newer
            if item is None:
                return
            self._write(*item)

    def _write(self, revision: int, data: dict[str, Any]) -> None:
        try:
            self.store.write_data(revision, data)  # checks for a change on disk in the same step
        except _Changed:
            self.owner.post_message(ChangedOnDisk())
            return
        except OSError as error:
            self.owner.post_message(SaveFailed(_reason(error)))
            return
        except Exception as error:  # a bug must not end the writer thread silently: say it, and retry
            self.owner.post_message(SaveFailed(f"{type(error).__name__}: {error}"))
            return
        self.owner.post_message(Saved(revision))

    def saved(self, revision: int) -> None:
        """Note a successful write (called from the owner's message handler)."""
        self.written = max(self.written, revision)
        self.failure = None
        self.saved_at = time.monotonic()

    def flush(self) -> str | None:
        """Save synchronously (on quit). Returns why it could not, or None when all is on disk."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.stop()
        self._first_unsaved = None
        revision, data = self.store.snapshot_data(self.session.appraisal)
        self.latest = revision
        try:
            self.store.write_data(revision, data)  # an unchanged appraisal is not written at all
        except _Changed:
            return "changed on disk"
        except OSError as error:
            self.failure = _reason(error)
            return self.failure
        self.saved(revision)
        return None

    @property
    def pending(self) -> bool:
        """Whether a change is waiting to be written: typed text on its timer, or a snapshot on the thread.

        ``written`` only moves when the owner has handled the ``Saved`` message, so this stays true
        until the write has both reached the disk and been reported back to the app.
        """
        return self._timer is not None or self.written < self.latest

    def status(self) -> tuple[str, str]:
        """(text, kind) for the title bar; kind is ``ok``, ``busy`` or ``error``."""
        if self.failure:
            return f"not saved — {self.failure}; retrying", "error"
        if self.on_hold:
            return "not saved — the file changed on disk", "error"
        if self._timer is not None:  # typing; an immediate save lands in milliseconds, no need to flash
            return "saving…", "busy"
        if self.saved_at is None:
            return "no changes yet", "ok"
        seconds = int(time.monotonic() - self.saved_at)
        return ("saved just now" if seconds < 3 else f"saved {_ago(seconds)} ago"), "ok"


def _ago(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _reason(error: OSError) -> str:
    import errno

    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder is read-only"
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    return describe_os_error(error)


def undo_and_save(widget: Widget, session: Session, saver: AutoSaver) -> Change | None:
    """Take back the session's last change and save at once; say so when there is nothing to undo."""
    change = session.undo()
    if change is None:
        widget.notify("Nothing to undo since the file was opened.", timeout=3)
        return None
    saver.now()
    return change
