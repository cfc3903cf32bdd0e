"""The plain records a summary works on: what reading one appraisal gave, and its form in the read cache.

They are plain data so that they cross process boundaries and go into the cache as JSON; the
stages after reading (tables, figures, outputs) see nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.files.problems import Problem

__all__ = ["Judged", "Read", "Result", "StudyRecord", "forget_shared", "from_cache", "judged", "to_cache"]


@dataclass(slots=True)
class Judged:
    """A section's final judgement for one row, with the proposal and the reviewer's reason."""

    judgement: str | None
    proposed: str | None
    reason: str
    state: str


@dataclass(slots=True)
class Result:
    """One row of a summary: a study, or one outcome of a study for per-outcome checklists."""

    outcome: dict[str, Any] | None
    judgements: dict[str, Judged]


@dataclass(slots=True)
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
    effects: list[dict[str, Any]] = field(default_factory=list)
    """Every outcome that records its result (id, name, type, effect), for the forest plot."""


@dataclass
class Read:
    """What reading one file gave, before ``--weighted`` decides about its weight: the part worth caching."""

    record: StudyRecord
    weight_problem: str
    weight_given: bool
    checklist: str
    """The signature of the checklist it was judged with (see :func:`readcache.checklist_signature`)."""
    answers: tuple[str, int, int] | None = None
    """Its answer rows when they were asked for, as the cache and the spool keep them (see ``collect.spooled``)."""


def to_cache(read: Read) -> dict[str, Any]:
    """A read as plain JSON data (its answers are stored beside it, see :func:`appraise.reports.collect.collect`)."""
    record = read.record
    return {
        "checklist_id": record.checklist_id,
        "study": record.study,
        "reviewer": record.reviewer,
        "weight": record.weight,
        "results": [
            [r.outcome, {sid: [j.judgement, j.proposed, j.reason, j.state] for sid, j in r.judgements.items()}]
            for r in record.results
        ],
        "warnings": [[p.line, p.column, p.message, p.severity] for p in record.warnings],
        "effects": record.effects,
        "weight_problem": read.weight_problem,
        "weight_given": read.weight_given,
        "checklist": read.checklist,
    }


_JUDGED: dict[tuple[str | None, str | None, str, str], Judged] = {}


def forget_shared() -> None:
    """Drop the shared judgements (at the start of each run, so one run's objects are not kept for ever)."""
    _JUDGED.clear()


def judged(judgement: str | None, proposed: str | None, reason: str, state: str) -> Judged:
    """One shared (read-only) object per distinct judgement: 10,000 studies repeat a few dozen."""
    key = (judgement, proposed, reason, state)
    found = _JUDGED.get(key)
    if found is None:
        found = _JUDGED[key] = Judged(judgement, proposed, reason, state)
    return found


def from_cache(path: Path, data: dict[str, Any]) -> Read | None:
    """A read rebuilt from the cache, for the path as given this time; None if the entry is not as expected."""
    name = str(path)
    try:
        record = StudyRecord(
            path=name,
            checklist_id=data["checklist_id"],
            study=data["study"],
            reviewer=data["reviewer"],
            weight=data["weight"],
            results=[
                Result(outcome, {sid: judged(*values) for sid, values in judgements.items()})
                for outcome, judgements in data["results"]
            ],
            warnings=[
                Problem(name, line, column, message, severity) for line, column, message, severity in data["warnings"]
            ],
            effects=data["effects"],
        )
        return Read(record, data["weight_problem"], data["weight_given"], data["checklist"])
    except (KeyError, TypeError, ValueError):
        return None
