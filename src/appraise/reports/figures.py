"""Figure geometry for the HTML summary: traffic lights, summary bars and the evidence map, as plain numbers.

The template draws the SVG; this module only decides where things go, so the template stays
readable and every figure grows with its data instead of squeezing it: a traffic light gets
taller with every study, and its study labels stay horizontal and whole (robvis issues #81, #158).
Text widths are estimates (there is no font engine here), generous enough for system fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHAR = 6.7
"""Estimated width in pixels of one character at the figures' 12.5px font (generous for system fonts)."""

LABEL_CHARS = 72
"""Study labels longer than this are shortened with an ellipsis; the full label stays in the tooltip and table."""

ROW = 26
LEGEND_ITEM = 156
LEGEND_ROW = 24


# Small slotted records for the parts drawn thousands of times: Jinja reads their attributes far
# faster than dictionary keys (it tries an attribute first, then an item).


@dataclass(frozen=True, slots=True)
class Dot:
    """One traffic-light cell: which drawing (one per level of concern, defined once) and where."""

    ref: str
    x: float


@dataclass(frozen=True, slots=True)
class Line:
    """One study (or study and outcome) of a traffic-light plot; its label is also the row's tooltip."""

    label: str
    shown: str
    y: float
    stripe: bool
    cells: list[Dot]


@dataclass(frozen=True, slots=True)
class Cell:
    """One judgement in the table: colour and glyph, words, and the reviewer's reason where overridden."""

    concern: str
    glyph: str
    label: str
    note: str


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the judgements table."""

    label: str
    file: str
    weight: float | None
    cells: list[Cell]


def table(group: dict[str, Any]) -> list[TableRow]:
    """The judgements table's rows, cells in column order."""
    ids = [c["id"] for c in group["columns"]]
    rows = []
    for row in group["rows"]:
        cells = []
        for sid in ids:
            j = row["judgements"][sid]
            note = ""
            if j["overridden"]:
                reason = j["override_reason"] or "not given"
                note = f"reviewer’s judgement; proposed: {j['proposed_label']}; reason: {reason}"
            cells.append(Cell(j["concern"], j["glyph"], j["label"], note))
        rows.append(TableRow(row["label"], row["file"], row["weight"], cells))
    return rows


