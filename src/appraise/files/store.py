"""Write appraisal files: atomically, and through one store per file so no write is lost or out of order.

Reading lives in :mod:`appraise.files.loading` and checking in :mod:`appraise.files.checking`;
both are re-exported here, where callers have always found them.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

from appraise.core.appraisal import Appraisal, ChecklistRef, Study
from appraise.core.checklist import Checklist
from appraise.files.atomic import atomic_write_text, clean_stale_temporaries, folder_lock
from appraise.files.checking import check_appraisal
from appraise.files.history_text import KEY as HISTORY
from appraise.files.history_text import Split
from appraise.files.loading import LoadedAppraisal, load_appraisal, read_appraisal
from appraise.files.textcache import FileText
from appraise.files.yamlio import Document, dump

HEADER = "# An appraisal made with appraise. Safe to edit by hand; `appraise validate FILE` checks it.\n"


def new_appraisal(checklist: Checklist, study: Study | None = None, reviewer: str = "") -> Appraisal:
    """A blank appraisal of ``study`` with ``checklist``."""
    return Appraisal(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        study=study or Study(),
        reviewer=reviewer,
    )


def to_yaml(appraisal: Appraisal) -> str:
    """The text of an appraisal file."""
    return to_text(appraisal.to_data())


def to_text(data: dict[str, Any]) -> str:
    """The text of an appraisal file from its plain data (see :meth:`Appraisal.to_data`).

    The history is written last, where later saves append to it without rewriting it.
    """
    if HISTORY in data and next(reversed(data)) != HISTORY:
        data = {**{k: v for k, v in data.items() if k != HISTORY}, HISTORY: data[HISTORY]}
    return HEADER + dump(data)


def write_appraisal(path: Path | str, appraisal: Appraisal) -> None:
    """Write an appraisal file atomically (a crash leaves the old file or the new, never half)."""
    atomic_write_text(Path(path), to_yaml(appraisal))


def write_over(path: Path | str, appraisal: Appraisal) -> None:
    """Write an appraisal back over the file it was read from, keeping the user's comments, order and style.

    For commands that change a file the user may have written by hand (complete, unlock, attach):
    the same round-trip edit the app's saves use, else the plain text when the file cannot be kept.
    """
    from appraise.files.roundtrip import edit_text

    target = Path(path)
    data = _data(appraisal)
    try:
        original: str | None = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        original = None
    text = edit_text(original, data, check=_as_data, last=HISTORY) if original is not None else None
    with folder_lock(target.parent):
        atomic_write_text(target, text if text is not None else to_text(data))


def _signature(path: Path) -> str | None:
    """What the file holds now (its content hash), or None when it is gone."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _as_data(doc: Document) -> dict[str, Any]:
    """A read document as the plain data an appraisal writes (to check a round-trip edit)."""
    from appraise.core.appraisal import Appraisal as _Appraisal
    from appraise.files.validation import validate

    return validate(doc, _Appraisal).to_data()


def _data(appraisal: Appraisal) -> dict[str, Any]:
    """The appraisal as plain data, its history (shared, not copied) last."""
    return _with_history(appraisal.to_data(exclude=frozenset({HISTORY})), appraisal)


def _with_history(data: dict[str, Any], appraisal: Appraisal) -> dict[str, Any]:
    extra = appraisal.model_extra or {}
    return {**data, HISTORY: extra[HISTORY]} if HISTORY in extra else data


def _without_history(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != HISTORY} if HISTORY in data else data


class ChangedOnDisk(Exception):
    """The file changed on disk since this store last read or wrote it; nothing was written."""


