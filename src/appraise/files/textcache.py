"""An appraisal file's text, made again after every save without dumping its whole history each time.

The history only grows (one entry per save), so dumping every entry on every save would make a
long session's saves slower and slower. Top-level keys are dumped one by one (a block mapping's
text is its keys' texts in order), and each history entry's text is kept while the entry is
unchanged: a save dumps the answers and the new entry, and joins the rest.
"""

from __future__ import annotations

import copy
from typing import Any

from appraise.files.yamlio import dump

HISTORY = "history"
_PREFIX = f"{HISTORY}:\n"


class FileText:
    """``to_text(data)`` for one file's successive snapshots, history entries dumped once each."""

    def __init__(self, header: str) -> None:
        self.header = header
        self._entries: list[tuple[Any, str]] = []
        """Per history entry: a copy of it as dumped, and its text."""

    def __call__(self, data: dict[str, Any]) -> str:
        """The file's text for ``data``, exactly as :func:`~appraise.files.store.to_text` gives it (history last)."""
        parts = [self.header]
        parts.extend(dump({key: value}) for key, value in data.items() if key != HISTORY)
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
