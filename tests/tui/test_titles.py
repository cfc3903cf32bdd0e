"""Where a title belongs the app shows it (a study, a question and its outcome), not a file stem or a raw key."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.appstate import AppState
from appraise.files.paths import state_dir
from appraise.review.consensus import consensus_items
from appraise.tui.screens.dialogs import ChoiceDialog
from appraise.tui.screens.resolve import ResolveScreen
from appraise.tui.screens.start import StartScreen
from tests.conftest import DATA
from tests.tui.conftest import WIDE, settle


async def test_the_recent_list_heads_each_file_with_its_study_not_its_file_name(
    tmp_path: Path, data_dir: Path, make_app
) -> None:
    path = tmp_path / "draft-7.yaml"  # a file name that says nothing about the study
    shutil.copy(DATA / "pathways-home.yaml", path)
    AppState(state_dir(data_dir)).remember(path)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, StartScreen))
        menu = app.screen.query_one("#start-menu")
        headline = str(menu.get_option(f"file:{path.resolve()}").prompt).splitlines()[0]
        assert headline.startswith("Fenwick-Tarrant 2024")
        assert "draft-7" not in headline  # the file is named on the line below, as a path


async def test_a_new_consensus_answer_is_asked_for_by_question_and_outcome_not_by_its_key(
    tmp_path: Path, make_app
) -> None:
    merged = tmp_path / "consensus.yaml"
    a, b = DATA / "pathways-home-reviewer-a.yaml", DATA / "pathways-home-reviewer-b.yaml"
    result = CliRunner().invoke(cli, ["consensus", str(a), str(b), "-o", str(merged)])
    assert result.exit_code == 0, result.output
    app = make_app(merged)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))
        screen = app.screen
        assert isinstance(screen, ResolveScreen)
        row = next(i for i, item in enumerate(screen.items) if item.kind == "answer" and item.outcome_id)
        item = screen.items[row]
        screen.query_one("#resolve-table").move_cursor(row=row)
        await pilot.press("n")
        await settle(app, pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        title = str(app.screen.query_one(".dialog-title").render())
        outcome = screen.session.appraisal.outcome(item.outcome_id)
        question = screen.session.checklist.questions[item.target]
        assert outcome is not None and outcome.label in title and question.short in title
        assert item.key not in title and "@" not in title
        assert item in consensus_items(screen.session.appraisal)


async def test_a_resolved_consensus_item_shows_the_chosen_answer_by_its_label_not_its_code(
    tmp_path: Path, make_app
) -> None:
    merged = tmp_path / "consensus.yaml"
    a, b = DATA / "pathways-home-reviewer-a.yaml", DATA / "pathways-home-reviewer-b.yaml"
    assert CliRunner().invoke(cli, ["consensus", str(a), str(b), "-o", str(merged)]).exit_code == 0
    app = make_app(merged)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))
        screen = app.screen
        assert isinstance(screen, ResolveScreen)
        row = next(i for i, item in enumerate(screen.items) if item.key == "B4")  # A: Yes, B: Partly
        screen.query_one("#resolve-table").move_cursor(row=row)
        await pilot.press("b")
        await settle(app, pilot)
        status = str(screen.query_one("#resolve-status").render())
        assert "→ Partly" in status and "→ P " not in status
