"""The rule vocabulary: three-valued logic, ask_when, counts, level arithmetic, messages, traces."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import appraise
from appraise.core.checklist import Checklist
from appraise.core.engine import Evaluator

YN = (
    '[{code: "Y", label: "Yes"}, {code: "PY", label: "Probably yes"}, {code: "PN", label: "Probably no"}, '
    '{code: "N", label: "No"}, {code: "NI", label: "No information"}]'
)

# A small RoB 2-like domain: the official D1 algorithm as rules.
D1 = f"""\
id: d1
version: "1"
title: D1 only
sections:
  - id: D1
    title: Randomisation
    judgements:
      - {{code: low, label: Low, concern: low}}
      - {{code: some_concerns, label: Some concerns, concern: some}}
      - {{code: high, label: High, concern: high}}
    questions:
      - {{id: "1.1", text: Random?, options: {YN}}}
      - {{id: "1.2", text: Concealed?, options: {YN}}}
      - {{id: "1.3", text: Baseline problem?, options: {YN}}}
    rules:
      - when: {{answer: "1.2", in: [N, PN]}}
        then: high
      - when:
          all:
            - {{answer: "1.2", in: [NI]}}
            - {{answer: "1.3", in: ["Y", PY]}}
        then: high
      - when: {{answer: "1.2", in: [NI]}}
        then: some_concerns
      - when: {{answer: "1.1", in: [N, PN]}}
        then: some_concerns
      - when: {{answer: "1.3", in: ["Y", PY]}}
        then: some_concerns
    default: low
"""


def load(tmp_path: Path, text: str) -> Checklist:
    path = tmp_path / "c.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return appraise.load_checklist(path)


@pytest.fixture
def d1(tmp_path: Path) -> Checklist:
    return load(tmp_path, D1)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"1.1": "Y", "1.2": "Y", "1.3": "N"}, "low"),
        ({"1.1": "NI", "1.2": "PY", "1.3": "NI"}, "low"),
        ({"1.1": "N", "1.2": "Y", "1.3": "N"}, "some_concerns"),
        ({"1.1": "Y", "1.2": "Y", "1.3": "PY"}, "some_concerns"),
        ({"1.2": "NI", "1.3": "N"}, "some_concerns"),
        ({"1.2": "NI", "1.3": "Y"}, "high"),
        ({"1.2": "PN"}, "high"),
    ],
)
def test_rob2_d1_golden_vectors(d1: Checklist, answers: dict[str, str], expected: str) -> None:
    assert appraise.judge(d1, answers)["D1"] == expected


def test_a_true_rule_decides_without_the_unanswered_questions(d1: Checklist) -> None:
    assert appraise.judge(d1, {"1.2": "PN"})["D1"] == "high"


def test_an_unknown_rule_before_a_true_one_leaves_the_section_incomplete(d1: Checklist) -> None:
    # 1.2 is open: rule 1 is unknown, so nothing after it may decide, even though 1.1 = N would.
    assert appraise.judge(d1, {"1.1": "N", "1.3": "N"})["D1"] is None


def test_trace_lists_the_facts_read_then_the_result(d1: Checklist) -> None:
    result = Evaluator(d1, {"1.1": "N", "1.2": "PY", "1.3": "N"}).section("D1")
    assert result.trace == "D1: 1.2 = PY, 1.1 = N → some_concerns"


def test_incomplete_trace_says_what_it_waits_for(d1: Checklist) -> None:
    result = Evaluator(d1, {"1.1": "Y"}).section("D1")
    assert result.state == "incomplete"
    assert result.trace == "D1: 1.2 unanswered → incomplete"


def test_judge_accepts_answer_records_as_well_as_codes(d1: Checklist) -> None:
    assert appraise.judge(d1, {"1.2": {"answer": "PN", "note": "open list"}})["D1"] == "high"


def test_a_code_the_question_does_not_offer_counts_as_unanswered(d1: Checklist) -> None:
    assert appraise.judge(d1, {"1.2": "maybe"})["D1"] is None


LEVELS = f"""\
id: levels
version: "1"
title: Levels
outcomes:
  types: [{{code: recovery, label: Recovery}}, {{code: clinical, label: Clinical}}]
  findings: [{{code: benefit, label: Benefit}}]
sections:
  - id: S
    title: Screen
    judgements: [{{code: ok, label: OK, concern: low}}, {{code: bad, label: Bad, concern: high}}]
    questions:
      - {{id: Q1, text: Randomised?, options: {YN}}}
      - id: Q2
        text: Only asked when randomised
        options: {YN}
        ask_when: {{answer: Q1, in: ["Y"]}}
      - {{id: Q3, text: Third, options: {YN}}}
      - {{id: Q4, text: Fourth, options: {YN}}}
    rules:
      - when: {{count: [Q2, Q3, Q4], in: [N], at_least: 2}}
        then: bad
        message: Two or more safeguards failed.
    default: ok
    messages:
      - when: {{answer: Q2, in: [NA]}}
        message: Q2 was not asked.
  - id: T
    title: Per outcome
    per_outcome: true
    ask_when: {{answer: Q1, in: ["Y", "N"]}}
    judgements: [{{code: fine, label: Fine, concern: low}}]
    questions: [{{id: T1, text: Outcome question, options: {YN}}}]
    rules:
      - when: {{outcome: type, in: [clinical]}}
        then: fine
    default: fine
