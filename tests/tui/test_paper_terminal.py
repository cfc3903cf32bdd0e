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
        term.wait_for("Study title", "^s Create")  # the form is up, its title field focused on mount
        term.send("PATHWAYS", "C-s")  # one burst: both go to the focused field, in order
        term.wait_for("A1", "1-9 Answer")
        term.send("p")
        term.wait_for("p. 1/6")
        term.send("/")
        term.wait_for("Search the paper")
        term.send("central web-based system", "Enter")
        term.wait_for("p. 2/6")
        term.send("y")
        term.wait_for("saved (p. 2)")
        term.wait_until(lambda _: quoted(path) is not None, "the quote on disk")
        term.send("C-q")
    finally:
        term.close()
    assert quoted(path) == ("central web-based system", "2")


def quoted(path: Path) -> tuple[str, str] | None:
    """A1's saved quote and page, once the file holds them."""
    record = load_appraisal(path).appraisal.answers.get("A1")
    return (record.quote, record.page) if record is not None and record.quote else None
