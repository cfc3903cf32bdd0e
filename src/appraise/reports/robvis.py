"""robvis summary tables: the templates' rules, and the CSV that drops straight into robvis.

robvis (the R package and its web app) draws traffic-light and summary plots from a table with a
header row: ``Study``, one column per domain in the tool's order, ``Overall``, and an optional
numeric ``Weight``. It checks the number of columns strictly and reads each judgement cell by the
initials of its words, so abbreviations break it ("NI" is read as *not applicable*, "L" as
nothing): only the full labels below are ever written (shared/domain/instruments.md §4).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from appraise.core.checklist import NOT_APPLICABLE, OVERALL, Checklist, Robvis
from appraise.core.hints import suggestion

NO_INFORMATION = "No information"
"""What robvis calls a judgement that could not be made; written for incomplete ones on request."""


@dataclass(frozen=True)
class Template:
    """What robvis expects of one template: how many domains, which labels (exact, case-sensitive)."""

    domains: int | None
    """Domain columns between Study and Overall; None for Generic, which takes any number."""
    labels: tuple[str, ...]


TEMPLATES: dict[str, Template] = {
    "ROB2": Template(5, ("Low", "Some concerns", "High", NO_INFORMATION)),
    "ROB2-Cluster": Template(6, ("Low", "Some concerns", "High", NO_INFORMATION, "Not applicable")),
    "ROBINS-I": Template(7, ("Low", "Moderate", "Serious", "Critical", NO_INFORMATION)),
    "ROBINS-E": Template(7, ("Low", "Some concerns", "High", "Very high", NO_INFORMATION)),
    "QUADAS-2": Template(4, ("Low", "Some concerns", "High", NO_INFORMATION)),
    "QUIPS": Template(6, ("Low", "Moderate", "High", NO_INFORMATION)),
    "Generic": Template(
        None,
        (
            "Low",
            "Unclear",
            "Some concerns",
            "Moderate",
            "High",
            "Serious",
            "Critical",
            NO_INFORMATION,
            "Not applicable",
        ),
    ),
}

RESERVED_STUDY_NAMES = {"study", "overall", "weight"}
"""robvis stops if a cell of the first data row is one of these (it takes it for a stray header)."""


def problems(checklist: Checklist, mapping: Robvis) -> list[tuple[tuple[str, ...], str]]:
    """Everything wrong with a checklist's robvis mapping, as (location under ``robvis``, message)."""
    found: list[tuple[tuple[str, ...], str]] = []
    template = TEMPLATES[mapping.template]
    judged = [sid for sid, section in checklist.judged.items() if section.judgements]
    mapped = [sid for sid in mapping.columns if sid in judged]
    for sid, name in mapping.columns.items():
        if sid not in judged:
            hint = suggestion(sid, judged)
            found.append(
                (("columns", sid), f"no judged section {sid!r} in this checklist (judged: {', '.join(judged)}){hint}")
            )
        if not name[:1].isalpha() or not all(c.isalnum() or c == " " for c in name):
            # R's read.csv turns other characters into dots, and robvis turns dots into spaces.
            found.append(
                (("columns", sid), f"column name {name!r}: use letters, digits and spaces only, starting with a letter")
            )
        elif [n.lower() for n in mapping.columns.values()].count(name.lower()) > 1:
            found.append((("columns", sid), f"column name {name!r} is used twice; robvis needs distinct columns"))
    if list(mapping.columns)[-1] != OVERALL:
        found.append(
            (("columns",), "the last column must be 'overall': robvis reads the last column as the overall one")
        )
    domains = len(mapping.columns) - (OVERALL in mapping.columns)
    if template.domains is not None and domains != template.domains:
        found.append(
            (
                ("columns",),
                f"robvis's {mapping.template} template has {template.domains} domain columns before 'overall'; "
                f"this mapping has {domains}",
            )
        )
    tables: list[tuple[tuple[str, ...], dict[str, str], list[str]]] = [
        (("labels",), mapping.labels, sorted({code for sid in mapped for code in codes_of(checklist, sid)}))
    ]
    for sid, labels in mapping.section_labels.items():
        if sid not in mapping.columns:
            found.append((("section_labels", sid), f"section {sid!r} has no column under 'columns'"))
        tables.append((("section_labels", sid), labels, codes_of(checklist, sid) if sid in judged else list(labels)))
    for where, labels, codes in tables:
        for code, label in labels.items():
            if code not in codes:
                hint = suggestion(code, codes)
                found.append(
                    ((*where, code), f"{code!r} is not a judgement here (judgements: {', '.join(codes)}){hint}")
                )
            if label not in template.labels:
                accepted = ", ".join(template.labels)
                hint = suggestion(label, template.labels)
                found.append(
                    ((*where, code), f"{label!r} is not a {mapping.template} label robvis accepts ({accepted}){hint}")
                )
    for sid in mapped:
        missing = [code for code in codes_of(checklist, sid) if mapping.label(sid, code) is None]
        if missing:
            found.append(
                (
                    ("columns", sid),
                    f"section {sid}: judgement(s) {', '.join(missing)} have no robvis label; "
                    f"add them under 'labels' or 'section_labels: {{{sid}: ...}}'",
                )
            )
    return found


