"""How far each appraisal file has got, for lists of files (the start and folder screens)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appraise.core.assessment import Assessment
from appraise.files.store import load_appraisal
from appraise.files.yamlio import FileProblems


@dataclass(frozen=True)
class FileProgress:
    """How far the appraisal in a file has got, for lists of files (or why it cannot be read)."""

    study: str = ""
    checklist: str = ""
    answered: int = 0
    total: int = 0
    problem: str = ""


def file_progress(path: Path) -> FileProgress:
    """Read an appraisal file and count its progress; a broken file gives its first problem."""
    try:
        loaded = load_appraisal(path)
    except (FileProblems, OSError) as error:
        return FileProgress(problem=str(error).splitlines()[0])
    if loaded.errors:
        return FileProgress(problem=str(loaded.errors[0]))
    progress = Assessment(loaded.appraisal, loaded.checklist).progress
    return FileProgress(loaded.appraisal.study.label, loaded.checklist.id, progress.answered, progress.total)
