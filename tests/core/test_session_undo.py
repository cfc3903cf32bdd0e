"""Undo in the headless session: each change to answers, notes, outcomes and judgements can be taken back."""

from __future__ import annotations

import appraise
from appraise.core.appraisal import Study
from appraise.core.session import Session
from appraise.files.store import new_appraisal


def session() -> Session:
    checklist = appraise.load_checklist("peer-support")
    return Session(new_appraisal(checklist, Study(title="A trial")), checklist)


def test_undo_puts_back_the_answer_a_stray_digit_replaced() -> None:
    s = session()
    a1 = s.slots[s.index_of(("A1", None)) or 0]
    s.choose(a1, 1)
    s.choose(a1, 3)  # the stray digit
    change = s.undo()
    assert change is not None and change.key == ("A1", None)
    assert s.appraisal.codes() == {"A1": "Y"}
    assert s.undo() is not None
    assert s.appraisal.codes() == {}
    assert s.undo() is None  # nothing before the file was opened


def test_typing_a_note_is_undone_as_one_change() -> None:
    s = session()
    a1 = s.slots[0]
    s.choose(a1, 1)
    for text in ("B", "Bl", "Blinded"):
        s.set_support(a1, "note", text)
    s.undo()
    record = s.record(a1)
    assert record is not None and record.note in (None, "") and record.answer == "Y"


def test_undo_restores_the_proposal_after_an_override_and_the_judgement_follows() -> None:
    s = session()
    for slot in s.slots[:4]:
        s.choose(slot, 1)
    section = next(sec for sec in s.checklist.sections if sec.id == "A")
    proposed = s.assessment.result("A").proposed
    other = next(j.code for j in section.judgements if j.code != proposed)
    s.set_judgement(section, None, other, "the design section is weaker than it looks")
    assert s.assessment.result("A").judgement == other
    s.undo()
    assert s.appraisal.overrides == {}
    assert s.assessment.result("A").judgement == proposed


def test_undo_brings_back_a_removed_outcome_with_its_answers() -> None:
    s = session()
    outcome = s.add_outcome("Readmission", primary=True)
    e1 = next(slot for slot in s.slots if slot.outcome_id == outcome.id)
    s.choose(e1, 1)
    answered = s.appraisal.codes(outcome.id)
    s.remove_outcome(outcome.id)
    assert s.appraisal.outcomes == []
    s.undo()
    assert [o.id for o in s.appraisal.outcomes] == [outcome.id]
    assert s.appraisal.codes(outcome.id) == answered
    assert any(slot.outcome_id == outcome.id for slot in s.slots)


def test_undoing_a_removed_outcome_names_it_as_the_reader_named_it_not_by_its_id() -> None:
    s = session()
    outcome = s.add_outcome("Readmission at 12 months", primary=True)
    s.remove_outcome(outcome.id)
    change = s.undo()  # the app shows "Undone: <what>"
    assert change is not None and "Readmission at 12 months" in change.what
    assert outcome.id not in change.what
