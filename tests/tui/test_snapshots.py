"""A few snapshots of the screens that matter, at fixed sizes, blinking and animation off.

Update only after looking at the failing report: `make snapshots` (snapshot_report.html).
"""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import NARROW, WIDE


def test_appraisal_screen_wide(pathways: Path, make_app, snap_compare) -> None:
    app = make_app(pathways)
    assert snap_compare(app, terminal_size=WIDE, run_before=_settle)


def test_appraisal_screen_narrow_with_a_chosen_answer(pathways: Path, make_app, snap_compare) -> None:
    async def go_to_b4(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        pilot.app.screen.jump_to("B4")
        await pilot.pause()

    app = make_app(pathways)
    assert snap_compare(app, terminal_size=NARROW, run_before=go_to_b4)


def test_judgements_screen(pathways: Path, make_app, snap_compare) -> None:
    app = make_app(pathways)
    assert snap_compare(app, terminal_size=WIDE, press=["s"], run_before=_settle)


def test_start_screen(make_app, snap_compare) -> None:
    app = make_app()
    assert snap_compare(app, terminal_size=WIDE, run_before=_settle)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
