"""End to end in a real terminal (tmux): answer with digit keys, SIGKILL the app, reopen, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from appraise.files.appstate import AppState
from appraise.files.paths import state_dir
from appraise.files.store import load_appraisal
from tests.conftest import require_tool, wait_for


class Tmux:
    """A private tmux server running one command in a pane of a fixed size."""

    def __init__(self, command: str, width: int = 100, height: int = 30) -> None:
        self.socket = f"appraise-test-{uuid.uuid4().hex[:8]}"
        self.run("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command)

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-t", "t", "-p")

    def wait_for(self, *texts: str, timeout: float = 15.0) -> str:
        """Wait until every text is on screen at once; the screen then."""
        return self.wait_until(lambda shown: all(text in shown for text in texts), f"{list(texts)!r}", timeout)

    def wait_until(self, done: Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
        """Poll the screen until ``done(screen)`` holds (the event the next key needs); fail naming it."""

        def holds() -> str | None:
            shown = self.screen()
            return shown if done(shown) else None

        return wait_for(holds, what, timeout, self.screen)

    def send(self, *keys: str) -> None:
        """Send keys in one burst, as a fast typist or a paste does (tmux key names or literal text)."""
        self.run("send-keys", "-t", "t", *keys)

    def keys(self, *keys: str, pause: float) -> None:
        """Type keys one by one at a steady rhythm (what a test of typing speed needs; not a wait)."""
        for key in keys:
            self.send(key)
            time.sleep(pause)

    def pid(self) -> int:
        return int(self.run("display-message", "-t", "t", "-p", "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def appraise_command(data_dir: Path, *args: str) -> str:
    argv = " ".join([sys.executable, "-m", "appraise", *args])
    # COLUMNS and LINES from the test runner would override the pane size Textual reads.
    return f"exec env -u COLUMNS -u LINES APPRAISE_DATA_DIR={data_dir} TERM=xterm-256color {argv}"


@pytest.mark.slow
def test_answers_survive_sigkill_and_the_app_resumes_where_it_was(tmp_path: Path, data_dir: Path) -> None:
    require_tool("tmux")
    path = tmp_path / "trial.yaml"
    term = Tmux(appraise_command(data_dir, "new", "-o", str(path)))
    try:
        term.wait_for("Study title", "^s Create")  # the form is up, its title field focused on mount
        term.send("PATHWAYS", "C-s")  # one burst: both go to the focused field, in order
        term.wait_for("A1", "1-9 Answer")  # the question card has the focus: digits reach it
        term.send("1", "1", "1", "1", "1", "2")  # A1–A4, B1, B2 = peer worker added to usual care
        term.wait_for("B3")
        # The position is written a moment after the last move: wait for it in the state file.
        term.wait_until(lambda _: AppState(state_dir(data_dir)).position(path) == ("B3", None), "the saved position")
        os.kill(term.pid(), signal.SIGKILL)
    finally:
        term.close()

    loaded = load_appraisal(path)
    assert loaded.problems == []
    assert loaded.appraisal.codes() == {"A1": "Y", "A2": "rct", "A3": "full", "A4": "Y", "B1": "Y", "B2": "peer_added"}
    assert not list(tmp_path.glob(".trial.yaml.*.tmp")), "a temporary file was left behind"

    again = Tmux(appraise_command(data_dir, "open", str(path)), width=120, height=40)
    try:
        again.wait_for("B3 ★  Principles")  # resumed at the question it was on
        shown = again.wait_for("B Definition 2/7")
        assert "A Design 4/4" in shown
        again.send("C-q")
    finally:
        again.close()
