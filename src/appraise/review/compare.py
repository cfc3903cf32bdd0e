"""Two reviewers, one study: agreement per question and per judgement, and Cohen's kappa.

Both appraisals are read by the judgement engine (:class:`appraise.core.assessment.Assessment`), so a
question counts as asked, answered or not asked exactly as in the app and the reports:

* a question neither reviewer was asked is left out; asked for one and not the other, it is a
  disagreement of ``NA`` against the other's answer;
* unanswered questions (by one reviewer or both) are kept out of agreement and kappa and counted
  as missing;
* per-outcome questions are compared per outcome id present in both files; outcomes in only one
  file are reported, not compared;
* free-text questions (e.g. RoB 2's "which result?") are shown side by side but not counted: their
  wording differs even when the reviewers agree;
* final judgements (after the reviewers' overrides) are compared per section and outcome, the
  overall judgement included.

:func:`compare` builds the comparison, :func:`comparison_report` the plain data behind the JSON,
Markdown and HTML reports (``templates/compare.*.j2``), and :func:`load_pair` reads two files and
refuses a pair made with different checklists. :mod:`appraise.review.consensus` builds on the same pairs.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from appraise import __version__
from appraise.core.appraisal import Answer, Appraisal, Override
from appraise.core.assessment import Assessment
from appraise.core.checklist import OVERALL, Checklist, Question, Section
from appraise.core.keys import judgement_item, outcome_item, scoped
from appraise.core.labels import answer_label
from appraise.files.store import LoadedAppraisal, load_appraisal, read_appraisal
from appraise.files.yamlio import FileProblems, Problem
from appraise.reports import formats
from appraise.reports.environment import render_data
from appraise.reports.report import checklist_header, judgement_view

Status = Literal["agree", "disagree", "missing"]
"""``missing``: at least one reviewer has no answer (or no judgement) here."""

OUTCOME_FIELDS = ("type", "primary", "finding")
"""Outcome fields the rules read, so the reviewers must agree on them (the name is only a label)."""

TEMPLATES = formats.templates("compare")
"""Format → Jinja template, from the one registry of output formats."""

STATUS_VIEW = {
    "agree": {"glyph": "✓", "word": "agree"},
    "disagree": {"glyph": "✗", "word": "disagree"},
    "missing": {"glyph": "?", "word": "unanswered"},
}
"""How a status is shown: always a glyph and a word, never colour alone."""


# --- Cohen's kappa ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kappa:
    """Agreement between two reviewers over a set of items: counts, proportions and kappa."""

    n: int
    """Items both reviewers answered: what agreement and kappa are computed over."""
    agree: int
    missing: int
    """Items left out because one reviewer or both gave no answer."""
    observed: float | None
    expected: float | None
    kappa: float | None
    note: str = ""
    """Why kappa is not given, when it is not."""

    @property
    def percent(self) -> float | None:
        """Percent agreement over the items both answered (None when there are none)."""
        return None if self.observed is None else 100 * self.observed

    def to_data(self) -> dict[str, Any]:
        """Plain data for reports: proportions rounded for reading, None where undefined."""
        return {
            "n": self.n,
            "agree": self.agree,
            "disagree": self.n - self.agree,
            "missing": self.missing,
            "percent": _round(self.percent, 1),
            "observed": _round(self.observed, 3),
            "expected": _round(self.expected, 3),
            "kappa": _round(self.kappa, 3),
            "note": self.note,
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def cohen_kappa(pairs: Iterable[tuple[str | None, str | None]]) -> Kappa:
    """Cohen's kappa for two raters who each put the same items into nominal categories.

    κ = (p_o − p_e) / (1 − p_e), where p_o is the proportion of items on which the two agree and
    p_e the agreement expected by chance: the sum over every category either rater used of the
    product of the two raters' marginal proportions (Cohen J. A coefficient of agreement for
    nominal scales. Educational and Psychological Measurement 1960;20(1):37–46).
    Pairs with a ``None`` (no answer) are left out and counted as missing. Kappa is not given for
    fewer than two items, nor when p_e is 1 (both raters used the same single category), where
    the formula divides by zero; ``note`` then says why. Exact fractions make that test exact.
    """
    complete: list[tuple[str, str]] = []
    missing = 0
    for a, b in pairs:
        if a is None or b is None:
            missing += 1
        else:
            complete.append((a, b))
    n = len(complete)
    if n == 0:
        return Kappa(0, 0, missing, None, None, None, "not computed: no item answered by both reviewers")
    agree = sum(a == b for a, b in complete)
    observed = Fraction(agree, n)
    count_a = Counter(a for a, _ in complete)
    count_b = Counter(b for _, b in complete)
    expected = sum((Fraction(count_a[c] * count_b[c], n * n) for c in count_a.keys() | count_b.keys()), Fraction(0))
    if n < 2:
        return Kappa(n, agree, missing, float(observed), float(expected), None, "not computed: fewer than 2 items")
    if expected == 1:
        only = next(iter(count_a))
        note = f"undefined: both reviewers used one category only ({only}), so agreement expected by chance is 1"
        return Kappa(n, agree, missing, float(observed), 1.0, None, note)
    kappa = (observed - expected) / (1 - expected)
    return Kappa(n, agree, missing, float(observed), float(expected), float(kappa))


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
    """Both reviewers' answers to one question (for one outcome, where per outcome)."""

    question: Question
    section: Section
    outcome_id: str | None
    a: AnswerSide
    b: AnswerSide

    @property
    def key(self) -> str:
        """``B4``, or ``E3@readmission`` for a per-outcome question."""
        return scoped(self.question.id, self.outcome_id)

    @property
    def shared(self) -> bool:
        """Both files have this outcome (always true for study-level questions)."""
        return self.a.present and self.b.present

    @property
    def counted(self) -> bool:
        """Counted in agreement and kappa: choice questions only (free text is shown, not counted)."""
        return self.question.kind == "choice"

    @property
    def status(self) -> Status:
        """Agree, disagree, or missing when either reviewer has no answer (free text: same words)."""
        if self.question.kind == "text":
            return _status(_words(self.a.code), _words(self.b.code))
        return _status(self.a.code, self.b.code)


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
    """Both reviewers' final judgements of one section (for one outcome, where per outcome)."""

    section: Section
    outcome_id: str | None
    a: JudgementSide
    b: JudgementSide

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
        """Both files have this outcome (always true for study-level sections)."""
        return self.a.present and self.b.present

    @property
    def status(self) -> Status:
        """Agree, disagree, or missing when either reviewer has no judgement yet."""
        return _status(self.a.code, self.b.code)


