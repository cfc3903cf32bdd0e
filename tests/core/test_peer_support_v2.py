"""peer-support version 2 (issue 11): every message fires where it is true, and only there.

Each test takes the PATHWAYS-HOME expert key (a complete, well-run add-on trial) and changes the
answers the message is about, so that a case where it must fire sits beside one where it must not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import appraise
from appraise.cli import cli
from appraise.core.assessment import Assessment
from appraise.core.consistency import checklist_warnings
from appraise.core.engine import Evaluator
from appraise.files.store import load_appraisal
from appraise.reports.report import build_report, render_report

ROOT = Path(__file__).resolve().parents[2]
KEY = yaml.safe_load((ROOT / "checklists" / "practice" / "pathways-home.yaml").read_text(encoding="utf-8"))["key"]


def expected(entries: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The key's expected codes, leaving out `any` and `NA`."""
    return {q: str(e["expected"]) for q, e in entries.items() if str(e["expected"]) not in {"any", "NA"}}


STUDY = expected(KEY["answers"])
READMISSION = expected(KEY["outcome_answers"]["readmission"])
PRIMARY = {"primary": True, "type": "service_use"}


@pytest.fixture(scope="module")
def checklist() -> Any:
    return appraise.load_checklist("peer-support")


def messages(checklist: Any, section: str, outcome: dict[str, Any] | None = None, **changes: str) -> list[str]:
    answers = {k: v for k, v in {**STUDY, **READMISSION, **changes}.items() if v}
    return Evaluator(checklist, answers, outcome or PRIMARY).section(section).messages


def judged(checklist: Any, outcome: dict[str, Any] | None = None, **changes: str) -> dict[str, str | None]:
    answers = {k: v for k, v in {**STUDY, **READMISSION, **changes}.items() if v}
    return appraise.judge(checklist, answers, outcome or PRIMARY)


def non_randomised(**changes: str) -> dict[str, str]:
    """The PATHWAYS-HOME answers for a non-randomised study: no E1, E2 or A3."""
    return {"A2": "non_randomised", "E1": "", "E2": "", "A3": "", "E9": "Y", **changes}


# ------------------------------------------------------------------------------------- version


def test_peer_support_is_version_2(checklist) -> None:
    assert checklist.version == "2"
    assert "v2" in checklist.citation


# -------------------------------------------------------------------------------------- B2


def test_peer_in_a_conventional_role_message_claims_no_equivalence(checklist) -> None:
    text = " ".join(messages(checklist, "B", B2="peer_in_role"))
    assert "no clear difference" in text and "not designed to test equivalence" in text
    assert "perform much like" not in text


def test_the_conventional_role_message_is_not_given_for_added_peers(checklist) -> None:
    assert not any("conventional role" in m for m in messages(checklist, "B", B2="peer_added"))


# -------------------------------------------------------------------------------------- C4 / C1

C4_MESSAGES = {
    ("usual_care", "peer_added"): "added to usual care with usual care alone",
    ("usual_care", "peer_run"): "compares peer support with usual care, without matching",
    ("enhanced_usual_care", "online"): "usual care plus a small extra",
    ("waiting_list", "mutual_group"): "compares peer support with waiting",
    ("no_treatment", "peer_added"): "compares peer support with waiting, or with nothing",
    ("non_peer_same_role", "peer_in_role"): "meant to match the role or the contact",
    ("attention_control", "peer_added"): "meant to match the role or the contact",
    ("other_peer", "peer_added"): "Two peer interventions are compared",
    ("U", "peer_added"): "The comparator is unclear",
}
C4_SNIPPETS = set(C4_MESSAGES.values())


@pytest.mark.parametrize(("c1", "b2"), list(C4_MESSAGES), ids=lambda v: str(v))
def test_c4_no_is_worded_for_the_comparator_actually_used(checklist, c1: str, b2: str) -> None:
    found = [m for m in messages(checklist, "C", C1=c1, B2=b2, C4="N") if any(s in m for s in C4_SNIPPETS)]
    assert len(found) == 1, found
    assert C4_MESSAGES[(c1, b2)] in found[0]


@pytest.mark.parametrize("c1", ["waiting_list", "enhanced_usual_care", "non_peer_same_role"])
def test_plus_usual_care_is_never_said_of_a_design_without_it(checklist, c1: str) -> None:
    assert not any("added to usual care" in m for m in messages(checklist, "C", C1=c1, C4="N"))


