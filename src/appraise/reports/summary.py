"""Across studies: read many appraisals, tabulate their final judgements, and draw the figures.

``appraise summary`` reads files and folders of appraisals (folders recursively, files by name),
judges each one with :class:`~appraise.core.assessment.Assessment` (never a judgement of its own), and
groups the results by checklist. A file that cannot be read is reported with its line and left
out; the rest are still summarised. Reading is the slow part, so large inputs are read by worker
processes; everything after that works on plain data.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise import __version__
from appraise.core.assessment import Assessment
from appraise.core.checklist import NOT_APPLICABLE, OVERALL, Checklist, Section
from appraise.core.labels import answer_label
from appraise.core.palette import CONCERNS, style
from appraise.core.text import one_line, visible
from appraise.files.checklists import SUFFIXES, load_checklist
from appraise.files.store import LoadedAppraisal, load_appraisal
from appraise.files.yamlio import FileProblems, Problem, read_document
from appraise.reports import formats
from appraise.reports.environment import ReportError, render_data
from appraise.reports.report import checklist_header, judgement_view
from appraise.reports.robvis import RESERVED_STUDY_NAMES, Refused, Row, table

TEMPLATES = formats.templates("summary")
"""Format → Jinja template, from the one registry of output formats."""

LONG_COLUMNS = (
    "study",
    "outcome",
    "section",
    "question",
    "answer",
    "answer_label",
    "note",
    "quote",
    "page",
    "proposed",
    "judgement",
    "override_reason",
    "reviewer",
    "instrument",
    "version",
    "file",
)
"""The columns of the long CSV (``-f csv``): one row per question, per outcome where per outcome."""

PARALLEL_FROM = 150
"""Below this many files, starting worker processes costs more than it saves."""


# --- reading ------------------------------------------------------------------------------------


def appraisal_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files to read: in the order given, folders recursively by name, each file once."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            children = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                # Hidden files and folders (.git, editor backups) are nobody's appraisals.
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            children = [path]
        for child in children:
            key = child.resolve()
            if key not in seen:
                seen.add(key)
                found.append(child)
    return found


@dataclass
class Judged:
    """A section's final judgement for one row, with the proposal and the reviewer's reason."""

    judgement: str | None
    proposed: str | None
    reason: str
    state: str


@dataclass
class Result:
    """One row of a summary: a study, or one outcome of a study for per-outcome checklists."""

    outcome: dict[str, Any] | None
    judgements: dict[str, Judged]


@dataclass
class StudyRecord:
    """What the summary needs from one appraisal file, as plain data (it crosses process boundaries)."""

    path: str
    checklist_id: str
    study: dict[str, str]
    reviewer: str
    weight: float | None
    results: list[Result]
    answers: list[dict[str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    effects: list[dict[str, Any]] = field(default_factory=list)
    """Every outcome that records its result (id, name, type, effect), for the forest plot."""


@dataclass
class Collection:
    """Every appraisal read, in input order, and every file left out, with why."""

    studies: list[StudyRecord] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def skipped_files(self) -> list[str]:
        """The files that were left out, once each, in input order."""
        return list(dict.fromkeys(p.path for p in self.skipped))


def collect(
    paths: Sequence[Path], *, answers: bool = False, weighted: bool = False, jobs: int | None = None
) -> Collection:
    """Read and judge every appraisal under ``paths``; broken or foreign files are skipped with their problems.

    ``answers`` keeps every answer (for the long CSV and JSON); ``weighted`` makes a missing or
    invalid ``weight`` an error that leaves the file out. ``jobs`` caps the worker processes
    (default: one per core for large inputs, none for small ones).
    """
    files = appraisal_files(paths)
    tasks = [(str(f), answers, weighted) for f in files]
    outcomes: list[StudyRecord | list[Problem]]
    workers = _workers(len(files), jobs)
    if workers > 1:
        import concurrent.futures
        import multiprocessing

        # The first file is read here, so that the forked workers start with everything imported
        # and its checklist loaded; "fork" is what makes that inheritance cheap.
        outcomes = [_read_task(tasks[0])]
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            outcomes += pool.map(_read_task, tasks[1:], chunksize=max(8, len(tasks) // (workers * 4)))
    else:
        outcomes = [_read_task(task) for task in tasks]
    collection = Collection()
    for outcome in outcomes:
        if isinstance(outcome, StudyRecord):
            collection.studies.append(outcome)
            collection.warnings.extend(outcome.warnings)
        else:
            collection.skipped.extend(outcome)
    return collection


def _workers(files: int, jobs: int | None) -> int:
    if files < PARALLEL_FROM or sys.platform != "linux":
        # fork is only safe and cheap on Linux; elsewhere the files are read one by one.
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs or available, available, 8))


def _read_task(task: tuple[str, bool, bool]) -> StudyRecord | list[Problem]:
    path, answers, weighted = task
    return read_study(Path(path), answers=answers, weighted=weighted)


def read_study(path: Path, *, answers: bool = False, weighted: bool = False) -> StudyRecord | list[Problem]:
    """One appraisal file judged, as plain data; or the problems that leave it out."""
    try:
        loaded = _load(path)
    except FileProblems as error:
        return error.problems
    except OSError as error:
        return [Problem(str(path), 0, 0, f"cannot be read: {error.strerror or error}")]
    if loaded.errors:
        return loaded.errors
    weight, weight_problem = _weight(loaded)
    warnings = list(loaded.warnings)
    if weight_problem and (weighted or "weight" in (loaded.appraisal.model_extra or {})):
        problem = _problem_at(path, ("weight",), weight_problem, "error" if weighted else "warning")
        if weighted:
            return [problem]
        warnings.append(problem)
    return _record(loaded, weight, warnings, answers)


_last: list[Checklist] = []
"""The checklist of the previous file (per process): folders mostly hold appraisals made with one checklist."""


def _load(path: Path) -> LoadedAppraisal:
    """:func:`load_appraisal`, trying the previous file's checklist first (finding one by id costs a third)."""
    if _last:
        loaded = load_appraisal(path, _last[0])
        if loaded.appraisal.checklist.id == _last[0].id:
            return loaded
    loaded = load_appraisal(path)  # a first file, or another checklist: found by its id, as usual
    _last[:] = [loaded.checklist]
    return loaded


