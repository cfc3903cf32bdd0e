"""The RoB 2 Excel tool's Results sheet: its columns, and reading it back into RoB 2 appraisals.

Cochrane groups ask authors for the completed RoB 2 Excel tool; its Results sheet has one row per
assessed result: ``Unique ID``, the result's identity (study, experimental, comparator, outcome,
result, weight), the signalling questions ``1.1``…``5.3`` with a ``Note for …`` column each, and per
domain ``N.0 Algorithm result`` and ``N.0 Assessor's Judgement`` (``Low``, ``Some concerns``,
``High``), then the overall pair. Row 1 is a title; the header is row 2, as in the tool.

Written as a plain ``.xlsx`` (openpyxl; never a macro workbook) by :mod:`appraise.reports.xlsx`,
every formula-like cell stored as text, so that a note can never become a formula. Reading
accepts ``.xlsx`` and ``.xlsm`` (macros are never run: openpyxl reads values only), headers in any
capitalisation, and reports every unreadable cell by sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.core.appraisal import Answer, Appraisal, ChecklistRef, Override, Study, slugify
from appraise.core.assessment import Assessment
from appraise.core.checklist import Checklist, Question
from appraise.core.text import formula_like
from appraise.files.problems import Problem

SHEET = "Results"
IDENTITY = {"P1": "Result", "P2": "Outcome", "P3": "Experimental", "P4": "Comparator"}
"""RoB 2's preliminary questions that name the result, and the Results sheet's columns for them."""

IDENTITY_COLUMNS = ("Unique ID", "Study ID", "Experimental", "Comparator", "Outcome", "Result", "Weight")
LEVELS = {"low": "Low", "some_concerns": "Some concerns", "high": "High"}
SIGNALLING = re.compile(r"^(\d+)\.(\d+)$")


_QUOTED = re.compile(r"\n“(?P<quote>.*)”(?: \(p\. (?P<page>[^)]*)\))?$|\n\(p\. (?P<only_page>[^)]*)\)$", re.S)


def support_cell(note: str, quote: str, page: str) -> str:
    """The text of a ``Note for …`` cell: the note, then the quote in curly quotes and its page, each on a line."""
    text = note
    if quote:
        text += f"\n“{quote}”" + (f" (p. {page})" if page else "")
    elif page:
        text += f"\n(p. {page})"
    return text


def split_support(text: str) -> tuple[str, str, str]:
    """Note, quote and page back from a ``Note for …`` cell written by :func:`support_cell` (else all note)."""
    found = _QUOTED.search(text)
    if found is None:
        return text, "", ""
    return text[: found.start()], found.group("quote") or "", found.group("page") or found.group("only_page") or ""


def signalling_questions(checklist: Checklist) -> dict[str, list[Question]]:
    """Domain id → its numbered signalling questions (``1.1``…), the columns of the sheet."""
    found: dict[str, list[Question]] = {}
    for section in checklist.judged.values():
        questions = [q for q in section.questions if SIGNALLING.match(q.id)]
        if questions:
            found[section.id] = questions
    return found


def is_rob2(checklist_id: str) -> bool:
    """The Results sheet is RoB 2's (both effects of interest)."""
    return checklist_id.startswith("rob2")


def header(checklist: Checklist) -> list[str]:
    """The Results sheet's header row for a RoB 2 checklist."""
    columns = list(IDENTITY_COLUMNS)
    for n, (_, questions) in enumerate(signalling_questions(checklist).items(), 1):
        for q in questions:
            columns += [q.id, f"Note for {q.id}"]
        columns += [f"{n}.0 Algorithm result", f"{n}.0 Assessor's Judgement", f"Note for {n}.0"]
    columns += ["Overall Algorithm result", "Overall Assessor's Judgement", "Note for Overall"]
    return columns


# --- reading --------------------------------------------------------------------------------------


