"""Two reviewers' appraisals merged into one consensus appraisal, and its disagreements resolved.

:func:`build_consensus` makes a normal appraisal (valid for ``appraise validate``, loadable by
:func:`appraise.files.store.load_appraisal`) from two appraisals of one study:

* an answer both reviewers gave is kept, with their notes, quotes and pages combined so that
  nothing either wrote is lost: the same text once, one reviewer's text as it is, two different
  texts as ``A: … / B: …``;
* an answer they gave differently (``NA`` against an answer, where a question was asked of only
  one of them), or that only one gave, is left unanswered and recorded as an open item;
* a final judgement either reviewer made their own (an override) is kept when both reached it,
  with both reasons, and is an open item otherwise. Judgements both left to the rules are not
  items: they follow from the consensus answers;
* outcome fields the rules read (type, primary, finding) must agree too; while open, type and
  finding are left empty and primary keeps reviewer A's value.

The record lives under the extra top-level key ``consensus`` (appraisal files keep keys appraise
does not know), in block YAML that is easy to edit by hand::

    consensus:
      reviewers: [Alex Morgan, Bea Lund]          # reviewer A, reviewer B
      sources: [alex.yaml, bea.yaml]
      items:                                      # only what the reviewers did not both say
        B4:                                       # a question; E3@readmission per outcome
          status: open                            # open | resolved
          a: {answer: "Y", note: …, quote: …, page: "6"}
          b: {answer: "P", note: …}
        E1@wellbeing-12m:                         # an outcome only reviewer B appraised
          status: resolved
          a: {}
          b: {answer: "Y"}
          chosen: b                               # a | b | new
          answer: "Y"                             # what the consensus now says
          reason: …                               # required when chosen is new
          resolved_by: …                          # optional
        judgement:C:                              # a final judgement; judgement:overall@readmission
          status: open
          a: {answer: major_concerns, by: reviewer, reason: …, proposed: some_concerns}
          b: {answer: some_concerns, by: rules}
        outcome:readmission.finding:              # an outcome field
          status: open
          a: {answer: benefit}
          b: {answer: no_difference}

A side is what that reviewer said: ``answer`` is the answer code, the final judgement or the
field's value; ``asked: false`` marks a question that reviewer was not asked (its answer reads
``NA``); ``{}`` means nothing at all. To resolve an item by hand, write the answer where it
belongs (``answers``, ``outcome_answers``, ``overrides`` or ``outcomes``) and set ``status:
resolved`` with ``chosen`` and ``reason``. :func:`open_items`, :func:`resolve` and :func:`reopen`
do the same for the app; like :func:`build_consensus` they only change the model (the caller
saves).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from appraise.core.appraisal import (
    Answer,
    Appraisal,
    ChecklistRef,
    Outcome,
    Override,
    Record,
    Study,
    Text,
    answer_shorthand,
)
from appraise.core.checklist import NOT_APPLICABLE, Checklist
from appraise.core.keys import ItemKind, parse_item, scoped
from appraise.review.compare import AnswerSide, JudgementSide, compare, reviewer_name

KEY = "consensus"
"""The top-level key of the consensus record in an appraisal file."""

Choice = Literal["a", "b"]


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
    """One thing the two reviewers did not both say, and how the consensus settled it."""

    status: Literal["open", "resolved"] = "open"
    a: Side = Field(default_factory=Side)
    b: Side = Field(default_factory=Side)
    chosen: Literal["a", "b", "new"] | None = None
    answer: Text | None = None
    reason: Text = ""
    resolved_by: Text = ""

    @field_validator("a", "b", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # "a: Y" means "a: {answer: Y}", as in the answers of an appraisal file; "a:" means nothing said.
        return {} if value is None else answer_shorthand(value)


class ConsensusRecord(Record):
    """Both reviewers, their files, and every item the consensus had to settle."""

    reviewers: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    items: dict[str, Item] = Field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        """Plain data for the file: empty fields left out, so items stay short."""
        data = self.model_dump(mode="json")
        data["items"] = {key: _item_data(item) for key, item in self.items.items()}
        return data


def _item_data(item: Item) -> dict[str, Any]:
    # Status and both sides always, in that order; everything else only when it says something.
    return {
        "status": item.status,
        "a": item.a.model_dump(mode="json", exclude_defaults=True),
        "b": item.b.model_dump(mode="json", exclude_defaults=True),
        **item.model_dump(mode="json", exclude_defaults=True, exclude={"status", "a", "b"}),
    }


@dataclass(frozen=True)
class ConsensusItem:
    """An item of the consensus record, as the app shows it: what, both sides, and its state."""

    key: str
    kind: ItemKind
    target: str
    """The question id, the section id (``overall`` too) or the outcome field."""
    outcome_id: str | None
    a: Side
    b: Side
    status: Literal["open", "resolved"]
    chosen: Literal["a", "b", "new"] | None = None
    answer: str | None = None
    reason: str = ""
    resolved_by: str = ""


parse_key = parse_item  # the consensus item grammar lives with every other key grammar, in core/keys


# --- building --------------------------------------------------------------------------------------


def build_consensus(
    a: Appraisal, b: Appraisal, checklist: Checklist, *, sources: tuple[str, str] = ("", "")
) -> Appraisal:
    """A consensus appraisal of two reviewers' appraisals (pure: the caller checks and saves)."""
    comparison = compare(a, b, checklist)
    reviewers = [reviewer_name(a, "A"), reviewer_name(b, "B")]
    consensus = Appraisal(
        checklist=ChecklistRef(id=a.checklist.id, version=a.checklist.version or b.checklist.version),
        study=_merge_study(a.study, b.study),
        reviewer=f"Consensus of {reviewers[0]} and {reviewers[1]}",
    )
    items: dict[str, Item] = {}
    open_fields = {(f.outcome_id, f.field): f for f in comparison.outcome_fields}
    for outcome in [*a.outcomes, *(o for o in b.outcomes if a.outcome(o.id) is None)]:
        merged = outcome.model_copy(deep=True)
        if (outcome.id, "type") in open_fields:
            merged.type = None
        if (outcome.id, "finding") in open_fields:
            merged.finding = None
        consensus.outcomes.append(merged)
    for f in comparison.outcome_fields:
        items[f.key] = Item(a=Side(answer=_field_text(f.a)), b=Side(answer=_field_text(f.b)))
    for pair in comparison.questions:
        if pair.status == "agree":
            _set_answer(consensus, pair.question.id, pair.outcome_id, _agreed(pair.a.code, pair.a, pair.b))
        elif _answered(pair.a) or _answered(pair.b):
            items[pair.key] = Item(a=_answer_side(pair.a), b=_answer_side(pair.b))
        else:  # neither answered: keep any notes they wrote while thinking about it
            _set_answer(consensus, pair.question.id, pair.outcome_id, _agreed(None, pair.a, pair.b))
    for judgement in comparison.judgements:
        if judgement.a.override is None and judgement.b.override is None:
            continue  # both left it to the rules: it follows from the consensus answers
        if judgement.status == "agree":
            assert judgement.a.code is not None
            reasons = _combine(_reason(judgement.a), _reason(judgement.b))
            consensus.overrides[judgement.override_key] = Override(judgement=judgement.a.code, reason=reasons)
        else:
            items[judgement.key] = Item(a=_judgement_side(judgement.a), b=_judgement_side(judgement.b))
    _store(consensus, ConsensusRecord(reviewers=reviewers, sources=list(sources), items=items))
    return consensus


