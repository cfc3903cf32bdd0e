"""Word output (`report -o x.docx`, `summary -o x.docx`): read back with python-docx, opened by LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import docx
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from tests.conftest import require_tool

DATA = Path(__file__).parent.parent / "data"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def folder_of_three(folder: Path) -> Path:
    folder.mkdir()
    for i in range(3):
        data = yaml.safe_load((DATA / "rob2-complete.yaml").read_text(encoding="utf-8"))
        data["study"]["authors"] = f"Writer{i} A"
        if i == 1:
            data["answers"]["1.2"] = {
                "answer": "NI",
                "note": "Concealment not described",
                "quote": "sealed",
                "page": "4",
            }
        if i == 2:
            data["overrides"] = {"D3": {"judgement": "high", "reason": "40% lost in one arm"}}
        (folder / f"s{i}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def all_text(document: Any) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_word_summary_holds_every_judgement_in_a_real_table(tmp_path: Path) -> None:
    out = tmp_path / "summary.docx"
    assert invoke("summary", str(folder_of_three(tmp_path / "in")), "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    judgements = next(t for t in document.tables if t.rows[0].cells[0].text == "Study")
    assert [c.text for c in judgements.rows[0].cells][1:] == [
        "D1 Randomisation", "D2 Deviations", "D3 Missing data", "D4 Measurement", "D5 Reporting", "Overall"
    ]  # fmt: skip
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in judgements.rows[1:]}
    assert rows["Writer0 2021"] == ["+ Low risk of bias"] * 6
    assert rows["Writer1 2021"][0] == "− Some concerns" and rows["Writer1 2021"][5] == "− Some concerns"
    assert rows["Writer2 2021"][2] == "× High risk of bias †" and rows["Writer2 2021"][5] == "× High risk of bias"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Judgements" in headings and "Traffic-light plot" in headings and "Writer1 2021" in headings
    assert len(document.inline_shapes) >= 2  # traffic light and summary plot, as images


def test_support_for_judgement_is_built_from_answers_notes_quotes_and_pages(tmp_path: Path) -> None:
    out = tmp_path / "summary.docx"
    invoke("summary", str(folder_of_three(tmp_path / "in")), "-o", str(out))
    text = all_text(docx.Document(str(out)))
    assert "1.2 No information: Concealment not described “sealed” (p. 4)." in text
    assert "40% lost in one arm" in text  # the override's reason, beside the proposal


def test_a_word_report_holds_judgement_proposal_and_reason(tmp_path: Path) -> None:
    data = yaml.safe_load((DATA / "rob2-complete.yaml").read_text(encoding="utf-8"))
    data["overrides"] = {"D3": {"judgement": "high", "reason": "attrition differs by arm"}}
    source = tmp_path / "a.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "a.docx"
    assert invoke("report", str(source), "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Domain")
    d3 = next(r for r in table.rows if r.cells[0].text.startswith("D3"))
    assert [c.text for c in d3.cells[1:4]] == ["× High risk of bias †", "Low risk of bias", "attrition differs by arm"]
    assert document.paragraphs[0].style.name == "Title"


def test_libreoffice_converts_the_word_summary_to_pdf(tmp_path: Path) -> None:
    require_tool("soffice")
    require_tool("pdftotext")
    out = tmp_path / "summary.docx"
    invoke("summary", str(folder_of_three(tmp_path / "in")), "-o", str(out))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "summary.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Writer2 2021" in text and "Support for judgements" in text


def test_word_needs_an_output_file(tmp_path: Path) -> None:
    result = invoke("report", str(DATA / "rob2-complete.yaml"), "-f", "docx")
    assert result.exit_code == 2 and "give -o FILE.docx" in result.output
