"""The `appraise` command as scripts use it: output, exit codes 0/1/2, and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "appraise", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ.copy(),
        timeout=60,
    )


def test_checklists_lists_the_bundled_peer_support_checklist() -> None:
    result = CliRunner().invoke(cli, ["checklists"])
    assert result.exit_code == 0
    line = next(row for row in result.output.splitlines() if row.startswith("peer-support"))
    assert line.split()[:4] == ["peer-support", "2", "41", "bundled"]


def test_checklists_json_says_where_each_came_from() -> None:
    rows = json.loads(CliRunner().invoke(cli, ["checklists", "--json"]).output)
    entry = next(r for r in rows if r["id"] == "peer-support")
    assert entry["origin"] == "bundled" and entry["questions"] == 41 and Path(entry["path"]).is_file()


def test_validate_good_files_exits_0(pathways: Path) -> None:
    result = run("validate", str(pathways))
    assert result.returncode == 0, result.stderr
    assert "ok (appraisal of Fenwick-Tarrant 2024 with peer-support v2)" in result.stderr


def test_validate_a_broken_file_exits_1_with_located_problems_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("appraise: 1\nchecklist: {id: peer-support}\nanswers:\n  A2: rtc\n  A2: rct\n", encoding="utf-8")
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:5:3: duplicate key 'A2'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_reports_yaml_syntax_errors_with_position(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("appraise: 1\nanswers: [unclosed\n", encoding="utf-8")
    result = run("validate", str(broken))
    assert result.returncode == 1 and result.stdout.startswith(f"{broken}:3:1: not valid YAML")


def test_missing_file_is_a_usage_error_exit_2(tmp_path: Path) -> None:
    result = run("report", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(pathways: Path) -> None:
    assert run("report", str(pathways), "-f", "pdf").returncode == 2


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_writes_each_format_to_a_file(pathways: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out" / f"report.{fmt}"
    result = CliRunner().invoke(cli, ["report", str(pathways), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Fenwick-Tarrant" in text
    if fmt == "json":
        assert json.loads(text)["overall"][0]["judgement"] == "moderate"


def test_report_of_an_invalid_appraisal_exits_1(pathways: Path) -> None:
    pathways.write_text(pathways.read_text(encoding="utf-8").replace("A2: rct", "A2: trial"), encoding="utf-8")
    result = run("report", str(pathways))
    assert result.returncode == 1
    assert "A2 has no answer 'trial'" in result.stderr and result.stdout == ""


def test_report_with_a_sandbox_violation_exits_1(pathways: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.j2"
    evil.write_text("{{ cycler.__init__.__globals__.os }}", encoding="utf-8")
    result = run("report", str(pathways), "--template", str(evil))
    assert result.returncode == 1 and "sandbox" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["checklist", "appraisal"])
def test_schema_prints_a_json_schema(kind: str) -> None:
    schema = json.loads(CliRunner().invoke(cli, ["schema", kind]).output)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "sections" in schema["properties"] if kind == "checklist" else "answers" in schema["properties"]


def test_new_with_an_unknown_checklist_is_a_usage_error() -> None:
    result = run("new", "-c", "peer-suport")
    assert result.returncode == 2 and "did you mean 'peer-support'" in result.stderr
