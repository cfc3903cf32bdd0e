"""Exports are inert: a note that looks like a formula stays text in the Excel sheet and in Word.

openpyxl stores any ``str`` that starts with ``=`` as a formula; the Results sheet stores every
formula-like cell (the one rule, :func:`appraise.core.text.formula_like`) as explicit text with
Excel's quote prefix. LibreOffice, opening the real file, shows the text and computes nothing.
Word (python-docx) has no formula cells: hostile text must not become a field or a hyperlink.
"""

from __future__ import annotations

import csv
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from tests.conftest import DATA, require_tool

FORMULAS = [
    '=HYPERLINK("https://evil.example","click")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
]
QUESTIONS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.6"]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rob2_with_formula_notes(folder: Path) -> Path:
    """A complete RoB 2 appraisal whose notes are formulas (one per question of FORMULAS)."""
    data = yaml.safe_load((DATA / "rob2-complete.yaml").read_text(encoding="utf-8"))
    for question, formula in zip(QUESTIONS, FORMULAS, strict=True):
        answer = data["answers"][question]
        code = answer["answer"] if isinstance(answer, dict) else answer
        data["answers"][question] = {"answer": code, "note": formula}
    data["study"]["authors"] = "=HYPERLINK(1)"
    path = folder / "formulas.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def results_sheet(tmp_path: Path) -> Path:
    sheet = tmp_path / "results.xlsx"
    result = invoke("summary", str(rob2_with_formula_notes(tmp_path)), "-o", str(sheet))
    assert result.exit_code == 0, result.output
    return sheet


def test_formula_notes_are_stored_as_text_cells_in_the_results_sheet(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(results_sheet(tmp_path))["Results"]
    head = [c.value for c in sheet[2]]
    row = {name: cell for name, cell in zip(head, sheet[3], strict=True)}
    for question, formula in zip(QUESTIONS, FORMULAS, strict=True):
        cell = row[f"Note for {question}"]
        assert (cell.value, cell.data_type) == (formula, "s")  # the text itself, no apostrophe added
        assert cell.quotePrefix  # and Excel keeps it text when the cell is edited
    assert row["Study ID"].value.startswith("=HYPERLINK(1)") and row["Study ID"].data_type == "s"


def test_the_results_sheet_holds_no_formula_at_all(tmp_path: Path) -> None:
    with zipfile.ZipFile(results_sheet(tmp_path)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    assert "<t>=HYPERLINK(" in xml  # the text, in a string cell


def test_plain_numbers_in_the_sheet_stay_numbers(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(results_sheet(tmp_path))["Results"]
    head = [c.value for c in sheet[2]]
    row = dict(zip(head, (c.value for c in sheet[3]), strict=True))
    assert row["Weight"] == 12.5 and row["Unique ID"] == 1


def test_a_formula_note_comes_back_unchanged_from_the_sheet(tmp_path: Path) -> None:
    sheet = results_sheet(tmp_path)
    assert invoke("import", str(sheet), "-d", str(tmp_path / "back")).exit_code == 0
    (back,) = (tmp_path / "back").glob("*.yaml")
    answers = yaml.safe_load(back.read_text(encoding="utf-8"))["answers"]
    assert answers["1.1"]["note"] == FORMULAS[0] and answers["1.3"]["note"] == "+1+1"


def test_a_sheet_from_0_2_0_with_apostrophes_reads_without_them(tmp_path: Path) -> None:
    sheet = results_sheet(tmp_path)
    workbook = openpyxl.load_workbook(sheet)
    results = workbook["Results"]
    head = [c.value for c in results[2]]
    results.cell(3, head.index("Note for 1.1") + 1).value = "'=HYPERLINK(1)"  # as 0.2.0 wrote it
    workbook.save(sheet)
    assert invoke("import", str(sheet), "-d", str(tmp_path / "back")).exit_code == 0
    (back,) = (tmp_path / "back").glob("*.yaml")
    assert yaml.safe_load(back.read_text(encoding="utf-8"))["answers"]["1.1"]["note"] == "=HYPERLINK(1)"


@pytest.mark.slow
def test_libreoffice_shows_formula_notes_literally_and_computes_nothing(tmp_path: Path) -> None:
    require_tool("soffice")
    sheet = results_sheet(tmp_path)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "csv",
         "--outdir", str(tmp_path / "csv"), str(sheet)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = tmp_path / "csv" / "results.csv"
    if not converted.exists():  # soffice exits 0 without Calc (libreoffice-calc-nogui)
        pytest.fail("LibreOffice could not open the sheet: is libreoffice-calc installed?")
    with converted.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    row = dict(zip(rows[1], rows[2], strict=True))
    assert [row[f"Note for {q}"] for q in QUESTIONS] == FORMULAS  # not "click", "2", "2", "1", "3"
    assert row["Study ID"].startswith("=HYPERLINK(1)")


WORD_HOSTILE = [
    *FORMULAS,
    '{ HYPERLINK "https://evil.example" }',
    '<w:fldSimple w:instr="HYPERLINK https://evil.example"/>',
    'DDE("cmd";"/c calc";"x")',
    "https://evil.example/plain",
]


def _word_files(tmp_path: Path) -> list[Path]:
    data = yaml.safe_load((DATA / "pathways-home.yaml").read_text(encoding="utf-8"))
    for question, text in zip(["B1", "B2", "B3", "B4", "B5", "C1", "C2", "C3", "C4", "C5"], WORD_HOSTILE, strict=True):
        answer = data["answers"][question]
        code = answer["answer"] if isinstance(answer, dict) else answer
        data["answers"][question] = {"answer": code, "note": text, "quote": text}
    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    report, summary = tmp_path / "report.docx", tmp_path / "summary.docx"
    assert invoke("report", str(source), "-o", str(report)).exit_code == 0
    assert invoke("summary", str(source), "-o", str(summary)).exit_code == 0
    return [report, summary]


def test_hostile_text_in_word_makes_no_field_and_no_hyperlink(tmp_path: Path) -> None:
    for word in _word_files(tmp_path):
        with zipfile.ZipFile(word) as archive:
            parts = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}
            rels = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".rels")]
        for name, xml in parts.items():
            for element in ("<w:fldSimple", "<w:instrText", "<w:fldChar", "<w:hyperlink", "<w:ddeLink"):
                assert element not in xml, f"{word.name} {name} has {element}"
        assert not [r for r in rels if "evil.example" in r or 'TargetMode="External"' in r], word.name


def test_hostile_text_in_word_is_there_as_literal_text(tmp_path: Path) -> None:
    report, summary = _word_files(tmp_path)
    document = docx.Document(str(report))
    text = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    for hostile in WORD_HOSTILE:
        assert hostile.strip() in text, hostile
    assert summary.stat().st_size > 0


def test_the_long_csv_row_rule_is_the_same_rule_as_every_other_cell() -> None:
    from appraise.core.text import formula_like, spreadsheet_safe, spreadsheet_safe_row

    cells = [
        "=1+1",
        "+44 20",
        "-0.5",
        "-x",
        "@SUM(A1)",
        "\tdata",
        "\rline",
        "12",
        "1e5",
        "",
        "plain",
        "'quoted",
        "=",
        "-",
    ]
    assert spreadsheet_safe_row(cells) == [spreadsheet_safe(c) for c in cells]
    assert [c for c in cells if formula_like(c)] == ["=1+1", "+44 20", "-x", "@SUM(A1)", "\tdata", "\rline", "=", "-"]
