"""Whole flows: a new appraisal, outcomes, judgements with overrides, the report and its export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import appraise
from appraise.files.store import load_appraisal
from appraise.tui.screens.appraisal import AppraisalScreen
from appraise.tui.screens.judgements import JudgementsScreen, OverrideDialog
from appraise.tui.screens.new import NewAppraisalScreen
from appraise.tui.screens.outcomes import OutcomeForm, OutcomesScreen
from appraise.tui.screens.report import ExportDialog, ReportScreen
from appraise.tui.screens.start import StartScreen
from tests.conftest import DATA
from tests.tui.conftest import WIDE, answers_on_disk, settle


async def test_new_appraisal_form_creates_the_file_and_opens_it(make_app, data_dir: Path) -> None:
    app = make_app(checklist=appraise.load_checklist("peer-support"))
    async with app.run_test(size=WIDE) as pilot:
        assert isinstance(app.screen, NewAppraisalScreen)
        await pilot.press(*"HOPE RISING", "enter", *"Inkwhistle B, Delacourt-Mbeki S", "enter", *"2023")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AppraisalScreen)
        path = data_dir / "appraisals" / "hope-rising.yaml"
        loaded = load_appraisal(path)
        assert loaded.appraisal.study.title == "HOPE RISING"
        assert loaded.appraisal.study.label == "Inkwhistle 2023"
        assert loaded.checklist.id == "peer-support"
        await pilot.press("2")
        await settle(app, pilot)
        assert answers_on_disk(path) == {"A1": "P"}


async def test_new_appraisal_needs_a_title(make_app) -> None:
    app = make_app(checklist=appraise.load_checklist("peer-support"))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NewAppraisalScreen)
        assert "title" in str(app.screen.query_one("#problem").render())


async def test_start_screen_lists_recent_appraisals_and_opens_one(make_app, pathways: Path) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+q")
    start = make_app()
    async with start.run_test(size=WIDE) as pilot:
        assert isinstance(start.screen, StartScreen)
        await start.workers.wait_for_complete()
        await pilot.pause()
        menu = start.screen.query_one("#start-menu")
        recent = str(menu.get_option(f"file:{pathways.resolve()}").prompt)
        assert "44/48" in recent and "Fenwick-Tarrant 2024" in recent
        menu.highlighted = menu.get_option_index(f"file:{pathways.resolve()}")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(start.screen, AppraisalScreen)


async def test_outcomes_are_added_answered_separately_and_renamed_keeping_answers(fresh: Path, make_app) -> None:
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        screen = app.screen
        await pilot.press("1", "1", "1")
        screen.jump_to("D6")
        await pilot.press("1")  # → the "add an outcome" placeholder of section E
        await settle(app, pilot, until=lambda: screen.slot.question is None)  # the answer's message, handled
        await pilot.press("1")  # any digit there opens the outcomes dialog
        await pilot.pause()
        assert isinstance(app.screen, OutcomeForm)
        await pilot.press(*"Readmission", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.slot.question is not None and screen.slot.question.id == "E1"
        await pilot.press("1", "1")
        await settle(app, pilot)
        assert answers_on_disk(fresh, "readmission")["E1"] == "Y"
        loaded = load_appraisal(fresh).appraisal
        assert [(o.id, o.primary) for o in loaded.outcomes] == [("readmission", True)]
        # rename: the id stays, so the answers stay
        screen.session.update_outcome(
            "readmission", name="Readmission at 12 months", type="service_use", primary=True, finding="no_difference"
        )
        screen.saver.now()
        await settle(app, pilot)
        loaded = load_appraisal(fresh).appraisal
        assert loaded.outcomes[0].id == "readmission" and loaded.outcomes[0].name == "Readmission at 12 months"
        assert loaded.codes("readmission")["E1"] == "Y"


async def test_copy_answers_from_another_outcome_fills_only_unanswered(pathways: Path, make_app) -> None:
    text = pathways.read_text(encoding="utf-8").replace(
        '  qpr-4m:\n    E1: "Y"\n    E2: "Y"\n    E3: "Y"\n', '  qpr-4m:\n    E3: "N"\n'
    )
    pathways.write_text(text, encoding="utf-8")
    app = make_app(pathways)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        app.screen.jump_to("E1", "qpr-4m")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("1")  # the only other outcome: readmission
        await settle(app, pilot)
        codes = answers_on_disk(pathways, "qpr-4m")
        assert codes["E1"] == "Y" and codes["E2"] == "Y"
        assert codes["E3"] == "N"  # already answered: kept


async def test_override_needs_a_reason_and_is_saved_with_it(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JudgementsScreen)
        row = next(i for i, e in enumerate(screen.entries) if e.section.id == "C")
        screen.query_one("#table").move_cursor(row=row)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        await pilot.press("3", "enter")  # major concerns, no reason yet
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        assert "reason is required" in str(app.screen.query_one("#problem").render())
        await pilot.press(*"usual care differed by site", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, JudgementsScreen)
        override = load_appraisal(pathways).appraisal.overrides["C"]
        assert (override.judgement, override.reason) == ("major_concerns", "usual care differed by site")
        # the override feeds the overall judgement: major concerns costs one level
        assert app.screen.session.assessment.result("overall", "readmission").judgement == "low"
        await pilot.press("a")  # accept the proposal again
        await settle(app, pilot)
        assert "C" not in load_appraisal(pathways).appraisal.overrides


async def test_appraisers_own_judgement_needs_no_reason(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        row = next(i for i, e in enumerate(screen.entries) if e.section.id == "G")
        screen.query_one("#table").move_cursor(row=row)
        await pilot.press("o", "2", "enter")
        await settle(app, pilot)
        assert load_appraisal(pathways).appraisal.overrides["G"].judgement == "moderate"


async def test_report_preview_and_export_to_html(pathways: Path, make_app, tmp_path: Path) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.press("down", "space")  # HTML
        target = dialog.query_one("#target")
        assert target.value.endswith("pathways-home-report.html")
        target.value = str(tmp_path / "out" / "report.html")
        await pilot.click("#export")
        await app.workers.wait_for_complete()
        await pilot.pause()
        html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert "Moderate confidence" in html and "<html" in html
        assert any("report.html" in n.message for n in app._notifications)


async def test_command_palette_jumps_to_a_question(pathways: Path, make_app) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"B4 what peers")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AppraisalScreen) and screen.slot.question.id == "B4"


async def test_a_broken_file_is_refused_with_its_problems_and_left_alone(tmp_path: Path, make_app) -> None:
    path = tmp_path / "broken.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    text = path.read_text(encoding="utf-8").replace("A2: rct", "A2: rtc")
    path.write_text(text, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        message = str(app.screen.query(".dialog-note").first().render())
        assert "A2 has no answer 'rtc'" in message and "has not been changed" in message
    assert path.read_text(encoding="utf-8") == text


async def test_json_export_via_dialog_matches_the_cli_contract(pathways: Path, make_app, tmp_path: Path) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        await pilot.press("down", "down", "space")
        app.screen.query_one("#target").value = str(tmp_path / "r.json")
        await pilot.click("#export")
        await app.workers.wait_for_complete()
        await pilot.pause()
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [o["judgement"] for o in report["overall"]] == ["moderate", "low"]


async def test_a_folder_of_appraisals_lists_each_study_with_its_progress(tmp_path: Path, make_app) -> None:
    from appraise.tui.screens.folder import FolderScreen

    folder = tmp_path / "review"
    folder.mkdir()
    shutil.copy(DATA / "pathways-home.yaml", folder / "a-pathways.yaml")
    (folder / "b-broken.yaml").write_text("appraise: 1\nchecklist: {id: peer-support}\nanswers: {A2: rtc}\n")
    (folder / "notes.yaml").write_text("just: notes\n")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        app.screen.query_one("#open-path").value = str(folder)
        await pilot.press("f", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FolderScreen)
        assert [p.name for p in screen.paths] == ["a-pathways.yaml", "b-broken.yaml"]
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#folder-table")
        first = [str(c) for c in table.get_row_at(0)]
        assert "Fenwick-Tarrant 2024" in first[0] and "44/48" in first[2]
        assert "cannot open" in str(table.get_row_at(1)[2])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AppraisalScreen)


async def test_a_consensus_file_opens_in_the_resolve_view_and_records_choices(tmp_path: Path, make_app) -> None:
    from click.testing import CliRunner

    from appraise.cli import cli
    from appraise.review.consensus import consensus_items, open_items
    from appraise.tui.screens.dialogs import ChoiceDialog, PromptDialog
    from appraise.tui.screens.resolve import ResolveScreen

    merged = tmp_path / "consensus.yaml"
    result = CliRunner().invoke(
        cli,
        [
            "consensus",
            str(DATA / "pathways-home-reviewer-a.yaml"),
            str(DATA / "pathways-home-reviewer-b.yaml"),
            "-o",
            str(merged),
        ],
    )
    assert result.exit_code == 0, result.output
    before = len(open_items(load_appraisal(merged).appraisal))
    app = make_app(merged)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot, until=lambda: isinstance(app.screen, ResolveScreen))  # pushed after a refresh
        screen = app.screen
        assert isinstance(screen, ResolveScreen)
        assert "Alex Morgan" in str(screen.query_one("#side-a").render())
        b4 = next(i for i, item in enumerate(screen.items) if item.key == "B4")
        screen.query_one("#resolve-table").move_cursor(row=b4)
        await pilot.press("b")  # take reviewer B's answer with B's note
        await settle(app, pilot)
        row = next(i for i, item in enumerate(screen.items) if item.status == "open")
        screen.query_one("#resolve-table").move_cursor(row=row)
        key = screen.items[row].key
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"agreed at the consensus meeting", "enter")
        await settle(app, pilot)
    saved = load_appraisal(merged).appraisal
    items = {item.key: item for item in consensus_items(saved)}
    assert items["B4"].status == "resolved" and items["B4"].chosen == "b"
    assert items[key].chosen == "new" and items[key].reason == "agreed at the consensus meeting"
    assert len(open_items(saved)) == before - 2
