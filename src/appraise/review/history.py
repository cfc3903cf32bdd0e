"""The history of an appraisal file: who changed what, when, appended once per save.

Each save that changes something appends one entry under the file's top-level ``history:`` key::

    history:
      - at: 2026-12-01T13:30Z
        by: Alex Morgan
        changes:
          - {field: B4.answer, old: "Y", new: "P"}
          - {field: E3@readmission.note, old: "", new: "Groups differ on age."}

Fields use the key grammar of the file: ``B4.note``, ``E3@readmission.answer``, ``overrides.C``,
``outcomes.readmission.finding``, ``study.title``, ``status``. Typed text is coalesced per field per
save (the entry holds the text before and after the save, not each keystroke), so the history grows
with saves, not keys; computing it is one comparison of two plain dictionaries per save.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from appraise.core.appraisal import Appraisal
from appraise.files.history_text import KEY, entries, shown

IGNORED = {KEY, "consensus", "appraise", "checklist", "status", "completed"}
"""Top-level keys whose changes are not history (the history itself; a consensus record keeps its own;
completing and unlocking are written as their own entries, ``marked complete`` and ``unlocked``)."""


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """An appraisal's plain data (``Appraisal.to_data``) as field → value, in the key grammar."""
    flat: dict[str, Any] = {}
    for qid, answer in (data.get("answers") or {}).items():
        _answer(flat, qid, answer)
    for oid, answers in (data.get("outcome_answers") or {}).items():
        for qid, answer in (answers or {}).items():
            _answer(flat, f"{qid}@{oid}", answer)
    for key, override in (data.get("overrides") or {}).items():
        override = override or {}
        flat[f"overrides.{key}"] = override.get("judgement")
        flat[f"overrides.{key}.reason"] = override.get("reason", "")
    for outcome in data.get("outcomes") or []:
        oid = outcome.get("id")
        for name, value in outcome.items():
            if name != "id":
                flat[f"outcomes.{oid}.{name}"] = value
    for name, value in (data.get("study") or {}).items():
        flat[f"study.{name}"] = value
    for name, value in data.items():
        if name not in IGNORED and name not in ("answers", "outcome_answers", "overrides", "outcomes", "study"):
            flat[name] = value
    return flat


def _answer(flat: dict[str, Any], key: str, answer: Any) -> None:
    record = answer if isinstance(answer, dict) else {"answer": answer}
    for name in ("answer", "note", "quote", "page"):
        value = record.get(name)
        if value not in (None, ""):
            flat[f"{key}.{name}"] = value


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every field whose value differs between two plain-data appraisals, old → new."""
    before, after = flatten(old), flatten(new)
    result = []
    for field in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(field), after.get(field)
        if a != b and not (a in (None, "") and b in (None, "")):
            result.append({"field": field, "old": a, "new": b})
    return result


def record_save(
    previous: dict[str, Any] | None,
    data: dict[str, Any],
    appraisal: Appraisal,
    *,
    by: str | None = None,
    now: _dt.datetime | None = None,
) -> dict[str, Any] | None:
    """Append this save's changes (``previous`` → ``data``) to the appraisal's history; the entry, or None.

    Neither argument holds the history itself (the store keeps it apart, see
    :mod:`appraise.files.history_text`), so the cost does not grow with the history.
    """
    if previous is None:
        return None
    found = changes(previous, data)
    if not found:
        return None
    entry = {"at": stamp(now), "by": appraisal.reviewer if by is None else by, "changes": found}
    append(appraisal, entry)
    return entry


def append(appraisal: Appraisal, entry: dict[str, Any]) -> None:
    """Add one entry to the appraisal's history (an unlock, a save, an unblinding)."""
    assert appraisal.model_extra is not None
    history = appraisal.model_extra.get(KEY)
    if not isinstance(history, list):
        history = []
    # A new list, never an append in place: a snapshot on its way to disk holds the old one.
    appraisal.model_extra[KEY] = [*history, entry]


def stamp(now: _dt.datetime | None = None) -> str:
    """The moment as the history writes it: UTC, to the second."""
    moment = now or _dt.datetime.now(_dt.UTC)
    return moment.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_history(appraisal: Appraisal, fmt: str = "text") -> str:
    """The history as text (one line per change) or JSON."""
    import json

    items = entries(appraisal)
    if fmt == "json":
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    lines = []
    for entry in items:
        head = f"{entry.get('at', '?')}  {entry.get('by') or 'someone'}"
        if entry.get("event"):
            lines.append(f"{head}: {entry['event']}{' — ' + entry['reason'] if entry.get('reason') else ''}")
        for change in entry.get("changes") or []:
            lines.append(f"{head}: {change.get('field')}: {_quoted(change.get('old'))} → {_quoted(change.get('new'))}")
    return "\n".join(lines) + "\n" if lines else "no history recorded yet\n"


def _quoted(value: Any) -> str:
    text = shown(value)
    return text if text == "—" else repr(text)


__all__ = ["KEY", "append", "changes", "entries", "flatten", "record_save", "render_history", "stamp"]
