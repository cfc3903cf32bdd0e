"""Two or more reviewers, one study: agreement per question and per judgement.

Both appraisals are read by the judgement engine (:class:`appraise.core.assessment.Assessment`), so a
question counts as asked, answered or not asked exactly as in the app and the reports:

* a question neither reviewer was asked is left out; asked for one and not the other, it is a
  disagreement of ``NA`` against the other's answer;
* unanswered questions (by one reviewer or both) are kept out of agreement and kappa and counted
  as missing;
* outcomes are first matched across the files (:mod:`appraise.review.matching`: by id, name and
  type, or by hand); per-outcome questions are compared per outcome every file has; an outcome some
  file lacks is reported and warned about, not compared;
* free-text questions (e.g. RoB 2's "which result?") are shown side by side but not counted: their
  wording differs even when the reviewers agree;
* final judgements (after the reviewers' overrides) are compared per section and outcome, the
  overall judgement included.

:func:`compare_many` builds the comparison of any number of files (:func:`compare` of two),
:func:`load_many` (:func:`load_pair`) reads the files and refuses a set made with different
checklists. Agreement statistics are :mod:`appraise.review.agreement`'s; the reports
(:func:`comparison_report`, :func:`render_comparison`) live in :mod:`appraise.review.report`.
:mod:`appraise.review.consensus` builds on the same comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from appraise.core.appraisal import Answer, Appraisal, Override
from appraise.core.assessment import Assessment
from appraise.core.checklist import Checklist, Question, Section
from appraise.core.keys import judgement_item, outcome_item, scoped
from appraise.core.labels import answer_label
from appraise.files.store import LoadedAppraisal, load_appraisal, read_appraisal
from appraise.files.yamlio import FileProblems, Problem
from appraise.review.agreement import Agreement, Kappa, Rating, agreement, cohen_kappa
from appraise.review.matching import OutcomeMatching, apply_matching, match_outcomes

if TYPE_CHECKING:
    from appraise.review.report import comparison_report, public, render_comparison

Status = Literal["agree", "disagree", "missing"]
"""``missing``: at least one reviewer has no answer (or no judgement) here."""

OUTCOME_FIELDS = ("type", "primary", "finding")
"""Outcome fields the rules read, so the reviewers must agree on them (the name is only a label)."""


# --- the comparison -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerSide:
    """One reviewer's answer to a question, as the engine reads it, with what supports it."""

    code: str | None
    """The answer that counts: a code (any text for a text question), ``NA`` if not asked, None if open."""
    asked: bool | None
    """Is the question asked for this reviewer (None: it depends on an open answer)?"""
    record: Answer | None
    """The stored answer with its note, quote and page."""
    present: bool = True
    """False when the outcome is not in this reviewer's file at all."""


@dataclass(frozen=True)
class QuestionPair:
    """Every reviewer's answer to one question (for one outcome, where per outcome)."""

    question: Question
    section: Section
    outcome_id: str | None
    sides: tuple[AnswerSide, ...]
    """One per reviewer, in file order."""

    @property
    def a(self) -> AnswerSide:
        """The first reviewer's answer."""
        return self.sides[0]

    @property
    def b(self) -> AnswerSide:
        """The second reviewer's answer."""
        return self.sides[1]

    @property
    def key(self) -> str:
        """``B4``, or ``E3@readmission`` for a per-outcome question."""
        return scoped(self.question.id, self.outcome_id)

    @property
    def shared(self) -> bool:
        """Every file has this outcome (always true for study-level questions)."""
        return all(side.present for side in self.sides)

    @property
    def counted(self) -> bool:
        """Counted in agreement and kappa: choice questions only (free text is shown, not counted)."""
        return self.question.kind == "choice"

    @property
    def status(self) -> Status:
        """Agree, disagree, or missing when either reviewer has no answer (free text: same words)."""
        if self.question.kind == "text":
            return _status(*(_words(side.code) for side in self.sides))
        return _status(*(side.code for side in self.sides))


@dataclass(frozen=True)
class JudgementSide:
    """One reviewer's final judgement of a section (after their override, if any)."""

    code: str | None
    proposed: str | None
    override: Override | None
    """The reviewer's own judgement, when it is what counts (else the rules decided)."""
    present: bool = True


