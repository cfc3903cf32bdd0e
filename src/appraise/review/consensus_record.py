"""The consensus record's models: what each reviewer said about an item, and how it was settled.

These are the shapes of the ``consensus:`` key of a consensus appraisal (see
:mod:`appraise.review.consensus`, which builds and resolves them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from appraise.core.appraisal import Record, Text, answer_shorthand
from appraise.core.keys import ItemKind

KEY = "consensus"
"""The top-level key of the consensus record in an appraisal file."""

Choice = str
"""A reviewer's side by letter: ``a``, ``b``, ``c`` …"""
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class ConsensusError(ValueError):
    """A consensus record that cannot be read, or a resolution that cannot be applied."""


class Side(Record):
    """What one reviewer said about an item."""

    answer: Text | None = Field(None, description="The answer code, final judgement or field value.")
    asked: bool = Field(True, description="False when the question was not asked of this reviewer (reads NA).")
    note: Text = ""
    quote: Text = ""
    page: Text = ""
    by: Literal["rules", "reviewer"] | None = Field(None, description="Judgements: the rules' or the reviewer's own.")
    reason: Text = Field("", description="Judgements: the reviewer's reason for their own judgement.")
    proposed: Text | None = Field(None, description="Judgements: what the rules proposed, where overridden.")


class Item(Record):
    """One thing the reviewers did not all say alike, and how the consensus settled it."""

    status: Literal["open", "resolved"] = "open"
    a: Side = Field(default_factory=Side)
    b: Side = Field(default_factory=Side)
    more: dict[str, Side] = Field(
        default_factory=dict, description="Sides c, d, … of a third and further reviewers (written as c:, d:)."
    )
    chosen: Text | None = Field(None, pattern=r"^([a-z]|new)$", description="a, b, c … or new.")
    answer: Text | None = None
    reason: Text = ""
    resolved_by: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _further_sides(cls, data: Any) -> Any:
        # A third reviewer's side is written "c:" beside "a:" and "b:"; keep them together under `more`.
        if isinstance(data, dict):
            letters = [k for k in data if isinstance(k, str) and len(k) == 1 and k in LETTERS[2:]]
            if letters:
                more = {**(data.get("more") or {}), **{k: data[k] for k in letters}}
                data = {k: v for k, v in data.items() if k not in letters} | {"more": more}
        return data

    @field_validator("a", "b", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # "a: Y" means "a: {answer: Y}", as in the answers of an appraisal file; "a:" means nothing said.
        return {} if value is None else answer_shorthand(value)

    @field_validator("more", mode="before")
    @classmethod
    def _shorthand_more(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {k: {} if v is None else answer_shorthand(v) for k, v in value.items()}

    @property
    def sides(self) -> dict[str, Side]:
        """Every reviewer's side by letter, in file order."""
        return {"a": self.a, "b": self.b, **dict(sorted(self.more.items()))}


class ConsensusRecord(Record):
    """Both reviewers, their files, and every item the consensus had to settle."""

    reviewers: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    items: dict[str, Item] = Field(default_factory=dict)
    matches: list[Text] = Field(
        default_factory=list,
        description="Outcomes linked by hand, as FILE:OUTCOME=OUTCOME (--match, or fixed in the resolve view).",
    )

    def to_data(self) -> dict[str, Any]:
        """Plain data for the file: empty fields left out, so items stay short."""
        data = self.model_dump(mode="json")
        data["items"] = {key: _item_data(item) for key, item in self.items.items()}
        if not self.matches:
            del data["matches"]  # files without links by hand look as they always did
        return data


def _item_data(item: Item) -> dict[str, Any]:
    # Status and every side always, in that order (c:, d: … flat beside a: and b:); everything else
    # only when it says something.
    return {
        "status": item.status,
        **{letter: side.model_dump(mode="json", exclude_defaults=True) for letter, side in item.sides.items()},
        **item.model_dump(mode="json", exclude_defaults=True, exclude={"status", "a", "b", "more"}),
    }


@dataclass(frozen=True)
class ConsensusItem:
    """An item of the consensus record, as the app shows it: what, every side, and its state."""

    key: str
    kind: ItemKind
    target: str
    """The question id, the section id (``overall`` too) or the outcome field."""
    outcome_id: str | None
    a: Side
    b: Side
    status: Literal["open", "resolved"]
    chosen: str | None = None
    """``a``, ``b``, ``c`` … or ``new``."""
    answer: str | None = None
    reason: str = ""
    resolved_by: str = ""
    more: dict[str, Side] = field(default_factory=dict)
    """Sides c, d, … of further reviewers."""

    @property
    def sides(self) -> dict[str, Side]:
        """Every reviewer's side by letter, in file order."""
        return {"a": self.a, "b": self.b, **dict(sorted(self.more.items()))}


__all__ = ["KEY", "LETTERS", "Choice", "ConsensusError", "ConsensusItem", "ConsensusRecord", "Item", "Side"]
