"""Write a file so that a crash leaves the old version or the new, never half of either."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new, never half.

    The recipe: a temporary file in the same folder (so the rename cannot cross file systems),
    write, flush, fsync, ``os.replace``; the temporary file is removed if anything fails.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
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


__all__ = ["atomic_write_text", "describe_os_error"]