@dataclass
class SheetImport:
    """What reading a Results sheet gave: one appraisal per row, and every cell that could not be read."""

    appraisals: list[Appraisal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _key(text: Any) -> str:
    """A header as compared: case, spacing and the apostrophe's shape do not matter."""
    return " ".join(str(text or "").replace("’", "'").split()).lower()


_ANSWER_WORDS = {
    "y": "Y",
    "yes": "Y",
    "py": "PY",
    "probably yes": "PY",
    "pn": "PN",
    "probably no": "PN",
    "n": "N",
    "no": "N",
    "ni": "NI",
    "no information": "NI",
}
_NOT_ASKED = {"", "na", "n/a", "not applicable"}
_LEVEL_WORDS = {"low": "low", "low risk": "low", "some concerns": "some_concerns", "high": "high", "high risk": "high"}


def read_results(path: Path, checklist: Checklist) -> SheetImport:
    """Read the Results sheet of an ``.xlsx``/``.xlsm`` workbook into one appraisal per row."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    result = SheetImport()
    try:
        workbook = load_workbook(path, read_only=True, data_only=True, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        result.problems.append(Problem(str(path), 0, 0, f"cannot be read as an Excel workbook: {error}"))
        return result
    try:
        names = {name.lower(): name for name in workbook.sheetnames}
        sheet = workbook[names.get("results", workbook.sheetnames[0])]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    where = f"{path} (sheet {sheet.title})"
    header_at = next((i for i, row in enumerate(rows[:10]) if "unique id" in {_key(c) for c in row}), None)
    if header_at is None:
        result.problems.append(
            Problem(where, 0, 0, "no header row with 'Unique ID' in the first rows: is this the Results sheet?")
        )
        return result
    columns = {_key(c): i for i, c in enumerate(rows[header_at]) if c is not None}
    domains = signalling_questions(checklist)
    for number, row in enumerate(rows[header_at + 1 :], header_at + 2):
        if not any(c not in (None, "") for c in row):
            continue

        def cell(name: str, row: tuple[Any, ...] = row) -> Any:
            i = columns.get(_key(name))
            return row[i] if i is not None and i < len(row) else None

        def problem(name: str, message: str, number: int = number) -> None:
            letter = get_column_letter(columns[_key(name)] + 1) if _key(name) in columns else "?"
            result.problems.append(
                Problem(where, number, columns.get(_key(name), -1) + 1, f"{letter}{number} ({name}): {message}")
            )

        appraisal = _appraisal_from(cell, problem, checklist, domains)
        if appraisal is not None:
            result.appraisals.append(appraisal)
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # appraise 0.2.0 wrote a formula-like note with a leading apostrophe: read such sheets as meant.
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text


def _appraisal_from(
    cell: Any, problem: Any, checklist: Checklist, domains: dict[str, list[Question]]
) -> Appraisal | None:
    label = _text(cell("Study ID"))
    if not label:
        problem("Study ID", "no study label: every row needs one")
        return None
    extra: dict[str, Any] = {}
    weight = cell("Weight")
    if weight not in (None, ""):
        try:
            extra["weight"] = float(weight)
        except (TypeError, ValueError):
            problem("Weight", f"{weight!r} is not a number")
    appraisal = Appraisal.model_validate(
        {
            "checklist": ChecklistRef(id=checklist.id, version=checklist.version),
            "study": study_from_label(label),
            **extra,
        }
    )
    for qid, column in IDENTITY.items():
        text = _text(cell(column))
        if text:
            appraisal.answers[qid] = Answer(answer=text)
    for questions in domains.values():
        for q in questions:
            raw = _text(cell(q.id))
            note = _text(cell(f"Note for {q.id}"))
            code = _ANSWER_WORDS.get(raw.lower())
            if code is None and raw.lower() not in _NOT_ASKED:
                problem(q.id, f"{raw!r} is not an answer (Y, PY, PN, N, NI, or NA / empty when not asked)")
                continue
            if code is not None and q.option(code) is None:
                problem(
                    q.id, f"{raw!r} is not an answer to {q.id} (its answers: {', '.join(o.code for o in q.options)})"
                )
                continue
            if code or note:
                note, quote, page = split_support(note)
                appraisal.answers[q.id] = Answer(answer=code, note=note, quote=quote, page=page)
    assessment = Assessment(appraisal, checklist)
    for n, domain in enumerate([*domains, "overall"], 1):
        prefix = "Overall" if domain == "overall" else f"{n}.0"
        name = f"{prefix} Assessor's Judgement"
        raw = _text(cell(name))
        if not raw:
            continue
        code = _LEVEL_WORDS.get(raw.lower())
        if code is None:
            problem(name, f"{raw!r} is not a judgement (Low, Some concerns, High)")
            continue
        proposed = assessment.result(domain, None).proposed
        if code != proposed:
            reason = _text(cell(f"Note for {prefix}")) or "assessor's judgement in the RoB 2 Excel tool"
            appraisal.overrides[domain] = Override(judgement=code, reason=reason)
            assessment = Assessment(appraisal, checklist)  # later domains (overall) read this one
    return appraisal


def study_from_label(label: str) -> Study:
    """'Okafor 2021' → authors Okafor, year 2021 (so that the label reads the same); else the label as title."""
    found = re.match(r"^(.*\S)\s+((?:19|20)\d\d[a-z]?)$", label)
    if found and " " not in found.group(1):
        return Study(authors=found.group(1), year=found.group(2))
    return Study(title=label)


def file_name(appraisal: Appraisal) -> str:
    """A file name for an imported appraisal: its study label, made safe."""
    return slugify(appraisal.study.label, "result")
