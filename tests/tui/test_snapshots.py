"""A snapshot of every screen and dialog at 80×24 and 120×40, blinking and animation off.

Each one is what a reader sees at that step; a change to any of them is looked at before it is
accepted: `make snapshots` after reading the failing report (snapshot_report.html).
The routes to each screen are in `tests/tui/routes.py`; the paper pane has its own pictures
(`test_paper_snapshots.py`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.tui.conftest import NARROW, WIDE
from tests.tui.routes import ROUTES, app_for

SIZES = [pytest.param(NARROW, id="80x24"), pytest.param(WIDE, id="120x40")]


class _FixedDate(dt.date):
    """The report preview prints the day it was made: one fixed day, so the picture is stable."""

    @classmethod
    def today(cls) -> _FixedDate:
        return cls(2026, 3, 14)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(ROUTES))
def test_screen(
    name: str, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app, snap_compare
) -> None:
    monkeypatch.chdir(tmp_path)  # paths a screen prints are relative, the same in every run
    monkeypatch.setattr("appraise.reports.report._dt.date", _FixedDate)
    opens, before = ROUTES[name]
    assert snap_compare(app_for(opens, make_app, tmp_path), terminal_size=size, run_before=before)
