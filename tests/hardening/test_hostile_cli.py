"""Hostile text from files never reaches the terminal through any CLI command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from tests.hardening.hostile import FORBIDDEN, broken_hostile_appraisal, hostile_appraisal, hostile_ris


def assert_inert(output: str) -> None:
    found = sorted({repr(c) for c in FORBIDDEN if c in output})
    assert not found, f"terminal-active characters in output: {found}"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return hostile_appraisal(tmp_path)


def test_validate_shows_payloads_in_key_names_and_values_visibly(hostile: Path, tmp_path: Path) -> None:
    out = invoke("validate", str(hostile), str(broken_hostile_appraisal(tmp_path)))
    assert_inert(out)
    assert "␛]0;PWNED-TITLE␇" in out  # shown, so the reader sees what the file holds


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_output_is_inert(hostile: Path, fmt: str) -> None:
    assert_inert(invoke("report", "-f", fmt, str(hostile)))


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv", "robvis"])
def test_summary_output_is_inert(hostile: Path, tmp_path: Path, fmt: str) -> None:
    broken_hostile_appraisal(tmp_path)
    assert_inert(invoke("summary", "-f", fmt, "--allow-incomplete", str(tmp_path)))


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_compare_output_is_inert(tmp_path: Path, fmt: str) -> None:
    a = hostile_appraisal(tmp_path, "a.yaml", "A")
    b = hostile_appraisal(tmp_path, "b.yaml", "B")
    assert_inert(invoke("compare", "-f", fmt, str(a), str(b)))


def test_consensus_messages_are_inert(tmp_path: Path) -> None:
    a = hostile_appraisal(tmp_path, "a.yaml", "A")
    b = hostile_appraisal(tmp_path, "b.yaml", "B")
    assert_inert(invoke("consensus", "-o", str(tmp_path / "c.yaml"), str(a), str(b)))


def test_import_messages_are_inert(tmp_path: Path) -> None:
    out = invoke("import", "-d", str(tmp_path / "out"), str(hostile_ris(tmp_path)))
    assert_inert(out)
    assert_inert(invoke("import", "-d", str(tmp_path / "out"), str(hostile_ris(tmp_path))))  # duplicates named


def test_checklists_table_is_inert_with_a_hostile_user_checklist(data_dir: Path) -> None:
    folder = data_dir / "checklists"
    folder.mkdir(parents=True)
    source = (Path(__file__).parent.parent.parent / "checklists" / "qualitative.yaml").read_text(encoding="utf-8")
    from tests.hardening.hostile import HOSTILE, yaml_string

    lines = source.splitlines()
    text = "\n".join(f"title: {yaml_string(HOSTILE)}" if line.startswith("title:") else line for line in lines)
    (folder / "evil.yaml").write_text(text.replace("id: qualitative", "id: evil", 1) + "\n", encoding="utf-8")
    assert_inert(invoke("checklists"))


FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "=1"]


def _cells(csv_text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]


def test_summary_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    import re

    from tests.hardening.hostile import DATA, yaml_string

    text = (DATA / "pathways-home.yaml").read_text(encoding="utf-8")
    for i, formula in enumerate(FORMULAS):
        pattern = re.compile(rf"^  D{i + 1}: (.+)$", re.M)
        text = pattern.sub(
            lambda m, f=formula: (
                f"  {m.group(0).split(':')[0].strip()}: {{answer: {m.group(1)}, note: {yaml_string(f)}}}"
            ),
            text,
            count=1,
        )
    path = tmp_path / "formulas.yaml"
    path.write_text(text, encoding="utf-8")
    cells = _cells(invoke("summary", "-f", "csv", str(path)))
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("https://evil.example","x")' in cells  # kept, as text


def test_robvis_study_cell_is_not_a_formula(tmp_path: Path) -> None:
    from tests.hardening.hostile import DATA

    text = (DATA / "rob2-complete.yaml").read_text(encoding="utf-8")
    path = tmp_path / "rob2.yaml"
    path.write_text(text.replace('authors: "Okafor C, Lindqvist A"', 'authors: "=HYPERLINK(1)"'), encoding="utf-8")
    cells = _cells(invoke("summary", "-f", "robvis", "--allow-incomplete", str(path)))
    assert any(c.startswith("'=HYPERLINK") for c in cells), cells[:12]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]


def test_plain_negative_numbers_stay_numbers() -> None:
    from appraise.core.text import spreadsheet_safe

    assert [spreadsheet_safe(v) for v in ("-0.5", "+3", "-1e3", "-x", "=1")] == ["-0.5", "+3", "-1e3", "'-x", "'=1"]


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [("json", "study \\u202e\\u001b]0;x\\u0007 \\u200b.yaml"), ("csv", "study ⟨RLO⟩␛]0;x␇ ⟨ZWSP⟩.yaml")],
)
def test_summary_of_a_file_with_a_hostile_name_is_inert(tmp_path: Path, fmt: str, shown: str) -> None:
    import os
    import shutil
    import time

    from tests.hardening.hostile import DATA

    path = tmp_path / "study \u202e\x1b]0;x\x07 \u200b.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    hour_ago = time.time() - 3600
    os.utime(path, (hour_ago, hour_ago))  # old enough to be cached
    for _ in range(2):  # read, then from the read cache
        out = invoke("summary", "-f", fmt, str(tmp_path))
        assert_inert(out)
        assert shown in out
