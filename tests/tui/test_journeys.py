"""The journeys people take, in a real terminal (tmux) at 80×24 and 120×40: no crash, nothing cut off.

Each test types what a user types (keys, often in bursts, as a fast typist or a paste does) and
reads the screen as the user sees it. Files are checked at the end, through the public loader.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from appraise.core.session import Session
from appraise.files.store import load_appraisal
from appraise.learning.practice import find_vignette, list_vignettes
from appraise.review.consensus import open_items
from tests.conftest import DATA, require_tool
from tests.tui.test_real_terminal import Tmux

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class Journey(Tmux):
    """A tmux pane running the app; it stays open after the app ends, so a traceback can be read.

    Keys go in bursts, as a fast typist or a paste sends them, but never before the app shows the
    state they are meant for (the screen mounted, the focus where the keys belong): a burst sent
    earlier goes to whatever had the focus, and an escape read together with a digit is alt+digit.
    """

    def __init__(self, data_dir: Path, *args: str, size: tuple[int, int]) -> None:
        argv = " ".join([sys.executable, "-m", "appraise", *args])
        # COLUMNS and LINES from the test runner would override the pane size Textual reads.
        command = (
            f"env -u COLUMNS -u LINES APPRAISE_DATA_DIR={data_dir} TERM=xterm-256color {argv}; "
            "echo APP-EXITED $?; sleep 120"
        )
        super().__init__(command, width=size[0], height=size[1])

    def screen(self) -> str:
        shown = super().screen()
        assert "Traceback" not in shown and "APP-EXITED 1" not in shown, f"the app crashed:\n{shown}"
        return shown

    def type(self, *keys: str) -> None:
        """Send keys in one burst (tmux key names or literal text)."""
        self.send(*keys)

    def sees(self, *texts: str, timeout: float = 15.0) -> str:
        """Wait until every text is on screen at once; the screen then."""
        return self.wait_for(*texts, timeout=timeout)

    def on_question(self, timeout: float = 15.0) -> str:
        """Wait until the question card has the focus (its digits are in the footer) and its heading
        is drawn whole; the screen then."""
        return self.wait_until(
            lambda shown: "1-9 Answer" in shown and card_heading(shown) is not None,
            "the focus on the question card",
            timeout,
        )

    def ends(self, timeout: float = 15.0) -> None:
        """Quit with ctrl+q and wait for a clean exit."""
        self.type("C-q")
        self.sees("APP-EXITED 0", timeout=timeout)


HEADING = re.compile(r"│ ([A-Z]\d+ .*?\d+ / \d+) │")
"""The question card's first line, drawn whole: it ends with the position, e.g. ``D5 …  4 / 6``."""
SECTION_CARD = re.compile(r"│ [A-Z] [A-Z][a-z]")
"""A card that stands for a section, not a question (section E before it has outcomes)."""


def card_heading(screen: str) -> str | None:
    """The question card's first line: id, title, outcome and position, e.g. ``D5 …  4 / 6``.

    None while it is only partly drawn: a capture can catch the terminal half-way through a
    repaint, and a half-drawn heading of the old question is not the new one.
    """
    found = HEADING.search(screen)
    if found:
        return found.group(1)
    return "a section's card" if SECTION_CARD.search(screen) else None


def all_answered(path: Path) -> bool:
    """Whether every question that is asked has an answer, by the saved file."""
    loaded = load_appraisal(path)
    return Session(loaded.appraisal, loaded.checklist).next_open(0) is None


