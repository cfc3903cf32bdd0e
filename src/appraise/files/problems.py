"""What is wrong with a file, and where: the one problem type every reader reports with.

A :class:`Problem` names a file, a line and column, and says what is wrong and what to do.
:class:`FileProblems` carries every problem found in a file (not just the first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from appraise.core.hints import bool_hint, suggestion  # re-exported: they lived in yamlio before
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


__all__ = ["FileProblems", "Problem", "bool_hint", "suggestion"]
