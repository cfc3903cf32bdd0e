"""A locked appraisal in the app: every key or dialog that would change it says so, in one message.

Whether it is locked, and what the message says, is decided in :mod:`appraise.core.locks`; the
editing session raises :class:`~appraise.core.locks.Locked` for any change. Screens mark the
handlers that edit with :func:`refuses_when_locked`, which checks before the handler runs (so no
dialog opens for a change that cannot be made) and turns a refusal inside it into the message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from textual.widget import Widget

from appraise.core.locks import Locked

F = TypeVar("F", bound=Callable[..., Any])


def tell_locked(widget: Widget, locked: Locked) -> None:
    """Show who locked the appraisal and how to unlock it (naming the file, for the command)."""
    store = getattr(widget, "store", None) or getattr(getattr(widget, "saver", None), "store", None)
    widget.notify(
        locked.message(_shown(store.path) if store else "FILE"),
        title="Read-only",
        severity="warning",
        markup=False,
        timeout=8,
    )


def _shown(path: Path) -> str:
    """The file as the reader would type it here: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def refuses_when_locked(method: F) -> F:
    """A handler of a screen with a ``session`` that changes the appraisal: refused when it is locked."""

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            self.session.ensure_editable()
            return method(self, *args, **kwargs)
        except Locked as locked:
            tell_locked(self, locked)
            return None

    return cast(F, guarded)


__all__ = ["refuses_when_locked", "tell_locked"]
