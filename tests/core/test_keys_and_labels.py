"""One grammar for every key, and one wording for every answer and judgement, wherever they are shown."""

from __future__ import annotations

from pathlib import Path

import pytest

import appraise
from appraise.core.keys import card_section, parse_item, scoped, section_card, unscope
from appraise.core.labels import NOT_ANSWERED, NOT_ASKED, answer_label, judgement_label
from appraise.files.store import load_appraisal
from appraise.reports.report import build_report
from appraise.review.compare import compare, comparison_report
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("item", "outcome", "key"),
    [("E", None, "E"), ("E", "readmission", "E@readmission"), ("overall", "hope", "overall@hope")],
)
def test_a_scoped_key_is_built_and_parsed_back(item: str, outcome: str | None, key: str) -> None:
    assert scoped(item, outcome) == key
    assert unscope(key) == (item, outcome)


def test_consensus_items_parse_to_what_they_name() -> None:
    assert parse_item("B4") == ("answer", "B4", None)
    assert parse_item("E3@readmission") == ("answer", "E3", "readmission")
    assert parse_item("judgement:overall@readmission") == ("judgement", "overall", "readmission")
    assert parse_item("outcome:readmission.type") == ("outcome", "type", "readmission")


def test_a_section_card_key_is_told_apart_from_a_question_id() -> None:
    assert card_section(section_card("E")) == "E"
    assert card_section("E1") is None


def test_the_overall_judgement_is_per_outcome_exactly_when_some_section_is() -> None:
    peer = appraise.load_checklist("peer-support")
    rob2 = appraise.load_checklist("rob2")
    assert peer.judged_per_outcome("E") and peer.judged_per_outcome("overall")
    assert not peer.judged_per_outcome("A")
    assert not rob2.judged_per_outcome("overall") and not rob2.judged_per_outcome("D1")


def test_answer_words_for_missing_and_unreached_answers() -> None:
    question = appraise.load_checklist("peer-support").questions["A2"]
    assert answer_label(question, None) == NOT_ANSWERED
    assert answer_label(question, "NA") == NOT_ASKED
    assert answer_label(question, question.options[0].code) == question.options[0].label


def test_an_unknown_judgement_code_is_shown_as_it_is_not_hidden() -> None:
    section = appraise.load_checklist("rob2").judged["D1"]
    words = judgement_label(section, "dubious")
    assert (words.label, words.concern) == ("dubious", "none")


def test_the_report_and_the_comparison_word_an_answer_the_same_way(tmp_path: Path) -> None:
    a = load_appraisal(DATA / "pathways-home-reviewer-a.yaml")
    b = load_appraisal(DATA / "pathways-home-reviewer-b.yaml")
    report = build_report(a)
    in_report = {
        (q["id"], s["outcome"]): q["answer_label"] for s in report["sections"] for q in s["questions"] if q["answer"]
    }
    compared = comparison_report(compare(a.appraisal, b.appraisal, a.checklist))
    in_compare = {(q["id"], q["outcome"]): q["a"]["label"] for q in compared["questions"] if q["a"]["answer"]}
    shared = in_report.keys() & in_compare.keys()
    assert len(shared) > 10
    assert all(in_report[k] == in_compare[k] for k in shared)
