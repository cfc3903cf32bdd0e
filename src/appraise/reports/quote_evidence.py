"""The evidence in a report: which paper was appraised, and each quote's check against it."""

from __future__ import annotations

from typing import Any

from appraise.core.quote_check import QuoteCheck
from appraise.files.store import LoadedAppraisal


def _check_view(check: QuoteCheck) -> dict[str, Any]:
    return {
        "status": check.status,
        "checked": check.checked,
        "pages": list(check.pages),
        "document": check.document or None,
        "mark": check.mark,
        "text": check.describe(),
    }


def add_evidence(loaded: LoadedAppraisal, sections: list[dict[str, Any]]) -> dict[str, Any]:
    """Give every quoted question its ``quote_check``; return the report's ``paper`` part.

    An appraisal without a paper costs nothing here; with one, the paper's text comes from the cache.
    """
    appraisal = loaded.appraisal
    checks: dict[tuple[str, str | None], QuoteCheck] = {}
    documents: list[dict[str, Any]] = []
    paper: dict[str, Any] | None = None
    if appraisal.paper is not None or appraisal.documents:
        # Here, not at import: the search (core.quotes) is needed only where a paper is attached.
        from appraise.core.quotes import check_quotes
        from appraise.files.papers import load_attached

        attached = load_attached(appraisal, loaded.path)
        checks = check_quotes(appraisal, attached.corpus)
        for name, located in attached.located.items():
            ref = located.ref
            text = attached.texts.get(name)
            entry = {
                "role": name,
                "title": ref.title or (text.title if text else "") or "",
                "file": ref.path,
                "sha256": ref.sha256,
                "pages": ref.pages,
                "found": located.state != "missing",
                "problem": attached.problems.get(name),
            }
            if name == "paper":
                paper = entry
            else:
                documents.append(entry)
    reason = "no paper attached"
    for section in sections:
        per_outcome = section["outcome"]
        for question in section["questions"]:
            if not question["quote"]:
                question["quote_check"] = None
                continue
            check = checks.get((question["id"], per_outcome)) or checks.get((question["id"], None))
            question["quote_check"] = _check_view(check or QuoteCheck("unchecked", reason=reason))
    return {"paper": paper, "documents": documents}