def codes_of(checklist: Checklist, section_id: str) -> list[str]:
    """The judgement codes a section can end with, including ``not_applicable`` where it can be skipped."""
    section = checklist.judged[section_id]
    codes = [j.code for j in section.judgements]
    if section.ask_when is not None:
        codes.append(NOT_APPLICABLE)
    return codes


@dataclass(frozen=True)
class Row:
    """One row of a robvis table: the study label and its final judgement code per mapped section."""

    study: str
    judgements: dict[str, str | None]
    weight: float | None = None


class Refused(Exception):
    """The table cannot be written as robvis expects; the messages say which study and section."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def missing_mapping(checklist_id: str) -> str:
    """The message for a checklist that declares no robvis mapping."""
    return (
        f"checklist {checklist_id} has no robvis mapping, so its judgements cannot be exported for robvis; "
        "add a 'robvis:' block to the checklist (template, columns, labels), or use -f csv or -f json"
    )


def header(mapping: Robvis, *, weighted: bool = False) -> list[str]:
    """The header row: Study, the domain columns in order, the overall column, and Weight when weighted."""
    return ["Study", *mapping.columns.values(), *(["Weight"] if weighted else [])]


def table(
    checklist: Checklist, rows: Sequence[Row], *, allow_incomplete: bool = False, weighted: bool = False
) -> list[list[str]]:
    """The robvis table (header first) of final judgements; :class:`Refused` lists every cell it cannot fill."""
    mapping = checklist.robvis
    if mapping is None:
        raise Refused([missing_mapping(checklist.id)])
    refused: list[str] = []
    out = [header(mapping, weighted=weighted)]
    for row in rows:
        cells = [row.study]
        for sid in mapping.columns:
            code = row.judgements.get(sid)
            label = mapping.label(sid, code) if code is not None else None
            if code is None:
                if not allow_incomplete:
                    refused.append(
                        f"{row.study}: {checklist.judged[sid].label} ({sid}) has no judgement yet; finish it, "
                        f"or pass --allow-incomplete to write {NO_INFORMATION!r}"
                    )
                label = NO_INFORMATION
            elif label is None:  # a code the checklist no longer has (an override kept from an older version)
                refused.append(f"{row.study}: {sid} = {code!r} has no robvis label in checklist {checklist.id}")
                label = NO_INFORMATION
            cells.append(label)
        if weighted:
            if row.weight is None:
                refused.append(f"{row.study}: no numeric 'weight' in its appraisal file, needed for --weighted")
            cells.append(format_weight(row.weight or 0.0))
        out.append(cells)
    if refused:
        raise Refused(refused)
    return out


def format_weight(weight: float) -> str:
    """A weight as plain decimal digits (robvis checks the column against a digits-only pattern)."""
    text = f"{weight:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def to_csv(rows: list[list[str]]) -> str:
    """CSV text: comma-separated, quoted only where needed, newline-terminated, as R's read.csv reads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()
