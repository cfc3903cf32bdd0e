"""The comparison report: plain data (the JSON report) and its Markdown and HTML renderings.

The data grows as a superset of the two-reviewer report: ``reviewers`` lists every reviewer,
``questions[]`` and ``judgements[]`` keep ``a``/``b`` (the first two reviewers) and add ``sides``
(every reviewer, in file order), ``outcomes`` keeps ``only_a``/``only_b`` and adds ``only`` (per
reviewer) and ``matching`` (how each outcome was matched across the files), and every agreement
block keeps its Cohen's-kappa fields and adds ``statistics`` (:mod:`appraise.review.agreement`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

from appraise import __version__
from appraise.core.checklist import OVERALL, Question, Section
from appraise.core.labels import answer_label
from appraise.reports import formats
from appraise.reports.environment import render_data
from appraise.reports.views import checklist_header, judgement_view
from appraise.review.agreement import Agreement
from appraise.review.compare import (
    AnswerSide,
    Comparison,
    JudgementPair,
    JudgementSide,
    Kappa,
    QuestionPair,
    reviewer_letter,
    reviewer_name,
)

TEMPLATES = formats.templates("compare")
"""Format → Jinja template, from the one registry of output formats."""

STATUS_VIEW = {
    "agree": {"glyph": "✓", "word": "agree"},
    "disagree": {"glyph": "✗", "word": "disagree"},
    "missing": {"glyph": "?", "word": "unanswered"},
}
"""How a status is shown: always a glyph and a word, never colour alone."""


def agreement_data(kappa: Kappa | None, stats: Agreement) -> dict[str, Any]:
    """One agreement block: the two-reviewer Cohen fields (where two) and every statistic."""
    if kappa is not None:
        return {**kappa.to_data(), "raters": stats.raters, "statistics": stats.to_data()["statistics"]}
    data = stats.to_data()
    main = stats.get("fleiss_kappa")
    # The two-reviewer fields, for more reviewers: all agree / all answered, and Fleiss' kappa.
    data["observed"] = None if stats.n == 0 else round(stats.agree / stats.n, 3)
    data["expected"] = None
    data["kappa"] = None if main is None or main.value is None else round(main.value, 3)
    data["note"] = "" if main is None else main.note
    return data


def comparison_report(
    comparison: Comparison,
    *,
    files: Sequence[str] = (),
    warnings: Iterable[str] = (),
    today: _dt.date | None = None,
) -> dict[str, Any]:
    """The comparison as plain data: the JSON report, and what the templates receive."""
    checklist, appraisals = comparison.checklist, comparison.appraisals
    two = len(appraisals) == 2
    outcome_names: dict[str, str] = {}
    for one in reversed(appraisals):
        outcome_names |= {o.id: o.label for o in one.outcomes}
    sections = [
        {
            "id": s.id,
            "title": s.title,
            "short": s.label,
            **agreement_data(comparison.question_kappa(s.id) if two else None, comparison.question_agreement(s.id)),
        }
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
            "values": list(f.values),
        }
        for f in comparison.outcome_fields
    ]
    files = list(files) + [""] * (len(appraisals) - len(files))
    reviewers = [
        {
            "label": reviewer_letter(i),
            "name": reviewer_name(one, reviewer_letter(i)),
            "file": files[i],
            "study_title": one.study.title,
        }
        for i, one in enumerate(appraisals)
    ]
    matching = comparison.matching
    all_warnings = list(warnings) + (matching.warnings() if matching is not None else [])
    only = [[{"id": i, "name": outcome_names[i]} for i in ids] for ids in comparison.only]
    return {
        "report": {"generated": (today or _dt.date.today()).isoformat(), "appraise_version": __version__},
        "checklist": checklist_header(checklist),
        "study": {"title": appraisals[0].study.title, "label": appraisals[0].study.label},
        "reviewers": reviewers,
        "warnings": all_warnings,
        "outcomes": {
            "compared": [{"id": i, "name": outcome_names[i]} for i in comparison.shared_outcomes],
            "only_a": only[0],
            "only_b": only[1],
            "only": [
                {"reviewer": r["name"], "label": r["label"], "outcomes": o}
                for r, o in zip(reviewers, only, strict=True)
            ],
            "matching": matching.to_data() if matching is not None else [],
            "differences": outcome_fields,
        },
        "agreement": {
            "questions": agreement_data(comparison.question_kappa() if two else None, comparison.question_agreement()),
            "judgements": agreement_data(
                comparison.judgement_kappa() if two else None, comparison.judgement_agreement()
            ),
            "sections": sections,
        },
        "summary": {
            "questions_disagree": sum(q["status"] == "disagree" for q in questions),
            "judgements_disagree": sum(j["status"] == "disagree" for j in judgements),
            "outcome_fields_differ": len(outcome_fields),
            "outcomes_not_compared": len(matching.unmatched) if matching is not None else 0,
        },
        "judgements": judgements,
        "questions": questions,
    }


def _question_entry(pair: QuestionPair, outcome_names: dict[str, str]) -> dict[str, Any]:
    question = pair.question
    sides = [_answer_view(question, side) for side in pair.sides]
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
        "a": sides[0],
        "b": sides[1],
        "sides": sides,
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
    sides = [_judgement_view(section, side) for side in pair.sides]
    return {
        "key": pair.key,
        "section": section.id,
        "title": section.title if section.id != OVERALL else "Overall",
        "short": section.label,
        "outcome": pair.outcome_id,
        "outcome_name": outcome_names.get(pair.outcome_id) if pair.outcome_id else None,
        "status": pair.status,
        "a": sides[0],
        "b": sides[1],
        "sides": sides,
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


def public(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON report: the data without presentation-only helpers (colours, glyphs)."""
    from appraise.reports.environment import public as without_presentation

    return without_presentation(data)


def render_comparison(data: dict[str, Any], fmt: str = "md") -> str:
    """Render a comparison report (from :func:`comparison_report`) as Markdown, HTML or JSON."""
    return render_data(
        data, fmt, TEMPLATES, json_hint="appraise compare A B -f json", context={"status_view": STATUS_VIEW}
    )


__all__ = ["STATUS_VIEW", "TEMPLATES", "agreement_data", "comparison_report", "public", "render_comparison"]
