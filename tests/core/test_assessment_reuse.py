"""Judging again after a change reuses what the change cannot touch, and never shows a stale result.

After each answer the app builds the assessment from the one before (see ``Assessment``'s
``previous``). Whatever the change, that must judge exactly as a fresh assessment does: every
section, overall, trace, message, progress, and which questions are asked.
"""

from __future__ import annotations

import contextlib
import random

import pytest

import appraise
from appraise.core.appraisal import Study
from appraise.core.assessment import Assessment
from appraise.core.session import Session
from appraise.files.checklists import available_checklists
from appraise.files.store import new_appraisal

CHECKLISTS = [entry.id for entry in available_checklists() if entry.origin == "bundled"]


def judged(assessment: Assessment) -> object:
    """Everything the app and the reports read of an assessment."""
    results = [(e.section.id, e.outcome_id, e.result) for e in assessment.entries(include_overall=True)]
    contexts = [None, *(o.id for o in assessment.appraisal.outcomes)]
    asked = [
        (q, o, assessment.evaluator(assessment.checklist.section_of[q], o).reached(q))
        for o in contexts
        for q in assessment.checklist.questions
    ]
    return results, assessment.progress, asked


def step(s: Session, rng: random.Random) -> None:
    """One change a reader might make: mostly answers, sometimes outcomes, judgements and undo."""
    roll = rng.random()
    slots = [slot for slot in s.slots if slot.question is not None]
    if roll < 0.06 or not slots:
        s.add_outcome(f"Outcome {rng.randint(1, 99)}", primary=rng.random() < 0.5, type=rng.choice([None, "recovery"]))
    elif roll < 0.09 and s.appraisal.outcomes:
        s.remove_outcome(rng.choice(s.appraisal.outcomes).id)
    elif roll < 0.15:
        s.undo()
    elif roll < 0.22:
        entry = rng.choice(list(s.assessment.entries()))
        if entry.section.judgements:
            code = rng.choice(entry.section.judgements).code
            with contextlib.suppress(ValueError):  # a judgement this section cannot take here
                s.set_judgement(entry.section, entry.outcome_id, code, "the reader's own reason")
    elif roll < 0.28:
        s.clear(rng.choice(slots))
    else:
        slot = rng.choice(slots)
        question = slot.question
        assert question is not None
        if question.kind == "choice":
            s.choose(slot, rng.randint(1, len(question.options)))
        else:
            s.set_support(slot, "answer", rng.choice(["", "free text"]))


@pytest.mark.parametrize("checklist_id", CHECKLISTS)
def test_an_assessment_made_from_the_one_before_judges_as_a_fresh_one(checklist_id: str) -> None:
    checklist = appraise.load_checklist(checklist_id)
    for seed in range(3):
        rng = random.Random(f"{checklist_id}-{seed}")
        s = Session(new_appraisal(checklist, Study(title="A trial")), checklist)
        for n in range(120):
            step(s, rng)
            judged(s.assessment)  # the app reads it (and so fills the memo) before the next change
            fresh = Assessment(s.appraisal, checklist)
            assert judged(s.assessment) == judged(fresh), f"{checklist_id}, seed {seed}, after change {n}"


def test_an_answer_in_one_section_leaves_the_other_sections_results_as_they_were() -> None:
    checklist = appraise.load_checklist("peer-support")
    s = Session(new_appraisal(checklist, Study(title="A trial")), checklist)
    for slot in s.slots[:6]:
        s.choose(slot, 1)
    before = {e.section.id: e.result for e in s.assessment.entries()}
    last = next(
        slot
        for slot in reversed(s.slots)
        if slot.question is not None and slot.section.method == "rules" and slot.section.id != "A"
    )
    s.choose(last, 1)
    after = {e.section.id: e.result for e in s.assessment.entries()}
    assert after["A"] is before["A"]  # reused, not judged again
    assert after[last.section.id] is not before[last.section.id]


def verdicts(assessment: Assessment) -> list[tuple[object, ...]]:
    """What a summary of many studies reads of each result."""
    return [
        (e.section.id, e.outcome_id, e.result.state, e.result.proposed, e.result.judgement, e.result.override_reason)
        for e in assessment.entries(include_overall=True)
    ]


@pytest.mark.parametrize("checklist_id", CHECKLISTS)
def test_a_brief_assessment_judges_as_a_full_one(checklist_id: str) -> None:
    """Summaries judge briefly (no messages, no trace line): every judgement must be the same."""
    checklist = appraise.load_checklist(checklist_id)
    said = 0
    for seed in range(3):
        rng = random.Random(f"brief-{checklist_id}-{seed}")
        s = Session(new_appraisal(checklist, Study(title="A trial")), checklist)
        for n in range(120):
            step(s, rng)
            full, brief = Assessment(s.appraisal, checklist), Assessment(s.appraisal, checklist, brief=True)
            assert verdicts(brief) == verdicts(full), f"{checklist_id}, seed {seed}, after change {n}"
            assert not any(e.result.messages or e.result.trace for e in brief.entries(include_overall=True))
            said += sum(bool(e.result.messages) for e in full.entries(include_overall=True))
    if any(s.messages or s.escalate for s in checklist.judged.values()):
        assert said, "no message fired in the full assessments: the walk never reached what brief leaves out"
