"""The JSON summary is written as it goes, and is exactly the indented JSON of its data (the contract)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from appraise.reports.collect import ANSWER_COLUMNS, Collection, StudyRecord
from appraise.reports.summary import build_summary, collect, public, render

DATA = Path(__file__).parent.parent / "data"


def test_streamed_json_is_exactly_the_indented_json_of_the_summary(tmp_path: Path) -> None:
    for name in ("pathways-home.yaml", "rob2-complete.yaml", "pathways-home-reviewer-a.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    data = build_summary(collect([tmp_path], answers=True))
    assert len(data["answers"]) > 50 and len(data["groups"]) == 2
    assert render(data, "json") == json.dumps(public(data), indent=2, ensure_ascii=False) + "\n"


def test_json_without_answers_is_the_same_document_less_its_rows(tmp_path: Path) -> None:
    shutil.copy(DATA / "pathways-home.yaml", tmp_path / "a.yaml")
    data = build_summary(collect([tmp_path]))
    written = json.loads(render(data, "json"))
    assert written["answers"] == [] and written["groups"][0]["rows"][0]["label"]
    assert "legend" not in written and "colour" not in json.dumps(written)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet='",[]\\%sé\n\x1b a', max_size=6), min_size=15, max_size=15), min_size=1, max_size=3
    ),
    st.text(alphabet='",\\é a/', min_size=1, max_size=8),
)
def test_answers_are_exactly_the_indented_json_whatever_their_text(rows: list[list[str]], file: str) -> None:
    # Answers are written from the spool's JSON text, split where that is unambiguous: quotes,
    # commas, brackets and backslashes in the text must come out exactly as json.dumps writes them.
    collection = Collection()
    answers = [dict(zip(ANSWER_COLUMNS, [*values, file], strict=True)) for values in rows]
    record = StudyRecord(file, "peer-support", {"label": "x"}, "r", None, [], answers=answers)
    collection.add(record)
    data = build_summary(collection)
    assert render(data, "json") == json.dumps(public(data), indent=2, ensure_ascii=False) + "\n"
