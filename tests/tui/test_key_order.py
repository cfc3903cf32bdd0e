"""Keys typed in one burst (a fast typist, a paste of keys, a busy machine) act in the order typed.

The keys are posted to the app all at once, as the terminal driver posts what it read in one go,
so each test gives the app no chance to finish one key before the next arrives.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events
from textual.widgets import Static

from appraise.files.store import load_appraisal
from appraise.tui import AppraiseApp
from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.widgets.question_card import QuestionCard
from tests.tui.conftest import WIDE, settle


def burst(app: AppraiseApp, *keys: str) -> None:
    """Post keys to the app in one go, as the driver does with what it read from the terminal."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_an_answer_then_tab_and_a_note_in_one_burst_answers_and_notes_the_next_question(
    fresh: Path, make_app
) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        burst(app, "1", "tab", *"Why", "tab", *"Quoted")
        await settle(app, pilot, until=lambda: app.screen.session.record(app.screen.slot) is not None)
        answers = app.screen.session.appraisal.answers
        assert answers["A1"].answer == "Y"  # the digit was not lost to the Tab after it
        assert (answers["A2"].note, answers["A2"].quote) == ("Why", "Quoted")  # nor the text to the move


async def test_keys_typed_while_screens_open_and_close_reach_the_screen_on_show(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        # Judgements, the third row (C), override it with major concerns and a reason, and back.
        burst(app, "s", "down", "down", "o", "3", *"Site effects", "enter", "escape")
        await settle(app, pilot, until=lambda: isinstance(app.screen, AppraisalScreen))
        override = load_appraisal(pathways).appraisal.overrides["C"]
        assert (override.judgement, override.reason) == ("major_concerns", "Site effects")
        assert isinstance(app.focused, QuestionCard)


class Restless(Static):
    """A widget that is never at rest: a message always waits in its queue (it lets others run)."""

    def on_mount(self) -> None:
        self.post_message(events.Callback(callback=self.again))

    async def again(self) -> None:
        self.post_message(events.Callback(callback=self.again))
        await asyncio.sleep(0)


async def test_a_screen_that_never_rests_does_not_freeze_the_keyboard(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await app.screen.mount(Restless())
        burst(app, "1", "1")
        await settle(app, pilot, until=lambda: len(app.screen.session.appraisal.answers) == 2)
