"""Appraisal files: round trips, refusals that leave files untouched, and nothing ever dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

import appraise
from appraise.core.appraisal import Answer, Outcome, Study
from appraise.files.problems import FileProblems
from appraise.files.store import AppraisalStore, load_appraisal, new_appraisal, read_appraisal, write_appraisal

HOSTILE = "[bold]loud[/] \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b[2J <script>alert(1)</script> {{ 7*7 }}\nline two"


def test_written_file_reads_back_identical(tmp_path: Path) -> None:
    checklist = appraise.load_checklist("peer-support")
    appraisal = new_appraisal(checklist, Study(title="T", year="2024"), reviewer="R")
    appraisal.outcomes.append(Outcome(id="readmission", name="Readmission", type="service_use", primary=True))
    appraisal.answers["A2"] = Answer(answer="rct", note=HOSTILE, quote="“quoted”", page="6")
    appraisal.outcome_answers["readmission"] = {"E1": Answer(answer="Y")}
    path = tmp_path / "a.yaml"
    write_appraisal(path, appraisal)
    again, _ = read_appraisal(path)
    assert again == appraisal
    assert again.answers["A2"].note == HOSTILE
    text = path.read_text(encoding="utf-8")
    assert "page: '6'" in text and "year: '2024'" in text  # stay strings when read back


def test_a_file_from_a_newer_appraise_is_refused_and_left_untouched(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8").replace("appraise: 1", "appraise: 7")
    pathways.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblems, match=r"newer appraise .format 7.*Upgrade appraise"):
        load_appraisal(pathways)
    assert pathways.read_text(encoding="utf-8") == text


def test_answers_to_questions_the_checklist_no_longer_has_are_kept_and_reported(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8").replace(
        '  A4: "Y"\n', '  A4: "Y"\n  A9: {answer: "Y", note: keep me}\n'
    )
    pathways.write_text(text, encoding="utf-8")
    loaded = load_appraisal(pathways)
    (warning,) = loaded.warnings
    assert "A9" in str(warning) and "kept" in str(warning) and warning.line == 18
    store = AppraisalStore(pathways)
    store.save(loaded.appraisal)
    again = load_appraisal(pathways)
    assert again.appraisal.answers["A9"].note == "keep me"


def test_unknown_answer_code_is_an_error_with_its_line(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8").replace("  A3: full", "  A3: ful")
    pathways.write_text(text, encoding="utf-8")
    (error,) = load_appraisal(pathways).errors
    assert error.line == 16
    assert "A3 has no answer 'ful'" in error.message and "did you mean 'full'?" in error.message


def test_unknown_keys_are_kept_when_the_app_saves(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8") + "weight: '2.5'\nmy_tags: [a, b]\n"
    pathways.write_text(text, encoding="utf-8")
    loaded = load_appraisal(pathways)
    AppraisalStore(pathways).save(loaded.appraisal)
    again = pathways.read_text(encoding="utf-8")
    assert "weight: '2.5'" in again and "my_tags:" in again


def test_an_older_snapshot_never_overwrites_a_newer_one(tmp_path: Path) -> None:
    checklist = appraise.load_checklist("peer-support")
    appraisal = new_appraisal(checklist, Study(title="T"))
    store = AppraisalStore(tmp_path / "a.yaml")
    old = store.snapshot(appraisal)
    appraisal.answers["A1"] = Answer(answer="Y")
    new = store.snapshot(appraisal)
    assert store.write(*new) is True
    assert store.write(*old) is False  # the slow thread finished last; its snapshot is older
    assert load_appraisal(tmp_path / "a.yaml").appraisal.answers["A1"].answer == "Y"


def test_store_notices_changes_made_by_someone_else(pathways: Path) -> None:
    store = AppraisalStore(pathways)
    loaded = store.load()
    assert not store.changed_on_disk()
    store.save(loaded.appraisal)
    assert not store.changed_on_disk()
    pathways.write_text(pathways.read_text(encoding="utf-8") + "# edited elsewhere\n", encoding="utf-8")
    assert store.changed_on_disk()


def test_answer_shorthand_and_empty_sections_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(
        "appraise: 1\nchecklist: {id: peer-support}\nanswers:\n  A1: Y\n  A2: rct\noverrides:\n", encoding="utf-8"
    )
    loaded = load_appraisal(path)
    assert loaded.problems == []
    assert loaded.appraisal.codes() == {"A1": "Y", "A2": "rct"}


def test_not_an_appraisal_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("title: something else\n", encoding="utf-8")
    with pytest.raises(FileProblems, match="not an appraisal file"):
        load_appraisal(path)


def test_override_must_use_a_judgement_of_its_section(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8") + "overrides:\n  E@readmission: {judgement: hgh, reason: x}\n"
    pathways.write_text(text, encoding="utf-8")
    (error,) = load_appraisal(pathways).errors
    assert "E has no judgement 'hgh'" in error.message and "did you mean 'high'?" in error.message


def test_a_shape_problem_does_not_hide_unknown_codes_elsewhere_in_the_file(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8").replace('  A1: "Y"', "  A1: Yes").replace("  A3: full", "  A3: ful")
    pathways.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_appraisal(pathways)
    messages = [p.message for p in caught.value.problems]
    assert any("write the checklist's code in quotes, e.g. 'Y'" in m for m in messages)
    assert any("A3 has no answer 'ful'" in m for m in messages)
