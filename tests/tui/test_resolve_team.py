"""The resolve view with three reviewers, at 120 columns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.review.consensus import consensus_items
from tests.conftest import DATA
from tests.tui.conftest import WIDE, settle


@pytest.fixture
def consensus_of_three(tmp_path: Path) -> Path:
    """A consensus of three reviewers; the third named the readmission outcome differently."""
    files = []
    for name, source in (("alex", "a"), ("bea", "b"), ("chidi", "a")):
        path = tmp_path / f"{name}.yaml"
        shutil.copy(DATA / f"pathways-home-reviewer-{source}.yaml", path)
        files.append(path)
    text = files[2].read_text(encoding="utf-8")
    text = text.replace("reviewer: Alex Morgan", "reviewer: Chidi Okafor").replace(
        'C5: {answer: "U"', 'C5: {answer: "N"'
    )
    text = text.replace(
        "{id: readmission, name: Readmission within 12 months",
        "{id: psychiatric-readmission-within-12-months, name: Psychiatric readmission within 12 months",
    ).replace("\n  readmission:", "\n  psychiatric-readmission-within-12-months:")
    files[2].write_text(text, encoding="utf-8")
    out = tmp_path / "consensus.yaml"
    result = CliRunner().invoke(cli, ["consensus", *map(str, files), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


async def test_every_reviewer_and_the_status_fit_in_120_columns(consensus_of_three: Path, make_app) -> None:
    from textual.widgets import DataTable

    app = make_app(consensus_of_three)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#resolve-table", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[0] == "Item" and labels[-1] == "Status"
        assert [label[:2] for label in labels[2:5]] == ["A:", "B:", "C:"]
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 120
        keys = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert not any("@" in key for key in keys)  # outcome ids are not shown raw
        assert "Alex Morgan" in str(app.screen.query_one("#side-a").render())
        assert "Chidi Okafor" in str(app.screen.query_one("#side-c").render())


async def test_c_takes_the_third_reviewers_answer(consensus_of_three: Path, make_app) -> None:
    app = make_app(consensus_of_three)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        row = next(i for i, item in enumerate(screen.items) if item.key == "C5")
        screen.query_one("#resolve-table").move_cursor(row=row)
        await pilot.press("c")
        await settle(app, pilot)
    items = {i.key: i for i in consensus_items(load_appraisal(consensus_of_three).appraisal)}
    assert (items["C5"].status, items["C5"].chosen, items["C5"].answer) == ("resolved", "c", "N")


async def test_an_item_answered_in_the_questions_view_is_no_longer_open(consensus_of_three: Path, make_app) -> None:
    app = make_app(consensus_of_three)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # back to the questions
        await pilot.pause()
        app.screen.jump_to("C5")
        await pilot.pause()
        await pilot.press("2")  # the second option of C5
        await settle(app, pilot)
        await pilot.press("x")  # the resolve view again
        await pilot.pause()
        await settle(app, pilot)
        c5 = next(item for item in app.screen.items if item.key == "C5")
        assert c5.status == "resolved"
    items = {i.key: i for i in consensus_items(load_appraisal(consensus_of_three).appraisal)}
    assert items["C5"].status == "resolved" and items["C5"].reason == "answered in the questions view"


async def test_the_reviews_guidance_shows_beside_the_checklists_hint(tmp_path: Path, make_app) -> None:
    (tmp_path / "review" / "alex").mkdir(parents=True)
    path = tmp_path / "review" / "alex" / "pathways-home.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    (tmp_path / "review" / "review.yaml").write_text(
        'team: [alex]\nguidance:\n  C5: "In this review, shared wards with no monitoring count as N."\n',
        encoding="utf-8",
    )
    app = make_app(path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.screen.jump_to("C5")
        await pilot.pause()
        help_text = str(app.screen.query_one("#help").render())
        assert "This review — In this review, shared wards" in help_text
        assert "Why it matters" in help_text
        app.screen.jump_to("C4")
        await pilot.pause()
        assert "This review" not in str(app.screen.query_one("#help").render())


async def test_a_file_marked_complete_opens_read_only(tmp_path: Path, make_app) -> None:
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    assert CliRunner().invoke(cli, ["complete", str(path)]).exit_code == 0
    before = load_appraisal(path).appraisal.codes()
    app = make_app(path)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        app.screen.jump_to("C5")
        await pilot.pause()
        await pilot.press("2")
        await settle(app, pilot)
        assert any("read-only" in n.message for n in app._notifications)
    assert load_appraisal(path).appraisal.codes() == before
