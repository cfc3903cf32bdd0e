"""Saving appends only the new history entries: files written before keep opening, nothing is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Answer
from appraise.files.store import AppraisalStore, load_appraisal
from appraise.files.yamlio import read_document
from appraise.review.history import entries
from tests.conftest import DATA

OLD_STYLE = """history:
  - at: '2026-11-02T09:00:00Z'
    by: Alex Morgan
    changes:
      - {field: B4.note, old: '', new: 'Manual in S2.'}
  # the meeting of 3 November
  - at: '2026-11-03T09:00:00Z'
    by: Alex Morgan
    event: unlocked
    reason: second look
"""

PYYAML_STYLE = """history:
- at: '2026-11-02T09:00:00Z'
  by: Alex Morgan
  changes:
  - field: B4.note
    old: ''
    new: Manual in S2.
"""


def _file(tmp_path: Path, history: str, after: str = "") -> Path:
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(history + after)
    return path


def _save_twice(path: Path) -> None:
    store = AppraisalStore(path)
    appraisal = store.load().appraisal
    for note in ("Shared wards.", "Shared wards; not monitored."):
        appraisal.answers["C5"] = Answer(answer="N", note=note)
        store.save(appraisal)


def test_a_history_written_before_keeps_its_entries_and_comments_and_gains_the_new_ones(tmp_path: Path) -> None:
    path = _file(tmp_path, OLD_STYLE)
    _save_twice(path)
    saved = entries(load_appraisal(path).appraisal)
    assert [e.get("event") for e in saved[:2]] == [None, "unlocked"]
    assert [c["field"] for c in saved[2]["changes"]] == ["C5.answer", "C5.note"]
    assert [c["field"] for c in saved[3]["changes"]] == ["C5.note"]
    assert "# the meeting of 3 November" in path.read_text(encoding="utf-8")


def test_appended_entries_line_up_with_an_unindented_history(tmp_path: Path) -> None:
    path = _file(tmp_path, PYYAML_STYLE)
    _save_twice(path)
    assert len(entries(load_appraisal(path).appraisal)) == 3
    text = path.read_text(encoding="utf-8")
    assert "\n- at:" in text and "\n  - at:" not in text


def test_a_history_that_is_not_last_is_moved_to_the_end_and_kept_whole(tmp_path: Path) -> None:
    path = _file(tmp_path, OLD_STYLE, after="# who asked\nproject: pathways-team\n")
    _save_twice(path)
    loaded = load_appraisal(path)
    assert len(entries(loaded.appraisal)) == 4
    assert (loaded.appraisal.model_extra or {})["project"] == "pathways-team"
    data = read_document(path).data
    assert isinstance(data, dict) and list(data)[-1] == "history"


def test_a_snapshot_never_written_still_has_its_history_entry_written_by_the_next(tmp_path: Path) -> None:
    path = _file(tmp_path, OLD_STYLE)
    store = AppraisalStore(path)
    appraisal = store.load().appraisal
    appraisal.answers["C5"].answer = "N"
    store.snapshot_data(appraisal)  # the writer thread skips to the newest snapshot waiting
    appraisal.answers["B7"] = Answer(answer="Y")
    store.write_data(*store.snapshot_data(appraisal))
    saved = entries(load_appraisal(path).appraisal)
    assert [[c["field"] for c in e.get("changes", [])] for e in saved[2:]] == [["C5.answer"], ["B7.answer"]]


def test_an_effect_in_the_history_is_written_and_read_back(tmp_path: Path) -> None:
    # A number reads back as text, so this save takes the whole-file path: nothing is lost either way.
    from appraise.core.appraisal import Effect

    path = _file(tmp_path, OLD_STYLE)
    store = AppraisalStore(path)
    appraisal = store.load().appraisal
    appraisal.outcomes[0].effect = Effect(measure="RR", estimate=0.8, lower=0.6, upper=1.1)
    store.save(appraisal)
    saved = entries(load_appraisal(path).appraisal)
    assert saved[-1]["changes"][0]["field"] == "outcomes.readmission.effect"
    assert load_appraisal(path).appraisal.outcomes[0].effect == appraisal.outcomes[0].effect


def test_appraise_history_prints_the_old_entries_and_the_appended_ones(tmp_path: Path) -> None:
    path = _file(tmp_path, OLD_STYLE)
    _save_twice(path)
    text = CliRunner().invoke(cli, ["history", str(path)]).output
    assert "B4.note: — → 'Manual in S2.'" in text
    assert "unlocked — second look" in text
    assert "C5.note: 'Shared wards.' → 'Shared wards; not monitored.'" in text