def _merge_study(a: Study, b: Study) -> Study:
    # A's study, with anything A left empty filled in from B.
    merged = a.model_copy(deep=True)
    for name in ("title", "authors", "year", "doi", "citation"):
        if not getattr(merged, name) and getattr(b, name):
            setattr(merged, name, getattr(b, name))
    return merged


def _field_text(value: str | bool | None) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _answered(side: AnswerSide) -> bool:
    """An answer was given (a question not asked counts only if the other reviewer answered)."""
    return side.asked is True and side.code is not None


def _combine(a: str, b: str) -> str:
    """The same text once, one reviewer's text as it is, two different texts as ``A: … / B: …``."""
    if a == b or not b:
        return a
    if not a:
        return b
    return f"A: {a} / B: {b}"


def _agreed(code: str | None, a: AnswerSide, b: AnswerSide) -> Answer:
    """The answer ``code`` with both reviewers' support (a question not asked of one has none from them)."""
    ra, rb = _support(a), _support(b)
    return Answer(
        answer=code,
        note=_combine(ra.note, rb.note),
        quote=_combine(ra.quote, rb.quote),
        page=_combine(ra.page, rb.page),
    )


def _support(side: AnswerSide) -> Answer:
    return side.record if side.record is not None and side.asked is not False else Answer()


