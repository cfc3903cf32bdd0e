"""Quotes checked against a paper: exact, hand-typed, absent, on the wrong page; what a page may be."""

from __future__ import annotations

from pathlib import Path

import pytest

from appraise.core.quotes import Corpus, keyed, page_indexes
from appraise.files.papers import extract
from tests.papers.make_pdf import BLINDING, CONCEALMENT, HYPHENATED


@pytest.fixture
def corpus(trial: Path) -> Corpus:
    text = extract(trial)
    found = Corpus()
    found.add("paper", text.pages, text.labels)
    return found


def test_an_exact_quote_is_found_on_its_page(corpus: Corpus) -> None:
    check = corpus.check(CONCEALMENT, "2")
    assert (check.status, check.pages) == ("found", (2,))


def test_a_hand_typed_quote_with_typos_and_straight_quotes_is_found(corpus: Corpus) -> None:
    typed = "allocation was conceled by a central web based system run by the trials unit"
    check = corpus.check(typed, "2")
    assert (check.status, check.pages) == ("found", (2,))
    assert check.score < 100


def test_a_quote_that_is_not_in_the_paper_is_not_found(corpus: Corpus) -> None:
    check = corpus.check("Allocation was concealed with opaque sealed envelopes kept by the ward sister.", "2")
    assert check.status == "not_found"
    assert check.describe() == "not found in the paper"


def test_a_quote_from_another_page_names_the_page_it_is_on(corpus: Corpus) -> None:
    check = corpus.check(BLINDING, "3")
    assert (check.status, check.pages) == ("elsewhere", (2,))
    assert "page 2" in check.describe()


def test_the_printed_page_label_counts_as_the_same_page(corpus: Corpus) -> None:
    assert corpus.check(CONCEALMENT, "1370").status == "found"
    assert corpus.check(CONCEALMENT, "p. 1370").status == "found"


def test_a_page_range_matches_either_page(corpus: Corpus) -> None:
    assert corpus.check(CONCEALMENT, "2-3").status == "found"
    assert corpus.check(CONCEALMENT, "1369–1370").status == "found"
    assert corpus.check(CONCEALMENT, "3-5").status == "elsewhere"


def test_a_page_that_is_not_a_number_is_checked_anywhere(corpus: Corpus) -> None:
    check = corpus.check(CONCEALMENT, "Table 2")
    assert (check.status, check.pages) == ("found", (2,))


def test_a_quote_over_a_line_end_hyphen_is_found(corpus: Corpus) -> None:
    quote = "followed the intention-to-treat principle and included every participant"
    assert HYPHENATED[0].endswith("princi-")
    assert corpus.check(quote, "3").status == "found"


def test_a_short_quote_must_match_exactly() -> None:
    corpus = Corpus()
    corpus.add("paper", ["Participants were randomised."])
    assert corpus.check("randomised", "1").status == "found"
    assert corpus.check("randomixed", "1").status == "not_found"


def test_a_quote_running_over_a_page_break_is_found_on_both_pages() -> None:
    corpus = Corpus()
    corpus.add("paper", ["The trial unit held the allocation", "list and released it by telephone."])
    check = corpus.check("held the allocation list and released it", "1")
    assert (check.status, check.pages) == ("found", (1,))


def test_without_a_paper_every_quote_is_unchecked() -> None:
    check = Corpus(reason="paper.pdf is not on this machine").check(CONCEALMENT, "2")
    assert check.status == "unchecked"
    assert "not on this machine" in check.describe()


def test_a_quote_in_the_protocol_is_found_there() -> None:
    corpus = Corpus()
    corpus.add("paper", ["Results were reported for all outcomes."])
    corpus.add("protocol", ["The primary outcome will be readmission within twelve months."])
    check = corpus.check("The primary outcome will be readmission within twelve months", "1")
    assert (check.status, check.document) == ("found", "protocol")
    assert "in the protocol" in check.describe()


@pytest.mark.parametrize(
    ("page", "expected"),
    [("4", {4}), ("4-5", {4, 5}), ("pp. 4–5", {4, 5}), ("1370", {2}), ("Table 2", None), ("", None), ("99", None)],
)
def test_page_fields_name_page_indexes(page: str, expected: set[int] | None) -> None:
    assert page_indexes(page, ["1369", "1370", "1371", "1372", "1373", "1374"], 6) == expected


def test_normalisation_folds_ligatures_curly_quotes_dashes_and_spaces() -> None:
    assert (
        keyed("The \ufb01nal “e\ufb03cacy” — con-\n  \ufb01rmed").key == keyed('the final "efficacy" - confirmed').key
    )
