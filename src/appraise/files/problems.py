"""What is wrong with a file, and where: the one problem type every reader reports with.

A :class:`Problem` names a file, a line and column, and says what is wrong and what to do.
:class:`FileProblems` carries every problem found in a file (not just the first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from appraise.core.text import visible


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, pointing at where it is."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"
    """``error`` makes a file invalid; ``warning`` is reported but the file is usable."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        # Paths, keys and values quoted in messages come from the file: never let them act on a terminal.
        return visible(f"{where}: {prefix}{self.message}")


class FileProblems(Exception):
    """Raised when a file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def bool_hint(value: Any) -> str:
    """The hint for YAML 1.1's trap: an unquoted ``Yes``/``No`` is read as a boolean."""
    if isinstance(value, bool):
        word = "Yes" if value else "No"
        return f"; YAML reads an unquoted {word} as true/false, so write it in quotes: '{word}'"
    return ""


def suggestion(word: str, choices: Iterable[str]) -> str:
    """A "did you mean …?" tail for an unknown name, or nothing when no choice is close."""
    import difflib

    options = [str(c) for c in choices]
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        if str(word).lower() in lowered:
            close = [lowered[str(word).lower()]]
    return f"; did you mean {close[0]!r}?" if close else ""


__all__ = ["FileProblems", "Problem", "bool_hint", "suggestion"]