def _weight(loaded: LoadedAppraisal) -> tuple[float | None, str]:
    """The appraisal's optional numeric ``weight`` (for weighted summaries), or why it cannot be used."""
    raw = (loaded.appraisal.model_extra or {}).get("weight")
    if raw is None:
        return None, "no 'weight' (a number, e.g. 'weight: 12.5'), which --weighted needs"
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(str(raw))
    except ValueError:
        return None, f"weight {raw!r} is not a number"
    if not math.isfinite(value) or value < 0:
        return None, f"weight {raw!r} must be a number of 0 or more"
    return value, ""


def _problem_at(path: Path, loc: tuple[str, ...], message: str, severity: str) -> Problem:
    # Only on the error path: read the document again for the position of the key.
    try:
        return read_document(path).problem(loc, message, key=True, severity=severity)
    except FileProblems:
        return Problem(str(path), 0, 0, message, severity)


def judged_sections(checklist: Checklist) -> list[Section]:
    """The columns of a summary: every section that reaches a judgement, then the overall one."""
    return [section for section in checklist.judged.values() if section.judgements]


def _record(loaded: LoadedAppraisal, weight: float | None, warnings: list[Problem], answers: bool) -> StudyRecord:
    appraisal, checklist = loaded.appraisal, loaded.checklist
    assessment = Assessment(appraisal, checklist)
    columns = judged_sections(checklist)
    outcomes = appraisal.outcomes if checklist.per_outcome and appraisal.outcomes else [None]
    results = []
    for outcome in outcomes:
        judgements = {}
        for section in columns:
            per_outcome = assessment.is_per_outcome(section)
            result = assessment.result(section.id, outcome.id if outcome and per_outcome else None)
            judgements[section.id] = Judged(result.judgement, result.proposed, result.override_reason, result.state)
        described = None
        if outcome is not None:
            described = {
                "id": outcome.id,
                "name": outcome.label,
                "type": outcome.type,
                "finding": outcome.finding,
                "primary": outcome.primary,
                "effect": outcome.effect.model_dump(mode="json") if outcome.effect else None,
            }
        results.append(Result(described, judgements))
    study = {k: str(v) for k, v in appraisal.study.model_dump(mode="json").items() if isinstance(v, str)}
    study["label"] = appraisal.study.label
    record = StudyRecord(
        path=str(loaded.path),
        checklist_id=checklist.id,
        study=study,
        reviewer=appraisal.reviewer,
        weight=weight,
        results=results,
        warnings=warnings,
        effects=[
            {"id": o.id, "name": o.label, "type": o.type, "effect": o.effect.model_dump(mode="json")}
            for o in appraisal.outcomes
            if o.effect is not None
        ],
    )
    if answers:
        record.answers = _answers(assessment, str(loaded.path))
    return record


