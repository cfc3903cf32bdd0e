"""Faults in a real terminal (tmux): hostile files, SIGHUP while typing, SIGKILL while typing, racing writers."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from appraise.files.store import AppraisalStore, ChangedOnDisk, load_appraisal
from tests.conftest import require_tool, wait_for
from tests.hardening.hostile import hostile_appraisal
from tests.tui.test_real_terminal import Tmux, appraise_command, open_trial

DATA = Path(__file__).parent.parent / "data"


def wait_until_gone(pid: int, timeout: float = 15.0) -> None:
    """Wait for a process to end (it is the pane's process, reaped by tmux)."""

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(gone, f"process {pid} to end", timeout)


def notes(path: Path) -> list[str]:
    appraisal = load_appraisal(path).appraisal
    return [a.note for a in appraisal.answers.values() if a.note]


@pytest.mark.slow
def test_hostile_file_changes_no_title_clipboard_or_screen(tmp_path: Path, data_dir: Path) -> None:
    require_tool("tmux")
    path = hostile_appraisal(tmp_path)
    term = Tmux(appraise_command(data_dir, "open", str(path)), width=120, height=40)
    try:
        term.run("set-option", "-g", "set-clipboard", "on")  # let OSC 52 reach tmux's buffers, if any is sent
        before = term.run("display-message", "-t", "t", "-p", "#{pane_title}")
        term.wait_for("G1")
        term.wait_for("1-9 Answer")  # the question card has the focus
        term.send(*["pageup"] * 6)  # back to section B, where B1 holds the hostile note
        term.wait_for("B1")
        section_b = term.screen()
        term.send("i")  # the help pane
        term.wait_until(lambda shown: shown != section_b, "the help pane toggled")
        term.send("r")  # the report screen
        term.wait_for("e Export")
        term.send("escape")
        term.wait_for("1-9 Answer")
        shown = term.run("capture-pane", "-t", "t", "-p", "-e")
        title = term.run("display-message", "-t", "t", "-p", "#{pane_title}")
        buffers = term.run("list-buffers")
        term.send("C-q")
    finally:
        term.close()
    assert title == before and "PWNED" not in title
    assert "UFdORUQ" not in buffers and "PWNED" not in buffers
    assert "\x1b]" not in shown  # no OSC (title, clipboard, hyperlink) came through to the pane


@pytest.mark.slow
def test_sighup_while_typing_saves_what_was_typed(tmp_path: Path, data_dir: Path) -> None:
    path, term = open_trial(tmp_path, data_dir)
    try:
        term.wait_for("G1", "1-9 Answer")
        term.send("tab")
        term.wait_until(lambda shown: "1-9 Answer" not in shown, "the focus in the note")
        term.keys(*"hangup", pause=0.02)
        # Shown means the app has handled every key: a key still in its input queue when the signal's save
        # runs cannot be in that save (the likely cause of this test's one failure, on a busy machine).
        term.wait_for("hangup")
        pid = term.pid()
        os.kill(pid, signal.SIGHUP)  # at once: the typing delay (0.8 s of quiet) has not run out
        wait_until_gone(pid)
    finally:
        term.close()
    assert "hangup" in notes(path)


@pytest.mark.slow
def test_steady_typing_is_on_disk_within_about_a_second_even_if_killed_while_typing(
    tmp_path: Path, data_dir: Path
) -> None:
    typed = "steadytypingneverstopsforaquietspell"
    path, term = open_trial(tmp_path, data_dir)
    try:
        term.wait_for("G1", "1-9 Answer")
        term.send("tab")
        term.wait_until(lambda shown: "1-9 Answer" not in shown, "the focus in the note")
        term.keys(*typed, pause=0.1)  # a key every 0.1 s: the 0.8 s quiet spell never comes
        os.kill(term.pid(), signal.SIGKILL)
    finally:
        term.close()
    saved = [n for n in notes(path) if typed.startswith(n)]
    assert saved and len(saved[0]) >= 10, f"nothing typed was saved while typing: {notes(path)}"


@pytest.mark.parametrize("round_", range(20))
def test_two_instances_racing_on_one_file_never_lose_a_write_silently(tmp_path: Path, round_: int) -> None:
    path = tmp_path / "trial.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    stores = [AppraisalStore(path), AppraisalStore(path)]
    loaded = [store.load() for store in stores]
    for i, item in enumerate(loaded):
        item.appraisal.reviewer = f"instance {i}"
    start = threading.Barrier(2)
    outcome: dict[int, str] = {}

    def save(i: int) -> None:
        start.wait()
        try:
            stores[i].save(loaded[i].appraisal)
            outcome[i] = "written"
        except ChangedOnDisk:
            outcome[i] = "told"

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome.values()) == ["told", "written"]  # one wins, the other is told, never both
    winner = next(i for i, what in outcome.items() if what == "written")
    assert load_appraisal(path).appraisal.reviewer == f"instance {winner}"