def test_no_c4_message_when_the_design_separates_peerness(checklist) -> None:
    texts = messages(checklist, "C", C4="Y")
    assert not any(any(s in m for s in C4_SNIPPETS) for m in texts)


def test_non_peer_comparator_in_the_same_role_teaches_what_at_least_as_effective_needs(checklist) -> None:
    text = " ".join(messages(checklist, "C", C1="non_peer_same_role", B2="peer_in_role", C4="Y"))
    assert "at least as effective as non-peer alternatives" in text
    assert "non-inferiority margin set in advance" in text
    assert "higher standard of evidence" in text


@pytest.mark.parametrize("c1", ["usual_care", "attention_control", "waiting_list"])
def test_at_least_as_effective_is_only_discussed_for_a_same_role_comparator(checklist, c1: str) -> None:
    assert not any("at least as effective" in m for m in messages(checklist, "C", C1=c1))


# -------------------------------------------------------------------------------------- D2


@pytest.mark.parametrize(
    ("d2", "snippet"),
    [
        ("service_use", "Reviews of peer support disagree here: most found no clear effect on admissions"),
        ("clinical", "Reviews of peer support disagree here: several found no clear effect on symptoms"),
        ("recovery", "self-reported by participants who knew their group"),
    ],
)
def test_d2_message_reports_what_reviews_found_for_that_kind_of_outcome_only(checklist, d2: str, snippet: str) -> None:
    assert any(snippet in m for m in messages(checklist, "D", D2=d2))
    for other in {"service_use", "clinical", "recovery", "functioning"} - {d2}:
        assert not any(snippet in m for m in messages(checklist, "D", D2=other)), other


def test_d2_messages_no_longer_say_effects_are_uncommon(checklist) -> None:
    for d2 in ("service_use", "clinical"):
        text = " ".join(messages(checklist, "D", D2=d2))
        assert "uncommon" not in text and "less often" not in text


# -------------------------------------------------------------------------------------- A3


def test_a3_is_asked_of_trials_only(checklist) -> None:
    assert Evaluator(checklist, {"A2": "rct"}).reached("A3") is True
    assert Evaluator(checklist, {"A2": "cluster_rct"}).reached("A3") is True
    for design in ("non_randomised", "before_after", "review"):
        assert Evaluator(checklist, {"A2": design}).reached("A3") is False, design


def test_a_non_randomised_study_needs_no_a3_to_be_screened(checklist) -> None:
    assert judged(checklist, **non_randomised())["A"] == "caution"


# -------------------------------------------------------------------------------------- E9


def test_confounding_is_asked_only_of_non_randomised_studies(checklist) -> None:
    assert Evaluator(checklist, {"A2": "non_randomised"}).reached("E9") is True
    for design in ("rct", "cluster_rct"):
        assert Evaluator(checklist, {"A2": design}).reached("E9") is False


@pytest.mark.parametrize(("e9", "bias"), [("Y", "low"), ("P", "some_concerns"), ("U", "some_concerns"), ("N", "high")])
def test_confounding_caps_the_risk_of_bias_of_a_non_randomised_study(checklist, e9: str, bias: str) -> None:
    assert judged(checklist, **non_randomised(E9=e9))["E"] == bias


def test_a_district_comparison_with_confounding_unanswered_is_not_judged_low(checklist) -> None:
    assert judged(checklist, **non_randomised(E9=""))["E"] is None  # incomplete, never a guessed "low"


def test_confounding_message_only_where_confounding_was_not_fully_dealt_with(checklist) -> None:
    assert any("Confounding not fully dealt with" in m for m in messages(checklist, "E", **non_randomised(E9="P")))
    assert not any("Confounding" in m for m in messages(checklist, "E", **non_randomised(E9="Y")))
    assert not any("Confounding" in m for m in messages(checklist, "E"))  # a trial


def test_e6_wording_fits_non_randomised_designs(checklist) -> None:
    assert "assigned to" in checklist.questions["E6"].text


# -------------------------------------------------------------------------------------- E10


def test_knowing_the_allocation_is_asked_about_only_when_it_was_known(checklist) -> None:
    for e4 in ("self_report_aware", "unmasked_rater", "U"):
        assert Evaluator(checklist, {**STUDY, "E4": e4}).reached("E10") is True, e4
    assert Evaluator(checklist, {**STUDY, "E4": "masked_or_records"}).reached("E10") is False


