"""Read many appraisals: each file judged by :class:`~appraise.core.assessment.Assessment`, as plain data.

A file that cannot be read is reported with its line and left out; the rest are still read.
Everything after reading (tables, figures, outputs) works on the plain records made here.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.core.assessment import Assessment
from appraise.core.checklist import NOT_REACHED, Checklist, Section
from appraise.files.store import LoadedAppraisal, load_appraisal
from appraise.files.walker import yaml_files as appraisal_files
from appraise.files.yamlio import FileProblems, Problem, read_document

__all__ = [
    "Collection",
    "Judged",
    "Result",
    "StudyRecord",
    "appraisal_files",
    "collect",
    "judged_sections",
    "read_study",
]

PARALLEL_FROM = 150
"""Below this many files, starting worker processes costs more than it saves."""


@dataclass
class Judged:
    """A section's final judgement for one row, with the proposal and the reviewer's reason."""

    judgement: str | None
    proposed: str | None
    reason: str
    state: str


@dataclass
class Result:
    """One row of a summary: a study, or one outcome of a study for per-outcome checklists."""

    outcome: dict[str, Any] | None
    judgements: dict[str, Judged]


@dataclass
class StudyRecord:
    """What the summary needs from one appraisal file, as plain data (it crosses process boundaries)."""

    path: str
    checklist_id: str
    study: dict[str, str]
    reviewer: str
    weight: float | None
    results: list[Result]
    answers: list[dict[str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Collection:
    """Every appraisal read, in input order, and every file left out, with why."""

    studies: list[StudyRecord] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def skipped_files(self) -> list[str]:
        """The files that were left out, once each, in input order."""
        return list(dict.fromkeys(p.path for p in self.skipped))


def collect(
    paths: Sequence[Path], *, answers: bool = False, weighted: bool = False, jobs: int | None = None
) -> Collection:
    """Read and judge every appraisal under ``paths``; broken or foreign files are skipped with their problems.

    ``answers`` keeps every answer (for the long CSV and JSON); ``weighted`` makes a missing or
    invalid ``weight`` an error that leaves the file out. ``jobs`` caps the worker processes
    (default: one per core for large inputs, none for small ones).
    """
    files = appraisal_files(paths)
    tasks = [(str(f), answers, weighted) for f in files]
    outcomes: list[StudyRecord | list[Problem]]
    workers = _workers(len(files), jobs)
    if workers > 1:
        import concurrent.futures
        import multiprocessing

        # The first file is read here, so that the forked workers start with everything imported
        # and its checklist loaded; "fork" is what makes that inheritance cheap.
        outcomes = [_read_task(tasks[0])]
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            outcomes += pool.map(_read_task, tasks[1:], chunksize=max(8, len(tasks) // (workers * 4)))
    else:
        outcomes = [_read_task(task) for task in tasks]
    collection = Collection()
    for outcome in outcomes:
        if isinstance(outcome, StudyRecord):
            collection.studies.append(outcome)
            collection.warnings.extend(outcome.warnings)
        else:
            collection.skipped.extend(outcome)
    return collection


def _workers(files: int, jobs: int | None) -> int:
    if files < PARALLEL_FROM or sys.platform != "linux":
        # fork is only safe and cheap on Linux; elsewhere the files are read one by one.
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs or available, available, 8))


def _read_task(task: tuple[str, bool, bool]) -> StudyRecord | list[Problem]:
    path, answers, weighted = task
    return read_study(Path(path), answers=answers, weighted=weighted)


def read_study(path: Path, *, answers: bool = False, weighted: bool = False) -> StudyRecord | list[Problem]:
    """One appraisal file judged, as plain data; or the problems that leave it out."""
    try:
        loaded = _load(path)
    except FileProblems as error:
        return error.problems
    except OSError as error:
        return [Problem(str(path), 0, 0, f"cannot be read: {error.strerror or error}")]
    if loaded.errors:
        return loaded.errors
    weight, weight_problem = _weight(loaded)
    warnings = list(loaded.warnings)
    if weight_problem and (weighted or "weight" in (loaded.appraisal.model_extra or {})):
        problem = _problem_at(path, ("weight",), weight_problem, "error" if weighted else "warning")
        if weighted:
            return [problem]
        warnings.append(problem)
    return _record(loaded, weight, warnings, answers)


_last: list[Checklist] = []
"""The checklist of the previous file (per process): folders mostly hold appraisals made with one checklist."""


def _load(path: Path) -> LoadedAppraisal:
    """:func:`load_appraisal`, trying the previous file's checklist first (finding one by id costs a third)."""
    if _last:
        loaded = load_appraisal(path, _last[0])
        if loaded.appraisal.checklist.id == _last[0].id:
            return loaded
    loaded = load_appraisal(path)  # a first file, or another checklist: found by its id, as usual
    _last[:] = [loaded.checklist]
    return loaded


