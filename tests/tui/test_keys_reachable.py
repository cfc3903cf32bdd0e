"""Every key of every screen and dialog is shown in the footer, or on the help screen that the footer offers.

The keys come from the app itself: the bindings active on the screen (its own, the focused
widget's and the app's), as the footer reads them. Bindings of Textual's own widgets (the
cursor keys of a text field, a table) are theirs to document; appraise's are ours.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding

from appraise.tui.screens.help import HELP
from appraise.tui.widgets.footer import FittingFooter, FooterItem
from tests.tui.conftest import NARROW, WIDE
from tests.tui.routes import ROUTES, app_for

SIZES = [pytest.param(NARROW, id="80x24"), pytest.param(WIDE, id="120x40")]

# How the help screen writes a key that Textual names otherwise.
WRITTEN = {
    "question_mark": "?",
    "down": "↓",
    "up": "↑",
    "pagedown": "page down",
    "pageup": "page up",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "full_stop": ".",
    "comma": ",",
    "slash": "/",
}


def keys_in_help() -> set[str]:
    """Every key the help screen names (in backticks), with ranges such as `1`–`9` spelled out."""
    named = set(re.findall(r"`([^`]+)`", HELP))
    for low, high in re.findall(r"`(\d)`–`(\d)`", HELP):
        named |= {str(n) for n in range(int(low), int(high) + 1)}
    return named


def footer_items(app: Any) -> list[FooterItem]:
    """The footer keys a reader can see (drawn whole inside the terminal's width)."""
    for screen in reversed(app.screen_stack):  # a dialog without a footer shows the one beneath
        footers = screen.query(FittingFooter)
        if footers:
            return footers.first().shown()
    return []


def footer_actions(app: Any) -> dict[str, str]:
    """The footer keys a reader can see: action → key."""
    return {item.action: item.key for item in footer_items(app)}


def digits_shown(app: Any) -> set[str]:
    """The digits a footer key such as ``1-9 Choose`` stands for."""
    shown = [re.fullmatch(r"(\d)-(\d)", item.key_display) for item in footer_items(app)]
    return {str(n) for m in shown if m for n in range(int(m[1]), int(m[2]) + 1)}


def ours(node: object, key: str) -> bool:
    """Whether appraise itself bound ``key`` on this node (not a Textual default such as copy)."""
    for cls in type(node).__mro__:
        if cls.__module__.startswith("appraise.") and "BINDINGS" in vars(cls):
            for binding in vars(cls)["BINDINGS"]:
                if key in (binding.key if isinstance(binding, Binding) else binding[0]).split(","):
                    return True
    return False


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(ROUTES))
async def test_every_key_is_in_the_footer_or_on_the_help_screen(
    name: str, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app
) -> None:
    monkeypatch.chdir(tmp_path)
    opens, route = ROUTES[name]
    app = app_for(opens, make_app, tmp_path)
    async with app.run_test(size=size) as pilot:
        await route(pilot)
        for _ in range(100):  # the footer fills in its keys on a refresh after the screen mounts
            in_footer = footer_actions(app)
            if in_footer:
                break
            await pilot.pause()
        help_offered = any(action in ("app.help", "help", "help_in_field") for action in in_footer)
        documented = keys_in_help() if help_offered else set()
        documented |= digits_shown(app)
        hidden = [
            key
            for key, active in app.screen.active_bindings.items()
            if ours(active.node, key)
            and active.binding.action not in in_footer
            and WRITTEN.get(key, key) not in documented
        ]
        assert not hidden, f"{name}: {hidden} neither in the footer {sorted(in_footer.values())} nor on the help screen"
