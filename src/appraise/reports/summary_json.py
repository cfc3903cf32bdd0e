"""The JSON summary, written as it goes: ``json.dumps(public(data), indent=2)`` byte for byte, never whole in memory.

json's ``indent`` falls back to its pure-Python encoder, and a generic writer spends its time per
value; here the work per value is C-level where it can be: a flat dict (a table cell, a study, an
answer row) is one ``%`` of a template built once per set of keys and depth, its text values
encoded by json's own C string encoder; a dict shared by many rows is encoded once.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from appraise.core.text import inert, needs_visible
from appraise.reports.collect import ANSWER_COLUMNS, Collection
from appraise.reports.environment import PRESENTATION_KEYS
from appraise.reports.tabulate import AnswerRows

__all__ = ["write_json"]

_string: Callable[[str], str] = json.encoder.encode_basestring
"""What ``json.dumps(ensure_ascii=False)`` uses for text (in C)."""

_SCALARS = frozenset({str, int, float, bool, type(None)})
_TEXT = frozenset({str})
_PADS = ["\n" + "  " * depth for depth in range(64)]

STREAMED_DEPTH = 3
"""Dicts this near the top (the summary, a group, its robvis table) are written item by item, and so is
any list longer than :data:`STREAMED_LENGTH`; everything else is encoded as one string and written."""

STREAMED_LENGTH = 64


def write_json(data: dict[str, Any], out: TextIO) -> None:
    """The summary (less its legend) as indented JSON, streamed to ``out``, already inert.

    Every piece passes through :func:`~appraise.core.text.inert` (JSON's own escape for the characters
    a terminal could act on, so the data is unchanged) but a study's answers whose text was found
    free of them when the file was read: the CLI writes this as it is.
    """
    _Writer(out).stream({k: v for k, v in data.items() if k != "legend"}, 0)
    out.write("\n")


def _pad(depth: int) -> str:
    return _PADS[depth] if depth < len(_PADS) else "\n" + "  " * depth


def _key(key: Any) -> str:
    """A key as json writes it (keys that are not text become text, as json.dumps makes them)."""
    return _string(key) if isinstance(key, str) else json.dumps({key: 0})[1:-4]


def _scalar(value: Any) -> str:
    """A value that holds no other, as json writes it (anything json cannot write raises its TypeError)."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)


def _public(value: dict[Any, Any]) -> dict[Any, Any]:
    """The dict without presentation-only helpers (the same object when it has none, the common case)."""
    if PRESENTATION_KEYS.isdisjoint(value):
        return value
    return {k: v for k, v in value.items() if k not in PRESENTATION_KEYS}


def _nowhere(text: str) -> int:
    raise AssertionError("a writer without an output only encodes")


