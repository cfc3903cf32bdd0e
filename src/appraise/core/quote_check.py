"""One quote's check against the attached documents, as a result: status, pages, and its words.

Apart from :mod:`appraise.core.quotes` (the text's key form and the search) so that a report of an
appraisal without a paper states "not checked" without importing the search machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QuoteStatus = Literal["found", "elsewhere", "not_found", "unchecked"]
"""found on its page (or anywhere when no page is given) / on another page / nowhere / not checked."""


@dataclass(frozen=True)
class QuoteCheck:
    """The result of checking one quote against the attached documents."""

    status: QuoteStatus
    pages: tuple[int, ...] = ()
    """Where the quote was found (1-based indexes in ``document``)."""
    document: str = ""
    score: float = 0.0
    reason: str = ""
    """Why a quote is unchecked (no paper, the paper's text could not be read…)."""

    @property
    def checked(self) -> bool:
        """Whether the quote was compared with the paper at all."""
        return self.status != "unchecked"

    @property
    def mark(self) -> str:
        """A short mark for tables and the TUI: ✓ found, ≠ another page, ✗ not found, ? unchecked."""
        return {"found": "✓", "elsewhere": "≠", "not_found": "✗", "unchecked": "?"}[self.status]

    def describe(self) -> str:
        """One line a reader understands."""
        where = f" in the {self.document}" if self.document and self.document != "paper" else ""
        pages = ", ".join(str(p) for p in self.pages)
        if self.status == "found":
            return f"found{where} on page {pages}" if pages else f"found{where}"
        if self.status == "elsewhere":
            return f"found{where} on page {pages}, not on the page given"
        if self.status == "not_found":
            return "not found in the paper"
        return f"not checked ({self.reason})" if self.reason else "not checked"