def _kill_at_random(args: list[str], delay: float) -> None:
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "appraise", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()


@pytest.mark.slow
def test_sigkill_at_random_moments_of_import_never_leaves_empty_files_or_duplicates(tmp_path: Path) -> None:
    import random

    refs = tmp_path / "refs.ris"
    refs.write_text(
        "".join(f"TY  - JOUR\nTI  - Study number {i}\nPY  - 2020\nER  - \n" for i in range(40)), encoding="utf-8"
    )
    out = tmp_path / "out"
    chance = random.Random(16)
    for _ in range(20):
        _kill_at_random(["import", str(refs), "-d", str(out)], chance.uniform(0.2, 1.5))
        for path in out.glob("*.yaml"):
            load_appraisal(path)  # every file there is whole: it reads
    _kill_at_random(["import", str(refs), "-d", str(out)], 60)  # and a last run to the end
    titles = sorted(load_appraisal(p).appraisal.study.title for p in out.glob("*.yaml"))
    assert titles == sorted(f"Study number {i}" for i in range(40))  # each once: no duplicate, none lost
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.slow
def test_sigkill_at_random_moments_of_consensus_leaves_no_half_file(tmp_path: Path) -> None:
    import random

    a = DATA / "pathways-home-reviewer-a.yaml"
    b = DATA / "pathways-home-reviewer-b.yaml"
    chance = random.Random(17)
    for i in range(20):
        target = tmp_path / f"consensus-{i}.yaml"
        _kill_at_random(["consensus", str(a), str(b), "-o", str(target)], chance.uniform(0.1, 1.2))
        if target.exists():
            load_appraisal(target)  # written whole, or not at all


KEYS = ["1", "1", "1", "1", "1", "2"]
"""Digit keys answer the question on show and move on: A1–A4, B1 with option 1, B2 with option 2."""
TYPED = "killedwhiletyping"


def subsequence(part: str, whole: str) -> bool:
    """``part`` is ``whole`` with some characters left out (a loaded terminal may drop a key, never add one)."""
    rest = iter(whole)
    return all(char in rest for char in part)


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(20))
def test_sigkill_at_a_random_moment_in_a_real_terminal_leaves_a_whole_file(
    tmp_path: Path, data_dir: Path, round_: int
) -> None:
    import random

    import appraise
    from appraise.core.appraisal import Study
    from appraise.files.store import new_appraisal, write_appraisal

    require_tool("tmux")
    rng = random.Random(round_)  # the same moments every run
    path = tmp_path / "trial.yaml"
    write_appraisal(path, new_appraisal(appraise.load_checklist("peer-support"), Study(title="A trial", year="2025")))
    keys = [*KEYS, "tab", *TYPED]
    stop = rng.randint(1, len(keys))  # killed after this many keys …
    term = Tmux(appraise_command(data_dir, "open", str(path)), width=120, height=40)
    try:
        term.wait_for("A1")
        for key in keys[:stop]:
            term.keys(key, pause=rng.uniform(0.02, 0.15))
        answered = min(sum(key in "12" for key in keys[:stop]), len(KEYS))
        if rng.random() < 0.5:  # … and either at once (mid-save or mid-debounce) or once the answers are on disk
            wait_for(lambda: len(load_appraisal(path).appraisal.codes()) >= answered, "the answers on disk")
        os.kill(term.pid(), signal.SIGKILL)
    finally:
        term.close()
    loaded = load_appraisal(path)
    assert loaded.problems == [], "the file was torn"
    questions = appraise.load_checklist("peer-support").questions
    walk = ["A1", "A2", "A3", "A4", "B1", "B2"]
    saved = loaded.appraisal.codes()
    assert list(saved) == walk[: len(saved)]  # answered in order, nothing skipped or invented …
    assert all(code in [o.code for o in questions[q].options[:2]] for q, code in saved.items())  # … by keys 1 and 2
    assert all(subsequence(note, TYPED) for note in notes(path))
    for temp in tmp_path.glob(".trial.yaml.*.tmp"):  # a write killed half-way: cleared at the next open
        os.utime(temp, (time.time() - 120, time.time() - 120))
    AppraisalStore(path).load()
    assert not list(tmp_path.glob(".trial.yaml.*.tmp"))
