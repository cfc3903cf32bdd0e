"""`appraise report --history`: who changed what and when, in every report format; JSON only grows."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from appraise.cli import cli
from appraise.core.appraisal import Answer
from appraise.files.store import AppraisalStore
from tests.conftest import DATA


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """Alex's file after two saves and an unlock: C5 answered, then its note made hostile, then unlocked."""
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    store = AppraisalStore(path)
    appraisal = store.load().appraisal
    appraisal.answers["C5"] = Answer(answer="N", note="Shared wards.")
    store.save(appraisal)
    appraisal.answers["C5"] = Answer(answer="N", note="<script>alert(1)</script> | not monitored")
    store.save(appraisal)
    assert run("complete", str(path)).exit_code == 0
    assert run("unlock", str(path), "--reason", "meeting of 3 November").exit_code == 0
    return path


def test_the_json_report_has_no_history_unless_asked(edited: Path) -> None:
    plain = json.loads(run("report", str(edited), "-f", "json").output)
    assert "history" not in plain


def test_the_json_report_with_history_is_the_same_report_plus_the_history(edited: Path) -> None:
    plain = json.loads(run("report", str(edited), "-f", "json").output)
    full = json.loads(run("report", str(edited), "-f", "json", "--history").output)
    assert {k: v for k, v in full.items() if k != "history"} == plain
    first = full["history"][0]
    assert first["by"] == "Alex Morgan" and first["at"].endswith("Z")
    assert {"field": "C5.answer", "old": "U", "new": "N"}.items() <= first["changes"][0].items()
    assert [e.get("event") for e in full["history"]][-2:] == ["marked complete", "unlocked"]
    assert full["history"][-1]["reason"] == "meeting of 3 November"


def test_the_markdown_report_lists_each_change_old_to_new(edited: Path) -> None:
    text = run("report", str(edited), "-f", "md", "--history").output
    assert "## History of changes" in text
    assert "| `C5.answer` | U | N |" in text
    assert "unlocked: meeting of 3 November" in text
    assert "\\| not monitored" in text  # a pipe in a note cannot break the table


def test_the_html_report_lists_the_history_escaped(edited: Path) -> None:
    text = run("report", str(edited), "-f", "html", "--history").output
    assert "<h2>History of changes</h2>" in text
    assert "<code>C5.note</code>" in text
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_the_word_report_has_a_history_table(edited: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "report.docx"
    assert run("report", str(edited), "-o", str(out), "--history").exit_code == 0
    document = docx.Document(io.BytesIO(out.read_bytes()))
    assert "History of changes" in [p.text for p in document.paragraphs]
    history = document.tables[-1]
    assert [c.text for c in history.rows[0].cells] == ["When (UTC)", "Who", "What", "Before", "After"]
    assert [c.text for c in history.rows[1].cells][1:] == ["Alex Morgan", "C5.answer", "U", "N"]


def test_a_report_of_a_file_without_history_says_so(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-b.yaml", path)
    assert "No history recorded yet." in run("report", str(path), "-f", "md", "--history").output
