"""Checklist-level warnings: answers that contradict each other or the outcomes (e.g. D2 vs the primary outcome).

A checklist declares them under ``warnings:`` as conditions with a message; they never change a
judgement. ``appraise validate``, the report and the app all read them from :func:`checklist_warnings`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from appraise.core.assessment import Assessment
from appraise.core.checklist import Condition


@dataclass(frozen=True)
class ChecklistWarning:
    """One warning, for one outcome (or the whole study), with the questions it reads."""

    message: str
    outcome_id: str | None = None
    outcome_name: str | None = None
    primary: bool = False
    questions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The message, naming the outcome it is about: ``"Readmission (primary outcome): D2 …"``."""
        if self.outcome_name is None:
            return self.message
        role = " (primary outcome)" if self.primary else ""
        return f"{self.outcome_name}{role}: {self.message}"

    def __str__(self) -> str:
        return self.text


def question_ids(condition: Condition) -> Iterator[str]:
    """The question ids a condition reads, in order (for pointing at a line of the file)."""
    if condition.answer is not None:
        yield condition.answer
    yield from condition.count or []
    for part in [*(condition.all_ or []), *(condition.any_ or [])]:
        yield from question_ids(part)
    if condition.not_ is not None:
        yield from question_ids(condition.not_)


def checklist_warnings(assessment: Assessment) -> list[ChecklistWarning]:
    """Every warning of the checklist that holds: once for the study, or per outcome where it needs one."""
    found: list[ChecklistWarning] = []
    for note in assessment.checklist.warnings:
        asked = tuple(dict.fromkeys(question_ids(note.when)))
        if assessment.study.test(note.when)[0] is True:  # holds whatever the outcome
            found.append(ChecklistWarning(note.message, questions=asked))
            continue
        for outcome in assessment.appraisal.outcomes:
            if assessment.by_outcome[outcome.id].test(note.when)[0] is True:
                found.append(ChecklistWarning(note.message, outcome.id, outcome.label, outcome.primary, asked))
    return found