def for_summary(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Geometry of every group's figures, in the order of ``data['groups']``."""
    legend = data["legend"]
    return [
        {
            "traffic_light": traffic_light(group, legend, number) if group["columns"] and group["rows"] else None,
            "bars": bars(group, legend) if group["columns"] and group["rows"] else None,
            "evidence": evidence(group["evidence_map"]) if group["evidence_map"] else None,
            "table": table(group),
        }
        for number, group in enumerate(data["groups"], 1)
    ]


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _legend(entries: list[dict[str, Any]], top: float, width: float) -> tuple[list[dict[str, Any]], float]:
    """Legend items wrapped to the figure's width (each entry has a ``text``); returns the items and their height."""
    item = max(LEGEND_ITEM, max(len(e["text"]) for e in entries) * CHAR + 40)
    per_line = max(1, int((width - 16) // item))
    items = []
    for i, entry in enumerate(entries):
        line, place = divmod(i, per_line)
        items.append({**entry, "x": round(16 + place * item, 1), "y": top + 12 + line * LEGEND_ROW})
    lines = -(-len(entries) // per_line)
    return items, lines * LEGEND_ROW + 8


def _concerns(legend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every level of concern, always, even those no study reached (robvis issue #125)."""
    return [{**level, "text": level["word"]} for level in legend]


def traffic_light(group: dict[str, Any], legend: list[dict[str, Any]], number: int = 1) -> dict[str, Any]:
    """Studies down, domains across, a coloured dot with a glyph in every cell; the overall column shaded.

    ``number`` is the group's place on the page (1, 2, …): it keeps the ids of its drawings apart.
    """
    columns, rows = group["columns"], group["rows"]
    longest = max(len(row["label"]) for row in rows)
    label_width = round(min(max(longest, 14), LABEL_CHARS) * CHAR + 24)
    # Column heads are the section id in bold and its short name small beneath (11px, ~5.9px a character).
    column_width = round(max(52.0, min(96.0, max(len(c["short"]) for c in columns) * 5.9 + 14)))
    head = 50
    width = max(label_width + len(columns) * column_width + 16, 3 * LEGEND_ITEM + 32)
    heads = [
        {
            "id": c["id"],
            "short": c["short"],
            "title": c["title"],
            "x": label_width + (i + 0.5) * column_width,
            "overall": c["id"] == "overall",
            "x0": label_width + i * column_width,
        }
        for i, c in enumerate(columns)
    ]
    lines = []
    for r, row in enumerate(rows):
        y = head + r * ROW
        judgements = row["judgements"]
        dots = [Dot(f"tl{number}-{judgements[h['id']]['concern']}", h["x"]) for h in heads]
        lines.append(Line(row["label"], _fit(row["label"], LABEL_CHARS), y, r % 2 == 1, dots))
    grid_bottom = head + len(rows) * ROW
    items, legend_height = _legend(_concerns(legend), grid_bottom + 14, width)
    return {
        "width": round(width),
        "height": round(grid_bottom + 14 + legend_height + 6),
        "label_width": label_width,
        "column_width": column_width,
        "head": head,
        "heads": heads,
        "rows": lines,
        "grid_bottom": grid_bottom,
        "legend": items,
        "radius": 10,
        "row": ROW,
    }


def bars(group: dict[str, Any], legend: list[dict[str, Any]]) -> dict[str, Any]:
    """One stacked bar per domain: the share of results (or of their weight) at each level of concern."""
    styles = {level["concern"]: level for level in legend}
    label_width = round(min(max(len(f"{s['section']} {s['short']}") for s in group["shares"]) * CHAR + 24, 280))
    bar_width = 520.0
    top, height = 8, 30
    lines = []
    for i, share in enumerate(group["shares"]):
        x = label_width
        segments = []
        for concern, part in share["shares"].items():
            if part <= 0:
                continue
            width = part * bar_width
            segments.append(
                {
                    **styles[concern],
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "percent": f"{part * 100:.0f}%",
                    "text": width >= 40,
                    "glyph_only": 16 <= width < 40,
                }
            )
            x += width
        lines.append(
            {
                "label": f"{share['section']} {share['short']}" if share["section"] != "overall" else "Overall",
                "title": share["title"],
                "y": top + i * height,
                "segments": segments,
                "empty": not segments,
            }
        )
    axis = top + len(lines) * height + 4
    width = label_width + bar_width + 30
    items, legend_height = _legend(_concerns(legend), axis + 26, width)
    return {
        "width": round(width),
        "height": round(axis + 26 + legend_height + 6),
        "label_width": label_width,
        "bar_width": bar_width,
        "bar_height": 20,
        "rows": lines,
        "axis": axis,
        "ticks": [{"x": label_width + bar_width * t / 100, "text": f"{t}%"} for t in (0, 25, 50, 75, 100)],
        "legend": items,
    }


def evidence(emap: dict[str, Any]) -> dict[str, Any]:
    """Per outcome type, one bar per finding, its length the number of outcomes, coloured by overall confidence."""
    finding_width = round(max(len(f["label"]) for f in emap["findings"]) * CHAR + 40)
    most = max([cell["total"] for t in emap["types"] for cell in t["findings"]] + [1])
    unit = min(26.0, 380.0 / most)
    y = 6.0
    blocks = []
    for kind in emap["types"]:
        block: dict[str, Any] = {"label": kind["label"], "total": kind["total"], "y": y + 14, "bars": []}
        y += 22
        if not kind["total"]:
            blocks.append(block)  # a type nobody measured is one line: its name and (0)
            continue
        for cell in kind["findings"]:
            x = finding_width
            segments = []
            for level in cell["levels"]:
                width = level["count"] * unit
                segments.append(
                    {
                        **level,
                        "x": round(x, 2),
                        "width": round(width, 2),
                        "text": width >= 30,
                        "glyph_only": 14 <= width < 30,
                    }
                )
                x += width
            block["bars"].append(
                {"label": cell["label"], "total": cell["total"], "y": y, "segments": segments, "end": round(x, 2)}
            )
            y += 20
        y += 6
        blocks.append(block)
    width = max(finding_width + most * unit + 60, 3 * LEGEND_ITEM + 32)
    items, legend_height = _legend([{**level, "text": level["label"]} for level in emap["levels"]], y + 4, width)
    return {
        "width": round(width),
        "height": round(y + 4 + legend_height + 6),
        "unit": unit,
        "finding_width": finding_width,
        "blocks": blocks,
        "legend": items,
    }