def _answer_side(side: AnswerSide) -> Side:
    if not side.present:
        return Side()
    if side.asked is False:
        return Side(answer=side.code, asked=False)
    record = side.record or Answer()
    return Side(answer=side.code, note=record.note, quote=record.quote, page=record.page)


def _judgement_side(side: JudgementSide) -> Side:
    if side.code is None:
        return Side()
    if side.override is None:
        return Side(answer=side.code, by="rules")
    return Side(answer=side.code, by="reviewer", reason=side.override.reason, proposed=side.proposed)


def _reason(side: JudgementSide) -> str:
    return side.override.reason if side.override is not None else ""


# --- the record on the model -------------------------------------------------------------------------


def record_of(appraisal: Appraisal) -> ConsensusRecord | None:
    """The consensus record of an appraisal, or None when it is not a consensus appraisal."""
    data = (appraisal.model_extra or {}).get(KEY)
    if data is None:
        return None
    try:
        return ConsensusRecord.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConsensusError(f"the consensus record is not valid: {KEY}.{where}: {first['msg']}") from None


def _store(appraisal: Appraisal, record: ConsensusRecord) -> None:
    assert appraisal.model_extra is not None  # Record models allow extra keys
    appraisal.model_extra[KEY] = record.to_data()


def consensus_items(appraisal: Appraisal) -> list[ConsensusItem]:
    """Every item of the consensus record, open and resolved, in record order."""
    record = record_of(appraisal)
    if record is None:
        return []
    items = []
    for key, item in record.items.items():
        kind, target, outcome_id = parse_key(key)
        items.append(
            ConsensusItem(
                key,
                kind,
                target,
                outcome_id,
                item.a,
                item.b,
                item.status,
                item.chosen,
                item.answer,
                item.reason,
                item.resolved_by,
            )
        )
    return items


def open_items(appraisal: Appraisal) -> list[ConsensusItem]:
    """What is still to resolve, with both reviewers' sides, in record order."""
    return [item for item in consensus_items(appraisal) if item.status == "open"]


def resolve(
    appraisal: Appraisal,
    key: str,
    *,
    choose: Choice | None = None,
    answer: str | None = None,
    reason: str = "",
    resolved_by: str = "",
) -> None:
    """Settle an item: take reviewer A's or B's side (with its note), or a new answer with a reason.

    The answer goes where it belongs (``answers``, ``outcome_answers``, ``overrides`` or the
    outcome's field) and the item is marked resolved with how and why. Raises ConsensusError for
    an unknown key, both or neither of ``choose`` and ``answer``, a new answer without a reason,
    or a side that has nothing to take. Resolving a resolved item again replaces the resolution.
    """
    record, item = _item(appraisal, key)
    if (choose is None) == (answer is None):
        raise ConsensusError(f"{key}: choose reviewer a or b, or give a new answer (one of the two)")
    if answer is not None and not answer.strip():
        raise ConsensusError(f"{key}: a new answer cannot be empty")
    if answer is not None and not reason.strip():
        raise ConsensusError(f"{key}: a new answer needs a reason")
    kind, target, outcome_id = parse_key(key)
    side = None
    if choose is not None:
        if choose not in ("a", "b"):
            raise ConsensusError(f"{key}: choose 'a' or 'b', not {choose!r}")
        side = item.a if choose == "a" else item.b
        if side.answer is None:
            raise ConsensusError(
                f"{key}: {_reviewer(record, choose)} gave no answer here; choose the other side or give a new answer"
            )
    value = side.answer if side is not None else answer
    assert value is not None
    if kind == "answer":
        if side is not None:
            # A question that reviewer was not asked: the consensus follows them by leaving it unanswered.
            code = value if side.asked else None
            new = Answer(answer=code, note=side.note, quote=side.quote, page=side.page)
        else:
            new = Answer(answer=value, note=reason)
        _set_answer(appraisal, target, outcome_id, new)
    elif kind == "judgement":
        why = reason
        if side is not None and choose is not None:
            why = why or side.reason or f"{_reviewer(record, choose)}'s judgement, chosen in consensus"
        _set_override(appraisal, scoped(target, outcome_id), value, why)
    else:
        _set_field(appraisal, key, target, outcome_id, value)
    item.status = "resolved"
    item.chosen = choose if choose is not None else "new"
    item.answer = value
    item.reason = reason
    item.resolved_by = resolved_by
    _store(appraisal, record)


