"""Across studies: read many appraisals, tabulate their final judgements, and draw the figures.

``appraise summary`` reads files and folders of appraisals (folders recursively, files by name),
judges each one with :class:`~appraise.core.assessment.Assessment` (never a judgement of its own), and
groups the results by checklist. The work is split by stage: :mod:`~appraise.reports.collect` reads,
:mod:`~appraise.reports.tabulate` builds the tables, :mod:`~appraise.reports.evidence` the evidence
map; this module renders the outputs and keeps every name importable from one place.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from appraise.core.text import visible
from appraise.reports.collect import (
    Collection,
    Judged,
    Result,
    StudyRecord,
    appraisal_files,
    collect,
    judged_sections,
    read_study,
)
from appraise.reports.evidence import evidence_map
from appraise.reports.report import ReportError, render_template
from appraise.reports.tabulate import build_summary

__all__ = [
    "LONG_COLUMNS",
    "TEMPLATES",
    "Collection",
    "Judged",
    "Result",
    "StudyRecord",
    "SummaryError",
    "appraisal_files",
    "build_summary",
    "collect",
    "evidence_map",
    "judged_sections",
    "long_csv",
    "public",
    "read_study",
    "render",
]

TEMPLATES = {"md": "summary.md.j2", "html": "summary.html.j2"}

LONG_COLUMNS = (
    "study",
    "outcome",
    "section",
    "question",
    "answer",
    "answer_label",
    "note",
    "quote",
    "page",
    "proposed",
    "judgement",
    "override_reason",
    "reviewer",
    "instrument",
    "version",
    "file",
)
"""The columns of the long CSV (``-f csv``): one row per question, per outcome where per outcome."""


class SummaryError(Exception):
    """A template could not be rendered; the message says which and where."""


def render(data: dict[str, Any], fmt: str) -> str:
    """The summary as Markdown, HTML (one self-contained page) or JSON."""
    if fmt == "json":
        return json.dumps(public(data), indent=2, ensure_ascii=False) + "\n"

    from appraise.reports import figures

    context = {**data, "figures": figures.for_summary(data)} if fmt == "html" else data
    try:
        return render_template(TEMPLATES[fmt], context, json_hint="appraise summary PATH -f json")
    except ReportError as error:
        raise SummaryError(str(error)) from None


_PRESENTATION = {"glyph", "colour", "ink", "word"}


def public(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON summary: the data without presentation-only helpers (colours, glyphs)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in _PRESENTATION}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {k: clean(v) for k, v in data.items() if k != "legend"}


def long_csv(collection: Collection) -> str:
    """The long CSV: one row per question per study (and outcome), every piece of support kept."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LONG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for study in collection.studies:
        # Text stays as written, except control characters, which must never reach a terminal.
        writer.writerows({k: visible(v) for k, v in row.items()} for row in study.answers)
    return buffer.getvalue()
