"""Loading checklists: bundled and user ones, and every problem a checklist author can make."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import appraise
from appraise.files.checklists import available_checklists, load_checklist
from appraise.files.yamlio import FileProblems

# Version 2 added E9 (confounding) and E10 (knowing the allocation likely swayed the outcome) with new
# ids, placed beside the questions they belong with; no id was renumbered or reused.
PEER_SUPPORT_IDS = (
    "A1 A2 A3 A4 B1 B2 B3 B4 B5 B6 B7 C1 C2 C3 C4 C5 D1 D2 D3 D4 D5 D6 "
    "E1 E2 E3 E9 E4 E10 E5 E6 E7 E8 F1 F2 F3 F4 F5 G1 G2 G3 G4"
).split()

GOOD = """\
id: tiny
version: "1"
title: Tiny
sections:
  - id: S
    title: Section
    judgements:
      - {code: low, label: Low, concern: low}
      - {code: high, label: High, concern: high}
    questions:
      - id: "1.1"
        text: First?
        options: [{code: "Y", label: "Yes"}, {code: "N", label: "No"}]
      - id: "1.10"
        text: Tenth?
        options: [{code: "Y", label: "Yes"}, {code: "N", label: "No"}]
    rules:
      - when: {answer: "1.1", in: ["N"]}
        then: high
    default: low