@dataclass(frozen=True)
class JudgementPair:
    """Every reviewer's final judgement of one section (for one outcome, where per outcome)."""

    section: Section
    outcome_id: str | None
    sides: tuple[JudgementSide, ...]

    @property
    def a(self) -> JudgementSide:
        """The first reviewer's judgement."""
        return self.sides[0]

    @property
    def b(self) -> JudgementSide:
        """The second reviewer's judgement."""
        return self.sides[1]

    @property
    def override_key(self) -> str:
        """``C``, ``E@readmission`` or ``overall@readmission``: the key under ``overrides``."""
        return scoped(self.section.id, self.outcome_id)

    @property
    def key(self) -> str:
        """``judgement:C``, ``judgement:overall@readmission``."""
        return judgement_item(self.section.id, self.outcome_id)

    @property
    def shared(self) -> bool:
        """Every file has this outcome (always true for study-level sections)."""
        return all(side.present for side in self.sides)

    @property
    def status(self) -> Status:
        """Agree, disagree, or missing when some reviewer has no judgement yet."""
        return _status(*(side.code for side in self.sides))


def _words(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _status(*codes: str | None) -> Status:
    if any(code is None for code in codes):
        return "missing"
    return "agree" if len(set(codes)) == 1 else "disagree"


@dataclass(frozen=True)
class OutcomeFieldPair:
    """An outcome field the reviewers recorded differently (the rules read it)."""

    outcome_id: str
    field: str
    values: tuple[str | bool | None, ...]
    """One per reviewer, in file order."""

    @property
    def a(self) -> str | bool | None:
        """The first reviewer's value."""
        return self.values[0]

    @property
    def b(self) -> str | bool | None:
        """The second reviewer's value."""
        return self.values[1]

    @property
    def key(self) -> str:
        """``outcome:readmission.finding``."""
        return outcome_item(self.outcome_id, self.field)


@dataclass
class Comparison:
    """Two or more appraisals of one study with one checklist, side by side."""

    checklist: Checklist
    appraisals: list[Appraisal]
    """In file order, with outcome ids already matched to the first file's."""
    questions: list[QuestionPair] = field(default_factory=list)
    """Every question asked of at least one reviewer, in checklist order; per-outcome questions for
    every outcome of any file (see ``shared``)."""
    judgements: list[JudgementPair] = field(default_factory=list)
    outcome_fields: list[OutcomeFieldPair] = field(default_factory=list)
    shared_outcomes: list[str] = field(default_factory=list)
    only: list[list[str]] = field(default_factory=list)
    """Per file: the outcomes it has that some other file lacks (not compared)."""
    matching: OutcomeMatching | None = None

    @property
    def a(self) -> Appraisal:
        """The first reviewer's appraisal."""
        return self.appraisals[0]

    @property
    def b(self) -> Appraisal:
        """The second reviewer's appraisal."""
        return self.appraisals[1]

    @property
    def only_a(self) -> list[str]:
        """Outcomes of the first file that are not in every file."""
        return self.only[0]

    @property
    def only_b(self) -> list[str]:
        """Outcomes of the second file that are not in every file."""
        return self.only[1]

    @property
    def compared_questions(self) -> list[QuestionPair]:
        """The questions compared: those of outcomes present in every file."""
        return [p for p in self.questions if p.shared]

    @property
    def compared_judgements(self) -> list[JudgementPair]:
        """The judgements compared: those of outcomes present in every file."""
        return [p for p in self.judgements if p.shared]

    def question_ratings(self, section_id: str | None = None) -> list[list[Rating]]:
        """The choice answers compared (one row per question, one column per reviewer)."""
        return [
            [side.code for side in p.sides]
            for p in self.compared_questions
            if p.counted and (section_id is None or p.section.id == section_id)
        ]

    def judgement_ratings(self) -> list[list[Rating]]:
        """The final judgements compared (sections and overall, per outcome)."""
        return [[side.code for side in p.sides] for p in self.compared_judgements]

    def judgement_order(self) -> list[str] | None:
        """The judgement levels best first, when every judged section shares them (else None)."""
        orders = {tuple(j.code for j in p.section.judgements) for p in self.compared_judgements}
        if len(orders) != 1:
            return None
        order = list(next(iter(orders)))
        used = {code for row in self.judgement_ratings() for code in row if code is not None}
        return order if used <= set(order) else None

    def question_kappa(self, section_id: str | None = None) -> Kappa:
        """Cohen's kappa of the first two reviewers on the choice questions compared."""
        return cohen_kappa((row[0], row[1]) for row in self.question_ratings(section_id))

    def judgement_kappa(self) -> Kappa:
        """Cohen's kappa of the first two reviewers on the final judgements compared."""
        return cohen_kappa((row[0], row[1]) for row in self.judgement_ratings())

    def question_agreement(self, section_id: str | None = None) -> Agreement:
        """Every statistic over the choice questions compared, of one section or of all."""
        return agreement(self.question_ratings(section_id))

    def judgement_agreement(self) -> Agreement:
        """Every statistic over the final judgements compared, ordinal ones where levels are ordered."""
        return agreement(self.judgement_ratings(), order=self.judgement_order())


def compare(a: Appraisal, b: Appraisal, checklist: Checklist, *, matching: bool = True) -> Comparison:
    """Compare two appraisals of one study made with ``checklist`` (pure: no file is read)."""
    return compare_many([a, b], checklist, matching=matching)


def compare_many(
    appraisals: Sequence[Appraisal],
    checklist: Checklist,
    *,
    matching: bool | OutcomeMatching = True,
    reviewers: Sequence[str] | None = None,
) -> Comparison:
    """Compare two or more appraisals of one study, outcomes matched first (pure: no file is read).

    ``matching``: True matches outcomes by id, name and type; an :class:`OutcomeMatching` (from
    :func:`appraise.review.matching.match_outcomes`, e.g. with manual links) is used as it is;
    False compares outcomes by id only.
    """
    if len(appraisals) < 2:
        raise ValueError("a comparison needs two or more appraisals")
    names = list(reviewers) if reviewers else [reviewer_name(x, reviewer_letter(i)) for i, x in enumerate(appraisals)]
    found: OutcomeMatching | None = None
    if matching is True:
        found = match_outcomes(appraisals, reviewers=names)
    elif isinstance(matching, OutcomeMatching):
        found = matching
    files = list(appraisals)
    if found is not None:
        files = [apply_matching(x, found.renames(i)) for i, x in enumerate(appraisals)]
    assessments = [Assessment(x, checklist) for x in files]
    id_lists = [[o.id for o in x.outcomes] for x in files]
    every: list[str] = []
    for ids in id_lists:
        every += [i for i in ids if i not in every]
    shared = [i for i in every if all(i in ids for ids in id_lists)]
    result = Comparison(
        checklist,
        files,
        shared_outcomes=shared,
        only=[[i for i in ids if i not in shared] for ids in id_lists],
        matching=found,
    )

    def outcome_ids(section: Section) -> list[str | None]:
        # Like Assessment.outcomes_of, over the outcomes of every file.
        return list(every) if assessments[0].is_per_outcome(section) and every else [None]

    for section in checklist.sections:
        for oid in outcome_ids(section):
            for question in section.questions:
                pair = QuestionPair(
                    question,
                    section,
                    oid,
                    tuple(_answer_side(x, question, oid, ids) for x, ids in zip(assessments, id_lists, strict=True)),
                )
                if any(_in_play(side) for side in pair.sides):
                    result.questions.append(pair)
    judged = [s for s in checklist.judged.values() if s.judgements]
    for section in judged:
        for oid in outcome_ids(section):
            sides = tuple(_judgement_side(x, section, oid, ids) for x, ids in zip(assessments, id_lists, strict=True))
            result.judgements.append(JudgementPair(section, oid, sides))
    for oid in shared:
        outcomes = [x.outcome(oid) for x in files]
        for name in OUTCOME_FIELDS:
            values = tuple(getattr(o, name) for o in outcomes)
            if len(set(values)) > 1:
                result.outcome_fields.append(OutcomeFieldPair(oid, name, values))
    return result


def reviewer_letter(index: int) -> str:
    """A, B, C, … for the reviewers in file order."""
    return chr(65 + index) if index < 26 else str(index + 1)


def _in_play(side: AnswerSide) -> bool:
    """The reviewer has this outcome and was (or may yet be) asked the question."""
    return side.present and side.asked is not False


def _answer_side(assessment: Assessment, question: Question, oid: str | None, outcome_ids: list[str]) -> AnswerSide:
    if oid is not None and oid not in outcome_ids:
        return AnswerSide(None, False, None, present=False)
    return AnswerSide(
        assessment.code(question, oid),
        assessment.reached(question, oid),
        assessment.appraisal.answer_record(question.id, oid),
    )


def _judgement_side(assessment: Assessment, section: Section, oid: str | None, outcome_ids: list[str]) -> JudgementSide:
    if oid is not None and oid not in outcome_ids:
        return JudgementSide(None, None, None, present=False)
    result = assessment.result(section.id, oid)
    override = assessment.appraisal.overrides.get(scoped(section.id, result.outcome_id))
    # The override counts only where the engine applied it (a known code, a section that applies).
    applied = override is not None and result.state != "not_applicable" and result.judgement == override.judgement
    return JudgementSide(result.judgement, result.proposed, override if applied else None)


# --- reading two files --------------------------------------------------------------------------


def load_pair(path_a: Path | str, path_b: Path | str) -> tuple[LoadedAppraisal, LoadedAppraisal, list[Problem]]:
    """Read two appraisals of one study; return them with warnings, or raise every problem at once."""
    (a, b), warnings = load_many([path_a, path_b])
    return a, b, warnings


def load_many(paths: Sequence[Path | str]) -> tuple[list[LoadedAppraisal], list[Problem]]:
    """Read appraisals of one study; return them with warnings, or raise every problem at once.

    Refused (FileProblems): a file that is invalid, or a set made with different checklists (or
    versions of one). A warning: the study titles differ.
    """
    loaded: list[LoadedAppraisal] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for path in paths:
        try:
            one = load_appraisal(path)
        except FileProblems as error:
            errors += error.problems
            continue
        loaded.append(one)
        errors += one.errors
        warnings += one.warnings
    if errors:
        raise FileProblems(errors)
    first = loaded[0]
    ref_a = _checklist_ref(first)
    for other in loaded[1:]:
        ref_b = _checklist_ref(other)
        if ref_a != ref_b:
            _, doc = read_appraisal(other.path)
            where = ("checklist", "id") if ref_a[0] != ref_b[0] else ("checklist", "version")
            message = (
                f"made with checklist {ref_b[0]} version {ref_b[1]}, but {first.path} with {ref_a[0]} version "
                f"{ref_a[1]}: compare appraisals made with the same checklist"
            )
            raise FileProblems([doc.problem(where, message)])
    for other in loaded[1:]:
        if _plain(first.appraisal.study.title) != _plain(other.appraisal.study.title):
            _, doc = read_appraisal(other.path)
            message = (
                f"the study title differs from {first.path}'s ({first.appraisal.study.title!r} and "
                f"{other.appraisal.study.title!r}): are both appraisals of the same study?"
            )
            warnings.append(doc.problem(("study", "title"), message, severity="warning"))
    return loaded, warnings


def _checklist_ref(loaded: LoadedAppraisal) -> tuple[str, str]:
    ref = loaded.appraisal.checklist
    return ref.id, ref.version or loaded.checklist.version


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def reviewer_name(appraisal: Appraisal, label: str) -> str:
    """The reviewer's name, or "reviewer A" when the file does not say."""
    return appraisal.reviewer or f"reviewer {label}"


_REPORT = ("comparison_report", "public", "render_comparison", "STATUS_VIEW", "TEMPLATES")


def __getattr__(name: str) -> Any:
    # The reports moved to appraise.review.report; the old names keep working, imported lazily
    # because the report module builds on this one.
    if name in _REPORT:
        from appraise.review import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AnswerSide",
    "Comparison",
    "JudgementPair",
    "JudgementSide",
    "Kappa",
    "OutcomeFieldPair",
    "QuestionPair",
    "answer_label",
    "cohen_kappa",
    "compare",
    "compare_many",
    "comparison_report",
    "load_many",
    "load_pair",
    "public",
    "render_comparison",
    "reviewer_letter",
    "reviewer_name",
]
