"""The bundled AMSTAR 2 checklist against an independent transcription of its rating rule.

From shared/domain/instruments.md §1.4 (Shea et al. 2017): more than one critical flaw →
critically low; one → low; more than one non-critical weakness → moderate; else high. A flaw or
weakness is an item answered No; "Partial yes" and "No meta-analysis conducted" are not.
"""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import pytest

import appraise
from appraise.core.checklist import Checklist
from appraise.core.engine import Evaluator
from appraise.files.store import load_appraisal

ITEMS = [str(i) for i in range(1, 17)]
CRITICAL = ["2", "4", "7", "9", "11", "13", "15"]
NON_CRITICAL = [i for i in ITEMS if i not in CRITICAL]
PARTIAL_YES = {"2", "4", "7", "8", "9"}
NO_META_ANALYSIS = {"11", "12", "15"}

# The answers that are not a flaw, per item: Yes everywhere, plus Partial yes / No meta-analysis.
FINE = {i: ("Y", *(("PY",) if i in PARTIAL_YES else ()), *(("NMA",) if i in NO_META_ANALYSIS else ())) for i in ITEMS}


def confidence(critical_flaws: int, weaknesses: int) -> str:
    if critical_flaws > 1:
        return "critically_low"
    if critical_flaws == 1:
        return "low"
    if weaknesses > 1:
        return "moderate"
    return "high"


def rating(answers: dict[str, str]) -> str:
    """The overall confidence of a complete set of answers."""
    return confidence(sum(answers[i] == "N" for i in CRITICAL), sum(answers[i] == "N" for i in NON_CRITICAL))


@cache
def amstar2() -> Checklist:
    return appraise.load_checklist("amstar2")


def answers_with_flaws(flawed: set[str], variant: int) -> dict[str, str]:
    """No on the flawed items; on the others one of their non-flaw answers, varied by `variant`."""
    return {i: "N" if i in flawed else FINE[i][(variant + n) % len(FINE[i])] for n, i in enumerate(ITEMS)}


def test_items_critical_flags_and_answers_follow_the_instrument() -> None:
    checklist = amstar2()
    assert list(checklist.questions) == ITEMS
    assert [q.id for q in checklist.questions.values() if q.critical] == CRITICAL
    for item, question in checklist.questions.items():
        assert set(question.codes) == {*FINE[item], "N"}, item
    labels = {o.code: o.label for q in checklist.questions.values() for o in q.options}
    assert labels == {
        "Y": "Yes",
        "PY": "Partial yes",
        "N": "No",
        "NMA": "No meta-analysis conducted",
    }
    overall = checklist.judged["overall"]
    assert [(j.code, j.concern) for j in overall.judgements] == [
        ("high", "low"),
        ("moderate", "some"),
        ("low", "high"),
        ("critically_low", "critical"),
    ]


@pytest.mark.parametrize("chunk", range(16))
def test_every_pattern_of_flaws_gets_the_published_rating(chunk: int) -> None:
    # All 2^16 patterns of No across the items, in 16 chunks (the first four items fix the chunk).
    checklist = amstar2()
    wrong = []
    head = [item for item, bit in zip(ITEMS[:4], f"{chunk:04b}", strict=True) if bit == "1"]
    for n, tail in enumerate(itertools.product((False, True), repeat=12)):
        flawed = {*head, *(item for item, flaw in zip(ITEMS[4:], tail, strict=True) if flaw)}
        answers = answers_with_flaws(flawed, n)
        got = appraise.judge(checklist, answers)["overall"]
        if got != rating(answers):
            wrong.append((sorted(flawed, key=int), got, rating(answers)))
    assert not wrong, f"{len(wrong)} patterns differ, e.g. (items answered No, got, expected): {wrong[:5]}"


def test_partial_yes_and_no_meta_analysis_are_never_flaws() -> None:
    checklist = amstar2()
    answers = {i: FINE[i][-1] for i in ITEMS}  # PY or NMA wherever offered
    assert {answers[i] for i in PARTIAL_YES | NO_META_ANALYSIS} == {"PY", "NMA"}
    assert appraise.judge(checklist, answers)["overall"] == "high"


def open_items(group: list[str], flaws: int, unanswered: int, shift: int) -> tuple[set[str], set[str]]:
    """Which items of a group are No and which unanswered, rotated so every item takes each role."""
    order = group[shift % len(group) :] + group[: shift % len(group)]
    return set(order[:flaws]), set(order[flaws : flaws + unanswered])