"""


def write(tmp_path: Path, text: str, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(FileProblems) as caught:
        load_checklist(path)
    return [str(p) for p in caught.value.problems]


def test_bundled_peer_support_has_the_specified_41_questions_in_order() -> None:
    checklist = appraise.load_checklist("peer-support")
    assert list(checklist.questions) == PEER_SUPPORT_IDS
    assert [s.id for s in checklist.sections] == list("ABCDEFG")
    assert [s.id for s in checklist.sections if s.per_outcome] == ["E"]


def test_peer_support_critical_items_match_the_spec() -> None:
    checklist = appraise.load_checklist("peer-support")
    critical = [q.id for q in checklist.questions.values() if q.critical]
    assert critical == ["B1", "B3", "B4", "B6", "C2", "D1", "D3", "E1", "E2", "E9", "E5", "E6", "E7", "F5"]


def test_every_peer_support_question_says_why_it_matters_and_where_to_look() -> None:
    checklist = appraise.load_checklist("peer-support")
    for question in checklist.questions.values():
        assert question.why and question.where, question.id


def test_ids_that_look_like_numbers_stay_distinct_strings(tmp_path: Path) -> None:
    checklist = load_checklist(write(tmp_path, GOOD))
    assert list(checklist.questions) == ["1.1", "1.10"]


def test_unknown_key_is_reported_with_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("text: First?", "txt: First?"))
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:12:9:") and "unknown key 'txt'; did you mean 'text'?" in p for p in problems)
    assert any("'text' is required" in p for p in problems)


def test_unknown_question_in_a_rule_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('{answer: "1.1", in: ["N"]}', '{answer: "1.2", in: ["N"]}'))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:18:24:")
    assert "no question '1.2'" in problem and "did you mean" in problem


def test_code_that_the_question_does_not_offer_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('in: ["N"]', 'in: ["PN"]'))
    (problem,) = problems_of(path)
    assert "1.1 has no answer 'PN'" in problem and "did you mean 'N'?" in problem


def test_unquoted_yes_where_a_code_belongs_gets_the_quoting_hint(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace('{code: "Y", label: "Yes"}, {code: "N"', '{code: Yes, label: "Yes"}, {code: "N"', 1)
    )
    problems = problems_of(path)
    assert any("write it in quotes: 'Yes'" in p for p in problems)


def test_then_must_be_one_of_the_sections_judgements(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("then: high", "then: hihg"))
    (problem,) = problems_of(path)
    assert "'hihg' is not one of this section's judgements" in problem and "did you mean 'high'?" in problem


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        GOOD.replace("then: high", "then: hihg")
        .replace('in: ["N"]', 'in: ["PN"]')
        .replace("default: low", "default: lo")
    )
    assert len(problems_of(write(tmp_path, text))) == 3


def with_sections(extra: str, *, first_per_outcome: bool = False, tail: str = "") -> str:
    """GOOD plus more sections (written at column 0, indented here) and top-level keys."""
    text = GOOD
    if first_per_outcome:
        text = text.replace("  - id: S\n", "  - id: S\n    per_outcome: true\n", 1)
    return text + textwrap.indent(textwrap.dedent(extra), "  ") + textwrap.dedent(tail)


def test_circular_rules_are_refused_naming_the_loop(tmp_path: Path) -> None:
    text = with_sections("""\
        - id: T
          title: Other
          judgements: [{code: low, label: Low, concern: low}]
          rules:
            - when: {judgement: U, in: [low]}
              then: low
          default: low
        - id: U
          title: Third
          judgements: [{code: low, label: Low, concern: low}]
          rules:
            - when: {judgement: T, in: [low]}
              then: low
          default: low
        """)
    problems = problems_of(write(tmp_path, text))
    assert any("circular rules: T → U → T" in p for p in problems)


def test_study_level_section_cannot_read_per_outcome_answers(tmp_path: Path) -> None:
    text = with_sections(
        """\
        - id: T
          title: Study level
          judgements: [{code: low, label: Low, concern: low}]
          rules:
            - when: {answer: "1.1", in: ["Y"]}
              then: low
          default: low
        """,
        first_per_outcome=True,
        tail="""\
        outcomes: {types: [{code: x, label: X}], findings: [{code: y, label: Y}]}
        """,
    )
    problems = problems_of(write(tmp_path, text))
    assert any("1.1 is answered per outcome, but section T is judged once for the study" in p for p in problems)


def test_unknown_answer_set_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace('options: [{code: "Y", label: "Yes"}, {code: "N", label: "No"}]', "options: ypnu", 1)
    )
    (problem,) = problems_of(path)
    assert "no answer set named 'ypnu'" in problem


def test_user_checklist_overrides_the_bundled_one_with_the_same_id(data_dir: Path) -> None:
    bundled = load_checklist("peer-support")
    folder = data_dir / "checklists"
    folder.mkdir(parents=True)
    text = (
        Path(bundled.path).read_text(encoding="utf-8").replace(f'version: "{bundled.version}"', 'version: "local"', 1)
    )
    (folder / "peer-support.yaml").write_text(text, encoding="utf-8")
    assert load_checklist("peer-support").version == "local"
    origins = {e.id: e.origin for e in available_checklists()}
    assert origins["peer-support"] == "user"


def test_unknown_checklist_id_suggests_the_nearest() -> None:
    with pytest.raises(LookupError, match="did you mean 'peer-support'"):
        load_checklist("peer-suport")


def test_a_user_checklist_overrides_by_the_id_inside_it_whatever_its_file_name(data_dir: Path) -> None:
    bundled = load_checklist("peer-support")
    folder = data_dir / "checklists"
    folder.mkdir(parents=True)
    text = Path(bundled.path).read_text(encoding="utf-8").replace(f'version: "{bundled.version}"', 'version: "mine"', 1)
    (folder / "my-copy.yaml").write_text(text, encoding="utf-8")
    assert load_checklist("peer-support").version == "mine"


def test_the_validated_checklist_cache_gives_the_same_checklist_and_follows_edits(tmp_path: Path) -> None:
    from appraise.files import checklists

    path = write(tmp_path, GOOD)
    fresh = load_checklist(path)
    checklists._CACHE.clear()  # the in-process cache; the on-disk cache answers now
    cached = load_checklist(path)
    assert cached == fresh and cached.questions["1.1"].codes == ("Y", "N")
    assert appraise.judge(cached, {"1.1": "N"}) == {"S": "high"}
    path.write_text(GOOD.replace("then: high", "then: low"), encoding="utf-8")
    checklists._CACHE.clear()
    assert appraise.judge(load_checklist(path), {"1.1": "N"}) == {"S": "low"}
