"""``appraise serve``: the app in a real browser, one data folder per browser session, safe defaults."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

import appraise
from appraise.cli import cli
from appraise.cli.serve import exposure_warning, is_loopback
from tests.conftest import ROOT, chromium, wait_for


def free_port() -> int:
    """A port nothing listens on, on the loopback interface only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``appraise serve --classroom`` started from another folder; its URL and its sessions folder."""
    port, sessions, elsewhere = free_port(), tmp_path / "sessions", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "appraise", "serve", "--classroom", "--port", str(port), "--sessions", str(sessions)],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # so the sessions it starts are stopped with it
    )
    try:
        wait_for(lambda: listening(port) or server.poll() is not None, "the server to listen")
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        yield f"http://127.0.0.1:{port}/", sessions
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path / "profile") as driver:
        yield driver


class Terminal:
    """The served app's terminal in the page: type into it, and wait for it to repaint."""

    def __init__(self, driver: Any) -> None:
        from selenium.webdriver.common.by import By

        self.driver, self.by = driver, By
        wait_for(lambda: "-first-byte" in (self.body().get_attribute("class") or ""), "the app's first output")
        self.shown = self.settled()

    def body(self) -> Any:
        return self.driver.find_element(self.by.TAG_NAME, "body")

    def picture(self) -> bytes:
        shot: bytes = self.driver.find_element(self.by.CSS_SELECTOR, "canvas.xterm-text-layer").screenshot_as_png
        return shot

    def settled(self) -> bytes:
        """The terminal once two pictures in a row agree (the app has finished painting)."""
        last = [self.picture()]

        def same() -> bytes | None:
            now = self.picture()
            agree, last[0] = now == last[0], now
            return now if agree else None

        return wait_for(same, "the terminal to settle")

    def press(self, keys: str) -> None:
        """Type ``keys`` and wait until the app has repainted in answer."""
        self.driver.find_element(self.by.CSS_SELECTOR, "textarea.xterm-helper-textarea").send_keys(keys)
        wait_for(lambda: self.picture() != self.shown, f"the app to answer {keys!r}")
        self.shown = self.settled()


def practice_files(sessions: Path) -> list[Path]:
    return sorted(sessions.glob("session-*/practice/*.yaml"))


@pytest.mark.slow
def test_student_in_a_browser_practises_and_the_answer_is_saved_in_their_session(
    served: tuple[str, Path], browser: Any, data_dir: Path
) -> None:
    from selenium.webdriver.common.keys import Keys

    url, sessions = served
    browser.get(url)
    terminal = Terminal(browser)
    terminal.press("p")  # Practise: the list of vignettes
    terminal.press(Keys.ENTER)  # the first vignette: its practice file is made in the session's folder
    (practice,) = wait_for(lambda: practice_files(sessions), "the practice file")
    terminal.press("1")  # the first question's first answer, saved at once

    def saved() -> dict[str, Any] | None:
        answers = (yaml.safe_load(practice.read_text(encoding="utf-8")) or {}).get("answers") or {}
        return answers or None

    answers = wait_for(saved, "the answer on disk")
    assert not data_dir.exists(), "the server wrote into the account's own data folder"
    checklist_id = yaml.safe_load(practice.read_text(encoding="utf-8"))["checklist"]["id"]
    first = appraise.load_checklist(checklist_id).sections[0].questions[0]
    assert answers == {first.id: {"answer": first.options[0].code}}
    terminal.press("f")  # feedback against the model answer: the app repaints with it, and keeps running
    assert "-closed" not in (terminal.body().get_attribute("class") or "")


@pytest.mark.slow
def test_each_browser_session_starts_with_an_empty_folder_of_its_own(served: tuple[str, Path], browser: Any) -> None:
    url, sessions = served
    from selenium.webdriver.common.keys import Keys

    browser.get(url)
    first = Terminal(browser)
    first.press("p")
    first.press(Keys.ENTER)
    (practice,) = wait_for(lambda: practice_files(sessions), "the first session's practice file")
    browser.get(url)  # a reload is a new session
    Terminal(browser)

    def two() -> list[Path] | None:
        found = sorted(sessions.glob("session-*"))
        return found if len(found) == 2 else None

    folders = wait_for(two, "a second session folder")
    (second,) = [folder for folder in folders if not practice.is_relative_to(folder)]
    assert not any(second.glob("practice/*")) and not any(second.glob("appraisals/*")), "a new session sees old work"


def test_serve_listens_on_loopback_unless_told_otherwise() -> None:
    command = cli.get_command(click.Context(cli), "serve")
    assert command is not None
    host = next(p for p in command.params if p.name == "host")
    assert host.default == "127.0.0.1" and is_loopback(host.default)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_serving_on_loopback_prints_no_warning(host: str) -> None:
    assert exposure_warning(host, 8000, classroom=True) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "classroom.local"])
def test_serving_on_a_network_warns_who_can_reach_it(host: str) -> None:
    warning = exposure_warning(host, 8123, classroom=False)
    assert warning is not None and host in warning and "8123" in warning and "any file" in warning


def test_a_classroom_warning_does_not_claim_files_are_open() -> None:
    warning = exposure_warning("0.0.0.0", 8000, classroom=True)
    assert warning is not None and "any file" not in warning


def test_serving_on_a_port_in_use_says_so_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "appraise", "serve", "--port", str(port), "--sessions", str(tmp_path / "s")],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and all(o in result.output for o in ("--host", "--port", "--classroom"))
