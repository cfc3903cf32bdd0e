"""In the resolve view, `m` shows how outcomes were matched and links one by hand (as --match does)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList

from appraise.files.store import load_appraisal
from appraise.review.consensus import record_of
from appraise.tui.screens.dialogs import ChoiceDialog
from appraise.tui.screens.matching import OutcomeMatchScreen
from appraise.tui.screens.resolve import ResolveScreen
from tests.core.test_rematch import _unmatched_consensus
from tests.tui.conftest import NARROW, WIDE, settle


async def test_m_shows_the_unmatched_outcome_and_links_it_to_the_first_reviewers(tmp_path: Path, make_app) -> None:
    out = _unmatched_consensus(tmp_path)
    app = make_app(out)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))
        await pilot.press("m")
        await settle(app, pilot, until=lambda: isinstance(app.screen, OutcomeMatchScreen))
        shown = str(app.screen.query_one("#match-links").render())
        assert "NOT IN EVERY FILE" in shown and "Back in hospital at 1 year" in shown
        choices = app.screen.query_one(OptionList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        choices.highlighted = next(i for i, label in enumerate(labels) if "Back in hospital" in label)
        await pilot.press("enter")
        await settle(app, pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen.query_one(OptionList)
        targets = [str(dialog.get_option_at_index(i).prompt) for i in range(dialog.option_count)]
        await pilot.press(str(next(i for i, t in enumerate(targets, 1) if "Readmission within 12 months" in t)))
        await settle(app, pilot, until=lambda: isinstance(app.screen, OutcomeMatchScreen))
        assert "linked by hand" in str(app.screen.query_one("#match-links").render())
        await pilot.press("escape")
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))
        table = app.screen.query_one(DataTable)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert not any("Back in hospital" in row for row in rows)  # the view shows the rebuilt items
    record = record_of(load_appraisal(out).appraisal)
    assert record is not None and any(m.endswith("back-in-hospital=readmission") for m in record.matches)
    assert len(record.items["E3@readmission"].sides) == 3


async def test_at_80x24_every_other_reviewers_outcome_can_be_linked(tmp_path: Path, make_app) -> None:
    out = _unmatched_consensus(tmp_path)
    app = make_app(out)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))
        await pilot.press("m")
        await settle(app, pilot, until=lambda: isinstance(app.screen, OutcomeMatchScreen))
        choices = app.screen.query_one(OptionList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert sum(label.startswith("Bea Lund") for label in labels) == 3  # Bea has an outcome Alex has not
        assert sum(label.startswith("Chidi Okafor") for label in labels) == 2
        assert choices.has_focus