def _answers(assessment: Assessment, path: str) -> list[dict[str, str]]:
    """One row per question (per outcome where per outcome): the long table's rows."""
    appraisal, checklist = assessment.appraisal, assessment.checklist
    label = appraisal.study.label
    rows: list[dict[str, str]] = []
    for entry in assessment.entries(include_overall=False):
        section, result = entry.section, entry.result
        for question in section.questions:
            code = assessment.code(question, entry.outcome_id)
            record = appraisal.answer_record(question.id, entry.outcome_id if section.per_outcome else None)
            rows.append(
                {
                    "study": label,
                    "outcome": entry.outcome.label if entry.outcome else "",
                    "section": section.id,
                    "question": question.id,
                    "answer": code or "",
                    "answer_label": answer_label(question, code) if code else "",
                    "note": record.note if record else "",
                    "quote": record.quote if record else "",
                    "page": record.page if record else "",
                    "proposed": result.proposed or "",
                    "judgement": result.judgement or "",
                    "override_reason": result.override_reason,
                    "reviewer": appraisal.reviewer,
                    "instrument": checklist.id,
                    "version": checklist.version,
                    "file": path,
                }
            )
    return rows


# --- the summary as data --------------------------------------------------------------------------


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
        "answers": [row for study in collection.studies for row in study.answers],
        "legend": [{"concern": c, **styles[c]} for c in CONCERNS],
    }


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
    for study in studies:
        for result in study.results:
            cells = {}
            for section in columns:
                judged = result.judgements[section.id]
                view = judgement_view(section, judged.judgement, judged.state)
                proposed = judgement_view(section, judged.proposed, judged.state)
                cells[section.id] = {
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
    unique: list[str] = []
    for label in labels:
        if label.strip().lower() in RESERVED_STUDY_NAMES:
            label = f"{label} (study)"
        candidate, n = label, 2
        while candidate in taken:
            candidate, n = f"{label} ({n})", n + 1
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


# --- evidence map ---------------------------------------------------------------------------------


def evidence_map(
    checklist: Checklist, rows: list[dict[str, Any]], styles: dict[str, dict[str, str]]
) -> dict[str, Any] | None:
    """Outcomes by type and finding, split by overall confidence, with one plain sentence per type.

    Only for checklists whose outcomes have types and findings and that judge an overall
    confidence per outcome (peer-support). The first finding listed in the checklist (benefit)
    is the one each sentence leads with.
    """
    vocabulary = checklist.outcomes
    overall = checklist.overall
    if vocabulary is None or not vocabulary.types or not vocabulary.findings or overall is None:
        return None
    types: list[tuple[str | None, str]] = [(o.code, _short(o.label)) for o in vocabulary.types]
    findings: list[tuple[str | None, str]] = [(o.code, o.label) for o in vocabulary.findings]
    levels: list[dict[str, Any]] = [
        {"code": j.code, "label": j.label, "concern": j.concern, **styles[j.concern]} for j in overall.judgements
    ]
    levels.append({"code": NOT_APPLICABLE, "label": "Not applicable", "concern": "na", **styles["na"]})
    levels.append({"code": None, "label": "Not yet judged", "concern": "none", **styles["none"]})
    outcomes = [row for row in rows if row["outcome"] is not None]
    known_types = {code for code, _ in types}
    known_findings = {code for code, _ in findings}
    if any(row["outcome"]["type"] not in known_types for row in outcomes):
        types.append((None, "Type not recorded"))
    if any(row["outcome"]["finding"] not in known_findings for row in outcomes):
        findings.append((None, "Not recorded"))
    confident = {level["code"] for level in levels if level["concern"] in {"low", "some"}}
    phrase = _either([level["label"] for level in levels if level["code"] in confident])

    counts: dict[tuple[str | None, str | None, str | None], int] = {}
    for row in outcomes:
        kind = row["outcome"]["type"] if row["outcome"]["type"] in known_types else None
        finding = row["outcome"]["finding"] if row["outcome"]["finding"] in known_findings else None
        level = row["judgements"][OVERALL]["judgement"]
        key = (kind, finding, level)
        counts[key] = counts.get(key, 0) + 1

    table_rows = []
    for kind, kind_label in types:
        cells = []
        for finding, finding_label in findings:
            by_level: list[dict[str, Any]] = [
                {**level, "count": counts.get((kind, finding, level["code"]), 0)} for level in levels
            ]
            cells.append(
                {
                    "finding": finding,
                    "label": finding_label,
                    "total": sum(b["count"] for b in by_level),
                    "confident": sum(b["count"] for b in by_level if b["code"] in confident),
                    "levels": [b for b in by_level if b["count"]],
                }
            )
        total = sum(c["total"] for c in cells)
        table_rows.append(
            {
                "type": kind,
                "label": kind_label,
                "total": total,
                "findings": cells,
                "sentence": _sentence(kind_label, total, cells, phrase),
            }
        )
    return {
        "findings": [{"code": code, "label": label} for code, label in findings],
        "levels": levels,
        "confident_levels": sorted(c for c in confident if c),
        "confident_phrase": phrase,
        "types": table_rows,
        "outcomes": len(outcomes),
    }


def _short(label: str) -> str:
    """'Personal recovery (hope, …)' → 'Personal recovery': the words before any explanation."""
    return label.split(" (")[0].strip() or label


def _either(labels: list[str]) -> str:
    """'High confidence', 'Moderate confidence' → 'moderate or high confidence'."""
    if not labels:
        return "no judged level"
    words = [label.split() for label in reversed(labels)]
    last = words[0][-1].lower()
    if len(words) > 1 and all(len(w) > 1 and w[-1].lower() == last for w in words):
        return " or ".join(" ".join(w[:-1]).lower() for w in words) + f" {last}"
    return " or ".join(label.lower() for label in reversed(labels))


def _sentence(kind: str, total: int, cells: list[dict[str, Any]], phrase: str) -> str:
    """E.g. 'Personal recovery outcomes: 3 of 4 show benefit, but only 1 with moderate or high confidence.'"""
    subject = f"{kind} outcomes" if not kind.lower().endswith("not recorded") else "Outcomes whose type is not recorded"
    if total == 0:
        return f"{subject}: none appraised."
    head, *rest = cells
    name = head["label"].lower()
    if head["total"] == 0:
        text = f"none of {total} show {name}"
    else:
        verb = "shows" if head["total"] == 1 else "show"
        text = f"{head['total']} of {total} {verb} {name}"
        if head["confident"] == head["total"]:
            text += f", {'all ' if head['total'] > 1 else ''}with {phrase}"
        elif head["confident"] == 0:
            text += f", none with {phrase}"
        else:
            text += f", but only {head['confident']} with {phrase}"
    others = [f"{c['total']} {c['label'].lower()}" for c in rest if c["total"]]
    if others:
        text += "; " + ", ".join(others)
    return f"{subject}: {text}."


# --- output ---------------------------------------------------------------------------------------


class SummaryError(Exception):
    """A template could not be rendered; the message says which and where."""


def render(data: dict[str, Any], fmt: str) -> str:
    """The summary as Markdown, HTML (one self-contained page) or JSON."""
    context: dict[str, Any] = {}
    if fmt == "html":
        from appraise.reports import figures

        context["figures"] = figures.for_summary(data)
    try:
        return render_data(
            data, fmt, TEMPLATES, json_hint="appraise summary PATH -f json", context=context, drop=frozenset({"legend"})
        )
    except ReportError as error:
        raise SummaryError(str(error)) from None


def long_csv(collection: Collection) -> str:
    """The long CSV: one row per question per study (and outcome), every piece of support kept."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LONG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for study in collection.studies:
        # Text stays as written, except control characters, which must never reach a terminal.
        writer.writerows({k: visible(v) for k, v in row.items()} for row in study.answers)
    return buffer.getvalue()
