"""The paper pane: read beside the questions, search, where to look, and quote in one key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Input, OptionList, TextArea

import appraise
from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.widgets.paper_pane import PaperPane
from appraise.tui.widgets.question_card import QuestionCard
from tests.papers.make_pdf import scanned_pdf, trial_pdf
from tests.tui.conftest import NARROW, settle

PAPER_WIDE = (160, 40)


@pytest.fixture
def with_paper(fresh: Path) -> Path:
    """The fresh peer-support appraisal with a six-page trial PDF attached."""
    paper = trial_pdf(fresh.parent / "trial.pdf")
    result = CliRunner().invoke(cli, ["attach", str(fresh), str(paper)])
    assert result.exit_code == 0, result.output
    return fresh


async def open_pane(app, pilot) -> PaperPane:  # type: ignore[no-untyped-def]
    await pilot.press("p")
    await settle(app, pilot)
    pane = app.screen.query_one(PaperPane)
    assert pane.view is not None and pane.page_count == 6
    return pane


async def test_p_shows_the_paper_beside_the_questions_on_a_wide_terminal(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        screen = app.screen
        assert screen.query_one("#main").display and pane.display
        assert "Peer support after discharge" in pane.area.text
        await pilot.press("right_square_bracket")
        assert pane.number == 2 and "Methods." in pane.area.text


async def test_at_80_by_24_the_paper_fills_the_screen_and_p_gives_the_questions_back(
    with_paper: Path, make_app
) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=NARROW) as pilot:
        pane = await open_pane(app, pilot)
        assert not app.screen.query_one("#main").display
        await pilot.press("p")
        assert not pane.display and app.screen.query_one("#main").display


async def test_go_to_page_accepts_the_printed_page_number(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        await pilot.press("t", *"1371", "enter")
        assert pane.number == 3


async def test_slash_searches_the_whole_paper_and_steps_through_hits(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        await pilot.press("slash", *"LIVED EXPERIENCE", "enter")
        hits = pane.hits
        assert len(hits) > 2 and {h.page.number for h in hits} >= {1, 2}
        assert pane.area.selected_text.lower() == "lived experience"
        first = pane.number
        await pilot.press("full_stop")
        assert pane.hit_index == 1 and pane.number >= first


async def test_select_a_passage_and_y_makes_it_the_answers_quote_and_page(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        await pilot.press("slash", *"central web-based system", "enter")
        assert pane.number == 2
        await pilot.press("y")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AppraisalScreen)
        question = screen.slot.question
        assert question is not None
        record = load_appraisal(with_paper).appraisal.answers[question.id]
        assert (record.quote, record.page) == ("central web-based system", "2")
        assert screen.query_one("#quote", TextArea).border_subtitle == "✓ found on page 2"


async def test_keyboard_selection_from_the_cursor_is_captured(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        await pilot.press("right_square_bracket")
        await pilot.press(*["shift+right"] * 8)
        assert pane.area.selected_text == "Methods."
        await pilot.press("y")
        await settle(app, pilot)
        record = next(iter(load_appraisal(with_paper).appraisal.answers.values()))
        assert (record.quote, record.page) == ("Methods.", "2")


async def test_a_hand_typed_quote_not_in_the_paper_is_flagged_beside_it(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        quote = screen.query_one("#quote", TextArea)
        quote.focus()
        quote.insert("Participants chose their own peer worker from a list of volunteers.")
        await settle(app, pilot)
        assert quote.border_subtitle == "✗ not found in the paper"


async def test_l_lists_passages_for_the_question_cues_only_when_asked(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        menu = pane.query_one("#paper-list", OptionList)
        assert not menu.display
        pane.cues = ["allocation concealed", "central", "web-based"]
        await pilot.press("l")
        await settle(app, pilot)
        assert menu.display and menu.option_count >= 1
        assert "concealed by a central web-based system" in str(menu.get_option_at_index(0).prompt)
        assert app.focused is menu
        await pilot.press("enter")
        assert pane.number == 2 and "concealed by a central" in pane.area.selected_text


async def test_the_pane_remembers_its_page_per_appraisal(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await open_pane(app, pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.press("ctrl+q")
    again = make_app(with_paper)
    async with again.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(again, pilot)
        assert pane.number == 3


async def test_without_a_paper_the_pane_says_how_to_attach_one(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        pane = app.screen.query_one(PaperPane)
        assert "appraise attach" in pane.area.text


async def test_new_with_a_paper_attaches_it_to_the_new_appraisal(make_app, tmp_path: Path) -> None:
    paper = trial_pdf(tmp_path / "trial.pdf")
    target = tmp_path / "hope.yaml"
    app = make_app(checklist=appraise.load_checklist("peer-support"), output=target, paper=paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        assert app.screen.query_one("#paper", Input).value == str(paper)
        await pilot.press(*"HOPE RISING", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppraisalScreen)
        recorded = load_appraisal(target).appraisal.paper
        assert recorded is not None and (recorded.path, recorded.pages) == ("trial.pdf", 6)
        pane = await open_pane(app, pilot)
        assert pane.number == 1


async def test_an_unreadable_paper_is_explained_and_the_appraisal_goes_on_without_it(make_app, tmp_path: Path) -> None:
    scan = scanned_pdf(tmp_path / "scan.pdf")
    target = tmp_path / "hope.yaml"
    app = make_app(checklist=appraise.load_checklist("peer-support"), output=target, paper=scan)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await pilot.press(*"HOPE RISING", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppraisalScreen)
        assert load_appraisal(target).appraisal.paper is None
        assert any("no text layer" in n.message for n in app._notifications)


async def test_the_palette_attaches_a_paper_to_an_open_appraisal(fresh: Path, make_app) -> None:
    paper = trial_pdf(fresh.parent / "later.pdf")
    app = make_app(fresh)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await pilot.press("ctrl+p", *"Attach paper")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press(*str(paper), "enter")
        await settle(app, pilot)
        recorded = load_appraisal(fresh).appraisal.paper
        assert recorded is not None and recorded.path == "later.pdf"
        pane = await open_pane(app, pilot)
        assert "Peer support after discharge" in pane.area.text


async def test_a_passage_dragged_with_the_mouse_is_captured(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        pane = await open_pane(app, pilot)
        await pilot.press("right_square_bracket")
        area = pane.area
        await pilot.mouse_down(area, offset=(1, 0))
        await pilot.hover(area, offset=(9, 0))
        await pilot.mouse_up(area, offset=(9, 0))
        assert area.selected_text == "Methods."
        await pilot.press("y")
        await settle(app, pilot)
        record = next(iter(load_appraisal(with_paper).appraisal.answers.values()))
        assert (record.quote, record.page) == ("Methods.", "2")


async def test_a_paper_that_cannot_be_found_is_asked_for_when_the_pane_opens(with_paper: Path, make_app) -> None:
    moved = with_paper.parent.parent / "elsewhere.pdf"
    (with_paper.parent / "trial.pdf").rename(moved)
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await settle(app, pilot)  # no question asked until the reader opens the pane
        assert isinstance(app.screen, AppraisalScreen)
        await pilot.press("p")
        await settle(app, pilot)
        assert "Where is the paper now?" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press(*str(moved), "enter")
        await settle(app, pilot)
        recorded = load_appraisal(with_paper).appraisal.paper
        assert recorded is not None and recorded.path == "../elsewhere.pdf"
        assert app.screen.query_one(PaperPane).page_count == 6


async def test_escape_closes_the_search_then_returns_to_the_question(with_paper: Path, make_app) -> None:
    app = make_app(with_paper)
    async with app.run_test(size=NARROW) as pilot:
        pane = await open_pane(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        assert app.focused is pane.area and pane.display
        await pilot.press("escape")
        assert not pane.display and app.screen.query_one("#main").display
        assert isinstance(app.focused, QuestionCard)


async def test_a_file_marked_complete_takes_no_quote_from_the_pane(with_paper: Path, make_app) -> None:
    from appraise.files.store import write_appraisal
    from appraise.review.locking import mark_complete

    appraisal = load_appraisal(with_paper).appraisal
    mark_complete(appraisal, "Alex Morgan")
    write_appraisal(with_paper, appraisal)
    app = make_app(with_paper)
    async with app.run_test(size=PAPER_WIDE) as pilot:
        await open_pane(app, pilot)
        await pilot.press("slash", *"central web-based system", "enter", "y")
        await settle(app, pilot)
        assert load_appraisal(with_paper).appraisal.answers == {}
        assert any("read-only" in n.message for n in app._notifications)
