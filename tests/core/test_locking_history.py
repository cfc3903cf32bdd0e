"""Complete and lock, unlock with a reason, the history of saves, and blind comparison."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Answer
from appraise.files.store import AppraisalStore, load_appraisal
from appraise.review.history import entries
from appraise.review.locking import answers_hash, is_complete
from tests.conftest import DATA


@pytest.fixture
def alex(tmp_path: Path) -> Path:
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_complete_locks_the_file_with_who_when_and_a_hash(alex: Path) -> None:
    result = run("complete", str(alex))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    appraisal = load_appraisal(alex).appraisal
    assert is_complete(appraisal)
    done = (appraisal.model_extra or {})["completed"]
    assert done["by"] == "Alex Morgan" and done["hash"] == answers_hash(appraisal)
    assert "not cryptography" in result.output  # type: ignore[attr-defined]


def test_validate_warns_when_a_locked_file_was_edited(alex: Path) -> None:
    run("complete", str(alex))
    text = alex.read_text(encoding="utf-8").replace('  A4: "Y"', '  A4: "N"', 1)  # the file as the user wrote it
    assert text != alex.read_text(encoding="utf-8")
    alex.write_text(text, encoding="utf-8")
    result = run("validate", str(alex))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "the hash no longer matches" in result.output  # type: ignore[attr-defined]


def test_unlocking_needs_a_reason_and_keeps_it_in_the_history(alex: Path) -> None:
    run("complete", str(alex))
    assert run("unlock", str(alex)).exit_code == 2  # type: ignore[attr-defined]
    result = run("unlock", str(alex), "--reason", "second look at C5 after the meeting")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    appraisal = load_appraisal(alex).appraisal
    assert not is_complete(appraisal)
    assert entries(appraisal)[-1]["event"] == "unlocked"
    assert entries(appraisal)[-1]["reason"] == "second look at C5 after the meeting"


def test_every_save_appends_who_changed_what_old_to_new(alex: Path) -> None:
    store = AppraisalStore(alex)
    loaded = store.load()
    appraisal = loaded.appraisal
    appraisal.answers["C5"] = Answer(answer="N", note="Shared wards; contamination not monitored.")
    store.save(appraisal)
    appraisal.answers["C5"] = Answer(answer="N", note="Shared wards; contamination neither prevented nor monitored.")
    store.save(appraisal)
    store.save(appraisal)  # nothing changed: no entry
    saved = entries(load_appraisal(alex).appraisal)
    assert len(saved) == 2
    first = {c["field"]: (c["old"], c["new"]) for c in saved[0]["changes"]}
    assert first["C5.answer"] == ("U", "N")
    assert saved[0]["by"] == "Alex Morgan"
    # Typed text is one change per save, not per keystroke.
    assert [c["field"] for c in saved[1]["changes"]] == ["C5.note"]


def test_history_prints_each_change_as_text_or_json(alex: Path) -> None:
    store = AppraisalStore(alex)
    appraisal = store.load().appraisal
    appraisal.answers["C5"] = Answer(answer="N")
    store.save(appraisal)
    text = run("history", str(alex)).output  # type: ignore[attr-defined]
    assert "Alex Morgan: C5.answer: 'U' → 'N'" in text
    data = json.loads(run("history", str(alex), "-f", "json").output)  # type: ignore[attr-defined]
    assert data[0]["changes"][0]["field"] == "C5.answer"


def _blind_review(tmp_path: Path) -> list[Path]:
    root = tmp_path / "review"
    files = []
    for name, source in (("alex", "a"), ("bea", "b")):
        (root / name).mkdir(parents=True)
        files.append(root / name / "pathways-home.yaml")
        shutil.copy(DATA / f"pathways-home-reviewer-{source}.yaml", files[-1])
    (root / "review.yaml").write_text("team: [alex, bea]\nblind: true\n", encoding="utf-8")
    return files


def test_a_blind_review_shows_no_answers_until_every_file_is_complete(tmp_path: Path) -> None:
    files = _blind_review(tmp_path)
    run("complete", str(files[0]))
    result = run("compare", *map(str, files))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "blind review" in result.output and "Bea Lund" in result.output  # type: ignore[attr-defined]
    assert "Partly" not in result.output  # type: ignore[attr-defined]
    run("complete", str(files[1]))
    assert run("compare", *map(str, files)).exit_code == 0  # type: ignore[attr-defined]


def test_unblinding_is_recorded_in_every_file_and_the_report(tmp_path: Path) -> None:
    files = _blind_review(tmp_path)
    result = run("compare", *map(str, files), "-f", "json", "--unblind", "pilot calibration meeting")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert any("pilot calibration meeting" in w for w in data["warnings"])
    for path in files:
        last = entries(load_appraisal(path).appraisal)[-1]
        assert (last["event"], last["reason"]) == ("unblinded", "pilot calibration meeting")


def test_a_blind_review_builds_no_consensus_until_every_file_is_complete(tmp_path: Path) -> None:
    files = _blind_review(tmp_path)
    out = tmp_path / "consensus.yaml"
    result = run("consensus", *map(str, files), "-o", str(out))
    assert result.exit_code == 1 and not out.exists()  # type: ignore[attr-defined]
    for path in files:
        run("complete", str(path))
    assert run("consensus", *map(str, files), "-o", str(out)).exit_code == 0  # type: ignore[attr-defined]
