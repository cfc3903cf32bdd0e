"""An appraisal being edited: the walk through the questions, answers, outcomes and overrides.

Headless on purpose: the terminal app is a thin client of this module, and tests drive it
directly. Every change leaves :attr:`Session.assessment` up to date.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from appraise.core.appraisal import Answer, Appraisal, Effect, Outcome, Override
from appraise.core.assessment import Assessment
from appraise.core.checklist import Checklist, Question, Section
from appraise.core.keys import card_section, for_outcome, scoped, section_card
from appraise.core.locks import Locked, ensure_editable, lock_of

SupportField = Literal["note", "quote", "page", "answer"]
Status = Literal["answered", "open", "skipped", "waiting", "placeholder"]

UNDO_LIMIT = 200
"""How many changes can be undone (since the file was opened)."""

_EDITABLE = ("answers", "outcome_answers", "overrides", "outcomes")
"""The parts of an appraisal that an undo restores."""


@dataclass(frozen=True)
class Change:
    """One change that can be undone: what it was, in words, and where (a slot key) it was made."""

    what: str
    key: tuple[str, str | None] | None = None
    group: tuple[str, ...] = ()
    """Changes with the same non-empty group (typing in one field) are undone together."""
    before: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The editable parts as they were (a change that may touch several of them)."""
    record: SlotBefore | None = field(default=None, repr=False, compare=False)
    """Or, for a change to one answer record, just that record as it was."""


@dataclass(frozen=True)
class SlotBefore:
    """One answer record as it was before a change to it: all that undoing that change needs.

    Answering copies one record instead of the whole appraisal: a copy of every answer on every key
    cost more than judging the appraisal again.
    """

    question_id: str
    outcome_id: str | None
    """The outcome whose answers hold the record; None for the answers of the whole study."""
    record: Answer | None
    """A copy of the record, or None when there was none."""
    had_outcome_answers: bool = True
    """False when the outcome had no answers at all (the change made its first)."""


@dataclass(frozen=True)
class Slot:
    """One stop on the walk through a checklist: a question (for one outcome, where per outcome).

    A per-outcome section with no outcomes yet has one placeholder slot (``question`` is None)
    that invites the reader to add an outcome.
    """

    section: Section
    question: Question | None
    outcome_id: str | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        """A stable way to find this slot again: (question id or '@section', outcome id)."""
        return (self.question.id if self.question else section_card(self.section.id), self.outcome_id)