def test_unanswered_items_leave_the_rating_open_only_while_they_could_change_it() -> None:
    # Every count of flaws and of unanswered items in each group; the rating is decided exactly
    # when every way of answering the open items gives the same rating (this project's policy).
    checklist = amstar2()
    wrong = []
    shift = 0
    for cf, cu in itertools.product(range(8), repeat=2):
        if cf + cu > len(CRITICAL):
            continue
        for nf, nu in itertools.product(range(10), repeat=2):
            if nf + nu > len(NON_CRITICAL):
                continue
            shift += 1
            critical_no, critical_open = open_items(CRITICAL, cf, cu, shift)
            weak_no, weak_open = open_items(NON_CRITICAL, nf, nu, shift)
            answers = answers_with_flaws(critical_no | weak_no, shift)
            for item in critical_open | weak_open:
                del answers[item]
            possible = {confidence(c, n) for c in range(cf, cf + cu + 1) for n in range(nf, nf + nu + 1)}
            expected = possible.pop() if len(possible) == 1 else None
            got = appraise.judge(checklist, answers)["overall"]
            if got != expected:
                wrong.append(((cf, cu, nf, nu), got, expected))
    assert not wrong, f"{len(wrong)} differ, e.g. ((critical No, open, other No, open), got, expected): {wrong[:5]}"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, None),
        ({i: "Y" for i in ITEMS if i != "13"}, None),  # one critical item open: high or low
        ({i: "Y" for i in ITEMS if i != "16"}, "high"),  # one weakness more cannot change high
        ({"2": "N", "4": "N"}, "critically_low"),  # decided with 14 items still open
        ({**{i: "Y" for i in CRITICAL}, "1": "N", "3": "N"}, "moderate"),
    ],
)
def test_named_partial_appraisals(answers: dict[str, str], expected: str | None) -> None:
    assert appraise.judge(amstar2(), answers)["overall"] == expected


def test_unanswered_is_not_a_flaw_unlike_corates() -> None:
    # CoRATES counts an unanswered item as a flaw and would already say "low"; we wait.
    answers = {i: "Y" for i in ITEMS if i != "7"}
    assert appraise.judge(amstar2(), answers)["overall"] is None
    assert "unanswered items could still change it" in amstar2().description


@pytest.mark.parametrize("weaknesses", range(10))
@pytest.mark.parametrize("critical_flaws", range(3))
def test_many_weaknesses_invite_the_reviewer_to_lower_moderate_to_low(critical_flaws: int, weaknesses: int) -> None:
    answers = answers_with_flaws({*CRITICAL[:critical_flaws], *NON_CRITICAL[:weaknesses]}, 0)
    result = Evaluator(amstar2(), answers).section("overall")
    invited = result.proposed == "moderate"
    assert result.proposed == confidence(critical_flaws, weaknesses)
    assert result.escalate_to == ("low" if invited else None)
    assert any("may lower confidence from moderate to low" in m for m in result.messages) is invited


def test_the_trace_counts_flaws_and_weaknesses() -> None:
    answers = answers_with_flaws({"7", "1", "10"}, 0)
    result = Evaluator(amstar2(), answers).section("overall")
    assert result.proposed == "low"
    assert "1 of 2, 4, 7, 9, 11, 13, 15 N (7)" in result.trace


def hint(item: str, code: str) -> str:
    option = amstar2().questions[item].option(code)
    assert option is not None, (item, code)
    return " ".join((option.hint or "").split())


def test_item_2_yes_needs_a_registered_protocol_and_an_unregistered_one_stops_at_partial_yes() -> None:
    assert "registered" in hint("2", "Y") and "partial yes at most" in hint("2", "Y")
    assert "registered" not in hint("2", "PY")


def test_item_9_partial_yes_for_trials_covers_blinding_of_participants_and_assessors() -> None:
    assert "participants and outcome assessors" in hint("9", "PY")
    assert "concealed" in hint("9", "PY") and "confounding and selection bias" in hint("9", "PY")


def test_item_11_yes_needs_heterogeneity_allowed_for_and_its_causes_investigated() -> None:
    assert "allows for heterogeneity" in hint("11", "Y") and "causes of heterogeneity" in hint("11", "Y")


def test_a_version_1_appraisal_opens_with_the_changed_checklist_notice_and_is_judged_by_the_new_one(
    tmp_path: Path,
) -> None:
    # Version 2 changed what item 2 "Yes" requires, so a "Yes" given under version 1 needs a look.
    path = tmp_path / "old.yaml"
    path.write_text(
        'appraise: 1\nchecklist: {id: amstar2, version: "1"}\nstudy: {title: "An old review"}\n'
        'answers:\n  "2": "Y"\n  "4": "N"\n  "7": "N"\n',
        encoding="utf-8",
    )
    loaded = load_appraisal(path)
    assert not loaded.errors
    assert any("version 1" in w.message and f"now version {amstar2().version}" in w.message for w in loaded.warnings)
    assert loaded.checklist.version != "1"
    assert appraise.judge(loaded.checklist, {a: v.answer for a, v in loaded.appraisal.answers.items()})["overall"] == (
        "critically_low"
    )
