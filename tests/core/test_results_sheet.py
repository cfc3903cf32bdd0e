"""The RoB 2 Excel tool's Results sheet: `summary -o results.xlsx` and `import results.xlsx -d DIR`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.reports.summary import build_summary, collect

DATA = Path(__file__).parent.parent / "data"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def three_appraisals(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for i in range(3):
        data = yaml.safe_load((DATA / "rob2-complete.yaml").read_text(encoding="utf-8"))
        data["study"]["authors"] = f"Reader{i} A"
        data["weight"] = 10 + i
        if i == 1:
            data["answers"]["1.2"] = {"answer": "NI", "note": '=HYPERLINK("x") not described'}
            data["answers"]["1.1"] = {
                "answer": "Y",
                "note": "Computer list",
                "quote": "randomly allocated",
                "page": "4",
            }
        if i == 2:
            data["overrides"] = {"D3": {"judgement": "high", "reason": "40% lost in one arm"}}
        (folder / f"s{i}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def judgements(folder: Path) -> dict[str, Any]:
    data = build_summary(collect([folder]))
    return {
        row["study"]["label"]: {k: (v["judgement"], v["proposed"]) for k, v in row["judgements"].items()}
        for row in data["groups"][0]["rows"]
    }


def answers(folder: Path) -> dict[str, dict[str, tuple[str | None, str, str, str]]]:
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        loaded = load_appraisal(path)
        found[loaded.appraisal.study.label] = {
            q: (a.answer, a.note, a.quote, a.page) for q, a in loaded.appraisal.answers.items()
        }
    return found


def test_appraisals_round_trip_through_the_results_sheet_unchanged(tmp_path: Path) -> None:
    source = three_appraisals(tmp_path / "in")
    sheet = tmp_path / "results.xlsx"
    assert invoke("summary", str(source), "-o", str(sheet)).exit_code == 0
    result = invoke("import", str(sheet), "-d", str(tmp_path / "back"))
    assert result.exit_code == 0, result.output
    assert judgements(tmp_path / "back") == judgements(source)
    assert answers(tmp_path / "back") == answers(source)
    back = load_appraisal(tmp_path / "back" / "reader2-2021.yaml").appraisal
    assert back.overrides["D3"].reason == "40% lost in one arm" and float((back.model_extra or {})["weight"]) == 12


def test_the_sheet_has_the_tools_header_on_row_2_and_neutralises_formulas(tmp_path: Path) -> None:
    sheet = tmp_path / "results.xlsx"
    invoke("summary", str(three_appraisals(tmp_path / "in")), "-o", str(sheet))
    rows = list(openpyxl.load_workbook(sheet)["Results"].iter_rows(values_only=True))
    head = list(rows[1])
    assert head[:7] == ["Unique ID", "Study ID", "Experimental", "Comparator", "Outcome", "Result", "Weight"]
    for column in ("1.1", "Note for 1.1", "5.3", "1.0 Algorithm result", "5.0 Assessor's Judgement"):
        assert column in head
    assert head[-3:] == ["Overall Algorithm result", "Overall Assessor's Judgement", "Note for Overall"]
    reader2 = dict(zip(head, rows[4], strict=True))
    assert (reader2["3.0 Algorithm result"], reader2["3.0 Assessor's Judgement"]) == ("Low", "High")
    reader1 = dict(zip(head, rows[3], strict=True))
    assert reader1["Note for 1.2"] == '=HYPERLINK("x") not described'  # stored as text (see tests/hardening)


def test_a_sheet_written_by_hand_with_mixed_capitalisation_imports(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Results"
    sheet.append(["Results of the RoB 2 tool"])
    sheet.append(["unique ID", "Study id", "Outcome", "1.1", "1.2", "1.3", "Note for 1.3", "1.0 assessor’s judgement"])
    sheet.append([1, "Hand 2019", "Hope at 6 months", "Yes", "Probably yes", "no", "Baseline balanced", "Low"])
    sheet.append([2, "Other 2020", "Hope", "Y", "NI", "N", "", "High"])
    path = tmp_path / "hand.xlsm"
    workbook.save(path)
    assert invoke("import", str(path), "-d", str(tmp_path / "out")).exit_code == 0
    hand = load_appraisal(tmp_path / "out" / "hand-2019.yaml").appraisal
    assert {q: hand.answers[q].answer for q in ("1.1", "1.2", "1.3")} == {"1.1": "Y", "1.2": "PY", "1.3": "N"}
    assert hand.answers["1.3"].note == "Baseline balanced" and hand.answers["P2"].answer == "Hope at 6 months"
    other = load_appraisal(tmp_path / "out" / "other-2020.yaml").appraisal
    assert other.overrides["D1"].judgement == "high"  # the algorithm says some concerns; the assessor said High


def test_every_unreadable_cell_is_reported_by_sheet_row_and_column(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Results"
    sheet.append(["title"])
    sheet.append(["Unique ID", "Study ID", "1.1", "1.0 Assessor's Judgement"])
    sheet.append([1, "Bad 2019", "Maybe", "Medium"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    result = invoke("import", str(path), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "sheet Results" in result.output and "C3 (1.1): 'Maybe' is not an answer" in result.output
    assert "D3 (1.0 Assessor's Judgement): 'Medium' is not a judgement" in result.output