@pytest.mark.parametrize(("e10", "bias"), [("Y", "high"), ("P", "some_concerns"), ("N", "some_concerns")])
def test_a_self_reported_outcome_can_reach_high_when_knowing_likely_swayed_it(checklist, e10: str, bias: str) -> None:
    assert judged(checklist, E4="self_report_aware", E10=e10)["E"] == bias


def test_records_hint_says_admissions_are_clinicians_decisions(checklist) -> None:
    e4 = checklist.questions["E4"]
    assert "decisions by clinicians" in e4.why
    assert "clinician" in (e4.option("unmasked_rater").label + e4.option("unmasked_rater").hint)


# -------------------------------------------------------------------------------------- F


def test_f5_partly_is_some_concerns_not_sound(checklist) -> None:
    result = judged(checklist, F2="imprecise", F3="N", F5="P")
    assert result["F"] == "some_concerns"
    assert any("partly beyond the results" in m for m in messages(checklist, "F", F5="P"))


def test_f5_unclear_is_some_concerns(checklist) -> None:
    assert judged(checklist, F5="U")["F"] == "some_concerns"


def test_an_imprecise_estimate_read_cautiously_is_sound_and_says_why(checklist) -> None:
    assert judged(checklist, F2="imprecise", F5="Y")["F"] == "sound"
    assert not any("partly beyond" in m for m in messages(checklist, "F", F5="Y"))
    assert any("overall confidence goes down one level" in m for m in messages(checklist, "F", F2="imprecise"))
    assert not any("imprecise" in m for m in messages(checklist, "F", F2="precise"))


# -------------------------------------------------------------------------------------- overall


def test_a_non_primary_outcome_is_capped_at_low_however_clean(checklist) -> None:
    clean = {"F2": "precise"}
    assert judged(checklist, {"primary": True}, **clean)["overall"] == "high"
    assert judged(checklist, {"primary": False}, **clean)["overall"] == "low"
    exploratory = messages(checklist, "overall", {"primary": False}, **clean)
    assert any("Exploratory" in m and "low at most" in m for m in exploratory)
    assert not any("Exploratory" in m for m in messages(checklist, "overall", {"primary": True}, **clean))


def test_the_wider_evidence_picture_is_in_g_and_in_the_closing_text(checklist) -> None:
    g = next(s for s in checklist.sections if s.id == "G")
    assert "wider evidence picture" in g.description
    assert "more high-quality randomised trials" in checklist.closing
    assert "more evidence than other professions" in checklist.closing


def test_b_help_gives_meads_definition_with_its_reciprocity(checklist) -> None:
    b = next(s for s in checklist.sections if s.id == "B")
    assert "Mead, Hilton and Curtis" in b.description and "offering" in b.description
    assert "Mead, Hilton and Curtis (2001)" in checklist.questions["B1"].why
    assert "peer support working" in checklist.questions["B2"].why


# -------------------------------------------------------------------------------------- D2 vs primary

D2_WARNING = "D2 (kind of primary outcome) does not match the type of the outcome marked primary"


def appraisal_file(tmp_path: Path, d2: str, outcomes: list[tuple[str, str, bool]], version: str = "2") -> Path:
    """A PATHWAYS-HOME appraisal with this D2 and these outcomes (id, type, primary)."""
    data = yaml.safe_load((ROOT / "tests" / "data" / "pathways-home.yaml").read_text(encoding="utf-8"))
    data["checklist"]["version"] = version
    data["answers"]["D2"] = d2
    data["outcomes"] = [
        {"id": oid, "name": oid.replace("-", " ").capitalize(), "type": kind, "primary": primary}
        for oid, kind, primary in outcomes
    ]
    data["outcome_answers"] = {oid: READMISSION for oid, _, _ in outcomes}
    path = tmp_path / "appraisal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def warnings_of(path: Path) -> list[str]:
    loaded = load_appraisal(path)
    return [w.text for w in checklist_warnings(Assessment(loaded.appraisal, loaded.checklist))]


def test_d2_that_contradicts_the_primary_outcome_is_flagged_naming_it(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "recovery", [("readmission", "service_use", True), ("qpr", "recovery", False)])
    assert warnings_of(path) == [f"Readmission (primary outcome): {warnings_text()}"]


def warnings_text() -> str:
    return appraise.load_checklist("peer-support").warnings[0].message


