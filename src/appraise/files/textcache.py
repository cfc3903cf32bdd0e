"""An appraisal file's text, made again after every save without dumping its whole history each time.

The history only grows (one entry per save), so dumping every entry on every save would make a
long session's saves slower and slower. Top-level keys are dumped one by one (a block mapping's
text is its keys' texts in order), and each history entry's text is kept while the entry is
unchanged; so is each answer record's (an answer changes one record): a save dumps the records
and the entry that changed, and joins the rest.
"""

from __future__ import annotations

import copy
from typing import Any

from appraise.files.yamlio import dump

HISTORY = "history"
_PREFIX = f"{HISTORY}:\n"
RECORDS = ("answers", "outcome_answers")
"""Top-level mappings whose entries are dumped (and kept) one by one."""


class FileText:
    """``to_text(data)`` for one file's successive snapshots, history entries dumped once each."""

    def __init__(self, header: str) -> None:
        self.header = header
        self._entries: list[tuple[Any, str]] = []
        """Per history entry: a copy of it as dumped, and its text."""
        self._records: dict[tuple[str, Any], tuple[Any, str]] = {}
        """Per (top-level key, record name): a copy of the record as dumped, and its text."""

    def __call__(self, data: dict[str, Any]) -> str:
        """The file's text for ``data``, exactly as :func:`~appraise.files.store.to_text` gives it (history last)."""
        parts = [self.header]
        for key, value in data.items():
            if key == HISTORY:
                continue
            if key in RECORDS and isinstance(value, dict) and value:
                parts.append(f"{key}:\n")
                parts.extend(self._record(key, name, record) for name, record in value.items())
            else:
                parts.append(dump({key: value}))
        if HISTORY in data:
            value = data[HISTORY]
            if isinstance(value, list) and value:
                parts.append(_PREFIX)
                parts.extend(self._entry(i, entry) for i, entry in enumerate(value))
            else:
                parts.append(dump({HISTORY: value}))
        del self._entries[len(data.get(HISTORY) or ()) :]
        return "".join(parts)

    def _entry(self, index: int, entry: Any) -> str:
        if index < len(self._entries) and self._entries[index][0] == entry:
            return self._entries[index][1]
        text = dump({HISTORY: [entry]}).removeprefix(_PREFIX)
        kept = (copy.deepcopy(entry), text)  # a copy: an entry changed in place is dumped again
        if index < len(self._entries):
            self._entries[index] = kept
        else:
            self._entries.append(kept)
        return text

    def _record(self, key: str, name: Any, record: Any) -> str:
        """One entry of a top-level mapping, as it appears in the dump of the whole mapping."""
        kept = self._records.get((key, name))
        if kept is not None and kept[0] == record:
            return kept[1]
        # An entry's text does not depend on its neighbours: the same column, and never an alias.
        text = dump({key: {name: record}}).removeprefix(f"{key}:\n")
        self._records[(key, name)] = (copy.deepcopy(record), text)
        return text
