"""The user's settings: ``settings.yaml`` in the data folder, and who "I" am.

Unlike the app's remembered state (``state/state.json``: positions, recent files, theme), these are
the user's to write, by hand or with ``appraise config NAME VALUE``::

    # appraise settings (appraise config NAME VALUE sets one)
    reviewer: Alex Morgan

Who is at work (for ``complete``, ``unlock``, the history of every save, recorded unblindings and
the app) is decided in one place, :func:`who_am_i`: the ``--reviewer`` given, else the file's own
``reviewer:`` (a person's: a consensus file's "Consensus of …" names no one), else ``reviewer`` here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appraise.core.appraisal import Appraisal
from appraise.files import paths
from appraise.files.atomic import atomic_write_text
from appraise.files.problems import FileProblems, Problem
from appraise.files.yamlio import dump, read_document

FILE_NAME = "settings.yaml"
HEADER = "# appraise settings: edit by hand or with `appraise config NAME VALUE`\n"

KNOWN: dict[str, str] = {
    "reviewer": "who you are: recorded when you complete or unlock a file and in every file's history",
}
"""Every setting, with what it is for (``appraise config`` lists them)."""


def settings_file(base: Path | None = None) -> Path:
    """Where the settings live (in ``base``, else in the data folder)."""
    return (base or paths.data_dir()) / FILE_NAME


def read_settings(base: Path | None = None) -> dict[str, str]:
    """The settings (empty when there is no file); raises :class:`FileProblems` for a broken one."""
    path = settings_file(base)
    if not path.is_file():
        return {}
    document = read_document(path)
    data: Any = document.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FileProblems([Problem(str(path), 1, 1, "settings must be a mapping, e.g. 'reviewer: Alex Morgan'")])
    problems = []
    for name, value in data.items():
        if name not in KNOWN:
            known = ", ".join(KNOWN)
            problems.append(document.problem((name,), f"unknown setting {name!r} (known: {known})", key=True))
        elif not isinstance(value, str):
            problems.append(document.problem((name,), f"{name} must be text, e.g. '{name}: Alex Morgan'"))
    if problems:
        raise FileProblems(problems)
    return {str(k): str(v) for k, v in data.items()}


def write_setting(name: str, value: str | None, base: Path | None = None) -> Path:
    """Set one setting (``None`` removes it), keeping the others; the file written."""
    if name not in KNOWN:
        raise ValueError(f"unknown setting {name!r} (known: {', '.join(KNOWN)})")
    settings = read_settings(base)
    if value is None:
        settings.pop(name, None)
    else:
        settings[name] = value
    path = settings_file(base)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, HEADER + (dump(settings) if settings else ""))
    return path


def personal_reviewer(appraisal: Appraisal) -> str:
    """The file's ``reviewer:`` when it names a person: '' for a consensus ("Consensus of A, B and C")."""
    return "" if "consensus" in (appraisal.model_extra or {}) else appraisal.reviewer


def who_am_i(given: str = "", file_reviewer: str = "", *, base: Path | None = None) -> str:
    """Who is at work: ``given`` (``--reviewer``), else the file's reviewer, else the settings ('' if none).

    Raises :class:`FileProblems` only when the settings are needed and broken.
    """
    return given.strip() or file_reviewer.strip() or read_settings(base).get("reviewer", "").strip()


__all__ = ["FILE_NAME", "KNOWN", "personal_reviewer", "read_settings", "settings_file", "who_am_i", "write_setting"]
