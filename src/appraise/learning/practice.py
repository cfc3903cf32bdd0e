"""Practice mode: fictional vignettes with model answers, and feedback on a learner's appraisal.

A vignette is data (``checklists/practice/*.yaml``, never listed as a checklist): the text, the
study, the outcomes it is appraised for, and an expert key with acceptable alternatives and a
rationale per question. A practice appraisal is an ordinary appraisal file that also names its
vignette (``practice: {vignette: ID}``), so it can be scored any time, in the app or with
``appraise practice score FILE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from appraise.core.appraisal import Appraisal, ChecklistRef, Outcome, Study
from appraise.core.assessment import Assessment
from appraise.core.checklist import NOT_REACHED, OVERALL, Checklist, Section
from appraise.core.keys import unscope
from appraise.core.labels import answer_label, judgement_label
from appraise.files import paths
from appraise.files.checklists import SUFFIXES, load_checklist
from appraise.files.validation import validate
from appraise.files.yamlio import FileProblems, Problem, read_document

ANY = "any"
"""An expected answer meaning: every answer is acceptable (the learner's own judgement)."""

Grade = Literal["agrees", "acceptable", "differs", "unanswered", "not_asked"]


class KeyItem(BaseModel):
    """The model answer to one question, or one expected judgement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    expected: str
    acceptable: list[str] = Field(default_factory=list)
    rationale: str = ""

    @field_validator("expected", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("quote answer codes: write 'Y' or 'N', not Yes/No")
        return value

    def grade(self, code: str | None) -> Grade:
        """How an answer compares with the key."""
        if self.expected == ANY:
            return "acceptable" if code else "unanswered"
        if code is None:
            return "unanswered"
        if code == self.expected:
            return "agrees"
        return "acceptable" if code in self.acceptable else "differs"


class Key(BaseModel):
    """The expert key of a vignette."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: dict[str, KeyItem] = Field(default_factory=dict)
    outcome_answers: dict[str, dict[str, KeyItem]] = Field(default_factory=dict)
    judgements: dict[str, KeyItem] = Field(default_factory=dict)


class Vignette(BaseModel):
    """A fictional study to practise on, with its model answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vignette: int = 1
    id: str = Field(min_length=1)
    title: str
    subtitle: str = ""
    summary: str = ""
    design: str = ""
    checklist: ChecklistRef
    study: Study
    text: str
    outcomes: list[Outcome] = Field(default_factory=list)
    key: Key
    teaching_points: list[str] = Field(default_factory=list)
    key_points: dict[str, list[int]] = Field(
        default_factory=dict,
        description="Key point id (e.g. 'at-least-as-effective') -> the teaching points (1-based) teaching it.",
    )


@dataclass(frozen=True)
class VignetteEntry:
    """A vignette file found on disk."""

    id: str
    path: Path
    title: str
    summary: str
    design: str


def vignette_files() -> list[Path]:
    """Bundled vignettes, then the user's (``practice/`` in the data folder), by name."""
    folders = [paths.bundled("checklists") / "practice", paths.data_dir() / "practice-vignettes"]
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.iterdir()) if p.suffix in SUFFIXES]


def load_vignette_file(path: Path) -> Vignette:
    """Read and validate one vignette file (FileProblems with line numbers if it is broken)."""
    return validate(read_document(path), Vignette)


def list_vignettes() -> tuple[list[VignetteEntry], list[Problem]]:
    """Every readable vignette, and the problems of any that are not."""
    entries: dict[str, VignetteEntry] = {}
    problems: list[Problem] = []
    for path in vignette_files():
        try:
            v = load_vignette_file(path)
        except FileProblems as error:
            problems.extend(error.problems)
            continue
        entries[v.id] = VignetteEntry(v.id, path, v.title, v.summary or v.subtitle, v.design)
    return list(entries.values()), problems


def find_vignette(vignette_id: str) -> Vignette:
    """The vignette with this id (LookupError naming the ones there are)."""
    entries, _ = list_vignettes()
    for entry in entries:
        if entry.id == vignette_id:
            return load_vignette_file(entry.path)
    from appraise.core.hints import suggestion

    names = [e.id for e in entries]
    raise LookupError(
        f"no practice vignette {vignette_id!r}{suggestion(vignette_id, names)} "
        f"(vignettes: {', '.join(names) or 'none'})"
    )


def start_practice(vignette: Vignette, reviewer: str = "") -> Appraisal:
    """A new practice appraisal of the vignette's study, with its outcomes already listed."""
    return Appraisal(
        checklist=vignette.checklist,
        study=vignette.study.model_copy(deep=True),
        reviewer=reviewer,
        outcomes=[o.model_copy(deep=True) for o in vignette.outcomes],
        practice={"vignette": vignette.id},
    )


def vignette_of(appraisal: Appraisal) -> str | None:
    """The vignette a practice appraisal is about, if it is one."""
    extra = appraisal.model_extra or {}
    practice = extra.get("practice")
    return str(practice.get("vignette")) if isinstance(practice, dict) and practice.get("vignette") else None


