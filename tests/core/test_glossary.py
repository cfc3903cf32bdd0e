"""The jargon buster: finding terms in text (longest first, never inside another) and forgiving lookup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from appraise.learning.glossary import Glossary, Term, load_glossary


def term(id: str, name: str, *synonyms: str, abbreviation: str = "", related: tuple[str, ...] = ()) -> Term:
    return Term(
        id=id,
        term=name,
        synonyms=list(synonyms),
        abbreviation=abbreviation,
        definition=f"What {name} means.",
        related=list(related),
    )


@pytest.fixture
def glossary() -> Glossary:
    return Glossary(
        [
            term("allocation", "Allocation"),
            term("allocation-concealment", "Allocation concealment", "concealed allocation"),
            term(
                "randomised-controlled-trial",
                "Randomised controlled trial",
                "randomized controlled trial",
                abbreviation="RCT",
            ),
            term("intention-to-treat", "Intention-to-treat analysis", "intention to treat", abbreviation="ITT"),
            term("bias", "Bias"),
            term("risk-of-bias", "Risk of bias"),
            term("fidelity", "Fidelity"),
        ]
    )


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.term.id) for m in glossary.find(text)]


def test_a_term_is_never_found_inside_a_longer_one(glossary: Glossary) -> None:
    assert found(glossary, "Was allocation concealment adequate?") == [
        ("allocation concealment", "allocation-concealment")
    ]
    assert found(glossary, "Risk of bias is not bias alone") == [("Risk of bias", "risk-of-bias"), ("bias", "bias")]


def test_synonyms_plurals_spelling_and_hyphens_are_found(glossary: Glossary) -> None:
    text = "Two randomized controlled trials used concealed allocation and an intention to treat analysis."
    assert [t for _, t in found(glossary, text)] == [
        "randomised-controlled-trial",
        "allocation-concealment",
        "intention-to-treat",
    ]


def test_abbreviations_match_only_in_their_own_case(glossary: Glossary) -> None:
    assert found(glossary, "An RCT with ITT") == [("RCT", "randomised-controlled-trial"), ("ITT", "intention-to-treat")]
    assert found(glossary, "the itt word and rct") == []


def test_words_containing_a_term_are_not_matched(glossary: Glossary) -> None:
    assert found(glossary, "biased, unbiased and infidelity") == []


def test_terms_in_lists_each_term_once_in_order_of_first_use(glossary: Glossary) -> None:
    terms = glossary.terms_in("Fidelity and bias.", "More bias, more fidelity.")
    assert [t.id for t in terms] == ["fidelity", "bias"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rct", "randomised-controlled-trial"),
        ("Allocation Concealment", "allocation-concealment"),
        ("biases", "bias"),
        ("fidellity", "fidelity"),
        ("intention to treat", "intention-to-treat"),
    ],
)
def test_lookup_forgives_case_plurals_and_typos(glossary: Glossary, query: str, expected: str) -> None:
    assert glossary.lookup(query)[0].id == expected


def test_glossary_command_prints_a_term_found_forgivingly(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "glossary.yaml").write_text(
        "glossary: 1\nterms:\n  - id: attrition\n    term: Attrition\n    synonyms: [loss to follow-up]\n"
        "    definition: People leaving a study.\n    related: []\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["glossary", "atrition"])
    assert result.exit_code == 0, result.output
    assert "Attrition" in result.output and "People leaving a study." in result.output


def test_glossary_command_says_when_nothing_matches(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["glossary", "zzzzqqq"])
    assert result.exit_code == 1 and "no glossary term matches" in result.output


def test_a_broken_user_glossary_is_reported_with_its_line(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "glossary.yaml").write_text("glossary: 1\nterms:\n  - id: x\n    trem: X\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary"])
    assert result.exit_code == 1
    assert "glossary.yaml:4:5" in result.output and "did you mean 'term'?" in result.output


def test_bundled_glossary_explains_the_words_of_the_peer_support_checklist() -> None:
    import appraise

    glossary = load_glossary()
    if not len(glossary):
        pytest.skip("no bundled glossary yet")
    checklist = appraise.load_checklist("peer-support")
    used = glossary.terms_in(*(q.text for q in checklist.questions.values()))
    assert len(used) >= 10


def report_terms(pathways: Path) -> list[str]:
    from appraise.files.store import load_appraisal
    from appraise.reports.report import build_report

    return [t["term"] for t in build_report(load_appraisal(pathways))["glossary"]]


def test_a_report_lists_a_term_added_to_the_glossary_after_an_earlier_report(data_dir: Path, pathways: Path) -> None:
    before = report_terms(pathways)  # the terms found are remembered in the data folder's cache
    (data_dir / "glossary.yaml").write_text(
        "glossary: 1\nterms:\n  - id: clear-question\n    term: Clear question\n"
        "    definition: Who took part, in what, against what, measured how.\n",
        encoding="utf-8",
    )
    after = report_terms(pathways)
    assert "Clear question" not in before and "Clear question" in after
    assert set(before) <= set(after)


def test_a_report_shows_a_definition_changed_in_the_users_glossary_after_an_earlier_report(
    data_dir: Path, pathways: Path
) -> None:
    from appraise.files.store import load_appraisal
    from appraise.reports.report import build_report

    def definitions() -> dict[str, str]:
        return {t["term"]: t["definition"] for t in build_report(load_appraisal(pathways))["glossary"]}

    bundled = definitions()  # remembered in the data folder's cache
    term = next(iter(bundled))
    user = data_dir / "glossary.yaml"
    known = next(t for t in load_glossary().terms.values() if t.term == term)
    for definition in ("First wording.", "A second, longer wording."):
        replaced = {**known.model_dump(), "definition": definition}  # same names: found as before
        user.write_text(yaml.safe_dump({"glossary": 1, "terms": [replaced]}), encoding="utf-8")
        assert definitions()[term] == definition


def test_a_corrupt_or_foreign_remembered_term_list_is_ignored(data_dir: Path, pathways: Path) -> None:
    expected = report_terms(pathways)
    remembered = list((data_dir / "cache" / "glossary-terms").glob("*.json"))
    assert remembered
    for content in ("{not json", '{"key": "other", "value": []}', "[1, 2]"):
        for path in remembered:
            path.write_text(content, encoding="utf-8")
        assert report_terms(pathways) == expected
    stored = json.loads(remembered[0].read_text(encoding="utf-8"))
    for path in remembered:  # the right key, but a term that is not in the glossary
        path.write_text(json.dumps({**stored, "value": ["no-such-term"]}), encoding="utf-8")
    assert report_terms(pathways) == expected


def test_terms_are_found_in_every_bundled_question_as_the_pattern_of_every_term_finds_them() -> None:
    from appraise.files import paths
    from appraise.files.checklists import load_checklist
    from appraise.learning.glossary import _compile

    glossary = load_glossary()
    whole = _compile(glossary.terms.values())  # what find used before it compiled only the terms that occur
    files = sorted(paths.bundled("checklists").glob("*.yaml"))
    assert files
    for file in files:
        for question in load_checklist(file).questions.values():
            for text in (question.text, question.why, question.where):
                assert glossary.find(text) == glossary.find(text, whole), (file.name, question.id)
