"""Edit a hand-written appraisal file in place: the user's comments, key order, quoting and flow style stay.

Reading stays on the fast path (PyYAML's C loader, :mod:`appraise.files.yamlio`); only writing a
file that already exists goes through ruamel.yaml's round-trip mode: the file as it is on disk is
loaded with its comments, only the values that changed are replaced, and the result is checked to
read back as exactly the data meant to be written. Anything it cannot do that way falls back to a
fresh, plain dump, so a save never fails because of formatting.
"""

from __future__ import annotations

import io
from typing import Any

from appraise.files.yamlio import YAML11_BOOLS, Document, read_document

_MISSING = object()


def _plain(value: Any) -> Any:
    """A ruamel value as appraise's reader would hand it over (strings stay strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    return str(value)


def _fresh(value: Any) -> Any:
    """New plain data in the house style: multi-line text as a ``|`` block, YAML 1.1 booleans quoted."""
    from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if value.lower() in YAML11_BOOLS:
            return SingleQuotedScalarString(value)
    return value


def _same(old: Any, new: Any) -> bool:
    """Equal as appraise reads them; ``A1: "Y"`` is the same answer as ``A1: {answer: "Y"}``."""
    if _plain(old) == _plain(new):
        return True
    return (
        not isinstance(old, dict | list)
        and isinstance(new, dict)
        and set(new) == {"answer"}
        and _same(old, new["answer"])
    )


def _update(node: Any, new: dict[str, Any]) -> None:
    """Change ``node`` (a ruamel mapping) in place to hold ``new``, touching only what differs."""
    for key in [k for k in node if str(k) not in new]:
        del node[key]
    for key, value in new.items():
        old = node.get(key, _MISSING)
        if old is _MISSING:
            if value not in (None, "", [], {}):  # an empty section the user never wrote stays unwritten
                node[key] = _fresh(value)
        elif _same(old, value):
            continue
        elif isinstance(old, dict) and isinstance(value, dict):
            _update(old, value)
        elif isinstance(old, list) and isinstance(value, list) and len(old) == len(value):
            for i, (was, now) in enumerate(zip(old, value, strict=True)):
                if isinstance(was, dict) and isinstance(now, dict):
                    _update(was, now)
                elif not _same(was, now):
                    old[i] = _fresh(now)
        else:
            node[key] = _fresh(value)


def edit_text(original: str, data: dict[str, Any], *, check: Any, last: str | None = None) -> str | None:
    """``original`` changed to hold ``data``, comments and style kept; None when that cannot be done safely.

    ``check`` turns a read :class:`Document` back into data; the edit is used only if it gives ``data``.
    ``last`` names a top-level key moved to the end (the history, which later saves append to).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)  # the "  - item" lists appraise and most people write
    yaml.allow_unicode = True
    try:
        tree = yaml.load(original)
        if not isinstance(tree, CommentedMap):
            return None
        _update(tree, data)
        if last is not None and last in tree and next(reversed(tree)) != last:
            tree.move_to_end(last)
        buffer = io.StringIO()
        yaml.dump(tree, buffer)
        text = buffer.getvalue()
        if check(read_document("edited", text)) != data:
            return None
    except Exception:  # ruamel's own errors are many and unexported; the plain dump always works
        return None
    return text


__all__ = ["Document", "edit_text"]
