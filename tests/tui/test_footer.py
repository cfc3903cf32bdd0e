"""The footer shows the keys of where the reader is, and fits the terminal it is in."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from tests.tui.conftest import NARROW, WIDE, settle
from tests.tui.test_keys_reachable import footer_actions

PALETTE = "command_palette"


async def test_the_footer_follows_focus_from_the_question_to_the_note_and_back(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: "choose(1)" in footer_actions(app))
        await pilot.press("tab")
        await settle(app, pilot, until=lambda: isinstance(app.focused, TextArea))
        await settle(app, pilot, until=lambda: "choose(1)" not in footer_actions(app))
        await pilot.press("escape")
        await settle(app, pilot, until=lambda: "choose(1)" in footer_actions(app))


async def test_narrowing_the_terminal_drops_the_palette_key_and_keeps_help(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: PALETTE in footer_actions(app))
        await pilot.resize_terminal(*NARROW)
        await settle(app, pilot, until=lambda: PALETTE not in footer_actions(app))
        assert "app.help" in footer_actions(app)
        await pilot.resize_terminal(*WIDE)
        await settle(app, pilot, until=lambda: PALETTE in footer_actions(app))
