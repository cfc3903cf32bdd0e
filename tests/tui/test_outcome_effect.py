"""The outcome dialog asks for the result (effect estimate) that the forest plot draws beside bias."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from appraise.files.store import load_appraisal
from appraise.tui.screens.outcomes import OutcomeForm, OutcomesScreen
from tests.tui.conftest import WIDE, settle


async def test_the_outcome_dialog_records_an_effect_estimate(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutcomesScreen)
        app.screen.query_one(OptionList).highlighted = 0  # the first outcome: readmission
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeForm)
        app.screen.query_one("#effect", Input).value = "RR 0.80 (95% CI 0.60 to 1.10) weight 12"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomesScreen)
    effect = load_appraisal(pathways).appraisal.outcomes[0].effect
    assert effect is not None
    assert (effect.measure, effect.estimate, effect.lower, effect.upper, effect.weight) == ("RR", 0.8, 0.6, 1.1, 12)


async def test_an_interval_that_misses_its_estimate_is_refused_in_the_dialog(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#effect", Input).value = "OR 2.5 (0.5 to 1.5)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeForm)
        assert "must hold the estimate" in str(app.screen.query_one("#problem", Static).render())
    assert load_appraisal(pathways).appraisal.outcomes[0].effect is None


async def test_the_report_exports_to_word_from_the_app(pathways: Path, make_app, tmp_path: Path) -> None:
    import docx
    from textual.widgets import RadioButton

    from appraise.tui.screens.report import ExportDialog

    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#fmt-docx", RadioButton).value = True
        await pilot.pause()
        target = dialog.query_one("#target", Input)
        assert target.value.endswith("pathways-home-report.docx")
        target.value = str(tmp_path / "out" / "report.docx")
        await pilot.click("#export")
        await app.workers.wait_for_complete()
        await pilot.pause()
    document = docx.Document(str(tmp_path / "out" / "report.docx"))
    assert document.paragraphs[0].style.name == "Title"
    assert any("Moderate confidence" in c.text for t in document.tables for r in t.rows for c in r.cells)
