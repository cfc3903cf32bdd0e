"""One walk over files and folders for YAML data files: summary, the folder screen, validate and import share it.

Folders are searched recursively, in name order, without descending into hidden folders (.git,
editor backups: nobody's appraisals, and a .git folder can hold more files than the review).
Each file is listed once, however often it is named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from appraise.files.checklists import SUFFIXES


class Resolver:
    """``Path.resolve()`` for many files, each folder resolved once (resolving walks every part of a path)."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}
        self._files: dict[Path, Path] = {}
        self._not_links: set[Path] = set()

    def __call__(self, path: Path) -> Path:
        """The same as ``path.resolve()``: a file that is not a link is its resolved folder and its own name.

        Each path is resolved once per resolver: a summary asks again for every file the walk found.
        """
        found = self._files.get(path)
        if found is not None:
            return found
        if path.name in ("", ".", "..") or (path not in self._not_links and os.path.islink(path)):
            found = path.resolve()
        else:
            folder = self._folders.get(path.parent)
            if folder is None:
                folder = self._folders[path.parent] = path.parent.resolve()
            found = folder / path.name
        self._files[path] = found
        return found

    def not_a_link(self, path: Path) -> None:
        """The walk saw that ``path`` is no link (its folder's listing says so): resolving it asks no more."""
        self._not_links.add(path)


def yaml_files(paths: Iterable[Path], resolve: Resolver | None = None) -> list[Path]:
    """The YAML files to read: in the order given, folders recursively by name, each file once.

    ``resolve`` is the caller's resolver when it will resolve the same files again.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    resolve = resolve or Resolver()
    for path in paths:
        for child in _walk(path, resolve) if path.is_dir() else (path,):
            key = resolve(child)
            if key not in seen:
                seen.add(key)
                found.append(child)
    return found


def _walk(folder: Path, resolve: Resolver) -> Iterator[Path]:
    """YAML files under ``folder``, sorted by their path relative to it (as ``sorted(rglob)`` would).

    Each folder is listed once (``os.scandir``, as ``os.walk`` does) and its listing says which entries
    are folders, files and links, so that no file is asked about again; linked folders are not entered
    and folders that cannot be read are left out, as ``os.walk`` does.
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    pending: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    while pending:
        base, parts = pending.pop()
        try:
            entries = list(os.scandir(base))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):  # hidden folders (.git, editor backups) and files: nobody's appraisals
                continue
            try:
                is_dir = entry.is_dir()
                if is_dir and not entry.is_symlink():
                    pending.append((base / name, (*parts, name)))
                if is_dir or not name.endswith(SUFFIXES) or not entry.is_file():
                    continue
                path = base / name
                if not entry.is_symlink():
                    resolve.not_a_link(path)
            except OSError:  # gone since the listing, or not ours to read
                continue
            found.append(((*parts, name), path))
    found.sort(key=lambda item: item[0])
    return (path for _, path in found)


def looks_like_appraisal(path: Path) -> bool:
    """True when the file's first lines have an ``appraise:`` key (the format version every appraisal has)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4000)
    except OSError:
        return False
    return "\nappraise:" in f"\n{head}"


def appraisal_files(folder: Path) -> list[Path]:
    """YAML files in the folder (recursively) that look like appraisals, by name."""
    return [path for path in yaml_files([folder]) if looks_like_appraisal(path)]
