"""Read appraisal files: the format version first, then the shape, then the fit with the checklist.

A file from a newer appraise is refused and left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.core.appraisal import FORMAT_VERSION, Appraisal
from appraise.core.checklist import Checklist
from appraise.files.checking import check_answer, check_appraisal
from appraise.files.checklists import load_checklist
from appraise.files.problems import FileProblems, Problem
from appraise.files.validation import validate
from appraise.files.yamlio import Document, read_document


@dataclass
class LoadedAppraisal:
    """An appraisal file read and checked against its checklist."""

    path: Path
    appraisal: Appraisal
    checklist: Checklist
    problems: list[Problem] = field(default_factory=list)
    """Problems found; warnings do not stop anything, errors make the file invalid."""

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the file invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth knowing about that do not make the file invalid."""
        return [p for p in self.problems if p.severity != "error"]


def read_appraisal(path: Path | str, text: str | None = None) -> tuple[Appraisal, Document]:
    """Parse an appraisal file's shape (no checklist needed); raise FileProblems if it is unusable."""
    doc = read_document(path, text)
    if isinstance(doc.data, dict):
        _check_format_version(doc)
    return validate(doc, Appraisal), doc


def _check_format_version(doc: Document) -> None:
    version = doc.data.get("appraise")
    if version is None:
        raise FileProblems(
            [
                doc.problem(
                    (),
                    "not an appraisal file: it has no 'appraise:' format "
                    f"version (this version of appraise writes 'appraise: {FORMAT_VERSION}')",
                )
            ]
        )
    try:
        number = int(str(version))
    except ValueError:
        raise FileProblems([doc.problem(("appraise",), f"format version {version!r} is not a number")]) from None
    if number > FORMAT_VERSION:
        raise FileProblems(
            [
                doc.problem(
                    ("appraise",),
                    (
                        f"this file was written by a newer appraise (format {number}); this version reads format "
                        f"{FORMAT_VERSION} and up to it. Upgrade appraise to open it; the file has not been changed"
                    ),
                )
            ]
        )
    if number < 1:
        raise FileProblems([doc.problem(("appraise",), f"unknown format version {number}")])


def load_appraisal(path: Path | str, checklist: Checklist | None = None) -> LoadedAppraisal:
    """Read an appraisal and check it against its checklist (found by id unless given)."""
    try:
        appraisal, doc = read_appraisal(path)
    except FileProblems as error:
        # The shape is wrong somewhere; still report unknown answer codes elsewhere in the file,
        # so that one fix-and-retry shows every problem.
        raise FileProblems([*error.problems, *_raw_code_problems(path, checklist)]) from None
    if checklist is None:
        try:
            checklist = load_checklist(appraisal.checklist.id)
        except LookupError as error:
            raise FileProblems([doc.problem(("checklist", "id"), str(error))]) from None
    problems = check_appraisal(appraisal, checklist, doc)
    return LoadedAppraisal(Path(path), appraisal, checklist, problems)


def _raw_code_problems(path: Path | str, checklist: Checklist | None) -> list[Problem]:
    """Unknown answer codes in a file whose shape did not validate (best effort, from the raw YAML)."""
    try:
        doc = read_document(path)
        data = doc.data if isinstance(doc.data, dict) else {}
        ref = data.get("checklist")
        if checklist is None and isinstance(ref, dict):
            checklist = load_checklist(str(ref.get("id")))
    except (FileProblems, LookupError, OSError):
        return []
    if checklist is None:
        return []
    found: list[Problem] = []

    def codes(answers: Any, loc: tuple[str, ...], per_outcome: bool) -> None:
        for qid, value in (answers or {}).items() if isinstance(answers, dict) else ():
            code = value.get("answer") if isinstance(value, dict) else value
            if isinstance(code, str):
                found.extend(check_answer(checklist, doc, (*loc, qid), qid, code, per_outcome=per_outcome))

    codes(data.get("answers"), ("answers",), False)
    for oid, answers in (
        (data.get("outcome_answers") or {}).items() if isinstance(data.get("outcome_answers"), dict) else ()
    ):
        codes(answers, ("outcome_answers", oid), True)
    return [p for p in found if p.severity == "error"]


__all__ = ["LoadedAppraisal", "load_appraisal", "read_appraisal"]
