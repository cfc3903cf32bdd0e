"""In a real terminal (tmux) at 80×24: attach a paper, search it, select a passage, quote it in one key."""

from __future__ import annotations

from pathlib import Path

import pytest

from appraise.files.store import load_appraisal
from tests.conftest import require_tool
from tests.papers.make_pdf import trial_pdf
from tests.tui.test_real_terminal import Tmux, appraise_command


@pytest.mark.slow
def test_a_passage_found_with_slash_is_captured_as_the_quote_with_its_page(tmp_path: Path, data_dir: Path) -> None:
    require_tool("tmux")
    paper = trial_pdf(tmp_path / "trial.pdf")
    path = tmp_path / "trial.yaml"
    term = Tmux(appraise_command(data_dir, "new", "-o", str(path), "--paper", str(paper)), width=80, height=24)
    try:
        term.wait_for("New appraisal")
        term.keys(*"PATHWAYS", pause=0.02)
        term.keys("C-s")
        term.wait_for("A1")
        term.keys("p")
        term.wait_for("p. 1/6")
        term.keys("/")
        term.wait_for("Search the paper")
        term.keys(*"central web-based system", pause=0.02)
        term.keys("Enter")
        term.wait_for("p. 2/6")
        term.keys("y")
        term.wait_for("saved (p. 2)")
        term.keys("C-q")
    finally:
        term.close()
    record = load_appraisal(path).appraisal.answers["A1"]
    assert (record.quote, record.page) == ("central web-based system", "2")
