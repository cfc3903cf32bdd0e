"""The user's own file stays theirs: typos caught, unknown keys kept, one rule for override reasons."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import AppraisalStore

DATA = Path(__file__).parent.parent / "data"


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", str(path)])
    return result.exit_code, result.output


def copy(tmp_path: Path, extra: str = "", replace: tuple[str, str] = ("", "")) -> Path:
    path = tmp_path / "trial.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    text = path.read_text(encoding="utf-8")
    if replace[0]:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1])
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_top_level_typo_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    code, out = validate(copy(tmp_path, replace=("\nanswers:\n", "\nanswerz:\n")))
    assert code == 1 and "unknown top-level key 'answerz'; did you mean 'answers'?" in out
    assert ":13:1:" in out  # at the key's own line


def test_any_other_unknown_top_level_key_is_kept_with_a_warning(tmp_path: Path) -> None:
    code, out = validate(copy(tmp_path, extra="team_notes: discussed on Monday\n"))
    assert code == 0 and "warning: unknown top-level key 'team_notes' (kept as it is, not used)" in out


def test_an_override_of_a_proposal_with_an_empty_reason_is_refused_as_in_the_app(tmp_path: Path) -> None:
    code, out = validate(copy(tmp_path, extra="overrides:\n  B: {judgement: poor, reason: '  '}\n"))
    assert code == 1 and "needs a reason" in out


def test_a_consensus_item_with_a_made_up_status_is_an_error(tmp_path: Path) -> None:
    extra = "consensus:\n  items:\n    B4: {status: resolvd, chosen: a}\n"
    code, out = validate(copy(tmp_path, extra=extra))
    assert code == 1 and "status 'resolvd' is not open or resolved; did you mean 'resolved'?" in out


def test_a_practice_block_without_a_vignette_is_an_error(tmp_path: Path) -> None:
    code, out = validate(copy(tmp_path, extra="practice: yes\n"))
    assert code == 1 and "practice: must be a mapping with 'vignette: ID'" in out


def test_opening_and_saving_an_unchanged_file_does_not_rewrite_it(tmp_path: Path) -> None:
    path = copy(tmp_path, extra="# my own comment\n")
    before = path.read_bytes()
    store = AppraisalStore(path)
    loaded = store.load()
    assert store.save(loaded.appraisal) is False
    assert path.read_bytes() == before


def test_a_state_file_of_the_wrong_shape_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    import json

    from appraise.files.appstate import AppState

    for bad in ([1, 2], {"files": [1]}, {"files": {"/x": 3, "/y": {"slot": 7, "opened": 1}}}, {"settings": "dark"}):
        (tmp_path / "state.json").write_text(json.dumps(bad), encoding="utf-8")
        state = AppState(tmp_path)
        assert state.position(tmp_path / "x.yaml") is None and state.setting("theme") is None
        state.remember(tmp_path / "y.yaml", ("A1", None))
        assert AppState(tmp_path).position(tmp_path / "y.yaml") == ("A1", None)


def test_a_hand_written_file_edited_once_keeps_its_comments_order_and_style(tmp_path: Path) -> None:
    from appraise.core.appraisal import Answer

    path = copy(tmp_path, replace=("  A2: rct\n", "  A2: rct   # checked with the protocol\n"))
    path.write_text("# Reviewed by the team on Monday\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    store = AppraisalStore(path)
    loaded = store.load()
    loaded.appraisal.answers["A3"] = Answer(answer="partial", note="two sites\nfollowed up late")
    assert store.save(loaded.appraisal) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Reviewed by the team on Monday\n# PATHWAYS-HOME")
    assert "  A2: rct   # checked with the protocol\n" in text
    assert 'checklist: {id: peer-support, version: "' in text  # flow style and quotes as written
    assert text.index("answers:") < text.index("outcome_answers:")
    reread = AppraisalStore(path).load().appraisal
    assert reread.answers["A3"].answer == "partial" and reread.answers["A3"].note == "two sites\nfollowed up late"
    assert reread.to_data() == loaded.appraisal.to_data()


def test_a_file_appraise_wrote_stays_in_appraises_own_layout_after_edits(tmp_path: Path) -> None:
    from appraise.core.appraisal import Answer
    from appraise.files.store import to_text

    path = tmp_path / "trial.yaml"
    store = AppraisalStore(path)
    appraisal = AppraisalStore(copy(tmp_path)).load().appraisal
    assert store.save(appraisal) is True  # a fresh file: appraise's own dump
    store = AppraisalStore(path)
    loaded = store.load()
    for note in ("two sites", "two sites\nfollowed up late"):
        loaded.appraisal.answers["A3"] = Answer(answer="partial", note=note)
        assert store.save(loaded.appraisal) is True
        data = AppraisalStore(path).load().appraisal.to_data()
        assert path.read_text(encoding="utf-8") == to_text(data)
        assert data["answers"]["A3"] == {"answer": "partial", "note": note}


def test_a_file_edited_by_hand_after_appraise_wrote_it_keeps_the_hand_edit(tmp_path: Path) -> None:
    from appraise.core.appraisal import Answer

    path = tmp_path / "trial.yaml"
    assert AppraisalStore(path).save(AppraisalStore(copy(tmp_path)).load().appraisal) is True
    path.write_text("# added by hand\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    store = AppraisalStore(path)
    loaded = store.load()
    for answer in ("partial", "full"):  # the first save goes through the round trip, and so does the next
        loaded.appraisal.answers["A3"] = Answer(answer=answer)
        assert store.save(loaded.appraisal) is True
        assert path.read_text(encoding="utf-8").startswith("# added by hand\n")


def _hand_written(tmp_path: Path) -> Path:
    path = copy(tmp_path, replace=("  A2: rct\n", "  A2: rct   # checked with the protocol\n"))
    path.write_text("# Reviewed by the team on Monday\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _kept_as_written(text: str) -> bool:
    return (
        text.startswith("# Reviewed by the team on Monday\n")
        and "  A2: rct   # checked with the protocol\n" in text
        and 'checklist: {id: peer-support, version: "' in text
    )


def test_completing_and_unlocking_a_hand_written_file_keeps_its_comments(tmp_path: Path) -> None:
    path = _hand_written(tmp_path)
    runner = CliRunner()
    done = runner.invoke(cli, ["complete", str(path), "--reviewer", "Alex Morgan"])
    assert done.exit_code == 0, done.output
    assert _kept_as_written(path.read_text(encoding="utf-8"))
    assert "status: complete" in path.read_text(encoding="utf-8")
    reopened = runner.invoke(cli, ["unlock", str(path), "--reason", "a second look", "--reviewer", "Alex Morgan"])
    assert reopened.exit_code == 0, reopened.output
    text = path.read_text(encoding="utf-8")
    assert _kept_as_written(text) and "a second look" in text
    assert validate(path)[0] == 0


def test_attaching_a_paper_to_a_hand_written_file_keeps_its_comments(tmp_path: Path) -> None:
    path = _hand_written(tmp_path)
    paper = tmp_path / "trial.md"
    paper.write_text("# The trial\n\nParticipants were randomised by a computer.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["attach", str(path), str(paper)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert _kept_as_written(text) and "trial.md" in text
