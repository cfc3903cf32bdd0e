"""Review teams: outcomes matched across reviewers' files, and three or more reviewers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal, write_appraisal
from appraise.review.compare import compare_many, load_many
from appraise.review.consensus import build_consensus_many, consensus_items, open_items, resolve
from appraise.review.matching import match_outcomes
from appraise.review.report import comparison_report
from tests.conftest import DATA


def edit(path: Path, *changes: tuple[str, str]) -> Path:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


RENAMED = (
    (
        "{id: readmission, name: Readmission within 12 months",
        "{id: psych-readmit, name: Psychiatric readmission within 12 months",
    ),
    ("\n  readmission:", "\n  psych-readmit:"),
)


@pytest.fixture
def team(tmp_path: Path) -> list[Path]:
    """Three reviewers of PATHWAYS-HOME; the third typed the readmission outcome differently."""
    alex, bea, chidi = tmp_path / "alex.yaml", tmp_path / "bea.yaml", tmp_path / "chidi.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", alex)
    shutil.copy(DATA / "pathways-home-reviewer-b.yaml", bea)
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", chidi)
    edit(chidi, ("reviewer: Alex Morgan", "reviewer: Chidi Okafor"), ('C5: {answer: "U"', 'C5: {answer: "N"'), *RENAMED)
    return [alex, bea, chidi]


def report(paths: list[Path]) -> dict[str, Any]:
    loaded, _ = load_many(paths)
    comparison = compare_many([x.appraisal for x in loaded], loaded[0].checklist)
    return comparison_report(comparison, files=[str(p) for p in paths])


def question(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["key"] == key)


def test_outcomes_named_differently_are_matched_by_name_and_compared(team: list[Path]) -> None:
    data = report([team[0], team[2]])
    assert [o["id"] for o in data["outcomes"]["compared"]] == ["readmission", "qpr-4m"]
    assert question(data, "E3@readmission")["status"] in ("agree", "disagree")
    link = next(m for m in data["outcomes"]["matching"] if m["id"] == "readmission")
    assert link["how"] == "name"
    assert [r["id"] for r in link["reviewers"]] == ["readmission", "psych-readmit"]


def test_a_different_time_point_is_not_matched_and_is_warned_about(team: list[Path]) -> None:
    edit(team[2], ("Psychiatric readmission within 12 months", "Psychiatric readmission within 6 months"))
    data = report([team[0], team[2]])
    assert [o["id"] for o in data["outcomes"]["only_b"]] == ["psych-readmit"]
    assert any("'Psychiatric readmission within 6 months'" in w and "not compared" in w for w in data["warnings"])


def test_outcomes_of_different_types_are_not_matched_by_name(team: list[Path]) -> None:
    edit(team[2], ("within 12 months, type: service_use", "within 12 months, type: clinical"))
    loaded, _ = load_many([team[0], team[2]])
    matching = match_outcomes([x.appraisal for x in loaded])
    assert [link.canonical for link in matching.unmatched] == ["readmission", "psych-readmit"]


def test_match_links_an_outcome_by_hand(team: list[Path]) -> None:
    edit(team[2], ("Psychiatric readmission within 12 months", "Rehospitalisation, one year"))
    args = ["compare", str(team[0]), str(team[2]), "-f", "json"]
    unlinked = json.loads(CliRunner().invoke(cli, args).stdout)
    assert unlinked["outcomes"]["only_b"][0]["id"] == "psych-readmit"
    result = CliRunner().invoke(cli, [*args, "--match", f"{team[2]}:psych-readmit=readmission"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["outcomes"]["only_b"] == []
    assert next(m for m in data["outcomes"]["matching"] if m["id"] == "readmission")["how"] == "manual"
    assert "outcomes matched (linked by hand): " in result.stderr, result.stderr
    assert "'Readmission within 12 months' = 'Rehospitalisation" in result.stderr


def test_compare_says_in_words_how_outcomes_named_differently_were_matched(team: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", str(team[0]), str(team[2]), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "outcomes matched (similar names): " in result.stderr
    assert "'Psychiatric readmission within 12 months'" in result.stderr


def test_match_to_an_outcome_that_is_not_there_is_a_usage_error(team: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", str(team[0]), str(team[2]), "--match", f"{team[2]}:nope=readmission"])
    assert result.exit_code == 2
    assert "has no outcome 'nope'" in result.output


def test_strict_fails_when_an_outcome_was_not_compared(team: list[Path]) -> None:
    # Bea appraised an outcome nobody else did.
    plain = CliRunner().invoke(cli, ["compare", *map(str, team)])
    strict = CliRunner().invoke(cli, ["compare", *map(str, team), "--strict"])
    assert plain.exit_code == 0
    assert strict.exit_code == 1
    assert "WEMWBS at 12 months" in strict.stderr and "--strict" in strict.stderr


def test_every_output_warns_about_an_outcome_not_compared(team: list[Path], tmp_path: Path) -> None:
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"report.{fmt}"
        CliRunner().invoke(cli, ["compare", *map(str, team), "-o", str(out)])
        assert "WEMWBS at 12 months" in out.read_text(encoding="utf-8") and "not compared" in out.read_text(
            encoding="utf-8"
        ), fmt


def test_three_reviewers_are_compared_side_by_side(team: list[Path]) -> None:
    data = report(team)
    assert [r["name"] for r in data["reviewers"]] == ["Alex Morgan", "Bea Lund", "Chidi Okafor"]
    c5 = question(data, "C5")
    assert [s["answer"] for s in c5["sides"]] == ["U", "N", "N"]
    assert (c5["a"]["answer"], c5["b"]["answer"], c5["status"]) == ("U", "N", "disagree")


def test_three_reviewers_get_fleiss_kappa_and_every_statistic_with_an_interval(team: list[Path]) -> None:
    questions = report(team)["agreement"]["questions"]
    keys = [s["key"] for s in questions["statistics"]]
    assert keys == ["fleiss_kappa", "alpha_nominal", "gwet_ac1", "pabak"]
    assert questions["raters"] == 3
    assert questions["kappa"] == next(s["value"] for s in questions["statistics"] if s["key"] == "fleiss_kappa")
    assert all(s["ci"] is not None and s["ci_method"] for s in questions["statistics"])


def test_compare_names_three_reviewers_in_markdown(team: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", *map(str, team)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Three reviewers compared:")
    assert "C: Chidi Okafor" in result.stdout and "Fleiss' κ" in result.stdout


def test_a_consensus_of_three_records_every_reviewer_and_side(team: list[Path]) -> None:
    loaded, _ = load_many(team)
    consensus = build_consensus_many([x.appraisal for x in loaded], loaded[0].checklist, sources=[str(p) for p in team])
    assert consensus.reviewer == "Consensus of Alex Morgan, Bea Lund and Chidi Okafor"
    c5 = next(i for i in open_items(consensus) if i.key == "C5")
    assert [side.answer for side in c5.sides.values()] == ["U", "N", "N"]


def test_the_third_reviewers_side_can_be_chosen_and_survives_saving(team: list[Path], tmp_path: Path) -> None:
    loaded, _ = load_many(team)
    consensus = build_consensus_many([x.appraisal for x in loaded], loaded[0].checklist)
    resolve(consensus, "C5", choose="c", resolved_by="Alex Morgan")
    out = tmp_path / "consensus.yaml"
    write_appraisal(out, consensus)
    assert "\n      c:" in out.read_text(encoding="utf-8")
    again = load_appraisal(out).appraisal
    c5 = next(i for i in consensus_items(again) if i.key == "C5")
    assert (c5.status, c5.chosen, c5.answer) == ("resolved", "c", "N")
    assert again.answers["C5"].answer == "N"  # type: ignore[union-attr]


def test_consensus_of_three_from_the_command_line(team: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "agreed.yaml"
    result = CliRunner().invoke(cli, ["consensus", *map(str, team), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, ["validate", str(out)]).exit_code == 0
    assert "Chidi Okafor" in out.read_text(encoding="utf-8")
