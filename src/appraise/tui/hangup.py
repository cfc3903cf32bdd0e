"""When the terminal goes away or the app is asked to stop (SIGHUP, SIGTERM): save everything, then end.

Processes were found hung for hours after their terminal had gone, ignoring SIGTERM: Textual's
writer thread dies of the first write that fails (EIO), its queue fills, and the app's thread
then waits on that queue for ever, so the event loop (and a signal handler of the loop's) never
runs again. Two things make sure that cannot happen:

- ``guarded`` gives the terminal driver an output that swallows failed writes (there is nobody
  left to show them to) and raises SIGHUP once, so the app ends as when the kernel hangs up;
- the signal handlers are Python's own, which run even while the app's thread is blocked: they
  ask the event loop to save everything and exit, and start a watchdog that ends the process
  after ``EXIT_GRACE`` seconds if the loop never gets there.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import IO, Any

from textual.app import App
from textual.driver import Driver

EXIT_GRACE = 5.0
"""Seconds the app has to save and end by itself after a signal asked it to stop."""


class TerminalOutput:
    """The driver's output file, which stops writing (and raises SIGHUP once) when the terminal has gone."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except (OSError, ValueError):  # EIO from a hung-up terminal, or a closed file
                self._hang_up()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self._hang_up()

    def _hang_up(self) -> None:
        self.gone = True
        os.kill(os.getpid(), signal.SIGHUP)  # the terminal is gone: end as when the kernel says so

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)  # fileno, isatty, encoding: the terminal's own


def guarded(driver_class: type[Driver]) -> type[Driver]:
    """The terminal driver with output that survives the terminal going away (other drivers as they are)."""
    if sys.platform == "win32":
        return driver_class
    from textual.drivers.linux_driver import LinuxDriver

    if not issubclass(driver_class, LinuxDriver):
        return driver_class  # headless, a browser (textual-serve) or an inline driver

    class GuardedDriver(driver_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            output: Any = getattr(self, "_file")  # noqa: B009  (Textual gives it no type)
            self._file = TerminalOutput(output)

    return GuardedDriver


def end_on_signals(app: App[Any], flush: Callable[[], None]) -> None:
    """On SIGHUP (terminal closed) and SIGTERM (asked to stop), save everything as quit does, then exit.

    The save runs on the app's event loop, so it sees a consistent model; without it Python would
    end at once and typed text still waiting for its save would be lost.
    """
    if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
        return  # signal handlers are for the main thread, and these signals for Unix
    loop = asyncio.get_running_loop()
    saved = threading.Event()
    asked = threading.Event()

    def save_and_exit() -> None:
        try:
            flush()
            saved.set()
        finally:
            app.exit()

    def end_now() -> None:
        os._exit(0 if saved.is_set() else 1)  # 1: the loop never got to save

    def on_signal(number: int, frame: FrameType | None) -> None:
        if asked.is_set():
            return  # already on the way out
        asked.set()
        watchdog = threading.Timer(EXIT_GRACE, end_now)
        watchdog.daemon = True
        watchdog.start()
        try:
            loop.call_soon_threadsafe(save_and_exit)
        except RuntimeError:  # the loop has closed: the app has ended and saved already
            os._exit(128 + number)

    for number in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, on_signal)
