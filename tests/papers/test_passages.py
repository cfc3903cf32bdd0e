"""Where to look: passages ranked by BM25 for a question's look_for cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from appraise.core.passages import Ranker, split_passages
from appraise.core.quotes import make_pages
from appraise.files.checklists import load_checklist
from appraise.files.papers import extract


def test_the_concealment_cues_rank_the_concealment_passage_first(trial: Path) -> None:
    ranker = Ranker(make_pages("paper", extract(trial).pages))
    best, score = ranker.rank(["allocation concealment", "concealed", "central randomisation", "web-based"])[0]
    assert best.page == 2
    assert "concealed by a central web-based system" in best.text
    assert score > 0


def test_the_peer_worker_cues_rank_the_training_passage_first(trial: Path) -> None:
    ranker = Ranker(make_pages("paper", extract(trial).pages))
    best, _ = ranker.rank(["lived experience", "training", "supervision"])[0]
    assert "fortnightly supervision" in best.text


def test_cues_that_match_nothing_list_nothing(trial: Path) -> None:
    ranker = Ranker(make_pages("paper", extract(trial).pages))
    assert ranker.rank(["zebrafish", "telescope"]) == []


def test_passages_are_a_few_sentences_of_one_page() -> None:
    pages = make_pages("paper", ["One. Two. Three. Four. Five.", "Six."])
    passages = split_passages(pages)
    assert [p.page for p in passages] == [1, 1, 2]
    assert passages[0].text == "One. Two. Three."


def test_a_passage_stops_at_a_heading_or_the_end_of_a_paragraph() -> None:
    page = (
        "Allocation was concealed by a central web-based service run by the\n"
        "trials unit, so recruiting staff could not foresee the next assignment.\n"
        "Intervention\n"
        "Peer workers had lived experience of mental illness and recovery and they\n"
        "received ten days of training."
    )
    texts = [p.text for p in split_passages(make_pages("paper", [page]))]
    assert texts[0].endswith("foresee the next assignment.")
    assert texts[1].startswith("Peer workers had lived experience")
    assert len(texts) == 2


def test_look_for_cues_load_from_a_checklist(tmp_path: Path) -> None:
    source = tmp_path / "mini.yaml"
    source.write_text(
        "id: mini\nversion: '1'\ntitle: Mini\nsections:\n  - id: S\n    title: S\n    questions:\n"
        "      - id: Q1\n        text: Was allocation concealed?\n        kind: text\n"
        "        look_for: [allocation concealment, sealed envelopes]\n",
        encoding="utf-8",
    )
    assert load_checklist(str(source)).questions["Q1"].look_for == ["allocation concealment", "sealed envelopes"]


@pytest.mark.parametrize("checklist_id", ["peer-support", "rob2", "rob2-adhering", "rob2-cluster", "rct-reading"])
def test_every_question_that_points_at_a_passage_has_cues(checklist_id: str) -> None:
    checklist = load_checklist(checklist_id)
    # Direction-of-bias questions and a closing summary are judgements across the paper: no words to scan for.
    pointing = [q for q in checklist.questions.values() if not q.id.endswith(".direction") and q.id != "summary"]
    assert [q.id for q in pointing if not q.look_for] == []


def test_rob2_concealment_cues_find_the_concealment_passage(trial: Path) -> None:
    cues = load_checklist("rob2").questions["1.2"].look_for
    best, _ = Ranker(make_pages("paper", extract(trial).pages)).rank(cues)[0]
    assert best.page == 2 and "Allocation was concealed" in best.text