def answer_first_option(term: Journey, shown: str, path: Path) -> str:
    """Press 1 on the question on show and wait for it to take effect; the screen then.

    An answer moves the card on (or at least changes its count of answers), opens the outcomes
    dialog, or answers the last open question: then the saved file says all are answered.
    """
    before = card_heading(shown)
    term.type("1")

    def took_effect(now: str) -> bool:
        heading = card_heading(now)
        return "Name (e.g." in now or ("1-9 Answer" in now and heading not in (None, before)) or all_answered(path)

    return term.wait_until(took_effect, f"the answer to {before} taking effect")


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_practitioner_appraises_a_study_judges_it_and_exports_the_report(
    tmp_path: Path, data_dir: Path, size: tuple[int, int]
) -> None:
    require_tool("tmux")
    path = tmp_path / "pathways.yaml"
    term = Journey(data_dir, "new", "-c", "peer-support", "-o", str(path), size=size)
    try:
        term.sees("Study title", "^s Create")  # the form is up, its title field focused on mount
        term.type("PATHWAYS-HOME", "Enter", "Fenwick-Tarrant M", "Enter", "2024")
        term.sees("2024", "Fenwick-Tarrant M")
        term.type("C-s")
        term.sees("A1", "? Help", "g Glossary", "^q Quit")  # the footer keeps help and quit at 80 columns
        shown = term.on_question()

        # Every section: each question answered, and a note, quote and page on some of them.
        for step in range(120):
            if all_answered(path):
                break
            if "Name (e.g. Readmission" in shown:  # section E asks for the outcomes to judge separately
                term.type("Readmission at 12 months")
                term.sees("[x] The pre-specified primary outcome", "Save", "Cancel")
                term.type("C-s")
                term.sees("Readmission at 12 months  primary")
                term.type("a")
                term.sees("Add an outcome", "[ ] The pre-specified primary outcome")
                term.type("QPR-15 at 4 months", "Tab", "Tab", "Space")  # to the checkbox, and on
                term.sees("[x] The pre-specified primary outcome", "Already marked primary")
                term.type("Space")
                term.sees("[ ] The pre-specified primary outcome")
                term.type("C-s")
                term.sees("QPR-15 at 4 months")
                term.type("Escape")
                shown = term.on_question()
                continue
            if step % 6 == 0:
                term.type("Tab", f"Note {step}", "Tab", f"Quote {step}", "Tab", f"p. {step}")
                page = f"p. {step}"
                term.wait_until(lambda now, page=page: page in now and "1-9 Answer" not in now, "the page typed")
                term.type("Escape")  # alone: an escape read together with the next digit is alt+digit
                shown = term.on_question()
            shown = answer_first_option(term, shown, path)
        assert all_answered(path)
        loaded = load_appraisal(path)
        study = loaded.appraisal.study
        assert (study.title, study.authors, study.year) == ("PATHWAYS-HOME", "Fenwick-Tarrant M", "2024")
        assert [o.label for o in loaded.appraisal.outcomes] == ["Readmission at 12 months", "QPR-15 at 4 months"]
        notes = [a for a in loaded.appraisal.answers.values() if a.note]
        assert notes and all(a.quote and a.page for a in notes)
        assert all(a.note.startswith("Note ") and a.quote.startswith("Quote ") for a in notes if a.note)

        # Judgements: Final and Reason are on screen at both sizes; one is overridden with a reason.
        term.type("s")
        term.sees("Judgements —", "Final", "Reason", "Overall")
        term.type("Down", "Down", "o")
        term.sees("Judge C.", "Reason (required")
        term.type("3")
        term.type("The control group got extra contact")
        term.type("Enter")
        shown = term.sees("✎", "The control group")
        term.type("Escape")
        term.sees("✎", "1-9 Answer")  # the navigator (or strip) marks the override at once

        # The report preview shows the report itself first.
        term.type("r")
        shown = term.sees("Appraisal: PATHWAYS-HOME", "e Export")
        if size[0] < 100:
            assert "Ⅱ Overall judgement" not in shown  # the contents are hidden until t
        for fmt, moves in (("md", []), ("html", ["Down"]), ("json", ["Down", "Down"])):
            term.type("e")
            term.sees("Export the report", "(•) Markdown", "( ) HTML")
            if moves:
                term.type(*moves, "Enter")
                term.sees(f"(•) {EXPORTED[fmt]}", f"report.{fmt}")  # the path's end is in view
            term.type("Tab", "Enter")
            term.sees(f"Exported the {EXPORTED[fmt]} report")
            term.sees("Appraisal: PATHWAYS-HOME")
        term.ends()
    finally:
        term.close()

    reports = {p.suffix: p for p in tmp_path.glob("pathways-report.*")}
    assert set(reports) == {".md", ".html", ".json"}
    assert "The control group got extra contact" in reports[".md"].read_text(encoding="utf-8")
    assert "<html" in reports[".html"].read_text(encoding="utf-8").lower()
    data = json.loads(reports[".json"].read_text(encoding="utf-8"))
    assert data["study"]["title"] == "PATHWAYS-HOME"