def reopen(appraisal: Appraisal, key: str) -> None:
    """Undo a resolution: the item is open again and its answer is taken out of the appraisal."""
    record, item = _item(appraisal, key)
    if item.status == "open":
        return  # nothing to undo; an answer written by hand while open stays
    kind, target, outcome_id = parse_key(key)
    if kind == "answer":
        _set_answer(appraisal, target, outcome_id, Answer())
    elif kind == "judgement":
        appraisal.overrides.pop(scoped(target, outcome_id), None)
    else:
        _set_field(appraisal, key, target, outcome_id, item.a.answer if target == "primary" else None)
    item.status = "open"
    item.chosen = item.answer = None
    item.reason = item.resolved_by = ""
    _store(appraisal, record)


def _reviewer(record: ConsensusRecord, side: Choice) -> str:
    index = 0 if side == "a" else 1
    return record.reviewers[index] if len(record.reviewers) == 2 else f"reviewer {side.upper()}"


def _item(appraisal: Appraisal, key: str) -> tuple[ConsensusRecord, Item]:
    record = record_of(appraisal)
    if record is None:
        raise ConsensusError("this appraisal has no consensus record (make one with `appraise consensus A B -o C`)")
    item = record.items.get(key)
    if item is None:
        raise ConsensusError(f"no consensus item {key!r}")
    return record, item


def _set_answer(appraisal: Appraisal, question_id: str, outcome_id: str | None, answer: Answer) -> None:
    answers = appraisal.answers if outcome_id is None else appraisal.outcome_answers.setdefault(outcome_id, {})
    if answer.is_empty:
        answers.pop(question_id, None)
    else:
        answers[question_id] = answer
    if outcome_id is not None and not answers:
        appraisal.outcome_answers.pop(outcome_id, None)


def _set_override(appraisal: Appraisal, key: str, judgement: str, reason: str) -> None:
    if judgement == NOT_APPLICABLE:
        # The engine ignores such an override: the section simply does not apply to these answers.
        appraisal.overrides.pop(key, None)
    else:
        appraisal.overrides[key] = Override(judgement=judgement, reason=reason)


def _set_field(appraisal: Appraisal, key: str, name: str, outcome_id: str | None, value: str | None) -> None:
    outcome: Outcome | None = appraisal.outcome(outcome_id) if outcome_id else None
    if outcome is None:
        raise ConsensusError(f"{key}: the consensus has no outcome {outcome_id!r}")
    if name == "primary":
        words = {"true": True, "yes": True, "y": True, "false": False, "no": False, "n": False}
        flag = words.get((value or "").lower())
        if flag is None:
            raise ConsensusError(f"{key}: primary is true or false, not {value!r}")
        outcome.primary = flag
    elif name in ("type", "finding"):
        setattr(outcome, name, value)
    else:
        raise ConsensusError(f"{key}: outcomes have no field {name!r} to settle")


__all__ = [
    "ConsensusError",
    "ConsensusItem",
    "ConsensusRecord",
    "Side",
    "build_consensus",
    "consensus_items",
    "open_items",
    "parse_key",
    "record_of",
    "reopen",
    "resolve",
]
