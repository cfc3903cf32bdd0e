"""Two reviewers compared: Cohen's kappa against hand-computed values, agreement, and `appraise compare`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.files.yamlio import FileProblems
from appraise.review.compare import cohen_kappa, compare, comparison_report, load_pair, render_comparison
from tests.conftest import DATA

# --- Cohen's kappa ------------------------------------------------------------------------------


def test_kappa_is_1_for_perfect_agreement() -> None:
    result = cohen_kappa([("Y", "Y"), ("N", "N"), ("P", "P"), ("Y", "Y")])
    assert result.kappa == 1.0 and result.percent == 100.0 and result.note == ""


def test_kappa_is_0_when_agreement_is_what_chance_predicts() -> None:
    # Each reviewer says Y half the time, independently of the other: p_o = 2/4 = 0.5;
    # p_e = 0.5 * 0.5 (Y) + 0.5 * 0.5 (N) = 0.5; κ = (0.5 - 0.5) / (1 - 0.5) = 0.
    result = cohen_kappa([("Y", "Y"), ("Y", "N"), ("N", "Y"), ("N", "N")])
    assert result.observed == 0.5 and result.expected == 0.5 and result.kappa == 0.0


def test_kappa_of_a_textbook_two_by_two_table() -> None:
    #                 B: Y   B: N
    #      A: Y        20      5     (A says Y 25 times)
    #      A: N        10     15     (A says N 25 times)
    # 50 items; p_o = (20 + 15) / 50 = 0.70. B says Y 30 times, N 20 times.
    # p_e = (25/50)(30/50) + (25/50)(20/50) = 0.30 + 0.20 = 0.50.
    # κ = (0.70 - 0.50) / (1 - 0.50) = 0.40.
    pairs = [("Y", "Y")] * 20 + [("Y", "N")] * 5 + [("N", "Y")] * 10 + [("N", "N")] * 15
    result = cohen_kappa(pairs)
    assert result.n == 50 and result.agree == 35
    assert result.observed == pytest.approx(0.70) and result.expected == pytest.approx(0.50)
    assert result.kappa == pytest.approx(0.40)


def test_kappa_over_the_union_of_categories_can_be_negative() -> None:
    # A: Y Y N, B: N N U. p_o = 0; A's marginals Y 2/3, N 1/3; B's N 2/3, U 1/3.
    # p_e = (Y) 2/3 * 0 + (N) 1/3 * 2/3 + (U) 0 * 1/3 = 2/9; κ = (0 - 2/9) / (7/9) = -2/7.
    result = cohen_kappa([("Y", "N"), ("Y", "N"), ("N", "U")])
    assert result.expected == pytest.approx(2 / 9) and result.kappa == pytest.approx(-2 / 7)


def test_kappa_is_undefined_when_both_reviewers_used_one_category_only() -> None:
    result = cohen_kappa([("Y", "Y")] * 6)
    assert result.kappa is None and result.percent == 100.0 and result.expected == 1.0
    assert "one category only (Y)" in result.note and "expected by chance is 1" in result.note


def test_kappa_is_undefined_for_fewer_than_two_items() -> None:
    result = cohen_kappa([("Y", "N")])
    assert result.kappa is None and result.note == "not computed: fewer than 2 items"


def test_kappa_leaves_out_and_counts_unanswered_items() -> None:
    result = cohen_kappa([("Y", "Y"), ("N", "N"), ("Y", None), (None, "N"), (None, None)])
    assert result.n == 2 and result.missing == 3 and result.kappa == 1.0


def test_kappa_with_no_item_answered_by_both_is_a_note_not_a_nan() -> None:
    data = cohen_kappa([(None, "Y")]).to_data()
    assert data["kappa"] is None and data["percent"] is None and data["missing"] == 1
    assert data["note"] == "not computed: no item answered by both reviewers"


# --- comparing two appraisals -------------------------------------------------------------------


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of two reviewers' PATHWAYS-HOME appraisals that the test may change."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", a)
    shutil.copy(DATA / "pathways-home-reviewer-b.yaml", b)
    return a, b


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def report_of(a: Path, b: Path) -> dict[str, Any]:
    loaded_a, loaded_b, _ = load_pair(a, b)
    return comparison_report(compare(loaded_a.appraisal, loaded_b.appraisal, loaded_a.checklist))


def question(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(q for q in report["questions"] if q["key"] == key)


def test_agreement_over_the_questions_both_reviewers_answered(pair: tuple[Path, Path]) -> None:
    overall = report_of(*pair)["agreement"]["questions"]
    # 48 questions asked (v2 adds E10 for the self-reported QPR); D6 (B) and G1-G4 (both)
    # unanswered; B4, C5 and E3 for readmission differ.
    assert (overall["n"], overall["agree"], overall["disagree"], overall["missing"]) == (43, 40, 3, 5)
    assert overall["percent"] == 93.0


def test_each_disagreement_carries_both_answers_with_notes_quotes_and_pages(pair: tuple[Path, Path]) -> None:
    b4 = question(report_of(*pair), "B4")
    assert b4["status"] == "disagree"
    assert (b4["a"]["answer"], b4["a"]["label"], b4["a"]["page"]) == ("Y", "Yes", "6")
    assert (b4["b"]["answer"], b4["b"]["label"], b4["b"]["page"]) == ("P", "Partly", "9")
    assert b4["b"]["note"].startswith("Content listed") and b4["b"]["quote"].startswith("Participants received")


def test_per_outcome_questions_are_compared_per_outcome(pair: tuple[Path, Path]) -> None:
    report = report_of(*pair)
    assert question(report, "E3@readmission")["status"] == "disagree"
    assert question(report, "E3@qpr-4m")["status"] == "agree"


def test_an_outcome_in_one_file_only_is_reported_and_not_compared(pair: tuple[Path, Path]) -> None:
    report = report_of(*pair)
    assert report["outcomes"]["only_b"] == [{"id": "wellbeing-12m", "name": "WEMWBS at 12 months"}]
    assert [o["id"] for o in report["outcomes"]["compared"]] == ["readmission", "qpr-4m"]
    assert not any(q["outcome"] == "wellbeing-12m" for q in report["questions"])


def test_outcome_fields_the_rules_read_are_compared(pair: tuple[Path, Path]) -> None:
    differences = report_of(*pair)["outcomes"]["differences"]
    assert [(d["outcome"], d["field"], d["a"], d["b"]) for d in differences] == [
        ("qpr-4m", "finding", "benefit", "unclear")
    ]


def test_a_question_asked_of_one_reviewer_only_is_na_against_the_answer(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(b, "A2: {answer: rct,", "A2: {answer: non_randomised,")  # E1 and E2 are asked of randomised trials only
    e1 = question(report_of(a, b), "E1@readmission")
    assert e1["status"] == "disagree"
    assert (e1["a"]["answer"], e1["b"]["answer"], e1["b"]["label"]) == ("Y", "NA", "Not asked")


def test_a_question_neither_reviewer_was_asked_is_left_out(pair: tuple[Path, Path]) -> None:
    for path in pair:
        edit(path, "A2: {answer: ", "A2: {answer: non_randomised, was: ")
    keys = {q["key"] for q in report_of(*pair)["questions"]}
    assert "E1@readmission" not in keys and "E3@readmission" in keys


def test_final_judgements_are_compared_after_overrides(pair: tuple[Path, Path]) -> None:
    judgements = {j["key"]: j for j in report_of(*pair)["judgements"]}
    control = judgements["judgement:C"]
    assert control["status"] == "disagree"
    assert (control["a"]["judgement"], control["a"]["by"], control["a"]["proposed"]) == (
        "major_concerns",
        "reviewer",
        "some_concerns",
    )
    assert (control["b"]["judgement"], control["b"]["by"]) == ("some_concerns", "rules")
    assert judgements["judgement:overall@qpr-4m"]["status"] == "agree"
    assert judgements["judgement:G"]["status"] == "missing"


def test_judgement_agreement_has_percent_and_kappa(pair: tuple[Path, Path]) -> None:
    judged = report_of(*pair)["agreement"]["judgements"]
    # Sections A-G and overall, E and overall for two outcomes: 10, of which G is judged by neither.
    assert (judged["n"], judged["agree"], judged["missing"]) == (9, 6, 1)
    assert judged["kappa"] is not None


def test_a_section_nobody_answered_has_a_note_instead_of_kappa(pair: tuple[Path, Path]) -> None:
    sections = {s["id"]: s for s in report_of(*pair)["agreement"]["sections"]}
    assert sections["G"]["kappa"] is None and sections["G"]["missing"] == 4
    assert sections["G"]["note"] == "not computed: no item answered by both reviewers"


ROB2 = """appraise: 1
checklist: {{id: rob2, version: "1"}}
study: {{title: PATHWAYS-HOME}}
reviewer: {name}
answers:
  P1: {{answer: "{result}"}}
  P5: parallel