EXPORTED = {"md": "Markdown", "html": "HTML", "json": "JSON"}
VIGNETTES = [entry.id for entry in list_vignettes()[0]]


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("vignette", VIGNETTES)
def test_student_practises_on_a_vignette_and_reads_the_feedback(
    data_dir: Path, vignette: str, size: tuple[int, int]
) -> None:
    require_tool("tmux")
    term = Journey(data_dir, size=size)
    try:
        term.sees("Practise")
        term.type("p")
        term.sees("Practise on which study?")
        number = VIGNETTES.index(vignette) + 1
        term.type(str(number))
        term.sees("f Feedback", "v Vignette", "? Help", "^q Quit")
        path = data_dir / "practice" / f"{vignette}.yaml"
        shown = term.on_question()
        for _ in range(120):  # deliberate mistakes: always the first option, whatever the study says
            if all_answered(path):
                break
            shown = answer_first_option(term, shown, path)
        assert all_answered(path)
        term.type("f")
        term.sees("agree ·", "differ ·", "d Differences only")
        term.type("d")  # differences only: the deliberate mistakes, each with the model's reason
        term.sees("✗ differs", "Model answer's reason")
        term.type("Tab", "End")  # to the explanation pane, and to its end: the last teaching point
        last_point = find_vignette(vignette).teaching_points[-1]
        term.sees(f"• {last_point[:20]}")
        term.type("Escape")
        term.sees("f Feedback")
        term.ends()
    finally:
        term.close()


RIS = """TY  - JOUR
TI  - Peer support for leaving hospital (PATHWAYS-HOME): a multi-site randomised controlled trial
AU  - Fenwick-Tarrant, Marigold
PY  - 2024
DO  - 10.5555/pathways-home
ER  -
TY  - JOUR
TI  - Hope Rising: a randomised trial of a peer-led support group for students
AU  - Inkwhistle, B
PY  - 2023
ER  -
"""


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the appraise command line as a user does, with the test's data folder."""
    env = {**os.environ, "APPRAISE_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "appraise", *args], capture_output=True, text=True, env=env)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_review_team_imports_compares_merges_and_resolves_every_item(
    tmp_path: Path, data_dir: Path, size: tuple[int, int]
) -> None:
    require_tool("tmux")
    folder = tmp_path / "review"
    (tmp_path / "refs.ris").write_text(RIS, encoding="utf-8")
    made = cli(data_dir, "import", str(tmp_path / "refs.ris"), "-d", str(folder))
    assert made.returncode == 0, made.stderr
    assert len(list(folder.glob("*.yaml"))) == 2

    term = Journey(data_dir, size=size)
    try:
        term.sees("Open a file")
        term.type("f", str(folder), "Enter")  # one burst: f moves the focus to the path field at once
        term.sees("Appraisals in", "Inkwhistle 2023", "Fenwick-Tarrant 2024")
        term.type("Escape")
        term.sees("Open a file")
        term.ends()
    finally:
        term.close()
    summary = cli(data_dir, "summary", str(folder))
    assert summary.returncode == 0, summary.stderr

    # Two reviewers appraised PATHWAYS-HOME independently; compare, then merge.
    a, b = DATA / "pathways-home-reviewer-a.yaml", DATA / "pathways-home-reviewer-b.yaml"
    compared = cli(data_dir, "compare", str(a), str(b))
    assert compared.returncode == 0, compared.stderr
    merged = tmp_path / "consensus.yaml"
    assert cli(data_dir, "consensus", str(a), str(b), "-o", str(merged)).returncode == 0
    waiting = open_items(load_appraisal(merged).appraisal)
    assert waiting

    term = Journey(data_dir, "open", str(merged), size=size)
    try:
        term.sees(f"{len(waiting)} open of {len(waiting)}", "a Take A", "b Take B")
        for number, item in enumerate(waiting, 1):
            took_b = item.b.answer is not None
            term.type("b" if took_b else "a")
            term.sees(f"{len(waiting) - number} open of {len(waiting)}", "Resolved: took")
            if number < len(waiting):
                term.type("Down")
                term.sees("Open: a takes")  # the next item, still open, is the one on show
        term.sees(f"0 open of {len(waiting)}")
        term.type("Escape")
        term.sees("1-9 Answer")
        term.ends()
    finally:
        term.close()

    assert open_items(load_appraisal(merged).appraisal) == []
    validated = cli(data_dir, "validate", str(merged))
    assert validated.returncode == 0, validated.stdout + validated.stderr
