"""The expert keys of the practice vignettes (shared/domain/vignettes.md) are the checklist's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import appraise
from appraise.core.assessment import Assessment
from appraise.files.store import load_appraisal

PATHWAYS_STUDY = dict(
    A1="Y",
    A2="rct",
    A3="full",
    A4="Y",
    B1="Y",
    B2="peer_added",
    B3="Y",
    B4="Y",
    B5="Y",
    B6="Y",
    B7="U",
    C1="usual_care",
    C2="P",
    C3="Y",
    C4="N",
    C5="U",
    D1="Y",
    D2="service_use",
    D3="P",
    D4="Y",
    D5="Y",
    D6="Y",
    F1="Y",
    F2="imprecise",
    F3="N",
    F4="Y",
    F5="Y",
)
PATHWAYS_READMISSION = dict(E1="Y", E2="Y", E3="Y", E4="masked_or_records", E5="Y", E6="Y", E7="Y", E8="Y")
PATHWAYS_QPR = dict(PATHWAYS_READMISSION, E4="self_report_aware", E10="P")  # 4-month completion: E5 Y

HOPE_RISING = dict(
    A1="P",
    A2="rct",
    A3="U",
    A4="N",
    B1="P",
    B2="mutual_group",
    B3="P",
    B4="N",
    B5="N",
    B6="N",
    B7="U",
    C1="waiting_list",
    C2="U",
    C3="U",
    C4="N",
    C5="U",
    D1="N",
    D2="recovery",
    D3="P",
    D4="P",
    D5="Y",
    D6="P",
    E1="Y",
    E2="N",
    E3="P",
    E4="self_report_aware",
    E10="Y",
    E5="N",
    E6="N",
    E7="N",
    E8="N",
    F1="N",
    F2="cant_tell",
    F3="U",
    F4="N",
    F5="N",
)


@pytest.fixture(scope="module")
def checklist() -> appraise.core.checklist.Checklist:
    return appraise.load_checklist("peer-support")


def test_pathways_home_readmission_matches_the_expert_key(checklist) -> None:
    result = appraise.judge(
        checklist, {**PATHWAYS_STUDY, **PATHWAYS_READMISSION}, {"primary": True, "type": "service_use"}
    )
    assert result == {
        "A": "proceed",
        "B": "clear",
        "C": "some_concerns",
        "D": "partial_fit",
        "E": "low",
        "F": "sound",
        "G": None,
        "overall": "moderate",
    }


def test_pathways_home_qpr_secondary_outcome_is_capped_at_low_and_exploratory(checklist) -> None:
    answers = {**PATHWAYS_STUDY, **PATHWAYS_QPR}
    result = appraise.judge(checklist, answers, {"primary": False, "type": "recovery"})
    assert result["E"] == "some_concerns"
    assert result["overall"] == "low"  # high, −1 for bias → moderate, capped at low: one secondary signal
    from appraise.core.engine import Evaluator

    overall = Evaluator(checklist, answers, {"primary": False}).section("overall")
    assert any("Exploratory" in m for m in overall.messages)


def test_pathways_home_with_b4_partly_is_partly_defined_as_the_key_allows(checklist) -> None:
    result = appraise.judge(checklist, {**PATHWAYS_STUDY, "B4": "P", **PATHWAYS_READMISSION})
    assert result["B"] == "partial"
    assert result["overall"] == "moderate"  # a partly defined intervention costs nothing


def test_hope_rising_matches_the_expert_key(checklist) -> None:
    result = appraise.judge(checklist, HOPE_RISING, {"primary": False, "type": "recovery"})
    assert result == {
        "A": "caution",
        "B": "poor",
        "C": "major_concerns",
        "D": "poor_fit",
        "E": "high",
        "F": "overclaimed",
        "G": None,
        "overall": "very_low",
    }


def test_hope_rising_is_very_low_even_if_hope_were_the_primary_outcome(checklist) -> None:
    assert appraise.judge(checklist, HOPE_RISING, {"primary": True})["overall"] == "very_low"


def test_hope_rising_flags_over_claiming_and_the_add_on_design(checklist) -> None:
    from appraise.core.engine import Evaluator

    evaluator = Evaluator(checklist, HOPE_RISING, {"primary": False})
    assert any("over-claim" in m for m in evaluator.section("F").messages)
    assert any("compares peer support with waiting" in m for m in evaluator.section("C").messages)
    assert not any("usual care" in m for m in evaluator.section("C").messages)  # there was none
    assert any("Waiting-list" in m for m in evaluator.section("C").messages)


def test_pathways_home_file_gives_both_outcomes_the_key_judgements(pathways: Path) -> None:
    loaded = load_appraisal(pathways)
    assert loaded.problems == []
    assessment = Assessment(loaded.appraisal, loaded.checklist)
    overall = {e.outcome_id: e.result.judgement for e in assessment.overall()}
    assert overall == {"readmission": "moderate", "qpr-4m": "low"}
    bias = {e.outcome_id: e.result.judgement for e in assessment.entries() if e.section.id == "E"}
    assert bias == {"readmission": "low", "qpr-4m": "some_concerns"}


def test_overall_trace_explains_the_downgrade(checklist) -> None:
    from appraise.core.engine import Evaluator

    overall = Evaluator(checklist, {**PATHWAYS_STUDY, **PATHWAYS_READMISSION}, {"primary": True}).section("overall")
    assert overall.trace == "Overall: A3 = full, A2 = rct, primary outcome, F2 = imprecise → moderate"


@pytest.mark.parametrize("design", ["before_after", "qualitative", "mixed_methods", "review"])
def test_designs_that_need_a_different_tool_leave_bias_results_and_overall_not_applicable(checklist, design) -> None:
    result = appraise.judge(checklist, {**PATHWAYS_STUDY, "A2": design, **PATHWAYS_READMISSION})
    assert result["A"] == "different_tool"
    assert result["E"] == result["F"] == result["overall"] == "not_applicable"
    assert result["B"] == "clear" and result["D"] == "partial_fit"


def test_non_randomised_study_starts_low_and_is_not_asked_about_randomisation(checklist) -> None:
    answers = {**PATHWAYS_STUDY, "A2": "non_randomised", "E9": "Y", **PATHWAYS_READMISSION}
    del answers["E1"], answers["E2"], answers["A3"]
    result = appraise.judge(checklist, answers)
    assert result["A"] == "caution"
    assert result["E"] == "low"  # judged from E3–E9 with confounding dealt with; E1 and E2 are not asked
    assert result["overall"] == "very_low"  # low, −1 for the imprecise primary estimate


def test_pilot_trial_starts_at_moderate_with_the_pilot_message(checklist) -> None:
    from appraise.core.engine import Evaluator

    answers = {**PATHWAYS_STUDY, "A3": "pilot", **PATHWAYS_READMISSION}
    evaluator = Evaluator(checklist, answers, {"primary": True})
    assert evaluator.section("A").proposed == "caution"
    assert evaluator.section("overall").proposed == "low"  # moderate, −1 imprecision
    assert "Pilot: not designed to test effectiveness." in evaluator.section("A").messages


def test_poorly_defined_peer_role_with_known_delivery_is_not_downgraded_but_explained(checklist) -> None:
    from appraise.core.engine import Evaluator

    answers = {**PATHWAYS_STUDY, "B1": "N", "B3": "U", "B4": "Y", **PATHWAYS_READMISSION}
    evaluator = Evaluator(checklist, answers, {"primary": True})
    assert evaluator.section("B").proposed == "poor"
    assert evaluator.section("overall").proposed == "moderate"  # no −1: we know what was delivered
    assert any("doing a standard job" in m for m in evaluator.section("B").messages)
