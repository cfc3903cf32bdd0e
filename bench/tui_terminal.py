"""Answer and advance in a real terminal: CPU per key of the whole process (every thread), keys sent by tmux.

    python bench/tui_terminal.py floor KEYS
    python bench/tui_terminal.py appraise KEYS APPRAISAL
    python bench/tui_terminal.py run floor|appraise [APPRAISAL]   (what runs inside the terminal)

Prints one JSON list of per-key CPU milliseconds. Each key is sent on its own, as a person types:
the next goes once the screen shows the last one and the process has gone quiet again. A key's
cost is the CPU time every thread of the app's process spent from sending it until then
(``/proc/PID/task/*/schedstat``, in nanoseconds), so the save thread is counted and nothing of
the measuring harness is: Textual's test pilot waits on every widget of the screen after each key,
which costs the app more the more widgets it has, and no terminal does that.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SESSION = f"appraise-bench-{os.getpid()}"
QUIET = 0.03
"""The process counts as quiet when it used no CPU for this long (seconds)."""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of ``pid`` so far, in nanoseconds (threads that ended are in the process's own)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended between the listing and the read
    return total


def wait(condition, what: str, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    """Poll until ``condition()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.002)  # a poll interval, not a wait for the app


def quiet(pid: int) -> int:
    """Wait until the process has used no CPU for QUIET seconds; its CPU time then."""
    last, since = cpu_ns(pid), time.monotonic()
    while time.monotonic() - since < QUIET:
        time.sleep(0.003)
        now = cpu_ns(pid)
        if now != last:
            last, since = now, time.monotonic()
    return last


def measure(which: str, keys: int, appraisal: str | None) -> list[float]:
    command = [sys.executable, str(Path(__file__).resolve()), "run", which] + ([appraisal] if appraisal else [])
    env = " ".join(f"{k}={v}" for k, v in (("APPRAISE_DATA_DIR", os.environ.get("APPRAISE_DATA_DIR", "")),) if v)
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", f"exec env {env} {' '.join(command)}")
    try:
        pid = int(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())
        screen = lambda: tmux("capture-pane", "-p", "-t", SESSION)  # noqa: E731
        ready = "pressed 0" if which == "floor" else "Answer"
        wait(lambda: ready in screen(), f"the {which} app's first screen")
        quiet(pid)
        costs = []
        for _ in range(keys):
            before_screen = screen()
            before = cpu_ns(pid)
            tmux("send-keys", "-t", SESSION, "1")
            wait(lambda shown=before_screen: screen() != shown, "the screen to show the key")
            costs.append((quiet(pid) - before) / 1e6)
        tmux("send-keys", "-t", SESSION, "C-q")
        wait(lambda: not Path(f"/proc/{pid}").exists(), "the app to exit", timeout=10)
        return costs
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def run(which: str, appraisal: str | None) -> None:
    """The app inside the terminal: the bare floor app, or appraise on the file, with no blinking cursor."""
    sys.path.insert(0, str(HERE))
    if which == "floor":
        from tui_floor import FloorApp

        class Floor(FloorApp):
            BINDINGS = [*FloorApp.BINDINGS, ("ctrl+q", "quit", "Quit")]

            def on_mount(self) -> None:
                self.query_one("#label").update("pressed 0")  # type: ignore[attr-defined]

        Floor().run()
        return
    import appraise.cli  # noqa: F401  (as `appraise FILE` does first)
    from appraise.tui import AppraiseApp

    assert appraisal is not None
    AppraiseApp(Path(appraisal), cursor_blink=False).run()


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
        sys.exit()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed: the real-terminal figure needs it")
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)))