class AppraisalStore:
    """The one writer of one appraisal file.

    The app takes a numbered snapshot on its own thread and writes it on another; a lock and the
    revision number make sure an older snapshot can never overwrite a newer one, however the
    threads finish. Across processes, the check that the file is as this store last saw it and
    the write are one step under a lock on the folder (compare-and-swap): a second instance, or
    an editor, is never silently overwritten. An appraisal that has not changed is never written.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._revision = 0
        self._written = 0
        self._known: str | None = None
        self._tracking = False
        self._baseline: dict[str, Any] | None = None
        self._text: str | None = None
        """The file's text as last read or written, so an edit can keep the user's comments."""
        self._last: dict[str, Any] | None = None
        """The data last loaded or snapshot, without its history: what the next history entry is measured against."""
        self._disk_history: Any = None
        self._house: bool | None = None
        """Whether the file is exactly appraise's own dump of what it holds (None: not worked out yet)."""
        self._text_of = FileText(HEADER)
        """:func:`to_text` for this file's snapshots, each history entry dumped once."""
        """The history list as the file on disk holds it (None: unknown), so a save appends only what is new."""
        self._split: tuple[str, Split] | None = None
        """The text last written, cut where its history begins (so the next save need not search it)."""
        self._pending: Split | None = None
        self.reviewer = ""
        """Who is saving, when the app was told (``--reviewer``); else the file's reviewer, else the settings."""
        self.settings_base: Path | None = None
        """The data folder whose settings say who the user is (None: the usual data folder)."""

    def load(self, checklist: Checklist | None = None) -> LoadedAppraisal:
        """Read the file and remember its state on disk (temp files of a killed writer are cleared)."""
        with folder_lock(self.path.parent):
            clean_stale_temporaries(self.path)
            loaded = load_appraisal(self.path, checklist)
            self._known = _signature(self.path)
            try:
                self._text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._text = None
        self._tracking = True
        self._baseline = _data(loaded.appraisal)
        self._last = _without_history(self._baseline)
        self._disk_history = self._baseline.get(HISTORY, [])
        self._house = None
        return loaded

    def adopt(self) -> None:
        """Accept the file as it is now on disk as the known state (after the user chose to)."""
        self._known = _signature(self.path)
        self._tracking = True
        self._baseline = None  # what is on disk is not what we hold: the next write must happen
        self._disk_history = None
        self._house = None
        try:
            self._text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self._text = None

    def snapshot(self, appraisal: Appraisal) -> tuple[int, str]:
        """A numbered, immutable copy of the appraisal's file text, ready to write from any thread."""
        revision, data = self.snapshot_data(appraisal)
        return revision, to_text(data)

    def snapshot_data(self, appraisal: Appraisal) -> tuple[int, dict[str, Any]]:
        """A numbered copy of the appraisal as plain data (cheap; turn it into text on any thread)."""
        from appraise.review.history import record_save

        with self._lock:
            self._revision += 1
            # Each save that changes something appends who changed what to the file's history; the
            # history itself is neither dumped nor compared here, so this costs the same at any length.
            data = appraisal.to_data(exclude=frozenset({HISTORY}))
            record_save(self._last, data, appraisal, by=self._who(appraisal))
            self._last = data
            return self._revision, _with_history(data, appraisal)

    def _who(self, appraisal: Appraisal) -> str:
        """Who the history says made this save (a broken settings file only costs the name)."""
        from appraise.files.problems import FileProblems
        from appraise.files.settings import personal_reviewer, who_am_i

        try:
            return who_am_i(self.reviewer, personal_reviewer(appraisal), base=self.settings_base)
        except FileProblems:
            return ""

    def unchanged(self, data: dict[str, Any]) -> bool:
        """True when ``data`` is what the file already holds (so writing it would only reformat it)."""
        baseline = self._baseline
        if baseline is None:
            return False
        # The history is the same list object unless a save appended to it (appending makes a new list).
        history, known = data.get(HISTORY), baseline.get(HISTORY)
        same_history = history is known or history == known
        return same_history and _without_history(data) == _without_history(baseline)

    def write_data(self, revision: int, data: dict[str, Any]) -> bool:
        """Write a data snapshot unless it is unchanged from the file or older than one written."""
        if self.unchanged(data):
            with self._lock:
                self._written = max(self._written, revision)
            return False
        text, self._pending = None, None
        # Keeping the user's comments and style takes a round trip through ruamel (tens of ms a
        # save); a file that is exactly appraise's own dump of its data has nothing else to keep.
        if self._text is not None and not self._house_style():
            text = self._appended(self._text, data)
            if text is None:
                from appraise.files.roundtrip import edit_text

                text = edit_text(self._text, data, check=_as_data, last=HISTORY)
        split = self._pending
        written = self.write(revision, text if text is not None else self._text_of(data))
        if written:
            self._baseline = data
            self._disk_history = data.get(HISTORY, [])
            self._split = (self._text, split) if split is not None and self._text is not None else None
            self._house = True if text is None else None
        return written

    def _house_style(self) -> bool:
        """True when the file as last read or written is appraise's own dump of the data it holds."""
        if self._house is None:
            self._house = self._baseline is not None and self._text == self._text_of(self._baseline)
        return self._house

    def _appended(self, text: str, data: dict[str, Any]) -> str | None:
        """The file edited in place with only its history's new entries appended (None: use the whole-file path)."""
        from appraise.files.history_text import append_entries, split_history
        from appraise.files.roundtrip import edit_text

        history, known = data.get(HISTORY, []), self._disk_history
        if not isinstance(history, list) or not isinstance(known, list) or len(history) < len(known):
            return None
        if known and history[len(known) - 1] is not known[-1]:
            return None  # not the history on disk with entries added: write it all, checked
        cached = self._split
        split = cached[1] if cached is not None and cached[0] is text else split_history(text)
        if split is None:
            return None
        tail = append_entries(split, history[len(known) :])
        if tail is None:
            return None
        head = edit_text(split.head, _without_history(data), check=_as_data) if split.head.strip() else None
        if head is None:
            return None
        self._pending = Split(head, tail, split.indent)
        return head + tail

    def write(self, revision: int, text: str) -> bool:
        """Write a snapshot; skip it (and return False) if a newer one was already written.

        Raises :class:`ChangedOnDisk` (writing nothing) if the file is not as this store last saw it.
        """
        with self._lock:
            if revision <= self._written:
                return False
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with folder_lock(self.path.parent):
                if self._tracking and _signature(self.path) != self._known:
                    raise ChangedOnDisk(str(self.path))
                atomic_write_text(self.path, text)
                self._known = _signature(self.path)
                self._text = text
                self._house = None
            self._tracking = True
            self._written = revision
            return True

    def save(self, appraisal: Appraisal) -> bool:
        """Snapshot and write at once (the simple, synchronous path)."""
        return self.write_data(*self.snapshot_data(appraisal))

    def changed_on_disk(self) -> bool:
        """True if something other than this store changed or removed the file since we last saw it."""
        if not self._tracking:
            return False
        now = _signature(self.path)
        return now != self._known


__all__ = [
    "AppraisalStore",
    "ChangedOnDisk",
    "LoadedAppraisal",
    "check_appraisal",
    "load_appraisal",
    "new_appraisal",
    "read_appraisal",
    "to_yaml",
    "write_appraisal",
]
