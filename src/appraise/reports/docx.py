"""Word documents (python-docx) of a report or a summary: real headings, tables and styles, figures as images.

Per study (and outcome) and domain: the final judgement, the proposed one and any reason for an
override, and Cochrane's *support for judgement*: the answers with their notes, quotes and pages,
in the reader's words. Judgement cells are shaded in the figure colours and always carry the glyph
and the words as well, so the document reads the same in black and white.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from appraise.core.text import visible

OVERRIDE_MARK = "†"


def _text(value: Any) -> str:
    """Text safe for Word: control characters shown as stand-ins (XML cannot hold most of them)."""
    return visible(str(value or ""))


def _new_document(title: str, landscape: bool = False) -> DocumentObject:
    document = Document()
    document.core_properties.title = _text(title)
    document.core_properties.author = "appraise"
    section = document.sections[0]
    if landscape:  # wide judgement tables (one column per domain) need the width
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(_text(title), level=0)
    return document


def _shade(cell: _Cell, colour: str, ink: str) -> None:
    """Fill a table cell with a judgement's colour, its text in the matching ink."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = _rgb(ink)


def _rgb(colour: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _header_row(table: Table, headings: Iterable[str]) -> None:
    row = table.rows[0]
    for cell, heading in zip(row.cells, headings, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_text(heading))
        run.bold = True
    # Repeat the header on every page, and never split a row across pages.
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _keep_rows_whole(table: Table) -> None:
    for row in table.rows:
        no_split = OxmlElement("w:cantSplit")
        no_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(no_split)


def _table(document: DocumentObject, headings: list[str], rows: list[list[str]]) -> Table:
    table: Table = document.add_table(rows=1, cols=len(headings))
    table.style = document.styles["Table Grid"]
    _header_row(table, headings)
    for values in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        for cell, value in zip(cells, values, strict=True):
            cell.text = _text(value)
    _keep_rows_whole(table)
    return table


def _widths(table: Table, widths: list[float]) -> None:
    """Column widths in cm, set on the grid (which LibreOffice lays out by) and on every cell (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _judgement_cell(cell: _Cell, view: dict[str, Any], overridden: bool) -> None:
    cell.text = _text(f"{view['glyph']} {view['label']}{' ' + OVERRIDE_MARK if overridden else ''}")
    _shade(cell, view["colour"], view["ink"])


def support_text(answers: Iterable[dict[str, Any]]) -> str:
    """Cochrane's support for judgement: each answered question, its answer, note, quote and page."""
    parts = []
    for answer in answers:
        code, note, quote, page = (answer.get(k) or "" for k in ("answer", "note", "quote", "page"))
        if not (code or note or quote) or answer.get("asked") is False or answer.get("answer_label") == "Not asked":
            continue  # a question the algorithm did not reach supports nothing
        label = answer.get("answer_label") or code
        piece = f"{answer['id' if 'id' in answer else 'question']} {label}".strip()
        if note:
            piece += f": {note}"
        if quote:
            piece += f" “{quote}”" + (f" (p. {page})" if page else "")
        elif page:
            piece += f" (p. {page})"
        parts.append(piece.rstrip(".") + ".")
    return " ".join(parts)


def _save(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- one appraisal ---------------------------------------------------------------------------------


def report_docx(data: dict[str, Any], **_: Any) -> bytes:
    """The report of one appraisal (the data of :func:`appraise.reports.report.build_report`) as Word."""
    study, checklist = data["study"], data["checklist"]
    document = _new_document(f"Appraisal: {study.get('title') or study['label']}")
    meta = [
        ("Study", study["label"]),
        ("Citation", study.get("citation") or study.get("doi") or ""),
        ("Checklist", f"{checklist['title']} ({checklist['id']} version {checklist['version']})"),
        ("Reviewer", data["reviewer"]),
        ("Answered", f"{data['progress']['answered']} of {data['progress']['total']} questions"),
        ("Date", data["report"]["generated"]),
    ]
    _meta_table(document, meta)

    document.add_heading("Judgements", level=1)
    judged = [s for s in data["sections"] if s["view"]["concern"] != "na" or s["judgement"]]
    table = _table(
        document,
        ["Domain", "Judgement", "Proposed", "Reason for the reviewer's judgement", "Support for judgement"],
        [["", "", "", "", ""] for _ in judged] + [["", "", "", "", ""] for _ in data["overall"]],
    )
    for row, section in zip(table.rows[1:], judged, strict=False):
        name = f"{section['id']} {section['title']}" + (f" ({section['outcome_name']})" if section["outcome"] else "")
        row.cells[0].text = _text(name)
        _judgement_cell(row.cells[1], section["view"], _overridden(section))
        row.cells[2].text = _text(section["proposed_view"]["label"])
        row.cells[3].text = _text(section["override_reason"])
        row.cells[4].text = _text(support_text(section["questions"]))
    labels = {s[key]["code"]: s[key]["label"] for s in judged for key in ("view", "proposed_view") if s[key]["code"]}
    for row, overall in zip(table.rows[1 + len(judged) :], data["overall"], strict=True):
        row.cells[0].text = _text("Overall" + (f" ({overall['outcome_name']})" if overall["outcome"] else ""))
        _judgement_cell(row.cells[1], overall["view"], _overridden(overall))
        row.cells[2].text = _text(labels.get(overall["proposed"], overall["proposed"] or ""))
        row.cells[3].text = _text(overall["override_reason"])
        row.cells[4].text = _text(overall["statement"])
    document.add_paragraph(f"{OVERRIDE_MARK} the reviewer's judgement, overriding the proposal.", style="Caption")

    for section in data["sections"]:
        title = f"{section['id']} {section['title']}" + (f" — {section['outcome_name']}" if section["outcome"] else "")
        document.add_heading(_text(title), level=2)
        paragraph = document.add_paragraph()
        paragraph.add_run("Judgement: ").bold = True
        paragraph.add_run(_text(section["view"]["label"]))
        if _overridden(section):
            paragraph.add_run(_text(f" (proposed: {section['proposed_view']['label']}"))
            paragraph.add_run(_text(f"; reason: {section['override_reason'] or 'not given'})"))
        for step in section["steps"]:
            document.add_paragraph(_text(step), style="List Bullet")
        rows = [
            [
                q["id"],
                q["text"],
                q["answer_label"] or "—",
                support_text([{**q, "id": "", "answer": "", "answer_label": ""}]) if (q["note"] or q["quote"]) else "",
            ]
            for q in section["questions"]
            if q["asked"]
        ]
        if rows:
            _table(document, ["", "Question", "Answer", "Note, quote and page"], rows)
    if "history" in data:
        _history(document, data["history"])
    document.add_paragraph(_text(checklist.get("citation") or ""), style="Caption")
    if checklist.get("notice"):
        document.add_paragraph(_text(checklist["notice"]), style="Caption")
    return _save(document)


def _history(document: DocumentObject, history: list[dict[str, Any]]) -> None:
    """The file's history (``--history``): one row per change or event, oldest first."""
    document.add_heading("History of changes", level=1)
    rows = []
    for entry in history:
        who = entry.get("by") or "someone"
        if entry.get("event"):
            reason = f": {entry['reason']}" if entry.get("reason") else ""
            rows.append([entry.get("at", ""), who, f"{entry['event']}{reason}", "", ""])
        at = entry.get("at", "")
        rows.extend([at, who, c.get("field", ""), c["old_text"], c["new_text"]] for c in entry["changes"])
    if rows:
        _table(document, ["When (UTC)", "Who", "What", "Before", "After"], [[_text(v) for v in r] for r in rows])
    else:
        document.add_paragraph("No history recorded yet.")


def _overridden(entry: dict[str, Any]) -> bool:
    """The reviewer changed a proposal (a judgement that is the reviewer's by design overrides nothing)."""
    return bool(entry["judgement"] != entry["proposed"] and entry["state"] != "appraiser")


def _meta_table(document: DocumentObject, meta: list[tuple[str, str]]) -> None:
    rows = [(k, v) for k, v in meta if v]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    for row, (key, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = _text(key)
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.cells[1].text = _text(value)


# --- across studies --------------------------------------------------------------------------------


def summary_docx(data: dict[str, Any], **_: Any) -> bytes:
    """The summary (the data of :func:`appraise.reports.summary.build_summary`, with answers) as Word."""
    summary = data["summary"]
    document = _new_document(
        f"Across studies: {summary['appraisals']} appraisal{'s' if summary['appraisals'] != 1 else ''}",
        landscape=True,
    )
    _meta_table(
        document,
        [
            ("Judgements", "final: the reviewer's own where a proposal was overridden (marked †)"),
            ("Summary plot", "weighted by each result's weight" if summary["weighted"] else "share of results"),
            ("Date", summary["generated"]),
            ("Made with", f"appraise {summary['appraise_version']}"),
        ],
    )
    if summary["skipped"]:
        document.add_heading("Files left out", level=1)
        for problem in summary["skipped"]:
            document.add_paragraph(_text(problem), style="List Bullet")
    answers = data.get("answers", [])
    for number, group in enumerate(data["groups"], 1):
        checklist = group["checklist"]
        document.add_heading(_text(f"{checklist['title']} ({checklist['id']} version {checklist['version']})"), 1)
        _figures(document, data, group, number)
        if not group["columns"]:
            document.add_paragraph("This checklist makes no judgements, so there is no table of judgements.")
            continue
        document.add_heading("Judgements", level=2)
        columns = group["columns"]
        headings = ["Study", *(c["short"] if c["id"] == "overall" else f"{c['id']} {c['short']}" for c in columns)]
        table = _table(document, headings, [["" for _ in headings] for _ in group["rows"]])
        _widths(table, [5.5] + [(25.7 - 5.5) / len(columns)] * len(columns))
        for row, result in zip(table.rows[1:], group["rows"], strict=True):
            row.cells[0].text = _text(result["label"])
            for cell, column in zip(row.cells[1:], columns, strict=True):
                judged = result["judgements"][column["id"]]
                _judgement_cell(cell, judged, judged["overridden"])
        document.add_paragraph(f"{OVERRIDE_MARK} the reviewer's judgement, overriding the proposal.", style="Caption")

        document.add_heading("Support for judgements", level=2)
        for result in group["rows"]:
            document.add_heading(_text(result["label"]), level=3)
            rows = []
            for column in columns:
                judged = result["judgements"][column["id"]]
                support = support_text(_answers_for(answers, result, column["id"]))
                rows.append(
                    [
                        column["short"] if column["id"] == "overall" else f"{column['id']} {column['title']}",
                        f"{judged['glyph']} {judged['label']}" + (f" {OVERRIDE_MARK}" if judged["overridden"] else ""),
                        judged["proposed_label"] if judged["overridden"] else "",
                        judged["override_reason"] if judged["overridden"] else "",
                        support,
                    ]
                )
            support_table = _table(
                document, ["Domain", "Judgement", "Proposed", "Reason", "Support for judgement"], rows
            )
            _widths(support_table, [5.0, 4.0, 3.5, 4.2, 9.0])
        if checklist.get("citation"):
            document.add_paragraph(_text(checklist["citation"]), style="Caption")
    return _save(document)


def _answers_for(answers: list[dict[str, Any]], row: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The answers of one section of one row: study-level ones, plus the row's outcome's own."""
    outcome = row["outcome"]["name"] if row["outcome"] else None
    return [
        {**a, "id": a["question"]}
        for a in answers
        if a["file"] == row["file"] and a["section"] == section and a["outcome"] in {"", outcome}
    ]


def _figures(document: DocumentObject, data: dict[str, Any], group: dict[str, Any], number: int) -> None:
    """The group's figures as 300 dpi images, each with a caption, each drawn as in the SVG files."""
    from appraise.reports.svg import FigureError, figure_png

    one = {**data, "groups": [group]}
    names = {
        "traffic-light": "Traffic-light plot",
        "summary": "Summary plot",
        "forest": "Effect estimates beside risk of bias",
        "evidence-map": "Evidence map by outcome type",
    }
    for name, caption in names.items():
        try:
            png = figure_png(one, figure=name)
        except FigureError:
            continue  # a figure this group cannot have (no effects, no evidence map)
        document.add_heading(caption, level=2)
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            natural = Cm(image.width / 300 * 2.54)  # its size in the SVG, at 300 dpi
        document.add_picture(io.BytesIO(png), width=min(natural, Cm(24)))
        document.add_paragraph(_text(f"Figure: {caption.lower()} ({group['checklist']['id']})"), style="Caption")
