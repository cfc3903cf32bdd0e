"""The footer shows the keys of where the reader is, and fits the terminal it is in."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from appraise.tui.screens.help import HelpScreen
from appraise.tui.widgets.footer import FittingFooter
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


async def test_clicking_a_key_in_the_footer_presses_it_and_hovering_highlights_it(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot, until=lambda: "app.help" in footer_actions(app))
        footer = app.screen.query_one(FittingFooter)
        column = footer.render().plain.index("? Help")
        await pilot.hover(FittingFooter, offset=(column, 0))
        await settle(app, pilot, until=lambda: _hovered(footer) == "? Help")
        await pilot.click(FittingFooter, offset=(column, 0))
        await settle(app, pilot, until=lambda: isinstance(app.screen, HelpScreen))


def _hovered(footer: FittingFooter) -> str:
    """The text of the footer drawn in the hover style."""
    hover = footer.get_component_rich_style("fitting-footer--hover").bgcolor
    line = footer.render()
    return "".join(
        line.plain[span.start : span.end] for span in line.spans if getattr(span.style, "bgcolor", None) == hover
    ).strip()
