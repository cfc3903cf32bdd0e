"""Reviewers' appraisals merged into one consensus appraisal, and its disagreements resolved.

:func:`build_consensus_many` (:func:`build_consensus` for two) makes a normal appraisal (valid for
``appraise validate``, loadable by :func:`appraise.files.store.load_appraisal`) from two or more
appraisals of one study, outcomes matched across the files first:

* an answer both reviewers gave is kept, with their notes, quotes and pages combined so that
  nothing either wrote is lost: the same text once, one reviewer's text as it is, two different
  texts as ``A: … / B: …`` (``/ C: …`` for a third reviewer);
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

With three or more reviewers every item has a side per reviewer, ``c:``, ``d:`` … after ``b:``,
and ``chosen`` may name any of them. A side is what that reviewer said: ``answer`` is the answer
code, the final judgement or the field's value; ``asked: false`` marks a question that reviewer
was not asked (its answer reads ``NA``); ``{}`` means nothing at all. To resolve an item by hand,
write the answer where it belongs (``answers``, ``outcome_answers``, ``overrides`` or ``outcomes``) and set ``status:
resolved`` with ``chosen`` and ``reason``. :func:`open_items`, :func:`resolve` and :func:`reopen`
do the same for the app; like :func:`build_consensus` they only change the model (the caller
saves).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from appraise.core.appraisal import (
    Answer,
    Appraisal,
    ChecklistRef,
    Outcome,
    Override,
    Study,
)
from appraise.core.checklist import NOT_APPLICABLE, Checklist
from appraise.core.keys import parse_item, scoped
from appraise.review.compare import AnswerSide, JudgementSide, compare_many, reviewer_letter, reviewer_name
from appraise.review.consensus_record import (
    KEY,
    LETTERS,
    Choice,
    ConsensusError,
    ConsensusItem,
    ConsensusRecord,
    Item,
    Side,
)
from appraise.review.matching import OutcomeMatching

parse_key = parse_item  # the consensus item grammar lives with every other key grammar, in core/keys


# --- building --------------------------------------------------------------------------------------


def build_consensus(
    a: Appraisal, b: Appraisal, checklist: Checklist, *, sources: tuple[str, str] = ("", "")
) -> Appraisal:
    """A consensus appraisal of two reviewers' appraisals (pure: the caller checks and saves)."""
    return build_consensus_many([a, b], checklist, sources=sources)


def build_consensus_many(
    appraisals: Sequence[Appraisal],
    checklist: Checklist,
    *,
    sources: Sequence[str] = (),
    matching: bool | OutcomeMatching = True,
    matches: Sequence[str] = (),
) -> Appraisal:
    """A consensus appraisal of two or more reviewers' appraisals (pure: the caller checks and saves).

    ``matches`` are the outcome links made by hand (``FILE:OUTCOME=OUTCOME``), kept in the record.
    """
    comparison = compare_many(appraisals, checklist, matching=matching)
    files = comparison.appraisals
    first = files[0]
    reviewers = [reviewer_name(x, reviewer_letter(i)) for i, x in enumerate(files)]
    everyone = reviewers[0] if len(reviewers) == 1 else f"{', '.join(reviewers[:-1])} and {reviewers[-1]}"
    study = first.study
    for other in files[1:]:
        study = _merge_study(study, other.study)
    consensus = Appraisal(
        checklist=ChecklistRef(
            id=first.checklist.id, version=next((x.checklist.version for x in files if x.checklist.version), "")
        ),
        study=study,
        reviewer=f"Consensus of {everyone}",
    )
    items: dict[str, Item] = {}
    open_fields = {(f.outcome_id, f.field): f for f in comparison.outcome_fields}
    seen: set[str] = set()
    for outcome in (o for x in files for o in x.outcomes):
        if outcome.id in seen:
            continue
        seen.add(outcome.id)
        merged = outcome.model_copy(deep=True)
        if (outcome.id, "type") in open_fields:
            merged.type = None
        if (outcome.id, "finding") in open_fields:
            merged.finding = None
        consensus.outcomes.append(merged)
    for f in comparison.outcome_fields:
        items[f.key] = _new_item([Side(answer=_field_text(v)) for v in f.values])
    for pair in comparison.questions:
        if pair.status == "agree":
            _set_answer(consensus, pair.question.id, pair.outcome_id, _agreed(pair.a.code, pair.sides))
        elif any(_answered(side) for side in pair.sides):
            items[pair.key] = _new_item([_answer_side(side) for side in pair.sides])
        else:  # nobody answered: keep any notes they wrote while thinking about it
            _set_answer(consensus, pair.question.id, pair.outcome_id, _agreed(None, pair.sides))
    for judgement in comparison.judgements:
        if all(side.override is None for side in judgement.sides):
            continue  # all left it to the rules: it follows from the consensus answers
        if judgement.status == "agree":
            assert judgement.a.code is not None
            reasons = _combine([_reason(side) for side in judgement.sides])
            consensus.overrides[judgement.override_key] = Override(judgement=judgement.a.code, reason=reasons)
        else:
            items[judgement.key] = _new_item([_judgement_side(side) for side in judgement.sides])
    record = ConsensusRecord(reviewers=reviewers, sources=list(sources), items=items, matches=list(matches))
    _store(consensus, record)
    return consensus