def _words(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _status(a: str | None, b: str | None) -> Status:
    if a is None or b is None:
        return "missing"
    return "agree" if a == b else "disagree"


@dataclass(frozen=True)
class OutcomeFieldPair:
    """An outcome field the reviewers recorded differently (the rules read it)."""

    outcome_id: str
    field: str
    a: str | bool | None
    b: str | bool | None

    @property
    def key(self) -> str:
        """``outcome:readmission.finding``."""
        return outcome_item(self.outcome_id, self.field)


@dataclass
class Comparison:
    """Two appraisals of one study with one checklist, side by side."""

    checklist: Checklist
    a: Appraisal
    b: Appraisal
    questions: list[QuestionPair] = field(default_factory=list)
    """Every question asked of at least one reviewer, in checklist order; per-outcome questions for
    every outcome of either file (see ``shared``)."""
    judgements: list[JudgementPair] = field(default_factory=list)
    outcome_fields: list[OutcomeFieldPair] = field(default_factory=list)
    shared_outcomes: list[str] = field(default_factory=list)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)

    @property
    def compared_questions(self) -> list[QuestionPair]:
        """The questions compared: those of outcomes present in both files."""
        return [p for p in self.questions if p.shared]

    @property
    def compared_judgements(self) -> list[JudgementPair]:
        """The judgements compared: those of outcomes present in both files."""
        return [p for p in self.judgements if p.shared]

    def question_kappa(self, section_id: str | None = None) -> Kappa:
        """Agreement on the choice questions compared, of one section or of all."""
        return cohen_kappa(
            (p.a.code, p.b.code)
            for p in self.compared_questions
            if p.counted and (section_id is None or p.section.id == section_id)
        )

    def judgement_kappa(self) -> Kappa:
        """Agreement on the final judgements compared (sections and overall, per outcome)."""
        return cohen_kappa((p.a.code, p.b.code) for p in self.compared_judgements)


