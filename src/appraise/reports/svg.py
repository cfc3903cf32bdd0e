"""One summary figure as a standalone file: SVG (text kept as text), and PNG (300 dpi) or PDF from it.

The geometry is :mod:`appraise.reports.figures`' (the same as in the HTML summary) and the drawing is
the same Jinja macros (``templates/figures.svg.j2``); cairosvg (on the system's cairo library) turns
the SVG into PNG or PDF, so every format shows the same figure.
"""

from __future__ import annotations

from typing import Any

from appraise.reports import figures
from appraise.reports.environment import ReportError, render_template

FIGURES = ("traffic-light", "summary", "evidence-map", "forest")
DPI = 300
"""Journals ask for at least 300 dpi for colour figures."""


class FigureError(ValueError):
    """The figure asked for cannot be drawn from these appraisals; the message says why and what to do."""


def figure_svg(data: dict[str, Any], *, figure: str = "traffic-light", outcome: str | None = None, **_: Any) -> str:
    """The chosen figure of the summary as SVG text (of the first checklist's group that can draw it)."""
    if figure not in FIGURES:
        raise FigureError(f"no figure {figure!r}; choose one of {', '.join(FIGURES)}")
    groups = data["groups"]
    if len(groups) > 1:
        ids = ", ".join(g["checklist"]["id"] for g in groups)
        raise FigureError(
            f"the appraisals use several checklists ({ids}); a figure file shows one: summarise each folder"
        )
    group = groups[0]
    geometry = _geometry(figure, group, data["legend"], outcome)
    context = {**data, "group": group, "figure": geometry, "kind": figure}
    try:
        return render_template("figure.svg.j2", context, json_hint="appraise summary PATH -f json")
    except ReportError as error:
        raise FigureError(str(error)) from None


def _geometry(figure: str, group: dict[str, Any], legend: list[dict[str, Any]], outcome: str | None) -> Any:
    checklist = group["checklist"]["id"]
    if figure == "evidence-map":
        if not group["evidence_map"]:
            raise FigureError(
                f"{checklist} has no evidence map (it needs outcome types, findings and an overall judgement)"
            )
        return figures.evidence(group["evidence_map"])
    if not group["columns"] or not group["rows"]:
        raise FigureError(f"{checklist} makes no judgements, so there is no {figure} figure to draw")
    if figure == "traffic-light":
        return figures.traffic_light(group, legend)
    if figure == "summary":
        return figures.bars(group, legend)
    drawn = figures.forest(group, legend, outcome)
    if drawn is None:
        which = f" for outcome {outcome!r}" if outcome else ""
        raise FigureError(
            f"no effect estimate{which} to plot: record one per outcome as "
            "'effect: {measure: RR, estimate: 0.8, lower: 0.6, upper: 1.1}'"
        )
    return drawn


def figure_png(data: dict[str, Any], **options: Any) -> bytes:
    """The chosen figure as a PNG at 300 dpi."""
    import io

    import cairosvg  # type: ignore[import-untyped]
    from PIL import Image

    png: bytes = cairosvg.svg2png(bytestring=figure_svg(data, **options).encode("utf-8"), dpi=DPI)
    # cairo renders at 300 dpi but records no resolution; journals' checks read it from the file.
    with Image.open(io.BytesIO(png)) as image:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def figure_pdf(data: dict[str, Any], **options: Any) -> bytes:
    """The chosen figure as a one-page PDF (vector, text kept as text), sized as the SVG."""
    import cairosvg

    pdf: bytes = cairosvg.svg2pdf(bytestring=figure_svg(data, **options).encode("utf-8"), dpi=DPI)
    return pdf
