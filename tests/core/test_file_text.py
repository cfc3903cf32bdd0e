"""A file's text after each save is exactly appraise's whole dump of it, however its history changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from appraise.core.appraisal import Answer
from appraise.files.store import HEADER, AppraisalStore, to_text
from appraise.files.textcache import FileText

DATA = Path(__file__).parent.parent / "data"


def entry(n: int, old: object = None, new: object = "Y") -> dict[str, object]:
    return {
        "at": f"2026-12-01T10:00:{n:02d}Z",
        "by": "Sam",
        "changes": [{"field": f"A{n}.answer", "old": old, "new": new}],
    }


def test_each_snapshot_is_the_whole_dump_as_the_history_grows_changes_and_shrinks() -> None:
    text_of = FileText(HEADER)
    shared = ["a", "list", "in two entries"]
    snapshots: list[dict[str, object]] = [
        {"appraise": 1, "answers": {"A1": {"answer": "Y"}}},
        {"appraise": 1, "answers": {"A1": {"answer": "Y"}}, "history": []},
        {"appraise": 1, "answers": {"A1": {"answer": "N"}}, "history": [entry(1)]},
        {"appraise": 1, "history": [entry(1), entry(2, "line one\nline two", "x" * 150)], "answers": {}},
        {"appraise": 1, "history": [entry(1), entry(2, shared, "Y"), entry(3, "Y", shared)]},
        {"appraise": 1, "history": [entry(1, "N"), entry(2, shared, "Y")]},
        {"appraise": 1, "history": [entry(1)]},
    ]
    for data in snapshots:
        assert text_of(data) == to_text(data)


def test_an_entry_changed_in_place_is_dumped_again() -> None:
    text_of = FileText(HEADER)
    history = [entry(1), entry(2)]
    data = {"appraise": 1, "history": history}
    assert text_of(data) == to_text(data)
    history[1]["by"] = "Alex"
    assert "by: Alex" in text_of(data) and text_of(data) == to_text(data)


def test_a_long_session_of_saves_writes_the_file_appraise_would_write_whole(tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    shutil.copy(DATA / "pathways-home.yaml", source)
    path = tmp_path / "trial.yaml"
    AppraisalStore(path).save(AppraisalStore(source).load().appraisal)
    store = AppraisalStore(path)
    appraisal = store.load().appraisal
    for n, code in enumerate(["partial", "full", "partial", "full"]):
        appraisal.answers["A3"] = Answer(answer=code, note=f"save {n}")
        assert store.save(appraisal) is True
    reread = AppraisalStore(path).load().appraisal
    assert path.read_text(encoding="utf-8") == to_text(reread.to_data())
    assert len(reread.model_extra["history"]) == 4  # type: ignore[index]


def test_answer_records_kept_between_snapshots_give_the_whole_dump_as_answers_change() -> None:
    text_of = FileText(HEADER)
    answers: dict[str, object] = {"A1": {"answer": "Y"}, "A2": {"answer": "N", "note": "line one\nline two"}}
    outcome_answers: dict[str, object] = {"readmission": {"E1": {"answer": "Y", "quote": "q" * 150}}}
    snapshots = [
        {"appraise": 1, "answers": answers, "outcome_answers": outcome_answers},
        {"appraise": 1, "answers": {**answers, "A1": {"answer": "N"}}, "outcome_answers": outcome_answers},
        {"appraise": 1, "answers": {"A2": answers["A2"], "yes": {"answer": "Y"}}, "outcome_answers": {}},
        {"appraise": 1, "answers": {}, "outcome_answers": {"readmission": {"E1": {"answer": "N"}}, "hope": {}}},
        {"appraise": 1, "answers": answers, "outcome_answers": outcome_answers, "history": [entry(1)]},
    ]
    for data in snapshots:
        assert text_of(data) == to_text(data)


def test_an_answer_record_changed_in_place_is_dumped_again() -> None:
    text_of = FileText(HEADER)
    record = {"answer": "Y", "note": ""}
    data = {"appraise": 1, "answers": {"A1": record}}
    assert text_of(data) == to_text(data)
    record["note"] = "Concealed allocation"
    assert "Concealed allocation" in text_of(data) and text_of(data) == to_text(data)