@pytest.mark.parametrize(
    ("d2", "outcomes"),
    [
        ("service_use", [("readmission", "service_use", True), ("qpr", "recovery", False)]),  # they agree
        ("service_use", [("qpr", "recovery", False)]),  # no outcome is marked primary
        ("recovery", [("readmission", "service_use", False), ("qpr", "recovery", True)]),  # secondary differs
    ],
)
def test_no_d2_warning_when_d2_fits_the_primary_outcome(tmp_path: Path, d2: str, outcomes) -> None:
    assert warnings_of(appraisal_file(tmp_path, d2, outcomes)) == []


def test_no_d2_warning_before_d2_is_answered(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "recovery", [("readmission", "service_use", True)])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["answers"]["D2"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert warnings_of(path) == []


def test_validate_prints_the_d2_warning_at_d2_and_exits_0(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "recovery", [("readmission", "service_use", True)])
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if D2_WARNING in line)
    d2_line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip().startswith("D2:"))
    assert line.startswith(f"{path}:{d2_line}:") and "warning: Readmission (primary outcome): D2" in line


def test_validate_is_silent_about_d2_when_it_fits(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "service_use", [("readmission", "service_use", True)])
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0 and D2_WARNING not in result.output


def test_the_report_carries_the_d2_warning(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "recovery", [("readmission", "service_use", True)])
    report = build_report(load_appraisal(path))
    assert [w["outcome"] for w in report["warnings"]] == ["readmission"]
    assert D2_WARNING in report["warnings"][0]["text"]
    md = render_report(load_appraisal(path), "md")
    assert "## Answers to check" in md and D2_WARNING in md
    json.dumps(report)  # the JSON report stays plain data


def test_a_fitting_report_has_no_answers_to_check(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "service_use", [("readmission", "service_use", True)])
    assert build_report(load_appraisal(path))["warnings"] == []
    assert "Answers to check" not in render_report(load_appraisal(path), "md")


def test_the_report_closes_with_the_wider_evidence_picture(pathways: Path) -> None:
    md = render_report(load_appraisal(pathways), "md")
    closing = md.index("## Reading this with other evidence")
    assert closing < md.index("appraise peer-support checklist v2")
    assert "more high-quality randomised trials" in md[closing:]
    html = render_report(load_appraisal(pathways), "html")
    assert "Reading this with other evidence" in html


# -------------------------------------------------------------------------------------- old files


def test_a_version_1_file_opens_with_the_changed_checklist_notice_and_is_judged_by_version_2(tmp_path: Path) -> None:
    path = appraisal_file(tmp_path, "service_use", [("readmission", "service_use", True)], version="1")
    loaded = load_appraisal(path)
    assert loaded.errors == []
    assert any("made with peer-support version 1; the checklist is now version 2" in str(w) for w in loaded.warnings)
    assert loaded.checklist.version == "2"
    report = build_report(loaded)
    assert report["checklist"]["version"] == "2"
    assert "(`peer-support` version 2)" in render_report(loaded, "md")


def test_a_version_1_non_randomised_file_is_judged_with_the_new_confounding_question_open(tmp_path: Path) -> None:
    """A v1 district comparison that v1 judged low risk of bias waits for E9 under v2, never low by default."""
    path = appraisal_file(tmp_path, "service_use", [("readmission", "service_use", True)], version="1")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["answers"]["A2"] = "non_randomised"
    data["outcome_answers"]["readmission"] = {k: v for k, v in READMISSION.items() if k not in {"E1", "E2"}}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_appraisal(path)
    assert loaded.errors == []  # A3 = full is kept in the file, not asked any more
    assessment = Assessment(loaded.appraisal, loaded.checklist)
    assert assessment.result("E", "readmission").judgement is None
    assert assessment.result("A").judgement == "caution"


def test_a_version_1_self_reported_outcome_waits_for_the_new_e10(tmp_path: Path) -> None:
    """v2 asks E10 of self-reported outcomes: a v1 file's judgement waits for it instead of guessing."""
    path = appraisal_file(tmp_path, "service_use", [("readmission", "service_use", True)], version="1")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["outcome_answers"]["readmission"]["E4"] = "self_report_aware"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assessment = Assessment(load_appraisal(path).appraisal, load_appraisal(path).checklist)
    assert assessment.result("E", "readmission").judgement is None
    assert any("E10 unanswered" in step.text for step in assessment.result("E", "readmission").steps)
