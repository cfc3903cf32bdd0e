"""A snapshot of every screen and dialog at 80×24 and 120×40, blinking and animation off.

Each one is what a reader sees at that step; a change to any of them is looked at before it is
accepted: `make snapshots` after reading the failing report (snapshot_report.html).
Not here: the report preview (it prints today's date) and the resolve view (being widened).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

import appraise
from appraise.files.store import write_appraisal
from appraise.learning.practice import find_vignette, start_practice
from tests.tui.conftest import NARROW, WIDE

Step = Callable[[Any], Awaitable[None]]


async def _settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.animator.wait_until_complete()
    await pilot.pause()


def keys(*pressed: str) -> Step:
    """Press keys, letting the app settle after each (screens open on a key)."""

    async def run(pilot: Any) -> None:
        await _settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await _settle(pilot)

    return run


def at(question: str, *pressed: str) -> Step:
    """Go to a question, then press keys."""

    async def run(pilot: Any) -> None:
        await _settle(pilot)
        pilot.app.screen.jump_to(question)
        await keys(*pressed)(pilot)

    return run


async def export_dialog(pilot: Any) -> None:
    """The export dialog over the questions, with a fixed path (the real one is a temporary folder)."""
    from appraise.tui.screens.report import ExportDialog

    await _settle(pilot)
    screen = pilot.app.screen
    pilot.app.push_screen(ExportDialog(screen.session, screen.store.path))
    await _settle(pilot)
    pilot.app.screen.query_one("#target").value = "/home/reader/reports/pathways-home-report.md"
    await _settle(pilot)


SIZES = [pytest.param(NARROW, id="80x24"), pytest.param(WIDE, id="120x40")]

# name: (which file the app opens, what to do before the picture)
SCREENS: dict[str, tuple[str, Step]] = {
    "start": ("none", keys()),
    "start-practice-list": ("none", keys("p")),
    "new-appraisal-form": ("new", keys()),
    "questions": ("pathways", keys()),
    "questions-chosen-answer": ("pathways", at("B4")),
    "questions-why-and-where": ("pathways", at("B4", "i")),
    "questions-section-list": ("pathways", at("B4", "n")),
    "help": ("pathways", keys("question_mark")),
    "help-end": ("pathways", keys("question_mark", "end")),
    "glossary": ("pathways", at("E2", "g")),
    "outcomes": ("pathways", keys("o")),
    "outcome-form": ("pathways", keys("o", "a")),
    "judgements": ("pathways", keys("s")),
    "override-dialog": ("pathways", keys("s", "down", "down", "o")),
    "export-dialog": ("pathways", export_dialog),
    "copy-answers-dialog": ("pathways", at("E1", "c")),
    "practice-questions": ("practice", keys()),
    "practice-vignette": ("practice", keys("v")),
    "practice-feedback": ("practice", keys("1", "3", "1", "1", "f")),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name: str, size: tuple[int, int], pathways: Path, tmp_path: Path, make_app, snap_compare) -> None:
    opens, before = SCREENS[name]
    if opens == "pathways":
        app = make_app(pathways)
    elif opens == "practice":
        path = tmp_path / "practice.yaml"
        write_appraisal(path, start_practice(find_vignette("pathways-home")))
        app = make_app(path)
    elif opens == "new":
        app = make_app(checklist=appraise.load_checklist("peer-support"))
    else:
        app = make_app()
    assert snap_compare(app, terminal_size=size, run_before=before)
