"""Classroom mode (``appraise serve --classroom``): practice and new appraisals, nothing outside the session."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.screens.new import NewAppraisalScreen
from appraise.tui.screens.start import StartScreen
from tests.tui.conftest import WIDE, settle


async def test_classroom_start_screen_offers_only_new_practice_and_glossary(make_app) -> None:
    app = make_app(classroom=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        menu = app.screen.query_one(OptionList)
        choices = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
        assert choices == ["new", "practice", "glossary"]
        assert not app.screen.query_one("#open-path", Input).display
        await pilot.press("f")  # "open a file" does nothing in the classroom
        assert not isinstance(app.focused, Input)


async def test_the_ordinary_start_screen_still_opens_files(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        menu = app.screen.query_one(OptionList)
        assert "open" in [menu.get_option_at_index(i).id for i in range(menu.option_count)]


async def test_classroom_refuses_to_open_a_file_outside_the_session_folder(make_app, pathways: Path) -> None:
    app = make_app(classroom=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.open_appraisal(pathways)
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert any("session's own folder" in str(n.message) for n in app._notifications)


async def test_classroom_new_appraisal_is_not_written_outside_the_session_folder(
    make_app, tmp_path: Path, data_dir: Path
) -> None:
    outside = tmp_path / "elsewhere" / "mine.yaml"
    app = make_app(classroom=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NewAppraisalScreen)
        screen.query_one("#title", Input).value = "A trial"
        screen.query_one("#file", Input).value = str(outside)
        screen.action_create()
        await pilot.pause()
        assert not outside.exists() and isinstance(app.screen, NewAppraisalScreen)
        screen.query_one("#file", Input).value = ""  # the default: the session's appraisals folder
        screen.action_create()
        await settle(app, pilot)
        assert isinstance(app.screen, AppraisalScreen)
        assert app.screen.store.path.resolve().is_relative_to(data_dir.resolve())


async def test_classroom_practice_file_is_made_in_the_session_folder(make_app, data_dir: Path) -> None:
    app = make_app(classroom=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, AppraisalScreen) and app.screen.practice is not None
        assert app.screen.store.path.resolve().is_relative_to(data_dir.resolve())
