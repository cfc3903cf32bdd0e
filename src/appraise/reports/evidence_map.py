"""The evidence map of a summary: outcomes by type and finding, split by overall confidence."""

from __future__ import annotations

from typing import Any

from appraise.core.checklist import NOT_APPLICABLE, OVERALL, Checklist


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
