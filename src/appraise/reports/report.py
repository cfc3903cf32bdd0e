"""The single-study report: its data (the JSON contract), which the Markdown and HTML templates render.

Rendering itself (the Jinja environment, escaping, the sandbox) is :mod:`appraise.reports.environment`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import Any

from appraise import __version__
from appraise.core.assessment import Assessment, Entry
from appraise.core.checklist import NOT_APPLICABLE, Checklist
from appraise.core.consistency import checklist_warnings
from appraise.core.labels import answer_label
from appraise.files.history_text import report_history
from appraise.files.store import LoadedAppraisal
from appraise.reports import formats
from appraise.reports.environment import render_data
from appraise.reports.quote_evidence import add_evidence
from appraise.reports.views import checklist_header, judgement_view

FORMATS = tuple(formats.offered("report"))
TEMPLATES = formats.templates("report")
"""Format → Jinja template, from the one registry of output formats."""

# --- data -------------------------------------------------------------------------------------


def build_report(loaded: LoadedAppraisal, *, today: _dt.date | None = None, history: bool = False) -> dict[str, Any]:
    """The report as plain data: the JSON report, and the context every template receives.

    ``history=True`` adds ``history``: who changed what and when, from the file (``--history``).
    """
    appraisal, checklist = loaded.appraisal, loaded.checklist
    assessment = Assessment(appraisal, checklist)
    sections = [_section_entry(assessment, entry) for entry in assessment.entries()]
    overall = [_overall_entry(assessment, entry) for entry in assessment.overall()]
    progress = assessment.progress
    evidence = add_evidence(loaded, sections)
    # Dumped through the Appraisal's serializer, built with its validator: Study and Outcome alone
    # build their own on first use (deferred), ~1 ms of every report for the same output.
    dumped = appraisal.model_dump(mode="json", include={"study", "outcomes"})
    return {
        "report": {
            "generated": (today or _dt.date.today()).isoformat(),
            "appraise_version": __version__,
            "file": str(loaded.path),
        },
        "checklist": checklist_header(checklist),
        "study": {**dumped["study"], "label": appraisal.study.label},
        "reviewer": appraisal.reviewer,
        **evidence,
        "outcomes": [
            {
                **data,
                "label": o.label,
                "type_label": _vocabulary_label(checklist, "types", o.type),
                "finding_label": _vocabulary_label(checklist, "findings", o.finding),
            }
            for o, data in zip(appraisal.outcomes, dumped["outcomes"], strict=True)
        ],
        "sections": sections,
        "overall": overall,
        "interpretation": [
            {"section": s["id"], "message": m} for s in sections if s["outcome"] is None for m in s["messages"]
        ],
        "progress": {"answered": progress.answered, "total": progress.total},
        "problems": [str(p) for p in loaded.problems],
        "warnings": [
            {"message": w.message, "outcome": w.outcome_id, "outcome_name": w.outcome_name, "text": w.text}
            for w in checklist_warnings(assessment)
        ],
        "glossary": _terms_used(sections),
        **({"history": report_history(appraisal)} if history else {}),
    }


def _terms_used(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The glossary terms the report's questions use, for an appendix (none if there is no glossary).

    Finding terms (a pattern compiled and run over every question) costs more than the rest of a
    report, and loading the glossary to find them ~4 ms more; a checklist's questions are the same
    in every report. So the appendix is remembered per version of each glossary file (path, time,
    size, as validated files are cached), the question texts, and the code that finds the terms.
    """
    from appraise.files import cache, paths

    texts = [q["text"] for s in sections for q in s["questions"]]
    code = [Path(__file__), Path(__file__).parents[1] / "learning" / "glossary.py"]  # this, and the finding
    try:
        versions = [(str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in [*paths.glossary_files(), *code]]
    except OSError:
        return _appendix(texts)
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()
    return cache.remember(
        "glossary-terms", repr((__version__, versions, digest)), lambda: _appendix(texts), _is_appendix
    )


def _appendix(texts: list[str]) -> list[dict[str, str]]:
    """The glossary's terms that occur in the texts, alphabetically, as the report shows them."""
    from appraise.learning.glossary import try_load_glossary

    terms = sorted(try_load_glossary().terms_in(*texts), key=lambda t: t.term.lower())
    return [{"term": t.term, "abbreviation": t.abbreviation, "definition": t.definition} for t in terms]


def _is_appendix(value: Any) -> bool:
    keys = {"term", "abbreviation", "definition"}
    return isinstance(value, list) and all(
        isinstance(v, dict) and v.keys() == keys and all(isinstance(x, str) for x in v.values()) for v in value
    )


def _vocabulary_label(checklist: Checklist, kind: str, code: str | None) -> str | None:
    if code is None or checklist.outcomes is None:
        return code
    options = getattr(checklist.outcomes, kind)
    return next((o.label for o in options if o.code == code), code)


def _section_entry(assessment: Assessment, entry: Entry) -> dict[str, Any]:
    section, result = entry.section, entry.result
    outcome_id = entry.outcome_id
    questions = []
    for question in section.questions:
        record = assessment.appraisal.answer_record(question.id, outcome_id if section.per_outcome else None)
        code = assessment.code(question, outcome_id)
        questions.append(
            {
                "id": question.id,
                "text": question.text,
                "short": question.short,
                "critical": question.critical,
                "asked": assessment.reached(question, outcome_id) is not False,
                "answer": code,
                "answer_label": answer_label(question, code) if code else None,
                "note": record.note if record else "",
                "quote": record.quote if record else "",
                "page": record.page if record else "",
                "skip_reason": question.skip_reason,
            }
        )
    progress = assessment.section_progress(section, outcome_id)
    return {
        "id": section.id,
        "title": section.title,
        "short": section.label,
        "outcome": outcome_id,
        "outcome_name": entry.outcome.label if entry.outcome else None,
        "judgement": result.judgement,
        "proposed": result.proposed,
        "override_reason": result.override_reason,
        "state": result.state,
        "view": judgement_view(section, result.judgement, result.state),
        "proposed_view": judgement_view(section, result.proposed, result.state),
        "trace": result.trace,
        "steps": [step.text for step in result.steps],
        "messages": list(result.messages),
        "progress": {"answered": progress.answered, "total": progress.total},
        "questions": questions,
    }


def _overall_entry(assessment: Assessment, entry: Entry) -> dict[str, Any]:
    result = entry.result
    view = judgement_view(entry.section, result.judgement, result.state)
    outcome = entry.outcome
    return {
        "outcome": entry.outcome_id,
        "outcome_name": outcome.label if outcome else None,
        "primary": outcome.primary if outcome else None,
        "judgement": result.judgement,
        "proposed": result.proposed,
        "override_reason": result.override_reason,
        "state": result.state,
        "view": view,
        "trace": result.trace,
        "steps": [step.text for step in result.steps],
        "messages": list(result.messages),
        "statement": _statement(
            view["label"],
            result.judgement,
            outcome.label if outcome else None,
            _vocabulary_label(assessment.checklist, "findings", outcome.finding) if outcome else None,
        ),
    }


def _statement(label: str, code: str | None, outcome: str | None, finding: str | None) -> str:
    """A plain sentence: "Moderate confidence in the result for readmission (no difference)."."""
    subject = f"the result for {outcome}" if outcome else "the result"
    if code is None:
        return f"No overall judgement yet for {subject}: some answers it depends on are still open."
    if code == NOT_APPLICABLE:
        return f"No overall judgement for {subject}: this design needs a different tool."
    tail = f" (finding: {finding.lower()})" if finding else ""
    return f"{label} in {subject}{tail}."


def render_report(
    loaded: LoadedAppraisal,
    fmt: str = "md",
    *,
    template: Path | None = None,
    bundled: bool = False,
    history: bool = False,
) -> str:
    """Render the report of an appraisal as Markdown, HTML or JSON, or with a user template.

    ``bundled=True`` ignores the user's copy of the template (the app falls back to it when that fails);
    ``history=True`` adds the file's change history.
    """
    data = build_report(loaded, history=history)
    templates = formats.templates("report")  # read now: a format registered after import renders too
    return render_data(
        data, fmt, templates, json_hint="appraise report FILE -f json", template=template, bundled=bundled
    )
