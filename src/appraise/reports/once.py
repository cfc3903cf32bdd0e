"""Parts of a page drawn thousands of times with the same arguments, drawn once: the summary's rows of judgements."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

_EACH = object()
"""Marks :meth:`Once.each`'s entries apart from a macro's own."""


class Once:
    """A template's macro called once per distinct arguments; the same drawing for the next call.

    10,000 rows repeat a few hundred patterns of judgements, each a shared tuple of shared cells: with
    :meth:`each`, a row's cells are one look-up, and a new pattern is joined from cells already drawn.
    Arguments that are not plain values count by identity (and are kept, so an identity is never reused).
    """

    def __init__(self) -> None:
        self._drawn: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...], Any]] = {}

    def __call__(self, macro: Any, *args: Any) -> Any:
        key = (id(macro), *(a if isinstance(a, str | int | float | None) else id(a) for a in args))
        found = self._drawn.get(key)
        if found is None:
            found = self._drawn[key] = (macro, args, macro(*args))
        return found[2]

    def each(self, macro: Any, items: tuple[Any, ...], *args: Any) -> Any:
        """``macro(item, *args)`` for each item, joined: each distinct item drawn once, each tuple joined once.

        A row's cells repeat across patterns (a page of 1,000 studies has hundreds of patterns of
        judgements, but a few dozen distinct cells): the pattern is then a join of drawings already made.
        """
        key = (_EACH, id(macro), id(items), *args)
        found = self._drawn.get(key)
        if found is None:
            drawn = [self(macro, item, *args) for item in items]
            joined = "".join(drawn)
            # An escaping template (HTML, SVG) draws Markup: the joined drawing is Markup too, not escaped again.
            if drawn and isinstance(drawn[0], Markup):
                joined = Markup(joined)
            found = self._drawn[key] = (macro, (items, *args), joined)
        return found[2]