class Session:
    """The appraisal being edited, with its checklist and a fresh assessment after every change."""

    def __init__(self, appraisal: Appraisal, checklist: Checklist) -> None:
        self.appraisal = appraisal
        self.checklist = checklist
        self.assessment = Assessment(appraisal, checklist)
        self.history: list[Change] = []
        """Changes since the session began, oldest first, for :meth:`undo`."""

    # undo ---------------------------------------------------------------------------------------

    def ensure_editable(self) -> None:
        """Raise :class:`~appraise.core.locks.Locked` when the appraisal is marked complete (read-only)."""
        ensure_editable(self.appraisal)

    @property
    def locked(self) -> Locked | None:
        """Why the appraisal may not be changed now (None when it may)."""
        return lock_of(self.appraisal)

    def _remember(self, what: str, key: tuple[str, str | None] | None = None, group: tuple[str, ...] = ()) -> None:
        """Keep the editable parts as they are before a change (typing in one field is one change).

        Every change passes here first, so a locked appraisal refuses them all in this one place.
        """
        ensure_editable(self.appraisal)
        if group and self.history and self.history[-1].group == group:
            return
        before = {name: copy.deepcopy(getattr(self.appraisal, name)) for name in _EDITABLE}
        self._keep(Change(what, key, group, before))

    def _remember_record(self, what: str, slot: Slot, group: tuple[str, ...] = ()) -> None:
        """Keep one slot's answer record as it is before a change to that record alone."""
        ensure_editable(self.appraisal)
        if group and self.history and self.history[-1].group == group:
            return
        assert slot.question is not None
        outcome_id = slot.outcome_id if slot.section.per_outcome else None
        holder = self._answers_of(outcome_id)
        record = None if holder is None else holder.get(slot.question.id)
        before = SlotBefore(
            slot.question.id,
            outcome_id,
            None if record is None else record.model_copy(deep=True),
            had_outcome_answers=holder is not None,
        )
        self._keep(Change(what, slot.key, group, record=before))

    def _keep(self, change: Change) -> None:
        self.history.append(change)
        del self.history[:-UNDO_LIMIT]

    def _answers_of(self, outcome_id: str | None) -> dict[str, Answer] | None:
        """The answers of the study (None) or of one outcome; None when that outcome has none yet."""
        if outcome_id is None:
            return self.appraisal.answers
        return self.appraisal.outcome_answers.get(outcome_id)

    def undo(self) -> Change | None:
        """Put back answers, notes, outcomes and judgements as they were before the last change."""
        ensure_editable(self.appraisal)
        if not self.history:
            return None
        change = self.history.pop()
        if change.record is not None:
            self._put_back(change.record)
        for name, value in change.before.items():
            setattr(self.appraisal, name, value)
        self._changed(outcomes=change.record is None)
        return change

    def _put_back(self, before: SlotBefore) -> None:
        if before.outcome_id is not None and not before.had_outcome_answers:
            self.appraisal.outcome_answers.pop(before.outcome_id, None)
            return
        holder = self._answers_of(before.outcome_id)
        if holder is None:  # the outcome's answers went with a later change, itself undone first
            holder = self.appraisal.outcome_answers.setdefault(before.outcome_id or "", {})
        if before.record is None:
            holder.pop(before.question_id, None)
        else:
            holder[before.question_id] = before.record

    def refresh(self) -> None:
        """The appraisal was changed directly (e.g. resolving a consensus item): judge it again."""
        self._changed(outcomes=True)

    def _changed(self, *, outcomes: bool = False) -> None:
        self.assessment = Assessment(self.appraisal, self.checklist, previous=self.assessment)
        if outcomes:
            self.__dict__.pop("slots", None)

    # the walk -----------------------------------------------------------------------------------

    @cached_property
    def slots(self) -> list[Slot]:
        """Every stop in order; per-outcome sections once for each outcome."""
        found: list[Slot] = []
        for section in self.checklist.sections:
            if section.per_outcome:
                if not self.appraisal.outcomes:
                    found.append(Slot(section, None))
                for outcome in self.appraisal.outcomes:
                    found.extend(Slot(section, q, outcome.id) for q in section.questions)
            else:
                found.extend(Slot(section, q) for q in section.questions)
        return found

    def index_of(self, key: tuple[str, str | None]) -> int | None:
        """Where a slot is now (after outcomes changed, for instance), by its key."""
        return next((i for i, slot in enumerate(self.slots) if slot.key == key), None)

    def status(self, slot: Slot) -> Status:
        """answered, open (asked, no answer), skipped (not asked), waiting (depends on an open answer)."""
        if slot.question is None:
            return "placeholder"
        reached = self.assessment.reached(slot.question, slot.outcome_id)
        if reached is False:
            return "skipped"
        if reached is None:
            return "waiting"
        evaluator = self.assessment.evaluator(slot.section, slot.outcome_id)
        return "answered" if evaluator.valid_answer(slot.question) is not None else "open"

    def next_open(self, after: int) -> int | None:
        """The next slot after ``after`` that still needs an answer, wrapping round; None if none."""
        count = len(self.slots)
        for step in range(1, count + 1):
            index = (after + step) % count
            slot = self.slots[index]
            if slot.question is not None and slot.question.optional:
                continue  # optional questions are reached by moving, never by the answer flow
            if self.status(slot) in {"open", "placeholder"}:
                return index
        return None

    def section_start(self, index: int, delta: int) -> int:
        """The first slot of the section ``delta`` sections away from ``index`` (0: this one's start).

        A per-outcome section counts once for each outcome; the walk stops at either end.
        """
        slots = self.slots
        starts = [
            i
            for i, s in enumerate(slots)
            if i == 0 or (slots[i - 1].section.id, slots[i - 1].outcome_id) != (s.section.id, s.outcome_id)
        ]
        position = max(i for i, start in enumerate(starts) if start <= index)
        return starts[max(0, min(len(starts) - 1, position + delta))]

    def index_near(self, key: tuple[str, str | None], fallback: int) -> int:
        """Where the slot ``key`` is now, or its section's first slot, after the outcomes changed.

        A placeholder becomes real questions once an outcome exists, and a removed outcome takes
        its slots with it; ``fallback`` is used when neither the slot nor its section is left.
        """
        found = self.index_of(key)
        if found is None:
            section = card_section(key[0]) or key[0]
            matches = (
                i
                for i, s in enumerate(self.slots)
                if s.section.id == section or (s.question is not None and s.question.id == key[0])
            )
            found = next(matches, fallback)
        return min(found, len(self.slots) - 1)

    def first_open(self) -> int:
        """Where to start: the first slot that needs an answer, else the first slot."""
        found = self.next_open(len(self.slots) - 1)
        return 0 if found is None else found

    # answers ------------------------------------------------------------------------------------

    def record(self, slot: Slot) -> Answer | None:
        """The stored answer (with note, quote and page) of a slot, if any."""
        if slot.question is None:
            return None
        return self.appraisal.answer_record(slot.question.id, slot.outcome_id if slot.section.per_outcome else None)

    def _record_for_edit(self, slot: Slot) -> Answer:
        assert slot.question is not None
        if slot.section.per_outcome:
            assert slot.outcome_id is not None
            answers = self.appraisal.outcome_answers.setdefault(slot.outcome_id, {})
        else:
            answers = self.appraisal.answers
        return answers.setdefault(slot.question.id, Answer())

    def choose(self, slot: Slot, number: int) -> str | None:
        """Choose the ``number``-th option (1-based) of a slot's question; return its code.

        Returns None (and changes nothing) when the question is not asked or has no such option.
        """
        question = slot.question
        if question is None or question.kind != "choice" or not 1 <= number <= len(question.options):
            return None
        if self.status(slot) == "skipped":
            return None
        code = question.options[number - 1].code
        self._remember_record(f"the answer to {question.id}", slot)
        self._record_for_edit(slot).answer = code
        self._changed()
        return code

    def clear(self, slot: Slot) -> bool:
        """Remove the chosen answer (keeping any note, quote and page). True if there was one."""
        record = self.record(slot)
        if record is None or record.answer is None:
            return False
        self._remember_record(f"clearing {slot.key[0]}", slot)
        record.answer = None
        self._prune(slot)
        self._changed()
        return True

    def set_support(self, slot: Slot, field: SupportField, value: str) -> None:
        """Set the note, quote, page (or, for a text question, the answer) of a slot."""
        if slot.question is None:
            return
        self._remember_record(f"the {field} of {slot.question.id}", slot, group=(field, *map(str, slot.key)))
        record = self._record_for_edit(slot)
        setattr(record, field, value if (value or field != "answer") else None)
        self._prune(slot)
        self._changed()

    def _prune(self, slot: Slot) -> None:
        """Drop an answer record that holds nothing at all, so files stay tidy."""
        assert slot.question is not None
        if slot.section.per_outcome:
            answers = self.appraisal.outcome_answers.get(slot.outcome_id or "", {})
        else:
            answers = self.appraisal.answers
        record = answers.get(slot.question.id)
        if record is not None and record.is_empty:
            del answers[slot.question.id]

    # outcomes -----------------------------------------------------------------------------------

    def add_outcome(
        self,
        name: str,
        *,
        type: str | None = None,
        primary: bool = False,
        finding: str | None = None,
        effect: Effect | None = None,
    ) -> Outcome:
        """Add an outcome to appraise separately; its id is made from the name and never changes."""
        self._remember(f"adding the outcome {name}")
        outcome = Outcome(
            id=self.appraisal.new_outcome_id(name), name=name, type=type, primary=primary, finding=finding
        )
        outcome.effect = effect
        self.appraisal.outcomes.append(outcome)
        self._changed(outcomes=True)
        return outcome

    def update_outcome(
        self,
        outcome_id: str,
        *,
        name: str,
        type: str | None,
        primary: bool,
        finding: str | None,
        effect: Effect | str | None = "unchanged",
    ) -> None:
        """Change an outcome's name and fields (its id stays, so its answers stay with it); its effect if given."""
        outcome = self.appraisal.outcome(outcome_id)
        if outcome is None:
            raise KeyError(outcome_id)
        self._remember(f"editing the outcome {outcome.name}")
        outcome.name, outcome.type, outcome.primary, outcome.finding = name, type, primary, finding
        if not isinstance(effect, str):
            outcome.effect = effect
        self._changed(outcomes=True)

    def remove_outcome(self, outcome_id: str) -> None:
        """Remove an outcome with its answers and overrides (the app asks first)."""
        removed = self.appraisal.outcome(outcome_id)
        self._remember(f"removing the outcome {removed.label if removed else outcome_id}")  # its name, as shown
        self.appraisal.outcomes = [o for o in self.appraisal.outcomes if o.id != outcome_id]
        self.appraisal.outcome_answers.pop(outcome_id, None)
        for key in [k for k in self.appraisal.overrides if for_outcome(k, outcome_id)]:
            del self.appraisal.overrides[key]
        self._changed(outcomes=True)

    def copy_answers(self, source_id: str, target_id: str) -> int:
        """Copy one outcome's answers into another's unanswered questions; return how many.

        A starting point only: nothing the target already has is overwritten.
        """
        self._remember("copying answers between outcomes")
        source = self.appraisal.outcome_answers.get(source_id, {})
        target = self.appraisal.outcome_answers.setdefault(target_id, {})
        copied = 0
        for qid, answer in source.items():
            existing = target.get(qid)
            if answer.answer and (existing is None or not existing.answer):
                if existing is None:
                    target[qid] = answer.model_copy(deep=True)
                else:
                    existing.answer = answer.answer
                copied += 1
        self._changed()
        return copied

    # judgements ---------------------------------------------------------------------------------

    def needs_reason(self, section: Section, outcome_id: str | None, judgement: str) -> bool:
        """Overriding a proposal needs a reason; the appraiser's own judgement (no rules) does not."""
        result = self.assessment.result(section.id, outcome_id)
        return result.proposed is not None and judgement != result.proposed

    def set_judgement(self, section: Section, outcome_id: str | None, judgement: str, reason: str = "") -> None:
        """Record the reviewer's judgement; agreeing with the proposal simply accepts it."""
        if section.judgement(judgement) is None:
            raise ValueError(f"{section.id} has no judgement {judgement!r}")
        if self.needs_reason(section, outcome_id, judgement) and not reason.strip():
            raise ValueError("a reason is required to override the proposed judgement")
        key = self._override_key(section, outcome_id)
        result = self.assessment.result(section.id, outcome_id)
        self._remember(f"the judgement of {section.label}")
        if judgement == result.proposed:
            self.appraisal.overrides.pop(key, None)
        else:
            self.appraisal.overrides[key] = Override(judgement=judgement, reason=reason.strip())
        self._changed()

    def accept(self, section: Section, outcome_id: str | None) -> bool:
        """Go back to the proposed judgement; True if there was an override to remove."""
        ensure_editable(self.appraisal)
        if self._override_key(section, outcome_id) in self.appraisal.overrides:
            self._remember(f"accepting the proposal for {section.label}")
        removed = self.appraisal.overrides.pop(self._override_key(section, outcome_id), None) is not None
        self._changed()
        return removed

    def _override_key(self, section: Section, outcome_id: str | None) -> str:
        return scoped(section.id, outcome_id if self.checklist.judged_per_outcome(section) else None)
