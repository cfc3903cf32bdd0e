"""Every key grammar of appraise, built and parsed in one place.

A *scoped* id names a section, question or the overall judgement, once for the study (``E``, ``B4``)
or for one outcome (``E@readmission``, ``E3@readmission``, ``overall@readmission``). Overrides in
appraisal files are keyed this way (a stable contract). Consensus items prefix it with what they are
(``judgement:C``, ``outcome:readmission.type``); the terminal app's navigation keys mark a section's
own card (an outcome list or a section without questions) with a leading ``@``.
"""

from __future__ import annotations

from typing import Literal

SCOPE = "@"
JUDGEMENT_ITEM = "judgement:"
OUTCOME_ITEM = "outcome:"

ItemKind = Literal["answer", "judgement", "outcome"]


def scoped(item_id: str, outcome_id: str | None = None) -> str:
    """``E`` for the study, ``E@readmission`` for one outcome."""
    return item_id if not outcome_id else f"{item_id}{SCOPE}{outcome_id}"


def unscope(key: str) -> tuple[str, str | None]:
    """``E@readmission`` → (``E``, ``readmission``); ``E`` → (``E``, None)."""
    item_id, _, outcome_id = key.partition(SCOPE)
    return item_id, outcome_id or None


def for_outcome(key: str, outcome_id: str) -> bool:
    """Whether a scoped key belongs to this outcome."""
    return unscope(key)[1] == outcome_id


def judgement_item(section_id: str, outcome_id: str | None = None) -> str:
    """The consensus item of a final judgement: ``judgement:C``, ``judgement:overall@readmission``."""
    return JUDGEMENT_ITEM + scoped(section_id, outcome_id)


def outcome_item(outcome_id: str, field: str) -> str:
    """The consensus item of an outcome's field: ``outcome:readmission.type``."""
    return f"{OUTCOME_ITEM}{outcome_id}.{field}"


def parse_item(key: str) -> tuple[ItemKind, str, str | None]:
    """A consensus item → (kind, target, outcome): ``B4``, ``E3@x``, ``judgement:C``, ``outcome:x.type``."""
    if key.startswith(JUDGEMENT_ITEM):
        section_id, outcome_id = unscope(key.removeprefix(JUDGEMENT_ITEM))
        return "judgement", section_id, outcome_id
    if key.startswith(OUTCOME_ITEM):
        outcome_id, _, field = key.removeprefix(OUTCOME_ITEM).rpartition(".")
        return "outcome", field, outcome_id
    question_id, outcome_id = unscope(key)
    return "answer", question_id, outcome_id


def section_card(section_id: str) -> str:
    """The navigation key of a section's own card (no question): ``@E``."""
    return SCOPE + section_id


def card_section(card: str) -> str | None:
    """The section of a navigation key made by :func:`section_card`, else None."""
    return card.removeprefix(SCOPE) if card.startswith(SCOPE) else None