"""


def test_free_text_answers_are_shown_but_not_counted(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(ROB2.format(name="A", result="RR 0.9 (0.7 to 1.2)"), encoding="utf-8")
    b.write_text(ROB2.format(name="B", result="Readmission RR 0.9, Table 2"), encoding="utf-8")
    report = report_of(a, b)
    p1 = question(report, "P1")
    assert p1["status"] == "disagree" and p1["counted"] is False
    assert report["agreement"]["questions"]["n"] == 1  # P5 only


# --- reading the pair ---------------------------------------------------------------------------


def test_appraisals_made_with_different_checklists_are_refused_with_a_position(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    a, _ = pair
    other = tmp_path / "rob2.yaml"
    other.write_text(ROB2.format(name="B", result="RR"), encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_pair(a, other)
    message = str(caught.value)
    assert message.startswith(f"{other}:2:17: made with checklist rob2 version 1, but {a} with peer-support")


def test_different_study_titles_are_a_warning(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(b, "(PATHWAYS-HOME): a multi-site", "(PATHWAYS-AWAY): a multi-site")
    _, _, warnings = load_pair(a, b)
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert str(warnings[0]).startswith(f"{b}:6:10: warning: the study title differs from {a}'s")


def test_invalid_files_are_refused_with_every_problem(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(a, "A3: full", "A3: fulll")
    edit(b, "B2: peer_added", "B2: peer_aded")
    with pytest.raises(FileProblems) as caught:
        load_pair(a, b)
    assert [p.path for p in caught.value.problems] == [str(a), str(b)]


# --- reports ------------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> **bold** [link](http://x) \x1b[31mred'


def test_html_report_shows_hostile_notes_inert(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(b, '"Shared wards, and contamination was neither prevented nor monitored."', json.dumps(HOSTILE))
    html = render_comparison(report_of(a, b), "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "\x1b" not in html and "␛[31mred" in html


def test_markdown_report_escapes_notes(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(b, '"Shared wards, and contamination was neither prevented nor monitored."', json.dumps(HOSTILE))
    md = render_comparison(report_of(a, b), "md")
    assert "\\<script\\>" in md and "\\*\\*bold\\*\\*" in md and "\\[link\\]" in md and "\x1b" not in md


def test_html_report_shows_agreement_as_glyph_and_word(pair: tuple[Path, Path]) -> None:
    html = render_comparison(report_of(*pair), "html")
    assert '<span class="glyph" aria-hidden="true">✗</span> disagree</span>' in html
    assert '<span class="glyph" aria-hidden="true">✓</span> agree</span>' in html


def test_html_report_is_self_contained(pair: tuple[Path, Path]) -> None:
    html = render_comparison(report_of(*pair), "html")
    assert "<link" not in html and "<script" not in html and "http://" not in html and "https://" not in html


def test_markdown_report_names_both_reviewers_and_lists_disagreements(pair: tuple[Path, Path]) -> None:
    md = render_comparison(report_of(*pair), "md")
    assert "**Reviewer A:** Alex Morgan" in md and "**Reviewer B:** Bea Lund" in md
    assert "### B4 What peers did" in md and "### Judgement: C Control" in md
    assert "| G Applicability | 0 | 0 | — | — | 4 | not computed: no item answered by both reviewers |" in md


# --- the command --------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "appraise", *args], capture_output=True, text=True, timeout=60)


def test_compare_prints_markdown_by_default(pair: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", *map(str, pair)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Two reviewers compared: Peer support for leaving hospital")


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_compare_writes_the_format_of_the_output_suffix(pair: tuple[Path, Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out" / f"compare.{fmt}"
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Bea Lund" in text
    if fmt == "html":
        assert text.startswith("<!doctype html>")


def test_compare_json_is_plain_data_without_nan(pair: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), "-f", "json"])

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    data = json.loads(result.stdout, parse_constant=refuse)
    assert data["agreement"]["questions"]["n"] == 43
    assert {"a", "b", "status"} <= set(data["judgements"][0]) and "view" not in data["judgements"][0]["a"]
    assert [r["name"] for r in data["reviewers"]] == ["Alex Morgan", "Bea Lund"]


def test_compare_of_different_checklists_exits_1(pair: tuple[Path, Path], tmp_path: Path) -> None:
    other = tmp_path / "rob2.yaml"
    other.write_text(ROB2.format(name="B", result="RR"), encoding="utf-8")
    result = run("compare", str(pair[0]), str(other))
    assert result.returncode == 1 and result.stdout == ""
    assert "made with checklist rob2" in result.stderr and "Traceback" not in result.stderr


def test_compare_warns_about_different_titles_and_still_compares(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(b, "(PATHWAYS-HOME): a multi-site", "(PATHWAYS-AWAY): a multi-site")
    result = run("compare", str(a), str(b))
    assert result.returncode == 0
    assert "warning: the study title differs" in result.stderr and "## Warnings" in result.stdout


def test_compare_of_an_invalid_file_exits_1(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(a, "A3: full", "A3: fulll")
    result = run("compare", str(a), str(b))
    assert result.returncode == 1 and "A3 has no answer 'fulll'" in result.stderr and "Traceback" not in result.stderr


def test_compare_of_a_missing_file_is_a_usage_error(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = run("compare", str(pair[0]), str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_the_fixtures_are_valid_appraisals() -> None:
    for name in ("pathways-home-reviewer-a.yaml", "pathways-home-reviewer-b.yaml"):
        assert load_appraisal(DATA / name).problems == []
