"""Learning in the app: the glossary from a question, and practice mode with feedback."""

from __future__ import annotations

from pathlib import Path

from appraise.files.store import load_appraisal, write_appraisal
from appraise.learning.practice import find_vignette, model_appraisal
from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.screens.glossary import GlossaryScreen
from appraise.tui.screens.practice import PracticeFeedbackScreen
from appraise.tui.screens.start import StartScreen
from tests.tui.conftest import NARROW, WIDE, settle


async def test_g_opens_the_glossary_on_the_terms_of_the_question(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        app.screen.jump_to("E2")  # allocation concealment, in other words
        await pilot.pause()
        assert "Terms —" in str(app.screen.query_one("#help").render())
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        first = screen.shown[0]
        assert first.id in screen.initial
        assert first.term in str(screen.query_one("#definition").render())
        await pilot.press("ctrl+f", *"blinding")
        await pilot.pause()
        assert any("blind" in t.term.lower() for t in screen.shown)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, AppraisalScreen)


async def test_practice_from_the_start_screen_shows_the_vignette_and_gives_feedback(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        ids = [key for key, _ in dialog.items]
        await pilot.press(str(ids.index("hope-rising") + 1))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AppraisalScreen) and screen.practice is not None
        assert screen.query_one("#vignette").display
        await pilot.press("2", "1")  # A1 Partly (agrees), A2 individually randomised (agrees)
        await settle(app, pilot)
        path = data_dir / "practice" / "hope-rising.yaml"
        assert load_appraisal(path).appraisal.codes() == {"A1": "P", "A2": "rct"}
        await pilot.press("f")
        await pilot.pause()
        feedback = app.screen
        assert isinstance(feedback, PracticeFeedbackScreen)
        grades = {q.question_id: q.grade for q in feedback.feedback.questions if q.outcome_id is None}
        assert grades["A1"] == "agrees" and grades["A2"] == "agrees" and grades["A4"] == "unanswered"
        assert "Teaching points" in str(feedback.query_one("#practice-why").render())


async def test_a_finished_practice_appraisal_reopens_in_practice_mode(tmp_path: Path, make_app) -> None:
    vignette = find_vignette("pathways-home")
    path = tmp_path / "done.yaml"
    write_appraisal(path, model_appraisal(vignette))
    app = make_app(path)
    async with app.run_test(size=NARROW) as pilot:
        screen = app.screen
        assert screen.practice is not None and not screen.query_one("#vignette").display  # narrow: folded
        await pilot.press("v")
        assert screen.query_one("#vignette").display
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.feedback.full_marks


async def test_feedback_on_section_judgements_that_differ_from_the_model_opens(make_app, tmp_path: Path) -> None:
    vignette = find_vignette("pathways-home")
    app = make_app(practice=vignette, output=tmp_path / "mine.yaml")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("1", "3", "1", "1")  # section A answered, not as the model answer does
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        feedback = app.screen
        assert isinstance(feedback, PracticeFeedbackScreen)
        assert any(j.grade == "differs" for j in feedback.feedback.judgements)
        shown = str(feedback.query_one("#practice-why").render())
        assert "✗ differs" in shown and "Sections and overall" in shown


async def test_practice_feedback_keeps_every_column_on_screen_at_80_columns(make_app, tmp_path: Path) -> None:
    vignette = find_vignette("hope-rising")
    app = make_app(practice=vignette, output=tmp_path / "mine.yaml")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press(*"1" * 16)
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        table = app.screen.query_one("#practice-table")
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        assert table.max_scroll_x == 0
        narrow = table.virtual_size.width
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert table.virtual_size.width > narrow  # the answers get their room back
        assert table.virtual_size.width <= table.scrollable_content_region.width
