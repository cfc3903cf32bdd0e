"""Hints that make a problem message useful: "did you mean …?" and YAML's Yes/No trap."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def bool_hint(value: Any) -> str:
    """The hint for YAML 1.1's trap: an unquoted ``Yes``/``No`` is read as a boolean."""
    if isinstance(value, bool):
        word = "Yes" if value else "No"
        return f"; YAML reads an unquoted {word} as true/false, so write it in quotes: '{word}'"
    return ""


def suggestion(word: str, choices: Iterable[str]) -> str:
    """A "did you mean …?" tail for an unknown name, or nothing when no choice is close."""
    import difflib  # here, not at import: only a problem message needs it (~1 ms of every command)

    options = [str(c) for c in choices]
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        if str(word).lower() in lowered:
            close = [lowered[str(word).lower()]]
    return f"; did you mean {close[0]!r}?" if close else ""
