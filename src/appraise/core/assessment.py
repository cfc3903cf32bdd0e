"""A whole appraisal judged: every section (per outcome where it applies), overall, and progress.

This is what the app, the reports and later the summaries read. It is cheap to build (the engine
memoises lazily), so clients simply build a new one after every change, handing it the one before:
results the change cannot have touched are then reused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from appraise.core.appraisal import Appraisal, Outcome
from appraise.core.checklist import OVERALL, Checklist, Question, Section
from appraise.core.engine import Evaluator, SectionResult


@dataclass
class Progress:
    """How many of the questions that are asked have an answer."""

    answered: int = 0
    total: int = 0

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.answered + other.answered, self.total + other.total)

    @property
    def done(self) -> bool:
        """Every question asked is answered."""
        return self.answered == self.total


def section_progress(evaluator: Evaluator, section: Section) -> Progress:
    """Answered / reached questions of one section, in this evaluator's context."""
    progress = Progress()
    for question in section.questions:
        if evaluator.reached(question.id) is True:
            answered = evaluator.valid_answer(question) is not None
            if answered or not question.optional:
                progress.total += 1
                progress.answered += answered
    return progress


@dataclass(frozen=True)
class Entry:
    """One judged unit: a section (for one outcome, where per outcome), or the overall judgement."""

    section: Section
    outcome: Outcome | None
    result: SectionResult

    @property
    def outcome_id(self) -> str | None:
        """The outcome's id, or None for study-level sections."""
        return self.outcome.id if self.outcome is not None else None


class Assessment:
    """The judgements, traces, messages and progress of one appraisal."""

    study: Evaluator
    by_outcome: dict[str, Evaluator]

    def __init__(
        self,
        appraisal: Appraisal,
        checklist: Checklist,
        previous: Assessment | None = None,
        *,
        remember: bool = False,
        brief: bool = False,
    ) -> None:
        """``previous``: the assessment before a change, whose results the change cannot touch are kept.

        ``remember``: keep what each result read, for the next assessment to reuse (an editing session).
        ``brief``: judgements, proposals and states only, without messages and trace lines (a summary
        of many studies reads nothing else; judging a file costs about a third less).
        """
        self.appraisal = appraisal
        self.checklist = checklist
        overrides = appraisal.overrides
        before: dict[str, Evaluator] = previous.by_outcome if previous is not None else {}
        study: Evaluator | None = previous.study if previous is not None else None
        self.study = Evaluator(
            checklist, appraisal.codes(), None, overrides=overrides, previous=study, remember=remember, brief=brief
        )
        self.by_outcome = {
            o.id: Evaluator(
                checklist,
                appraisal.codes(o.id),
                o.fields(),
                outcome_id=o.id,
                overrides=overrides,
                previous=before.get(o.id),
                remember=remember,
                brief=brief,
            )
            for o in appraisal.outcomes
        }

    def is_per_outcome(self, section: Section) -> bool:
        """Whether this section (or the overall judgement) is judged separately per outcome."""
        return self.study.is_per_outcome(section)

    def evaluator(self, section: Section, outcome_id: str | None = None) -> Evaluator:
        """The evaluator for a section: the study's, or the outcome's for per-outcome sections.

        With no outcomes yet, per-outcome sections are read in the study's context (incomplete).
        """
        if self.is_per_outcome(section) and outcome_id in self.by_outcome:
            return self.by_outcome[outcome_id]
        return self.study

    def result(self, section_id: str, outcome_id: str | None = None) -> SectionResult:
        """The judgement of a section (or ``overall``), for an outcome where it is per outcome."""
        section = self.checklist.judged[section_id]
        return self.evaluator(section, outcome_id).section(section_id)

    def outcomes_of(self, section: Section) -> list[Outcome | None]:
        """The outcomes a section is judged for: each outcome, or [None] for study-level ones."""
        if self.is_per_outcome(section) and self.appraisal.outcomes:
            return list(self.appraisal.outcomes)
        return [None]

    def entries(self, *, include_overall: bool = False) -> Iterator[Entry]:
        """Every judged unit in checklist order; per-outcome sections once per outcome."""
        sections = list(self.checklist.sections)
        if include_overall and self.checklist.overall is not None:
            sections.append(self.checklist.overall)
        for section in sections:
            for outcome in self.outcomes_of(section):
                yield Entry(section, outcome, self.result(section.id, outcome.id if outcome else None))

    def overall(self) -> list[Entry]:
        """The overall judgement(s): one per outcome for per-outcome checklists."""
        if self.checklist.overall is None:
            return []
        section = self.checklist.judged[OVERALL]
        return [Entry(section, o, self.result(OVERALL, o.id if o else None)) for o in self.outcomes_of(section)]

    def code(self, question: Question, outcome_id: str | None = None) -> str | None:
        """The answer that counts for a question: its code, ``NA`` if not asked, None if open."""
        return self.evaluator(self.checklist.section_of[question.id], outcome_id).code(question.id)

    def reached(self, question: Question, outcome_id: str | None = None) -> bool | None:
        """Is the question asked (None: not yet known, it depends on an open answer)?"""
        return self.evaluator(self.checklist.section_of[question.id], outcome_id).reached(question.id)

    def section_progress(self, section: Section, outcome_id: str | None = None) -> Progress:
        """Answered / asked questions of a section (for one outcome where per outcome)."""
        return section_progress(self.evaluator(section, outcome_id), section)

    @cached_property
    def progress(self) -> Progress:
        """Answered / asked questions of the whole appraisal, counting each outcome's answers."""
        total = Progress()
        for section in self.checklist.sections:
            for outcome in self.outcomes_of(section):
                total += self.section_progress(section, outcome.id if outcome else None)
        return total
