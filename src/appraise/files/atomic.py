"""Write a file so that a crash leaves the old version or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new, never half."""
    with atomic_writer(path, durable=durable) as handle:
        handle.write(text)


@contextlib.contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[TextIO]:
    """A text file to write (in pieces, for large outputs) that replaces ``path`` only once it is complete.

    The recipe: a temporary file in the same folder (so the rename cannot cross file systems),
    write, flush, fsync, ``os.replace``; the temporary file is removed if anything fails.
    ``durable=False`` skips the two fsyncs (~15 ms) for files whose loss in a power cut costs only
    a convenience: a crash of appraise still leaves the old file or the new.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            # mkstemp creates 0600 files; keep the permissions the user gave the original.
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_directory(path.parent)


def _read_umask() -> int:
    # os.umask can only be read by setting it; do it once at import, before any saving thread runs.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable on POSIX; harmless to skip where directories can't be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def describe_os_error(error: OSError) -> str:
    """What went wrong with a file, in the reader's words (for messages, never a traceback)."""
    import errno

    where = f"{error.filename}: " if error.filename else ""
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "the folder or file is read-only (permission denied)"
    elif error.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "the disk is full"
    elif error.errno == errno.ENOENT:
        what = "no such file or folder"
    elif error.errno == errno.ENAMETOOLONG:
        what = "the file name is too long"
    elif error.errno == errno.ENOTDIR:
        what = "a part of the path is a file, not a folder"
    elif error.errno == errno.EISDIR:
        what = "this is a folder, not a file"
    else:
        what = error.strerror or str(error)
    return f"{where}{what}"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder while checking and writing files in it (across processes).

    Two app instances, or two imports, into one folder take turns: the check that a file has not
    changed and the write become one step. ``flock`` on the folder itself needs no lock file left
    lying around; where it is unavailable (Windows), writes simply go unlocked, as before.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield  # the folder is missing or unreadable: the write itself will report why
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


STALE_SECONDS = 60.0
"""A temporary file this old was left by a writer that was killed (a write takes milliseconds)."""


def clean_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files a killed writer left next to ``path`` (call under :func:`folder_lock`)."""
    removed: list[Path] = []
    now = time.time()
    try:
        candidates = list(path.parent.glob(f".{path.name}.*.tmp"))
    except OSError:
        return removed
    for temp in candidates:
        try:
            if now - temp.stat().st_mtime > STALE_SECONDS:
                temp.unlink()
                removed.append(temp)
        except OSError:
            continue
    return removed


__all__ = ["atomic_write_text", "clean_stale_temporaries", "describe_os_error", "folder_lock"]
