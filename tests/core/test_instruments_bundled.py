"""Every bundled instrument: listed, loadable, helpful on every question, and reportable."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import appraise
from appraise.cli import cli
from appraise.core.engine import Evaluator
from appraise.files.store import load_appraisal
from appraise.reports.report import render_report

BUNDLED = ["peer-support", "rob2", "rob2-adhering", "rob2-cluster", "amstar2", "rct-reading", "qualitative"]
NO_SCORE = ["rct-reading", "qualitative"]


def test_appraise_checklists_lists_every_bundled_instrument() -> None:
    result = CliRunner().invoke(cli, ["checklists", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert set(BUNDLED) <= set(rows)
    for checklist_id in BUNDLED:
        assert rows[checklist_id]["origin"] == "bundled"
        assert rows[checklist_id]["questions"] == len(appraise.load_checklist(checklist_id).questions)
        assert Path(rows[checklist_id]["path"]).name == f"{checklist_id}.yaml"


def test_appraise_validate_accepts_every_bundled_checklist() -> None:
    paths = [appraise.load_checklist(c).path for c in BUNDLED]
    result = CliRunner().invoke(cli, ["validate", *paths])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("checklist_id", BUNDLED)
def test_every_bundled_checklist_loads_with_its_citation_and_notice(checklist_id: str) -> None:
    checklist = appraise.load_checklist(checklist_id)
    assert checklist.id == checklist_id
    assert checklist.title and checklist.description and checklist.citation and checklist.notice
    assert "own" in checklist.notice  # the wording is the project's own, not the instrument's


@pytest.mark.parametrize("checklist_id", BUNDLED)
def test_every_question_says_why_it_matters_and_where_to_look(checklist_id: str) -> None:
    checklist = appraise.load_checklist(checklist_id)
    missing = [q.id for q in checklist.questions.values() if not (q.why.strip() and q.where.strip() and q.short)]
    assert not missing


@pytest.mark.parametrize("checklist_id", NO_SCORE)
def test_reading_checklists_give_no_score_by_design(checklist_id: str) -> None:
    checklist = appraise.load_checklist(checklist_id)
    assert checklist.overall is None
    assert all(not s.judgements and s.method == "none" for s in checklist.sections)
    answers = {q.id: (q.codes[0] if q.codes else "My summary.") for q in checklist.questions.values()}
    assert set(appraise.judge(checklist, answers).values()) == {None}
    assert {Evaluator(checklist, answers).section(s.id).state for s in checklist.sections} == {"unjudged"}


@pytest.mark.parametrize("checklist_id", NO_SCORE)
def test_reading_checklists_end_with_a_free_text_summary_and_answer_yes_no_cant_tell(
    checklist_id: str,
) -> None:
    checklist = appraise.load_checklist(checklist_id)
    *choices, summary = checklist.questions.values()
    assert summary.kind == "text" and checklist.sections[-1].questions == [summary]
    for question in choices:
        assert question.codes == ("Y", "N", "CT"), question.id
        assert [o.label for o in question.options] == ["Yes", "No", "Can't tell"]
        assert all(o.hint for o in question.options), question.id


def test_rct_reading_follows_the_casp_structure() -> None:
    checklist = appraise.load_checklist("rct-reading")
    structure = {s.id: [q.id for q in s.questions] for s in checklist.sections}
    assert structure == {
        "A": ["1", "2", "3"],
        "B": ["4a", "4b", "4c", "5", "6"],
        "C": ["7", "8", "C4", "9"],  # C4 (relative and absolute effects) added in version 2
        "D": ["10", "D3", "11"],  # D3 (outcomes that matter to the reader's population), version 2
        "summary": ["summary"],
    }
    assert "CASP" in checklist.citation and "2020" in checklist.citation and "CC BY-NC-SA" in checklist.citation


def test_qualitative_covers_the_areas_of_a_qualitative_appraisal() -> None:
    checklist = appraise.load_checklist("qualitative")
    shorts = {q.short for q in checklist.questions.values()}
    for area in (
        "Clear aims",
        "Qualitative fits",
        "Design justified",
        "Theory or framework",
        "Recruitment",
        "Data collection",
        "Reflexivity",
        "Ethics",
        "Rigorous analysis",
        "Clear findings",
        "Contribution",
        "Who interviewed",
        "Lived-experience involvement",
        "Power",
    ):
        assert area in shorts, area


# Official wordings (short, for this check only): the bundled files must paraphrase, never copy.
OFFICIAL = [
    "Was the allocation sequence random?",
    "Was the allocation sequence concealed until participants were enrolled and assigned to interventions?",
    "Were participants aware of their assigned intervention during the trial?",
    "Were outcome data available for all, or nearly all, participants randomized?",
    "Was the method of measuring the outcome inappropriate?",
    "Did the research questions and inclusion criteria for the review include the components of PICO?",
    "Did the review authors use a comprehensive literature search strategy?",
    "Did the study address a clearly focused research question?",
    "Was the assignment of participants to interventions randomised?",
    "Was there a clear statement of the aims of the research?",
    "Is a qualitative methodology appropriate?",
]


@pytest.mark.parametrize("checklist_id", BUNDLED)
def test_questions_are_paraphrased_not_copied_from_the_official_instruments(
    checklist_id: str,
) -> None:
    checklist = appraise.load_checklist(checklist_id)
    texts = " ".join(" ".join(q.text.split()).lower() for q in checklist.questions.values())
    copied = [o for o in OFFICIAL if o.lower().rstrip("?") in texts]
    assert not copied


# --- reports --------------------------------------------------------------------------------------

SMALL = {
    "rob2": (
        """\
        answers:
          P1: "MD 3.1 (95% CI 0.4 to 5.8), Table 2"
          P5: parallel
          "1.2": {answer: PN, note: "Envelopes opened by recruiters.", page: "4"}
        """,
        ["High risk of bias", "Probably no", "Envelopes opened by recruiters.", "MD 3.1"],
    ),
    "rob2-adhering": (
        """\
        answers:
          "2.1": "N"
          "2.2": "N"
          "2.4": "N"
          "2.5": "NA"
        """,
        ["Low risk of bias", "Not applicable to this trial"],
    ),
    "rob2-cluster": (
        """\
        answers:
          P8: "14 community mental-health teams, 7 per arm"
          "1b.1": {answer: "N", note: "Patients were invited after their team was allocated."}
          "1b.2": "PY"
        """,
        ["High risk of bias", "Probably yes", "Patients were invited after their team was allocated.", "14 community"],
    ),
    "amstar2": (
        """\
        answers:
          "2": "N"
          "7": {answer: "N", note: "No list of excluded studies."}
        """,
        ["Critically low confidence", "No list of excluded studies."],
    ),
    "rct-reading": (
        """\
        answers:
          "1": "Y"
          4a: {answer: "N", note: "Peer support cannot be hidden."}
          summary: "Well run, but outcomes are self-reported."
        """,
        [
            "Not judged (no score by design)",
            "Peer support cannot be hidden.",
            "Well run, but outcomes are self-reported.",
        ],
    ),
    "qualitative": (
        """\
        answers:
          A1: "Y"
          C3: {answer: CT, note: "Interviewers were service staff."}
          summary: "Rich account, but power is not discussed."
        """,
        ["Not judged (no score by design)", "Interviewers were service staff.", "Can't tell"],
    ),
    "peer-support": (
        """\
        answers:
          A2: review
        """,
        ["Different tool needed"],
    ),
}


def write_appraisal(folder: Path, checklist_id: str) -> Path:
    version = appraise.load_checklist(checklist_id).version
    header = textwrap.dedent(f"""\
        appraise: 1
        checklist: {{id: {checklist_id}, version: "{version}"}}
        study: {{title: "A small {checklist_id} appraisal", authors: "Ada Example", year: 2024}}
        reviewer: Test reviewer
        """)
    path = folder / f"{checklist_id}.yaml"
    path.write_text(header + textwrap.dedent(SMALL[checklist_id][0]), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("checklist_id", BUNDLED)
def test_a_small_appraisal_of_each_instrument_renders_in_every_format(
    tmp_path: Path, checklist_id: str, fmt: str
) -> None:
    loaded = load_appraisal(write_appraisal(tmp_path, checklist_id))
    assert not loaded.problems
    text = render_report(loaded, fmt)
    assert f"A small {checklist_id} appraisal" in text and "Test reviewer" in text
    if fmt == "json":
        report = json.loads(text)
        assert report["checklist"]["id"] == checklist_id
        assert {s["id"] for s in report["sections"]} == {s.id for s in loaded.checklist.sections}
        return
    for expected in SMALL[checklist_id][1]:
        assert expected in (text if fmt == "md" else text.replace("&#39;", "'")), expected


def test_json_report_of_a_reading_checklist_has_no_judgements_and_no_overall(
    tmp_path: Path,
) -> None:
    report = json.loads(render_report(load_appraisal(write_appraisal(tmp_path, "rct-reading")), "json"))
    assert report["overall"] == []
    assert {s["judgement"] for s in report["sections"]} == {None}
    assert {s["state"] for s in report["sections"]} == {"unjudged"}
    assert report["progress"] == {"answered": 3, "total": 16}