class _Writer:
    """One summary's JSON: the texts of flat dicts by identity (shared cells), templates by keys and depth."""

    def __init__(self, out: TextIO | None, *, remember: bool = True) -> None:
        self.raw = out.write if out is not None else _nowhere
        self.remember = remember
        self.done: dict[tuple[int, int], str] = {}
        self.templates: dict[tuple[tuple[Any, ...], int], str] = {}
        self.keys: dict[tuple[tuple[Any, ...], int], list[str]] = {}

    def stream(self, value: Any, depth: int) -> None:
        """Write ``value`` at ``depth``, containers near the top and long lists piece by piece."""
        if isinstance(value, dict) and depth <= STREAMED_DEPTH:
            items = _public(value)
            if not items or all(type(v) in _SCALARS for v in items.values()):
                self.write(self.encode(value, depth))
                return
            for i, (prefix, item) in enumerate(zip(self._key_texts(tuple(items), depth), items.values(), strict=True)):
                self.write(("{" if i == 0 else ",") + prefix)
                self.stream(item, depth + 1)
            self.write(_pad(depth) + "}")
        elif isinstance(value, AnswerRows):
            self._answers(value.collection, depth)
        elif isinstance(value, list | tuple) and (depth <= 1 or len(value) > STREAMED_LENGTH):
            pad = _pad(depth + 1)
            for i, item in enumerate(value):
                self.write(("[" if i == 0 else ",") + pad)
                self.stream(item, depth + 1)
            self.write(_pad(depth) + "]" if value else "[]")
        else:
            self.write(self.encode(value, depth))

    def encode(self, value: Any, depth: int) -> str:
        """``value`` at ``depth`` as one string."""
        if isinstance(value, dict):
            return self._dict(value, depth)
        if isinstance(value, list | tuple):
            if not value:
                return "[]"
            pad = _pad(depth + 1)
            types = set(map(type, value))
            texts: Iterable[str]
            if types <= _SCALARS:
                texts = map(_string if types == _TEXT else _scalar, value)
            else:
                texts = (self.encode(v, depth + 1) for v in value)
            return "[" + pad + ("," + pad).join(texts) + _pad(depth) + "]"
        if isinstance(value, AnswerRows):
            return "".join(text for text, _ in self._answer_texts(value.collection, depth))
        return _scalar(value)

    def _dict(self, value: dict[Any, Any], depth: int) -> str:
        known = (id(value), depth)
        if known in self.done:
            return self.done[known]
        items = _public(value)
        if not items:
            return "{}"
        keys, values = tuple(items), tuple(items.values())
        types = set(map(type, values))
        if types <= _SCALARS:
            # A flat dict (a cell, a study, an outcome): kept for the next row that shares it.
            text = self._template(keys, depth) % tuple(map(_string if types == _TEXT else _scalar, values))
            if self.remember:
                self.done[known] = text
            return text
        parts = [
            prefix + (_scalar(v) if type(v) in _SCALARS else self.encode(v, depth + 1))
            for prefix, v in zip(self._key_texts(keys, depth), values, strict=True)
        ]
        return "{" + ",".join(parts) + _pad(depth) + "}"

    def _key_texts(self, keys: tuple[Any, ...], depth: int) -> list[str]:
        """Each key's line start at this depth: the indent, the key and ``: ``."""
        found = self.keys.get((keys, depth))
        if found is None:
            pad = _pad(depth + 1)
            found = self.keys[keys, depth] = [f"{pad}{_key(k)}: " for k in keys]
        return found

    def _template(self, keys: tuple[Any, ...], depth: int) -> str:
        """A flat dict with these keys at this depth, a ``%s`` for each value."""
        found = self.templates.get((keys, depth))
        if found is None:
            texts = [k.replace("%", "%%") + "%s" for k in self._key_texts(keys, depth)]
            found = self.templates[keys, depth] = "{" + ",".join(texts) + _pad(depth) + "}"
        return found

    def write(self, text: str) -> None:
        """Write a piece, made inert."""
        self.raw(inert(text))

    def _answers(self, collection: Collection, depth: int) -> None:
        for text, clean in self._answer_texts(collection, depth):
            if clean:
                self.raw(text)
            else:
                self.write(text)

    def _answer_texts(self, collection: Collection, depth: int) -> Iterator[tuple[str, bool]]:
        """The answer rows as a JSON list, a study's rows at a time, straight from the spool's JSON text;
        with each piece, whether it is certainly free of characters :func:`inert` would change."""
        between = "," + _pad(depth + 1)
        first = True
        for name, rows, control in collection.answer_texts():
            text = self._study_rows(name, rows, depth + 1, between)
            if text:
                yield ("[" if first else ",") + _pad(depth + 1) + text, not control and not needs_visible(name)
                first = False
        yield ("[]" if first else _pad(depth) + "]"), True

    def _study_rows(self, name: str, rows: str, depth: int, between: str) -> str:
        """One study's rows (the spool's compact JSON of lists of text) as indented dicts, the file added.

        The spool's strings were encoded by the same C encoder as ours, so where the text splits
        unambiguously into its strings they are used as they are: a row is then two splits and a ``%``.
        """
        if rows.startswith('[["') and rows.endswith('"]]') and not _UNSPLITTABLE.search(rows):
            template = self._quoted_template(depth)
            try:
                return between.join([template % (*row.split('","'), name) for row in rows[3:-3].split('"],["')])
            except TypeError:  # not rows of 15 strings: see below
                pass
        values: list[list[Any]] = json.loads(rows)
        try:
            return between.join([self._template(ANSWER_COLUMNS, depth) % (*map(_string, v), name) for v in values])
        except TypeError:
            # Not rows of text (a damaged cache entry, say): each row as json would write it.
            # Made afresh and dropped, so none is remembered (their ids are reused).
            fresh, file = _Writer(None, remember=False), json.loads(name)
            rebuilt = (dict(zip(ANSWER_COLUMNS, [*v, file], strict=True)) for v in values)
            return between.join(fresh.encode(row, depth) for row in rebuilt)

    def _quoted_template(self, depth: int) -> str:
        """An answer row's template for the contents of its strings (quotes in the template), the file as JSON."""
        key = (("quoted", *ANSWER_COLUMNS), depth)
        found = self.templates.get(key)
        if found is None:
            *texts, last = self._key_texts(ANSWER_COLUMNS, depth)
            quoted = [k.replace("%", "%%") + '"%s"' for k in texts] + [last.replace("%", "%%") + "%s"]
            found = self.templates[key] = "{" + ",".join(quoted) + _pad(depth) + "}"
        return found


_UNSPLITTABLE = re.compile(r'\\"(?:,"|\],\[")')
"""Where an escaped quote (or an escaped backslash) meets a separator, a split could cut inside a string:
such a study (rare: a value ending in ``",`` or ``"],[`` or a backslash) is decoded and encoded instead.
(One pattern, stopping only at backslashes: faster than two searches.)"""
