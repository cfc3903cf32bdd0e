"""End to end in a real terminal (tmux): answer with digit keys, SIGKILL the app, reopen, nothing lost."""

from __future__ import annotations

import array
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from appraise.files.appstate import AppState
from appraise.files.paths import state_dir
from appraise.files.store import load_appraisal
from tests.conftest import DATA, require_tool, wait_for


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


def _gone(pid: int) -> bool:
    """Whether a child process has ended (reaped here) or was never ours (reaped by tmux)."""
    try:
        ended, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: tmux reaps it; look whether it is still there
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return ended == pid


def open_trial(tmp_path: Path, data_dir: Path) -> tuple[Path, Tmux]:
    """The PATHWAYS-HOME appraisal copied to ``trial.yaml`` and opened in a 120x40 tmux terminal."""
    require_tool("tmux")
    path = tmp_path / "trial.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    return path, Tmux(appraise_command(data_dir, "open", str(path)), width=120, height=40)


@pytest.mark.slow
def test_quitting_as_the_terminal_is_killed_leaves_no_process_behind(tmp_path: Path, data_dir: Path) -> None:
    _, term = open_trial(tmp_path, data_dir)
    try:
        term.wait_for("G1", "1-9 Answer")
        pid = term.pid()
        term.send("C-q")
    finally:
        term.close()  # at once: the app is still quitting when its terminal goes
    wait_for(lambda: _gone(pid), f"the app (pid {pid}) to end after its terminal was killed", timeout=15)


def _waits_on_a_lock(pid: int) -> bool:
    """Whether the main thread of a process sleeps on a futex: a lock or a full queue (/proc's wchan)."""
    return "futex" in Path(f"/proc/{pid}/task/{pid}/wchan").read_text()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and a Linux pty's buffer")
def test_a_terminal_that_stops_reading_and_then_goes_away_leaves_no_process_behind(
    tmp_path: Path, data_dir: Path
) -> None:
    """The app stuck writing to a terminal that no longer reads (its output buffer full), which is
    then closed: it saves, ends, and does not hang for ever ignoring SIGTERM, as it once did."""
    path = tmp_path / "trial.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    env |= {"APPRAISE_DATA_DIR": str(data_dir), "TERM": "xterm-256color"}
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its terminal, 120×40, and the app runs in it
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            os.execve(sys.executable, [sys.executable, "-m", "appraise", "open", str(path)], env)
        finally:
            os._exit(127)  # never run the rest of the tests in the child
    try:
        shown = bytearray()

        def drawn() -> bool:
            if select.select([master], [], [], 0.05)[0]:
                shown.extend(os.read(master, 65536))
            return b"Answer" in shown

        wait_for(drawn, "the app on screen")

        def unread() -> int:
            count = array.array("i", [0])
            fcntl.ioctl(master, termios.FIONREAD, count)
            return count[0]

        looks: list[bool] = []

        def stuck() -> bool:  # the output buffer full, and the app's thread waiting to write more
            os.write(master, b"jk" * 20)  # typing on: each key redraws the card, and nobody reads it
            looks.append(unread() >= 4000 and _waits_on_a_lock(pid))
            return looks[-5:] == [True] * 5

        wait_for(stuck, "the app stuck writing to the full terminal")
    finally:
        os.close(master)  # the terminal goes away
    try:
        wait_for(lambda: _gone(pid), f"the app (pid {pid}) to end after its terminal went away", timeout=20)
    finally:
        if not _gone(pid):  # a failed run leaves no hung process behind either
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    assert load_appraisal(path).problems == []
