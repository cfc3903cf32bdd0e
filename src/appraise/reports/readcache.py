"""A per-file cache of read appraisals, so that an unchanged review folder summarises in a fraction of the time.

One SQLite file in the data folder's cache holds, per appraisal file, what reading and judging it
produced (plain data). An entry is used only while everything it depends on is unchanged: the
file (path, size, mtime), its checklist (the file found for the id now, its size, mtime and
version) and appraise itself (version and the code that reads and judges). Anything else, a
corrupt or foreign cache file included, is a miss and a normal read: the cache only saves time.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from appraise import __version__
from appraise.core.checklist import Checklist
from appraise.files import paths

SCHEMA = 2
"""Bumped whenever the stored shape changes; an older cache file is then rebuilt."""

RACY_SECONDS = 2.0
"""A file changed this recently may change again within the filesystem's mtime resolution, keeping its size:
it is not cached yet (the next run caches it), so an entry can never hide such an edit."""

_CODE_MODULES = ("core/engine.py", "core/assessment.py", "core/checklist.py", "files/store.py", "reports/collect.py")
"""The code a cached record reflects: a change to any of them (a new release, a local edit) is a miss."""


def cache_file() -> Path:
    """Where the cache lives: safe to delete at any time."""
    return paths.cache_dir() / "appraisals.sqlite"


def _code_signature() -> str:
    root = Path(__file__).resolve().parent.parent
    parts: list[object] = [__version__, SCHEMA]
    for name in _CODE_MODULES:
        try:
            stat = (root / name).stat()
            parts += [stat.st_mtime_ns, stat.st_size]
        except OSError:
            parts.append(None)
    return repr(parts)


def checklist_signature(checklist: Checklist) -> str:
    """The checklist file as loaded now: a changed or replaced checklist changes it."""
    # Asked once per file read, with the same checklist object for a whole folder: worked out once
    # per object (one object is one version of its file: a changed file loads as a new object).
    if _signed and _signed[0][0] is checklist:
        return _signed[0][1]
    try:
        stat = Path(checklist.path).stat()
    except OSError:
        return repr((checklist.id, checklist.version, checklist.path))
    where = str(Path(checklist.path).resolve())
    signature = repr((checklist.id, checklist.version, where, stat.st_mtime_ns, stat.st_size))
    _signed[:] = [(checklist, signature)]
    return signature


_signed: list[tuple[Checklist, str]] = []
"""The last checklist signed and its signature."""


class ReadCache:
    """Cached records by file; every failure to read or write the cache is silent and costs only time."""

    def __init__(self, location: Path | None = None) -> None:
        self.location = location or cache_file()
        self.code = _code_signature()
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[Any, ...]] = []
        self._open()

    def _open(self) -> None:
        try:
            self.location.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
        except sqlite3.DatabaseError:
            # Not a database (corrupt, truncated, someone else's file): start a fresh one in its place.
            self._db = None
            try:
                self.location.unlink()
                self._db = self._connect()
            except (OSError, sqlite3.Error):
                self._db = None
        except (OSError, sqlite3.Error):
            self._db = None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.location, timeout=2.0, isolation_level=None)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA:
                db.execute("DROP TABLE IF EXISTS studies")
                db.execute(
                    "CREATE TABLE studies (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, code TEXT,"
                    " checklist_id TEXT, checklist TEXT, record TEXT, answers TEXT, answer_count INTEGER,"
                    " answer_flags INTEGER)"
                )
                db.execute(f"PRAGMA user_version = {SCHEMA}")
            # Losing the last writes in a power cut only loses time; syncing each run costs it.
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def current(self, key: str, size: int, mtime: int, checklist_sig: Callable[[str], str | None]) -> str | None:
        """The checklist signature of the entry for this version of the file when it is still current, else None.

        ``checklist_sig`` gives a checklist id's signature now (None when it cannot be loaded).
        """
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT size, mtime, code, checklist_id, checklist FROM studies WHERE path = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or (row[0], row[1], row[2]) != (size, mtime, self.code):
            return None
        signature = checklist_sig(row[3])
        return signature if signature is not None and signature == row[4] else None

    def payload(
        self, key: str, size: int, mtime: int, checklist: str, *, answers: bool
    ) -> tuple[dict[str, Any], tuple[str, int, int] | None] | None:
        """The record of a :meth:`current` entry, and its answers as stored (text, count, flags) when asked for."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT record, answers, answer_count, answer_flags FROM studies"
                " WHERE path = ? AND size = ? AND mtime = ? AND code = ? AND checklist = ?",
                (key, size, mtime, self.code, checklist),
            ).fetchone()
            if row is None or (answers and not isinstance(row[1], str)):
                return None
            record = json.loads(row[0])
        except (sqlite3.Error, ValueError, TypeError):
            return None
        if not isinstance(record, dict):
            return None
        if not answers:
            return record, None
        text, count, flags = row[1], row[2], row[3]
        # Stored by put() from json.dumps of a list; anything else is a damaged entry.
        if not (isinstance(count, int) and isinstance(flags, int) and text.startswith("[") and text.endswith("]")):
            return None
        return record, (text, count, flags)

    def put(
        self,
        key: str,
        size: int,
        mtime: int,
        checklist_id: str,
        checklist_sig: str,
        record: dict[str, Any],
        answers: tuple[str, int, int] | None,
    ) -> None:
        """Remember a record (written in one transaction by :meth:`flush`); files changed just now are skipped."""
        if self._db is None or time.time() - mtime / 1e9 < RACY_SECONDS:
            return
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        rows, count, flags = answers if answers is not None else (None, None, None)
        self._pending.append((key, size, mtime, self.code, checklist_id, checklist_sig, text, rows, count, flags))
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        """Write what :meth:`put` collected."""
        pending, self._pending = self._pending, []
        if self._db is None or not pending:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO studies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pending)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Write what is pending and let go of the file."""
        self.flush()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
