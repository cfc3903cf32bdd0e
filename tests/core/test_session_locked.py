"""The editing session refuses every change to an appraisal marked complete, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from appraise.core.locks import Locked
from appraise.core.session import Session
from appraise.files.store import load_appraisal
from appraise.review.locking import mark_complete, unlock
from tests.conftest import DATA

EDITS: dict[str, Callable[[Session], object]] = {
    "choose": lambda s: s.choose(s.slots[0], 2),
    "clear": lambda s: s.clear(s.slots[0]),
    "note": lambda s: s.set_support(s.slots[0], "note", "changed"),
    "add outcome": lambda s: s.add_outcome("Employment at 12 months"),
    "rename outcome": lambda s: s.update_outcome("readmission", name="R", type=None, primary=True, finding=None),
    "remove outcome": lambda s: s.remove_outcome("readmission"),
    "copy answers": lambda s: s.copy_answers("readmission", "qpr-4m"),
    "override": lambda s: s.set_judgement(s.checklist.sections[2], None, "major_concerns", "why"),
    "accept": lambda s: s.accept(s.checklist.sections[2], None),
    "undo": lambda s: s.undo(),
}


def _session() -> Session:
    loaded = load_appraisal(DATA / "pathways-home-reviewer-a.yaml")
    mark_complete(loaded.appraisal, "Alex Morgan")
    return Session(loaded.appraisal, loaded.checklist)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_locked_appraisal_refuses_the_change_and_keeps_everything(edit: str) -> None:
    session = _session()
    before = session.appraisal.to_data()
    with pytest.raises(Locked) as refused:
        EDITS[edit](session)
    assert session.appraisal.to_data() == before
    assert "Marked complete by Alex Morgan" in refused.value.message("alex.yaml")
    assert "appraise unlock alex.yaml --reason" in refused.value.message("alex.yaml")


def test_once_unlocked_the_same_change_is_made() -> None:
    session = _session()
    unlock(session.appraisal, "Alex Morgan", "second look")
    assert session.choose(session.slots[0], 2) is not None
