"""Figure geometry for the HTML summary: traffic lights, summary bars and the evidence map, as plain numbers.

The template draws the SVG; this module only decides where things go, so the template stays
readable and every figure grows with its data instead of squeezing it: a traffic light gets
taller with every study, and its study labels stay horizontal and whole (robvis issues #81, #158).
Text widths are estimates (there is no font engine here), generous enough for system fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from appraise.reports.once import Once

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
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """One study (or study and outcome) of a traffic-light plot; its label is also the row's tooltip."""

    label: str
    shown: str
    y: float
    stripe: bool
    cells: tuple[Dot, ...]
    """Shared by the rows with the same judgements, so that :class:`Once` draws them once."""


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
    cells: tuple[Cell, ...]
    """Shared by the rows with the same judgements, as :attr:`Line.cells` is."""


def table(group: dict[str, Any]) -> list[TableRow]:
    """The judgements table's rows, cells in column order."""
    ids = [c["id"] for c in group["columns"]]
    rows = []
    # Judgements are shared between rows (tabulate makes one dict per distinct cell): so are their cells.
    made: dict[int, Cell] = {}
    patterns: dict[tuple[int, ...], tuple[Cell, ...]] = {}
    for row in group["rows"]:
        judgements = [row["judgements"][sid] for sid in ids]
        key = tuple(map(id, judgements))
        cells = patterns.get(key)
        if cells is None:
            cells = patterns[key] = tuple(made.get(id(j)) or made.setdefault(id(j), _cell(j)) for j in judgements)
        rows.append(TableRow(row["label"], row["file"], row["weight"], cells))
    return rows


def _cell(j: dict[str, Any]) -> Cell:
    note = ""
    if j["overridden"]:
        reason = j["override_reason"] or "not given"
        note = f"reviewer’s judgement; proposed: {j['proposed_label']}; reason: {reason}"
    return Cell(j["concern"], j["glyph"], j["label"], note)


