"""How an instrument and a judgement are shown in every output: reports, summaries and comparisons.

Kept apart from the single-study report so that a summary read from the cache needs neither the
appraisal models nor the judging engine.
"""

from __future__ import annotations

from typing import Any

from appraise.core.checklist import Checklist, Section
from appraise.core.labels import judgement_label
from appraise.reports.environment import CONCERN_STYLE


def judgement_view(section: Section, code: str | None, state: str = "judged") -> dict[str, Any]:
    """Label, concern level, glyph and colour for a judgement code of a section."""
    words = judgement_label(section, code, state)
    return {"code": code, "label": words.label, "concern": words.concern, **CONCERN_STYLE[words.concern]}


def checklist_header(checklist: Checklist) -> dict[str, str]:
    """Which instrument, which version: the ``checklist`` block every report, summary and comparison starts with."""
    return {
        "id": checklist.id,
        "version": checklist.version,
        "title": checklist.title,
        "citation": checklist.citation,
        "notice": checklist.notice,
        "closing": checklist.closing,
    }
