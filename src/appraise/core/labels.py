"""How answers and judgements read, in words: one function each, used by the app, reports, compare and practice.

A colour never stands alone (see :mod:`appraise.core.palette`); these words go with it. ``label`` is
the full wording for reports and tables; ``short`` fits a badge in the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from appraise.core.checklist import NOT_APPLICABLE, NOT_REACHED, Question, Section

NOT_ANSWERED = "Not answered"
NOT_ASKED = "Not asked"


@dataclass(frozen=True)
class JudgementLabel:
    """A judgement code in words, with its level of concern (which picks colour and glyph)."""

    code: str | None
    label: str
    short: str
    concern: str


def judgement_label(section: Section, code: str | None, state: str = "judged") -> JudgementLabel:
    """What a section's judgement code reads as; ``state`` is the engine's (``appraiser``, ``judged``, …)."""
    if not section.judgements:
        return JudgementLabel(code, "Not judged (no score by design)", "no score", "na")
    if code == NOT_APPLICABLE:
        return JudgementLabel(code, "Not applicable", "not applicable", "na")
    if code is None and state == "appraiser":
        return JudgementLabel(code, "Reviewer's judgement not yet given", "appraiser's call", "none")
    if code is None:
        return JudgementLabel(code, "Not yet judged (answers missing)", "incomplete", "none")
    found = section.judgement(code)
    if found is None:  # a code this checklist version does not know: shown as it is, never hidden
        return JudgementLabel(code, code, code, "none")
    return JudgementLabel(code, found.label, found.label, found.concern)


def answer_label(question: Question | None, code: str | None, *, asked: bool | None = True) -> str:
    """What an answer code reads as: the option's label, "Not asked", "Not answered", or the code itself."""
    if code is None:
        return NOT_ANSWERED
    option = question.option(code) if question is not None and question.kind == "choice" else None
    if option is not None and asked is not False:
        return option.label
    return NOT_ASKED if code == NOT_REACHED else code
