"""A calibration round: agreement per question across the pilot studies, lowest first.

Every reviewer's files of the pilot studies (``review.yaml``'s ``pilot``) are compared study by
study, outcomes matched as in ``appraise compare``. Each question then has one item per study (and
outcome, for per-outcome questions) with one rating per reviewer, and its agreement statistics over
those items. The questions the team agrees on least come first, each with every reviewer's answer
and note per study and the review's guidance so far, so the team can write guidance for them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from appraise import __version__
from appraise.core.checklist import Checklist
from appraise.core.labels import answer_label
from appraise.reports import formats
from appraise.review.agreement import Rating, agreement
from appraise.review.compare import QuestionPair, compare_many
from appraise.review.folder import Review, StudyFiles
from appraise.review.matching import match_outcomes
from appraise.review.report import agreement_data

TEMPLATES = formats.templates("calibrate")
"""Format → Jinja template, from the one registry of output formats."""


def calibration_report(
    review: Review, *, today: _dt.date | None = None, matches: Sequence[tuple[Path, str, str]] = ()
) -> dict[str, Any]:
    """The calibration round as plain data: the JSON report, and what the templates receive.

    ``matches`` links outcomes by hand, as ``--match``: (a reviewer's file, its outcome, the first file's).
    Raises :class:`~appraise.review.matching.MatchError` for a link to an outcome that is not there.
    """
    team = review.reviewers
    warnings = [str(p) for p in review.problems]
    studies = [s for s in review.pilot_studies() if len(s.files) >= 2]
    for study in review.pilot_studies():
        if len(study.files) < 2:
            warnings.append(f"{study.label}: only {', '.join(study.files)} appraised it, so it is not compared")
    checklist: Checklist | None = None
    per_question: dict[str, dict[str, Any]] = {}
    judgement_rows: list[list[Rating]] = []
    study_rows = []
    for study in studies:
        first = next(iter(study.files.values()))
        if checklist is None:
            checklist = first.checklist
        if any(f.checklist.id != checklist.id for f in study.files.values()):
            warnings.append(f"{study.label}: made with another checklist than {checklist.id}, so it is not compared")
            continue
        names = list(study.files)
        reviewers = [_name(study, n) for n in names]
        appraisals = [study.files[n].appraisal for n in names]
        paths = [study.files[n].path.resolve() for n in names]
        manual = [(paths.index(f.resolve()), own, target) for f, own, target in matches if f.resolve() in paths[1:]]
        matching = match_outcomes(appraisals, reviewers=reviewers, manual=manual) if manual else True
        comparison = compare_many(appraisals, checklist, reviewers=reviewers, matching=matching)
        if comparison.matching is not None:
            warnings += [f"{study.label}: {w}" for w in comparison.matching.warnings()]
        column = {n: i for i, n in enumerate(names)}
        study_rows.append(_study_entry(study, team))
        for pair in comparison.compared_questions:
            if not pair.counted:
                continue
            entry = per_question.setdefault(pair.question.id, _question_shell(pair, review))
            entry["rows"].append([pair.sides[column[r]].code if r in column else None for r in team])
            entry["items"].append(_item_entry(study, pair, team, column, comparison))
        for judgement in comparison.compared_judgements:
            judgement_rows.append([judgement.sides[column[r]].code if r in column else None for r in team])
    questions = []
    all_rows: list[list[Rating]] = []
    for entry in per_question.values():
        rows = entry.pop("rows")
        all_rows += rows
        entry["agreement"] = agreement(rows).to_data()
        questions.append(entry)
    order = {q: i for i, q in enumerate(checklist.questions)} if checklist else {}
    questions.sort(key=lambda q: (_sort_value(q["agreement"]), order.get(q["id"], 0)))
    return {
        "report": {"generated": (today or _dt.date.today()).isoformat(), "appraise_version": __version__},
        "review": {"title": review.settings.review, "folder": str(review.root)},
        "checklist": None
        if checklist is None
        else {"id": checklist.id, "version": checklist.version, "title": checklist.title},
        "reviewers": team,
        "studies": study_rows,
        "warnings": warnings,
        "agreement": {
            "questions": agreement_data(None, agreement(all_rows)),
            "judgements": agreement_data(None, agreement(judgement_rows)),
        },
        "questions": questions,
    }


def _name(study: StudyFiles, folder: str) -> str:
    return study.files[folder].appraisal.reviewer or folder


def _sort_value(data: dict[str, Any]) -> tuple[float, float]:
    """Lowest agreement first: percent of items all agree on, then Gwet's AC1 (stable when skewed)."""
    percent = data["percent"] if data["percent"] is not None else 101.0
    ac1 = next((s["value"] for s in data["statistics"] if s["key"] == "gwet_ac1"), None)
    return percent, ac1 if ac1 is not None else 2.0


def _study_entry(study: StudyFiles, team: list[str]) -> dict[str, Any]:
    return {
        "key": study.key,
        "label": study.label,
        "matched_by": study.how,
        "files": {r: str(study.files[r].path) for r in team if r in study.files},
        "missing": [r for r in team if r not in study.files],
    }


def _question_shell(pair: QuestionPair, review: Review) -> dict[str, Any]:
    question = pair.question
    return {
        "id": question.id,
        "section": pair.section.id,
        "short": question.short,
        "text": question.text,
        "why": question.why,
        "guidance": review.guidance(question.id),
        "rows": [],
        "items": [],
    }


def _item_entry(
    study: StudyFiles, pair: QuestionPair, team: list[str], column: dict[str, int], comparison: Any
) -> dict[str, Any]:
    outcome = comparison.a.outcome(pair.outcome_id) if pair.outcome_id else None
    answers = []
    for reviewer in team:
        if reviewer not in column:
            answers.append({"reviewer": reviewer, "answer": None, "label": "no file", "note": ""})
            continue
        side = pair.sides[column[reviewer]]
        record = side.record if side.asked is not False else None
        answers.append(
            {
                "reviewer": reviewer,
                "answer": side.code,
                "label": answer_label(pair.question, side.code, asked=side.asked),
                "note": record.note if record else "",
            }
        )
    return {
        "study": study.label,
        "outcome": outcome.label if outcome else None,
        "status": pair.status,
        "answers": answers,
    }


def render_calibration(data: dict[str, Any], fmt: str = "md") -> str:
    """Render a calibration report as Markdown, HTML or JSON."""
    from appraise.reports.environment import render_data

    return render_data(data, fmt, TEMPLATES, json_hint="appraise calibrate REVIEW -f json")


__all__ = ["calibration_report", "render_calibration"]
