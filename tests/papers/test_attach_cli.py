"""`appraise attach`, `validate` warnings for quotes, and reports that carry each quote's check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.papers import sha256_of
from appraise.files.store import read_appraisal
from tests.papers.make_pdf import BLINDING, CONCEALMENT, scanned_pdf, trial_pdf


def attach(appraisal: Path, paper: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["attach", str(appraisal), str(paper), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def set_quote(appraisal: Path, question: str, quote: str, page: str) -> None:
    data = yaml.safe_load(appraisal.read_text(encoding="utf-8"))
    entry = data["answers"].get(question)
    entry = entry if isinstance(entry, dict) else {"answer": entry}
    data["answers"][question] = {**entry, "quote": quote, "page": page}
    appraisal.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_attach_records_the_paper_relative_to_the_appraisal_with_hash_and_pages(pathways: Path, trial: Path) -> None:
    output = attach(pathways, trial)
    paper = yaml.safe_load(pathways.read_text(encoding="utf-8"))["paper"]
    assert paper["path"] == "pathways-home.pdf"
    assert paper["sha256"] == sha256_of(trial)
    assert paper["pages"] == 6
    assert "6 page(s); 1 page(s) without text" in output


def test_attach_keeps_every_other_key_of_the_file(pathways: Path, trial: Path) -> None:
    before = yaml.safe_load(pathways.read_text(encoding="utf-8"))
    before["team_note"] = {"kept": True}
    pathways.write_text(yaml.safe_dump(before, sort_keys=False), encoding="utf-8")
    answers_before = read_appraisal(pathways)[0].answers
    attach(pathways, trial)
    after = yaml.safe_load(pathways.read_text(encoding="utf-8"))
    assert after["team_note"] == {"kept": True}
    assert read_appraisal(pathways)[0].answers == answers_before


def test_attach_as_protocol_adds_another_document(pathways: Path, tmp_path: Path, trial: Path) -> None:
    protocol = tmp_path / "protocol.md"
    protocol.write_text("The primary outcome will be readmission within twelve months.\n", encoding="utf-8")
    attach(pathways, trial)
    attach(pathways, protocol, "--as", "protocol")
    data = yaml.safe_load(pathways.read_text(encoding="utf-8"))
    assert data["paper"]["path"] == "pathways-home.pdf"
    assert [(d["role"], d["path"]) for d in data["documents"]] == [("protocol", "protocol.md")]


def test_attaching_a_scanned_pdf_explains_and_leaves_the_file_unchanged(pathways: Path, tmp_path: Path) -> None:
    before = pathways.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["attach", str(pathways), str(scanned_pdf(tmp_path / "scan.pdf"))])
    assert result.exit_code == 1
    assert "no text layer" in result.output and "was not changed" in result.output
    assert "Traceback" not in result.output
    assert pathways.read_text(encoding="utf-8") == before


def test_validate_warns_once_per_quote_not_found_or_on_another_page_and_exits_0(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    set_quote(pathways, "B4", "Participants chose their own peer worker from a list of volunteers.", "2")
    set_quote(pathways, "B3", BLINDING, "5")
    set_quote(pathways, "B1", CONCEALMENT, "1370")
    result = CliRunner().invoke(cli, ["validate", str(pathways)])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "warning: the quote" in line]
    assert len(warnings) == 2
    b4 = next(line for line in warnings if " B4 " in line)
    b3 = next(line for line in warnings if " B3 " in line)
    assert b4.startswith(str(pathways)) and "is not in pathways-home.pdf" in b4
    assert "is on page 2 of pathways-home.pdf, not on page 5" in b3


def test_a_moved_paper_is_found_again_by_its_hash(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    set_quote(pathways, "B4", "A sentence that the paper does not contain anywhere at all.", "2")
    (pathways.parent / "papers").mkdir()
    shutil.move(trial, pathways.parent / "papers" / "renamed.pdf")
    result = CliRunner().invoke(cli, ["validate", str(pathways)])
    assert "is not in renamed.pdf" in result.output


def test_an_absent_paper_leaves_quotes_unchecked_without_warnings(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    set_quote(pathways, "B4", "A sentence that the paper does not contain anywhere at all.", "2")
    trial.unlink()
    result = CliRunner().invoke(cli, ["validate", str(pathways)])
    assert result.exit_code == 0
    assert "warning" not in result.output
    report = json.loads(CliRunner().invoke(cli, ["report", str(pathways), "-f", "json"]).output)
    b4 = next(q for s in report["sections"] for q in s["questions"] if q["id"] == "B4")
    assert b4["quote_check"]["status"] == "unchecked"
    assert report["paper"]["found"] is False


def test_the_json_report_carries_each_quote_check_and_the_paper(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    set_quote(pathways, "B1", CONCEALMENT, "2")
    set_quote(pathways, "B3", BLINDING, "5")
    report = json.loads(CliRunner().invoke(cli, ["report", str(pathways), "-f", "json"]).output)
    questions = {q["id"]: q for s in report["sections"] for q in s["questions"]}
    assert questions["B1"]["quote_check"]["status"] == "found"
    assert questions["B3"]["quote_check"] | {"text": ""} == {
        "status": "elsewhere",
        "checked": True,
        "pages": [2],
        "document": "paper",
        "mark": "≠",
        "text": "",
    }
    assert questions["A1"]["quote_check"] is None
    assert report["paper"]["sha256"] == sha256_of(trial)


def test_the_html_report_names_the_paper_and_flags_a_quote_not_found(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    set_quote(pathways, "B4", "Participants chose their own peer worker from a list of volunteers.", "2")
    html = CliRunner().invoke(cli, ["report", str(pathways), "-f", "html"]).output
    assert "PATHWAYS-HOME" in html and "pathways-home.pdf" in html and sha256_of(trial)[:12] in html
    assert 'class="check check-not_found"' in html and "not found in the paper" in html


def test_the_markdown_report_marks_a_checked_quote(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    set_quote(pathways, "B1", CONCEALMENT, "2")
    markdown = CliRunner().invoke(cli, ["report", str(pathways)]).output
    assert "> — p. 2 · ✓ found on page 2" in markdown


def test_a_report_without_a_paper_is_as_before(pathways: Path) -> None:
    markdown = CliRunner().invoke(cli, ["report", str(pathways)]).output
    assert "> — p. 6\n" in markdown
    assert "Paper:" not in markdown


def test_the_json_schemas_document_paper_documents_and_look_for() -> None:
    appraisal = json.loads(CliRunner().invoke(cli, ["schema", "appraisal"]).output)
    assert {"paper", "documents"} <= set(appraisal["properties"])
    assert {"path", "sha256", "pages"} <= set(appraisal["$defs"]["DocumentRef"]["properties"])
    checklist = json.loads(CliRunner().invoke(cli, ["schema", "checklist"]).output)
    assert checklist["$defs"]["Question"]["properties"]["look_for"]["type"] == "array"


def test_a_paper_changed_since_it_was_attached_is_one_warning(pathways: Path, trial: Path) -> None:
    attach(pathways, trial)
    trial_pdf(trial, pages=7)  # a new version written over the attached file
    result = CliRunner().invoke(cli, ["validate", str(pathways)])
    assert result.exit_code == 0
    assert len([line for line in result.output.splitlines() if "has changed since it was attached" in line]) == 1


def test_the_html_page_size_and_the_attached_paper_do_not_collide(
    pathways: Path, trial: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPRAISE_PAPER", "letter")
    attach(pathways, trial)
    html = CliRunner().invoke(cli, ["report", str(pathways), "-f", "html"]).output
    assert "@page { size: letter;" in html
    assert "<dt>Paper</dt>" in html
