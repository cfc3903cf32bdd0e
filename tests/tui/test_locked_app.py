"""A file marked complete is read-only in every screen of the app, with one message saying how to unlock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Input, TextArea

from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.review.history import entries
from appraise.review.locking import is_complete
from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.screens.dialogs import ConfirmDialog, PromptDialog
from appraise.tui.screens.judgements import JudgementsScreen
from appraise.tui.screens.outcomes import OutcomeForm, OutcomesScreen
from appraise.tui.screens.resolve import ResolveScreen
from tests.conftest import DATA
from tests.tui.conftest import WIDE, settle


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    """Alex's appraisal of PATHWAYS-HOME, marked complete with `appraise complete`."""
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    assert CliRunner().invoke(cli, ["complete", str(path)]).exit_code == 0
    return path


def _refusals(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications if "read-only" in str(n.message)]  # type: ignore[attr-defined]


def _says_how_to_unlock(app: object, path: Path) -> bool:
    return any(f"appraise unlock {path} --reason" in m and "press L" in m for m in _refusals(app))


async def test_answering_a_locked_file_changes_nothing_and_says_how_to_unlock(locked: Path, make_app) -> None:
    before = locked.read_text(encoding="utf-8")
    app = make_app(locked)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        await pilot.press("2", "0", "ctrl+z")
        await settle(app, pilot)
        assert len(_refusals(app)) == 3
        assert _says_how_to_unlock(app, locked)
    assert locked.read_text(encoding="utf-8") == before


async def test_the_note_quote_and_page_of_a_locked_file_cannot_be_typed_in(locked: Path, make_app) -> None:
    app = make_app(locked)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        screen = app.screen
        assert screen.query_one("#note", TextArea).read_only
        assert screen.query_one("#quote", TextArea).read_only
        assert screen.query_one("#page", Input).disabled
        assert "locked (L to unlock)" in str(screen.query_one("#save-state").render())


async def test_judgements_of_a_locked_file_cannot_be_overridden_or_accepted(locked: Path, make_app) -> None:
    before = locked.read_text(encoding="utf-8")
    app = make_app(locked)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        await pilot.press("s")
        await settle(app, pilot, until=lambda: isinstance(app.screen, JudgementsScreen))
        await pilot.press("o")
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, JudgementsScreen)  # no override dialog opened
        assert len(_refusals(app)) == 2 and _says_how_to_unlock(app, locked)
    assert locked.read_text(encoding="utf-8") == before


async def test_outcomes_of_a_locked_file_cannot_be_added_renamed_or_removed(locked: Path, make_app) -> None:
    before = locked.read_text(encoding="utf-8")
    app = make_app(locked)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        await pilot.press("o")
        await settle(app, pilot, until=lambda: isinstance(app.screen, OutcomesScreen))
        for key in ("a", "e", "d"):
            await pilot.press(key)
            await settle(app, pilot)
            assert not isinstance(app.screen, OutcomeForm | ConfirmDialog)
        assert len(_refusals(app)) == 3
    assert locked.read_text(encoding="utf-8") == before


async def test_a_locked_consensus_cannot_be_resolved(tmp_path: Path, make_app) -> None:
    out = tmp_path / "consensus.yaml"
    files = [str(DATA / f"pathways-home-reviewer-{side}.yaml") for side in "ab"]
    assert CliRunner().invoke(cli, ["consensus", *files, "-o", str(out)]).exit_code == 0
    assert CliRunner().invoke(cli, ["complete", str(out), "--reviewer", "Chris Lead"]).exit_code == 0
    before = out.read_text(encoding="utf-8")
    app = make_app(out)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))
        await pilot.press("a", "n", "u")
        await settle(app, pilot)
        assert isinstance(app.screen, ResolveScreen)
        assert len(_refusals(app)) == 3 and _says_how_to_unlock(app, out)
    assert out.read_text(encoding="utf-8") == before


async def test_l_unlocks_with_a_reason_kept_in_the_history_and_then_answers_save(locked: Path, make_app) -> None:
    app = make_app(locked)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        await pilot.press("L")
        await settle(app, pilot, until=lambda: isinstance(app.screen, PromptDialog))
        await pilot.press("enter")  # no reason: refused, the dialog stays
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"second look at C5", "enter")
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        assert not app.screen.query_one("#note", TextArea).read_only
        await pilot.press("2")
        await settle(app, pilot)
    appraisal = load_appraisal(locked).appraisal
    assert not is_complete(appraisal)
    unlocked = next(e for e in entries(appraisal) if e.get("event") == "unlocked")
    assert (unlocked["reason"], unlocked["by"]) == ("second look at C5", "Alex Morgan")
    assert entries(appraisal)[-1]["changes"][0]["field"].endswith(".answer")


async def test_l_marks_an_open_file_complete_after_asking(tmp_path: Path, make_app) -> None:
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    app = make_app(path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        await pilot.press("L")
        await settle(app, pilot, until=lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("c")
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        assert app.screen.query_one("#note", TextArea).read_only
    appraisal = load_appraisal(path).appraisal
    assert is_complete(appraisal)
    assert (appraisal.model_extra or {})["completed"]["by"] == "Alex Morgan"