def compare(a: Appraisal, b: Appraisal, checklist: Checklist) -> Comparison:
    """Compare two appraisals of one study made with ``checklist`` (pure: no file is read)."""
    assess_a, assess_b = Assessment(a, checklist), Assessment(b, checklist)
    ids_a = [o.id for o in a.outcomes]
    ids_b = [o.id for o in b.outcomes]
    every = ids_a + [i for i in ids_b if i not in ids_a]
    result = Comparison(
        checklist,
        a,
        b,
        shared_outcomes=[i for i in ids_a if i in ids_b],
        only_a=[i for i in ids_a if i not in ids_b],
        only_b=[i for i in ids_b if i not in ids_a],
    )

    def outcome_ids(section: Section) -> list[str | None]:
        # Like Assessment.outcomes_of, over the outcomes of both files.
        return list(every) if assess_a.is_per_outcome(section) and every else [None]

    for section in checklist.sections:
        for oid in outcome_ids(section):
            for question in section.questions:
                pair = QuestionPair(
                    question,
                    section,
                    oid,
                    _answer_side(assess_a, question, oid, ids_a),
                    _answer_side(assess_b, question, oid, ids_b),
                )
                if _in_play(pair.a) or _in_play(pair.b):
                    result.questions.append(pair)
    judged = [s for s in checklist.judged.values() if s.judgements]
    for section in judged:
        for oid in outcome_ids(section):
            result.judgements.append(
                JudgementPair(
                    section,
                    oid,
                    _judgement_side(assess_a, section, oid, ids_a),
                    _judgement_side(assess_b, section, oid, ids_b),
                )
            )
    for oid in result.shared_outcomes:
        outcome_a, outcome_b = a.outcome(oid), b.outcome(oid)
        assert outcome_a is not None and outcome_b is not None
        for name in OUTCOME_FIELDS:
            value_a, value_b = getattr(outcome_a, name), getattr(outcome_b, name)
            if value_a != value_b:
                result.outcome_fields.append(OutcomeFieldPair(oid, name, value_a, value_b))
    return result


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
    """Read two appraisals of one study; return them with warnings, or raise every problem at once.

    Refused (FileProblems): a file that is invalid, or a pair made with different checklists (or
    versions of one). A warning: the study titles differ.
    """
    loaded: list[LoadedAppraisal] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for path in (path_a, path_b):
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
    a, b = loaded
    ref_a, ref_b = _checklist_ref(a), _checklist_ref(b)
    if ref_a != ref_b:
        _, doc = read_appraisal(b.path)
        where = ("checklist", "id") if ref_a[0] != ref_b[0] else ("checklist", "version")
        message = (
            f"made with checklist {ref_b[0]} version {ref_b[1]}, but {a.path} with {ref_a[0]} version {ref_a[1]}: "
            "compare two appraisals made with the same checklist"
        )
        raise FileProblems([doc.problem(where, message)])
    if _plain(a.appraisal.study.title) != _plain(b.appraisal.study.title):
        _, doc = read_appraisal(b.path)
        message = (
            f"the study title differs from {a.path}'s ({a.appraisal.study.title!r} and "
            f"{b.appraisal.study.title!r}): are both appraisals of the same study?"
        )
        warnings.append(doc.problem(("study", "title"), message, severity="warning"))
    return a, b, warnings


def _checklist_ref(loaded: LoadedAppraisal) -> tuple[str, str]:
    ref = loaded.appraisal.checklist
    return ref.id, ref.version or loaded.checklist.version


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


# --- the report ---------------------------------------------------------------------------------


def reviewer_name(appraisal: Appraisal, label: str) -> str:
    """The reviewer's name, or "reviewer A" when the file does not say."""
    return appraisal.reviewer or f"reviewer {label}"


