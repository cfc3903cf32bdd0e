"""Fixtures for driving the real app headless with Pilot: fixed size, no blinking, own data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import appraise
from appraise.core.appraisal import Study
from appraise.files.store import load_appraisal, new_appraisal, write_appraisal
from appraise.tui import AppraiseApp

WIDE = (120, 40)
NARROW = (80, 24)


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A new, empty peer-support appraisal file."""
    path = tmp_path / "study.yaml"
    checklist = appraise.load_checklist("peer-support")
    write_appraisal(path, new_appraisal(checklist, Study(title="A trial", authors="Ada Lovelace", year="2025")))
    return path


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., AppraiseApp]:
    def make(path: Path | None = None, **kwargs: object) -> AppraiseApp:
        return AppraiseApp(path, data_dir=data_dir, cursor_blink=False, **kwargs)  # type: ignore[arg-type]

    return make


async def settle(app: AppraiseApp, pilot: object, until: Callable[[], bool] | None = None) -> None:
    """Wait until workers are done, every autosave is written and handled, the screen on top has
    run its ``on_mount``, and ``until()`` holds.

    Saves run on their own thread (not a Textual worker), screens may be pushed after a refresh,
    and a pushed screen is on top before it has mounted (its table still empty), so one pause is
    not enough on a loaded machine: wait for the state itself.
    A save that failed or waits for the reader (file changed elsewhere) counts as settled.
    """
    for _ in range(1000):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        ready = app.screen.is_mounted and not any(_saving(screen) for screen in app.screen_stack)
        if ready and (until is None or until()):
            return
    raise AssertionError("the app did not settle: a save or the awaited screen never arrived")


def _saving(screen: object) -> bool:
    """Whether a screen's autosaver has a change that is not yet written (or is about to be)."""
    saver = getattr(screen, "saver", None)
    if saver is None or saver.failure is not None or saver.on_hold:
        return False
    return bool(saver.pending)


def answers_on_disk(path: Path, outcome: str | None = None) -> dict[str, str]:
    return load_appraisal(path).appraisal.codes(outcome)
