"""A consensus of two reviewers: agreed answers kept, disagreements open, resolved with a record."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Appraisal
from appraise.core.assessment import Assessment
from appraise.files.store import load_appraisal, write_appraisal
from appraise.review.consensus import ConsensusError, build_consensus, consensus_items, open_items, reopen, resolve
from tests.conftest import DATA

A = DATA / "pathways-home-reviewer-a.yaml"
B = DATA / "pathways-home-reviewer-b.yaml"


@pytest.fixture
def consensus_file(tmp_path: Path) -> Path:
    """The consensus of the two PATHWAYS-HOME reviewers, written by `appraise consensus`."""
    out = tmp_path / "consensus.yaml"
    result = CliRunner().invoke(cli, ["consensus", str(A), str(B), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def consensus() -> Appraisal:
    """The consensus as a model, built without touching a file."""
    a, b = load_appraisal(A), load_appraisal(B)
    return build_consensus(a.appraisal, b.appraisal, a.checklist, sources=("a.yaml", "b.yaml"))


def consensus_with_b_changed(tmp_path: Path, old: str, new: str) -> Appraisal:
    """The consensus of reviewer A and a copy of reviewer B with one change."""
    b = tmp_path / "b.yaml"
    text = B.read_text(encoding="utf-8")
    assert old in text, old
    b.write_text(text.replace(old, new), encoding="utf-8")
    loaded_a, loaded_b = load_appraisal(A), load_appraisal(b)
    return build_consensus(loaded_a.appraisal, loaded_b.appraisal, loaded_a.checklist)


def record(appraisal: Appraisal) -> dict[str, Any]:
    assert appraisal.model_extra is not None
    data: dict[str, Any] = appraisal.model_extra["consensus"]
    return data


# --- the consensus file -------------------------------------------------------------------------


def test_the_consensus_file_is_a_valid_appraisal(consensus_file: Path) -> None:
    loaded = load_appraisal(consensus_file)
    assert loaded.errors == [] and loaded.warnings == []
    result = subprocess.run(
        [sys.executable, "-m", "appraise", "validate", str(consensus_file)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_consensus_names_both_reviewers_and_their_files(consensus: Appraisal) -> None:
    assert consensus.reviewer == "Consensus of Alex Morgan and Bea Lund"
    assert record(consensus)["reviewers"] == ["Alex Morgan", "Bea Lund"]
    assert record(consensus)["sources"] == ["a.yaml", "b.yaml"]


def test_agreed_answers_are_kept_with_both_notes(consensus: Appraisal) -> None:
    e5 = consensus.outcome_answers["qpr-4m"]["E5"]
    assert e5.answer == "P" and e5.page == "11"
    assert e5.note == (
        "A: Completion 70% vs 79%, multiple imputation. / B: Missing 30% vs 21%; imputed under missing at random."
    )


def test_a_note_both_wrote_alike_is_kept_once_and_one_reviewers_note_as_it_is(consensus: Appraisal) -> None:
    assert consensus.answers["B1"].note == "Lived experience of distress and of inpatient care, matching participants."
    assert consensus.answers["C2"].note == "Usual care described in general terms only."  # A's only


def test_disagreements_are_left_unanswered_and_open(consensus: Appraisal) -> None:
    assert "B4" not in consensus.answers and "C5" not in consensus.answers
    assert "E3" not in consensus.outcome_answers["readmission"]
    assert [i.key for i in open_items(consensus)] == [
        "outcome:qpr-4m.finding",
        "B4",
        "C5",
        "D6",
        "E3@readmission",
        "E1@wellbeing-12m",
        "E2@wellbeing-12m",
        "E3@wellbeing-12m",
        "E4@wellbeing-12m",
        "judgement:C",
    ]


def test_an_open_item_has_both_sides_with_their_support(consensus: Appraisal) -> None:
    b4 = next(i for i in open_items(consensus) if i.key == "B4")
    assert (b4.kind, b4.target, b4.outcome_id) == ("answer", "B4", None)
    assert (b4.a.answer, b4.a.page, b4.b.answer, b4.b.page) == ("Y", "6", "P", "9")
    assert b4.b.quote == "Participants received a median of 7 contacts (IQR 4-10)"


def test_an_answer_only_one_reviewer_gave_is_open(consensus: Appraisal) -> None:
    d6 = next(i for i in open_items(consensus) if i.key == "D6")
    assert d6.a.answer == "Y" and d6.b.answer is None
    assert "D6" not in consensus.answers


def test_an_outcome_only_one_reviewer_appraised_is_kept_with_its_answers_open(consensus: Appraisal) -> None:
    assert consensus.outcome("wellbeing-12m") is not None
    assert "wellbeing-12m" not in consensus.outcome_answers
    e4 = next(i for i in open_items(consensus) if i.key == "E4@wellbeing-12m")
    assert e4.a.answer is None and e4.b.answer == "self_report_aware"


def test_an_outcome_field_they_disagree_on_is_left_empty(consensus: Appraisal) -> None:
    qpr = consensus.outcome("qpr-4m")
    assert qpr is not None and qpr.finding is None and qpr.type == "recovery"


def test_a_judgement_both_made_their_own_is_kept_with_both_reasons(consensus: Appraisal) -> None:
    override = consensus.overrides["overall@qpr-4m"]
    assert override.judgement == "low"
    assert (
        override.reason.startswith("A: Self-reported by participants") and "/ B: Exploratory outcome" in override.reason
    )


def test_a_judgement_one_reviewer_overrode_differently_is_open_and_not_written(consensus: Appraisal) -> None:
    item = next(i for i in open_items(consensus) if i.key == "judgement:C")
    assert (item.a.answer, item.a.by, item.a.proposed) == ("major_concerns", "reviewer", "some_concerns")
    assert (item.b.answer, item.b.by) == ("some_concerns", "rules")
    assert "C" not in consensus.overrides


def test_judgements_both_left_to_the_rules_follow_the_consensus_answers(consensus: Appraisal) -> None:
    keys = {i.key for i in consensus_items(consensus)}
    assert "judgement:B" not in keys and "judgement:E@readmission" not in keys  # they differ only through B4, E3


def test_consensus_refuses_to_overwrite_a_file(consensus_file: Path) -> None:
    before = consensus_file.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "appraise", "consensus", str(A), str(B), "-o", str(consensus_file)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "already exists" in result.stderr and "Traceback" not in result.stderr
    assert consensus_file.read_bytes() == before


def test_consensus_needs_an_output_file() -> None:
    result = CliRunner().invoke(cli, ["consensus", str(A), str(B)])
    assert result.exit_code == 2 and "Missing option '-o'" in result.output


def test_consensus_says_what_is_left_to_resolve(tmp_path: Path) -> None:
    out = tmp_path / "c.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "appraise", "consensus", str(A), str(B), "-o", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert f"wrote {out}: 10 to resolve (outcome:qpr-4m.finding, B4, C5," in result.stderr


def test_consensus_of_different_checklists_exits_1(tmp_path: Path) -> None:
    other = tmp_path / "rob2.yaml"
    other.write_text('appraise: 1\nchecklist: {id: rob2, version: "1"}\n', encoding="utf-8")
    out = tmp_path / "c.yaml"
    result = CliRunner().invoke(cli, ["consensus", str(A), str(other), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()


# --- resolving ----------------------------------------------------------------------------------


def test_choosing_a_side_takes_its_answer_and_support(consensus: Appraisal) -> None:
    resolve(consensus, "B4", choose="b", reason="The dose is only a median.", resolved_by="Alex and Bea")
    b4 = consensus.answers["B4"]
    assert (b4.answer, b4.page) == ("P", "9") and b4.note.startswith("Content listed")
    item = record(consensus)["items"]["B4"]
    assert item["status"] == "resolved" and item["chosen"] == "b" and item["answer"] == "P"
    assert item["reason"] == "The dose is only a median." and item["resolved_by"] == "Alex and Bea"
    assert item["a"]["answer"] == "Y"  # the side not chosen stays on record


def test_a_resolved_item_is_no_longer_open(consensus: Appraisal) -> None:
    resolve(consensus, "C5", choose="a")
    assert "C5" not in [i.key for i in open_items(consensus)]
    assert next(i for i in consensus_items(consensus) if i.key == "C5").status == "resolved"


def test_a_new_answer_is_written_with_its_reason_as_the_note(consensus: Appraisal) -> None:
    resolve(consensus, "E3@readmission", answer="N", reason="Table 1 shows a clear imbalance.")
    e3 = consensus.outcome_answers["readmission"]["E3"]
    assert (e3.answer, e3.note) == ("N", "Table 1 shows a clear imbalance.")
    assert record(consensus)["items"]["E3@readmission"]["chosen"] == "new"


def test_a_new_answer_needs_a_reason(consensus: Appraisal) -> None:
    with pytest.raises(ConsensusError, match="a new answer needs a reason"):
        resolve(consensus, "B4", answer="N", reason="  ")


def test_resolve_takes_a_side_or_a_new_answer_not_both(consensus: Appraisal) -> None:
    with pytest.raises(ConsensusError, match="one of the two"):
        resolve(consensus, "B4", choose="a", answer="N", reason="why")


def test_a_side_with_no_answer_cannot_be_chosen(consensus: Appraisal) -> None:
    with pytest.raises(ConsensusError, match="Bea Lund gave no answer here"):
        resolve(consensus, "D6", choose="b")


def test_an_unknown_item_is_an_error(consensus: Appraisal) -> None:
    with pytest.raises(ConsensusError, match="no consensus item 'Z9'"):
        resolve(consensus, "Z9", choose="a")


def test_resolving_a_judgement_writes_the_override(consensus: Appraisal) -> None:
    resolve(consensus, "judgement:C", choose="a")
    override = consensus.overrides["C"]
    assert (override.judgement, override.reason) == (
        "major_concerns",
        "Usual care differed markedly by site (Table 1).",
    )


def test_resolving_an_outcome_field_sets_it(consensus: Appraisal) -> None:
    resolve(consensus, "outcome:qpr-4m.finding", choose="b")
    outcome = consensus.outcome("qpr-4m")
    assert outcome is not None and outcome.finding == "unclear"


def test_primary_is_settled_as_true_or_false(tmp_path: Path) -> None:
    merged = consensus_with_b_changed(tmp_path, "service_use, primary: true", "service_use, primary: false")
    item = next(i for i in open_items(merged) if i.key == "outcome:readmission.primary")
    assert (item.a.answer, item.b.answer) == ("true", "false")
    with pytest.raises(ConsensusError, match="primary is true or false"):
        resolve(merged, item.key, answer="maybe", reason="unsure")
    resolve(merged, item.key, answer="false", reason="The registry names QPR-15 as primary.")
    outcome = merged.outcome("readmission")
    assert outcome is not None and outcome.primary is False


def test_a_chosen_judgement_without_reasons_says_whose_it_was(consensus: Appraisal) -> None:
    resolve(consensus, "judgement:C", choose="b")
    assert consensus.overrides["C"].reason == "Bea Lund's judgement, chosen in consensus"


def test_choosing_the_side_that_was_not_asked_leaves_the_question_unanswered(tmp_path: Path) -> None:
    merged = consensus_with_b_changed(tmp_path, "A2: {answer: rct,", "A2: {answer: non_randomised,")
    item = next(i for i in open_items(merged) if i.key == "E1@readmission")
    assert (item.a.answer, item.b.answer, item.b.asked) == ("Y", "NA", False)
    resolve(merged, "A2", choose="b")
    resolve(merged, "E1@readmission", choose="b")
    assert "E1" not in merged.outcome_answers.get("readmission", {})
    checklist = load_appraisal(A).checklist
    assert Assessment(merged, checklist).code(checklist.questions["E1"], "readmission") == "NA"


def test_reopening_takes_the_answer_out_again(consensus: Appraisal) -> None:
    resolve(consensus, "B4", choose="a")
    reopen(consensus, "B4")
    assert "B4" not in consensus.answers
    item = record(consensus)["items"]["B4"]
    assert item["status"] == "open" and "chosen" not in item and "answer" not in item


def test_a_fully_resolved_consensus_is_judged_like_any_appraisal(consensus: Appraisal) -> None:
    for item in open_items(consensus):
        resolve(consensus, item.key, choose="a" if item.a.answer is not None else "b")
    assert open_items(consensus) == []
    results = {e.section.id: e.result.judgement for e in Assessment(consensus, load_appraisal(A).checklist).entries()}
    assert results["B"] == "clear" and results["C"] == "major_concerns"


def test_resolutions_survive_saving_and_loading(consensus_file: Path) -> None:
    loaded = load_appraisal(consensus_file)
    resolve(loaded.appraisal, "B4", choose="b", reason="agreed")
    write_appraisal(consensus_file, loaded.appraisal)
    again = load_appraisal(consensus_file)
    assert again.errors == [] and again.appraisal.answers["B4"].answer == "P"
    assert "B4" not in [i.key for i in open_items(again.appraisal)]
    assert len(open_items(again.appraisal)) == 9


def test_a_hand_written_record_may_use_bare_codes(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(
        'appraise: 1\nchecklist: {id: peer-support, version: "1"}\n'
        'consensus:\n  reviewers: [Ann, Ben]\n  items:\n    A1: {a: "Y", b: "N"}\n',
        encoding="utf-8",
    )
    appraisal = load_appraisal(path).appraisal
    (item,) = open_items(appraisal)
    assert (item.key, item.a.answer, item.b.answer, item.status) == ("A1", "Y", "N", "open")
    resolve(appraisal, "A1", choose="a")
    assert appraisal.answers["A1"].answer == "Y"


def test_a_broken_record_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "appraise: 1\nchecklist: {id: peer-support}\nconsensus:\n  items:\n    A1: {status: maybe}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConsensusError, match=r"consensus\.items\.A1\.status"):
        open_items(load_appraisal(path).appraisal)


def test_an_appraisal_without_a_record_has_nothing_open() -> None:
    assert open_items(load_appraisal(A).appraisal) == []