def _weight(loaded: LoadedAppraisal) -> tuple[float | None, str]:
    """The appraisal's optional numeric ``weight`` (for weighted summaries), or why it cannot be used."""
    raw = (loaded.appraisal.model_extra or {}).get("weight")
    if raw is None:
        return None, "no 'weight' (a number, e.g. 'weight: 12.5'), which --weighted needs"
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(str(raw))
    except ValueError:
        return None, f"weight {raw!r} is not a number"
    if not math.isfinite(value) or value < 0:
        return None, f"weight {raw!r} must be a number of 0 or more"
    return value, ""


def _problem_at(path: Path, loc: tuple[str, ...], message: str, severity: str) -> Problem:
    # Only on the error path: read the document again for the position of the key.
    try:
        return read_document(path).problem(loc, message, key=True, severity=severity)
    except FileProblems:
        return Problem(str(path), 0, 0, message, severity)


def judged_sections(checklist: Checklist) -> list[Section]:
    """The columns of a summary: every section that reaches a judgement, then the overall one."""
    return [section for section in checklist.judged.values() if section.judgements]


def _record(loaded: LoadedAppraisal, weight: float | None, warnings: list[Problem], answers: bool) -> StudyRecord:
    appraisal, checklist = loaded.appraisal, loaded.checklist
    assessment = Assessment(appraisal, checklist)
    columns = judged_sections(checklist)
    outcomes = appraisal.outcomes if checklist.per_outcome and appraisal.outcomes else [None]
    results = []
    for outcome in outcomes:
        judgements = {}
        for section in columns:
            per_outcome = assessment.is_per_outcome(section)
            result = assessment.result(section.id, outcome.id if outcome and per_outcome else None)
            judgements[section.id] = Judged(result.judgement, result.proposed, result.override_reason, result.state)
        described = None
        if outcome is not None:
            described = {
                "id": outcome.id,
                "name": outcome.label,
                "type": outcome.type,
                "finding": outcome.finding,
                "primary": outcome.primary,
            }
        results.append(Result(described, judgements))
    study = {k: str(v) for k, v in appraisal.study.model_dump(mode="json").items() if isinstance(v, str)}
    study["label"] = appraisal.study.label
    record = StudyRecord(
        path=str(loaded.path),
        checklist_id=checklist.id,
        study=study,
        reviewer=appraisal.reviewer,
        weight=weight,
        results=results,
        warnings=warnings,
    )
    if answers:
        record.answers = _answers(assessment, str(loaded.path))
    return record


def _answers(assessment: Assessment, path: str) -> list[dict[str, str]]:
    """One row per question (per outcome where per outcome): the long table's rows."""
    appraisal, checklist = assessment.appraisal, assessment.checklist
    label = appraisal.study.label
    rows: list[dict[str, str]] = []
    for entry in assessment.entries(include_overall=False):
        section, result = entry.section, entry.result
        for question in section.questions:
            code = assessment.code(question, entry.outcome_id)
            record = appraisal.answer_record(question.id, entry.outcome_id if section.per_outcome else None)
            option = question.option(code) if code else None
            rows.append(
                {
                    "study": label,
                    "outcome": entry.outcome.label if entry.outcome else "",
                    "section": section.id,
                    "question": question.id,
                    "answer": code or "",
                    "answer_label": option.label if option else ("Not asked" if code == NOT_REACHED else ""),
                    "note": record.note if record else "",
                    "quote": record.quote if record else "",
                    "page": record.page if record else "",
                    "proposed": result.proposed or "",
                    "judgement": result.judgement or "",
                    "override_reason": result.override_reason,
                    "reviewer": appraisal.reviewer,
                    "instrument": checklist.id,
                    "version": checklist.version,
                    "file": path,
                }
            )
    return rows
