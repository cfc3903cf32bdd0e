"""Versions, not silent changes: ids are never renumbered or reused, and old files open with a notice.

The ids below are those each checklist had in its first version (the stable contract). A checklist
may gain questions (with new ids, and a new version) but must keep every one of these, in the same
section; an appraisal made with the old version opens, is judged with the new one, and says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import appraise
from appraise.files.store import load_appraisal
from appraise.reports.report import render_report

FIRST_VERSION_IDS: dict[str, dict[str, list[str]]] = {
    "rct-reading": {
        "A": ["1", "2", "3"],
        "B": ["4a", "4b", "4c", "5", "6"],
        "C": ["7", "8", "9"],
        "D": ["10", "11"],
        "summary": ["summary"],
    },
    "qualitative": {
        "A": ["A1", "A2", "A3"],
        "B": ["B1", "B2", "B3"],
        "C": ["C1", "C2", "C3", "C4"],
        "D": ["D1", "D2", "D3"],
        "E": ["E1"],
        "summary": ["summary"],
    },
    "amstar2": {},  # ids "1"-"16", checked below
}
ADDED = {"rct-reading": {"C4": "C", "D3": "D"}, "qualitative": {"A4": "A"}}


@pytest.mark.parametrize("checklist_id", ["rct-reading", "qualitative"])
def test_every_question_of_the_first_version_keeps_its_id_and_section(checklist_id: str) -> None:
    checklist = appraise.load_checklist(checklist_id)
    for section_id, ids in FIRST_VERSION_IDS[checklist_id].items():
        for qid in ids:
            assert checklist.section_of[qid].id == section_id, qid


@pytest.mark.parametrize("checklist_id", ["rct-reading", "qualitative"])
def test_added_questions_have_new_ids_and_a_new_version(checklist_id: str) -> None:
    checklist = appraise.load_checklist(checklist_id)
    old = {qid for ids in FIRST_VERSION_IDS[checklist_id].values() for qid in ids}
    added = set(checklist.questions) - old
    assert added == set(ADDED[checklist_id])
    assert all(checklist.section_of[qid].id == section for qid, section in ADDED[checklist_id].items())
    assert checklist.version != "1"


def test_amstar2_keeps_the_official_item_numbers() -> None:
    assert list(appraise.load_checklist("amstar2").questions) == [str(n) for n in range(1, 17)]


def old_file(folder: Path, checklist_id: str, answers: str) -> Path:
    path = folder / f"{checklist_id}-v1.yaml"
    path.write_text(
        f'appraise: 1\nchecklist: {{id: {checklist_id}, version: "1"}}\n'
        f'study: {{title: "Read in the first version", year: "2020"}}\nanswers:\n{answers}',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("checklist_id", "answers", "kept"),
    [
        ("rct-reading", '  "7": "Y"\n  "10": "CT"\n', {"7": "Y", "10": "CT"}),
        ("qualitative", '  A3: "N"\n  E1: "Y"\n', {"A3": "N", "E1": "Y"}),
    ],
)
def test_a_first_version_file_opens_with_the_notice_keeps_its_answers_and_asks_the_new_questions(
    tmp_path: Path, checklist_id: str, answers: str, kept: dict[str, str]
) -> None:
    loaded = load_appraisal(old_file(tmp_path, checklist_id, answers))
    assert not loaded.errors
    notice = [w.message for w in loaded.warnings if "version 1" in w.message]
    assert notice and f"now version {loaded.checklist.version}" in notice[0]
    assert {qid: a.answer for qid, a in loaded.appraisal.answers.items()} == kept
    report = json.loads(render_report(loaded, "json"))
    assert report["checklist"]["version"] == loaded.checklist.version  # the version that judged it
    questions = {q["id"]: q for s in report["sections"] for q in s["questions"]}
    for qid in ADDED[checklist_id]:
        assert questions[qid]["answer"] is None
    markdown = render_report(loaded, "md")
    for qid in ADDED[checklist_id]:
        assert f"**{qid}** {' '.join(loaded.checklist.questions[qid].text.split())}" in markdown