overall:
  id: overall
  title: Overall
  judgements:
    - {{code: high, label: High, concern: low}}
    - {{code: moderate, label: Moderate, concern: some}}
    - {{code: low, label: Low, concern: high}}
    - {{code: very_low, label: Very low, concern: critical}}
  start:
    - when: {{answer: Q1, in: ["Y"]}}
      then: high
    - when: {{answer: Q1, in: [N, NI]}}
      then: low
  steps:
    - when: {{judgement: S, in: [bad]}}
      down: 2
    - when: {{answer: Q4, in: [PN]}}
      down: 1
  floor: low
  caps:
    - when: {{not: {{outcome: primary}}}}
      at: moderate
      message: Exploratory.
"""


@pytest.fixture
def levels(tmp_path: Path) -> Checklist:
    return load(tmp_path, LEVELS)


def test_unreached_question_counts_as_na_and_does_not_block(levels: Checklist) -> None:
    evaluator = Evaluator(levels, {"Q1": "N", "Q3": "Y", "Q4": "Y"}, {"primary": True})
    assert evaluator.code("Q2") == "NA"
    assert evaluator.section("S").proposed == "ok"
    assert "Q2 was not asked." in evaluator.section("S").messages


def test_count_is_decided_as_soon_as_enough_answers_are_known(levels: Checklist) -> None:
    evaluator = Evaluator(levels, {"Q1": "Y", "Q3": "N", "Q4": "N"}, {"primary": True})
    assert evaluator.section("S").proposed == "bad"  # Q2 still open, but two N already
    assert evaluator.section("S").messages == ["Two or more safeguards failed."]


def test_count_stays_unknown_while_the_open_answers_could_change_it(levels: Checklist) -> None:
    assert appraise.judge(levels, {"Q1": "Y", "Q3": "N", "Q4": "Y"})["S"] is None


def test_levels_start_step_down_and_stop_at_the_floor(levels: Checklist) -> None:
    answers = {"Q1": "Y", "Q2": "N", "Q3": "N", "Q4": "PN"}
    # high, −2 (S bad), −1 (Q4 PN) = very_low, floored at low
    assert appraise.judge(levels, answers, {"primary": True})["overall"] == "low"


def test_cap_applies_to_a_non_primary_outcome(levels: Checklist) -> None:
    answers = {"Q1": "Y", "Q2": "Y", "Q3": "Y", "Q4": "Y"}
    assert appraise.judge(levels, answers, {"primary": True})["overall"] == "high"
    assert appraise.judge(levels, answers, {"primary": False})["overall"] == "moderate"


def test_section_ask_when_false_makes_it_not_applicable(levels: Checklist) -> None:
    assert appraise.judge(levels, {"Q1": "NI"})["T"] == "not_applicable"


def test_a_rule_on_an_outcome_field_that_is_not_given_stays_open(levels: Checklist) -> None:
    assert appraise.judge(levels, {"Q1": "Y"}, {"primary": True})["T"] is None
    assert appraise.judge(levels, {"Q1": "Y"}, {"primary": True, "type": "clinical"})["T"] == "fine"


def test_judge_returns_every_section_and_overall(levels: Checklist) -> None:
    assert set(appraise.judge(levels, {})) == {"S", "T", "overall"}


def test_override_replaces_the_proposal_and_feeds_later_judgements(levels: Checklist) -> None:
    answers = {"Q1": "Y", "Q2": "Y", "Q3": "Y", "Q4": "Y"}
    evaluator = Evaluator(
        levels, answers, {"primary": True}, overrides={"S": {"judgement": "bad", "reason": "fraud suspected"}}
    )
    assert evaluator.section("S").proposed == "ok"
    assert evaluator.section("S").judgement == "bad"
    assert evaluator.section("S").override_reason == "fraud suspected"
    assert evaluator.section("overall").proposed == "low"  # high, −2 for the reviewer's "bad"


def test_the_invitation_to_escalate_ends_once_the_reviewer_has_escalated(tmp_path: Path) -> None:
    text = LEVELS.replace(
        """    messages:
      - when: {answer: Q2, in: [NA]}""",
        """    escalate:
      when: {answer: Q3, in: [PN]}
      then: bad
      message: You may judge this bad.
    messages:
      - when: {answer: Q2, in: [NA]}""",
    )
    checklist = load(tmp_path, text)
    answers = {"Q1": "N", "Q3": "PN", "Q4": "Y"}
    invited = Evaluator(checklist, answers, {"primary": True}).section("S")
    assert invited.escalate_to == "bad" and "You may judge this bad." in invited.messages
    done = Evaluator(checklist, answers, {"primary": True}, overrides={"S": {"judgement": "bad", "reason": "r"}})
    assert done.section("S").escalate_to is None


def test_messages_show_for_sections_that_are_not_judged(tmp_path: Path) -> None:
    text = D1.replace(
        """    rules:
      - when: {answer: "1.2", in: [N, PN]}""",
        """    messages:
      - when: {answer: "1.1", in: [N]}
        message: Consider stopping here.
    rules:
      - when: {answer: "1.2", in: [N, PN]}""",
    )
    text = text.replace(
        """    judgements:
      - {code: low, label: Low, concern: low}
      - {code: some_concerns, label: Some concerns, concern: some}
      - {code: high, label: High, concern: high}
""",
        "",
    )
    text = text[: text.index("    rules:")]
    checklist = load(tmp_path, text)
    result = Evaluator(checklist, {"1.1": "N"}).section("D1")
    assert result.state == "unjudged" and result.messages == ["Consider stopping here."]
