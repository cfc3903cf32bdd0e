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


def test_undo_of_a_first_answer_for_an_outcome_leaves_the_outcome_as_it_was() -> None:
    s = session()
    outcome = s.add_outcome("Readmission", primary=True)
    e1 = next(slot for slot in s.slots if slot.outcome_id == outcome.id)
    before = s.appraisal.model_dump()
    s.choose(e1, 1)
    s.set_support(e1, "note", "Concealed allocation")
    s.undo()
    s.undo()
    assert s.appraisal.model_dump() == before


def test_undo_of_a_note_keeps_the_answer_chosen_before_it_and_other_questions_untouched() -> None:
    s = session()
    a1, a2 = s.slots[0], s.slots[1]
    s.choose(a1, 1)
    s.set_support(a1, "quote", "randomised by a web service")
    s.choose(a2, 2)
    s.set_support(a1, "quote", "")  # a later edit of the first record, after another question
    s.undo()
    record = s.record(a1)
    assert record is not None and (record.answer, record.quote) == ("Y", "randomised by a web service")
    second = s.record(a2)
    assert a2.question is not None and second is not None and second.answer == a2.question.options[1].code


def test_an_undone_answer_is_judged_again() -> None:
    s = session()
    for slot in s.slots[:4]:
        s.choose(slot, 1)
    judged = s.assessment.result("A").proposed
    s.choose(s.slots[0], 3)
    s.undo()
    assert s.assessment.result("A").proposed == judged
