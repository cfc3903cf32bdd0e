"""Keys in the order they were typed: a key is handled only once the keys before it have done their work.

Textual gives a key to the focused widget and looks up its binding only when the key has come
back up to the app, while a priority binding (Tab) acts at once, and each message a key causes
(an answer moving the card on) travels through queues of its own. Keys typed quickly (a fast
typist, a paste of keys, or any typing while the machine is busy) were therefore handled out of
order: in "1, Tab, note" the Tab moved the focus before the digit's binding was looked up, so the
answer was lost; or the answer moved the card on after the note was typed, and the note was
wiped. So a key that arrives while earlier keys are still at work is held, and handed on once
every message queue of the app and its screen is empty: what a slow typist gets, at any speed.
A key is never held longer than ``MAX_HOLD``, so a screen that keeps itself busy cannot freeze
the keyboard.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

MAX_HOLD = 2.0
"""Seconds a key waits at most for the keys before it to be done."""
LOOK_AGAIN = 0.002
"""Seconds between looks at the queues while a key is held (Textual's queues have no event for "empty")."""


def _at_work(pump: MessagePump) -> bool:
    """Whether a message pump has messages or callbacks waiting (Textual's queues count no handled ones)."""
    return bool(pump._message_queue.qsize() or pump._pending_message is not None or pump._next_callbacks)


class KeyOrder:
    """Holds keys back while the app is still at work on earlier ones, and hands them on in order."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._held: deque[events.Event] = deque()
        self._released: events.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def hold(self, event: events.Event) -> bool:
        """Whether the app must not handle this key now (it is handed back later, in order)."""
        if event is self._released:
            self._released = None
            return False
        if not self._held and not self._busy():
            return False
        self._held.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._release(), name="key order")
        return True

    def _busy(self) -> bool:
        """Whether the app or any widget of its screen still has messages to handle."""
        app = self.app
        if _at_work(app):
            return True
        try:
            screen = app.screen
        except Exception:  # no screen (starting or ending): nothing to wait for
            return False
        # A layout still to do: Tab follows where the fields are placed, and a field just shown
        # (the note, once an outcome exists) has no place until then, so Tab would skip it.
        if screen._layout_required or screen._callbacks:
            return True
        return any(_at_work(widget) for widget in screen.walk_children(with_self=True))

    async def _release(self) -> None:
        """Hand the held keys back to the app one at a time, each once the app is quiet."""
        loop = asyncio.get_running_loop()
        while self._held:
            deadline = loop.time() + MAX_HOLD
            await asyncio.sleep(0)
            while self._busy() and loop.time() < deadline:
                await asyncio.sleep(LOOK_AGAIN)
            event = self._held.popleft()
            self._released = event
            self.app.post_message(event)
