"""End to end in a real terminal (tmux): answer with digit keys, SIGKILL the app, reopen, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from appraise.files.store import load_appraisal
from tests.conftest import require_tool


class Tmux:
    """A private tmux server running one command in a pane of a fixed size."""

    def __init__(self, command: str, width: int = 100, height: int = 30) -> None:
        self.socket = f"appraise-test-{uuid.uuid4().hex[:8]}"
        self.run("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command)

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-t", "t", "-p")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str, pause: float = 0.2) -> None:
        for key in keys:
            self.run("send-keys", "-t", "t", key)
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
        term.wait_for("New appraisal")
        term.keys(*"PATHWAYS", pause=0.05)
        term.keys("C-s")
        term.wait_for("A1")
        term.keys("1", "1", "1", "1", "1", "2")  # A1–A4, B1, B2 = peer worker added to usual care
        term.wait_for("B3")
        time.sleep(1.5)  # the position is remembered a moment after the last move
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
        again.keys("C-q")
    finally:
        again.close()