def _new_item(sides: list[Side]) -> Item:
    """An open item with every reviewer's side: a and b, then c, d … for further reviewers."""
    return Item(a=sides[0], b=sides[1], more={LETTERS[i]: side for i, side in enumerate(sides) if i >= 2})


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


def _combine(texts: Sequence[str]) -> str:
    """The same text once, one reviewer's text as it is, different texts as ``A: … / B: …``."""
    given = [(i, t) for i, t in enumerate(texts) if t]
    if len({t for _, t in given}) <= 1:
        return given[0][1] if given else ""
    return " / ".join(f"{reviewer_letter(i)}: {t}" for i, t in given)


def _agreed(code: str | None, sides: Sequence[AnswerSide]) -> Answer:
    """The answer ``code`` with every reviewer's support (a question not asked of one has none from them)."""
    support = [_support(side) for side in sides]
    return Answer(
        answer=code,
        note=_combine([r.note for r in support]),
        quote=_combine([r.quote for r in support]),
        page=_combine([r.page for r in support]),
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
                dict(item.more),
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
    """Settle an item: take one reviewer's side (``a``, ``b``, ``c`` …, with its note), or a new answer.

    The answer goes where it belongs (``answers``, ``outcome_answers``, ``overrides`` or the
    outcome's field) and the item is marked resolved with how and why. Raises ConsensusError for
    an unknown key, both or neither of ``choose`` and ``answer``, a new answer without a reason,
    or a side that has nothing to take. Resolving a resolved item again replaces the resolution.
    """
    record, item = _item(appraisal, key)
    if (choose is None) == (answer is None):
        raise ConsensusError(f"{key}: choose a reviewer (a, b, …), or give a new answer (one of the two)")
    if answer is not None and not answer.strip():
        raise ConsensusError(f"{key}: a new answer cannot be empty")
    if answer is not None and not reason.strip():
        raise ConsensusError(f"{key}: a new answer needs a reason")
    kind, target, outcome_id = parse_key(key)
    side = None
    if choose is not None:
        if choose not in item.sides:
            raise ConsensusError(f"{key}: choose one of {', '.join(item.sides)}, not {choose!r}")
        side = item.sides[choose]
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


def settle_answered(appraisal: Appraisal, *, by: str = "") -> list[str]:
    """Mark open items the appraisal now answers (e.g. from the questions view) as resolved.

    The item records which reviewer's side the answer is (``chosen: b``) or ``new``, with the
    reason "answered in the questions view". Returns the keys settled (the caller saves).
    """
    record = record_of(appraisal)
    if record is None:
        return []
    settled = []
    for key, item in record.items.items():
        if item.status != "open":
            continue
        kind, target, outcome_id = parse_key(key)
        value: str | None = None
        if kind == "answer":
            answer = appraisal.answer_record(target, outcome_id)
            value = answer.answer if answer is not None else None
        elif kind == "judgement":
            override = appraisal.overrides.get(scoped(target, outcome_id))
            value = override.judgement if override is not None else None
        elif target in ("type", "finding") and outcome_id is not None:
            outcome = appraisal.outcome(outcome_id)
            value = getattr(outcome, target) if outcome is not None else None
        if value is None:
            continue
        same = next((letter for letter, side in item.sides.items() if side.answer == value and side.asked), None)
        item.status = "resolved"
        item.chosen = same or "new"
        item.answer = value
        item.reason = "answered in the questions view"
        item.resolved_by = by
        settled.append(key)
    if settled:
        _store(appraisal, record)
    return settled


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
    index = LETTERS.index(side)
    return record.reviewers[index] if index < len(record.reviewers) else f"reviewer {side.upper()}"


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
    "KEY",
    "LETTERS",
    "ConsensusError",
    "ConsensusItem",
    "ConsensusRecord",
    "Item",
    "Side",
    "build_consensus",
    "build_consensus_many",
    "consensus_items",
    "open_items",
    "parse_key",
    "record_of",
    "reopen",
    "resolve",
    "settle_answered",
]
