"""The RoB 2 Excel tool's Results sheet written from RoB 2 appraisals (``appraise summary -o results.xlsx``).

The columns, and reading a sheet back, are in :mod:`appraise.files.results_sheet`. Written as a
plain ``.xlsx`` (openpyxl; never a macro workbook). A text cell that a spreadsheet would take as a
formula (:func:`appraise.core.text.formula_like`: ``= + - @``, tab, CR) is stored as explicit text with
Excel's quote prefix: Excel and LibreOffice show ``=HYPERLINK(…)`` literally, never run it, and keep
it text when the cell is edited. (A leading ``'`` in the value itself would be shown as part of it.)
"""

from __future__ import annotations

import io
from typing import Any

from appraise.core.text import formula_like, visible
from appraise.files.results_sheet import (
    IDENTITY,
    LEVELS,
    SHEET,
    header,
    is_rob2,
    signalling_questions,
    support_cell,
)


def results_workbook(data: dict[str, Any], **_: Any) -> bytes:
    """The Results sheet of every RoB 2 result in the summary (its data, with answers) as ``.xlsx`` bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from appraise.files.checklists import load_checklist

    groups = [g for g in data["groups"] if is_rob2(g["checklist"]["id"])]
    if not groups:
        ids = ", ".join(g["checklist"]["id"] for g in data["groups"])
        raise ValueError(f"the Results sheet is RoB 2's; these appraisals use {ids}")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    checklist = load_checklist(groups[0]["checklist"]["id"])
    columns = header(checklist)
    sheet.append([f"RoB 2 results, written by appraise {data['summary']['appraise_version']}"])
    sheet.append(columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    answers: dict[tuple[str, str], dict[str, Any]] = {(a["file"], a["question"]): a for a in data.get("answers", [])}
    domains = list(signalling_questions(checklist))
    unique = 0
    for group in groups:
        for row in group["rows"]:
            unique += 1
            values: dict[str, Any] = {"Unique ID": unique, "Study ID": row["study"]["label"], "Weight": row["weight"]}
            for qid, column in IDENTITY.items():
                values[column] = (answers.get((row["file"], qid)) or {}).get("answer", "")
            for n, domain in enumerate(domains, 1):
                for q in signalling_questions(checklist)[domain]:
                    found = answers.get((row["file"], q.id)) or {}
                    values[q.id] = found.get("answer", "")  # NA where the algorithm does not ask it, as the tool
                    values[f"Note for {q.id}"] = support_cell(
                        found.get("note", ""), found.get("quote", ""), found.get("page", "")
                    )
                _judgement_columns(values, f"{n}.0", row["judgements"].get(domain))
            _judgement_columns(values, "Overall", row["judgements"].get("overall"))
            # Control characters as visible stand-ins, as in Word (a sheet's XML cannot hold them).
            sheet.append([_fits(visible(v)) if isinstance(v, str) else v for v in (values.get(c, "") for c in columns)])
            for cell in sheet[sheet.max_row]:
                _literal(cell)
    sheet.freeze_panes = "C3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CELL_LIMIT = 32_767
"""Excel holds at most this many characters in a cell (a longer one makes it 'repair' the file)."""


def _fits(text: str) -> str:
    """``text``, or its start and a visible marker where it is longer than a cell can hold."""
    if len(text) <= CELL_LIMIT:
        return text
    marker = f" […cut: {len(text):,} characters in all; the whole text is in the appraisal file]"
    return text[: CELL_LIMIT - len(marker)] + marker


def _literal(cell: Any) -> None:
    """Store a formula-like text cell as text (openpyxl takes any str starting with ``=`` as a formula)."""
    if isinstance(cell.value, str) and formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _judgement_columns(values: dict[str, Any], prefix: str, judged: dict[str, Any] | None) -> None:
    if judged is None:
        return
    values[f"{prefix} Algorithm result"] = LEVELS.get(judged["proposed"] or "", "")
    values[f"{prefix} Assessor's Judgement"] = LEVELS.get(judged["judgement"] or "", "")
    values[f"Note for {prefix}"] = judged["override_reason"] if judged["overridden"] else ""
