"""The ``history:`` block of an appraisal file as text: split off the end, and appended to, never re-written.

A file's history only grows (one entry per save), so a save that rewrote it, or even read it again
through the round-trip editor, would cost more with every save. Instead the store keeps the history
as the file's last top-level key: the rest of the file (the head) goes through the round-trip edit,
and each save's new entries are dumped on their own and appended to the block as text. Both cost
the same at 50 entries or 10,000. Anything unexpected (the block not last, a flow list, text that
does not read back as the entries) returns None, and the caller falls back to the whole-file path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from appraise.core.appraisal import Appraisal
from appraise.files.yamlio import dump, read_document

KEY = "history"
"""The top-level key of the history (who changed what, when) in an appraisal file."""

_HEAD = re.compile(rf"^{KEY}:[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_ITEM = re.compile(r"^( *)-(?: |$)")
_AFTER = re.compile(r"^(?:---|\.\.\.|[^\s#-])", re.MULTILINE)
"""A line after the history's own that is not one of its entries: another key, another document."""
_FIRST = re.compile(r"\n(?!\s*\n|#)([^\n]*)")
"""The first line of the block that is neither blank nor a comment."""


@dataclass(frozen=True)
class Split:
    """An appraisal file's text cut where its history begins."""

    head: str
    """Everything before the ``history:`` line (the whole text when there is no history yet)."""
    tail: str
    """The ``history:`` line and every entry under it, to the end of the file ('' when none)."""
    indent: str
    """How far the entries are indented ('' or '  '), so appended ones line up."""


def split_history(text: str) -> Split | None:
    """``text`` cut before its ``history:`` block, when that block is a block list ending the file."""
    found = list(_HEAD.finditer(text))
    if not found:
        if re.search(rf"^{KEY}\s*:", text, re.MULTILINE):
            return None  # e.g. ``history: []`` or a quoted key: let the whole-file path handle it
        head = text if not text or text.endswith("\n") else text + "\n"
        return Split(head, "", "  ")
    start = found[-1].start()
    tail = text[start:]
    if _AFTER.search(tail, tail.find("\n") + 1 or len(tail)):
        return None  # another top-level key (or document) follows the history
    first = _FIRST.search(tail)
    item = _ITEM.match(first.group(1)) if first is not None else None
    if item is None:
        return None  # ``history:`` with no entries (null), or not a block list: nothing to line up with
    return Split(text[:start], tail if tail.endswith("\n") else tail + "\n", item.group(1))


def append_entries(split: Split, entries: list[dict[str, Any]]) -> str | None:
    """The history block with ``entries`` appended, or None if their text would not read back as them."""
    if not entries:
        return split.tail
    lines = dump(entries).splitlines(keepends=True)
    added = "".join(split.indent + line if line.strip() else line for line in lines)
    try:
        back = read_document("history", f"{KEY}:\n{added}").data
    except Exception:  # FileProblems, or anything odd: the whole-file path will write it
        return None
    if not isinstance(back, dict) or back.get(KEY) != entries:
        return None  # e.g. a number that reads back as text: write the file the slow, checked way
    return (split.tail or f"{KEY}:\n") + added


def entries(appraisal: Appraisal) -> list[dict[str, Any]]:
    """The history of an appraisal, oldest first (empty when it has none)."""
    history = (appraisal.model_extra or {}).get(KEY)
    return [e for e in history if isinstance(e, dict)] if isinstance(history, list) else []


def shown(value: Any, limit: int = 60) -> str:
    """A value of the history in one line ('—' for nothing), cut at ``limit`` characters."""
    if value in (None, ""):
        return "—"
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_history(appraisal: Appraisal) -> list[dict[str, Any]]:
    """The history for a report: each entry as in the file, with every key a template reads, changes in words."""
    return [
        {
            "at": "",
            "by": "",
            "event": "",
            "reason": "",
            **entry,
            "changes": [
                {**c, "old_text": shown(c.get("old"), 120), "new_text": shown(c.get("new"), 120)}
                for c in entry.get("changes") or []
                if isinstance(c, dict)
            ],
        }
        for entry in entries(appraisal)
    ]


__all__ = ["KEY", "Split", "append_entries", "entries", "report_history", "shown", "split_history"]
