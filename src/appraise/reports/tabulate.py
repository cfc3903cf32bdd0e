"""The summary as plain data: one table per checklist, with shares, the robvis table and the evidence map."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

from appraise import __version__
from appraise.core.checklist import Checklist, Section
from appraise.core.palette import CONCERNS, style
from appraise.core.text import one_line
from appraise.files.checklists import load_checklist
from appraise.reports.collect import Collection, Result, StudyRecord, judged_sections
from appraise.reports.evidence_map import evidence_map
from appraise.reports.robvis import RESERVED_STUDY_NAMES, Refused, Row, table
from appraise.reports.views import checklist_header, judgement_view


def build_summary(
    collection: Collection,
    *,
    palette: str = "cochrane",
    weighted: bool = False,
    allow_incomplete: bool = False,
    today: _dt.date | None = None,
) -> dict[str, Any]:
    """The summary as plain data: the JSON output, and the context the templates receive."""
    by_id: dict[str, list[StudyRecord]] = {}
    for study in collection.studies:
        by_id.setdefault(study.checklist_id, []).append(study)
    styles = {concern: style(concern, palette) for concern in CONCERNS}
    groups = [
        _group(load_checklist(cid), studies, styles, weighted=weighted, allow_incomplete=allow_incomplete)
        for cid, studies in by_id.items()
    ]
    return {
        "summary": {
            "generated": (today or _dt.date.today()).isoformat(),
            "appraise_version": __version__,
            "palette": palette,
            "weighted": weighted,
            "appraisals": len(collection.studies),
            "results": sum(len(g["rows"]) for g in groups),
            "skipped": [str(p) for p in collection.skipped],
            "skipped_files": collection.skipped_files,
            "warnings": [str(p) for p in collection.warnings],
        },
        "groups": groups,
        "answers": AnswerRows(collection),
        "legend": [{"concern": c, **styles[c]} for c in CONCERNS],
    }


class AnswerRows:
    """Every answer of the collection, streamed from its spool on each pass (never all in memory); sized."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    def __len__(self) -> int:
        return self.collection.answer_count

    def __iter__(self) -> Iterator[dict[str, str]]:
        return self.collection.answer_rows()


def _group(
    checklist: Checklist,
    studies: list[StudyRecord],
    styles: dict[str, dict[str, str]],
    *,
    weighted: bool,
    allow_incomplete: bool,
) -> dict[str, Any]:
    columns = judged_sections(checklist)
    labels = _unique_labels(
        [_row_label(study, result, checklist.per_outcome) for study in studies for result in study.results]
    )
    rows: list[dict[str, Any]] = []
    # Cells with the same content are one (read-only) object: 10,000 studies repeat a few dozen cells.
    shared: dict[tuple[str, str | None, str | None, str, str], dict[str, Any]] = {}
    for study in studies:
        for result in study.results:
            cells = {}
            for section in columns:
                judged = result.judgements[section.id]
                key = (section.id, judged.judgement, judged.proposed, judged.reason, judged.state)
                if key in shared:
                    cells[section.id] = shared[key]
                    continue
                view = judgement_view(section, judged.judgement, judged.state)
                proposed = judgement_view(section, judged.proposed, judged.state)
                cells[section.id] = shared[key] = {
                    "judgement": judged.judgement,
                    "proposed": judged.proposed,
                    "override_reason": judged.reason,
                    "state": judged.state,
                    "label": view["label"],
                    "proposed_label": proposed["label"],
                    "concern": view["concern"],
                    # A judgement that is the appraiser's by design (no algorithm) overrides nothing.
                    "overridden": judged.judgement != judged.proposed and judged.state != "appraiser",
                    **styles[view["concern"]],
                }
            rows.append(
                {
                    "label": labels[len(rows)],
                    "file": study.path,
                    "study": study.study,
                    "reviewer": study.reviewer,
                    # An outcome's own weight (in its effect) wins over the file's.
                    "weight": _row_weight(study, result),
                    "outcome": result.outcome,
                    "effects": study.effects,
                    "judgements": cells,
                }
            )
    return {
        "checklist": checklist_header(checklist),
        "per_outcome": checklist.per_outcome,
        "appraisals": len(studies),
        "columns": [{"id": s.id, "title": s.title, "short": s.label} for s in columns],
        "levels": [c for c in CONCERNS if any(j.concern == c for s in columns for j in s.judgements)],
        "rows": rows,
        "shares": _shares(columns, rows, weighted),
        "robvis": _robvis(checklist, rows, allow_incomplete=allow_incomplete, weighted=weighted),
        "evidence_map": evidence_map(checklist, rows, styles),
    }


def _row_weight(study: StudyRecord, result: Result) -> float | None:
    effect = (result.outcome or {}).get("effect") or {}
    return effect["weight"] if effect.get("weight") is not None else study.weight


def _row_label(study: StudyRecord, result: Result, per_outcome: bool) -> str:
    """'First-author year', plus the outcome for per-outcome checklists; on one line, control characters shown."""
    label = one_line(study.study["label"])
    if per_outcome and result.outcome is not None:
        label = f"{label} – {one_line(result.outcome['name'])}"
    return label


def _unique_labels(labels: list[str]) -> list[str]:
    """Make every label distinct (robvis needs unique study names): the second 'Smith 2019' is 'Smith 2019 (2)'."""
    taken: set[str] = set()
    tried: dict[str, int] = {}  # the next number to try per label: 10,000 'Smith 2019's stay linear
    unique: list[str] = []
    for label in labels:
        if label.strip().lower() in RESERVED_STUDY_NAMES:
            label = f"{label} (study)"
        candidate, n = label, tried.get(label, 2)
        if candidate in taken:
            candidate = f"{label} ({n})"
        while candidate in taken:
            n += 1
            candidate = f"{label} ({n})"
        if candidate != label:
            tried[label] = n + 1
        taken.add(candidate)
        unique.append(candidate)
    return unique


def _shares(columns: list[Section], rows: list[dict[str, Any]], weighted: bool) -> list[dict[str, Any]]:
    """Per column, the share of rows (or of their weight) at each level of concern."""
    shares = []
    for section in columns:
        totals = dict.fromkeys(CONCERNS, 0.0)
        for row in rows:
            weight = (row["weight"] or 0.0) if weighted else 1.0
            totals[row["judgements"][section.id]["concern"]] += weight
        whole = sum(totals.values())
        shares.append(
            {
                "section": section.id,
                "short": section.label,
                "title": section.title,
                "total": whole,
                "counts": totals,
                "shares": {c: (totals[c] / whole if whole else 0.0) for c in CONCERNS},
            }
        )
    return shares


def _robvis(
    checklist: Checklist, rows: list[dict[str, Any]], *, allow_incomplete: bool, weighted: bool
) -> dict[str, Any] | None:
    """The robvis table of a group, or the reasons it cannot be written; None without a mapping."""
    if checklist.robvis is None:
        return None
    robvis_rows = [
        Row(row["label"], {sid: cell["judgement"] for sid, cell in row["judgements"].items()}, row["weight"])
        for row in rows
    ]
    try:
        cells = table(checklist, robvis_rows, allow_incomplete=allow_incomplete, weighted=weighted)
    except Refused as error:
        return {"template": checklist.robvis.template, "refused": error.messages}
    return {"template": checklist.robvis.template, "header": cells[0], "rows": cells[1:]}
