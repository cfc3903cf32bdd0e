"""Check an appraisal against its checklist: every answer, outcome and override that does not fit.

Nothing is dropped: answers to questions a newer checklist no longer has are warnings (kept in the
file), unknown codes are errors with their line and a "did you mean".
"""

from __future__ import annotations

from appraise.core.appraisal import Appraisal
from appraise.core.checklist import NOT_APPLICABLE, NOT_REACHED, Checklist
from appraise.core.hints import suggestion
from appraise.core.keys import unscope
from appraise.files.problems import Problem
from appraise.files.yamlio import Document


def check_appraisal(appraisal: Appraisal, checklist: Checklist, doc: Document) -> list[Problem]:
    """Everything in an appraisal that does not fit its checklist, with positions."""
    problems: list[Problem] = []
    ref = appraisal.checklist
    if ref.id != checklist.id:
        problems.append(
            doc.problem(("checklist", "id"), f"made with checklist {ref.id!r}, checked against {checklist.id!r}")
        )
    elif ref.version and ref.version != checklist.version:
        problems.append(
            doc.problem(
                ("checklist", "version"),
                (
                    f"made with {checklist.id} version {ref.version}; the checklist is now version "
                    f"{checklist.version}. Answers are kept; check any reported below"
                ),
                severity="warning",
            )
        )
    outcome_ids = {o.id for o in appraisal.outcomes}
    for qid, answer in appraisal.answers.items():
        problems += check_answer(checklist, doc, ("answers", qid), qid, answer.answer, per_outcome=False)
    for oid, answers in appraisal.outcome_answers.items():
        if oid not in outcome_ids:
            problems.append(
                doc.problem(
                    ("outcome_answers", oid),
                    (
                        f"answers for an outcome {oid!r} that is not in 'outcomes' (kept; add the outcome "
                        f"to use them){suggestion(oid, outcome_ids)}"
                    ),
                    key=True,
                    severity="warning",
                )
            )
        for qid, answer in answers.items():
            problems += check_answer(
                checklist, doc, ("outcome_answers", oid, qid), qid, answer.answer, per_outcome=True
            )
    problems += _check_outcomes(appraisal, checklist, doc)
    problems += _check_overrides(appraisal, checklist, doc, outcome_ids)
    problems += _check_override_reasons(appraisal, checklist, doc, outcome_ids)
    problems += check_top_level(doc)
    return problems


def check_answer(
    checklist: Checklist, doc: Document, loc: tuple[str, ...], qid: str, code: str | None, *, per_outcome: bool
) -> list[Problem]:
    question = checklist.questions.get(qid)
    if question is None:
        return [
            doc.problem(
                loc,
                (
                    f"answer to {qid}, which {checklist.id} v{checklist.version} does not have (kept in the "
                    f"file, not used){suggestion(qid, checklist.questions)}"
                ),
                key=True,
                severity="warning",
            )
        ]
    section = checklist.section_of[qid]
    if section.per_outcome != per_outcome:
        where = "under outcome_answers, per outcome" if section.per_outcome else "under answers, once for the study"
        return [doc.problem(loc, f"{qid} belongs {where} (kept, not used here)", key=True, severity="warning")]
    if code is None or question.kind == "text" or code in question.codes:
        return []
    offered = list(question.codes)
    hint = ""
    if code == NOT_REACHED:
        hint = "; NA is recorded automatically when a question is not asked, so leave it out"
    return [
        doc.problem(
            (*loc, "answer") if (*loc, "answer") in doc.positions else loc,
            (f"{qid} has no answer {code!r} (its answers: {', '.join(offered)}){suggestion(code, offered)}{hint}"),
        )
    ]


def _check_outcomes(appraisal: Appraisal, checklist: Checklist, doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    vocabulary = checklist.outcomes
    seen: set[str] = set()
    for i, outcome in enumerate(appraisal.outcomes):
        if outcome.id in seen:
            problems.append(doc.problem(("outcomes", i, "id"), f"outcome id {outcome.id!r} is used twice"))
        seen.add(outcome.id)
        if vocabulary is None:
            continue
        for name, options in (("type", vocabulary.types), ("finding", vocabulary.findings)):
            value = getattr(outcome, name)
            allowed = [o.code for o in options]
            if value is not None and allowed and value not in allowed:
                problems.append(
                    doc.problem(
                        ("outcomes", i, name),
                        (
                            f"outcome {outcome.id}: {name} {value!r} is not one of {', '.join(allowed)}"
                            f"{suggestion(value, allowed)}"
                        ),
                    )
                )
    return problems


def _check_overrides(appraisal: Appraisal, checklist: Checklist, doc: Document, outcome_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for key, override in appraisal.overrides.items():
        section_id, outcome_id = unscope(key)
        section = checklist.judged.get(section_id)
        if section is None:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    (
                        f"override for {section_id!r}, which {checklist.id} does not have (kept, not used)"
                        f"{suggestion(section_id, checklist.judged)}"
                    ),
                    key=True,
                    severity="warning",
                )
            )
            continue
        if checklist.judged_per_outcome(section) and not outcome_id:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    (f"{section_id} is judged per outcome: key the override as {section_id}@OUTCOME"),
                    key=True,
                )
            )
        elif outcome_id and outcome_id not in outcome_ids:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    f"override for an outcome {outcome_id!r} that is not in 'outcomes' (kept, not used)",
                    key=True,
                    severity="warning",
                )
            )
        codes = [j.code for j in section.judgements]
        if override.judgement == NOT_APPLICABLE:
            problems.append(
                doc.problem(
                    ("overrides", key, "judgement"),
                    (
                        f"{section_id}: not_applicable is decided by the checklist (from the answers), "
                        "not by an override; remove this override"
                    ),
                )
            )
        elif override.judgement not in codes:
            problems.append(
                doc.problem(
                    ("overrides", key, "judgement"),
                    (
                        f"{section_id} has no judgement {override.judgement!r} (its judgements: {', '.join(codes)})"
                        f"{suggestion(override.judgement, codes)}"
                    ),
                )
            )
    return problems


