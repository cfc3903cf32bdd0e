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
import json
from typing import Any, TextIO

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
        _write_json(data, out)
        return

    from appraise.reports import figures

    context = {**data, "figures": figures.for_summary(data)} if fmt == "html" else data
    try:
        render_template(TEMPLATES[fmt], context, json_hint="appraise summary PATH -f json", out=out)
    except ReportError as error:
        raise SummaryError(str(error)) from None


def _write_json(data: dict[str, Any], out: TextIO) -> None:
    """``json.dumps(public(data), indent=2)``, byte for byte, written as it goes: never whole in memory.

    Containers are written item by item; a flat dict shared by many rows (a table cell) is encoded once.
    """
    _emit({k: v for k, v in data.items() if k != "legend"}, out, 0, {})
    out.write("\n")


def _emit(value: Any, out: TextIO, depth: int, done: dict[tuple[int, int], str] | None) -> None:
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if k not in _PRESENTATION]
        if not items:
            out.write("{}")
            return
        key = (id(value), depth)
        if done is not None and key in done:
            out.write(done[key])
            return
        if all(not isinstance(v, dict | list | AnswerRows) for _, v in items):
            # A flat dict (a cell, an answer row): one string, kept for the next row that shares it.
            text = "{" + ",".join(f"{pad}{_key(k)}: {_scalar(v)}" for k, v in items) + pad[:-2] + "}"
            if done is not None:
                done[key] = text
            out.write(text)
            return
        out.write("{")
        for i, (k, v) in enumerate(items):
            out.write(("," if i else "") + f"{pad}{_key(k)}: ")
            _emit(v, out, depth + 1, done)
        out.write(pad[:-2] + "}")
    elif isinstance(value, list | tuple | AnswerRows):
        # Streamed answer rows are made afresh and dropped: their ids are reused, so none is remembered.
        keep = None if isinstance(value, AnswerRows) else done
        first = True
        for item in value:
            out.write(("[" if first else ",") + pad)
            _emit(item, out, depth + 1, keep)
            first = False
        out.write("[]" if first else pad[:-2] + "]")
    else:
        out.write(_scalar(value))


def _key(key: Any) -> str:
    """A key as json writes it (keys that are not text become text, as json.dumps makes them)."""
    return _string(key) if isinstance(key, str) else json.dumps({key: 0})[1:-4]


def _scalar(value: Any) -> str:
    return _string(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _row_json(row: dict[str, str]) -> str:
    """One answer row as ``json.dumps(row, indent=2)`` at its depth: rows are flat text, so no encoder is needed.

    (With ``indent`` the json module falls back to its pure-Python encoder, which was most of the
    time a JSON summary took.)
    """
    if not all(isinstance(v, str) for v in row.values()):
        return json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n    ")
    text = ",\n      ".join(f"{_string(k)}: {_string(v)}" for k, v in row.items())
    return "{\n      " + text + "\n    }" if row else "{}"


_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for text (in C)

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
    """Write the long CSV, row by row as the answers stream from the collection's spool."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for file, rows, control in collection.answer_values():
        # Text stays as written, except control characters, which must never reach a terminal,
        # and a leading = + - @, which a spreadsheet would run as a formula.
        file = spreadsheet_safe(visible(file))
        if control:
            writer.writerows([*spreadsheet_safe_row(map(visible, values)), file] for values in rows)
        else:
            writer.writerows([*spreadsheet_safe_row(values), file] for values in rows)