def comparison_report(
    comparison: Comparison,
    *,
    files: tuple[str, str] = ("", ""),
    warnings: Iterable[str] = (),
    today: _dt.date | None = None,
) -> dict[str, Any]:
    """The comparison as plain data: the JSON report, and what the templates receive."""
    checklist, a, b = comparison.checklist, comparison.a, comparison.b
    outcome_names = {o.id: o.label for o in b.outcomes} | {o.id: o.label for o in a.outcomes}
    sections = [
        {"id": s.id, "title": s.title, "short": s.label, **comparison.question_kappa(s.id).to_data()}
        for s in checklist.sections
        if any(p.section.id == s.id and p.counted for p in comparison.compared_questions)
    ]
    questions = [_question_entry(p, outcome_names) for p in comparison.compared_questions]
    judgements = [_judgement_entry(p, outcome_names) for p in comparison.compared_judgements]
    outcome_fields = [
        {
            "key": f.key,
            "outcome": f.outcome_id,
            "outcome_name": outcome_names[f.outcome_id],
            "field": f.field,
            "a": f.a,
            "b": f.b,
        }
        for f in comparison.outcome_fields
    ]
    return {
        "report": {"generated": (today or _dt.date.today()).isoformat(), "appraise_version": __version__},
        "checklist": checklist_header(checklist),
        "study": {"title": a.study.title, "label": a.study.label},
        "reviewers": [
            {"label": label, "name": reviewer_name(one, label), "file": path, "study_title": one.study.title}
            for label, one, path in (("A", a, files[0]), ("B", b, files[1]))
        ],
        "warnings": list(warnings),
        "outcomes": {
            "compared": [{"id": i, "name": outcome_names[i]} for i in comparison.shared_outcomes],
            "only_a": [{"id": i, "name": outcome_names[i]} for i in comparison.only_a],
            "only_b": [{"id": i, "name": outcome_names[i]} for i in comparison.only_b],
            "differences": outcome_fields,
        },
        "agreement": {
            "questions": comparison.question_kappa().to_data(),
            "judgements": comparison.judgement_kappa().to_data(),
            "sections": sections,
        },
        "summary": {
            "questions_disagree": sum(q["status"] == "disagree" for q in questions),
            "judgements_disagree": sum(j["status"] == "disagree" for j in judgements),
            "outcome_fields_differ": len(outcome_fields),
        },
        "judgements": judgements,
        "questions": questions,
    }


def _question_entry(pair: QuestionPair, outcome_names: dict[str, str]) -> dict[str, Any]:
    question = pair.question
    return {
        "key": pair.key,
        "id": question.id,
        "section": pair.section.id,
        "outcome": pair.outcome_id,
        "outcome_name": outcome_names.get(pair.outcome_id) if pair.outcome_id else None,
        "text": question.text,
        "short": question.short,
        "kind": question.kind,
        "counted": pair.counted,
        "status": pair.status,
        "a": _answer_view(question, pair.a),
        "b": _answer_view(question, pair.b),
    }


def _answer_view(question: Question, side: AnswerSide) -> dict[str, Any]:
    record = side.record if side.asked is not False else None
    return {
        "answer": side.code,
        "label": answer_label(question, side.code, asked=side.asked),
        "asked": side.asked,
        "note": record.note if record else "",
        "quote": record.quote if record else "",
        "page": record.page if record else "",
    }


def _judgement_entry(pair: JudgementPair, outcome_names: dict[str, str]) -> dict[str, Any]:
    section = pair.section
    return {
        "key": pair.key,
        "section": section.id,
        "title": section.title if section.id != OVERALL else "Overall",
        "short": section.label,
        "outcome": pair.outcome_id,
        "outcome_name": outcome_names.get(pair.outcome_id) if pair.outcome_id else None,
        "status": pair.status,
        "a": _judgement_view(section, pair.a),
        "b": _judgement_view(section, pair.b),
    }


def _judgement_view(section: Section, side: JudgementSide) -> dict[str, Any]:
    view = judgement_view(section, side.code, "appraiser" if section.method == "appraiser" else "judged")
    return {
        "judgement": side.code,
        "label": view["label"],
        "proposed": side.proposed,
        "by": "reviewer" if side.override is not None else "rules",
        "reason": side.override.reason if side.override is not None else "",
        "view": view,
    }


def render_comparison(data: dict[str, Any], fmt: str = "md") -> str:
    """Render a comparison report (from :func:`comparison_report`) as Markdown, HTML or JSON."""
    return render_data(
        data, fmt, TEMPLATES, json_hint="appraise compare A B -f json", context={"status_view": STATUS_VIEW}
    )
