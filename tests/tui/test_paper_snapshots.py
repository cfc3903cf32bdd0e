"""Snapshots of the paper pane: beside the questions on a wide terminal, full screen at 120×40 and 80×24.

Update only after looking at the failing report: `make snapshots` (snapshot_report.html).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli
from tests.papers.make_pdf import trial_pdf
from tests.tui.conftest import NARROW, WIDE


def _with_paper(pathways: Path) -> Path:
    result = CliRunner().invoke(cli, ["attach", str(pathways), str(trial_pdf(pathways.parent / "trial.pdf"))])
    assert result.exit_code == 0, result.output
    return pathways


async def _open_paper_and_search(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.press("p")
    await pilot.app.workers.wait_for_complete()
    await pilot.press("slash", *"lived experience", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_paper_pane_beside_the_questions(pathways: Path, make_app, snap_compare) -> None:
    app = make_app(_with_paper(pathways))
    assert snap_compare(app, terminal_size=(160, 40), run_before=_open_paper_and_search)


def test_paper_pane_full_screen_at_80_by_24(pathways: Path, make_app, snap_compare) -> None:
    app = make_app(_with_paper(pathways))
    assert snap_compare(app, terminal_size=NARROW, run_before=_open_paper_and_search)


def test_paper_pane_full_screen_at_120_by_40(pathways: Path, make_app, snap_compare) -> None:
    app = make_app(_with_paper(pathways))
    assert snap_compare(app, terminal_size=WIDE, run_before=_open_paper_and_search)
