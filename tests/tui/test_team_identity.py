"""Who "I" am in the app: the new-appraisal form and the history name the reviewer from the settings."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

import appraise
from appraise.files.settings import write_setting
from appraise.files.store import load_appraisal
from appraise.review.history import entries
from appraise.tui.screens.new import NewAppraisalScreen
from tests.tui.conftest import WIDE, settle


async def test_the_new_appraisal_form_offers_the_reviewer_from_the_settings(data_dir: Path, make_app) -> None:
    write_setting("reviewer", "Sam Okafor", data_dir)
    app = make_app(checklist=appraise.load_checklist("peer-support"))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, NewAppraisalScreen))
        assert app.screen.query_one("#reviewer", Input).value == "Sam Okafor"


async def test_reviewer_given_to_the_app_names_every_save_in_the_history(fresh: Path, make_app) -> None:
    app = make_app(fresh, reviewer="Bea Lund")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot, until=lambda: bool(entries(load_appraisal(fresh).appraisal)))
    assert entries(load_appraisal(fresh).appraisal)[-1]["by"] == "Bea Lund"
