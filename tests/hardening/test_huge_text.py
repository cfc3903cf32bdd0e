"""A 1 MB note and a 1 MB quote: every command and the app finish, and the text is kept whole.

Stored data is never cut: the JSON, the CSV, Word, a consensus file and the app's editors hold the
full text; only Excel's cell limit (32,767 characters) cuts a copy, with a visible marker. Time and
memory are measured (``make fuzz``, the report of issue 16), never asserted here.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal
from tests.hardening.hostile import HUGE_NOTE, HUGE_QUOTE, huge_appraisal

NOTE_LINES = HUGE_NOTE.splitlines()


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A review folder: two reviewers' copies of the huge appraisal (made once for the module)."""
    root = tmp_path_factory.mktemp("huge") / "review"
    for reviewer in ("alex", "bea"):
        (root / reviewer).mkdir(parents=True)
        huge_appraisal(root / reviewer, "pathways-home.yaml", reviewer.title())
    (root / "review.yaml").write_text("review: Huge notes\nchecklist: {id: peer-support}\nteam: [alex, bea]\n")
    return root


def a(huge: Path) -> Path:
    return huge / "alex" / "pathways-home.yaml"


def b(huge: Path) -> Path:
    return huge / "bea" / "pathways-home.yaml"


def invoke(*args: str | Path) -> str:
    result = CliRunner().invoke(cli, [str(x) for x in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output[-2000:]
    return result.output


def shows_the_whole_note(text: str) -> bool:
    """Every paragraph of the note is there, first to last."""
    return all(line in text for line in (NOTE_LINES[0], NOTE_LINES[len(NOTE_LINES) // 2], NOTE_LINES[-1]))


def test_validate_reads_a_file_with_a_1mb_note(huge: Path) -> None:
    assert ": ok (" in invoke("validate", a(huge))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_shows_the_whole_1mb_note(huge: Path, fmt: str) -> None:
    out = invoke("report", "-f", fmt, a(huge))
    assert shows_the_whole_note(out) and "QUOTE-END" in out


def test_the_json_report_holds_the_note_and_quote_exactly(huge: Path) -> None:
    report = json.loads(invoke("report", "-f", "json", a(huge)))
    answers = [q for s in report["sections"] for q in s["questions"] if q["id"] == "B1"]
    assert answers and answers[0]["note"] == HUGE_NOTE and answers[0]["quote"] == HUGE_QUOTE


def test_the_word_report_holds_the_whole_note(huge: Path, tmp_path: Path) -> None:
    invoke("report", "-o", tmp_path / "report.docx", a(huge))
    document = docx.Document(str(tmp_path / "report.docx"))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert all(line in text for line in NOTE_LINES) and "QUOTE-END" in text


def test_the_json_summary_holds_the_note_exactly(huge: Path) -> None:
    summary = json.loads(invoke("summary", "-f", "json", a(huge)))
    notes = [x["note"] for x in summary["answers"] if x["question"] == "B1"]
    assert notes == [HUGE_NOTE]


def test_the_csv_summary_holds_the_note_in_one_cell(huge: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv, "field_size_limit", csv.field_size_limit)  # restored after the test
    csv.field_size_limit(2**24)  # Python's csv reads cells of up to 128 KB by default
    rows = list(csv.DictReader(io.StringIO(invoke("summary", "-f", "csv", a(huge)))))
    assert [r["note"] for r in rows if r["question"] == "B1"][:1] == [HUGE_NOTE]


@pytest.mark.parametrize("fmt", ["md", "html", "robvis"])
def test_the_summary_is_written_beside_a_1mb_note(huge: Path, fmt: str) -> None:
    assert invoke("summary", "-f", fmt, "--allow-incomplete", a(huge))


@pytest.mark.parametrize("suffix", ["docx", "svg", "png"])
def test_the_summary_files_are_written_beside_a_1mb_note(huge: Path, tmp_path: Path, suffix: str) -> None:
    invoke("summary", "-o", tmp_path / f"summary.{suffix}", a(huge))
    assert (tmp_path / f"summary.{suffix}").stat().st_size > 0


def strings(data: Any) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [s for item in data for s in strings(item)] if isinstance(data, list) else []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_compare_finishes_with_two_1mb_notes(huge: Path, fmt: str) -> None:
    assert "Agreement" in invoke("compare", "-f", fmt, a(huge), b(huge))


def test_compare_json_holds_both_1mb_notes_whole(huge: Path) -> None:
    assert strings(json.loads(invoke("compare", "-f", "json", a(huge), b(huge)))).count(HUGE_NOTE) >= 2


def test_consensus_keeps_the_1mb_note_whole(huge: Path, tmp_path: Path) -> None:
    invoke("consensus", a(huge), b(huge), "-o", tmp_path / "consensus.yaml")
    merged = load_appraisal(tmp_path / "consensus.yaml").appraisal.answers["B1"]
    assert merged.note == HUGE_NOTE and merged.quote == HUGE_QUOTE


def test_history_finishes_on_a_file_with_a_1mb_note(huge: Path) -> None:
    assert invoke("history", a(huge))


def test_calibrate_holds_the_1mb_notes_whole(huge: Path) -> None:
    assert HUGE_NOTE in strings(json.loads(invoke("calibrate", "-f", "json", huge)))


@pytest.mark.slow  # a 1 MB TextArea wraps and a 2 MB Markdown preview: seconds of CPU under a loaded machine
async def test_the_app_opens_a_1mb_note_and_quote_whole_and_previews_the_report(
    huge: Path, tmp_path: Path, data_dir: Path
) -> None:
    from textual.widgets import MarkdownViewer, TextArea

    from appraise.tui import AppraiseApp
    from appraise.tui.screens.appraisal import AppraisalScreen
    from appraise.tui.screens.report import ReportScreen
    from tests.tui.conftest import WIDE, settle

    path = tmp_path / "huge.yaml"
    shutil.copy(a(huge), path)
    before = path.read_bytes()
    app = AppraiseApp(path, data_dir=data_dir, cursor_blink=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = app.screen
        assert isinstance(screen, AppraisalScreen)
        screen.jump_to("B1")
        await settle(app, pilot)
        assert screen.query_one("#note", TextArea).text == HUGE_NOTE
        assert (
            screen.query_one("#quote", TextArea).text == HUGE_QUOTE
        )  # kept as stored; the terminal guard keeps it inert on screen
        await pilot.press("r")
        await settle(app, pilot, until=lambda: isinstance(app.screen, ReportScreen))
        await settle(
            app, pilot, until=lambda: shows_the_whole_note(app.screen.query_one(MarkdownViewer).document.source)
        )
        await pilot.press("escape")
        await settle(app, pilot, until=lambda: app.screen is screen)
    assert path.read_bytes() == before  # opened, looked at, left: the file is untouched


def test_the_excel_sheet_cuts_a_1mb_note_to_a_cell_with_a_visible_marker(tmp_path: Path) -> None:
    import openpyxl
    import yaml

    from tests.conftest import DATA

    data = yaml.safe_load((DATA / "rob2-complete.yaml").read_text(encoding="utf-8"))
    data["answers"]["1.1"] = {"answer": "Y", "note": HUGE_NOTE}
    source = tmp_path / "rob2.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    invoke("summary", "-o", tmp_path / "results.xlsx", source)
    rows = list(openpyxl.load_workbook(tmp_path / "results.xlsx")["Results"].iter_rows(values_only=True))
    cell = dict(zip(rows[1], rows[2], strict=True))["Note for 1.1"]
    assert len(cell) <= 32_767 and cell.startswith(HUGE_NOTE[:30_000])  # Excel's limit per cell
    assert cell.endswith("characters in all; the whole text is in the appraisal file]")
    assert load_appraisal(source).appraisal.answers["1.1"].note == HUGE_NOTE  # the file itself is never cut
