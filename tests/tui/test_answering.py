"""Answering with the keyboard: digits choose and advance, arrows move, skip logic, nothing lost."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest

from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.widgets.question_card import QuestionCard
from tests.tui.conftest import NARROW, WIDE, answers_on_disk, settle


def current(app) -> str:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, AppraisalScreen)
    slot = screen.slot
    return slot.question.id if slot.question else f"@{slot.section.id}"


async def test_digits_answer_save_at_once_and_move_to_the_next_open_question(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        assert current(app) == "A1" and isinstance(app.focused, QuestionCard)
        await pilot.press("1", "1", "1")  # A1 Yes, A2 individually randomised, A3 full trial
        await settle(app, pilot)
        assert current(app) == "A4"
        assert answers_on_disk(fresh) == {"A1": "Y", "A2": "rct", "A3": "full"}


async def test_arrows_and_j_k_move_and_zero_clears(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("2")  # A1 Partly, now on A2
        await pilot.press("k")
        assert current(app) == "A1"
        await pilot.press("0")
        await settle(app, pilot)
        assert answers_on_disk(fresh) == {}
        await pilot.press("down", "j")
        assert current(app) == "A3"
        await pilot.press("up")
        assert current(app) == "A2"


async def test_a_digit_beyond_the_options_changes_nothing(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("9")
        await settle(app, pilot)
        assert current(app) == "A1" and answers_on_disk(fresh) == {}


async def test_questions_not_asked_are_shown_with_the_reason_and_skipped(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("1", "3")  # A2 = non-randomised
        screen = app.screen
        assert isinstance(screen, AppraisalScreen)
        screen.session.add_outcome("Readmission", type="service_use", primary=True)
        screen.jump_to("E1")
        await pilot.pause()
        remark = str(screen.card.render())
        assert "Not asked" in remark and "randomised designs" in remark
        await pilot.press("1")  # no effect on a question that is not asked
        await settle(app, pilot)
        assert "E1" not in answers_on_disk(fresh, "readmission")
        screen.jump_to("D6")
        await pilot.press("1")  # D6 answered → next open skips E1 and E2
        assert current(app) == "E3"


async def test_typed_note_quote_and_page_are_saved_within_a_second(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab")
        await pilot.press(*"[bold]not markup[/]")
        await pilot.press("tab", *"they say so", "tab", *"p. 6")
        await pilot.pause(1.2)
        await settle(app, pilot)
        from appraise.files.store import load_appraisal

        record = load_appraisal(fresh).appraisal.answers["A1"]
        assert (record.note, record.quote, record.page) == ("[bold]not markup[/]", "they say so", "p. 6")
        await pilot.press("escape")
        assert isinstance(app.focused, QuestionCard)


async def test_a_key_typed_once_the_maximum_wait_is_over_saves_at_once(fresh: Path, make_app) -> None:
    from appraise.tui.saving import MAX_WAIT

    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", "a")
        screen = app.screen
        assert isinstance(screen, AppraisalScreen) and screen.saver._first_unsaved is not None
        screen.saver._first_unsaved -= MAX_WAIT  # as if the reader had been typing for longer than that
        await pilot.press("b")
        assert screen.saver._timer is None  # saved at once: no timer of zero seconds (Textual cannot run one late)
        await settle(app, pilot)
        from appraise.files.store import load_appraisal

        assert load_appraisal(fresh).appraisal.answers["A1"].note == "ab"


async def test_quitting_saves_text_typed_a_moment_ago(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", *"quick note", "ctrl+q")
    from appraise.files.store import load_appraisal

    assert load_appraisal(fresh).appraisal.answers["A1"].note == "quick note"


async def test_reopening_resumes_where_the_reader_left_off(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("1", "1", "1", "j", "j")  # A4, then B1, then B2
        assert current(app) == "B2"
        await pilot.press("ctrl+q")
    again = make_app(fresh)
    async with again.run_test(size=WIDE) as pilot:
        assert current(again) == "B2"


async def test_a_failed_save_is_shown_kept_and_retried(fresh: Path, make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real_replace = os.replace

    def read_only(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    app = make_app(fresh)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        monkeypatch.setattr(os, "replace", read_only)
        await pilot.press("1")
        await settle(app, pilot)
        state = str(app.screen.query_one("#save-state").render())
        assert "not saved — the folder is read-only; retrying" in state
        assert answers_on_disk(fresh) == {}
        monkeypatch.setattr(os, "replace", real_replace)
        await pilot.pause(3.5)  # the retry
        await settle(app, pilot)
        assert answers_on_disk(fresh) == {"A1": "Y"}
        assert "saved" in str(app.screen.query_one("#save-state").render())


async def test_the_app_asks_before_writing_over_a_file_changed_elsewhere(fresh: Path, make_app) -> None:
    from appraise.tui.screens.dialogs import ConfirmDialog

    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        fresh.write_text(fresh.read_text(encoding="utf-8").replace("A trial", "Edited elsewhere"), encoding="utf-8")
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Edited elsewhere" in fresh.read_text(encoding="utf-8")  # nothing written yet
        await pilot.press("o")  # Overwrite
        await settle(app, pilot)
        assert answers_on_disk(fresh) == {"A1": "Y"}


async def test_user_text_is_shown_literally_never_as_markup(tmp_path: Path, make_app) -> None:
    import appraise
    from appraise.core.appraisal import Study
    from appraise.files.store import new_appraisal, write_appraisal

    path = tmp_path / "hostile.yaml"
    title = "[b]Loud[/] [link=http://x]y[/link]\x1b[2J"
    write_appraisal(path, new_appraisal(appraise.load_checklist("peer-support"), Study(title=title)))
    app = make_app(path)
    async with app.run_test(size=WIDE):
        shown = str(app.screen.query_one("#title").render())
        assert "[b]Loud[/]" in shown and "[link=http://x]" in shown
        assert "\x1b" not in shown and "␛" in shown


async def test_narrow_terminal_folds_the_navigator_into_a_strip(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=NARROW) as pilot:
        screen = app.screen
        assert not screen.query_one("#nav").display and screen.query_one("#strip").display
        await pilot.press("n")
        assert screen.query_one("#nav").display
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert not screen.has_class("narrow") and screen.query_one("#nav").display


async def test_reload_after_an_external_change_shows_the_file_as_it_is_now(fresh: Path, make_app) -> None:
    from appraise.tui.screens.dialogs import ConfirmDialog

    app = make_app(fresh)  # as `appraise open FILE`: the appraisal screen is the only screen
    async with app.run_test(size=WIDE) as pilot:
        fresh.write_text(fresh.read_text(encoding="utf-8").replace("A trial", "Edited elsewhere"), encoding="utf-8")
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("r")  # Reload
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AppraisalScreen)
        assert screen.session.appraisal.study.title == "Edited elsewhere"
        assert screen.session.appraisal.codes() == {}  # the unsaved answer was dropped, as the dialog says
        screen.jump_to("A1")
        await pilot.press("2")
        await settle(app, pilot)
        assert answers_on_disk(fresh) == {"A1": "P"}
        assert "Edited elsewhere" in fresh.read_text(encoding="utf-8")


async def test_ctrl_z_undoes_a_stray_digit_on_disk_and_returns_to_the_question(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("1", "1", "1")  # A1, A2, A3
        await settle(app, pilot)
        assert current(app) == "A4"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert current(app) == "A3"
        assert answers_on_disk(fresh) == {"A1": "Y", "A2": "rct"}
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")  # one more than there were changes
        await settle(app, pilot)
        assert answers_on_disk(fresh) == {}
        assert current(app) == "A1"


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_clicking_an_option_on_the_card_chooses_it(fresh: Path, make_app, size: tuple[int, int]) -> None:
    app = make_app(fresh)
    async with app.run_test(size=size) as pilot:
        card = app.screen.query_one(QuestionCard)
        question = app.screen.slot.question
        assert question is not None
        second = question.options[1]
        # Where the card shows the second option: its row as drawn (padding included), found by its label.
        lines = [strip.text for strip in card.render_lines(card.content_region.reset_offset)]
        row = next(i for i, line in enumerate(lines) if f"2  {second.label}" in line)
        await pilot.click(card, offset=(card.styles.gutter.left + 3, row))
        await settle(app, pilot)
        assert answers_on_disk(fresh) == {question.id: second.code}


async def test_closing_the_app_ends_its_writer_thread_with_everything_saved(fresh: Path, make_app) -> None:
    # However the app ends (here: the test's app is told to exit, not quit with ctrl+q), the screen's
    # writer finishes what is queued and ends: no thread is left holding the screen and its appraisal.
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("1", "1")
        await settle(app, pilot)
        writers = [t for t in threading.enumerate() if t.name == f"save {fresh.name}"]
        assert writers  # the screen's writer
    assert not any(t.is_alive() for t in writers)
    assert answers_on_disk(fresh) == {"A1": "Y", "A2": "rct"}
