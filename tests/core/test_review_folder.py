"""A review folder: review.yaml, one folder per reviewer, calibration across the pilot studies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.review.folder import read_review
from tests.conftest import DATA

TRIALS = [("PATHWAYS-HOME", "10.9999/ph.1"), ("BRIDGE-PEER", "10.9999/bp.7"), ("KINDRED-WARD", "10.9999/kw.3")]
REVIEW_YAML = """review: Peer support after discharge (fictional)
checklist: {id: peer-support, version: "1"}
team: [alex, bea, chidi]
pilot: [pathways-home, bridge-peer, kindred-ward]
guidance:
  C5: "In this review, shared wards with no monitoring count as N."
"""


def _trial(base: str, trial: str, doi: str, name: str) -> str:
    text = base.replace("(PATHWAYS-HOME)", f"({trial})").replace("reviewer: Alex Morgan", f"reviewer: {name}")
    return text.replace("  year: 2024\n", f"  year: 2024\n  doi: {doi}\n")


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """Three reviewers, three fictional trials; Chidi names the readmission outcome differently."""
    a = (DATA / "pathways-home-reviewer-a.yaml").read_text(encoding="utf-8")
    b = (DATA / "pathways-home-reviewer-b.yaml").read_text(encoding="utf-8")
    root = tmp_path / "review"
    for folder in ("alex", "bea", "chidi"):
        (root / folder).mkdir(parents=True)
    for trial, doi in TRIALS:
        stem = trial.lower()
        (root / "alex" / f"{stem}.yaml").write_text(_trial(a, trial, doi, "Alex Morgan"), encoding="utf-8")
        (root / "bea" / f"{stem}.yaml").write_text(_trial(b, trial, doi, "Bea Lund"), encoding="utf-8")
        chidi = _trial(a, trial, doi, "Chidi Okafor").replace(
            "{id: readmission, name: Readmission within 12 months",
            "{id: psych-readmit, name: Psychiatric readmission within 12 months",
        )
        chidi = chidi.replace("\n  readmission:", "\n  psych-readmit:")
        # Chidi's file names differ from the others': the study is still found by its DOI.
        (root / "chidi" / f"chidi-{stem}.yaml").write_text(chidi, encoding="utf-8")
    (root / "review.yaml").write_text(REVIEW_YAML, encoding="utf-8")
    return root


def test_a_study_is_matched_across_reviewers_by_doi(review: Path) -> None:
    folder = read_review(review)
    assert folder.reviewers == ["alex", "bea", "chidi"]
    assert len(folder.studies) == 3
    assert all(set(s.files) == {"alex", "bea", "chidi"} and s.how == "DOI" for s in folder.studies)


def _drop(review: Path, pattern: str, *lines: str) -> None:
    for path in review.rglob(pattern):
        text = path.read_text(encoding="utf-8")
        for line in lines:
            text = "".join(x for x in text.splitlines(keepends=True) if not x.startswith(line))
        path.write_text(text, encoding="utf-8")


def test_without_a_doi_a_study_is_matched_by_title_year_and_first_author(review: Path) -> None:
    _drop(review, "*pathways-home.yaml", "  doi:")
    study = next(s for s in read_review(review).studies if s.key == "pathways-home")
    assert set(study.files) == {"alex", "bea", "chidi"}
    assert study.how == "title, year and first author"


def test_without_doi_or_title_a_study_is_matched_by_file_name(review: Path) -> None:
    _drop(review, "*pathways-home.yaml", "  doi:", "  title:")
    study = next(s for s in read_review(review).studies if s.key == "pathways-home")
    # Chidi named the file chidi-pathways-home.yaml: nothing says it is the same study.
    assert set(study.files) == {"alex", "bea"}
    assert study.how == "file name"


def test_calibrate_ranks_the_questions_the_team_disagrees_on_first(review: Path) -> None:
    result = CliRunner().invoke(cli, ["calibrate", str(review), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    disagreed = [q["id"] for q in data["questions"] if q["agreement"]["disagree"]]
    # Bea differs from Alex and Chidi on B4, C5 and E3 (readmission) in every trial.
    assert disagreed == ["B4", "C5", "E3"][: len(disagreed)] and set(disagreed) == {"B4", "C5", "E3"}
    assert [q["id"] for q in data["questions"][: len(disagreed)]] == disagreed


def test_calibrate_gives_every_statistic_with_its_interval_across_the_pilot_studies(review: Path) -> None:
    data = json.loads(CliRunner().invoke(cli, ["calibrate", str(review), "-f", "json"]).stdout)
    overall = data["agreement"]["questions"]
    assert overall["raters"] == 3
    assert {s["key"] for s in overall["statistics"]} == {"fleiss_kappa", "alpha_nominal", "gwet_ac1", "pabak"}
    assert all(s["ci"] and s["ci_method"] for s in overall["statistics"])
    c5 = next(q for q in data["questions"] if q["id"] == "C5")
    assert c5["agreement"]["n"] == 3  # one item per pilot study


def test_calibrate_shows_each_reviewers_answer_and_note_and_the_reviews_guidance(review: Path) -> None:
    data = json.loads(CliRunner().invoke(cli, ["calibrate", str(review), "-f", "json"]).stdout)
    c5 = next(q for q in data["questions"] if q["id"] == "C5")
    assert c5["guidance"].startswith("In this review, shared wards")
    answers = c5["items"][0]["answers"]
    assert [(a["reviewer"], a["answer"]) for a in answers] == [("alex", "U"), ("bea", "N"), ("chidi", "U")]
    assert answers[1]["note"].startswith("Shared wards")


def test_calibrate_matches_outcomes_named_differently(review: Path) -> None:
    data = json.loads(CliRunner().invoke(cli, ["calibrate", str(review), "-f", "json"]).stdout)
    e3 = next(q for q in data["questions"] if q["id"] == "E3")
    assert e3["agreement"]["n"] == 6  # two outcomes in each of three trials
    assert not any("Psychiatric readmission" in w for w in data["warnings"])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_calibrate_reports_name_the_weakest_question_and_the_guidance(review: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"calibration.{fmt}"
    result = CliRunner().invoke(cli, ["calibrate", str(review), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Contamination" in text and "shared wards with no monitoring count as N" in text
    assert "95% CI" in text


def test_calibrate_of_a_folder_without_two_reviewers_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "alex").mkdir()
    result = CliRunner().invoke(cli, ["calibrate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no pilot study has appraisals from two or more reviewers" in result.output


def test_validate_checks_review_yaml_keys_with_a_suggestion(review: Path) -> None:
    (review / "review.yaml").write_text(REVIEW_YAML + "teem: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(review / "review.yaml")])
    assert result.exit_code == 1
    assert "review.yaml:7:1: unknown key 'teem'; did you mean 'team'?" in result.output


def test_validate_warns_about_guidance_for_a_question_the_checklist_lacks(review: Path) -> None:
    (review / "review.yaml").write_text(REVIEW_YAML + '  Z9: "nothing"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(review / "review.yaml")])
    assert result.exit_code == 0
    assert "guidance for 'Z9', which is not a question of peer-support" in result.output


def test_validate_warns_about_a_team_member_without_a_folder(review: Path) -> None:
    (review / "review.yaml").write_text(REVIEW_YAML.replace("chidi]", "chidi, dana]"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(review / "review.yaml")])
    assert "the team lists 'dana' but there is no folder" in result.output


def test_schema_review_describes_review_yaml() -> None:
    result = CliRunner().invoke(cli, ["schema", "review"])
    schema = json.loads(result.stdout)
    assert {"team", "pilot", "guidance", "checklist"} <= set(schema["properties"])


def test_summary_of_a_review_folder_counts_each_study_once_and_says_which_copy(review: Path) -> None:
    result = CliRunner().invoke(cli, ["summary", str(review), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    studies = {row["file"] for row in data["answers"]}
    assert len(studies) == 3 and all("/alex/" in f for f in studies)
    assert "no consensus file yet; found the copies of alex, bea, chidi and used alex's" in result.stderr


def test_summary_of_a_review_folder_uses_the_consensus_file_where_there_is_one(review: Path) -> None:
    (review / "consensus").mkdir()
    files = [str(p) for p in sorted(review.glob("*/pathways-home.yaml"))] + [
        str(review / "chidi" / "chidi-pathways-home.yaml")
    ]
    out = review / "consensus" / "pathways-home.yaml"
    assert CliRunner().invoke(cli, ["consensus", *files, "-o", str(out)]).exit_code == 0
    result = CliRunner().invoke(cli, ["summary", str(review), "-f", "json"])
    files_read = {row["file"] for row in json.loads(result.stdout)["answers"]}
    assert str(out) in files_read and len(files_read) == 3