@dataclass
class QuestionFeedback:
    """Your answer to one question against the model answer."""

    question_id: str
    outcome_id: str | None
    text: str
    yours: str | None
    yours_label: str
    expected: str
    expected_label: str
    grade: Grade
    rationale: str
    why: str
    terms: list[str] = field(default_factory=list)


@dataclass
class JudgementFeedback:
    """Your section (or overall) judgement against the expected one."""

    key: str
    section_id: str
    outcome_id: str | None
    title: str
    yours: str | None
    expected: str
    grade: Grade
    rationale: str
    yours_label: str = "—"
    expected_label: str = ""


@dataclass
class Feedback:
    """Everything practice mode says about one appraisal."""

    vignette: Vignette
    questions: list[QuestionFeedback]
    judgements: list[JudgementFeedback]

    def count(self, grade: Grade, *, judgements: bool = False) -> int:
        """How many answers (or judgements) got this grade."""
        if judgements:
            return sum(1 for j in self.judgements if j.grade == grade)
        return sum(1 for q in self.questions if q.grade == grade)

    @property
    def answered(self) -> int:
        """Questions with an answer to compare."""
        return sum(1 for q in self.questions if q.grade not in {"unanswered", "not_asked"})

    @property
    def full_marks(self) -> bool:
        """Every question and judgement agrees or is acceptable."""
        grades = [q.grade for q in self.questions] + [j.grade for j in self.judgements]
        return all(grade in {"agrees", "acceptable", "not_asked"} for grade in grades)


def _judgement_label(section: Section, code: str | None) -> str:
    return judgement_label(section, code).label


def _label(checklist: Checklist, qid: str, code: str | None) -> str:
    if code == ANY:
        return "any answer (your judgement)"
    return answer_label(checklist.questions.get(qid), code)


def score(appraisal: Appraisal, vignette: Vignette, checklist: Checklist | None = None) -> Feedback:
    """Compare a practice appraisal with the vignette's expert key, question by question."""
    from appraise.learning.glossary import try_load_glossary

    checklist = checklist or load_checklist(vignette.checklist.id)
    glossary = try_load_glossary()
    assessment = Assessment(appraisal, checklist)
    questions: list[QuestionFeedback] = []
    keyed: list[tuple[str, str | None, KeyItem]] = [(qid, None, item) for qid, item in vignette.key.answers.items()]
    for outcome_key, items in vignette.key.outcome_answers.items():
        keyed += [(qid, outcome_key, item) for qid, item in items.items()]
    order = {qid: i for i, qid in enumerate(checklist.questions)}
    keyed.sort(key=lambda k: (order.get(k[0], len(order)), k[1] or ""))
    for qid, oid, item in keyed:
        question = checklist.questions.get(qid)
        if question is None:
            continue
        if checklist.section_of[qid].per_outcome and appraisal.outcome(oid or "") is None:
            code = None  # the learner has not added this outcome
        else:
            code = assessment.code(question, oid)
        grade: Grade = item.grade(code)
        if item.expected == NOT_REACHED and code == NOT_REACHED:
            grade = "not_asked"
        questions.append(
            QuestionFeedback(
                question_id=qid,
                outcome_id=oid,
                text=question.text,
                yours=code,
                yours_label=_label(checklist, qid, code),
                expected=item.expected,
                expected_label=_label(checklist, qid, item.expected),
                grade=grade,
                rationale=item.rationale,
                why=question.why,
                terms=[t.term for t in glossary.terms_in(question.text, question.why)],
            )
        )
    judgements: list[JudgementFeedback] = []
    for key, item in vignette.key.judgements.items():
        section_id, oid = unscope(key)
        section = checklist.judged.get(section_id)
        if section is None:
            continue
        if oid is not None and appraisal.outcome(oid) is None:
            yours = None
        else:
            yours = assessment.result(section_id, oid).judgement
        title = "Overall" if section_id == OVERALL else f"{section.id}. {section.title}"

        judgements.append(
            JudgementFeedback(
                key,
                section_id,
                oid,
                title,
                yours,
                item.expected,
                item.grade(yours),
                item.rationale,
                _judgement_label(section, yours),
                _judgement_label(section, item.expected),
            )
        )
    return Feedback(vignette, questions, judgements)


def model_appraisal(vignette: Vignette, checklist: Checklist | None = None) -> Appraisal:
    """The expert key as an appraisal (for "any" items, the first option), to read or to score."""
    from appraise.core.appraisal import Answer

    checklist = checklist or load_checklist(vignette.checklist.id)
    appraisal = start_practice(vignette, reviewer="Model answer")

    def code(qid: str, item: KeyItem) -> str | None:
        if item.expected == NOT_REACHED:
            return None
        if item.expected == ANY:
            question = checklist.questions.get(qid)
            return question.codes[0] if question is not None and question.codes else None
        return item.expected

    for qid, item in vignette.key.answers.items():
        if (chosen := code(qid, item)) is not None:
            appraisal.answers[qid] = Answer(answer=chosen, note=item.rationale)
    for oid, items in vignette.key.outcome_answers.items():
        for qid, item in items.items():
            if (chosen := code(qid, item)) is not None:
                appraisal.outcome_answers.setdefault(oid, {})[qid] = Answer(answer=chosen, note=item.rationale)
    return appraisal