def _check_override_reasons(
    appraisal: Appraisal, checklist: Checklist, doc: Document, outcome_ids: set[str]
) -> list[Problem]:
    """One rule with the app: overriding a proposed judgement needs a reason (the TUI refuses it empty)."""
    from appraise.core.assessment import Assessment

    problems: list[Problem] = []
    assessment: Assessment | None = None
    for key, override in appraisal.overrides.items():
        section_id, outcome_id = unscope(key)
        section = checklist.judged.get(section_id)
        if section is None or override.reason.strip() or (outcome_id and outcome_id not in outcome_ids):
            continue
        if override.judgement not in [j.code for j in section.judgements]:
            continue
        assessment = assessment or Assessment(appraisal, checklist)
        proposed = assessment.result(section_id, outcome_id or None).proposed
        if proposed is not None and override.judgement != proposed:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    (
                        f"{key}: overriding the proposed judgement ({proposed}) with {override.judgement} needs a "
                        "reason; add 'reason: …' (the app asks for one too)"
                    ),
                    key=True,
                )
            )
    return problems


TOP_LEVEL = tuple(Appraisal.model_fields)
"""The keys of the appraisal format, read from its model so the two cannot drift apart."""
EXTENSIONS = ("consensus", "practice", "weight", "history", "status", "completed")
"""Keys appraise itself adds (consensus records, practice runs, summary weights, save history, locks)."""


def check_top_level(doc: Document) -> list[Problem]:
    """Unknown top-level keys: a near miss of a known one is an error ("did you mean"), others a warning.

    The format keeps keys appraise does not know, so a note of the team's own stays; but
    ``answerz:`` would silently drop every answer under it.
    """
    if not isinstance(doc.data, dict):
        return []
    problems: list[Problem] = []
    known = (*TOP_LEVEL, *EXTENSIONS)
    for key in doc.data:
        if key in known:
            continue
        hint = suggestion(key, known)
        if hint:
            problems.append(
                doc.problem((key,), f"unknown top-level key {key!r}{hint} (what is under it is not used)", key=True)
            )
        else:
            problems.append(
                doc.problem(
                    (key,), f"unknown top-level key {key!r} (kept as it is, not used)", key=True, severity="warning"
                )
            )
    problems += _check_extensions(doc)
    return problems


_CONSENSUS_STATUS = ("open", "resolved")


def _check_extensions(doc: Document) -> list[Problem]:
    """The shape of the app's own extensions, ``consensus:`` and ``practice:``."""
    problems: list[Problem] = []
    data = doc.data
    practice = data.get("practice")
    if practice is not None and not (isinstance(practice, dict) and isinstance(practice.get("vignette"), str)):
        problems.append(doc.problem(("practice",), "practice: must be a mapping with 'vignette: ID'"))
    consensus = data.get("consensus")
    if consensus is None:
        return problems
    if not isinstance(consensus, dict):
        return [*problems, doc.problem(("consensus",), "consensus: must be a mapping (reviewers, sources, items)")]
    items = consensus.get("items") or {}
    if not isinstance(items, dict):
        return [*problems, doc.problem(("consensus", "items"), "consensus items: must be a mapping of keys")]
    for key, item in items.items():
        loc = ("consensus", "items", key)
        if not isinstance(item, dict):
            problems.append(doc.problem(loc, f"consensus item {key!r} must be a mapping (status, a, b…)"))
            continue
        status = item.get("status", "open")
        if status not in _CONSENSUS_STATUS:
            problems.append(
                doc.problem(
                    (*loc, "status"),
                    f"consensus item {key!r}: status {status!r} is not open or resolved"
                    f"{suggestion(str(status), _CONSENSUS_STATUS)}",
                )
            )
        chosen = item.get("chosen")
        # A third and further reviewer's side is written c:, d: … beside a: and b:; each may be chosen.
        sides = ["a", "b", *sorted(k for k in item if isinstance(k, str) and len(k) == 1 and "c" <= k <= "z")]
        if chosen is not None and chosen not in (*sides, "new"):
            problems.append(
                doc.problem(
                    (*loc, "chosen"), f"consensus item {key!r}: chosen {chosen!r} is not {', '.join(sides)} or new"
                )
            )
        reason = item.get("reason")
        if chosen == "new" and status == "resolved" and not (isinstance(reason, str) and reason.strip()):
            problems.append(
                doc.problem(loc, f"consensus item {key!r}: a new answer needs a reason; add 'reason: …'", key=True)
            )
    return problems


__all__ = ["check_answer", "check_appraisal", "check_top_level"]