def for_summary(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Geometry of every group's figures, in the order of ``data['groups']``."""
    legend = data["legend"]
    return [
        {
            "traffic_light": traffic_light(group, legend, number) if group["columns"] and group["rows"] else None,
            "bars": bars(group, legend) if group["columns"] and group["rows"] else None,
            "evidence": evidence(group["evidence_map"]) if group["evidence_map"] else None,
            "forest": forest(group, legend) if group["columns"] and group["rows"] else None,
            "table": table(group),
            "once": Once(),
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


def _concerns(legend: list[dict[str, Any]], group: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The instrument's levels of concern, always, even those no study reached (robvis issue #125).

    Only the levels the instrument's judgements use (a RoB 2 figure never shows "critical"), plus
    "no information" and "not applicable" where a row shows them.
    """
    if group is None or "levels" not in group:
        return [{**level, "text": level["word"]} for level in legend]
    shown = set(group["levels"])
    shown |= {cell["concern"] for row in group["rows"] for cell in row["judgements"].values()}
    return [{**level, "text": level["word"]} for level in legend if level["concern"] in shown]


OVERRIDE_NOTE = "† the reviewer’s judgement, overriding the proposal"


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
    patterns: dict[tuple[tuple[str, bool], ...], tuple[Dot, ...]] = {}
    made: dict[tuple[str, float, bool], Dot] = {}  # each distinct cell one object, shared by the patterns
    for r, row in enumerate(rows):
        y = head + r * ROW
        judgements = row["judgements"]
        key = tuple((judgements[h["id"]]["concern"], bool(judgements[h["id"]]["overridden"])) for h in heads)
        dots = patterns.get(key)
        if dots is None:
            pairs = [(f"tl{number}-{concern}", h["x"], drawn) for h, (concern, drawn) in zip(heads, key, strict=True)]
            dots = patterns[key] = tuple(made.get(p) or made.setdefault(p, Dot(*p)) for p in pairs)
        lines.append(Line(row["label"], _fit(row["label"], LABEL_CHARS), y, r % 2 == 1, dots))
    grid_bottom = head + len(rows) * ROW
    entries = _concerns(legend, group)
    overrides = any(d.overridden for line in lines for d in line.cells)
    items, legend_height = _legend(entries, grid_bottom + 14, width)
    note_y = grid_bottom + 14 + legend_height + 6
    if overrides:
        legend_height += 20
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
        "override_note": {"text": OVERRIDE_NOTE, "y": note_y} if overrides else None,
        "radius": 10,
        "row": ROW,
        "once": Once(),
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
    items, legend_height = _legend(_concerns(legend, group), axis + 26, width)
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


# --- forest plot beside risk of bias ----------------------------------------------------------------

RATIOS = frozenset({"RR", "OR", "HR"})
MEASURE_NAMES = {
    "RR": "Risk ratio",
    "OR": "Odds ratio",
    "HR": "Hazard ratio",
    "MD": "Mean difference",
    "SMD": "Standardised mean difference",
}
PLOT_WIDTH = 300.0
FOREST_ROW = 24
ESTIMATE_WIDTH = 150
DOT_COLUMN = 30


def forest_rows(group: dict[str, Any], outcome: str | None = None) -> list[dict[str, Any]]:
    """Every result with an effect estimate: the study, the outcome, the effect, and the row's judgements.

    Per-outcome checklists give one row per study and outcome; study-level ones (RoB 2 judges one
    result per appraisal) pair each outcome that records an effect with the study's judgements.
    ``outcome`` keeps only the outcome with this id or name (case-insensitive).
    """
    wanted = outcome.strip().lower() if outcome else None
    found = []
    for row in group["rows"]:
        if row["outcome"] is not None:
            candidates = [row["outcome"]] if row["outcome"].get("effect") else []
        else:
            candidates = [e for e in row.get("effects", [])]
        for item in candidates:
            if wanted and wanted not in {str(item["id"]).lower(), str(item["name"]).lower()}:
                continue
            found.append({"row": row, "outcome": item, "effect": item["effect"]})
    return found


def forest(group: dict[str, Any], legend: list[dict[str, Any]], outcome: str | None = None) -> dict[str, Any] | None:
    """One panel per outcome type and measure: point and interval per study, the domain judgements beside it.

    Ratios (RR, OR, HR) are drawn on a log axis around 1, differences (MD, SMD) on a linear axis
    around 0. None when no result records an effect.
    """
    results = forest_rows(group, outcome)
    if not results:
        return None
    columns = group["columns"]
    styles = {level["concern"]: level for level in legend}
    panels_by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for result in results:
        key = (result["outcome"].get("type") or "", result["effect"]["measure"])
        panels_by_key.setdefault(key, []).append(result)
    longest = max(len(_forest_label(r, outcome)) for r in results)
    label_width = round(min(max(longest, 14), LABEL_CHARS) * CHAR + 24)
    plot_x = label_width
    estimate_x = plot_x + PLOT_WIDTH + 16
    dots_x = estimate_x + ESTIMATE_WIDTH
    width = dots_x + len(columns) * DOT_COLUMN + 16
    y = 8.0
    panels = []
    for (kind, measure), items in panels_by_key.items():
        log = measure in RATIOS
        scale = _Scale(items, log, plot_x)
        title_y = y + 14
        head_y = y + 34
        top = y + 44
        rows = []
        for i, item in enumerate(items):
            effect = item["effect"]
            row_y = top + i * FOREST_ROW
            mid = row_y + FOREST_ROW / 2
            judgements = item["row"]["judgements"]
            rows.append(
                {
                    "label": _forest_label(item, outcome),
                    "shown": _fit(_forest_label(item, outcome), LABEL_CHARS),
                    "y": row_y,
                    "mid": mid,
                    "stripe": i % 2 == 1,
                    "x": scale.x(effect["estimate"]),
                    "x_lower": scale.x(effect["lower"]),
                    "x_upper": scale.x(effect["upper"]),
                    "estimate": effect["estimate"],
                    "lower": effect["lower"],
                    "upper": effect["upper"],
                    "text": f"{effect['estimate']:.2f} [{effect['lower']:.2f}, {effect['upper']:.2f}]",
                    "size": 4.5,
                    "cells": [
                        {
                            **styles[judgements[c["id"]]["concern"]],
                            "x": dots_x + (j + 0.5) * DOT_COLUMN,
                            "label": judgements[c["id"]]["label"],
                            "overridden": judgements[c["id"]]["overridden"],
                        }
                        for j, c in enumerate(columns)
                    ],
                }
            )
        bottom = top + len(items) * FOREST_ROW
        panels.append(
            {
                "title": " — ".join(p for p in (kind.replace("_", " ").capitalize(), MEASURE_NAMES[measure]) if p),
                "measure": measure,
                "log": log,
                "title_y": title_y,
                "head_y": head_y,
                "top": top,
                "bottom": bottom,
                "null_x": scale.x(1.0 if log else 0.0),
                "ticks": [{"x": scale.x(t), "text": _tick_text(t)} for t in scale.ticks()],
                "axis_y": bottom + 4,
                "rows": rows,
            }
        )
        y = bottom + 34
    heads = [{"id": c["id"], "x": dots_x + (j + 0.5) * DOT_COLUMN, "title": c["title"]} for j, c in enumerate(columns)]
    entries = _concerns(legend, group)
    items_legend, legend_height = _legend(entries, y + 4, width)
    return {
        "width": round(width),
        "height": round(y + 4 + legend_height + 6),
        "label_width": label_width,
        "plot_x": plot_x,
        "plot_width": PLOT_WIDTH,
        "estimate_x": estimate_x,
        "heads": heads,
        "panels": panels,
        "legend": items_legend,
        "radius": 9,
    }


def _forest_label(item: dict[str, Any], outcome: str | None) -> str:
    label: str = item["row"]["label"]
    if item["row"]["outcome"] is None and not outcome:
        label = f"{label} – {item['outcome']['name']}"
    return label


class _Scale:
    """Value → x on a linear or log axis spanning every interval and the line of no effect."""

    def __init__(self, items: list[dict[str, Any]], log: bool, left: float) -> None:
        import math

        self.log, self.left = log, left
        null = 1.0 if log else 0.0
        values = [null, *(e["effect"]["lower"] for e in items), *(e["effect"]["upper"] for e in items)]
        f = math.log if log else float
        lo, hi = f(min(values)), f(max(values))
        pad = (hi - lo) * 0.06 or 0.5
        self.lo, self.hi = lo - pad, hi + pad

    def x(self, value: float) -> float:
        import math

        v = math.log(value) if self.log else value
        return round(self.left + (v - self.lo) / (self.hi - self.lo) * PLOT_WIDTH, 2)

    def ticks(self) -> list[float]:
        import math

        if self.log:
            candidates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
            inside = [t for t in candidates if self.lo <= math.log(t) <= self.hi]
            return inside if len(inside) <= 7 else inside[::2]
        span = self.hi - self.lo
        step = 10 ** math.floor(math.log10(span / 4))
        for factor in (1, 2, 5, 10):
            if span / (step * factor) <= 6:
                step *= factor
                break
        first = math.ceil(self.lo / step) * step
        return [round(first + i * step, 10) for i in range(int((self.hi - first) // step) + 1)]


def _tick_text(value: float) -> str:
    return f"{value:g}"
