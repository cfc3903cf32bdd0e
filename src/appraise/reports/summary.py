"""Across studies: read many appraisals, tabulate their final judgements, and draw the figures.

``appraise summary`` reads files and folders of appraisals (folders recursively, files by name),
judges each one with :class:`~appraise.core.assessment.Assessment` (never a judgement of its own), and
groups the results by checklist. The work is split by stage: :mod:`~appraise.reports.collect` reads,
:mod:`~appraise.reports.tabulate` builds the tables, :mod:`~appraise.reports.evidence_map` the evidence
map; this module renders the outputs and keeps every name importable from one place.
"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any, TextIO, cast

from appraise.core.text import spreadsheet_safe, spreadsheet_safe_row, visible
from appraise.reports import formats
from appraise.reports.collect import (
    ANSWER_COLUMNS,
    Collection,
    Judged,
    Result,
    StudyRecord,
    appraisal_files,
    collect,
    judged_sections,
    read_study,
)
from appraise.reports.environment import PRESENTATION_KEYS, ReportError, render_template
from appraise.reports.evidence_map import evidence_map
from appraise.reports.tabulate import AnswerRows, build_summary

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
    "write",
    "write_long_csv",
]

TEMPLATES = formats.templates("summary")
"""Format → Jinja template, from the one registry of output formats."""

LONG_COLUMNS = ANSWER_COLUMNS


class SummaryError(Exception):
    """A template could not be rendered; the message says which and where."""


def render(data: dict[str, Any], fmt: str) -> str:
    """The summary as Markdown, HTML (one self-contained page) or JSON."""
    buffer = io.StringIO()
    write(data, fmt, buffer)
    return buffer.getvalue()


def write(data: dict[str, Any], fmt: str, out: TextIO) -> None:
    """Write the summary as Markdown, HTML or JSON; JSON's answers are streamed, row by row."""
    if fmt == "json":
        from appraise.reports.summary_json import write_json

        write_json(data, out)
        return

    from appraise.reports import figures
    from appraise.reports.once import Once

    context = data
    if fmt == "html":
        context = {**data, "figures": figures.for_summary(data)}
    elif fmt == "md":
        # The judgements tables, each distinct cell drawn once (see reports.once).
        context = {**data, "tables": [figures.table(group) for group in data["groups"]], "once": Once()}
    try:
        render_template(TEMPLATES[fmt], context, json_hint="appraise summary PATH -f json", out=out)
    except ReportError as error:
        raise SummaryError(str(error)) from None


_PRESENTATION = PRESENTATION_KEYS


def _clean(value: Any, done: dict[int, Any]) -> Any:
    if isinstance(value, dict):
        # A dict shared by many rows (a table cell) is cleaned once and stays shared.
        if id(value) not in done:
            done[id(value)] = {k: _clean(v, done) for k, v in value.items() if k not in _PRESENTATION}
        return done[id(value)]
    if isinstance(value, list | AnswerRows):
        return [_clean(v, done) for v in value]
    return value


def public(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON summary: the data without presentation-only helpers (colours, glyphs)."""
    done: dict[int, Any] = {}
    return {k: _clean(v, done) for k, v in data.items() if k != "legend"}


def long_csv(collection: Collection) -> str:
    """The long CSV: one row per question per study (and outcome), every piece of support kept."""
    buffer = io.StringIO()
    write_long_csv(collection, buffer)
    return buffer.getvalue()


def write_long_csv(collection: Collection, out: TextIO) -> None:
    """Write the long CSV, a study at a time as the answers stream from the collection's spool."""
    lines: list[str] = []
    # The csv module writes each row with one call of ``write``: list.append keeps that in C.
    writer = csv.writer(cast(TextIO, SimpleNamespace(write=lines.append)), lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for file, rows, control, formula in collection.answer_values():
        # Text stays as written, except control characters, which must never reach a terminal,
        # and a leading = + - @, which a spreadsheet would run as a formula (each looked for only
        # where the study's text may hold one).
        if control:
            rows = [list(map(visible, values)) for values in rows]
        if formula or control:
            rows = [spreadsheet_safe_row(values) for values in rows]
        file = spreadsheet_safe(visible(file))
        for values in rows:
            values.append(file)
        writer.writerows(rows)
        out.write("".join(lines))
        lines.clear()
    out.write("".join(lines))
