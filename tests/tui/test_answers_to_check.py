"""The judgements screen lists the checklist's warnings (e.g. D2 against the primary outcome), live."""

from __future__ import annotations

from pathlib import Path

from appraise.tui.screens.judgements import JudgementsScreen
from tests.tui.conftest import WIDE

D2_WARNING = "D2 (kind of primary outcome) does not match the type of the outcome marked primary"


def _with_d2(path: Path, d2: str) -> Path:
    path.write_text(path.read_text(encoding="utf-8").replace("D2: service_use", f"D2: {d2}"), encoding="utf-8")
    return path


async def _detail(make_app, path: Path) -> str:
    app = make_app(path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, JudgementsScreen)
        return str(app.screen.query_one("#why").render())


async def test_judgements_screen_shows_a_d2_that_contradicts_the_primary_outcome(make_app, pathways: Path) -> None:
    text = await _detail(make_app, _with_d2(pathways, "recovery"))
    assert "Answers to check" in text
    assert f"Readmission within 12 months (primary outcome): {D2_WARNING}" in text.replace("\n", " ")


async def test_judgements_screen_has_nothing_to_check_when_d2_fits(make_app, pathways: Path) -> None:
    text = await _detail(make_app, pathways)
    assert "Answers to check" not in text and "D2 (kind of primary outcome)" not in text
