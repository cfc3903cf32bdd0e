"""The walk through a checklist in the headless session: moving by section, and finding the place again."""

from __future__ import annotations

import appraise
from appraise.core.appraisal import Study
from appraise.core.session import Session
from appraise.files.store import new_appraisal


def session() -> Session:
    checklist = appraise.load_checklist("peer-support")
    return Session(new_appraisal(checklist, Study(title="A trial")), checklist)


def starts(s: Session) -> list[int]:
    """Every section's first slot, a per-outcome section once per outcome (computed independently)."""
    keys = [(slot.section.id, slot.outcome_id) for slot in s.slots]
    return [i for i, key in enumerate(keys) if i == 0 or keys[i - 1] != key]


def test_next_section_goes_to_the_first_question_of_the_following_section() -> None:
    s = session()
    first, second = starts(s)[:2]
    assert s.section_start(first + 1, +1) == second
    assert s.slots[second].section.id != s.slots[first].section.id


def test_previous_section_from_the_middle_of_one_goes_to_the_start_of_the_one_before() -> None:
    s = session()
    first, second = starts(s)[:2]
    assert s.section_start(second + 1, -1) == first
    assert s.section_start(second + 1, 0) == second


def test_moving_by_section_stops_at_either_end() -> None:
    s = session()
    assert s.section_start(0, -1) == 0
    last = starts(s)[-1]
    assert s.section_start(len(s.slots) - 1, +5) == last


def test_each_outcome_of_a_per_outcome_section_is_a_section_of_its_own_on_the_walk() -> None:
    s = session()
    s.add_outcome("Hope", type="recovery")
    s.add_outcome("Readmission", type="clinical")
    per_outcome = [i for i in starts(s) if s.slots[i].section.per_outcome]
    assert len(per_outcome) >= 2
    a, b = per_outcome[:2]
    assert s.slots[a].section.id == s.slots[b].section.id  # the same section ...
    assert s.slots[a].outcome_id != s.slots[b].outcome_id  # ... for the next outcome
    assert s.section_start(a, +1) == b


def test_the_outcome_placeholder_gives_way_to_the_outcome_s_first_question() -> None:
    s = session()
    placeholder = next(slot for slot in s.slots if slot.question is None)
    s.add_outcome("Hope", type="recovery")
    place = s.index_near(placeholder.key, fallback=0)
    assert s.slots[place].section.id == placeholder.section.id
    assert s.slots[place].question is not None


def test_a_question_of_a_removed_outcome_is_found_in_another_outcome_of_its_section() -> None:
    s = session()
    hope = s.add_outcome("Hope", type="recovery")
    s.add_outcome("Readmission", type="clinical")
    slot = next(x for x in s.slots if x.outcome_id == hope.id)
    s.remove_outcome(hope.id)
    place = s.index_near(slot.key, fallback=0)
    assert s.slots[place].section.id == slot.section.id
    assert s.slots[place].outcome_id != hope.id


def test_a_slot_that_is_still_there_is_found_where_it_is() -> None:
    s = session()
    s.add_outcome("Hope", type="recovery")
    slot = s.slots[-1]
    assert s.index_near(slot.key, fallback=0) == len(s.slots) - 1
