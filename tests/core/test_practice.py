"""Practice mode: vignettes with model answers, and feedback on a learner's appraisal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import appraise
from appraise.cli import cli
from appraise.core.appraisal import Answer
from appraise.files.store import write_appraisal
from appraise.learning.practice import find_vignette, list_vignettes, model_appraisal, score, start_practice


def vignette_ids() -> list[str]:
    return [entry.id for entry in list_vignettes()[0]]


def test_at_least_four_vignettes_are_bundled_and_readable() -> None:
    entries, problems = list_vignettes()
    assert problems == []
    assert len(entries) >= 4
    assert {"pathways-home", "hope-rising"} <= {e.id for e in entries}


@pytest.mark.parametrize("vignette_id", vignette_ids())
def test_scoring_the_model_answer_itself_gives_full_marks(vignette_id: str) -> None:
    vignette = find_vignette(vignette_id)
    feedback = score(model_appraisal(vignette), vignette)
    assert feedback.count("differs") == 0 and feedback.count("unanswered") == 0
    assert feedback.count("differs", judgements=True) == 0
    assert feedback.full_marks


def test_an_acceptable_alternative_is_marked_acceptable_not_wrong() -> None:
    vignette = find_vignette("pathways-home")
    appraisal = model_appraisal(vignette)
    appraisal.answers["B4"] = Answer(answer="P")
    feedback = score(appraisal, vignette)
    b4 = next(q for q in feedback.questions if q.question_id == "B4")
    assert b4.grade == "acceptable"
    b = next(j for j in feedback.judgements if j.key == "B")
    assert b.yours == "partial" and b.grade == "acceptable"


def test_a_different_answer_is_explained_with_the_rationale_and_why_it_matters() -> None:
    vignette = find_vignette("hope-rising")
    appraisal = model_appraisal(vignette)
    appraisal.answers["C1"] = Answer(answer="usual_care")
    feedback = score(appraisal, vignette)
    c1 = next(q for q in feedback.questions if q.question_id == "C1")
    assert c1.grade == "differs"
    assert c1.expected_label == "Waiting list" and c1.yours_label == "Usual care"
    assert c1.why


def test_a_fresh_practice_appraisal_has_the_vignettes_outcomes_and_nothing_answered() -> None:
    vignette = find_vignette("pathways-home")
    appraisal = start_practice(vignette)
    assert [o.id for o in appraisal.outcomes] == [o.id for o in vignette.outcomes]
    feedback = score(appraisal, vignette)
    assert feedback.answered == 0 and feedback.count("unanswered") > 30


def test_practice_score_command_prints_feedback_and_json(tmp_path: Path) -> None:
    vignette = find_vignette("hope-rising")
    appraisal = model_appraisal(vignette)
    appraisal.answers["A4"] = Answer(answer="Y")  # differs from the model answer (No)
    path = tmp_path / "mine.yaml"
    write_appraisal(path, appraisal)
    text = CliRunner().invoke(cli, ["practice", "score", str(path)])
    assert text.exit_code == 0, text.output
    assert "A4  ✗ differs: yours Yes; model No" in text.output and "Teaching points:" in text.output
    data = json.loads(CliRunner().invoke(cli, ["practice", "score", str(path), "-f", "json"]).output)
    assert data["vignette"] == "hope-rising" and data["totals"]["differs"] >= 1 and not data["full_marks"]


def test_practice_score_refuses_an_ordinary_appraisal(pathways: Path) -> None:
    result = CliRunner().invoke(cli, ["practice", "score", str(pathways)])
    assert result.exit_code == 1 and "not a practice appraisal" in result.output


def test_practice_list_names_every_vignette() -> None:
    result = CliRunner().invoke(cli, ["practice", "--list"])
    assert result.exit_code == 0
    for vignette_id in vignette_ids():
        assert vignette_id in result.output


def test_model_answers_match_the_engine_for_every_vignette() -> None:
    checklist = appraise.load_checklist("peer-support")
    for vignette_id in vignette_ids():
        vignette = find_vignette(vignette_id)
        feedback = score(model_appraisal(vignette, checklist), vignette, checklist)
        assert all(j.grade in {"agrees", "acceptable"} for j in feedback.judgements), vignette_id
